//! Typed reading of spanned YAML: each accessor either returns a value with its span or
//! records a located diagnostic and returns `None`, so one pass finds every problem.

use crate::diag::{Diagnostic, Diagnostics, Source, did_you_mean, list};
use crate::load::{Key, Node, Value};
use crate::markdown::Html;
use crate::model::{Coordinates, PartialDate, Slug};
use std::ops::Range;

/// A value and where it was written.
#[derive(Debug, Clone)]
pub struct At<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// The file being read and the diagnostics being collected.
pub struct Cx<'a> {
    pub source: &'a Source,
    pub diags: &'a mut Diagnostics,
    /// Whether entries' bodies are rendered to HTML (see [`Html`]).
    pub html: Html,
}

impl<'a> Cx<'a> {
    /// A context that renders what it reads in full.
    pub fn new(source: &'a Source, diags: &'a mut Diagnostics) -> Cx<'a> {
        Cx {
            source,
            diags,
            html: Html::Always,
        }
    }

    pub fn error(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: &str,
        help: Option<String>,
    ) {
        let d = Diagnostic::error(message)
            .at(self.source, span)
            .label(label)
            .help_opt(help);
        self.diags.push(d);
    }
}

/// A YAML mapping whose keys have been checked against what an entry allows.
pub struct Map<'n> {
    entries: &'n [(Key, Node)],
    /// Keys suggested for unknown keys: if one is missing, the typo was already reported.
    suggested: Vec<String>,
    span: Range<usize>,
    what: &'static str,
}

const EMPTY: &[(Key, Node)] = &[];

impl<'n> Map<'n> {
    /// Reads `node` as a mapping of `what` (e.g. "a partnership") with the allowed keys.
    /// Unknown and repeated keys are reported here, once.
    pub fn new(
        cx: &mut Cx,
        node: &'n Node,
        what: &'static str,
        allowed: &[super::keys::Key],
    ) -> Option<Map<'n>> {
        let allowed = || super::keys::names(allowed);
        let entries = match &node.value {
            Value::Map(m) => m.as_slice(),
            Value::Null => EMPTY,
            other => {
                cx.error(
                    node.span.clone(),
                    format!(
                        "expected the fields of {what} as `key: value` lines, found {}",
                        other.describe()
                    ),
                    "expected a mapping",
                    Some("write one `key: value` per line (or `{ key: value, … }`), not a list or a single value".into()),
                );
                return None;
            }
        };
        let mut suggested = Vec::new();
        for (i, (key, _)) in entries.iter().enumerate() {
            if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.text == key.text) {
                let d = Diagnostic::error(format!("key `{}` is given twice", key.text))
                    .at(cx.source, key.span.clone())
                    .label("given again here")
                    .also(cx.source, first.span.clone(), "first given here")
                    .help("keep one of them; YAML keeps no duplicate keys");
                cx.diags.push(d);
            } else if !allowed().any(|k| k == key.text) {
                let near = crate::diag::suggest(&key.text, allowed());
                suggested.extend(near.map(str::to_string));
                let help = near
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("the keys of {what} are {}", list(allowed())));
                cx.error(
                    key.span.clone(),
                    format!("unknown key `{}` in {what}", key.text),
                    "unknown key",
                    Some(help),
                );
            }
        }
        Some(Map {
            entries,
            suggested,
            span: node.span.clone(),
            what,
        })
    }

    /// The value of `key`; an empty value (`key:`) counts as absent.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v.value, Value::Null))
    }

    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, _)| k.span.clone())
    }

    pub fn required(&self, cx: &mut Cx, key: &str, example: &str) -> Option<&'n Node> {
        let found = self.get(key);
        let typo_reported = self.suggested.iter().any(|s| s == key);
        if found.is_none() && !typo_reported {
            let (span, label) = match self.key_span(key) {
                Some(s) => (s, "this key has no value"),
                None => (self.span.start..self.span.start, "in this entry"),
            };
            cx.error(
                span,
                format!("missing required key `{key}` in {}", self.what),
                label,
                Some(format!("add `{key}: {example}`")),
            );
        }
        found
    }
}

