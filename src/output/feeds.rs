//! Atom feed (one per language), sitemap and robots.txt, as templates so themes can
//! change them.

use super::pages::{Ctx, Job, Make};
use crate::config::Config;
use crate::render::value;
use crate::render::view;
use crate::urls;
use serde_json::{Value, json};

/// The language's Atom feed's context.
pub(super) fn atom(cx: &Ctx) -> crate::render::Value {
    let base = format!("{}{}", cx.config.base_url, cx.lang.prefix());
    use rayon::prelude::*;
    let mut entries: Vec<(String, Value)> = cx
        .some(&cx.ix.all)
        .par_iter()
        .map(|p| {
            let updated = view::updated(p).map_or_else(
                || "1970-01-01T00:00:00Z".to_string(),
                |d| format!("{}T00:00:00Z", d.first_day()),
            );
            let url = format!("{base}{}", urls::partnership(&p.slug));
            let (body, _) = view::body(&p.body, p.en.as_ref(), cx.lang);
            let summary: String = body.text.chars().take(crate::model::SUMMARY_CHARS).collect();
            let title = cx.ix.ends(p).title_in(p, cx.lang);
            (updated.clone(), json!({ "title": title, "url": url, "id": url, "updated": updated, "summary": summary }))
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    let feed_updated = entries
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.0.clone());
    let entries: Vec<Value> = entries.into_iter().map(|(_, e)| e).collect();
    value(
        &json!({ "updated": feed_updated, "entries": entries, "feed_url": format!("{base}atom.xml"), "home_url": base }),
    )
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
