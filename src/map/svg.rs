//! Writing one map: the base map as an `<image>`, over it the pre-built paths of
//! the caller's highlighted and linked countries, its arcs and its markers, in an
//! `<svg>` element; and writing the base maps themselves.
//!
//! Colours are given as presentation attributes (so the SVG looks right with
//! no stylesheet) next to classes (so a stylesheet can restyle it).

use super::path::{PathBuilder, Rect, fmt_num, push_num};
use super::projection::{WIDTH, project};
use super::{Arc, BASE_FILES, MapSpec, Place, PlaceKind, View, WorldMap};

// Markers are chosen to reach at least 3:1 contrast (WCAG 1.4.11, non-text
// contrast) against ocean, land and highlighted land; `tests::marker_contrast`
// checks it.
pub(crate) const OCEAN: &str = "#f2f6fa";
pub(crate) const LAND: &str = "#d9dde1";
pub(crate) const HIGHLIGHT: &str = "#7fb0dc";
pub(crate) const INDONESIA: &str = "#9b1c1c";
pub(crate) const PARTNER: &str = "#1d3f8f";
const ARC: &str = "#7a1f2b";
const OUTLINE: &str = "#b9c3cd";

impl WorldMap {
    /// Writes a complete `<svg>` element for `spec`. Only string assembly:
    /// the world was projected once in [`WorldMap::builtin`].
    ///
    /// Arcs connect the places where they are drawn: both ends sit within
    /// ±180° of the central meridian, so no arc runs through the cut in the
    /// Atlantic. Seen from Indonesia that is the shorter way round: the
    /// Americas are reached across the Pacific (rightwards), Europe and Africa
    /// leftwards. Each arc bows northwards.
    pub fn svg(&self, spec: &MapSpec) -> String {
        let mut s = String::with_capacity(8 * 1024);
        self.write_svg(&mut s, spec);
        s
    }

