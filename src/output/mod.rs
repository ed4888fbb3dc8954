//! Output: makes every file of the site (pages through the engine, data files, feeds,
//! theme assets) in parallel and hands each to a `Sink` as soon as it is made, checking
//! the links of every page on the way. Nothing here touches the disk; `write` does.
//! `check` renders a sample (`sample`); a rebuild in memory renders only the files whose
//! inputs changed since the last (`memo`).

mod data;
mod explorer;
mod feeds;
mod geojson;
mod json;
mod links;
mod maps;
mod memo;
mod pages;
mod record;
mod sample;
mod stats;
mod terms;

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::index::Indexes;
use crate::lang::Lang;
use crate::map::WorldMap;
use crate::model::Atlas;
use crate::render::{Engine, TemplateError, Theme};
pub use data::Part;
pub use memo::Memo;
use pages::{Ctx, Job, Make};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where the files go as they are made: to disk (`write`), or kept in memory. Called
/// from several threads at once, each file once; the order is not defined.
pub trait Sink: Sync {
    type Error: Send;
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Self::Error>;

    /// Like `put`, for a file made in parts (the biggest data file): a sink that
    /// writes them one after another spares joining hundreds of megabytes first.
    fn put_parts(&self, path: &str, parts: &[Part]) -> Result<(), Self::Error> {
        match parts {
            [one] => self.put(path, one),
            _ => {
                let mut whole = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
                for p in parts {
                    whole.extend_from_slice(p);
                }
                self.put(path, &whole)
            }
        }
    }

    /// Like `put_parts`, for a file made a few parts at a time: `next` gives the
    /// next parts in order, until it gives none. A sink that writes them as they come
    /// never holds the whole file (the biggest data file is a fifth of the site).
    fn put_stream(&self, path: &str, next: &mut Next<'_, Self::Error>) -> Result<(), Self::Error> {
        self.put_parts(path, &gather(next)?)
    }
}

/// Every part `next` gives, in order.
pub fn gather<E>(next: &mut Next<'_, E>) -> Result<Vec<Part>, E> {
    let mut parts = Vec::new();
    while let Some(more) = next()? {
        parts.extend(more);
    }
    Ok(parts)
}

/// The next parts of a file given to [`Sink::put_stream`]; `None` after the last.
pub type Next<'a, E> = dyn FnMut() -> Result<Option<Vec<Part>>, E> + 'a;

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

    fn put_stream(&self, _: &str, next: &mut Next<'_, Self::Error>) -> Result<(), Self::Error> {
        while next()?.is_some() {}
        Ok(())
    }
}

/// What the site is made from: the atlas and what the output stage reads besides.
#[derive(Clone, Copy)]
pub struct Site<'a> {
    pub atlas: &'a Atlas,
    pub ix: &'a Indexes<'a>,
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub engine: &'a dyn Engine,
    pub map: &'a WorldMap,
}

/// What was made.
#[derive(Debug, Default, Clone, Copy)]
pub struct Built {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    /// The files rendered; a rebuild keeps the others as they were.
    pub rendered: usize,
}

/// What one job gave, kept until every file is made.
struct Outcome {
    bytes: usize,
    error: Option<TemplateError>,
    links: Option<Arc<links::PageLinks>>,
    /// The file's fingerprint, when the build keeps a memo.
    print: Option<u64>,
    rendered: bool,
}

/// Renders the whole site into `sink`. The outer error is the sink's; template errors
/// and broken links come back as diagnostics, and then what reached the sink must not
/// be published.
pub fn build<S: Sink>(site: &Site, sink: &S) -> Result<Result<Built, Diagnostics>, S::Error> {
    Ok(make(site, sink, Scope::All)?.map(|(built, _)| built))
}

/// Like `build`, but renders only the files whose inputs changed since the build
/// `previous` remembers (`kembar serve`): the others are not given to `sink`, and keep
/// the bytes they had. Gives the memo of this build, for the next.
pub fn rebuild<S: Sink>(
    site: &Site,
    sink: &S,
    previous: &Memo,
) -> Result<Result<(Built, Memo), Diagnostics>, S::Error> {
    Ok(make(site, sink, Scope::Again(previous))?
        .map(|(built, memo)| (built, memo.unwrap_or_default())))
}

