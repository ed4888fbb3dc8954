//! Statistics charts drawn at build time as inline SVG, so the statistics page needs no
//! JavaScript. This module owns only the drawing: one bar chart per call, either
//! vertical columns along an x axis (years) or labelled horizontal rows (countries,
//! fields, provinces, statuses). The page shows each chart next to an HTML data table,
//! which is where the accessible values and links live; the SVG is one `role="img"`
//! named by its own `<title>` and `<desc>`.
//!
//! Sizes are in viewBox units and the SVG has no width of its own, so it fills its
//! container; suggested CSS is `.chart { width: 100%; height: auto; max-width: 40rem }`.
//! The viewBox is 560 units wide and text 19 units high, so at a 328 px wide column
//! (a 360 px phone) text is still about 11 px.

use std::fmt::Write as _;

/// One bar: its label (a year, a country, ...) and its count. Bars are not links:
/// `role="img"` makes every child presentational, so an `<a href>` inside it would be
/// a focusable element hidden from assistive technology (axe `nested-interactive`).
/// The data table next to the chart carries the links.
pub struct Bar<'a> {
    pub label: &'a str,
    pub value: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Vertical bars along an x axis, in the given order (the caller fills gaps in years).
    Columns,
    /// Horizontal bars, one labelled row per item, value written after the bar.
    Rows,
}

pub struct Chart<'a> {
    /// Prefix for the `<title>` and `<desc>` ids; must be unique on the page.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub bars: &'a [Bar<'a>],
    pub layout: Layout,
}

const WIDTH: f64 = 560.0;
const FONT: f64 = 19.0;
/// Estimated advance of a digit and of an average label character, in units; generous
/// so that estimated boxes never overlap even in wide fallback fonts.
const DIGIT_W: f64 = 0.64 * FONT;
const CHAR_W: f64 = 0.62 * FONT;
/// Raises a baseline so text is vertically centred on a y coordinate (no reliance on
/// `dominant-baseline`, which older Safari ignores on some elements).
const CENTRE: f64 = 0.35 * FONT;
const MAX_LABEL_CHARS: usize = 18;
/// WCAG AA on white: bar 7.2:1 (≥ 3:1 for graphics), text 15.9:1 and 7.3:1 (≥ 4.5:1).
const BAR: &str = "#0b57a4";
const TEXT: &str = "#1d2327";
const MUTED: &str = "#50575e";
/// Gridlines are only a reading aid (exact values are in the table), so kept faint.
const GRID: &str = "#dcdcde";

/// A complete `<svg>` element for `chart`; the same input always gives the same bytes.
pub fn svg(chart: &Chart) -> String {
    let (height, body) = match chart.layout {
        _ if chart.bars.is_empty() => (24.0, String::new()),
        Layout::Columns => columns(chart.bars),
        Layout::Rows => rows(chart.bars),
    };
    let kind = format!("{:?}", chart.layout).to_lowercase();
    let [id, title, desc] = [chart.id, chart.title, chart.description].map(escape);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-{kind}\" \
         viewBox=\"0 0 {} {}\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-size=\"{}\" fill=\"{TEXT}\">\n\
         <title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n{body}</svg>",
        num(WIDTH),
        num(height),
        num(FONT),
    )
}

fn columns(bars: &[Bar]) -> (f64, String) {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let (step, top) = nice_scale(max);
    let labels: Vec<String> = bars.iter().map(|b| truncate(b.label)).collect();
    let label_w = labels.iter().map(|l| text_w(l)).fold(0.0, f64::max);
    // Room for the y tick labels, and for half of the first/last x label, which are
    // centred under the outermost columns.
    let left = (digits(top) * DIGIT_W + 8.0).max(label_w / 2.0);
    let right = (label_w / 2.0).max(8.0);
    let plot_top = FONT + 8.0; // room for a value label above the tallest column
    let plot_h = 220.0;
    let base = plot_top + plot_h;
    let slot = (WIDTH - left - right) / bars.len() as f64;
    let bar_w = slot * 0.7; // the gap keeps neighbouring columns distinguishable
    let mut out = Out(format!("<g class=\"chart-axis\" fill=\"{MUTED}\">\n"));
    for tick in (0..=top).step_by(step) {
        let y = base - scaled(tick, top, plot_h);
        let stroke = if tick == 0 { MUTED } else { GRID };
        out.line([left, y, WIDTH - right, y], stroke);
        let at = [left - 6.0, y + CENTRE];
        out.text("chart-tick", at, "end", &tick.to_string());
    }
    // Thin the x labels to every 1st, 2nd, 5th, 10th, ... so estimated boxes never touch.
    let every = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|&k| k as f64 * slot >= label_w + FONT / 2.0)
        .unwrap_or(bars.len());
    // Consecutive years are labelled on round years (1990, 1995, ...), others by position.
    let years: Option<Vec<i64>> = bars.iter().map(|b| b.label.trim().parse().ok()).collect();
    let years = years.filter(|y| y.windows(2).all(|w| w[0].checked_add(1) == Some(w[1])));
    for (i, label) in labels.iter().enumerate() {
        let shown = match &years {
            Some(years) => years[i].rem_euclid(every as i64) == 0,
            None => i % every == 0,
        };
        if shown {
            let x = left + slot * (i as f64 + 0.5);
            out.line([x, base, x, base + 5.0], MUTED);
            out.text("chart-label", [x, base + 6.0 + FONT], "middle", label);
        }
    }
    out.0.push_str("</g>\n");
    // Value labels only when every one fits over its column; otherwise the tooltip and
    // the data table give the numbers.
    let values_fit = slot >= digits(max) * DIGIT_W + 2.0;
    for (i, bar) in bars.iter().enumerate() {
        let x = left + slot * i as f64;
        let h = scaled(bar.value, top, plot_h);
        out.item(bar, [x, plot_top, slot, plot_h]);
        let bar_x = x + (slot - bar_w) / 2.0;
        out.rect("chart-bar", [bar_x, base - h, bar_w, h], BAR);
        if values_fit && bar.value > 0 {
            let at = [x + slot / 2.0, base - h - 5.0];
            out.text("chart-value", at, "middle", &bar.value.to_string());
        }
        out.0.push_str("</g>\n");
    }
    (base + FONT + 14.0, out.0)
}

