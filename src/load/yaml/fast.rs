//! The common case read straight from the YAML parser's events: plain entries with
//! mappings, lists and scalars. serde-saphyr builds the same tree through serde (a
//! `Spanned` wrapper around every value), which made reading YAML a third of `check`.
//!
//! Anything out of the ordinary — a syntax error, an anchor, alias or tag, a second
//! document, a key that is not text, a scalar whose type is not obvious, a budget
//! breach — returns `None`, and the caller reads the file through serde-saphyr, which
//! owns the rules and the error messages. A test holds both readers to the same tree.

use super::{Key, MAX_DEPTH, MAX_NODES, Node, Value};
use granit_parser::{Event, Parser, ScalarStyle, Span, StrInput};
use std::borrow::Cow;
use std::ops::Range;

/// The tree of `yaml` (which starts at byte `base` of its file), or `None` when the
/// document needs the full reader.
pub fn parse(yaml: &str, base: usize) -> Option<Node> {
    let mut events = Events(Parser::new_from_str(yaml));
    let mut reader = Reader {
        base,
        yaml,
        nodes: 0,
    };
    match events.next()?.ok()?.0 {
        Event::StreamStart => {}
        _ => return None,
    }
    let root = match events.next()?.ok()? {
        (Event::StreamEnd, _) => {
            return Some(Node {
                span: base..base,
                value: Value::Null,
            });
        }
        (Event::DocumentStart(..), _) => match events.next()?.ok()? {
            (Event::MappingStart(_, 0, None), span) => reader.map(&mut events, span, 1)?,
            _ => return None,
        },
        _ => return None,
    };
    matches!(events.next()?.ok()?.0, Event::DocumentEnd).then_some(())?;
    matches!(events.next()?.ok()?.0, Event::StreamEnd).then_some(())?;
    events.next().is_none().then_some(root)
}

/// The parser's events without comments, stopping at the first error.
struct Events<'i>(Parser<'i, StrInput<'i>>);

impl<'i> Events<'i> {
    fn next(&mut self) -> Option<Result<(Event<'i>, Span), ()>> {
        loop {
            match self.0.next()? {
                Ok((Event::Comment(..), _)) => continue,
                Ok(e) => return Some(Ok(e)),
                Err(_) => return Some(Err(())),
            }
        }
    }
}

struct Reader<'a> {
    base: usize,
    yaml: &'a str,
    nodes: usize,
}

impl Reader<'_> {
    fn span(&self, span: &Span) -> Option<Range<usize>> {
        let r = span.byte_range()?;
        Some(self.base + r.start..self.base + r.end)
    }

    fn count(&mut self, depth: usize) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES && depth <= MAX_DEPTH).then_some(())
    }

    fn node<'i>(
        &mut self,
        events: &mut Events<'i>,
        event: Event<'i>,
        span: Span,
        depth: usize,
    ) -> Option<Node> {
        match event {
            Event::MappingStart(_, 0, None) => self.map(events, span, depth + 1),
            Event::SequenceStart(_, 0, None) => self.seq(events, span, depth + 1),
            Event::Scalar(text, style, 0, None) => {
                self.count(depth)?;
                let span = self.span(&span)?;
                let value = scalar(
                    text,
                    style,
                    self.yaml
                        .get(span.start - self.base..span.end - self.base)?,
                )?;
                Some(Node { span, value })
            }
            _ => None,
        }
    }

    fn map<'i>(&mut self, events: &mut Events<'i>, start: Span, depth: usize) -> Option<Node> {
        self.count(depth)?;
        let mut entries = Vec::new();
        loop {
            let (event, span) = events.next()?.ok()?;
            let text = match event {
                Event::MappingEnd => break,
                Event::Scalar(text, style, 0, None) if is_text_key(&text, style) => text,
                _ => return None,
            };
            let key = Key {
                span: self.span(&span)?,
                text: text.into_owned(),
            };
            let (event, span) = events.next()?.ok()?;
            entries.push((key, self.node(events, event, span, depth)?));
        }
        Some(Node {
            span: self.span(&start)?,
            value: Value::Map(entries),
        })
    }

    fn seq<'i>(&mut self, events: &mut Events<'i>, start: Span, depth: usize) -> Option<Node> {
        self.count(depth)?;
        let mut items = Vec::new();
        loop {
            let (event, span) = events.next()?.ok()?;
            if matches!(event, Event::SequenceEnd) {
                break;
            }
            items.push(self.node(events, event, span, depth)?);
        }
        Some(Node {
            span: self.span(&start)?,
            value: Value::Seq(items),
        })
    }
}

/// A plain key the full reader would take as the same text.
pub(super) fn is_plain_text_key(text: &str) -> bool {
    is_text_key(text, ScalarStyle::Plain)
}

/// A key the full reader would take as the same text: not null, not a boolean.
fn is_text_key(text: &str, style: ScalarStyle) -> bool {
    style != ScalarStyle::Plain || !matches!(plain_kind(text), Some(Value::Null | Value::Bool(_)))
}

/// The value of an untagged scalar; `None` when its type takes the full reader's rules.
fn scalar(text: Cow<str>, style: ScalarStyle, typed: &str) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(text.into_owned()));
    }
    match plain_kind(&text)? {
        Value::Number(_) => Some(Value::Number(typed.trim().to_string())),
        Value::Str(_) => Some(Value::Str(text.into_owned())),
        other => Some(other),
    }
}

/// What a plain scalar is under YAML 1.2 with strict booleans (`no` is text), when that
/// is certain; numbers and strings come back empty, the caller fills in the text.
pub(super) fn plain_kind(s: &str) -> Option<Value> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        // Words: only the float parser could take one (`inf`, `nan`), and a value that
        // is not finite stays text.
        return Some(Value::Str(String::new()));
    }
    // Numbers, in any base or notation, are made of letters, digits, `.`, `_`, `+`, `-`.
    let numeric = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-');
    if !s.bytes().all(numeric) {
        return Some(Value::Str(String::new()));
    }
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    // `0127` is octal to some readers and text to others: not obvious.
    let leading_zero = whole.len() > 1 && whole.starts_with('0');
    if digits(whole) && fraction.is_none_or(digits) && !leading_zero {
        return Some(Value::Number(String::new()));
    }
    // A date (`2017-03-01`): no number has a minus sign inside it.
    let date_like = s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && s.as_bytes()[1..].contains(&b'-')
        && first.is_ascii_digit();
    date_like.then(|| Value::Str(String::new()))
}
