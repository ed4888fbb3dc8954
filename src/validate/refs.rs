//! Checks across files: URL clashes, references between entries (with suggestions from
//! the real slugs), duplicate partnerships, translations without an original, and
//! sources never cited. Builds the final `Atlas`.

use super::reader::{At, Cx};
use super::{Declared, Drafts, file_error};
use crate::diag::{Diagnostic, Diagnostics, Source, did_you_mean, list};
use crate::load::{Collection, Document};
use crate::model::*;
use rayon::prelude::*;
use std::collections::hash_map::{Entry, HashMap};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// What a file's name says about the page it makes, kept for [`url_clashes`] while the
/// file itself goes on to be read.
pub struct Named {
    /// Collection, folder and stem in lowercase, and the language suffix.
    page: (Collection, String, String, Option<String>),
    rel: String,
    stem: String,
    source: Source,
}

impl Named {
    /// `None` for the fields file, which makes no page. Takes the document's `rel`,
    /// which nothing after this check reads; `source` is what is kept of its file.
    pub fn of(doc: &mut Document, source: &Source) -> Option<Named> {
        if doc.collection == Collection::Fields {
            return None;
        }
        let page = (
            doc.collection,
            doc.folder.as_deref().unwrap_or("").to_lowercase(),
            doc.stem.to_lowercase(),
            doc.lang.clone(),
        );
        Some(Named {
            page,
            rel: std::mem::take(&mut doc.rel),
            stem: doc.stem.clone(),
            source: source.clone(),
        })
    }
}

/// Two files that would be written to the same page, also when they differ only in
/// case (they would overwrite each other on case-insensitive disks). `names` are in
/// file order.
pub fn url_clashes(names: Vec<Named>) -> Diagnostics {
    let mut diags = Diagnostics::new();
    // Clashes are rare: the pages are hashed, and only the pages of two or more files
    // are sorted, for the order of the report. Each group keeps file order.
    let mut first = HashMap::with_capacity(names.len());
    let mut clashes: BTreeMap<_, Vec<usize>> = BTreeMap::new();
    for (i, n) in names.iter().enumerate() {
        match first.entry(&n.page) {
            Entry::Vacant(v) => {
                v.insert(i);
            }
            Entry::Occupied(o) => clashes
                .entry(*o.key())
                .or_insert_with(|| vec![*o.get()])
                .push(i),
        }
    }
    for group in clashes.into_values() {
        let mut same: Vec<&Named> = group.iter().map(|&i| &names[i]).collect();
        // Report the clash at a file whose name is not a slug: that one is the mistake.
        same.sort_by_key(|n| crate::model::Slug::parse(&n.stem).is_err());
        let first = same[0];
        for other in &same[1..] {
            let d = file_error(
                &other.source,
                format!("`{}` and `{}` would be written to the same page", first.rel, other.rel),
                "keep one of the two files, or give them different names; names that differ only in case overwrite each other on macOS and Windows".into(),
            )
            .label("this file")
            .also(&first.source, 0..0, "clashes with this file");
            diags.push(d);
        }
    }
    diags
}

