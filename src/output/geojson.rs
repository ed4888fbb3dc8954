//! `data/partnerships.geojson`: a line from each Indonesian region to its partner,
//! serialised from borrowed structs (fields in alphabetical order, as a JSON object
//! built with `serde_json` would print them).

use super::Part;
use crate::index::Indexes;
use crate::model::*;
use crate::urls;
use serde::Serialize;
use std::sync::Arc;

#[derive(Serialize)]
struct Collection<'a> {
    features: Vec<Feature<'a>>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Feature<'a> {
    /// `None` when the partner has no coordinates: never a guessed point.
    geometry: Option<Line>,
    properties: Properties<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Line {
    coordinates: [[f64; 2]; 2],
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Properties<'a> {
    confidence: Option<Confidence>,
    country: String,
    fields: &'a [FieldId],
    kind: Kind,
    page: String,
    partner: &'a PartnerId,
    region: &'a Slug,
    signed: Option<PartialDate>,
    slug: &'a Slug,
    status: Status,
    title: String,
}

/// The file in parts, its features made in parallel in chunks of [`super::data::CHUNK`]:
/// laid out as `serde_json::to_writer_pretty` lays out the whole collection, each
/// feature printed on its own and moved two levels in.
pub(super) fn make(ix: &Indexes) -> Vec<Part> {
    if ix.all.is_empty() {
        let all = Collection {
            features: Vec::new(),
            kind: "FeatureCollection",
        };
        let mut out = Vec::new();
        let _ = serde_json::to_writer_pretty(&mut out, &all);
        out.push(b'\n');
        return vec![Arc::new(out)];
    }
    let ends = (
        &b"{\n  \"features\": ["[..],
        &b","[..],
        &b"\n  ],\n  \"type\": \"FeatureCollection\"\n}\n"[..],
    );
    super::data::joined(&ix.all, ends, |out, p| {
        out.extend_from_slice(b"\n    ");
        let one = serde_json::to_vec_pretty(&feature(ix, p)).unwrap_or_default();
        super::data::pad_into(out, &one, b"    ");
    })
}

fn feature<'a>(ix: &Indexes<'a>, p: &'a Partnership) -> Feature<'a> {
    let ends = ix.ends(p);
    let a = ends.region.map(|r| r.coordinates);
    let b = ends.partner.and_then(|x| x.coordinates);
    Feature {
        geometry: a.zip(b).map(|(a, b)| Line {
            coordinates: [[a.lon, a.lat], [b.lon, b.lat]],
            kind: "LineString",
        }),
        properties: Properties {
            confidence: p.confidence,
            country: p.partner.country.upper(),
            fields: &p.fields,
            kind: p.kind,
            page: urls::partnership(&p.slug),
            partner: &p.partner,
            region: &p.region,
            signed: p.signed,
            slug: &p.slug,
            status: p.status,
            title: ends.title.clone(),
        },
        kind: "Feature",
    }
}
