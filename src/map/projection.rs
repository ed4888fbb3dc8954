//! Equal Earth projection onto the fixed map canvas, centred on 120°E.
//!
//! Equal Earth (Šavrič, Patterson & Jenny 2018) is an equal-area
//! pseudocylindrical projection: countries keep their relative sizes, which
//! matters when the map is read as "where are the partners". The central
//! meridian is 120°E so Indonesia sits in the middle, the Americas on the right
//! and Europe/Africa on the left; the cut (the map's left and right edge) then
//! falls on 60°W, in the Atlantic.

use std::f64::consts::PI;

/// Longitude (degrees east) drawn in the middle of the map.
pub(crate) const CENTRAL_MERIDIAN: f64 = 120.0;
/// Canvas width in SVG user units; the height follows from the projection.
pub(crate) const WIDTH: f64 = 1000.0;

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;
/// sqrt(3) / 2, spelled out because `f64::sqrt` is not `const`.
const M: f64 = 0.866_025_403_784_438_6;

/// The raw Equal Earth formulas on the unit sphere: radians in, y up.
pub(crate) fn equal_earth(lambda: f64, phi: f64) -> (f64, f64) {
    let theta = (M * phi.sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = lambda * theta.cos() / (M * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Half the raw width: the equator meets the map edge at λ = ±π.
fn raw_half_width() -> f64 {
    equal_earth(PI, 0.0).0
}

/// Half the raw height: the pole lines.
fn raw_half_height() -> f64 {
    equal_earth(0.0, PI / 2.0).1
}

/// Canvas units per raw unit.
fn scale() -> f64 {
    WIDTH / (2.0 * raw_half_width())
}

/// Canvas height in SVG user units (about 486.7 for a width of 1000).
pub(crate) fn height() -> f64 {
    2.0 * raw_half_height() * scale()
}

/// Wraps a longitude (degrees east) into the map's frame: degrees relative to
/// the central meridian, in [-180, 180).
pub(crate) fn relative_lon(lon: f64) -> f64 {
    (lon - CENTRAL_MERIDIAN + 180.0).rem_euclid(360.0) - 180.0
}

/// Projects a longitude already relative to the central meridian (it may lie
/// outside ±180 for the shifted copy of a ring crossing the cut) to canvas
/// coordinates, y down.
pub(crate) fn project_relative(rel_lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = equal_earth(rel_lon.to_radians(), lat.clamp(-90.0, 90.0).to_radians());
    let s = scale();
    (WIDTH / 2.0 + s * x, height() / 2.0 - s * y)
}

/// Projects a point given in ordinary longitude/latitude degrees.
pub(crate) fn project(lon: f64, lat: f64) -> (f64, f64) {
    project_relative(relative_lon(lon), lat)
}

/// Makes a ring's relative longitudes continuous: each point takes the
/// representative of its longitude closest to the previous point, so a ring
/// crossing the cut meridian does not jump across the whole map. The first
/// point is wrapped into [-180, 180).
pub(crate) fn unwrap_ring(ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(ring.len());
    let mut prev: Option<(f64, f64)> = None;
    for &(lon, lat) in ring {
        let rel = match prev {
            None => relative_lon(lon),
            Some((prev_lon, prev_rel)) => {
                prev_rel + (lon - prev_lon + 180.0).rem_euclid(360.0) - 180.0
            }
        };
        out.push((rel, lat));
        prev = Some((lon, rel));
    }
    out
}

/// How far (degrees) past the map edge a ring split at the cut is kept, so
/// the split line (and the white border drawn along it) lies outside the
/// sphere, where the clip path hides it.
const CUT_MARGIN: f64 = 1.0;

/// The pieces to draw for an unwrapped ring, each with the longitude shift
/// already applied (`0`, `360` or `-360`, returned alongside).
///
/// A ring within ±180° is drawn as it is. A ring poking out past one edge is
/// drawn twice: once cut just beyond that edge, and once shifted by 360° to
/// reappear at the other edge, cut just beyond it; the clip path trims both
/// to the sphere. Cutting instead of drawing two whole copies keeps the
/// invisible half out of the SVG.
pub(crate) fn ring_parts(unwrapped: Vec<(f64, f64)>) -> Vec<(f64, Vec<(f64, f64)>)> {
    const EPS: f64 = 1e-9;
    let (min, max) = unwrapped
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(l, _)| {
            (lo.min(l), hi.max(l))
        });
    let shift = |ring: Vec<(f64, f64)>, by: f64| {
        let moved = ring.into_iter().map(|(l, p)| (l + by, p)).collect();
        (by, moved)
    };
    match (min < -180.0 - EPS, max > 180.0 + EPS) {
        (false, false) => vec![(0.0, unwrapped)],
        (true, false) => vec![
            (0.0, clip(&unwrapped, -180.0 - CUT_MARGIN, false)),
            shift(clip(&unwrapped, -180.0 + CUT_MARGIN, true), 360.0),
        ],
        (false, true) => vec![
            (0.0, clip(&unwrapped, 180.0 + CUT_MARGIN, true)),
            shift(clip(&unwrapped, 180.0 - CUT_MARGIN, false), -360.0),
        ],
        // Wider than the world (no such ring without Antarctica): draw it
        // whole three times and let the clip path sort it out.
        (true, true) => vec![
            (0.0, unwrapped.clone()),
            shift(unwrapped.clone(), 360.0),
            shift(unwrapped, -360.0),
        ],
    }
}

/// Cuts a closed ring at the meridian `limit`, keeping the side below it
/// (`keep_below`) or above it (Sutherland–Hodgman against one half-plane).
/// Runs along the cut line are densified so that, once projected, they follow
/// the curved meridian rather than a chord that could cut into the map.
fn clip(ring: &[(f64, f64)], limit: f64, keep_below: bool) -> Vec<(f64, f64)> {
    let inside = |p: (f64, f64)| {
        if keep_below {
            p.0 <= limit
        } else {
            p.0 >= limit
        }
    };
    // Each output point with whether it lies on the cut line.
    let mut out: Vec<((f64, f64), bool)> = Vec::with_capacity(ring.len() + 8);
    let n = ring.len();
    for i in 0..n {
        let (prev, cur) = (ring[(i + n - 1) % n], ring[i]);
        if inside(prev) != inside(cur) {
            // Different sides, so the longitudes differ: no division by 0.
            let t = (limit - prev.0) / (cur.0 - prev.0);
            let cut = (limit, prev.1 + t * (cur.1 - prev.1));
            if let Some(&(last, true)) = out.last() {
                densify(&mut out, last.1, cut.1, limit);
            }
            out.push((cut, true));
        }
        if inside(cur) {
            out.push((cur, false));
        }
    }
    if let (Some(&(first, true)), Some(&(last, true))) = (out.first(), out.last()) {
        densify(&mut out, last.1, first.1, limit);
    }
    out.into_iter().map(|(p, _)| p).collect()
}

/// Appends points along the meridian `lon` strictly between two latitudes,
/// at most 2° apart.
fn densify(out: &mut Vec<((f64, f64), bool)>, from: f64, to: f64, lon: f64) {
    let steps = ((to - from).abs() / 2.0).ceil().min(90.0) as u32;
    for k in 1..steps {
        let lat = from + (to - from) * f64::from(k) / f64::from(steps);
        out.push(((lon, lat), true));
    }
}

/// The sphere outline (the map's edge) in canvas coordinates: down the right
/// edge meridian, then up the left one; the flat pole lines are the closing
/// segments. Used both as the ocean and as the clip path.
pub(crate) fn sphere_outline() -> Vec<(f64, f64)> {
    const STEPS: i32 = 60;
    let lat = |i: i32| 90.0 - 180.0 * f64::from(i) / f64::from(STEPS);
    let right = (0..=STEPS).map(|i| project_relative(180.0, lat(i)));
    let left = (0..=STEPS).rev().map(|i| project_relative(-180.0, lat(i)));
    right.chain(left).collect()
}
