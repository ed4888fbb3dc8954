//! Deciding what an import writes: which region, partner and partnership each row needs,
//! matched against the existing entries and against what earlier rows already planned.

use super::entry;
use super::rows::Row;
use super::{ImportError, Skipped};
use crate::diag::{Diagnostic, Source, did_you_mean};
use crate::gazetteer::{Area, Gazetteer, short_name};
use crate::model::{Countries, RegionLevel, Slug};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub struct Plan {
    gazetteer: Gazetteer,
    countries: Countries,
    /// Kemendagri code → (slug, name) of every region, existing or planned.
    regions: BTreeMap<String, (String, String)>,
    region_slugs: BTreeSet<String>,
    /// (country, slug, name) of every partner, existing or planned.
    partners: Vec<(String, String, String)>,
    /// (region slug, partner id) → file of the partnership.
    pairs: BTreeMap<(String, String), String>,
    partnership_slugs: BTreeSet<String>,
    fields: BTreeSet<String>,
    /// Files to write, relative to the site root, in order.
    pub files: Vec<(PathBuf, String)>,
    pub skipped: Vec<Skipped>,
    pub partnerships: usize,
}

type RowResult<T> = Result<T, Box<Diagnostic>>;

impl Plan {
    /// The plan for the site as it is; the site's diagnostics when it has errors of its own.
    pub fn new(
        root: &Path,
        shown_root: &Path,
    ) -> Result<Result<Plan, Vec<Diagnostic>>, ImportError> {
        let (atlas, diags) = crate::build::atlas(root, shown_root)?;
        let Some(atlas) = atlas.filter(|_| {
            !diags
                .iter()
                .any(|d| d.severity == crate::diag::Severity::Error)
        }) else {
            return Ok(Err(diags));
        };
        let mut plan = Plan {
            gazetteer: Gazetteer::builtin(),
            countries: Countries::builtin(),
            regions: BTreeMap::new(),
            region_slugs: BTreeSet::new(),
            partners: Vec::new(),
            pairs: BTreeMap::new(),
            partnership_slugs: BTreeSet::new(),
            fields: atlas
                .fields
                .keys()
                .map(|f| f.as_str().to_string())
                .collect(),
            files: Vec::new(),
            skipped: Vec::new(),
            partnerships: 0,
        };
        for r in atlas.regions.values() {
            plan.regions
                .insert(r.code.clone(), (r.slug.to_string(), r.name.clone()));
            plan.region_slugs.insert(r.slug.to_string());
        }
        for p in atlas.partners.values() {
            plan.partners.push((
                p.id.country.to_string(),
                p.id.slug.to_string(),
                p.name.clone(),
            ));
        }
        for p in atlas.partnerships.values() {
            plan.pairs.insert(
                (p.region.to_string(), p.partner.to_string()),
                p.file.clone(),
            );
            plan.partnership_slugs.insert(p.slug.to_string());
        }
        Ok(Ok(plan))
    }

    pub fn add_all_provinces(&mut self) {
        let codes: Vec<String> = self.gazetteer.provinces().map(|a| a.code.clone()).collect();
        for code in codes {
            if let Some(area) = self.gazetteer.by_code(&code).cloned() {
                self.region(&area);
            }
        }
    }

    pub fn add_row(&mut self, row: &Row, src: &Source, csv_name: &str) -> RowResult<()> {
        let err = |column: &str, msg: String, help: String| {
            Box::new(
                Diagnostic::error(msg)
                    .at(src, row.cells.get(column).cloned().unwrap_or(0..0))
                    .label(format!("in `{column}`"))
                    .help(help),
            )
        };
        let country = self
            .countries
            .get(&row.country.to_ascii_lowercase())
            .cloned()
            .ok_or_else(|| {
                err(
                    "partner_country",
                    format!(
                        "`{}` is not an ISO 3166-1 alpha-2 country code",
                        row.country
                    ),
                    "write the two-letter code, e.g. `JP` for Japan, `DE` for Germany".into(),
                )
            })?;
        let area = self.area(row).map_err(|(c, m, h)| err(c, m, h))?;
        if let Some(f) = row.fields.iter().find(|f| !self.fields.contains(*f)) {
            let help = did_you_mean(f, self.fields.iter().map(String::as_str))
                .unwrap_or_else(|| "use the ids of `content/fields.yaml`".into());
            return Err(err("fields", format!("unknown field `{f}`"), help));
        }
        let cc = country.code.as_str().to_string();
        let (partner_slug, partner_name) = self.partner(&cc, row);
        let partner_id = format!("{cc}/{partner_slug}");
        let present = self
            .regions
            .get(&area.code)
            .and_then(|(slug, _)| self.pairs.get(&(slug.clone(), partner_id.clone())));
        if let Some(file) = present {
            let reason = format!("already present as `{file}`");
            self.skipped.push(Skipped {
                line: row.line,
                reason,
            });
            return Ok(());
        }
        if row.urls.is_empty() || !row.source.starts_with("http") {
            let reason = format!(
                "the source `{}` is not a web address: write this entry by hand, citing the document",
                row.source
            );
            self.skipped.push(Skipped {
                line: row.line,
                reason,
            });
            return Ok(());
        }
        let (region_slug, region_name) = self.region(&area);
        self.ensure_partner(&cc, &partner_slug, &partner_name, row);
        let mut slug = format!("{region_slug}-{partner_slug}");
        if self.partnership_slugs.contains(&slug) {
            slug = format!("{slug}-{cc}");
        }
        if self.partnership_slugs.contains(&slug) {
            let reason = format!("`content/partnerships/{slug}.md` exists for another pair");
            self.skipped.push(Skipped {
                line: row.line,
                reason,
            });
            return Ok(());
        }
        let text = entry::partnership(&entry::Partnership {
            row,
            region_slug: &region_slug,
            partner_id: partner_id.clone(),
            region_name: &region_name,
            partner_name: &partner_name,
            country_name: &country.name_id,
            csv_name,
        });
        let rel = format!("content/partnerships/{slug}.md");
        self.partnership_slugs.insert(slug);
        self.pairs.insert((region_slug, partner_id), rel.clone());
        self.files.push((PathBuf::from(rel), text));
        self.partnerships += 1;
        Ok(())
    }