pub fn resolve(mut d: Drafts, countries: Countries, diags: &mut Diagnostics) -> Option<Atlas> {
    let fields = fields(&d, diags);
    // Entries move from their drafts into the atlas: cloning them (bodies and all) cost
    // more than the rest of this single-threaded pass together.
    // The partners' map is built beside the regions'.
    let partner_drafts = std::mem::take(&mut d.partners);
    let (mut partners, mut regions) = rayon::join(
        || -> BTreeMap<PartnerId, Partner> {
            partner_drafts
                .into_iter()
                .map(|(p, _)| (p.id.clone(), p))
                .collect()
        },
        || {
            let mut regions: BTreeMap<Slug, Region> = BTreeMap::new();
            let mut provinces = Vec::new();
            for (r, source) in std::mem::take(&mut d.regions) {
                if let Some(p) = r.province {
                    provinces.push((p, r.region.code.clone(), r.code_span, source));
                }
                regions.insert(r.region.slug.clone(), r.region);
            }
            for (province, code, code_span, source) in &provinces {
                let mut cx = Cx::new(source, diags);
                check_province(&mut cx, province, (code, code_span), &regions, &d.declared);
            }
            regions
        },
    );
    let mut translations: Translations = BTreeMap::new();
    for (doc, t, cites) in std::mem::take(&mut d.translations) {
        let key = (
            doc.collection,
            doc.folder.clone().unwrap_or_default(),
            doc.stem.clone(),
        );
        translations.insert(key, (t, cites, doc.source));
    }
    // Each partnership is resolved on its own, in parallel; what needs them all (the
    // same pair recorded twice) is checked after, in file order. Translations are taken
    // out of the shared map first.
    let drafts = std::mem::take(&mut d.partnerships);
    let mut translated = Vec::with_capacity(drafts.len());
    // Most atlases translate few entries: no key is made for none to find.
    if translations.is_empty() {
        translated.resize_with(drafts.len(), || None);
    } else {
        for (draft, _) in &drafts {
            let slug = draft.own.slug.to_string();
            translated.push(translations.remove(&(Collection::Partnerships, String::new(), slug)));
        }
    }
    let mut resolved: Vec<Resolved> = drafts
        .into_par_iter()
        .zip(translated)
        .map(|((mut draft, source), tr)| {
            let mut found = Diagnostics::new();
            let mut cx = Cx::new(&source, &mut found);
            let p = resolve_partnership(&mut cx, &draft, &regions, &partners, &fields, &d).map(
                |(partner, field_ids)| {
                    let partner_span = draft.partner.span.clone();
                    let source_keys = std::mem::take(&mut draft.source_keys);
                    let mut p = draft.resolve(partner, field_ids);
                    let mut cited: BTreeSet<String> = p.body.cited.iter().cloned().collect();
                    cited.extend(p.events.iter().filter_map(|e| e.source.clone()));
                    p.en = check_sources(&mut cx, &p.sources, &source_keys, cited, tr);
                    (p, partner_span)
                },
            );
            (p, found, source)
        })
        .collect();
    let mut pairs: HashMap<(&Slug, &PartnerId), (&Source, &Range<usize>)> =
        HashMap::with_capacity(resolved.len());
    for (_, found, _) in &mut resolved {
        diags.extend(std::mem::take(found));
    }
    for (p, _, source) in &resolved {
        let Some((p, partner_span)) = p else { continue };
        match pairs.entry((&p.region, &p.partner)) {
            Entry::Occupied(first) => {
                let (first_src, first_span) = *first.get();
                let msg = format!(
                    "partnership between `{}` and `{}` is recorded twice",
                    p.region, p.partner
                );
                let d = Diagnostic::error(msg)
                    .at(source, partner_span.clone())
                    .label("second entry")
                    .also(first_src, first_span.clone(), "first entry")
                    .help(
                        "merge the two entries into one; a renewal is an event of the same partnership",
                    );
                diags.push(d);
            }
            Entry::Vacant(e) => {
                e.insert((source, partner_span));
            }
        }
    }
    drop(pairs);
    let mut partnerships: BTreeMap<Slug, Partnership> = resolved
        .into_iter()
        .filter_map(|(p, _, _)| p.map(|(p, _)| (p.slug.clone(), p)))
        .collect();
    for (i, p) in partnerships.values_mut().enumerate() {
        p.rank = Rank(i);
    }
    let mut pages: BTreeMap<Slug, Page> = BTreeMap::new();
    for (draft, source) in std::mem::take(&mut d.pages) {
        let mut page = draft.page;
        let key = (Collection::Pages, String::new(), page.slug.to_string());
        let cited = page.body.cited.iter().cloned().collect();
        let tr = translations.remove(&key);
        let mut cx = Cx::new(&source, diags);
        page.en = check_sources(&mut cx, &page.sources, &draft.source_keys, cited, tr);
        pages.insert(page.slug.clone(), page);
    }
    attach_translations(
        translations,
        &mut regions,
        &mut partners,
        &mut pages,
        &d.declared,
        diags,
    );
    Some(Atlas {
        countries,
        fields,
        regions,
        partners,
        partnerships,
        pages,
    })
}

fn fields(d: &Drafts, diags: &mut Diagnostics) -> BTreeMap<FieldId, Field> {
    if d.fields_file.is_none() {
        diags.push(Diagnostic::error("there is no `content/fields.yaml`").help("create it with the fields of cooperation partnerships may name, e.g. `education:` with `name`, `name_en` and `description`; until then no `fields` can be checked"));
    }
    d.fields
        .iter()
        .map(|(f, _)| (f.id.clone(), f.clone()))
        .collect()
}

