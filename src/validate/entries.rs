//! One entry file at a time: reads each kind of entry into its model type, keeping the
//! spans of what must be checked against other files later.

use super::reader::{
    At, Cx, Map, choice, coordinates, date, list_of, opt_date, opt_text, opt_url, opt_wikidata,
    req_text, slug, text, url,
};
use crate::diag::{Diagnostic, did_you_mean};
use crate::load::{Body as RawBody, Node};
use crate::markdown::{self, Citation};
use crate::model::*;
use std::ops::Range;

pub struct RegionDraft {
    pub region: Region,
    pub province: Option<At<Slug>>,
    pub code_span: Range<usize>,
}

/// A source and where its key is written.
type KeyedSource = (SourceRef, At<String>);
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
    pub fn resolve(&self, partner: PartnerId, fields: Vec<FieldId>) -> Partnership {
        let o = &self.own;
        Partnership {
            slug: o.slug.clone(),
            title: o.title.clone(),
            region: self.region.value.clone(),
            partner,
            kind: o.kind,
            status: o.status,
            signed: o.signed,
            until: o.until,
            fields,
            documents: o.documents.clone(),
            events: o.events.clone(),
            sources: o.sources.clone(),
            last_verified: o.last_verified,
            body: o.body.clone(),
            en: None,
            file: o.file.clone(),
        }
    }
}

pub fn body(raw: Option<&RawBody>) -> (Body, Vec<Citation>) {
    body_with_ids(raw, "")
}

/// A translation's ids start with `en-`: it is shown on the same page as the original.
fn body_with_ids(raw: Option<&RawBody>, id_prefix: &str) -> (Body, Vec<Citation>) {
    match raw {
        Some(b) => markdown::render(&b.text, b.offset, id_prefix),
        None => (Body::default(), Vec::new()),
    }
}

