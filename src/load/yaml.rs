//! YAML into a tree of nodes that each know their byte span in the file.
//!
//! We read YAML through serde-saphyr into this generic tree instead of deriving
//! `Deserialize` for entries, so that validation can report every problem of a file
//! (serde stops at the first), suggest names for unknown keys, and keep scalars as the
//! text the editor typed (`32.10` stays `32.10`, `2017` stays a string until it is a date).

mod fast;
mod lines;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, DuplicateKeyPolicy, Options, Spanned};
use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Node {
    /// Byte range in the whole file (not just the YAML part).
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    /// A plain number, kept as typed.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone)]
pub struct Key {
    pub text: String,
    pub span: Range<usize>,
}

impl Value {
    /// What the editor wrote, in words, for "expected X, found Y".
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub span: Range<usize>,
    pub help: String,
}

const MAX_NODES: usize = 50_000;
const MAX_DEPTH: usize = 48;

/// Parses `yaml`, which starts at byte `base` of a file.
pub fn parse(yaml: &str, base: usize) -> Result<Node, YamlError> {
    if let Some(node) = lines::parse(yaml, base).or_else(|| fast::parse(yaml, base)) {
        return Ok(node);
    }
    full(yaml, base)
}

/// Reads `yaml` through serde-saphyr: every rule, limit and error message.
fn full(yaml: &str, base: usize) -> Result<Node, YamlError> {
    let mut options = Options::default();
    // `no` is Norway's country code, not `false`.
    options.strict_booleans = true;
    // We see repeated keys ourselves, so we can point at both.
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    options.with_snippet = false;
    let mut budget = Budget::default();
    budget.max_nodes = MAX_NODES;
    budget.max_depth = MAX_DEPTH;
    // `.nan` and `1e999` reach validation as text, which then says it is not a number.
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::AsString;
    options.budget = Some(budget);
    match serde_saphyr::from_str_with_options::<Option<Spanned<Raw>>>(yaml, options) {
        Ok(Some(raw)) => Ok(convert(raw, yaml, base)),
        Ok(None) => Ok(Node {
            span: base..base,
            value: Value::Null,
        }),
        Err(e) => Err(error(&e, yaml, base)),
    }
}

/// The error of a failed parse of `yaml`, which starts at byte `base` of its file.
pub fn error(e: &serde_saphyr::Error, yaml: &str, base: usize) -> YamlError {
    let message = e
        .render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        })
        .to_string();
    let message = strip_location(message.lines().next().unwrap_or("invalid YAML"));
    let start = e
        .location()
        .and_then(|l| {
            l.span()
                .byte_offset()
                .map(|o| o as usize)
                .or_else(|| line_col_to_byte(yaml, l.line(), l.column()))
        })
        .unwrap_or(0)
        .min(yaml.len());
    let (message, help) = explain(message);
    YamlError {
        message,
        span: base + start..base + start,
        help,
    }
}

/// Budget breaches come as Rust debug text; say what they mean for an editor.
fn explain(message: String) -> (String, String) {
    let syntax_help = "check the indentation and quoting on this line; values containing `: ` or starting with `[`, `{`, `*`, `&` or `#` need quotes".to_string();
    if message.contains("Nodes {") || message.contains("Alias") && message.contains("budget") {
        let m = format!("the aliases expand to more than {MAX_NODES} values");
        return (
            m,
            "an entry needs no anchors (`&a`) or aliases (`*a`); write the values out".into(),
        );
    }
    if message.contains("Depth {") || message.contains("recursion limit") {
        let m = format!("nested more than {MAX_DEPTH} levels deep");
        return (
            m,
            "entries are shallow: a mapping of keys, lists of sources and events, nothing deeper"
                .into(),
        );
    }
    if message.contains("budget breached") {
        return (
            "the YAML is too large to be an entry".into(),
            "split it into several entries".into(),
        );
    }
    (message, syntax_help)
}

/// serde-saphyr puts "line N column M: " before its message; our renderer shows the
/// place itself. Its trailing " at line N column M" goes too.
fn strip_location(msg: &str) -> String {
    let mut m = msg.trim();
    if let Some(rest) = m.strip_prefix("line ")
        && let Some(idx) = rest.find(": ")
    {
        m = &rest[idx + 2..];
    }
    let m = match m.rfind(" at line ") {
        Some(i) => &m[..i],
        None => m,
    };
    let m = m.trim_end_matches(", set DuplicateKeyPolicy in Options if acceptable");
    m.to_string()
}

fn line_col_to_byte(text: &str, line: u64, col: u64) -> Option<usize> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let rest = text.get(line_start..)?;
    let off: usize = rest
        .chars()
        .take(col.saturating_sub(1) as usize)
        .map(char::len_utf8)
        .sum();
    Some(line_start + off)
}

fn span_of<T>(s: &Spanned<T>, yaml: &str, base: usize) -> Range<usize> {
    let l = s.referenced;
    let sp = l.span();
    let start = sp
        .byte_offset()
        .map(|o| o as usize)
        .or_else(|| line_col_to_byte(yaml, l.line(), l.column()))
        .unwrap_or(0)
        .min(yaml.len());
    let len = sp.byte_len().map(|l| l as usize).unwrap_or(0);
    base + start..base + (start + len).min(yaml.len())
}

fn convert(raw: Spanned<Raw>, yaml: &str, base: usize) -> Node {
    let span = span_of(&raw, yaml, base);
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Number(fallback) => {
            let typed = yaml
                .get(span.start - base..span.end - base)
                .unwrap_or("")
                .trim();
            Value::Number(if typed.is_empty() {
                fallback
            } else {
                typed.to_string()
            })
        }
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|n| convert(n, yaml, base)).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        span: span_of(&k, yaml, base),
                        text: k.value,
                    };
                    (key, convert(v, yaml, base))
                })
                .collect(),
        ),
    };
    Node { span, value }
}

