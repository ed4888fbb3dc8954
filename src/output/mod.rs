//! Output: makes every file of the site (pages through the engine, data files, feeds,
//! theme assets) in parallel and hands each to a `Sink` as soon as it is made, checking
//! the links of every page on the way. Nothing here touches the disk; `write` does.

mod data;
mod explorer;
mod feeds;
mod links;
mod maps;
mod pages;
mod record;
mod stats;
mod terms;

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::index::Indexes;
use crate::lang::Lang;
use crate::map::WorldMap;
use crate::model::Atlas;
use crate::render::{Engine, TemplateError, Theme};
use pages::{Ctx, Job, Make};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Where the files go as they are made: to disk (`write`), or kept in memory. Called
/// from several threads at once, each file once; the order is not defined.
pub trait Sink: Sync {
    type Error: Send;
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Self::Error>;
}

/// A sink that keeps the site in memory, path → bytes.
#[derive(Default)]
pub struct Memory(std::sync::Mutex<BTreeMap<String, Vec<u8>>>);

impl Memory {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Memory {
    type Error = std::convert::Infallible;
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Self::Error> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// A sink that keeps nothing: `check` makes every file and throws it away.
pub struct Discard;

impl Sink for Discard {
    type Error = std::convert::Infallible;
    fn put(&self, _: &str, _: &[u8]) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// What was made.
#[derive(Debug, Default, Clone, Copy)]
pub struct Built {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
}

/// What one job gave, kept until every file is made.
struct Outcome {
    bytes: usize,
    error: Option<TemplateError>,
    links: Option<links::PageLinks>,
}

/// Renders the whole site into `sink`. The outer error is the sink's; template errors
/// and broken links come back as diagnostics, and then what reached the sink must not
/// be published.
pub fn build<S: Sink>(
    atlas: &Atlas,
    ix: &Indexes,
    config: &Config,
    theme: &Theme,
    engine: &dyn Engine,
    map: &WorldMap,
    sink: &S,
) -> Result<Result<Built, Diagnostics>, S::Error> {
    make(atlas, ix, config, theme, engine, map, sink, Scope::All)
}

/// What `kembar check` renders: one page of each template in each language (every
/// template meets real data), and the links every entry's text makes. Building checks
/// every link of every page; checking stays a fraction of a build.
pub fn check(
    atlas: &Atlas,
    ix: &Indexes,
    config: &Config,
    theme: &Theme,
    engine: &dyn Engine,
    map: &WorldMap,
) -> Result<Built, Diagnostics> {
    match make(
        atlas,
        ix,
        config,
        theme,
        engine,
        map,
        &Discard,
        Scope::Sample,
    ) {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Scope {
    All,
    Sample,
}

#[allow(clippy::too_many_arguments)]
fn make<S: Sink>(
    atlas: &Atlas,
    ix: &Indexes,
    config: &Config,
    theme: &Theme,
    engine: &dyn Engine,
    map: &WorldMap,
    sink: &S,
    scope: Scope,
) -> Result<Result<Built, Diagnostics>, S::Error> {
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
        return Ok(Err(diags));
    }
    let empty = serde_json::Value::Object(Default::default());
    let mut ctxs: Vec<Ctx> = config
        .languages
        .iter()
        .map(|&lang| {
            let mut cx = Ctx::new(
                atlas,
                ix,
                config,
                lang,
                strings.get(&lang).unwrap_or(&empty),
                map,
            );
            cx.sample = scope == Scope::Sample;
            cx
        })
        .collect();
    let mut jobs = pages::jobs(&mut ctxs, config);
    jobs.extend(theme.statics().map(|(rel, bytes)| Job {
        path: rel.to_string(),
        make: Make::Bytes(bytes),
    }));
    jobs.extend(data::jobs(atlas, &config.languages));
    let paths: Vec<String> = jobs.iter().map(|j| j.path.clone()).collect();
    let checker = links::Checker::new(paths.iter().map(String::as_str));
    let counted = jobs.len();
    let pages_total = jobs.iter().filter(|j| j.path.ends_with(".html")).count();
    if scope == Scope::Sample {
        for d in entry_links(atlas, config, &checker) {
            diags.push(d);
        }
        jobs = sample(jobs);
    } else {
        // The few big files (index pages, the data downloads) go first, so that the
        // last ones to finish are small and no core waits on one long job at the end.
        jobs.sort_by_key(|j| !j.is_big());
    }
    let ctx_of = |lang: Lang| ctxs.iter().find(|c| c.lang == lang);
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .map(|job| {
            // Rendered pages are checked as the text they were made as; only theme
            // files have to be decoded.
            let checks = job.path.ends_with(".html");
            let page = |html: String| {
                let links = checks.then(|| checker.page(&job.path, &html));
                (html.into_bytes(), links)
            };
            let made = match &job.make {
                Make::Page {
                    template,
                    lang,
                    context,
                } => ctx_of(*lang).map_or(Ok((Vec::new(), None)), |cx| {
                    let context = cx.decorate(&job.path, cx.context(context));
                    engine.render_with(template, &cx.shared, context).map(page)
                }),
                Make::Plain { template, context } => engine.render(template, context).map(page),
                Make::Bytes(b) => Ok((
                    b.to_vec(),
                    checks.then(|| checker.page(&job.path, &String::from_utf8_lossy(b))),
                )),
                Make::Data(d) => Ok((d.make(atlas, ix), None)),
            };
            let (bytes, links) = match made {
                Ok(b) => b,
                Err(e) => {
                    return Ok(Outcome {
                        bytes: 0,
                        error: Some(e),
                        links: None,
                    });
                }
            };
            sink.put(&job.path, &bytes)?;
            Ok(Outcome {
                bytes: bytes.len(),
                error: None,
                links,
            })
        })
        .collect::<Result<_, S::Error>>()?;
    let mut built = Built::default();
    if scope == Scope::Sample {
        built.files = counted;
        built.pages = pages_total;
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut pages = Vec::new();
    for (job, o) in jobs.iter().zip(outcomes) {
        built.bytes += o.bytes;
        if scope == Scope::All {
            built.files += 1;
            built.pages += usize::from(job.path.ends_with(".html"));
        }
        // One template bug breaks many pages; report it once.
        if let Some(e) = o.error
            && seen.insert((e.template.clone(), e.line, e.message.clone()))
        {
            diags.push(e.to_diagnostic(theme));
        }
        pages.extend(o.links);
    }
    if diags.is_empty() && scope == Scope::All {
        links::Checker::finish(pages, &mut diags);
    }
    Ok(if diags.has_errors() {
        Err(diags)
    } else {
        Ok(built)
    })
}

/// The first page of each template in each language, and no other file.
fn sample(jobs: Vec<Job>) -> Vec<Job> {
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
fn entry_links(
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
