//! A partnership's open-data record (`partnerships/<slug>.json`, and one element of
//! `data/partnerships.json`), borrowed from the model and serialised straight to bytes.
//!
//! The keys of every object are declared in alphabetical order: that is the order the
//! files have always had, and readers diffing two releases rely on it.

use crate::index;
use crate::model::*;
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
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

#[derive(Serialize)]
struct CountryRecord<'a> {
    code: String,
    name_en: &'a str,
    name_id: &'a str,
}

#[derive(Serialize)]
struct DocumentRecord<'a> {
    date: PartialDate,
    kind: DocumentKind,
    place: Option<&'a str>,
    title: &'a str,
}

#[derive(Serialize)]
struct EventRecord<'a> {
    date: PartialDate,
    source: Option<&'a str>,
    status: Option<Status>,
    title: &'a str,
}

#[derive(Serialize)]
struct PartnerRecord<'a> {
    coordinates: Option<Coordinates>,
    country: String,
    id: &'a PartnerId,
    level: PartnerLevel,
    name: &'a str,
    name_local: Option<&'a str>,
}

#[derive(Serialize)]
struct RegionRecord<'a> {
    code: &'a str,
    coordinates: Coordinates,
    level: RegionLevel,
    name: &'a str,
    name_en: Option<&'a str>,
    province: &'a Slug,
    slug: &'a Slug,
}

#[derive(Serialize)]
struct SourceRecord<'a> {
    accessed: Option<PartialDate>,
    date: Option<PartialDate>,
    key: &'a str,
    publisher: &'a str,
    title: Option<&'a str>,
    url: &'a str,
}

pub fn record<'a>(atlas: &'a Atlas, p: &'a Partnership) -> Record<'a> {
    Record {
        confidence: p.confidence,
        country: atlas
            .countries
            .get(p.partner.country.as_str())
            .map(|c| CountryRecord {
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
        history_en_html: p.en.as_ref().map(|t| t.body.html.as_str()),
        history_html: &p.body.html,
        kind: p.kind,
        last_verified: p.last_verified,
        page: urls::partnership(&p.slug),
        partner: atlas.partners.get(&p.partner).map(|x| PartnerRecord {
            coordinates: x.coordinates,
            country: x.id.country.upper(),
            id: &x.id,
            level: x.level,
            name: &x.name,
            name_local: x.name_local.as_deref(),
        }),
        region: atlas.regions.get(&p.region).map(|r| RegionRecord {
            code: &r.code,
            coordinates: r.coordinates,
            level: r.level,
            name: &r.name,
            name_en: r.name_en.as_deref(),
            province: &atlas.province_of(r).slug,
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
        title: index::title(atlas, p),
        until: p.until,
    }
}
