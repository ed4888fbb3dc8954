//! The explorer: one page listing every partnership with facets, and the script file it
//! filters with (a script, not JSON, because `fetch` is forbidden from `file://`).

use super::pages::Ctx;
use crate::index::{Ends, Indexes};
use crate::lang::Lang;
use crate::model::*;
use crate::render::view;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// Where the explorer's index for a language is written, relative to the site root.
pub fn index_path(lang: Lang) -> String {
    format!("data/explorer.{lang}.js")
}

#[derive(Serialize)]
struct Value {
    id: String,
    name: String,
    count: usize,
}

#[derive(Serialize)]
struct Facet {
    key: &'static str,
    label: String,
    values: Vec<Value>,
}

fn facet<K: Ord>(
    key: &'static str,
    label: String,
    groups: &BTreeMap<K, Vec<&Partnership>>,
    describe: impl Fn(&K) -> (String, String),
    by_name: bool,
) -> Facet {
    let mut values: Vec<Value> = groups
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            let (id, name) = describe(k);
            Value {
                id,
                name,
                count: v.len(),
            }
        })
        .collect();
    if by_name {
        values.sort_by_cached_key(|v| view::name_key(&v.name));
    }
    Facet { key, label, values }
}

/// The explorer page's context.
pub(super) fn page(cx: &Ctx) -> crate::render::Value {
    let (atlas, ix, lang) = (cx.atlas, cx.ix, cx.lang);
    let facets = vec![
        facet(
            "field",
            cx.label(&["taxonomies", "fields"]),
            &ix.by_field,
            |f| (f.as_str().into(), view::link_field(atlas, f, lang).name),
            true,
        ),
        facet(
            "country",
            cx.label(&["taxonomies", "countries"]),
            &ix.by_country,
            |c| (c.to_string(), view::link_country(atlas, c, lang).name),
            true,
        ),
        facet(
            "province",
            cx.label(&["taxonomies", "provinces"]),
            &ix.by_province,
            |s| {
                let name = atlas
                    .regions
                    .get(*s)
                    .map_or_else(|| s.to_string(), |r| view::link_region(r, lang).name);
                (s.to_string(), name)
            },
            true,
        ),
        facet(
            "kind",
            cx.label(&["taxonomies", "kinds"]),
            &ix.by_kind,
            |k| (k.to_string(), cx.label(&["kinds", k.as_str()])),
            false,
        ),
        facet(
            "status",
            cx.label(&["taxonomies", "statuses"]),
            &ix.by_status,
            |s| (s.to_string(), cx.label(&["statuses", s.as_str()])),
            false,
        ),
        facet(
            "confidence",
            cx.label(&["taxonomies", "confidence"]),
            &ix.by_confidence,
            |c| (c.to_string(), cx.label(&["confidence", c.as_str()])),
            false,
        ),
    ];
    let years = ix.by_year.keys().flatten();
    let years = json!({ "min": years.clone().min(), "max": years.max() });
    minijinja::context! {
        title => cx.label(&["explorer", "title"]),
        items => cx.summaries(&in_order(ix, lang)),
        facets => crate::render::value(&facets), years => crate::render::value(&years),
        index_script => index_path(lang),
    }
}

/// All partnerships ordered by their title in `lang`, as both the page and its index
/// list them.
pub fn in_order<'a>(ix: &Indexes<'a>, lang: Lang) -> Vec<&'a Partnership> {
    let mut all = ix.all.clone();
    if lang != Lang::Id {
        all.sort_by_cached_key(|p| {
            let title = ix.ends(p).title_in(p, lang);
            (view::name_key(&title), p.slug.clone())
        });
    }
    all
}

/// `window.KEMBAR_EXPLORER={"items":[…]};`, items in the page's order, each with the
/// facet values and the folded text that search matches.
/// Made in parallel in parts of [`super::data::CHUNK`] items, as `serde_json` writes the
/// whole index.
pub fn index_script(ix: &Indexes, lang: Lang) -> Vec<super::Part> {
    let ends = (
        &b"window.KEMBAR_EXPLORER={\"items\":["[..],
        &b","[..],
        &b"]};\n"[..],
    );
    super::data::joined(&in_order(ix, lang), ends, |out, p| {
        let _ = serde_json::to_writer(&mut *out, &item(ix, p, lang));
    })
}

fn item<'a>(ix: &Indexes<'a>, p: &'a Partnership, lang: Lang) -> Item<'a> {
    let ends = ix.ends(p);
    let (body, _) = view::body(&p.body, p.en.as_ref(), lang);
    Item {
        c: &p.partner.country,
        f: &p.fields,
        k: p.kind,
        n: p.confidence,
        q: search_text(ends, p, body, lang),
        s: &p.slug,
        st: p.status,
        v: ends.province.map(|r| &r.slug),
        y: p.year(),
    }
}

/// One partnership in the explorer's index, with short keys (the index is downloaded
/// whole), in alphabetical order as the index has always been written.
#[derive(Serialize)]
struct Item<'a> {
    c: &'a CountryCode,
    f: &'a [FieldId],
    k: Kind,
    n: Option<Confidence>,
    q: String,
    s: &'a Slug,
    st: Status,
    v: Option<&'a Slug>,
    y: Option<u16>,
}

/// Names in both languages, places, and the start of the history (enough to find a
/// partnership by a word of its opening, short enough to keep the index small),
/// folded the way the explorer folds a query: lower case, Latin letters without
/// their accents.
fn search_text(ends: &Ends, p: &Partnership, body: &Body, lang: Lang) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let title = ends.title_in(p, lang);
    parts.push(&title);
    for r in ends.region.into_iter().chain(ends.province) {
        parts.push(&r.name);
        parts.extend(r.name_en.as_deref());
    }
    if let Some(x) = ends.partner {
        parts.push(&x.name);
        parts.extend(x.name_local.as_deref());
    }
    if let Some(c) = ends.country {
        parts.push(&c.name_id);
        parts.push(&c.name_en);
    }
    let start: String = body.text.chars().take(160).collect();
    parts.push(&start);
    fold(&parts.join(" "))
}

/// Lower case; Latin letters lose their accents (as `NFD` + dropping combining marks does
/// in the browser); other scripts are kept as they are.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c) {
            let mut buf = [0; 4];
            out.push_str(&deunicode::deunicode(c.encode_utf8(&mut buf)).to_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
