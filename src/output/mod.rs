//! Output: builds every file of the site in memory (pages through the engine, data
//! files, feeds, theme assets), then checks that every internal link resolves. Nothing
//! here touches the disk; `write` does.

mod data;
mod explorer;
mod feeds;
mod links;
mod maps;
mod pages;
mod stats;
mod terms;

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::index::Indexes;
use crate::map::WorldMap;
use crate::model::Atlas;
use crate::render::{Engine, Theme};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The site as path → bytes, sorted, so writing and hashing it is deterministic.
#[derive(Debug, Default)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
    pub fn bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

/// Renders the whole site. Template errors and broken links come back as diagnostics.
pub fn build(
    atlas: &Atlas,
    ix: &Indexes,
    config: &Config,
    theme: &Theme,
    engine: &dyn Engine,
    map: &WorldMap,
) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut strings = BTreeMap::new();
    for &lang in &config.languages {
        match theme.strings(lang.code()) {
            Ok(s) => {
                strings.insert(lang, s);
            }
            Err(d) => diags.push(*d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let jobs = pages::jobs(atlas, ix, config, &strings, map);
    let rendered: Vec<_> = jobs
        .into_par_iter()
        .map(|job| (job.path, engine.render(job.template, &job.context)))
        .collect();
    let mut site = Site::default();
    let mut seen = std::collections::BTreeSet::new();
    for (path, result) in rendered {
        match result {
            Ok(html) => {
                site.files.insert(path, html.into_bytes());
            }
            // One template bug breaks many pages; report it once.
            Err(e) => {
                if seen.insert((e.template.clone(), e.line, e.message.clone())) {
                    diags.push(e.to_diagnostic(theme));
                }
            }
        }
    }
    for (rel, bytes) in theme.statics() {
        site.files.insert(rel.to_string(), bytes.to_vec());
    }
    data::add(atlas, ix, &mut site.files);
    for &lang in &config.languages {
        site.files.insert(
            explorer::index_path(lang),
            explorer::index_script(atlas, &ix.all, lang),
        );
    }
    if diags.is_empty() {
        links::check(&site.files, &mut diags);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(site)
    }
}
