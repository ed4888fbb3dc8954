//! What `kembar check` renders instead of the whole site: one page of each template in
//! each language, and the links written in entries' text.

use super::links;
use super::pages::{Job, Make};
use crate::config::Config;
use crate::lang::Lang;
use crate::model::Atlas;
use rayon::prelude::*;

/// The first page of each template in each language, and no other file.
pub(super) fn sample(jobs: Vec<Job>) -> Vec<Job> {
    use std::collections::hash_map::{Entry, HashMap};
    // A small page proves as much about its template as a big index page does.
    let mut chosen: HashMap<(&str, Lang), usize> = HashMap::new();
    for (i, j) in jobs.iter().enumerate() {
        let key = match &j.make {
            Make::Page { template, lang, .. } => (*template, *lang),
            Make::Plain { template, .. } => (*template, Lang::Id),
            Make::Bytes(_) | Make::Data(_) => continue,
        };
        match chosen.entry(key) {
            Entry::Vacant(e) => {
                e.insert(i);
            }
            Entry::Occupied(mut e) => {
                if jobs[*e.get()].is_big() && !j.is_big() {
                    e.insert(i);
                }
            }
        }
    }
    let keep: std::collections::HashSet<usize> = chosen.into_values().collect();
    let mut sample: Vec<Job> = jobs
        .into_iter()
        .enumerate()
        .filter_map(|(i, j)| keep.contains(&i).then_some(j))
        .collect();
    sample.sort_by_key(|j| !j.is_big());
    sample
}

/// Links written in entries' Markdown, checked against the site's files from the
/// entry's own page.
pub(super) fn entry_links(
    atlas: &Atlas,
    config: &Config,
    checker: &links::Checker,
) -> Vec<crate::diag::Diagnostic> {
    use crate::urls;
    let mut bodies: Vec<(String, &str)> = Vec::new();
    for p in atlas.partnerships.values() {
        bodies.push((urls::partnership(&p.slug), &p.body.html));
        bodies.extend(
            p.en.as_ref()
                .map(|t| (urls::partnership(&p.slug), t.body.html.as_str())),
        );
    }
    for r in atlas.regions.values() {
        bodies.push((urls::region(&r.slug), &r.body.html));
    }
    for x in atlas.partners.values() {
        bodies.push((urls::partner(&x.id), &x.body.html));
    }
    for page in atlas.pages.values() {
        bodies.push((urls::page(&page.slug), &page.body.html));
    }
    let lang = config.languages.first().copied().unwrap_or(Lang::Id);
    bodies
        .par_iter()
        .flat_map_iter(|(path, html)| checker.paths_only(&format!("{}{path}", lang.prefix()), html))
        .collect()
}