/// Checks that a region's `province` is a provinsi and that its `code` (with its span)
/// starts with the province's.
fn check_province(
    cx: &mut Cx,
    p: &At<Slug>,
    (code, code_span): (&str, &std::ops::Range<usize>),
    regions: &BTreeMap<Slug, Region>,
    declared: &Declared,
) {
    match regions.get(&p.value) {
        None if declared.contains(&(Collection::Regions, String::new(), p.value.to_string())) => {}
        None => missing(
            cx,
            p,
            "region",
            regions.keys().map(Slug::as_str),
            "content/regions/",
        ),
        Some(prov) if prov.level != RegionLevel::Provinsi => {
            let msg = format!("`{}` is a {}, not a provinsi", prov.slug, prov.level);
            cx.error(p.span.clone(), msg, "not a province", Some("`province` names the provinsi the kota or kabupaten lies in, e.g. `jawa-barat`".into()));
        }
        Some(prov) => {
            let prefix = code.split('.').next().unwrap_or("");
            if prefix != prov.code {
                let msg = format!(
                    "code `{}` does not belong to province `{}` (code `{}`)",
                    code, prov.slug, prov.code
                );
                cx.error(
                    code_span.clone(),
                    msg,
                    "wrong province prefix",
                    Some(format!(
                        "a region in {} has a code starting with `{}.`",
                        prov.name, prov.code
                    )),
                );
            }
        }
    }
}

fn missing<'a>(
    cx: &mut Cx,
    r: &At<impl std::fmt::Display>,
    what: &str,
    known: impl Iterator<Item = &'a str> + Clone,
    dir: &str,
) {
    let v = r.value.to_string();
    let help = did_you_mean(&v, known)
        .unwrap_or_else(|| format!("add `{dir}{v}.md`, or use the slug of an existing {what}"));
    cx.error(
        r.span.clone(),
        format!("no {what} `{v}`"),
        &format!("unknown {what}"),
        Some(help),
    );
}

fn resolve_partnership(
    cx: &mut Cx,
    d: &super::partnership::PartnershipDraft,
    regions: &BTreeMap<Slug, Region>,
    partners: &BTreeMap<PartnerId, Partner>,
    fields: &BTreeMap<FieldId, Field>,
    drafts: &Drafts,
) -> Option<(PartnerId, Vec<FieldId>)> {
    let region_ok = regions.contains_key(&d.region.value);
    let region_declared = || {
        let key = (
            Collection::Regions,
            String::new(),
            d.region.value.to_string(),
        );
        drafts.declared.contains(&key)
    };
    if !region_ok && !region_declared() {
        missing(
            cx,
            &d.region,
            "region",
            regions.keys().map(Slug::as_str),
            "content/regions/",
        );
    }
    let partner = resolve_partner(cx, &d.partner, partners, &drafts.declared);
    // Without a readable fields.yaml every id would be unknown; that file's own error is enough.
    let fields_file = drafts.fields_file == Some(true);
    let mut field_ids = Vec::new();
    for f in &d.fields {
        let id = FieldId::new(f.value.clone());
        if fields.contains_key(&id) {
            field_ids.push(id);
        } else if fields_file
            && !drafts
                .declared_fields
                .contains(&f.value.as_str().to_lowercase())
        {
            let help = did_you_mean(f.value.as_str(), fields.keys().map(FieldId::as_str))
                .unwrap_or_else(|| match fields.len() {
                    0 => "content/fields.yaml defines no fields yet; add this one there".into(),
                    _ => format!(
                        "the fields are {} (see content/fields.yaml)",
                        list(fields.keys().map(FieldId::as_str))
                    ),
                });
            cx.error(
                f.span.clone(),
                format!("no field `{}`", f.value),
                "unknown field",
                Some(help),
            );
        }
    }
    let partner = partner?;
    region_ok.then_some((partner, field_ids))
}

fn resolve_partner(
    cx: &mut Cx,
    r: &At<String>,
    partners: &BTreeMap<PartnerId, Partner>,
    declared: &Declared,
) -> Option<PartnerId> {
    // The list of known ids is only for help text: built on error, never per entry.
    let ids = || partners.keys().map(ToString::to_string).collect::<Vec<_>>();
    let Some((country, slug)) = r.value.split_once('/') else {
        let ids = ids();
        let help = did_you_mean(&r.value, ids.iter().map(String::as_str))
            .or_else(|| {
                ids.iter()
                    .find(|i| i.ends_with(&format!("/{}", r.value)))
                    .map(|i| format!("did you mean `{i}`?"))
            })
            .unwrap_or_else(|| {
                "write the partner as `<country>/<slug>`, e.g. `jp/shizuoka`".into()
            });
        cx.error(
            r.span.clone(),
            format!("`{}` is not a partner reference", r.value),
            "expected `<country>/<slug>`",
            Some(help),
        );
        return None;
    };
    let found = lookup(partners, country, slug).map(|(id, _)| id.clone());
    let has_file =
        || declared.contains(&(Collection::Partners, country.to_string(), slug.to_string()));
    if found.is_none() && !has_file() {
        let ids = ids();
        let help = did_you_mean(&r.value, ids.iter().map(String::as_str)).unwrap_or_else(|| {
            format!("add `content/partners/{country}/{slug}.md`, or use an existing partner")
        });
        cx.error(
            r.span.clone(),
            format!("no partner `{}`", r.value),
            "unknown partner",
            Some(help),
        );
    }
    found
}

