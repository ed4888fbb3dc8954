//! Index pages: for each way of grouping partnerships (field, country, province, year,
//! kind, status, confidence), a page listing the terms with counts and a page per term.

use super::pages::Ctx;
use crate::model::*;
use crate::render::value;
use crate::render::view::{self, Term};
use crate::urls;
use minijinja::context;
use serde_json::json;
use std::collections::BTreeMap;

/// How a term is shown: its name, page, description and explorer filter.
struct Info {
    name: String,
    url: String,
    description: Option<String>,
    filter: Option<String>,
}

fn terms<K: Ord>(m: &BTreeMap<K, Vec<&Partnership>>, describe: impl Fn(&K) -> Info) -> Vec<Term> {
    m.iter()
        .map(|(k, v)| {
            let i = describe(k);
            Term {
                name: i.name,
                url: i.url,
                count: v.len(),
                description: i.description,
                filter: i.filter,
            }
        })
        .collect()
}

fn kind_info(cx: &Ctx, k: Kind) -> Info {
    Info {
        name: cx.label(&["kinds", k.as_str()]),
        url: urls::kind(k),
        description: None,
        filter: Some(format!("kind={k}")),
    }
}

fn status_info(cx: &Ctx, s: Status) -> Info {
    Info {
        name: cx.label(&["statuses", s.as_str()]),
        url: urls::status(s),
        description: None,
        filter: Some(format!("status={s}")),
    }
}

pub(super) fn kinds(cx: &Ctx) -> Vec<Term> {
    terms(&cx.ix.by_kind, |k| kind_info(cx, *k))
}

pub(super) fn statuses(cx: &Ctx) -> Vec<Term> {
    terms(&cx.ix.by_status, |s| status_info(cx, *s))
}

/// One index page and one page per term. Term pages are listed now and built when
/// rendered.
fn taxonomy<'a, K: Ord + Copy + Send + Sync + 'a>(
    cx: &mut Ctx<'a>,
    key: &'static str,
    groups: &BTreeMap<K, Vec<&'a Partnership>>,
    describe: impl Fn(&Ctx, &K) -> Info,
    extra: fn(&Ctx, &K) -> Option<String>,
) {
    let mut list = terms(groups, |k| describe(cx, k));
    // Named terms read best alphabetically; years, kinds and statuses keep their order.
    if matches!(key, "fields" | "countries" | "provinces") {
        list.sort_by_cached_key(|t| view::name_key(&t.name));
    }
    cx.page(
        format!("{key}/index.html"),
        "taxonomy.html",
        value(&json!({ "taxonomy": key, "terms": list })),
    );
    for (&k, items) in groups {
        let i = describe(cx, &k);
        let url = i.url.clone();
        let items = items.clone();
        cx.lazy(&url, "term.html", move |cx| {
            let term = json!({ "name": i.name, "description": i.description, "filter": i.filter, "count": items.len() });
            context! {
                taxonomy => key, title => i.name.clone(), term => value(&term),
                items => cx.summaries(&items), map => extra(cx, &k),
            }
        });
    }
}

pub(super) fn all(cx: &mut Ctx) {
    let (atlas, ix, lang) = (cx.atlas, cx.ix, cx.lang);
    // Every field has a page, also those no partnership names yet.
    let mut by_field: BTreeMap<&FieldId, Vec<&Partnership>> =
        atlas.fields.keys().map(|f| (f, Vec::new())).collect();
    for (k, v) in &ix.by_field {
        by_field.insert(k, v.clone());
    }
    taxonomy(
        cx,
        "fields",
        &by_field,
        |_, f| {
            let field = atlas.fields.get(*f);
            Info {
                name: view::link_field(atlas, f, lang).name,
                url: urls::field(f),
                description: field.map(|x| {
                    lang.pick(&x.description, x.description_en.as_deref())
                        .to_string()
                }),
                filter: Some(format!("field={}", f.as_str())),
            }
        },
        |_, _| None,
    );
    // Every country with a partner has a page, also before any partnership is recorded.
    let mut by_country: BTreeMap<&CountryCode, Vec<&Partnership>> = atlas
        .partners
        .keys()
        .map(|p| (&p.country, Vec::new()))
        .collect();
    for (k, v) in &ix.by_country {
        by_country.insert(k, v.clone());
    }
    taxonomy(
        cx,
        "countries",
        &by_country,
        |_, c| Info {
            name: view::link_country(atlas, c, lang).name,
            url: urls::country(c),
            description: None,
            filter: Some(format!("country={c}")),
        },
        |cx, c| super::maps::country(cx, c),
    );
    taxonomy(
        cx,
        "provinces",
        &ix.by_province,
        |_, s| Info {
            name: atlas
                .regions
                .get(*s)
                .map_or_else(|| s.to_string(), |r| view::link_region(r, lang).name),
            url: urls::province(s),
            description: None,
            filter: Some(format!("province={s}")),
        },
        |_, _| None,
    );
    taxonomy(
        cx,
        "years",
        &ix.by_year,
        |cx, y| Info {
            name: y.map_or_else(|| cx.label(&["year_unknown"]), |y| y.to_string()),
            url: urls::year(*y),
            description: None,
            filter: y.map(|y| format!("from={y}&to={y}")),
        },
        |_, _| None,
    );
    taxonomy(
        cx,
        "kinds",
        &ix.by_kind,
        |cx, k| kind_info(cx, *k),
        |_, _| None,
    );
    taxonomy(
        cx,
        "statuses",
        &ix.by_status,
        |cx, s| status_info(cx, *s),
        |_, _| None,
    );
    taxonomy(
        cx,
        "confidence",
        &ix.by_confidence,
        |cx, c| Info {
            name: cx.label(&["confidence", c.as_str()]),
            url: urls::confidence(*c),
            description: Some(cx.label(&["confidence_help", c.as_str()])),
            filter: Some(format!("confidence={c}")),
        },
        |_, _| None,
    );
}
