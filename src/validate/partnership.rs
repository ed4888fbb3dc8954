//! Reading a partnership entry: its facts, documents, timeline and sources, with the
//! checks that need only its own file (dates in order, citations, status vs timeline).

use super::entries::body;
use super::keys;
use super::reader::{
    At, Cx, Map, choice, date, list_of, opt_date, opt_text, req_text, slug, text, url,
};
use crate::diag::{Diagnostic, did_you_mean};
use crate::load::{Body as RawBody, Node};
use crate::markdown::Citation;
use crate::model::*;
use std::ops::Range;

/// A source and where its key is written.
pub(super) type KeyedSource = (SourceRef, At<String>);
/// An event and where its status is written.
type TimedEvent = (Event, Option<At<Status>>);

/// A partnership read from its file, its references to other files not yet resolved.
pub struct PartnershipDraft {
    pub own: OwnFacts,
    pub region: At<Slug>,
    pub partner: At<String>,
    pub fields: Vec<At<Slug>>,
    /// Keys and spans of the `sources`, to warn about those never cited.
    pub source_keys: Vec<At<String>>,
}

/// What a partnership file says that needs no other file to be trusted.
pub struct OwnFacts {
    pub slug: Slug,
    pub title: Option<String>,
    pub kind: Kind,
    pub status: Status,
    pub confidence: Option<Confidence>,
    pub signed: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub documents: Vec<crate::model::Document>,
    pub events: Vec<Event>,
    pub sources: Vec<SourceRef>,
    pub last_verified: Option<PartialDate>,
    pub body: Body,
    pub file: String,
}

impl PartnershipDraft {
    /// The model value, once `refs` has resolved the partner and the fields.
    pub fn resolve(self, partner: PartnerId, fields: Vec<FieldId>) -> Partnership {
        let o = self.own;
        Partnership {
            slug: o.slug,
            title: o.title,
            region: self.region.value,
            partner,
            kind: o.kind,
            status: o.status,
            confidence: o.confidence,
            signed: o.signed,
            until: o.until,
            fields,
            documents: o.documents,
            events: o.events,
            sources: o.sources,
            last_verified: o.last_verified,
            body: o.body,
            en: None,
            file: o.file,
            rank: Rank::default(),
        }
    }
}

pub fn partnership(
    cx: &mut Cx,
    node: &Node,
    own_slug: Slug,
    raw: Option<&RawBody>,
    file: String,
) -> Option<PartnershipDraft> {
    let map = Map::new(cx, node, "a partnership", keys::PARTNERSHIP)?;
    let title = opt_text(cx, &map, "title");
    let region = map
        .required(cx, "region", "jawa-barat")
        .and_then(|n| slug(cx, n, "region"));
    let partner = map
        .required(cx, "partner", "jp/shizuoka")
        .and_then(|n| text(cx, n, "partner"));
    let kind = map
        .required(cx, "kind", "sister-province")
        .and_then(|n| choice(cx, n, "kind", Kind::NAMES, Kind::parse));
    let status = map
        .required(cx, "status", "active")
        .and_then(|n| choice(cx, n, "status", Status::NAMES, Status::parse));
    let confidence = map
        .get("confidence")
        .and_then(|n| choice(cx, n, "confidence", Confidence::NAMES, Confidence::parse));
    let signed = opt_date(cx, &map, "signed");
    let until = opt_date(cx, &map, "until");
    if let (Some(s), Some(u)) = (&signed, &until)
        && u.value.definitely_before(&s.value)
    {
        let d = Diagnostic::error(format!(
            "`until` ({}) is before `signed` ({})",
            u.value, s.value
        ))
        .at(cx.source, u.span.clone())
        .label("ends here")
        .also(cx.source, s.span.clone(), "but signed here")
        .help("check both dates against the source");
        cx.diags.push(d);
    }
    let fields = map
        .get("fields")
        .and_then(|n| list_of(cx, n, "fields", "[education, tourism]"))
        .map(|items| items.iter().filter_map(|n| slug(cx, n, "fields")).collect())
        .unwrap_or_default();
    let documents = map
        .get("documents")
        .and_then(|n| {
            list_of(
                cx,
                n,
                "documents",
                "[{ kind: mou, date: 2017-11-08, title: … }]",
            )
        })
        .map(|items| items.iter().filter_map(|n| document(cx, n)).collect())
        .unwrap_or_default();
    let (sources, declared) = sources(cx, &map, true);
    let keys: Option<Vec<&str>> = declared
        .as_ref()
        .map(|d| d.iter().map(String::as_str).collect());
    let (events, events_complete) = map
        .get("events")
        .and_then(|n| list_of(cx, n, "events", "[{ date: 2017-11, title: … }]"))
        .map(|items| events_list(cx, items, keys.as_deref()))
        .unwrap_or((Vec::new(), true));
    let last_verified = opt_date(cx, &map, "last_verified").map(|d| d.value);
    let (body, citations) = body(cx, raw);
    if let Some(keys) = &keys {
        check_citations(cx, &citations, keys);
    }
    let status = status?;
    // With an event left out for its own errors, the latest status may be wrong.
    if events_complete {
        check_status_agrees(cx, &events, &status);
    }
    Some(PartnershipDraft {
        own: OwnFacts {
            slug: own_slug,
            title,
            kind: kind?.value,
            status: status.value,
            confidence: confidence.map(|c| c.value),
            signed: signed.map(|d| d.value),
            until: until.map(|d| d.value),
            documents,
            events: events.into_iter().map(|(e, _)| e).collect(),
            sources: sources.iter().map(|(s, _)| s.clone()).collect(),
            last_verified,
            body,
            file,
        },
        region: region?,
        partner: partner?,
        fields,
        source_keys: sources.into_iter().map(|(_, k)| k).collect(),
    })
}

