//! Derived views of the atlas: partnerships grouped by field, country, province, year,
//! kind, status, confidence, region and partner. Built once; pages only read them.

use crate::lang::Lang;
use crate::model::*;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

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
    /// Only looked up, never walked in order, so hashed: a lookup or insert compares no
    /// names on the way (filling the two ordered maps took 3.0M instructions at
    /// N = 1,000, these 0.8M, callgrind), and each is filled on its own thread.
    pub by_region: HashMap<&'a Slug, Vec<&'a Partnership>>,
    pub by_partner: HashMap<&'a PartnerId, Vec<&'a Partnership>>,
    /// Kota and kabupaten of each province.
    pub members: BTreeMap<&'a Slug, Vec<&'a Region>>,
    /// What each partnership links to, by [`Rank`].
    ends: Vec<Ends<'a>>,
}

/// What a partnership names, looked up once: its list line, page, records and maps all
/// need them, and at N = 50,000 searching the atlas's maps of regions and partners for
/// each was a few per cent of a build. Validation guarantees both ends exist; `None`
/// only keeps the functions that read them total.
pub struct Ends<'a> {
    pub region: Option<&'a Region>,
    /// The region's province (the region itself for a province).
    pub province: Option<&'a Region>,
    pub partner: Option<&'a Partner>,
    pub country: Option<&'a Country>,
    /// The default title (see [`title`]).
    pub title: String,
}

impl<'a> Ends<'a> {
    pub fn of(atlas: &'a Atlas, p: &Partnership) -> Ends<'a> {
        let region = atlas.regions.get(&p.region);
        let partner = atlas.partners.get(&p.partner);
        Ends {
            region,
            province: region.map(|r| atlas.province_of(r)),
            partner,
            country: atlas.countries.get(p.partner.country.as_str()),
            title: title_of(p, region, partner),
        }
    }

    /// The title in a language: in English the translation's title, else the default title
    /// with the English names of the places; in Indonesian the entry's own title.
    pub fn title_in(&self, p: &Partnership, lang: Lang) -> String {
        if lang == Lang::Id {
            return self.title.clone();
        }
        if let Some(t) = p.en.as_ref().and_then(|t| t.title.as_ref()) {
            return t.clone();
        }
        let region = self.region.map_or(p.region.as_str(), |r| {
            lang.pick(&r.name, r.name_en.as_deref())
        });
        let partner = self
            .partner
            .map_or(p.partner.slug.as_str(), |r| r.name.as_str());
        format!("{region} – {partner}")
    }
}

impl<'a> Indexes<'a> {
    /// What `p`, a partnership of the indexed atlas, links to.
    pub fn ends(&self, p: &Partnership) -> &Ends<'a> {
        &self.ends[p.rank.0]
    }

    /// The partnerships of region `slug`, in title order; none if it has none.
    pub fn of_region(&self, slug: &Slug) -> &[&'a Partnership] {
        self.by_region.get(slug).map_or(&[], Vec::as_slice)
    }

    /// The partnerships of partner `id`, in title order; none if it has none.
    pub fn of_partner(&self, id: &PartnerId) -> &[&'a Partnership] {
        self.by_partner.get(id).map_or(&[], Vec::as_slice)
    }
}

/// "Jawa Barat – Shizuoka Prefecture": the default title of a partnership.
pub fn title(atlas: &Atlas, p: &Partnership) -> String {
    title_of(
        p,
        atlas.regions.get(&p.region),
        atlas.partners.get(&p.partner),
    )
}

/// [`title`], with the ends already looked up.
fn title_of(p: &Partnership, region: Option<&Region>, partner: Option<&Partner>) -> String {
    if let Some(t) = &p.title {
        return t.clone();
    }
    let region = region.map_or(p.region.as_str(), |r| r.name.as_str());
    let partner = partner.map_or(p.partner.slug.as_str(), |r| r.name.as_str());
    format!("{region} – {partner}")
}

