//! A partnership's open-data record (`partnerships/<slug>.json`, and one element of
//! `data/partnerships.json`), borrowed from the model and written straight to bytes.
//!
//! The keys of every object are in alphabetical order: that is the order the files
//! have always had, and readers diffing two releases rely on it. The records are
//! written by hand ([`Record::write`]) in the layout serde_json's pretty printer gives
//! the derived `Serialize`, which the tests hold them to: a tenth of a build went to
//! serde_json escaping the histories (see [`super::json`]).

use super::json::Pretty;
use crate::index::Ends;
use crate::model::*;
use crate::urls;

#[cfg_attr(test, derive(serde::Serialize))]
pub struct Record<'a> {
    confidence: Option<Confidence>,
    country: Option<CountryRecord<'a>>,
    documents: Vec<DocumentRecord<'a>>,
    events: Vec<EventRecord<'a>>,
    fields: &'a [FieldId],
    history_en_html: Option<&'a str>,
    history_html: &'a str,
    kind: Kind,
    last_verified: Option<PartialDate>,
    page: String,
    partner: Option<PartnerRecord<'a>>,
    region: Option<RegionRecord<'a>>,
    signed: Option<PartialDate>,
    slug: &'a Slug,
    sources: Vec<SourceRecord<'a>>,
    status: Status,
    title: String,
    until: Option<PartialDate>,
}

#[cfg_attr(test, derive(serde::Serialize))]
struct CountryRecord<'a> {
    code: String,
    name_en: &'a str,
    name_id: &'a str,
}

#[cfg_attr(test, derive(serde::Serialize))]
struct DocumentRecord<'a> {
    date: PartialDate,
    kind: DocumentKind,
    place: Option<&'a str>,
    title: &'a str,
}

#[cfg_attr(test, derive(serde::Serialize))]
struct EventRecord<'a> {
    date: PartialDate,
    source: Option<&'a str>,
    status: Option<Status>,
    title: &'a str,
}

#[cfg_attr(test, derive(serde::Serialize))]
struct PartnerRecord<'a> {
    coordinates: Option<Coordinates>,
    country: String,
    id: &'a PartnerId,
    level: PartnerLevel,
    name: &'a str,
    name_local: Option<&'a str>,
}

#[cfg_attr(test, derive(serde::Serialize))]
struct RegionRecord<'a> {
    code: &'a str,
    coordinates: Coordinates,
    level: RegionLevel,
    name: &'a str,
    name_en: Option<&'a str>,
    province: &'a Slug,
    slug: &'a Slug,
}

#[cfg_attr(test, derive(serde::Serialize))]
struct SourceRecord<'a> {
    accessed: Option<PartialDate>,
    date: Option<PartialDate>,
    key: &'a str,
    publisher: &'a str,
    title: Option<&'a str>,
    url: &'a str,
}

pub fn record<'a>(ends: &Ends<'a>, p: &'a Partnership) -> Record<'a> {
    Record {
        confidence: p.confidence,
        country: ends.country.map(|c| CountryRecord {
            code: c.code.upper(),
            name_en: &c.name_en,
            name_id: &c.name_id,
        }),
        documents: p
            .documents
            .iter()
            .map(|d| DocumentRecord {
                date: d.date,
                kind: d.kind,
                place: d.place.as_deref(),
                title: &d.title,
            })
            .collect(),
        events: p
            .events
            .iter()
            .map(|e| EventRecord {
                date: e.date,
                source: e.source.as_deref(),
                status: e.status,
                title: &e.title,
            })
            .collect(),
        fields: &p.fields,
        history_en_html: p.en.as_ref().map(|t| &*t.body.html),
        history_html: &p.body.html,
        kind: p.kind,
        last_verified: p.last_verified,
        page: urls::partnership(&p.slug),
        partner: ends.partner.map(|x| PartnerRecord {
            coordinates: x.coordinates,
            country: x.id.country.upper(),
            id: &x.id,
            level: x.level,
            name: &x.name,
            name_local: x.name_local.as_deref(),
        }),
        region: ends.region.map(|r| RegionRecord {
            code: &r.code,
            coordinates: r.coordinates,
            level: r.level,
            name: &r.name,
            name_en: r.name_en.as_deref(),
            province: &ends.province.unwrap_or(r).slug,
            slug: &r.slug,
        }),
        signed: p.signed,
        slug: &p.slug,
        sources: p
            .sources
            .iter()
            .map(|s| SourceRecord {
                accessed: s.accessed,
                date: s.date,
                key: &s.key,
                publisher: &s.publisher,
                title: s.title.as_deref(),
                url: &s.url,
            })
            .collect(),
        status: p.status,
        title: ends.title.clone(),
        until: p.until,
    }
}