fn document(cx: &mut Cx, node: &Node) -> Option<crate::model::Document> {
    let map = Map::new(cx, node, "a document", keys::DOCUMENT)?;
    let kind = map
        .required(cx, "kind", "mou")
        .and_then(|n| choice(cx, n, "kind", DocumentKind::NAMES, DocumentKind::parse));
    let date = map
        .required(cx, "date", "2017-11-08")
        .and_then(|n| date(cx, n, "date"));
    let title = req_text(cx, &map, "title", "Memorandum of Understanding");
    let place = opt_text(cx, &map, "place");
    Some(crate::model::Document {
        kind: kind?.value,
        date: date?.value,
        title: title?.value,
        place,
    })
}

/// The `sources` of an entry with the keys of those that could be read, and every key
/// written (also of sources with errors, so a citation of such a source is not reported
/// again); the keys are `None` when the list is unusable or empty, which has its own error.
pub(super) fn sources(
    cx: &mut Cx,
    map: &Map,
    required: bool,
) -> (Vec<KeyedSource>, Option<Vec<String>>) {
    const EXAMPLE: &str = "[{ key: jabar, publisher: …, url: https://… }]";
    let node = if required {
        map.required(cx, "sources", EXAMPLE)
    } else {
        map.get("sources")
    };
    let Some(n) = node else {
        return (Vec::new(), (!required).then(Vec::new));
    };
    let (sources, declared) = list_of(cx, n, "sources", EXAMPLE)
        .map(|items| sources_list(cx, items, n.span.clone()))
        .map_or((Vec::new(), None), |(s, d)| (s, Some(d)));
    (sources, declared.filter(|d| !d.is_empty()))
}

fn sources_list(
    cx: &mut Cx,
    items: &[Node],
    list_span: Range<usize>,
) -> (Vec<(SourceRef, At<String>)>, Vec<String>) {
    if items.is_empty() {
        cx.error(
            list_span,
            "a partnership needs at least one source",
            "empty list",
            Some("add the page or document the facts were read in under `sources`".into()),
        );
    }
    let mut out: Vec<(SourceRef, At<String>)> = Vec::new();
    let mut declared = Vec::new();
    for n in items {
        let Some(map) = Map::new(cx, n, "a source", keys::SOURCE) else {
            continue;
        };
        let key = map
            .required(cx, "key", "jabar-2017")
            .and_then(|n| source_key(cx, n));
        let title = opt_text(cx, &map, "title");
        let publisher = req_text(cx, &map, "publisher", "Pemerintah Provinsi Jawa Barat");
        let url = map
            .required(cx, "url", "https://…")
            .and_then(|n| url(cx, n, "url"));
        let date = opt_date(cx, &map, "date").map(|d| d.value);
        let accessed = opt_date(cx, &map, "accessed").map(|d| d.value);
        let Some(key) = key else { continue };
        declared.push(key.value.clone());
        if let Some((_, first)) = out.iter().find(|(s, _)| s.key == key.value) {
            let d = Diagnostic::error(format!("source key `{}` is used twice", key.value))
                .at(cx.source, key.span.clone())
                .label("used again here")
                .also(cx.source, first.span.clone(), "first used here")
                .help("give each source its own key");
            cx.diags.push(d);
            continue;
        }
        if let (Some(publisher), Some(url)) = (publisher, url) {
            out.push((
                SourceRef {
                    key: key.value.clone(),
                    title,
                    publisher: publisher.value,
                    url: url.value,
                    date,
                    accessed,
                },
                key,
            ));
        }
    }
    (out, declared)
}