pub fn build(atlas: &Atlas) -> Indexes<'_> {
    use rayon::prelude::*;
    let ends: Vec<Ends> = atlas
        .partnerships
        .par_iter()
        .map(|(_, p)| Ends::of(atlas, p))
        .collect();
    let mut all: Vec<&Partnership> = atlas.partnerships.values().collect();
    all.par_sort_by_cached_key(|p| (ends[p.rank.0].title.to_lowercase(), p.slug.clone()));
    // Three independent passes over the sorted list, side by side.
    let by_date = || {
        let mut recent = all.clone();
        recent.sort_by(|a, b| {
            b.signed
                .is_some()
                .cmp(&a.signed.is_some())
                .then(b.signed.cmp(&a.signed))
        });
        recent
    };
    let by_term = || {
        let (mut field, mut country, mut province, mut year) = Default::default();
        for &p in &all {
            for f in &p.fields {
                group(&mut field, f, p);
            }
            group(&mut country, &p.partner.country, p);
            if let Some(prov) = ends[p.rank.0].province {
                group(&mut province, &prov.slug, p);
            }
            group(&mut year, p.year(), p);
        }
        (field, country, province, year)
    };
    let by_entry = || {
        let (mut kind, mut status, mut confidence) = Default::default();
        for &p in &all {
            group(&mut kind, p.kind, p);
            group(&mut status, p.status, p);
            if let Some(c) = p.confidence {
                group(&mut confidence, c, p);
            }
        }
        (kind, status, confidence)
    };
    let by_end = || {
        rayon::join(
            || hashed(&all, |p| &p.region),
            || hashed(&all, |p| &p.partner),
        )
    };
    let ((recent, terms), (entries, (by_region, by_partner))) = rayon::join(
        || rayon::join(by_date, by_term),
        || rayon::join(by_entry, by_end),
    );
    let (by_field, by_country, by_province, by_year) = terms;
    let (by_kind, by_status, by_confidence) = entries;
    let mut ix = Indexes {
        all,
        recent,
        by_field,
        by_country,
        by_province,
        by_year,
        by_kind,
        by_status,
        by_confidence,
        by_region,
        by_partner,
        members: BTreeMap::new(),
        ends,
    };
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

fn group<'a, K: Ord>(m: &mut BTreeMap<K, Vec<&'a Partnership>>, k: K, p: &'a Partnership) {
    m.entry(k).or_default().push(p);
}

/// The partnerships of `all` by `key`, each list in `all`'s order.
fn hashed<'a, K: Hash + Eq + ?Sized>(
    all: &[&'a Partnership],
    key: impl Fn(&'a Partnership) -> &'a K,
) -> HashMap<&'a K, Vec<&'a Partnership>> {
    let mut m: HashMap<&K, Vec<&Partnership>> = HashMap::with_capacity(all.len() / 2);
    for &p in all {
        m.entry(key(p)).or_default().push(p);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    use std::path::Path;

    /// Each partnership's rank finds its own ends, and the rank does not change what
    /// the entry hashes to (rebuilds fingerprint entries by their hash).
    #[test]
    fn every_partnership_finds_its_own_ends() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (atlas, _) = crate::build::atlas(repo, Path::new("")).expect("load");
        let atlas = atlas.expect("valid content");
        let ix = build(&atlas);
        assert!(atlas.partnerships.len() > 10);
        for p in atlas.partnerships.values() {
            let ends = ix.ends(p);
            assert_eq!(ends.title, title(&atlas, p));
            assert_eq!(ends.region.map(|r| &r.slug), Some(&p.region));
            assert_eq!(ends.partner.map(|x| &x.id), Some(&p.partner));
            let mut moved = p.clone();
            moved.rank = Rank(p.rank.0 + 1);
            let hash = |p: &Partnership| BuildHasherDefault::<DefaultHasher>::default().hash_one(p);
            assert_eq!(hash(p), hash(&moved));
        }
    }
}
