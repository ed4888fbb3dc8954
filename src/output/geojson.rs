//! `data/partnerships.geojson`: a line from each Indonesian region to its partner,
//! serialised from borrowed structs (fields in alphabetical order, as a JSON object
//! built with `serde_json` would print them).

use crate::index::Indexes;
use crate::model::*;
use crate::urls;
use serde::Serialize;

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

pub(super) fn make(ix: &Indexes) -> Vec<u8> {
    let features = ix
        .all
        .iter()
        .map(|p| {
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
        })
        .collect();
    let all = Collection {
        features,
        kind: "FeatureCollection",
    };
    let mut out = Vec::with_capacity(512 * ix.all.len() + 64);
    let _ = serde_json::to_writer_pretty(&mut out, &all);
    out.push(b'\n');
    out
}
