//! Derived views of the atlas: partnerships grouped by field, country, province, year,
//! kind, status, confidence, region and partner. Built once; pages only read them.

use crate::lang::Lang;
use crate::model::*;
use std::collections::BTreeMap;

pub struct Indexes<'a> {
    /// All partnerships, ordered by title (region, then partner).
    pub all: Vec<&'a Partnership>,
    /// Most recently signed first; unknown years last.
    pub recent: Vec<&'a Partnership>,
    pub by_field: BTreeMap<&'a FieldId, Vec<&'a Partnership>>,
    pub by_country: BTreeMap<&'a CountryCode, Vec<&'a Partnership>>,
    pub by_province: BTreeMap<&'a Slug, Vec<&'a Partnership>>,
    /// `None` is "year unknown".
    pub by_year: BTreeMap<Option<u16>, Vec<&'a Partnership>>,
    pub by_kind: BTreeMap<Kind, Vec<&'a Partnership>>,
    pub by_status: BTreeMap<Status, Vec<&'a Partnership>>,
    /// Only partnerships whose confidence is stated.
    pub by_confidence: BTreeMap<Confidence, Vec<&'a Partnership>>,
    pub by_region: BTreeMap<&'a Slug, Vec<&'a Partnership>>,
    pub by_partner: BTreeMap<&'a PartnerId, Vec<&'a Partnership>>,
    /// Kota and kabupaten of each province.
    pub members: BTreeMap<&'a Slug, Vec<&'a Region>>,
}

/// The title in a language: in English the translation's title, else the default title
/// with the English names of the places; in Indonesian the entry's own title.
pub fn title_in(atlas: &Atlas, p: &Partnership, lang: Lang) -> String {
    if lang == Lang::Id {
        return title(atlas, p);
    }
    if let Some(t) = p.en.as_ref().and_then(|t| t.title.as_ref()) {
        return t.clone();
    }
    let region = atlas.regions.get(&p.region).map_or(p.region.as_str(), |r| {
        lang.pick(&r.name, r.name_en.as_deref())
    });
    let partner = atlas
        .partners
        .get(&p.partner)
        .map_or(p.partner.slug.as_str(), |r| r.name.as_str());
    format!("{region} – {partner}")
}

/// "Jawa Barat – Shizuoka Prefecture": the default title of a partnership.
pub fn title(atlas: &Atlas, p: &Partnership) -> String {
    if let Some(t) = &p.title {
        return t.clone();
    }
    let region = atlas
        .regions
        .get(&p.region)
        .map_or(p.region.as_str(), |r| r.name.as_str());
    let partner = atlas
        .partners
        .get(&p.partner)
        .map_or(p.partner.slug.as_str(), |r| r.name.as_str());
    format!("{region} – {partner}")
}

pub fn build(atlas: &Atlas) -> Indexes<'_> {
    use rayon::prelude::*;
    let mut all: Vec<&Partnership> = atlas.partnerships.values().collect();
    // Making every title is most of the work: in parallel for a big atlas.
    all.par_sort_by_cached_key(|p| (title(atlas, p).to_lowercase(), p.slug.clone()));
    let mut recent = all.clone();
    recent.sort_by(|a, b| {
        b.signed
            .is_some()
            .cmp(&a.signed.is_some())
            .then(b.signed.cmp(&a.signed))
    });
    let mut ix = Indexes {
        all,
        recent,
        by_field: BTreeMap::new(),
        by_country: BTreeMap::new(),
        by_province: BTreeMap::new(),
        by_year: BTreeMap::new(),
        by_kind: BTreeMap::new(),
        by_status: BTreeMap::new(),
        by_confidence: BTreeMap::new(),
        by_region: BTreeMap::new(),
        by_partner: BTreeMap::new(),
        members: BTreeMap::new(),
    };
    for p in ix.all.clone() {
        for f in &p.fields {
            ix.by_field.entry(f).or_default().push(p);
        }
        ix.by_country.entry(&p.partner.country).or_default().push(p);
        if let Some(region) = atlas.regions.get(&p.region) {
            ix.by_province
                .entry(&atlas.province_of(region).slug)
                .or_default()
                .push(p);
        }
        ix.by_year.entry(p.year()).or_default().push(p);
        ix.by_kind.entry(p.kind).or_default().push(p);
        ix.by_status.entry(p.status).or_default().push(p);
        if let Some(c) = p.confidence {
            ix.by_confidence.entry(c).or_default().push(p);
        }
        ix.by_region.entry(&p.region).or_default().push(p);
        ix.by_partner.entry(&p.partner).or_default().push(p);
    }
    for r in atlas.regions.values() {
        if let Some(prov) = &r.province {
            ix.members.entry(prov).or_default().push(r);
        }
    }
    for members in ix.members.values_mut() {
        // "Kota Denpasar" beside "Kabupaten Gianyar": by the name, not the prefix.
        members.sort_by_cached_key(|r| {
            let bare = r
                .name
                .strip_prefix("Kota ")
                .or_else(|| r.name.strip_prefix("Kabupaten "));
            bare.unwrap_or(&r.name).to_lowercase()
        });
    }
    ix
}