fn rows(bars: &[Bar]) -> (f64, String) {
    const ROW: f64 = 32.0;
    const THICK: f64 = 20.0;
    const PAD: f64 = 4.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let labels: Vec<String> = bars.iter().map(|b| truncate(b.label)).collect();
    let label_w = labels.iter().map(|l| text_w(l)).fold(0.0, f64::max);
    let bar_x = PAD + label_w + 10.0;
    let track = WIDTH - bar_x - (digits(max) * DIGIT_W + 8.0);
    let height = bars.len() as f64 * ROW + 2.0 * PAD;
    let mut out = Out(String::new());
    for (i, (bar, label)) in bars.iter().zip(&labels).enumerate() {
        let y = PAD + ROW * i as f64;
        let (mid, len) = (y + ROW / 2.0, scaled(bar.value, max, track));
        out.item(bar, [0.0, y, WIDTH, ROW]);
        out.text("chart-label", [PAD + label_w, mid + CENTRE], "end", label);
        out.rect("chart-bar", [bar_x, mid - THICK / 2.0, len, THICK], BAR);
        let at = [bar_x + len + 6.0, mid + CENTRE];
        out.text("chart-value", at, "start", &bar.value.to_string());
        out.0.push_str("</g>\n");
    }
    out.0.push_str("<g class=\"chart-axis\">");
    out.line([bar_x, PAD, bar_x, height - PAD], MUTED);
    out.0.push_str("</g>\n");
    (height, out.0)
}

/// The SVG body being written; every number goes through `num`, every text through `escape`.
struct Out(String);

impl Out {
    /// Opens a bar's group: its tooltip and a transparent hit area over the whole slot,
    /// so short bars are as easy to hover as tall ones. The caller closes the group.
    fn item(&mut self, bar: &Bar, slot: [f64; 4]) {
        let tooltip = escape(&format!("{}: {}", bar.label.trim(), bar.value));
        let _ = write!(self.0, "<g class=\"chart-item\"><title>{tooltip}</title>");
        self.rect("chart-hit", slot, "transparent");
    }

    fn rect(&mut self, class: &str, [x, y, w, h]: [f64; 4], fill: &str) {
        let [x, y, w, h] = [x, y, w, h].map(num);
        let _ = write!(
            self.0,
            "<rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{fill}\"/>"
        );
    }

    fn line(&mut self, [x1, y1, x2, y2]: [f64; 4], stroke: &str) {
        let [x1, y1, x2, y2] = [x1, y1, x2, y2].map(num);
        let _ = writeln!(
            self.0,
            "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"{stroke}\"/>"
        );
    }

    fn text(&mut self, class: &str, [x, y]: [f64; 2], anchor: &str, content: &str) {
        let (x, y, content) = (num(x), num(y), escape(content));
        let _ = write!(
            self.0,
            "<text class=\"{class}\" x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\">{content}</text>"
        );
    }
}