    /// The gazetteer's area for the row's region, or why there is none.
    fn area(&self, row: &Row) -> Result<Area, (&'static str, String, String)> {
        let g = &self.gazetteer;
        let province = g.province(&row.region_province).ok_or_else(|| {
            let names: Vec<String> = g.provinces().map(|a| short_name(&a.name)).collect();
            (
                "region_province",
                format!("`{}` is not a province", row.region_province),
                did_you_mean(&row.region_province, names.iter().map(String::as_str))
                    .unwrap_or_else(|| {
                        "write the province's name as Kemendagri lists it, e.g. `Jawa Barat`".into()
                    }),
            )
        })?;
        let found = match row.region_level {
            RegionLevel::Provinsi => g.province(&row.region).filter(|a| a.code == province.code),
            level => g.regency(level, &row.region, province),
        };
        found.cloned().ok_or_else(|| {
            (
                "region",
                format!("no {} `{}` in {}", row.region_level, row.region, short_name(&province.name)),
                "check the name, the level and the province against the Kemendagri list (kota/kabupaten without the `Kota`/`Kabupaten` prefix)".into(),
            )
        })
    }

    /// The slug and name of the region of `area`, planning its entry (and its
    /// province's) when the site has none.
    fn region(&mut self, area: &Area) -> (String, String) {
        if let Some(found) = self.regions.get(&area.code) {
            return found.clone();
        }
        let province = (area.level != RegionLevel::Provinsi)
            .then(|| self.gazetteer.by_code(area.province_code()).cloned())
            .flatten()
            .map(|p| (self.region(&p).0, p));
        let bare = Slug::suggest(&short_name(area.bare_name()));
        let prefixed = format!("{}-{bare}", area.level);
        let slug = if area.level != RegionLevel::Kota && self.gazetteer.name_is_shared(area)
            || self.region_slugs.contains(&bare)
        {
            prefixed
        } else {
            bare
        };
        let text = entry::region(area, province.as_ref().map(|(s, a)| (s.as_str(), a)));
        self.files
            .push((PathBuf::from(format!("content/regions/{slug}.md")), text));
        self.region_slugs.insert(slug.clone());
        let found = (slug, area.name.clone());
        self.regions.insert(area.code.clone(), found.clone());
        found
    }

    /// The slug and name of the row's partner: an existing one of the same name or
    /// slug in the country's folder, or a new slug.
    fn partner(&self, cc: &str, row: &Row) -> (String, String) {
        let name = row.partner.as_str();
        let slug = partner_slug(name, row.partner_level.as_str());
        let existing = self
            .partners
            .iter()
            .find(|(c, s, n)| c == cc && (n.eq_ignore_ascii_case(name) || *s == slug));
        match existing {
            Some((_, s, n)) => (s.clone(), n.clone()),
            None => (slug, name.to_string()),
        }
    }

    fn ensure_partner(&mut self, cc: &str, slug: &str, name: &str, row: &Row) {
        if self.partners.iter().any(|(c, s, _)| c == cc && s == slug) {
            return;
        }
        self.partners
            .push((cc.to_string(), slug.to_string(), name.to_string()));
        let rel = format!("content/partners/{cc}/{slug}.md");
        self.files
            .push((PathBuf::from(rel), entry::partner(name, row.partner_level)));
    }
}

/// `kyoto` for `Kyoto Prefecture`, `gangbuk-gu` for `Gangbuk-gu (Seoul)`: the name
/// without the qualifier in brackets or a trailing word that repeats the level.
fn partner_slug(name: &str, level: &str) -> String {
    let base = name.split(" (").next().unwrap_or(name).trim();
    let base = ["Prefecture", "Province", "State"]
        .iter()
        .filter(|w| w.eq_ignore_ascii_case(level))
        .find_map(|w| base.strip_suffix(&format!(" {w}")))
        .unwrap_or(base);
    Slug::suggest(base)
}

#[cfg(test)]
mod tests {
    use super::partner_slug;

    #[test]
    fn partner_slugs_drop_qualifiers_and_repeated_levels() {
        assert_eq!(partner_slug("Kyoto Prefecture", "prefecture"), "kyoto");
        assert_eq!(partner_slug("Gangbuk-gu (Seoul)", "district"), "gangbuk-gu");
        assert_eq!(partner_slug("New York State", "city"), "new-york-state");
        assert_eq!(partner_slug("Fès-Boulemane", "region"), "fes-boulemane");
    }
}
