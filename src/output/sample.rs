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
    let lang = config.languages.first().copied().unwrap_or(Lang::Id);
    // Each entry's page is named on the thread that checks it: naming them all first,
    // on one thread, was most of this check.
    let check =
        |page: &str, html: &str| checker.paths_only(&format!("{}{page}", lang.prefix()), html);
    let partnerships = atlas.partnerships.par_iter().flat_map_iter(|(_, p)| {
        let page = urls::partnership(&p.slug);
        let en = p.en.as_ref().map(|t| check(&page, &t.body.html));
        check(&page, &p.body.html)
            .into_iter()
            .chain(en.into_iter().flatten())
    });
    let regions = atlas
        .regions
        .par_iter()
        .flat_map_iter(|(_, r)| check(&urls::region(&r.slug), &r.body.html));
    let partners = atlas
        .partners
        .par_iter()
        .flat_map_iter(|(_, x)| check(&urls::partner(&x.id), &x.body.html));
    let pages = atlas
        .pages
        .par_iter()
        .flat_map_iter(|(_, p)| check(&urls::page(&p.slug), &p.body.html));
    partnerships
        .chain(regions)
        .chain(partners)
        .chain(pages)
        .collect()
}