/// Tick step (1, 2 or 5 × 10ⁿ) and axis top (a multiple of the step ≥ `max`), aiming
/// at no more than four intervals so a few gridlines carry round numbers.
fn nice_scale(max: usize) -> (usize, usize) {
    let mut magnitude = 1usize;
    loop {
        for step in [1, 2, 5].map(|m| magnitude.saturating_mul(m)) {
            if step.saturating_mul(4) >= max {
                return (step, max.div_ceil(step).max(1).saturating_mul(step));
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// Length for `value` on a scale where `of` maps to `full`; a non-zero value never
/// rounds away to nothing, since its label or tooltip says it is there.
fn scaled(value: usize, of: usize, full: f64) -> f64 {
    if value == 0 || of == 0 {
        0.0
    } else {
        (full * value as f64 / of as f64).max(1.0)
    }
}

fn digits(n: usize) -> f64 {
    n.to_string().len() as f64
}

fn text_w(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

/// Shortens long labels with an ellipsis; the full label stays in the bar's `<title>`.
fn truncate(label: &str) -> String {
    let label = label.trim();
    if label.chars().count() <= MAX_LABEL_CHARS {
        return label.to_string();
    }
    let head: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
    format!("{}…", head.trim_end())
}

/// At most one decimal and no trailing `.0`, so output is compact and stable.
fn num(x: f64) -> String {
    let s = format!("{:.1}", (x * 10.0).round() / 10.0);
    match s.strip_suffix(".0") {
        Some("-0") => "0".to_string(),
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// Escapes text and attribute values for XML (and HTML); drops control characters,
/// which XML 1.0 does not allow at all.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::{Reader, events::Event};

    /// An element's name, raw attributes and raw (still escaped) text.
    struct El(String, Vec<(String, String)>, String);

    impl El {
        fn attr(&self, key: &str) -> &str {
            self.1.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v)
        }
        fn num(&self, key: &str) -> f64 {
            self.attr(key).parse().expect("numeric attribute")
        }
    }

    /// Parses with a real XML reader, which checks that end tags match.
    fn parse(svg: &str) -> Vec<El> {
        let mut reader = Reader::from_str(svg);
        let (mut els, mut open): (Vec<El>, Vec<usize>) = (Vec::new(), Vec::new());
        let el = |e: &quick_xml::events::BytesStart| {
            let attrs = e.attributes().map(|a| a.expect("attribute"));
            let attrs = attrs.map(|a| (a.key.as_ref().to_string(), a.value.to_string()));
            let name = e.name().as_ref().to_string();
            El(name, attrs.collect(), String::new())
        };
        loop {
            let event = reader.read_event().expect("well-formed XML");
            if matches!(event, Event::Start(_) | Event::Empty(_)) {
                assert!(els.is_empty() || !open.is_empty(), "a single root");
            }
            match &event {
                Event::Start(_) => open.push(els.len()),
                Event::End(_) => assert!(open.pop().is_some(), "balanced tags"),
                Event::Text(t) => els[*open.last().expect("in root")].2 += &**t,
                Event::GeneralRef(r) => {
                    els[*open.last().expect("in root")].2 += &format!("&{};", &**r)
                }
                Event::Eof => break,
                _ => {}
            }
            if let Event::Start(e) | Event::Empty(e) = &event {
                els.push(el(e));
            }
        }
        assert!(open.is_empty() && els[0].0 == "svg", "one <svg> root");
        els
    }

    fn with_class<'a>(els: &'a [El], class: &str) -> Vec<&'a El> {
        els.iter().filter(|e| e.attr("class") == class).collect()
    }

    fn texts<'a>(els: &'a [El], class: &str) -> Vec<&'a str> {
        let found = with_class(els, class).into_iter();
        found.map(|e| e.2.as_str()).collect()
    }

    fn draw(labels: &[&str], values: &[usize], layout: Layout) -> String {
        let bars: Vec<Bar> = (labels.iter().zip(values))
            .map(|(&label, &value)| Bar { label, value })
            .collect();
        let (id, title, description, bars) = ("a\"b", "A & B", "<x>", &bars);
        svg(&Chart {
            id,
            title,
            description,
            bars,
            layout,
        })
    }

    /// Consecutive years from `from`, with counts 0–15.
    fn years(from: usize, n: usize) -> (Vec<String>, Vec<usize>) {
        let labels = (from..from + n).map(|y| y.to_string()).collect();
        (labels, (0..n).map(|i| i * 7 % 16).collect())
    }

    #[test]
    fn rows_longest_bar_fills_the_track_and_others_are_proportional() {
        let labels = ["Jepang", "Korea Selatan", "Tiongkok", "Belanda"];
        let els = parse(&draw(&labels, &[5, 10, 2, 0], Layout::Rows));
        let rects = with_class(&els, "chart-bar");
        let w: Vec<f64> = rects.iter().map(|r| r.num("width")).collect();
        assert_eq!(w[1], w.iter().copied().fold(0.0, f64::max));
        assert!((w[0] - w[1] / 2.0).abs() <= 0.1 && (w[2] - w[1] / 5.0).abs() <= 0.1);
        assert_eq!(w[3], 0.0);
        // The longest bar reaches the far edge, leaving room only for its value text.
        let end = rects[1].num("x") + w[1] + 8.0 + 2.0 * DIGIT_W;
        assert!((end - WIDTH).abs() <= 0.2, "{end}");
        assert_eq!(texts(&els, "chart-value"), ["5", "10", "2", "0"]);
        assert_eq!(texts(&els, "chart-label"), labels);
    }

    #[test]
    fn columns_stand_on_the_axis_in_proportion_and_ticks_are_round() {
        let out = draw(&["a", "b", "c", "d"], &[0, 3, 15, 6], Layout::Columns);
        let els = parse(&out);
        let rects = with_class(&els, "chart-bar");
        let h: Vec<f64> = rects.iter().map(|r| r.num("height")).collect();
        let base = rects[0].num("y"); // the zero column
        let mut bottoms = rects.iter().map(|r| r.num("y") + r.num("height"));
        assert!(bottoms.all(|b| (b - base).abs() <= 0.1));
        // 15 is also the axis top, so the tallest column is the full plot height.
        assert_eq!(h, [0.0, 44.0, 220.0, 88.0]);
        assert_eq!(texts(&els, "chart-tick"), ["0", "5", "10", "15"]);
        assert_eq!(texts(&els, "chart-value"), ["3", "15", "6"]);
    }

    #[test]
    fn scale_steps_are_round_and_cover_the_maximum() {
        for max in 0..=5000 {
            let (step, top) = nice_scale(max);
            let mantissa = step / 10usize.pow(step.ilog10());
            assert!(matches!(mantissa, 1 | 2 | 5), "step {step}");
            assert!(top >= max && top % step == 0 && top > 0, "max {max}");
            assert!(top / step <= 4 && (max < 2 || top / step >= 2), "max {max}");
        }
        // Absurd counts and year labels draw without overflowing.
        let year = i64::MAX.to_string();
        let huge = draw(&[year.as_str(), "0"], &[usize::MAX, 1], Layout::Columns);
        assert_eq!(texts(&parse(&huge), "chart-tick").len(), 4);
    }

    #[test]
    fn text_is_escaped_and_long_labels_truncated() {
        let long = "Kerajaan Britania Raya dan Irlandia Utara";
        let out = draw(&["<b>&\"'", long], &[1, 2], Layout::Rows);
        let els = parse(&out);
        assert!(!out.contains("<b>") && !out.contains("<x>"));
        assert!(out.contains("aria-labelledby=\"a&quot;b-title a&quot;b-desc\""));
        assert_eq!([&*els[1].2, &*els[2].2], ["A &amp; B", "&lt;x&gt;"]);
        let shown = texts(&els, "chart-label");
        assert_eq!(shown, ["&lt;b&gt;&amp;&quot;&#39;", "Kerajaan Britania…"]);
        assert!(out.contains(&format!("<title>{long}: 2</title>")));
        assert_eq!(escape("a\u{0}b\u{1b}c\n"), "abc\n");
    }

    #[test]
    fn x_labels_thin_out_without_overlapping() {
        let (labels, values) = years(1965, 60);
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let els = parse(&draw(&labels, &values, Layout::Columns));
        let shown = with_class(&els, "chart-label");
        assert!(shown.len() >= 4 && shown.len() <= 12, "{}", shown.len());
        let round = |t: &&El| t.2.parse::<i64>().map(|y| y % 5) == Ok(0);
        assert!(shown.iter().all(round));
        for pair in shown.windows(2) {
            assert!(pair[1].num("x") - pair[0].num("x") > text_w("2000"));
        }
        // 60 columns leave no room for two-digit value labels; tooltips carry them.
        assert!(with_class(&els, "chart-value").is_empty());
        assert_eq!(with_class(&els, "chart-bar").len(), 60);
        // Few columns: every label and every non-zero value is shown.
        let els = parse(&draw(&labels[..6], &values, Layout::Columns));
        assert_eq!(texts(&els, "chart-label"), labels[..6]);
        assert_eq!(with_class(&els, "chart-value").len(), 5);
    }

    #[test]
    fn output_is_deterministic_compact_and_valid_when_empty() {
        let (labels, values) = years(1990, 35);
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        for layout in [Layout::Columns, Layout::Rows] {
            let out = draw(&labels, &values, layout);
            assert_eq!(out, draw(&labels, &values, layout));
            for (k, v) in parse(&out).iter().flat_map(|e| &e.1) {
                let decimals = v.split_once('.').map_or(0, |(_, d)| d.len());
                assert!(decimals <= 1 || v.parse::<f64>().is_err(), "{k}={v}");
            }
            let empty = draw(&[], &[], layout);
            assert_eq!(parse(&empty).len(), 3, "svg, title and desc only");
            assert!(empty.contains("role=\"img\"") && empty.contains("viewBox=\"0 0 560 24\""));
            assert!(!empty.contains(" width="));
        }
    }
}
