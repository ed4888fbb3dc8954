//! The world map, drawn at build time as inline SVG.
//!
//! This module owns everything between the vendored Natural Earth boundaries
//! (`world-atlas/countries-110m.json`, see its README) and a finished
//! `<svg>` element: decoding the TopoJSON ([`topojson`]), projecting it with
//! Equal Earth centred on 120°E ([`projection`]), encoding compact path data
//! ([`path`]) and writing the SVG with countries, partnership arcs and place
//! markers. It knows nothing about the site's content model: the caller says
//! what to highlight, link and mark through a [`MapSpec`].
//!
//! Usage: build one [`WorldMap`] per build with [`WorldMap::builtin`] (it
//! decodes and projects the whole world, a few milliseconds), write its
//! [`WorldMap::base_files`] into the site and call [`WorldMap::svg`] for every
//! page; that call only assembles pre-built path strings, so it is cheap and
//! deterministic (same spec, same bytes). A page's map draws the world from a
//! base file it links to and inlines only its own countries, arcs and markers.
//!
//! The SVG looks right on its own (presentation attributes) and carries
//! classes for a stylesheet: `world-map` (root), `map-base` (the `<image>` of
//! the base map, which a page's stylesheet cannot reach into), `countries`
//! (group of the highlighted and linked countries; linked ones that are not
//! highlighted are bare `path`s in it), `country-highlight`, `map-country`
//! (link around a country), `arcs`,
//! `map-arc` (link or group per arc) with `map-arc-line` and the invisible,
//! wider `map-arc-hit`, `places`, and `map-place` plus `map-place-indonesia` or
//! `map-place-partner` (link or circle per place).
//!
//! Boundaries: Natural Earth 1:110m (public domain) via the npm package
//! `world-atlas` 2.0.2 (ISC); made with Natural Earth.

mod path;
mod projection;
mod svg;
mod topojson;

#[cfg(test)]
mod tests;

use path::{PathBuilder, Rect};
use projection::{height, project_relative, ring_parts, unwrap_ring};

/// How hard the boundaries are simplified (canvas units; the world is 1000
/// wide, so 0.1 unit is about 4 km at the equator).
#[derive(Debug, Clone, Copy)]
struct Detail {
    /// Douglas–Peucker tolerance: points deviating less than this from the
    /// simplified line are dropped.
    tolerance: f64,
    /// Points closer than this to the previous kept point are dropped.
    min_step: f64,
}

/// For maps showing more than half the world's width. A world map is never
/// shown much wider than ~1200 px, where 0.6 unit is under a pixel; this keeps
/// the coarse base map around 45 KB.
const COARSE: Detail = Detail {
    tolerance: 0.6,
    min_step: 0.4,
};
/// For zoomed-in `View::Fit` maps, which are magnified 2–6×: the fine base map
/// (about 65 KB, fetched once by a browser) and the countries a page highlights.
const FINE: Detail = Detail {
    tolerance: 0.15,
    min_step: 0.15,
};

/// The projected world, ready to be written as SVG any number of times.
#[derive(Debug, Clone)]
pub struct WorldMap {
    /// Canvas height; the width is always 1000 units.
    height: f64,
    /// Path data of the sphere outline (ocean and clip path).
    sphere: String,
    countries: Vec<CountryShape>,
    /// The base maps, coarse and fine ([`BASE_FILES`]): standalone SVG files of
    /// every country, drawn under each map as an `<image>`.
    base: [String; 2],
}

/// Where the base maps go in the site, coarse and fine. Every map on every page
/// shows one of them as its background, so a browser fetches the ~50 KB of world
/// boundaries once instead of with every page; a page's map only carries what
/// is its own (highlighted and linked countries, arcs, markers).
pub const BASE_FILES: [&str; 2] = ["map/world.svg", "map/world-detail.svg"];

#[derive(Debug, Clone)]
struct CountryShape {
    numeric: String,
    /// Natural Earth name (English), unescaped.
    name: String,
    /// Path data simplified for world-sized views (`[0]`) and for zoomed-in
    /// ones (`[1]`); either may be empty for a tiny country.
    d: [String; 2],
    /// Extents of the drawn rings: one for the rings in place and one for
    /// each side their parts beyond the cut reappear on. Used to skip
    /// countries outside a `View::Fit` crop.
    extents: Vec<Rect>,
}

/// What to draw on one map. All text is escaped; `href`s are used verbatim
/// (apart from XML escaping), so relative URLs work.
#[derive(Debug, Clone, Copy)]
pub struct MapSpec<'a> {
    /// Unique (per page) prefix for ids inside the SVG: `{id}-title`,
    /// `{id}-desc`, `{id}-clip`.
    pub id: &'a str,
    /// The site's root relative to the page (`""`, `"../"`…): the base map is
    /// `{root}{BASE_FILES[i]}`.
    pub root: &'a str,
    /// Accessible name, written as `<title>`.
    pub title: &'a str,
    /// Longer accessible description, written as `<desc>`.
    pub description: &'a str,
    /// ISO 3166-1 numeric codes ("360") of countries filled in the highlight
    /// colour.
    pub highlight: &'a [&'a str],
    /// Countries whose shape becomes a link.
    pub country_links: &'a [CountryLink<'a>],
    /// Markers, drawn in this order (later ones on top).
    pub places: &'a [Place<'a>],
    /// Connections, drawn under the markers.
    pub arcs: &'a [Arc<'a>],
    /// The part of the world shown.
    pub view: View,
}

