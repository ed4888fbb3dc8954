//! Compact SVG path data.
//!
//! A world map is mostly coordinates, and it is inlined in ~300 pages, so the
//! encoding is squeezed: coordinates are quantized to tenths of a unit (work is
//! done in integer tenths so relative steps add up exactly, with no drift),
//! all steps but the first are relative, points closer than a threshold to the
//! previous kept one are dropped, and separators are left out wherever the SVG
//! number grammar allows it.

/// A bounding box in canvas units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl Rect {
    pub(crate) const EMPTY: Rect = Rect {
        min_x: f64::INFINITY,
        min_y: f64::INFINITY,
        max_x: f64::NEG_INFINITY,
        max_y: f64::NEG_INFINITY,
    };

    pub(crate) fn include(&mut self, (x, y): (f64, f64)) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }

    pub(crate) fn intersects(&self, other: &Rect) -> bool {
        self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }

    pub(crate) fn width(&self) -> f64 {
        self.max_x - self.min_x
    }

    pub(crate) fn height(&self) -> f64 {
        self.max_y - self.min_y
    }
}

/// Rounds a canvas coordinate to integer tenths.
fn tenths(v: f64) -> i64 {
    // Canvas coordinates are bounded (a few thousand units at most), so the
    // conversion cannot saturate.
    (v * 10.0).round() as i64
}

/// Appends a value given in tenths, shortest form: `12.3`, `4`, `.5`, `-.5`.
/// Returns whether the text contains a decimal point.
fn push_tenths_raw(out: &mut String, t: i64) -> bool {
    if t < 0 {
        out.push('-');
    }
    let (int, frac) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
    if int != 0 || frac == 0 {
        out.push_str(itoa::Buffer::new().format(int));
    }
    if frac != 0 {
        out.push('.');
        out.push(char::from(b'0' + frac as u8));
    }
    frac != 0
}

/// Formats a canvas value with at most one decimal (used for viewBox,
/// radii and stroke widths).
pub(crate) fn fmt_num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Appends a canvas value as [`fmt_num`] writes it.
pub(crate) fn push_num(out: &mut String, v: f64) {
    push_tenths_raw(out, tenths(v));
}

/// Builds one path's `d` attribute from rings and open lines.
pub(crate) struct PathBuilder {
    d: String,
    /// Start of the last subpath, in tenths: after `z` the current point goes
    /// back there, and the next `m` is relative to it.
    origin: Option<(i64, i64)>,
    /// Whether the last token written was a number containing '.', so a
    /// following `.5` needs no separator.
    last_dot: bool,
    /// Whether the last token was a command letter (no separator needed).
    after_command: bool,
}

impl PathBuilder {
    pub(crate) fn new() -> Self {
        PathBuilder {
            d: String::new(),
            origin: None,
            last_dot: false,
            after_command: true,
        }
    }

    fn command(&mut self, c: char) {
        self.d.push(c);
        self.after_command = true;
        self.last_dot = false;
    }

    fn number(&mut self, t: i64) {
        // "-" always starts a new number; "." does too once the previous
        // number already has its decimal point ("1.5.5" reads as 1.5, .5).
        let starts_with_dot = t > 0 && t < 10;
        let needs_sep = !self.after_command && t >= 0 && !(self.last_dot && starts_with_dot);
        if needs_sep {
            self.d.push(' ');
        }
        self.last_dot = push_tenths_raw(&mut self.d, t);
        self.after_command = false;
    }

    fn pair(&mut self, (x, y): (i64, i64)) {
        self.number(x);
        self.number(y);
    }

    /// Starts a subpath at an absolute point (tenths), relative to the
    /// previous subpath start when there is one.
    fn move_to(&mut self, p: (i64, i64)) {
        match self.origin {
            None => {
                self.command('M');
                self.pair(p);
            }
            Some(o) => {
                self.command('m');
                self.pair((p.0 - o.0, p.1 - o.1));
            }
        }
        self.origin = Some(p);
    }

    /// Adds a closed ring (canvas coordinates). A ring left with fewer than
    /// three distinct points after rounding is too small to see and is
    /// skipped; the closing point is implied by `z`.
    pub(crate) fn ring(&mut self, points: &[(f64, f64)]) {
        let mut q: Vec<(i64, i64)> = points
            .iter()
            .map(|&(x, y)| (tenths(x), tenths(y)))
            .collect();
        q.dedup();
        while q.len() > 1 && q.first() == q.last() {
            q.pop();
        }
        if q.len() < 3 {
            return;
        }
        self.move_to(q[0]);
        self.command('l');
        for w in q.windows(2) {
            self.pair((w[1].0 - w[0].0, w[1].1 - w[0].1));
        }
        self.command('z');
    }

    /// Adds an open quadratic Bézier curve from `a` via control point `c` to
    /// `b` (canvas coordinates).
    pub(crate) fn quad(&mut self, a: (f64, f64), c: (f64, f64), b: (f64, f64)) {
        let (a, c, b) = (
            (tenths(a.0), tenths(a.1)),
            (tenths(c.0), tenths(c.1)),
            (tenths(b.0), tenths(b.1)),
        );
        self.move_to(a);
        self.command('q');
        self.pair((c.0 - a.0, c.1 - a.1));
        self.pair((b.0 - a.0, b.1 - a.1));
        // An open subpath leaves the current point at its end, not its start.
        self.origin = Some(b);
    }

    pub(crate) fn finish(self) -> String {
        self.d
    }
}

/// Simplifies a polyline in canvas coordinates: Douglas–Peucker with
/// `tolerance`, then drops points closer than `min_step` to the previous kept
/// one. Returns the indices of the kept points. Both end points are always
/// kept, because they are where arcs meet: arcs are simplified on their own
/// so that two neighbours draw their common border identically.
pub(crate) fn simplify(points: &[(f64, f64)], tolerance: f64, min_step: f64) -> Vec<usize> {
    let n = points.len();
    if n <= 2 {
        return (0..n).collect();
    }
    let mut keep = vec![false; n];
    (keep[0], keep[n - 1]) = (true, true);
    let mut stack = vec![(0, n - 1)];
    while let Some((i, j)) = stack.pop() {
        let (mut worst, mut at) = (0.0, i);
        for (k, &p) in points.iter().enumerate().take(j).skip(i + 1) {
            let d = segment_distance(p, points[i], points[j]);
            if d > worst {
                (worst, at) = (d, k);
            }
        }
        if worst > tolerance {
            keep[at] = true;
            stack.push((i, at));
            stack.push((at, j));
        }
    }
    let dist = |a: usize, b: usize| (points[a].0 - points[b].0).hypot(points[a].1 - points[b].1);
    let mut out: Vec<usize> = Vec::with_capacity(n);
    for k in (0..n).filter(|&k| keep[k]) {
        match out.last() {
            Some(&last) if k != n - 1 && dist(last, k) < min_step => {}
            _ => out.push(k),
        }
    }
    // The end point must stay; if it came too close, drop its predecessor.
    if out.len() > 2 && dist(out[out.len() - 2], n - 1) < min_step {
        out.remove(out.len() - 2);
    }
    out
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}