/// Text: a string, or a number kept as typed. Empty text is an error.
pub fn text(cx: &mut Cx, node: &Node, key: &str) -> Option<At<String>> {
    let s = match &node.value {
        Value::Str(s) => s.trim().to_string(),
        Value::Number(n) => n.clone(),
        other => {
            cx.error(
                node.span.clone(),
                format!("`{key}` must be text, found {}", other.describe()),
                "expected text",
                Some("put the text in quotes if it looks like something else".into()),
            );
            return None;
        }
    };
    if s.is_empty() {
        cx.error(
            node.span.clone(),
            format!("`{key}` is empty"),
            "empty text",
            Some(format!("write a value for `{key}` or remove the key")),
        );
        return None;
    }
    Some(At {
        value: s,
        span: node.span.clone(),
    })
}

pub fn opt_text(cx: &mut Cx, map: &Map, key: &str) -> Option<String> {
    map.get(key).and_then(|n| text(cx, n, key)).map(|a| a.value)
}

pub fn req_text(cx: &mut Cx, map: &Map, key: &str, example: &str) -> Option<At<String>> {
    map.required(cx, key, example)
        .and_then(|n| text(cx, n, key))
}

pub fn slug(cx: &mut Cx, node: &Node, key: &str) -> Option<At<Slug>> {
    let t = text(cx, node, key)?;
    match Slug::parse(&t.value) {
        Ok(s) => Some(At {
            value: s,
            span: t.span,
        }),
        Err(msg) => {
            let help = format!(
                "slugs use lowercase letters, digits and single hyphens, e.g. `{}`",
                Slug::suggest(&t.value)
            );
            cx.error(
                t.span,
                format!("{msg} for `{key}`"),
                "not a slug",
                Some(help),
            );
            None
        }
    }
}

pub fn date(cx: &mut Cx, node: &Node, key: &str) -> Option<At<PartialDate>> {
    let t = text(cx, node, key)?;
    match PartialDate::parse(&t.value) {
        Ok(d) => Some(At {
            value: d,
            span: t.span,
        }),
        Err(msg) => {
            cx.error(
                t.span,
                format!("invalid date for `{key}`: {msg}"),
                "not a real date",
                Some("dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; give only as much as the source says".into()),
            );
            None
        }
    }
}

pub fn opt_date(cx: &mut Cx, map: &Map, key: &str) -> Option<At<PartialDate>> {
    map.get(key).and_then(|n| date(cx, n, key))
}

/// One of a closed list of words, with a suggestion when the word is close.
pub fn choice<T>(
    cx: &mut Cx,
    node: &Node,
    key: &str,
    names: &[&str],
    parse: fn(&str) -> Option<T>,
) -> Option<At<T>> {
    let t = text(cx, node, key)?;
    match parse(&t.value) {
        Some(v) => Some(At {
            value: v,
            span: t.span,
        }),
        None => {
            let allowed = format!("allowed values are {}", list(names));
            let hint = alias(&t.value)
                .filter(|a| names.contains(a))
                .map(|a| format!("did you mean `{a}`?"));
            let help = match hint.or_else(|| did_you_mean(&t.value, names.iter().copied())) {
                Some(s) => format!("{s} ({allowed})"),
                None => allowed,
            };
            cx.error(
                t.span,
                format!("`{}` is not a valid `{key}`", t.value),
                "unknown value",
                Some(help),
            );
            None
        }
    }
}

/// Words editors write for a vocabulary value, in Indonesian or English.
fn alias(word: &str) -> Option<&'static str> {
    let w = word.trim().to_lowercase().replace([' ', '_'], "-");
    Some(match w.as_str() {
        "kotamadya" | "kota-madya" | "city" | "municipality" => "kota",
        "kab" | "regency" | "kab." => "kabupaten",
        "province" | "propinsi" | "prov" => "provinsi",
        "memorandum" | "memorandum-of-understanding" | "nota-kesepahaman" => "mou",
        "letter-of-intent" | "loi." | "surat-pernyataan-kehendak" => "loi",
        "twin-city" | "twinning" | "kota-kembar" => "sister-city",
        "provinsi-kembar" | "sister-state" | "sister-prefecture" => "sister-province",
        "aktif" => "active",
        "inactive" | "tidak-aktif" => "dormant",
        "expired" | "berakhir" => "ended",
        "proposed" | "direncanakan" => "planned",
        _ => return None,
    })
}

