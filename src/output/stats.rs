//! The statistics page: charts drawn at build time (signed per year, by country, field,
//! province and status), each with the data table it is drawn from.

use super::pages::Ctx;
use crate::charts::{self, Bar, Chart, Layout};
use crate::model::*;
use crate::render::view;
use crate::urls;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One row of a chart's data: a label, its count, and the page listing those partnerships.
struct Row {
    label: String,
    value: usize,
    url: Option<String>,
}

fn chart(cx: &Ctx, id: &str, rows: &[Row], layout: Layout, note: Option<String>) -> Value {
    let title = cx.label(&["stats", id, "title"]);
    let description = cx.label(&["stats", id, "description"]);
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: &r.label,
            value: r.value,
        })
        .collect();
    let svg = charts::svg(&Chart {
        id: &format!("chart-{id}"),
        title: &title,
        description: &description,
        bars: &bars,
        layout,
    });
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| json!({ "label": r.label, "value": r.value, "url": r.url }))
        .collect();
    json!({ "id": id, "title": title, "description": description, "svg": svg, "rows": rows, "note": note })
}

/// Rows by count, largest first, then by name.
fn ranked<K: Ord>(
    groups: &BTreeMap<K, Vec<&Partnership>>,
    describe: impl Fn(&K) -> (String, String),
) -> Vec<Row> {
    let mut rows: Vec<Row> = groups
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            let (label, url) = describe(k);
            Row {
                label,
                value: v.len(),
                url: Some(url),
            }
        })
        .collect();
    rows.sort_by_cached_key(|r| (std::cmp::Reverse(r.value), view::name_key(&r.label)));
    rows
}

/// The statistics page's context.
pub(super) fn page(cx: &Ctx) -> crate::render::Value {
    let (atlas, ix, lang) = (cx.atlas, cx.ix, cx.lang);
    let known: Vec<u16> = ix.by_year.keys().flatten().copied().collect();
    let years: Vec<Row> = match (known.first(), known.last()) {
        (Some(&a), Some(&b)) => (a..=b)
            .map(|y| {
                let n = ix.by_year.get(&Some(y)).map_or(0, Vec::len);
                Row {
                    label: y.to_string(),
                    value: n,
                    url: (n > 0).then(|| urls::year(Some(y))),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let unknown = ix.by_year.get(&None).map_or(0, Vec::len);
    let note = (unknown > 0).then(|| {
        cx.label(&["stats", "years", "unknown"])
            .replace("{n}", &unknown.to_string())
    });
    let charts = vec![
        chart(cx, "years", &years, Layout::Columns, note),
        chart(
            cx,
            "countries",
            &ranked(&ix.by_country, |c| {
                (view::link_country(atlas, c, lang).name, urls::country(c))
            }),
            Layout::Rows,
            None,
        ),
        chart(
            cx,
            "fields",
            &ranked(&ix.by_field, |f| {
                (view::link_field(atlas, f, lang).name, urls::field(f))
            }),
            Layout::Rows,
            None,
        ),
        chart(
            cx,
            "provinces",
            &ranked(&ix.by_province, |s| {
                let name = atlas
                    .regions
                    .get(*s)
                    .map_or_else(|| s.to_string(), |r| view::link_region(r, lang).name);
                (name, urls::province(s))
            }),
            Layout::Rows,
            None,
        ),
        chart(
            cx,
            "statuses",
            &ranked(&ix.by_status, |s| {
                (cx.label(&["statuses", s.as_str()]), urls::status(*s))
            }),
            Layout::Rows,
            None,
        ),
    ];
    let title = cx.label(&["stats", "title"]);
    crate::render::value(
        &json!({ "title": title, "charts": charts, "total": atlas.partnerships.len() }),
    )
}
