//! Atom feed (one per language), sitemap and robots.txt, as templates so themes can
//! change them.

use super::pages::{Ctx, Job, Make};
use crate::config::Config;
use crate::render::value;
use crate::render::view;
use crate::urls;
use serde_json::json;

/// The language's Atom feed's context.
pub(super) fn atom(cx: &Ctx) -> crate::render::Value {
    let base = format!("{}{}", cx.config.base_url, cx.lang.prefix());
    use rayon::prelude::*;
    let mut entries: Vec<Entry> = cx
        .some(&cx.ix.all)
        .par_iter()
        .map(|p| {
            let updated = view::updated(p).map_or_else(
                || "1970-01-01T00:00:00Z".to_string(),
                |d| format!("{}T00:00:00Z", d.first_day()),
            );
            let url = format!("{base}{}", urls::partnership(&p.slug));
            let (body, _) = view::body(&p.body, p.en.as_ref(), cx.lang);
            Entry {
                title: cx.ix.ends(p).title_in(p, cx.lang),
                id: url.clone(),
                url,
                updated,
                summary: body
                    .text
                    .chars()
                    .take(crate::model::SUMMARY_CHARS)
                    .collect(),
            }
        })
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated));
    let updated = entries
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.updated.clone());
    // Straight into the template's values: through JSON first, the feed of a big atlas
    // was built twice.
    value(&Feed {
        updated,
        entries,
        feed_url: format!("{base}atom.xml"),
        home_url: base,
    })
}

#[derive(serde::Serialize)]
struct Feed {
    updated: String,
    entries: Vec<Entry>,
    feed_url: String,
    home_url: String,
}

#[derive(serde::Serialize)]
struct Entry {
    title: String,
    url: String,
    id: String,
    updated: String,
    summary: String,
}

/// One sitemap for every language's pages; robots.txt points at it. For `check`
/// (`sample`) the sitemap lists a few pages, enough to prove its template.
pub(super) fn sitemap_and_robots(config: &Config, jobs: &mut Vec<Job>, sample: Option<usize>) {
    use rayon::prelude::*;
    let mut paths: Vec<&str> = jobs
        .iter()
        .map(|j| j.path.as_str())
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .take(sample.unwrap_or(usize::MAX))
        .collect();
    // Paths are unique: an unstable sort gives the one order there is.
    paths.par_sort_unstable();
    let urls: Vec<String> = paths
        .par_iter()
        .map(|p| {
            format!(
                "{}{}",
                config.base_url,
                p.strip_suffix("index.html").unwrap_or(p)
            )
        })
        .collect();
    let site = json!({ "title": config.title, "description": config.description, "base_url": config.base_url });
    jobs.push(Job {
        path: "sitemap.xml".into(),
        make: Make::Plain {
            template: "sitemap.xml",
            context: value(&json!({ "site": site, "urls": urls })),
        },
    });
    jobs.push(Job {
        path: "robots.txt".into(),
        make: Make::Plain {
            template: "robots.txt",
            context: value(
                &json!({ "site": site, "sitemap": format!("{}sitemap.xml", config.base_url) }),
            ),
        },
    });
}