/// A country shape turned into a link; `name` is its accessible name and
/// tooltip (replacing the English Natural Earth name).
#[derive(Debug, Clone, Copy)]
pub struct CountryLink<'a> {
    pub numeric: &'a str,
    pub href: &'a str,
    pub name: &'a str,
}

/// A marker at a position in degrees (east, north). Places with non-finite
/// coordinates are not drawn.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub lon: f64,
    pub lat: f64,
    pub name: &'a str,
    pub href: Option<&'a str>,
    pub kind: PlaceKind,
}

/// Which side of a partnership a place is on; sets colour and class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Indonesia,
    Partner,
}

/// A curved line between two (lon, lat) positions, in degrees; see
/// [`WorldMap::svg`] for which way round it goes. Arcs with non-finite
/// coordinates are not drawn.
#[derive(Debug, Clone, Copy)]
pub struct Arc<'a> {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub href: Option<&'a str>,
    pub name: &'a str,
}

/// Which part of the world the `viewBox` shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum View {
    /// The whole world.
    World,
    /// The bounding box of the places plus `padding` (canvas units; the world
    /// is 1000 wide), at least 1/6 of the world's width and height, with an
    /// aspect ratio between 1:1 and 2.1:1, and never outside the world.
    /// Without places this is the whole world.
    Fit { padding: f64 },
}

impl WorldMap {
    /// Decodes and projects the embedded Natural Earth 1:110m countries
    /// (without Antarctica). Keep the result and reuse it for every map.
    pub fn builtin() -> WorldMap {
        // The embedded file is a packaging invariant checked by the unit
        // tests; should it ever be broken, draw an empty sphere rather than
        // fail the build.
        Self::from_topojson(topojson::COUNTRIES_110M)
            .unwrap_or_else(|_| Self::with(sphere_path(), Vec::new()))
    }

    fn from_topojson(json: &str) -> Result<WorldMap, topojson::DecodeError> {
        let atlas = topojson::decode(json)?;
        let simplified = |detail: Detail| -> Vec<Vec<(f64, f64)>> {
            atlas.arcs.iter().map(|a| simplify_arc(a, detail)).collect()
        };
        let (coarse, fine) = (simplified(COARSE), simplified(FINE));
        let countries = atlas
            .countries
            .iter()
            .filter_map(|c| {
                let (d_coarse, extents) = country_path(&coarse, &c.rings);
                let (d_fine, _) = country_path(&fine, &c.rings);
                // A country too small to draw at this scale is left out.
                (!d_fine.is_empty()).then(|| CountryShape {
                    numeric: c.numeric.clone(),
                    name: c.name.clone(),
                    d: [d_coarse, d_fine],
                    extents,
                })
            })
            .collect();
        Ok(Self::with(sphere_path(), countries))
    }

    fn with(sphere: String, countries: Vec<CountryShape>) -> WorldMap {
        let mut map = WorldMap {
            height: height(),
            sphere,
            countries,
            base: Default::default(),
        };
        map.base = [0, 1].map(|level| map.base_svg(level));
        map
    }

    /// The base maps as files of the site: ([`BASE_FILES`] path, SVG).
    pub fn base_files(&self) -> impl Iterator<Item = (&'static str, &[u8])> {
        BASE_FILES
            .into_iter()
            .zip(self.base.iter().map(|s| s.as_bytes()))
    }
}

/// Path data of one country from (simplified) arcs, with its extents: one
/// per longitude shift (0, +360°, -360°), so a country split across the cut
/// is not taken to span the whole map.
fn country_path(arcs: &[Vec<(f64, f64)>], rings: &[Vec<i64>]) -> (String, Vec<Rect>) {
    let mut builder = PathBuilder::new();
    let mut extents = [Rect::EMPTY; 3];
    for refs in rings {
        let unwrapped = unwrap_ring(&topojson::ring(arcs, refs));
        for (shift, part) in ring_parts(unwrapped) {
            let projected: Vec<(f64, f64)> = part
                .iter()
                .map(|&(lon, lat)| project_relative(lon, lat))
                .collect();
            let slot = usize::from(shift > 0.0) + 2 * usize::from(shift < 0.0);
            projected.iter().for_each(|&p| extents[slot].include(p));
            builder.ring(&projected);
        }
    }
    let extents = extents.into_iter().filter(|r| r.width() >= 0.0).collect();
    (builder.finish(), extents)
}

/// Simplifies one arc in projected space. Arcs are shared by neighbouring
/// countries, so simplifying them before the rings are stitched keeps the
/// common borders identical (no slivers or gaps).
fn simplify_arc(arc: &[(f64, f64)], detail: Detail) -> Vec<(f64, f64)> {
    let projected: Vec<(f64, f64)> = unwrap_ring(arc)
        .into_iter()
        .map(|(lon, lat)| project_relative(lon, lat))
        .collect();
    path::simplify(&projected, detail.tolerance, detail.min_step)
        .into_iter()
        .filter_map(|i| arc.get(i).copied())
        .collect()
}

fn sphere_path() -> String {
    let mut b = PathBuilder::new();
    b.ring(&projection::sphere_outline());
    b.finish()
}