    // The map of every partnership page is written here, so the markup is pushed
    // piece by piece: `write!` with its formatting machinery was three quarters of
    // a map's cost (callgrind).
    fn write_svg(&self, s: &mut String, spec: &MapSpec) {
        let view = self.view_box(spec);
        // Strokes and markers shrink with the viewBox, but less than it does: a
        // cropped map is drawn no wider than the world map, often in half a
        // column on a phone, where markers at a constant on-screen size would be
        // specks a reader cannot see or tap.
        let k = (view.width() / WIDTH).sqrt();
        s.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"world-map\" viewBox=\"");
        push_num(s, view.min_x);
        s.push(' ');
        push_num(s, view.min_y);
        s.push(' ');
        push_num(s, view.width());
        s.push(' ');
        push_num(s, view.height());
        s.push_str("\" role=\"group\" aria-labelledby=\"");
        push_esc(s, spec.id);
        s.push_str("-title ");
        push_esc(s, spec.id);
        s.push_str("-desc\"><title id=\"");
        push_esc(s, spec.id);
        s.push_str("-title\">");
        push_esc(s, spec.title);
        s.push_str("</title><desc id=\"");
        push_esc(s, spec.id);
        s.push_str("-desc\">");
        push_esc(s, spec.description);
        s.push_str("</desc>");
        // Zoomed-in views get the finer outlines (see `COARSE` and `FINE`).
        let level = usize::from(view.width() <= WIDTH / 2.0);
        s.push_str("<image class=\"map-base\" href=\"");
        push_esc(s, spec.root);
        s.push_str(BASE_FILES[level]);
        s.push_str("\" width=\"");
        push_num(s, WIDTH);
        s.push_str("\" height=\"");
        push_num(s, self.height);
        s.push_str("\" preserveAspectRatio=\"none\" aria-hidden=\"true\"/>");
        self.write_countries(s, spec, &view, level, k);
        write_arcs(s, spec.arcs, k);
        write_places(s, spec.places, k);
        s.push_str("</svg>");
    }

    /// The countries the spec highlights or links, drawn over the base map.
    fn write_countries(&self, s: &mut String, spec: &MapSpec, view: &Rect, level: usize, k: f64) {
        let mut group = false;
        for c in &self.countries {
            let d = &c.d[level];
            // Areas without a code (Kosovo, Somaliland…) never match.
            if d.is_empty() || c.numeric.is_empty() {
                continue;
            }
            let highlighted = spec.highlight.contains(&c.numeric.as_str());
            let link = spec.country_links.iter().find(|l| l.numeric == c.numeric);
            if !(highlighted || link.is_some()) || !c.extents.iter().any(|e| e.intersects(view)) {
                continue;
            }
            if !group {
                // Countries are clipped to the sphere: those across the cut (Russia,
                // Fiji) are drawn on both sides.
                s.push_str("<defs><clipPath id=\"");
                push_esc(s, spec.id);
                s.push_str("-clip\"><path d=\"");
                s.push_str(&self.sphere);
                s.push_str("\"/></clipPath></defs><g class=\"countries\" fill=\"");
                s.push_str(LAND);
                s.push_str("\" stroke=\"#fff\" stroke-width=\"");
                push_num(s, (0.5 * k).max(0.1));
                s.push_str("\" stroke-linejoin=\"round\" fill-rule=\"evenodd\" clip-path=\"url(#");
                push_esc(s, spec.id);
                s.push_str("-clip)\">");
                group = true;
            }
            let name = link.map_or(c.name.as_str(), |l| l.name);
            if let Some(l) = link {
                s.push_str("<a href=\"");
                push_esc(s, l.href);
                s.push_str("\" class=\"map-country\" aria-label=\"");
                push_esc(s, name);
                s.push_str("\">");
            }
            if highlighted {
                s.push_str("<path class=\"country-highlight\" fill=\"");
                s.push_str(HIGHLIGHT);
                s.push('"');
            } else {
                s.push_str("<path");
            }
            s.push_str(" d=\"");
            s.push_str(d);
            s.push_str("\"><title>");
            push_esc(s, name);
            s.push_str("</title></path>");
            if link.is_some() {
                s.push_str("</a>");
            }
        }
        if group {
            s.push_str("</g>");
        }
    }

    /// A base map: a standalone SVG of the whole world at one level of detail,
    /// with strokes for the views it is used in (world-sized for the coarse one,
    /// zoomed in about 3× for the fine one).
    pub(super) fn base_svg(&self, level: usize) -> String {
        let k: f64 = if level == 0 { 1.0 } else { 0.55 };
        let h = fmt_num(self.height);
        let sphere = &self.sphere;
        let mut s = String::with_capacity(if level == 0 { 64 } else { 160 } * 1024);
        s.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {h}\" \
             width=\"{WIDTH}\" height=\"{h}\">\
             <!-- Made with Natural Earth (public domain), via world-atlas 2.0.2. -->\
             <defs><clipPath id=\"clip\"><path d=\"{sphere}\"/></clipPath></defs>\
             <path fill=\"{OCEAN}\" stroke=\"{OUTLINE}\" stroke-width=\"{}\" d=\"{sphere}\"/>\
             <g fill=\"{LAND}\" stroke=\"#fff\" stroke-width=\"{}\" stroke-linejoin=\"round\" \
             fill-rule=\"evenodd\" clip-path=\"url(#clip)\">",
            fmt_num(0.8 * k),
            fmt_num(0.5 * k),
        ));
        for c in self.countries.iter().filter(|c| !c.d[level].is_empty()) {
            s.push_str("<path d=\"");
            s.push_str(&c.d[level]);
            s.push_str("\"/>");
        }
        s.push_str("</g></svg>\n");
        s
    }

    /// The canvas rectangle shown by `spec.view`.
    pub(super) fn view_box(&self, spec: &MapSpec) -> Rect {
        let world = Rect {
            min_x: 0.0,
            min_y: 0.0,
            max_x: WIDTH,
            max_y: self.height,
        };
        let View::Fit { padding } = spec.view else {
            return world;
        };
        let mut b = Rect::EMPTY;
        for p in spec.places {
            b.include(project(p.lon, p.lat));
        }
        if !b.width().is_finite() || !b.height().is_finite() {
            return world; // no places (or unusable coordinates)
        }
        let pad = if padding.is_finite() {
            padding.max(0.0)
        } else {
            0.0
        };
        let mut w = (b.width() + 2.0 * pad).max(WIDTH / 6.0);
        let mut h = (b.height() + 2.0 * pad).max(self.height / 6.0);
        // Keep the crop page-shaped: neither a tall sliver nor a thin band.
        w = w.max(h);
        h = h.max(w / 2.1);
        let (w, h) = (w.min(WIDTH), h.min(self.height));
        let cx = ((b.min_x + b.max_x) / 2.0).clamp(w / 2.0, WIDTH - w / 2.0);
        let cy = ((b.min_y + b.max_y) / 2.0).clamp(h / 2.0, self.height - h / 2.0);
        Rect {
            min_x: cx - w / 2.0,
            min_y: cy - h / 2.0,
            max_x: cx + w / 2.0,
            max_y: cy + h / 2.0,
        }
    }
}

