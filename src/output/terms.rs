//! Index pages: for each way of grouping partnerships (field, country, province, year,
//! kind, status, confidence), a page listing the terms with counts and a page per term.

use super::pages::{Ctx, Deferred};
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
    map: Map<'a, K>,
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
        let make = Box::new(move |cx: &Ctx<'a>, items: &[&'a Partnership]| {
            let term = json!({ "name": i.name, "description": i.description, "filter": i.filter, "count": items.len() });
            context! {
                taxonomy => key, title => i.name.clone(), term => value(&term),
                items => cx.summaries(items), map => map.map(|m| m.draw(cx, &k)),
            }
        });
        let map_of = map.and_then(|m| (m.of)(&k));
        cx.defer(
            url,
            "term.html",
            Deferred::List {
                items: items.clone(),
                map_of,
                make,
            },
        );
    }
}

/// The map on each term's page, and the country whose partners it shows.
struct TermMap<'a, K> {
    draw: fn(&Ctx, &K) -> Option<String>,
    of: fn(&K) -> Option<&'a CountryCode>,
}

type Map<'a, K> = Option<TermMap<'a, K>>;

impl<K> TermMap<'_, K> {
    fn draw(&self, cx: &Ctx, k: &K) -> Option<String> {
        (self.draw)(cx, k)
    }
}

impl<K> Clone for TermMap<'_, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K> Copy for TermMap<'_, K> {}

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
        None,
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
        Some(TermMap {
            draw: |cx, c| super::maps::country(cx, c),
            of: |c| Some(*c),
        }),
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
        None,
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
        None,
    );
    taxonomy(cx, "kinds", &ix.by_kind, |cx, k| kind_info(cx, *k), None);
    taxonomy(
        cx,
        "statuses",
        &ix.by_status,
        |cx, s| status_info(cx, *s),
        None,
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
        None,
    );
}