impl Record<'_> {
    /// Writes the record as an object at `w`'s depth.
    pub fn write(&self, w: &mut Pretty) {
        w.object(|w| {
            w.field("confidence", &self.confidence);
            w.object_or_null("country", self.country.as_ref(), |w, c| {
                w.field("code", &c.code);
                w.field("name_en", c.name_en);
                w.field("name_id", c.name_id);
            });
            w.array("documents", &self.documents, |w, d| {
                w.object(|w| {
                    w.field("date", &d.date);
                    w.field("kind", &d.kind);
                    w.field("place", &d.place);
                    w.field("title", d.title);
                })
            });
            w.array("events", &self.events, |w, e| {
                w.object(|w| {
                    w.field("date", &e.date);
                    w.field("source", &e.source);
                    w.field("status", &e.status);
                    w.field("title", e.title);
                })
            });
            w.array("fields", self.fields, |w, f| w.scalar(f));
            w.text("history_en_html", self.history_en_html);
            w.text("history_html", Some(self.history_html));
            w.field("kind", &self.kind);
            w.field("last_verified", &self.last_verified);
            w.field("page", &self.page);
            w.object_or_null("partner", self.partner.as_ref(), |w, x| {
                coordinates(w, x.coordinates.as_ref());
                w.field("country", &x.country);
                w.field("id", x.id);
                w.field("level", &x.level);
                w.field("name", x.name);
                w.field("name_local", &x.name_local);
            });
            w.object_or_null("region", self.region.as_ref(), |w, r| {
                w.field("code", r.code);
                coordinates(w, Some(&r.coordinates));
                w.field("level", &r.level);
                w.field("name", r.name);
                w.field("name_en", &r.name_en);
                w.field("province", r.province);
                w.field("slug", r.slug);
            });
            w.field("signed", &self.signed);
            w.field("slug", self.slug);
            w.array("sources", &self.sources, |w, s| {
                w.object(|w| {
                    w.field("accessed", &s.accessed);
                    w.field("date", &s.date);
                    w.field("key", s.key);
                    w.field("publisher", s.publisher);
                    w.field("title", &s.title);
                    w.field("url", s.url);
                })
            });
            w.field("status", &self.status);
            w.field("title", &self.title);
            w.field("until", &self.until);
        });
    }
}

fn coordinates(w: &mut Pretty, c: Option<&Coordinates>) {
    w.object_or_null("coordinates", c, |w, c| {
        w.field("lat", &c.lat);
        w.field("lon", &c.lon);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every record of the atlas and of the test site, written at two depths, is what
    /// serde_json prints for the derived `Serialize`.
    #[test]
    fn records_are_laid_out_as_serde_json_prints_them() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for root in [repo.to_path_buf(), repo.join("tests/fixtures/site")] {
            let (atlas, _) = crate::build::atlas(&root, Path::new("")).expect("load");
            let atlas = atlas.expect("valid content");
            let ix = crate::index::build(&atlas);
            for p in atlas.partnerships.values() {
                let r = record(ix.ends(p), p);
                let expected = serde_json::to_string_pretty(&r).unwrap();
                for depth in [0, 1] {
                    let mut w = Pretty::new(0, depth);
                    r.write(&mut w);
                    let indented = expected.replace('\n', &format!("\n{}", "  ".repeat(depth)));
                    assert_eq!(String::from_utf8(w.out).unwrap(), indented, "{}", p.slug);
                }
                checked += 1;
            }
        }
        assert!(checked > 10, "only {checked} records");
    }
}