/// What `kembar check` renders: one page of each template in each language (every
/// template meets real data), and the links every entry's text makes. Building checks
/// every link of every page; checking stays a fraction of a build.
pub fn check(site: &Site) -> Result<Built, Diagnostics> {
    match make(site, &Discard, Scope::Sample) {
        Ok(r) => r.map(|(built, _)| built),
        Err(never) => match never {},
    }
}

/// One value per thread of the pool, and one for any other thread: what each thread
/// reads or changes often is its own, so no cache line or lock is shared between cores.
pub(crate) struct PerThread<T>(Vec<T>);

impl<T> PerThread<T> {
    pub fn new(make: impl FnMut(usize) -> T) -> PerThread<T> {
        PerThread((0..=rayon::current_num_threads()).map(make).collect())
    }

    /// The calling thread's value.
    pub fn get(&self) -> &T {
        let i = rayon::current_thread_index().map_or(0, |i| i + 1);
        &self.0[i.min(self.0.len() - 1)]
    }
}

#[derive(Clone, Copy)]
enum Scope<'m> {
    All,
    Sample,
    Again(&'m Memo),
}

type Made = Result<(Built, Option<Memo>), Diagnostics>;

fn make<S: Sink>(site: &Site, sink: &S, scope: Scope) -> Result<Made, S::Error> {
    let Site {
        atlas,
        ix,
        config,
        theme,
        engine,
        map,
    } = *site;
    let sampling = matches!(scope, Scope::Sample);
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
            cx.sample = sampling;
            cx
        })
        .collect();
    let (mut jobs, data_jobs) = rayon::join(
        || pages::jobs(&mut ctxs, config),
        || data::jobs(atlas, &config.languages),
    );
    jobs.extend(theme.statics().map(|(rel, bytes)| Job {
        path: rel.to_string(),
        make: Make::Bytes(bytes),
    }));
    jobs.extend(map.base_files().map(|(path, bytes)| Job {
        path: path.to_string(),
        make: Make::Bytes(bytes),
    }));
    jobs.extend(data_jobs);
    let checker = links::Checker::new(jobs.iter().map(|j| j.path.as_str()));
    let counted = jobs.len();
    let pages_total = jobs.iter().filter(|j| j.path.ends_with(".html")).count();
    if sampling {
        jobs = sample::sample(jobs);
    } else {
        // The few big files (index pages, the data downloads) go first, so that the
        // last ones to finish are small and no core waits on one long job at the end;
        // then the partnerships' records, most of which `data/partnerships.json` has
        // written by then, so their own jobs seldom print them.
        jobs.sort_by_key(|j| {
            (
                !j.is_big(),
                !matches!(j.make, Make::Data(data::Data::Record(_))),
            )
        });
    }
    let (prints, previous) = match scope {
        Scope::Again(memo) => {
            let prints = memo::Prints::new(atlas, config, theme);
            // A page that is not rendered again keeps its links, which may point to a
            // file that is gone: then everything is rendered, and checked, again.
            let whole = memo.lost_any(jobs.iter().map(|j| j.path.as_str()));
            (Some(prints), (!whole).then_some(memo))
        }
        Scope::All | Scope::Sample => (None, None),
    };
    let ctx_of = |lang: Lang| ctxs.iter().find(|c| c.lang == lang);
    let job_prints: Vec<Option<u64>> = match &prints {
        Some(p) => jobs.par_iter().map(|job| Some(p.of(job, ix))).collect(),
        None => vec![None; jobs.len()],
    };
    // What a rebuild keeps: `data/partnerships.json` must not give the sink the
    // records' own files that are not made again.
    let kept = |job: &Job, print: Option<u64>| {
        previous
            .and_then(|m| m.get(&job.path))
            .filter(|b| Some(b.print) == print)
    };
    let records = data::Records::new(atlas, !sampling);
    for (job, &print) in jobs.iter().zip(&job_prints) {
        if let Make::Data(data::Data::Record(p)) = job.make
            && kept(job, print).is_some()
        {
            records.skip(p);
        }
    }
    let render = || {
        jobs.par_iter()
            .zip(&job_prints)
            .map(|(job, &print)| {
                if let Some(before) = kept(job, print) {
                    return Ok(Outcome {
                        bytes: before.bytes,
                        error: None,
                        links: before.links.clone(),
                        print,
                        rendered: false,
                    });
                }
                // Pages are checked as the bytes they are written as.
                let checks = job.path.ends_with(".html");
                let page = |html: Vec<u8>| {
                    let links = checks.then(|| Arc::new(checker.page(&job.path, &html)));
                    (vec![Arc::new(html)], links)
                };
                let made = match &job.make {
                    Make::Page {
                        template,
                        lang,
                        context,
                    } => ctx_of(*lang).map_or(Ok((Vec::new(), None)), |cx| {
                        let context = cx.decorate(&job.path, cx.context(context));
                        engine.render(template, &context).map(page)
                    }),
                    Make::Plain { template, context } => engine.render(template, context).map(page),
                    Make::Bytes(b) => Ok((
                        vec![Arc::new(b.to_vec())],
                        checks.then(|| Arc::new(checker.page(&job.path, b))),
                    )),
                    Make::Data(d) => match d.make((atlas, ix), &records, sink, &job.path)? {
                        data::Made::Parts(parts) => Ok((parts, None)),
                        data::Made::Given(bytes) => {
                            return Ok(Outcome {
                                bytes,
                                error: None,
                                links: None,
                                print,
                                rendered: true,
                            });
                        }
                    },
                };
                let (parts, links) = match made {
                    Ok(b) => b,
                    Err(e) => {
                        return Ok(Outcome {
                            bytes: 0,
                            error: Some(e),
                            links: None,
                            print,
                            rendered: true,
                        });
                    }
                };
                sink.put_parts(&job.path, &parts)?;
                Ok(Outcome {
                    bytes: parts.iter().map(|p| p.len()).sum(),
                    error: None,
                    links,
                    print,
                    rendered: true,
                })
            })
            .collect::<Result<Vec<Outcome>, S::Error>>()
    };
    // `check` looks at the links entries write while it renders its sample.
    let outcomes = if sampling {
        let (outcomes, found) =
            rayon::join(render, || sample::entry_links(atlas, config, &checker));
        for d in found {
            diags.push(d);
        }
        outcomes?
    } else {
        render()?
    };
    let mut built = Built::default();
    if sampling {
        built.files = counted;
        built.pages = pages_total;
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut pages = Vec::new();
    let mut memo = prints.as_ref().map(|_| Memo::default());
    for (job, o) in jobs.iter().zip(outcomes) {
        built.bytes += o.bytes;
        built.rendered += usize::from(o.rendered);
        if !sampling {
            built.files += 1;
            built.pages += usize::from(job.path.ends_with(".html"));
        }
        // One template bug breaks many pages; report it once.
        if let Some(e) = o.error
            && seen.insert((e.template.clone(), e.line, e.message.clone()))
        {
            diags.push(e.to_diagnostic(theme));
        }
        if let (Some(memo), Some(print)) = (memo.as_mut(), o.print) {
            memo.insert(job.path.clone(), print, o.bytes, o.links.clone());
        }
        pages.extend(o.links);
    }
    // The lists' lines are freed on a thread of their own while the links are checked
    // and the caller writes: a tenth of a second at N = 50,000 (`perf`).
    let lines: Vec<_> = ctxs.iter_mut().flat_map(Ctx::take_lines).collect();
    std::thread::spawn(move || drop(lines));
    if diags.is_empty() && !sampling {
        links::Checker::finish(pages.iter().map(|p| &**p), &mut diags);
    }
    Ok(if diags.has_errors() {
        Err(diags)
    } else {
        Ok((built, memo))
    })
}