pub fn fields(
    cx: &mut Cx,
    node: &Node,
    declared: &mut std::collections::BTreeSet<String>,
) -> Vec<Field> {
    let crate::load::Value::Map(entries) = &node.value else {
        cx.error(
            node.span.clone(),
            "fields.yaml must map each field id to its names",
            "expected a mapping",
            Some("write `education:` and below it `name:`, `name_en:` and `description:`".into()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, (key, value)) in entries.iter().enumerate() {
        declared.insert(key.text.to_lowercase());
        if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.text == key.text) {
            cx.diags.push(
                Diagnostic::error(format!("field `{}` is defined twice", key.text))
                    .at(cx.source, key.span.clone())
                    .label("defined again here")
                    .also(cx.source, first.span.clone(), "first defined here")
                    .help("keep one definition"),
            );
            continue;
        }
        let id = match Slug::parse(&key.text) {
            Ok(s) => FieldId::new(s),
            Err(m) => {
                cx.error(
                    key.span.clone(),
                    format!("{m} for a field id"),
                    "not a slug",
                    Some(format!(
                        "field ids use lowercase letters, digits and hyphens, e.g. `{}`",
                        Slug::suggest(&key.text)
                    )),
                );
                continue;
            }
        };
        let Some(map) = Map::new(
            cx,
            value,
            "a field",
            &["name", "name_en", "description", "description_en"],
        ) else {
            continue;
        };
        let name = req_text(cx, &map, "name", "Pendidikan");
        let name_en = req_text(cx, &map, "name_en", "Education");
        let description = req_text(cx, &map, "description", "Pertukaran pelajar dan beasiswa.");
        let description_en = opt_text(cx, &map, "description_en");
        if let (Some(name), Some(name_en), Some(description)) = (name, name_en, description) {
            out.push(Field {
                id,
                name: name.value,
                name_en: name_en.value,
                description: description.value,
                description_en,
            });
        }
    }
    out
}

const REGION_KEYS: &[&str] = &[
    "name",
    "name_en",
    "level",
    "province",
    "code",
    "coordinates",
    "website",
    "wikidata",
];

pub fn region(
    cx: &mut Cx,
    node: &Node,
    slug: Slug,
    raw: Option<&RawBody>,
    file: String,
) -> Option<RegionDraft> {
    let map = Map::new(cx, node, "a region", REGION_KEYS)?;
    let name = req_text(cx, &map, "name", "Kota Bandung");
    let name_en = opt_text(cx, &map, "name_en");
    let level = map
        .required(cx, "level", "kota")
        .and_then(|n| choice(cx, n, "level", RegionLevel::NAMES, RegionLevel::parse));
    let province = map
        .get("province")
        .and_then(|n| self::slug(cx, n, "province"));
    let code = req_text(cx, &map, "code", "32.73");
    let coords = map
        .required(cx, "coordinates", "{ lat: -6.9147, lon: 107.6098 }")
        .and_then(|n| coordinates(cx, n, "coordinates"));
    let website = opt_url(cx, &map, "website");
    let wikidata = opt_wikidata(cx, &map);
    let (body, citations) = body(raw);
    if let Some(c) = citations.first() {
        cx.error(c.span.clone(), "citations belong in partnership entries", "no sources here", Some("a region has no `sources`; write the fact in a partnership entry and cite it there".into()));
    }
    let (level, code) = (level?, code?);
    check_code(cx, &code, level.value)?;
    if level.value == RegionLevel::Provinsi {
        if let Some(p) = &province {
            cx.error(
                p.span.clone(),
                "a province has no `province`",
                "not expected for a provinsi",
                Some("remove `province`, or change `level` to `kota` or `kabupaten`".into()),
            );
        }
    } else if province.is_none() && map.get("province").is_none() {
        map.required(cx, "province", "jawa-barat");
    }
    Some(RegionDraft {
        region: Region {
            slug,
            name: name?.value,
            name_en,
            level: level.value,
            province: province.as_ref().map(|p| p.value.clone()),
            code: code.value,
            coordinates: coords?,
            website,
            wikidata,
            body,
            en: None,
            file,
        },
        province,
        code_span: code.span,
    })
}

/// Kemendagri codes: `32` for a province, `32.73` for a kota or kabupaten.
fn check_code(cx: &mut Cx, code: &At<String>, level: RegionLevel) -> Option<()> {
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match (level, code.value.split_once('.')) {
        (RegionLevel::Provinsi, None) => digits(&code.value),
        (RegionLevel::Kota | RegionLevel::Kabupaten, Some((p, r))) => digits(p) && digits(r),
        _ => false,
    };
    if !ok {
        let example = if level == RegionLevel::Provinsi {
            "`32` (two digits)"
        } else {
            "`32.73` (province and regency, quoted if it ends in 0: `\"32.10\"`)"
        };
        cx.error(
            code.span.clone(),
            format!("`{}` is not a Kemendagri code for a {level}", code.value),
            "malformed code",
            Some(format!("a {level} code looks like {example}")),
        );
        return None;
    }
    Some(())
}

const PARTNER_KEYS: &[&str] = &[
    "name",
    "name_local",
    "country",
    "level",
    "coordinates",
    "website",
    "wikidata",
];

pub fn partner(
    cx: &mut Cx,
    node: &Node,
    id: PartnerId,
    raw: Option<&RawBody>,
    file: String,
) -> Option<Partner> {
    let map = Map::new(cx, node, "a partner", PARTNER_KEYS)?;
    let name = req_text(cx, &map, "name", "Shizuoka Prefecture");
    let name_local = opt_text(cx, &map, "name_local");
    if let Some(c) = map.get("country").and_then(|n| text(cx, n, "country"))
        && !c.value.eq_ignore_ascii_case(id.country.as_str())
    {
        let msg = format!(
            "`country: {}` does not match the folder `partners/{}/`",
            c.value, id.country
        );
        let help = format!(
            "move the file to `content/partners/{}/`, or correct `country` (the key may also be left out: the folder names the country)",
            c.value.to_ascii_lowercase()
        );
        cx.error(c.span, msg, "does not match the folder", Some(help));
    }
    let level = map
        .required(cx, "level", "city")
        .and_then(|n| choice(cx, n, "level", PartnerLevel::NAMES, PartnerLevel::parse));
    let coordinates = map
        .get("coordinates")
        .and_then(|n| coordinates(cx, n, "coordinates"));
    let website = opt_url(cx, &map, "website");
    let wikidata = opt_wikidata(cx, &map);
    let (body, _) = body(raw);
    Some(Partner {
        id,
        name: name?.value,
        name_local,
        level: level?.value,
        coordinates,
        website,
        wikidata,
        body,
        en: None,
        file,
    })
}

const PARTNERSHIP_KEYS: &[&str] = &[
    "title",
    "region",
    "partner",
    "kind",
    "status",
    "signed",
    "until",
    "fields",
    "documents",
    "events",
    "sources",
    "last_verified",
];

pub fn partnership(
    cx: &mut Cx,
    node: &Node,
    own_slug: Slug,
    raw: Option<&RawBody>,
    file: String,
) -> Option<PartnershipDraft> {
    let map = Map::new(cx, node, "a partnership", PARTNERSHIP_KEYS)?;
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
    // `declared` has every key written under `sources`, also of sources with errors, so a
    // citation of such a source is not reported again; `None` when the list is unusable.
    let (sources, declared): (Vec<KeyedSource>, Option<Vec<String>>) = match map.required(
        cx,
        "sources",
        "[{ key: …, title: …, publisher: …, url: https://… }]",
    ) {
        Some(n) => list_of(
            cx,
            n,
            "sources",
            "[{ key: jabar, title: …, publisher: …, url: https://… }]",
        )
        .map(|items| sources_list(cx, items, n.span.clone()))
        .map_or((Vec::new(), None), |(s, d)| (s, Some(d))),
        None => (Vec::new(), None),
    };
    // An empty list has its own error; every citation would only repeat it.
    let keys: Option<Vec<&str>> = declared
        .as_ref()
        .filter(|d| !d.is_empty())
        .map(|d| d.iter().map(String::as_str).collect());
    let (events, events_complete) = map
        .get("events")
        .and_then(|n| list_of(cx, n, "events", "[{ date: 2017-11, title: … }]"))
        .map(|items| events_list(cx, items, keys.as_deref()))
        .unwrap_or((Vec::new(), true));
    let last_verified = opt_date(cx, &map, "last_verified").map(|d| d.value);
    let (body, citations) = body(raw);
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
    let map = Map::new(cx, node, "a document", &["kind", "date", "title", "place"])?;
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
        let Some(map) = Map::new(
            cx,
            n,
            "a source",
            &["key", "title", "publisher", "url", "date", "accessed"],
        ) else {
            continue;
        };
        let key = map
            .required(cx, "key", "jabar-2017")
            .and_then(|n| source_key(cx, n));
        let title = req_text(cx, &map, "title", "Jabar dan Shizuoka teken MoU");
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
        if let (Some(title), Some(publisher), Some(url)) = (title, publisher, url) {
            out.push((
                SourceRef {
                    key: key.value.clone(),
                    title: title.value,
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
        let Some(map) = Map::new(cx, n, "an event", &["date", "title", "source", "status"]) else {
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

pub fn translation(
    cx: &mut Cx,
    node: Option<&Node>,
    raw: Option<&RawBody>,
) -> Option<(Translation, Vec<Citation>)> {
    let title = match node {
        Some(n) => {
            let map = Map::new(cx, n, "a translation", &["title"])?;
            opt_text(cx, &map, "title")
        }
        None => None,
    };
    let (body, citations) = body_with_ids(raw, "en-");
    Some((Translation { title, body }, citations))
}

pub fn page(
    cx: &mut Cx,
    node: &Node,
    slug: Slug,
    raw: Option<&RawBody>,
    file: String,
) -> Option<Page> {
    let map = Map::new(cx, node, "a page", &["title"])?;
    let title = req_text(cx, &map, "title", "Tentang atlas");
    let (body, citations) = body(raw);
    if let Some(c) = citations.first() {
        cx.error(
            c.span.clone(),
            "citations `[@key]` only work in partnership entries",
            "no sources here",
            Some("link to the source instead: `[title](https://…)`".into()),
        );
    }
    Some(Page {
        slug,
        title: title?.value,
        body,
        en: None,
        file,
    })
}
