//! Decoder for the embedded Natural Earth TopoJSON (npm `world-atlas` 2.0.2).
//!
//! Only what that file uses is supported: a quantized `transform`,
//! delta-encoded arcs, and `Polygon` / `MultiPolygon` geometries in the
//! `countries` object. Doing it by hand keeps the map free of a GIS dependency;
//! the whole format needed here is a few dozen lines.

use serde::Deserialize;

/// The vendored world boundaries; see `world-atlas/README.md`.
pub(crate) const COUNTRIES_110M: &str = include_str!("world-atlas/countries-110m.json");

/// ISO 3166-1 numeric code of Antarctica, which is left off the map: it would
/// take a large band at the bottom and no city partnership involves it.
const ANTARCTICA: &str = "010";

/// The decoded `countries` object: shared arcs and the countries built from
/// them. Arcs are kept separate so they can be simplified once, identically
/// for both neighbours of a border (no slivers or gaps between countries).
#[derive(Debug, Clone)]
pub(crate) struct Atlas {
    /// Arcs in absolute longitude/latitude degrees.
    pub arcs: Vec<Vec<(f64, f64)>>,
    /// In file order, without Antarctica.
    pub countries: Vec<Country>,
}

/// One country (or disputed area).
#[derive(Debug, Clone)]
pub(crate) struct Country {
    /// ISO 3166-1 numeric code as a string ("360"), empty for areas without one
    /// (e.g. Kosovo, Somaliland, N. Cyprus in this file).
    pub numeric: String,
    /// Natural Earth short name (English).
    pub name: String,
    /// Outer rings and holes alike, as arc references (see [`ring`]), all
    /// checked to be in range. They are drawn with the even-odd rule, so
    /// orientation does not matter.
    pub rings: Vec<Vec<i64>>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum DecodeError {
    #[error("invalid TopoJSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("arc index {0} out of range")]
    ArcIndex(i64),
}

#[derive(Deserialize)]
struct Topology {
    #[serde(default)]
    transform: Option<Transform>,
    arcs: Vec<Vec<[f64; 2]>>,
    objects: Objects,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct Objects {
    countries: Collection,
}

#[derive(Deserialize)]
struct Collection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize, Default)]
struct Properties {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    Polygon {
        arcs: Vec<Vec<i64>>,
        #[serde(default)]
        id: Option<String>,
        #[serde(default)]
        properties: Properties,
    },
    MultiPolygon {
        arcs: Vec<Vec<Vec<i64>>>,
        #[serde(default)]
        id: Option<String>,
        #[serde(default)]
        properties: Properties,
    },
    /// Points, lines and null geometries carry no area; skipped.
    #[serde(other)]
    Other,
}

/// Decodes the `countries` object of a TopoJSON topology, without Antarctica.
pub(crate) fn decode(json: &str) -> Result<Atlas, DecodeError> {
    let topo: Topology = serde_json::from_str(json)?;
    let arcs = decode_arcs(&topo.arcs, topo.transform.as_ref());
    let mut countries = Vec::with_capacity(topo.objects.countries.geometries.len());
    for geometry in topo.objects.countries.geometries {
        let (polygons, id, properties) = match geometry {
            Geometry::Polygon {
                arcs,
                id,
                properties,
            } => (vec![arcs], id, properties),
            Geometry::MultiPolygon {
                arcs,
                id,
                properties,
            } => (arcs, id, properties),
            Geometry::Other => continue,
        };
        let numeric = id.unwrap_or_default();
        if numeric == ANTARCTICA {
            continue;
        }
        let rings: Vec<Vec<i64>> = polygons.into_iter().flatten().collect();
        if let Some(&bad) = rings
            .iter()
            .flatten()
            .find(|&&r| arc_index(r) >= arcs.len())
        {
            return Err(DecodeError::ArcIndex(bad));
        }
        countries.push(Country {
            numeric,
            name: properties.name,
            rings,
        });
    }
    Ok(Atlas { arcs, countries })
}

/// The arc a reference points to: a negative reference `r` means arc `!r`
/// walked backwards.
fn arc_index(r: i64) -> usize {
    let i = if r < 0 { !r } else { r };
    usize::try_from(i).unwrap_or(usize::MAX)
}

/// Turns quantized, delta-encoded arcs into absolute longitude/latitude.
/// Without a transform the positions are already absolute.
fn decode_arcs(raw: &[Vec<[f64; 2]>], transform: Option<&Transform>) -> Vec<Vec<(f64, f64)>> {
    raw.iter()
        .map(|arc| match transform {
            Some(t) => {
                let (mut x, mut y) = (0.0, 0.0);
                arc.iter()
                    .map(|&[dx, dy]| {
                        x += dx;
                        y += dy;
                        (
                            x * t.scale[0] + t.translate[0],
                            y * t.scale[1] + t.translate[1],
                        )
                    })
                    .collect()
            }
            None => arc.iter().map(|&[x, y]| (x, y)).collect(),
        })
        .collect()
}

/// Stitches a ring from arc references (reversing arcs referenced as `!i`).
/// Consecutive arcs share their joining point, so it is kept only once.
/// References out of range are skipped; [`decode`] has rejected them already.
pub(crate) fn ring(arcs: &[Vec<(f64, f64)>], refs: &[i64]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for &r in refs {
        let Some(arc) = arcs.get(arc_index(r)) else {
            continue;
        };
        let skip = usize::from(!out.is_empty());
        if r < 0 {
            out.extend(arc.iter().rev().skip(skip));
        } else {
            out.extend(arc.iter().skip(skip));
        }
    }
    out
}