/// Writes the arcs between their ends' positions on the map (see
/// [`WorldMap::svg`] for why that is the short way round).
fn write_arcs(s: &mut String, arcs: &[Arc], k: f64) {
    s.push_str("<g class=\"arcs\" fill=\"none\" stroke=\"");
    s.push_str(ARC);
    s.push_str("\" stroke-opacity=\".6\" stroke-width=\"");
    push_num(s, (1.2 * k).max(0.1));
    s.push_str("\" stroke-linecap=\"round\">");
    // A wide transparent twin of each line makes it easy to point at.
    let hit_width = fmt_num((8.0 * k).max(0.5));
    for arc in arcs {
        let a = project(arc.from.0, arc.from.1);
        let b = project(arc.to.0, arc.to.1);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy);
        if !len.is_finite() || len < 0.1 {
            continue; // both ends on the same spot: nothing to draw
        }
        // Bow towards the normal that points up (north) by a fifth of the
        // distance, so arcs read as routes and overlap less.
        let (mut nx, mut ny) = (-dy / len, dx / len);
        if ny > 0.0 || (ny == 0.0 && nx < 0.0) {
            (nx, ny) = (-nx, -ny);
        }
        let bow = 0.2 * len;
        let c = ((a.0 + b.0) / 2.0 + nx * bow, (a.1 + b.1) / 2.0 + ny * bow);
        let mut pb = PathBuilder::new();
        pb.quad(a, c, b);
        let d = pb.finish();
        match arc.href {
            Some(href) => {
                s.push_str("<a class=\"map-arc\" href=\"");
                push_esc(s, href);
                s.push_str("\" aria-label=\"");
                push_esc(s, arc.name);
                s.push_str("\">");
            }
            None => s.push_str("<g class=\"map-arc\">"),
        }
        s.push_str("<title>");
        push_esc(s, arc.name);
        s.push_str("</title><path class=\"map-arc-hit\" stroke-opacity=\"0\" stroke-width=\"");
        s.push_str(&hit_width);
        s.push_str("\" d=\"");
        s.push_str(&d);
        s.push_str("\"/><path class=\"map-arc-line\" d=\"");
        s.push_str(&d);
        s.push_str("\"/>");
        s.push_str(if arc.href.is_some() { "</a>" } else { "</g>" });
    }
    s.push_str("</g>");
}

fn write_places(s: &mut String, places: &[Place], k: f64) {
    s.push_str("<g class=\"places\" stroke=\"#fff\" stroke-width=\"");
    push_num(s, k.max(0.1));
    s.push_str("\">");
    let r = fmt_num((4.5 * k).max(0.2));
    for p in places {
        let (x, y) = project(p.lon, p.lat);
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let (class, fill) = match p.kind {
            PlaceKind::Indonesia => ("map-place map-place-indonesia", INDONESIA),
            PlaceKind::Partner => ("map-place map-place-partner", PARTNER),
        };
        let circle = |s: &mut String| {
            s.push_str(" cx=\"");
            push_num(s, x);
            s.push_str("\" cy=\"");
            push_num(s, y);
            s.push_str("\" r=\"");
            s.push_str(&r);
            s.push_str("\" fill=\"");
            s.push_str(fill);
            s.push('"');
        };
        match p.href {
            Some(href) => {
                s.push_str("<a class=\"");
                s.push_str(class);
                s.push_str("\" href=\"");
                push_esc(s, href);
                s.push_str("\" aria-label=\"");
                push_esc(s, p.name);
                s.push_str("\"><title>");
                push_esc(s, p.name);
                s.push_str("</title><circle");
                circle(s);
                s.push_str("/></a>");
            }
            None => {
                s.push_str("<circle class=\"");
                s.push_str(class);
                s.push('"');
                circle(s);
                s.push_str("><title>");
                push_esc(s, p.name);
                s.push_str("</title></circle>");
            }
        }
    }
    s.push_str("</g>");
}

/// Appends `text` escaped for XML content and attribute values alike.
fn push_esc(s: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            _ => continue,
        };
        s.push_str(&text[last..i]);
        s.push_str(rep);
        last = i + 1;
    }
    s.push_str(&text[last..]);
}