pub fn list_of<'n>(cx: &mut Cx, node: &'n Node, key: &str, example: &str) -> Option<&'n [Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        other => {
            cx.error(
                node.span.clone(),
                format!("`{key}` must be a list, found {}", other.describe()),
                "expected a list",
                Some(format!("write a list, e.g. `{key}: {example}`")),
            );
            None
        }
    }
}

pub fn number(cx: &mut Cx, node: &Node, key: &str) -> Option<At<f64>> {
    let parsed = match &node.value {
        Value::Number(n) => n.parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    };
    if parsed.is_none() {
        let found = match &node.value {
            Value::Number(n) | Value::Str(n) => format!("`{n}`"),
            other => other.describe().to_string(),
        };
        cx.error(
            node.span.clone(),
            format!("`{key}` must be a finite number, found {found}"),
            "expected a number",
            Some("write decimal degrees without quotes, e.g. `-6.9147`".into()),
        );
    }
    parsed.map(|value| At {
        value,
        span: node.span.clone(),
    })
}

pub fn coordinates(cx: &mut Cx, node: &Node, what: &'static str) -> Option<Coordinates> {
    let map = Map::new(cx, node, what, super::keys::COORDINATES)?;
    let lat = map
        .required(cx, "lat", "-6.9147")
        .and_then(|n| number(cx, n, "lat"));
    let lon = map
        .required(cx, "lon", "107.6098")
        .and_then(|n| number(cx, n, "lon"));
    let lat = lat.filter(|l| in_range(cx, l, "lat", 90.0))?;
    let lon = lon.filter(|l| in_range(cx, l, "lon", 180.0))?;
    Some(Coordinates {
        lat: lat.value,
        lon: lon.value,
    })
}

fn in_range(cx: &mut Cx, v: &At<f64>, key: &str, max: f64) -> bool {
    let ok = (-max..=max).contains(&v.value);
    if !ok {
        let hint = if key == "lat" {
            "latitude runs from -90 (south) to 90 (north)"
        } else {
            "longitude runs from -180 (west) to 180 (east)"
        };
        cx.error(
            v.span.clone(),
            format!("`{key}` {} is out of range", v.value),
            "out of range",
            Some(format!(
                "{hint}; check that `lat` and `lon` are not swapped"
            )),
        );
    }
    ok
}

/// An absolute http(s) URL.
pub fn url(cx: &mut Cx, node: &Node, key: &str) -> Option<At<String>> {
    let t = text(cx, node, key)?;
    let lower = t.value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && !host.starts_with('/')
                && !t.value.contains(char::is_whitespace) =>
        {
            Some(t)
        }
        _ => {
            cx.error(
                t.span,
                format!("`{key}` must be an http:// or https:// address"),
                "not a web address",
                Some("give the full address, starting with `https://`".into()),
            );
            None
        }
    }
}

pub fn opt_url(cx: &mut Cx, map: &Map, key: &str) -> Option<String> {
    map.get(key).and_then(|n| url(cx, n, key)).map(|a| a.value)
}

/// A Wikidata item id such as `Q1204`.
pub fn opt_wikidata(cx: &mut Cx, map: &Map) -> Option<String> {
    let t = text(cx, map.get("wikidata")?, "wikidata")?;
    let ok = t.value.len() > 1
        && t.value.starts_with('Q')
        && t.value[1..].bytes().all(|b| b.is_ascii_digit())
        && !t.value[1..].starts_with('0');
    if !ok {
        cx.error(
            t.span,
            format!("`{}` is not a Wikidata item id", t.value),
            "expected `Q` and digits",
            Some("copy the id shown after the title on the Wikidata page, e.g. `Q10389`".into()),
        );
        return None;
    }
    Some(t.value)
}
