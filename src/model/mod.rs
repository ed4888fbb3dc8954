//! The typed atlas: what validation produces and every later stage trusts.

mod countries;
mod types;

pub use countries::{Countries, Country};
pub use types::*;

use std::collections::BTreeMap;

/// Markdown rendered to safe HTML, with the source keys it cites in order of first
/// citation (which gives their numbers).
#[derive(Debug, Clone, Default, Hash)]
pub struct Body {
    /// Shared, not copied, by every page and template value that shows it.
    pub html: std::sync::Arc<str>,
    pub cited: Vec<String>,
    /// The start of the plain text, at least [`SUMMARY_CHARS`] characters of it when
    /// there are that many: for feed summaries and the search index, which show no
    /// more.
    pub text: String,
}

/// How much of a body's plain text is kept (see [`Body::text`]).
pub const SUMMARY_CHARS: usize = 280;

/// The English version of an entry (`x.en.md`).
#[derive(Debug, Clone, Hash)]
pub struct Translation {
    pub title: Option<String>,
    pub body: Body,
}

#[derive(Debug, Clone, Hash)]
pub struct Field {
    pub id: FieldId,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: Option<String>,
}

#[derive(Debug, Clone, Hash)]
pub struct Region {
    pub slug: Slug,
    pub name: String,
    pub name_en: Option<String>,
    pub level: RegionLevel,
    /// The province of a kota/kabupaten; `None` for a province.
    pub province: Option<Slug>,
    pub code: String,
    pub coordinates: Coordinates,
    pub website: Option<String>,
    pub wikidata: Option<String>,
    pub body: Body,
    pub en: Option<Translation>,
    /// Path of the entry relative to the site root, for edit links.
    pub file: String,
}

#[derive(Debug, Clone, Hash)]
pub struct Partner {
    pub id: PartnerId,
    pub name: String,
    pub name_local: Option<String>,
    pub level: PartnerLevel,
    /// `None` when no gazetteer places it; never guessed.
    pub coordinates: Option<Coordinates>,
    pub website: Option<String>,
    pub wikidata: Option<String>,
    pub body: Body,
    pub en: Option<Translation>,
    pub file: String,
}

#[derive(Debug, Clone, Hash)]
pub struct Document {
    pub kind: DocumentKind,
    pub date: PartialDate,
    pub title: String,
    pub place: Option<String>,
}

#[derive(Debug, Clone, Hash)]
pub struct Event {
    pub date: PartialDate,
    pub title: String,
    pub source: Option<String>,
    pub status: Option<Status>,
}

#[derive(Debug, Clone, Hash)]
pub struct SourceRef {
    pub key: String,
    /// Only when the page's title is known; never reconstructed from its URL.
    pub title: Option<String>,
    pub publisher: String,
    pub url: String,
    pub date: Option<PartialDate>,
    pub accessed: Option<PartialDate>,
}

/// A partnership's place in [`Atlas::partnerships`], so that what is derived from each
/// (`index::Ends`) is kept in a list and found without a search. Not something the
/// entry says: it is left out of the entry's hash, which fingerprints what its pages
/// are made from (`output::memo`), and changes when an entry is added before it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rank(pub usize);

impl std::hash::Hash for Rank {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

#[derive(Debug, Clone, Hash)]
pub struct Partnership {
    pub slug: Slug,
    pub title: Option<String>,
    pub region: Slug,
    pub partner: PartnerId,
    pub kind: Kind,
    pub status: Status,
    pub confidence: Option<Confidence>,
    pub signed: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub fields: Vec<FieldId>,
    pub documents: Vec<Document>,
    pub events: Vec<Event>,
    pub sources: Vec<SourceRef>,
    pub last_verified: Option<PartialDate>,
    pub body: Body,
    pub en: Option<Translation>,
    pub file: String,
    pub rank: Rank,
}

/// A standalone page (`content/pages/about.md`).
#[derive(Debug, Clone, Hash)]
pub struct Page {
    pub slug: Slug,
    pub title: String,
    pub sources: Vec<SourceRef>,
    pub body: Body,
    pub en: Option<Translation>,
    pub file: String,
}

/// Everything the site is made of, valid and cross-referenced.
#[derive(Debug)]
pub struct Atlas {
    pub countries: Countries,
    pub fields: BTreeMap<FieldId, Field>,
    pub regions: BTreeMap<Slug, Region>,
    pub partners: BTreeMap<PartnerId, Partner>,
    pub partnerships: BTreeMap<Slug, Partnership>,
    pub pages: BTreeMap<Slug, Page>,
}

impl Partnership {
    /// The year it began: the year of `signed`, or, when nothing was signed yet (a
    /// planned partnership), the year of its first dated step.
    pub fn year(&self) -> Option<u16> {
        let first_step = self
            .documents
            .iter()
            .map(|d| d.date)
            .chain(self.events.iter().map(|e| e.date))
            .min();
        let first_step = first_step.filter(|_| self.status == Status::Planned);
        self.signed.or(first_step).map(|d| d.year)
    }
}

impl Atlas {
    /// The province a region belongs to (itself for a province).
    pub fn province_of<'a>(&'a self, region: &'a Region) -> &'a Region {
        region
            .province
            .as_ref()
            .and_then(|p| self.regions.get(p))
            .unwrap_or(region)
    }
}