/// What serde-saphyr hands us, before spans become byte ranges of the file.
enum Raw {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Number(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Number(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Number(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Number(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<Raw>>()?;
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(n: &Node) -> &[(Key, Node)] {
        match &n.value {
            Value::Map(m) => m,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn scalars_keep_the_text_the_editor_typed() {
        let n = parse("code: 32.10\ncountry: no\nsigned: 2017\n", 0).unwrap();
        let m = map(&n);
        assert!(matches!(&m[0].1.value, Value::Number(s) if s == "32.10"));
        assert!(matches!(&m[1].1.value, Value::Str(s) if s == "no"));
        assert!(matches!(&m[2].1.value, Value::Number(s) if s == "2017"));
    }

    #[test]
    fn spans_are_byte_ranges_of_the_file() {
        let n = parse("name: Kota Bandung\n", 4).unwrap();
        let (k, v) = &map(&n)[0];
        assert_eq!(k.span, 4..8);
        assert_eq!(v.span, 10..22);
    }

    #[test]
    fn repeated_keys_reach_us() {
        let n = parse("a: 1\na: 2\n", 0).unwrap();
        assert_eq!(map(&n).len(), 2);
    }

    /// The quick readers, where they answer, give exactly serde-saphyr's tree.
    fn agrees(yaml: &str) -> bool {
        let fast = fast::parse(yaml, 7).map(|n| format!("{n:?}"));
        let lines = lines::parse(yaml, 7).map(|n| format!("{n:?}"));
        let full = full(yaml, 7).map(|n| format!("{n:?}")).ok();
        for quick in [&fast, &lines].into_iter().flatten() {
            assert_eq!(Some(quick), full.as_ref(), "the readers differ on:\n{yaml}");
        }
        fast.is_some()
    }

    #[test]
    fn fast_reader_agrees_with_serde_saphyr_on_tricky_scalars() {
        let cases = [
            "a: 1\nb: -2\nc: 3.25\nd: -6.914\ne: 0\nf: 2017\ng: 1971-12-10\nh: 2017-03\n",
            "a: ~\nb: null\nc: NULL\nd:\ne: true\nf: False\ng: no\nh: yes\ni: off\n",
            "a: 'quoted'\nb: \"1\"\nc: 'true'\nd: ''\ne: \"~\"\n",
            "a: |\n  block\n  text\nb: >\n  folded\n  text\n",
            "list: [education, culture, '3']\nmap: {x: 1, y: two}\nnested:\n  - k: v\n    n: 2\n  - [a, b]\n",
            "a: inf\nb: nan\nc: Infinity\nd: e5\ne: word with spaces\nf: Kota Bandung\n",
            "title: 21 State Capitals\nb: 12:30\nc: 3 km\nd: 1,000\n",
            "a: 0127\nb: 0x1F\nc: 1e5\nd: .5\ne: +3\nf: 1_000\ng: .inf\nh: -.inf\ni: 1.\nj: 5-\n",
            "a: 1\na: 2\n",
            "\"quoted key\": 1\n2017: year\ntrue: x\n~: y\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\nb: !custom x\n",
            "",
            "# only a comment\n",
            "just text",
            "- a\n- b\n",
            "a: [unclosed\n",
            "a: 1\n---\nb: 2\n",
            "name: Ünïcödé — ok\ncode: \"32.10\"\nlat: -6.9\n",
        ];
        for c in cases {
            agrees(c);
        }
        // The entry-like ones take the fast road; the odd ones are left to serde-saphyr.
        assert!(agrees(
            "a: 1\nb: 1971-12-10\nc: [x, y]\nd: 'q'\ne: 21 Capitals # note\n"
        ));
        assert!(!agrees("a: &x 1\nb: *x\n"));
        assert!(!agrees("a: 0127\n"));
        assert!(!agrees("a: [unclosed\n"));
    }

    /// Every entry of the atlas and of the test fixtures reads the same every way, and
    /// nearly all of them take the fast roads (else the speed-up has silently gone).
    #[test]
    fn fast_reader_agrees_with_serde_saphyr_on_every_entry() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut fast_ones, mut all) = (0, 0);
        let (mut atlas_entries, mut by_lines) = (0, 0);
        for dir in ["content", "tests/fixtures"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let path = e.path();
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                let yaml = match path.extension().and_then(|x| x.to_str()) {
                    Some("yaml" | "yml") => text,
                    Some("md") => match crate::load::frontmatter::split(&text, true) {
                        Ok(s) => match s.yaml {
                            Some(y) => text[y].to_string(),
                            None => continue,
                        },
                        Err(_) => continue,
                    },
                    _ => continue,
                };
                all += 1;
                if agrees(&yaml) {
                    fast_ones += 1;
                }
                if dir == "content" {
                    atlas_entries += 1;
                    by_lines += usize::from(lines::parse(&yaml, 0).is_some());
                }
            }
        }
        assert!(all > 400, "found only {all} entries");
        assert!(
            by_lines * 100 >= atlas_entries * 95,
            "only {by_lines} of {atlas_entries} entries of the atlas were read line by line"
        );
        assert!(
            fast_ones * 100 >= all * 95,
            "only {fast_ones} of {all} took the fast road"
        );
    }

    #[test]
    fn alias_bombs_and_deep_nesting_fail_fast() {
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
        assert!(parse(bomb, 0).is_err());
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep, 0).is_err());
    }
}