fn source_key(cx: &mut Cx, node: &Node) -> Option<At<String>> {
    let t = text(cx, node, "key")?;
    if t.value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Some(t);
    }
    cx.error(
        t.span,
        format!("`{}` is not a valid source key", t.value),
        "letters, digits, `-` and `_` only",
        Some("use a short key like `jabar-2017`, cited in the text as `[@jabar-2017]`".into()),
    );
    None
}

/// The events that could be read, and whether that is all of them.
fn events_list(cx: &mut Cx, items: &[Node], keys: Option<&[&str]>) -> (Vec<TimedEvent>, bool) {
    let mut out = Vec::new();
    let mut complete = true;
    for n in items {
        let Some(map) = Map::new(cx, n, "an event", keys::EVENT) else {
            complete = false;
            continue;
        };
        let date = map
            .required(cx, "date", "2017-11-08")
            .and_then(|n| date(cx, n, "date"));
        let title = req_text(cx, &map, "title", "MoU signed in Shizuoka");
        let source = map.get("source").and_then(|n| text(cx, n, "source"));
        if let (Some(s), Some(keys)) = (&source, keys)
            && !keys.contains(&s.value.as_str())
        {
            unknown_source(cx, &s.value, s.span.clone(), keys);
        }
        let status = map
            .get("status")
            .and_then(|n| choice(cx, n, "status", Status::NAMES, Status::parse));
        if status.is_none() && map.get("status").is_some() {
            complete = false;
        }
        if let (Some(date), Some(title)) = (date, title) {
            let event = Event {
                date: date.value,
                title: title.value,
                source: source.map(|s| s.value),
                status: status.as_ref().map(|s| s.value),
            };
            out.push((event, status));
        } else {
            complete = false;
        }
    }
    (out, complete)
}

fn unknown_source(cx: &mut Cx, key: &str, span: Range<usize>, keys: &[&str]) {
    let add = format!("add a source with `key: {key}` under `sources`");
    let help = did_you_mean(key, keys.iter().copied()).unwrap_or_else(|| match keys {
        [] => add,
        _ => format!("{add}, or cite one of {}", crate::diag::list(keys)),
    });
    cx.error(
        span,
        format!("no source with key `{key}`"),
        "unknown source",
        Some(help),
    );
}

pub fn check_citations(cx: &mut Cx, citations: &[Citation], keys: &[&str]) {
    for c in citations {
        if !keys.contains(&c.key.as_str()) {
            unknown_source(cx, &c.key, c.span.clone(), keys);
        }
    }
}

/// The timeline's last status is where the partnership stands; `status` must say the same.
fn check_status_agrees(cx: &mut Cx, events: &[(Event, Option<At<Status>>)], status: &At<Status>) {
    let last = events
        .iter()
        .filter_map(|(e, s)| s.as_ref().map(|s| (e.date, s)))
        .max_by(|a, b| a.0.cmp(&b.0));
    if let Some((date, s)) = last
        && s.value != status.value
    {
        let d = Diagnostic::error(format!(
            "`status: {}` disagrees with the timeline, whose latest status is `{}` ({date})",
            status.value, s.value
        ))
        .at(cx.source, status.span.clone())
        .label("the entry says this")
        .also(cx.source, s.span.clone(), "the latest event says this")
        .help(format!(
            "set `status: {}`, or add the later event that changed it",
            s.value
        ));
        cx.diags.push(d);
    }
}
