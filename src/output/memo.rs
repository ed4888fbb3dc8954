//! What a build into memory remembers for the next one (`kembar serve`): each file's
//! fingerprint, a hash of everything the file is made from, and each page's links. A
//! rebuild renders only the files whose fingerprint changed; the others keep the bytes
//! the last build gave them.
//!
//! A page's fingerprint covers the configuration, the theme and the field list (which
//! every page reads), its path, and the entries it shows: a partnership's page its
//! partnership with the region, province and partner its summary names; a region's,
//! partner's or term's page the partnerships it lists, in order. Whole-site files (the
//! home page, the full lists, feeds, data downloads) depend on every entry.

use super::data::Data;
use super::links::PageLinks;
use super::pages::{Deferred, Job, Make};
use crate::config::Config;
use crate::index::Indexes;
use crate::model::{Atlas, CountryCode, PartnerId, Partnership, Region, Slug};
use crate::render::Theme;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3Default;

/// Each file of the last build: its fingerprint, and for a page its links (the next
/// build checks links across the whole site, also of the pages it does not render).
#[derive(Default)]
pub struct Memo {
    files: HashMap<String, Remembered>,
}

pub(super) struct Remembered {
    pub print: u64,
    pub bytes: usize,
    pub links: Option<Arc<PageLinks>>,
}

impl Memo {
    /// Every file of the site the memo describes.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub(super) fn get(&self, path: &str) -> Option<&Remembered> {
        self.files.get(path)
    }

    pub(super) fn insert(
        &mut self,
        path: String,
        print: u64,
        bytes: usize,
        links: Option<Arc<PageLinks>>,
    ) {
        let file = Remembered {
            print,
            bytes,
            links,
        };
        self.files.insert(path, file);
    }

    /// Whether a file of this memo is not among `paths`: a page that linked to it may
    /// now have a broken link without its own inputs changing.
    pub(super) fn lost_any<'p>(&self, paths: impl IntoIterator<Item = &'p str>) -> bool {
        let now: std::collections::HashSet<&str> = paths.into_iter().collect();
        self.files.keys().any(|p| !now.contains(p.as_str()))
    }
}

/// The fingerprints of the atlas's entries, made once per build.
pub(super) struct Prints<'a> {
    /// What every file reads: configuration, theme, fields.
    global: u64,
    /// Every entry: for files that show the whole atlas.
    site: u64,
    /// A partnership with the region, province and partner its summary names.
    partnerships: HashMap<&'a Slug, u64>,
    regions: HashMap<&'a Slug, u64>,
    /// The partners of each country, for the map on its page.
    countries: HashMap<&'a CountryCode, u64>,
    partners: HashMap<&'a PartnerId, u64>,
}

fn hash_of(parts: impl Hash) -> u64 {
    let mut h = Xxh3Default::new();
    parts.hash(&mut h);
    h.finish()
}

impl<'a> Prints<'a> {
    pub fn new(atlas: &'a Atlas, config: &Config, theme: &Theme) -> Prints<'a> {
        let global = hash_of((config, theme, atlas.fields.values().collect::<Vec<_>>()));
        let regions: HashMap<&Slug, u64> = atlas
            .regions
            .par_iter()
            .map(|(k, r)| (k, hash_of(r)))
            .collect();
        let partners: HashMap<&PartnerId, u64> = atlas
            .partners
            .par_iter()
            .map(|(k, x)| (k, hash_of(x)))
            .collect();
        let region = |s: &Slug| regions.get(s).copied();
        let partnerships: HashMap<&Slug, u64> = atlas
            .partnerships
            .par_iter()
            .map(|(k, p)| {
                let province = atlas.regions.get(&p.region).map(|r| atlas.province_of(r));
                let named = (
                    region(&p.region),
                    province.and_then(|r| region(&r.slug)),
                    partners.get(&p.partner),
                );
                (k, hash_of((p, named)))
            })
            .collect();
        let mut countries: HashMap<&CountryCode, Xxh3Default> = HashMap::new();
        for (id, x) in &atlas.partners {
            partners[id].hash(countries.entry(&x.id.country).or_default());
        }
        let countries = countries
            .into_iter()
            .map(|(c, h)| (c, h.finish()))
            .collect();
        // In the atlas's order: the same entries always give the same fingerprint.
        let mut all = Xxh3Default::new();
        global.hash(&mut all);
        atlas
            .partnerships
            .keys()
            .for_each(|k| partnerships[k].hash(&mut all));
        atlas.regions.keys().for_each(|k| regions[k].hash(&mut all));
        atlas
            .partners
            .keys()
            .for_each(|k| partners[k].hash(&mut all));
        atlas.pages.values().for_each(|p| p.hash(&mut all));
        Prints {
            global,
            site: all.finish(),
            partnerships,
            regions,
            countries,
            partners,
        }
    }

    /// The fingerprint of one file of the site.
    pub fn of(&self, job: &Job, ix: &Indexes) -> u64 {
        let mut h = Xxh3Default::new();
        (self.global, &job.path).hash(&mut h);
        match &job.make {
            Make::Page {
                template,
                lang,
                context,
            } => {
                (template, lang).hash(&mut h);
                match context {
                    Deferred::Partnership(p) => self.partnership(p).hash(&mut h),
                    Deferred::Region(r) => self.region_page(r, ix, &mut h),
                    Deferred::Partner(x) => {
                        self.partners.get(&x.id).hash(&mut h);
                        self.list(ix.of_partner(&x.id), &mut h);
                    }
                    Deferred::List { items, map_of, .. } => {
                        self.list(items, &mut h);
                        map_of.map(|c| self.countries.get(c)).hash(&mut h);
                    }
                    Deferred::Ready(_) | Deferred::Lazy(_) => self.site.hash(&mut h),
                }
            }
            Make::Data(Data::Record(p)) => self.partnership(p).hash(&mut h),
            Make::Data(_) | Make::Plain { .. } | Make::Bytes(_) => self.site.hash(&mut h),
        }
        h.finish()
    }

    fn partnership(&self, p: &Partnership) -> Option<u64> {
        self.partnerships.get(&p.slug).copied()
    }

    fn list(&self, items: &[&Partnership], h: &mut Xxh3Default) {
        items.len().hash(h);
        for p in items {
            self.partnership(p).hash(h);
        }
    }

    /// Its own facts, its province's name, its partnerships, and each member's name
    /// and partnerships.
    fn region_page(&self, r: &Region, ix: &Indexes, h: &mut Xxh3Default) {
        let region = |s: &Slug| self.regions.get(s).copied();
        (region(&r.slug), r.province.as_ref().map(region)).hash(h);
        self.list(ix.of_region(&r.slug), h);
        for m in ix.members.get(&r.slug).into_iter().flatten() {
            region(&m.slug).hash(h);
            self.list(ix.of_region(&m.slug), h);
        }
    }
}