/// The partner written `country/slug`, found in the map's order rather than by a scan.
fn lookup<'p>(
    partners: &'p BTreeMap<PartnerId, Partner>,
    country: &str,
    slug: &str,
) -> Option<(&'p PartnerId, &'p Partner)> {
    // References are exact: `JP/…` names no partner, as the folder is `jp/`.
    if country.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let slug = Slug::parse(slug).ok()?;
    let id = PartnerId {
        country: CountryCode::new_checked(country),
        slug,
    };
    partners.get_key_value(&id)
}

/// A partnership resolved on its own (with where its partner is written), what it
/// found, and its file.
type Resolved = (Option<(Partnership, Range<usize>)>, Diagnostics, Source);

type Translations = BTreeMap<
    (Collection, String, String),
    (
        Translation,
        Vec<crate::markdown::Citation>,
        crate::diag::Source,
    ),
>;

/// Checks a translation's citations against the entry's sources, and warns about sources
/// cited nowhere (neither in the entry, its events, nor its translation).
fn check_sources(
    cx: &mut Cx,
    sources: &[SourceRef],
    source_keys: &[At<String>],
    mut cited: BTreeSet<String>,
    translation: Option<(
        Translation,
        Vec<crate::markdown::Citation>,
        crate::diag::Source,
    )>,
) -> Option<Translation> {
    let en = translation.map(|(t, cites, tsource)| {
        let keys: Vec<&str> = sources.iter().map(|s| s.key.as_str()).collect();
        let mut tcx = Cx::new(&tsource, cx.diags);
        super::partnership::check_citations(&mut tcx, &cites, &keys);
        cited.extend(cites.into_iter().map(|c| c.key));
        t
    });
    for k in source_keys.iter().filter(|k| !cited.contains(&k.value)) {
        let d = Diagnostic::warning(format!("source `{}` is never cited", k.value))
            .at(cx.source, k.span.clone())
            .label("not cited")
            .help(format!(
                "cite it in the text as `[@{}]` (in a partnership also from an event with `source: {}`), or remove it",
                k.value, k.value
            ));
        cx.diags.push(d);
    }
    en
}

fn attach_translations(
    t: Translations,
    regions: &mut BTreeMap<Slug, Region>,
    partners: &mut BTreeMap<PartnerId, Partner>,
    pages: &mut BTreeMap<Slug, Page>,
    declared: &Declared,
    diags: &mut Diagnostics,
) {
    for ((collection, folder, stem), (tr, cites, source)) in t {
        let slot = Slug::parse(&stem).ok().and_then(|slug| match collection {
            Collection::Regions => regions.get_mut(&slug).map(|r| &mut r.en),
            Collection::Pages => pages.get_mut(&slug).map(|p| &mut p.en),
            Collection::Partners => partners
                .get_mut(&PartnerId {
                    country: CountryCode::new_checked(&folder),
                    slug,
                })
                .map(|p| &mut p.en),
            _ => None,
        });
        if let Some(c) = cites
            .first()
            .filter(|_| !matches!(collection, Collection::Partnerships | Collection::Pages))
        {
            let d = Diagnostic::error("citations `[@key]` only work in partnership entries")
                .at(&source, c.span.clone())
                .label("no sources here")
                .help("link to the source instead: `[title](https://…)`");
            diags.push(d);
        }
        match slot {
            Some(slot) => *slot = Some(tr),
            // The original exists but has errors of its own.
            None if declared.contains(&(collection, folder.clone(), stem.clone())) => {}
            None => diags.push(file_error(
                &source,
                format!("translation `{stem}.en.md` has no original `{stem}.md` beside it"),
                "name the translation after the entry it translates".into(),
            )),
        }
    }
}
