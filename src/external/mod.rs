//! `kembar check --external`: asks every source URL of the content whether it still
//! answers, on a bounded pool of threads, and reports those that do not at their `url:`.
//! Opt-in: a build and the tests never touch the network.

mod cache;
mod probe;

pub use cache::{Cache, Entry, FILE as CACHE_FILE};
pub use probe::Answer;

use crate::diag::{Diagnostic, Source};
use crate::load::{Document, LoadError, Node, Value};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone)]
pub struct Options {
    /// For each request (HEAD or GET), redirects included.
    pub timeout: Duration,
    /// Requests at once.
    pub workers: usize,
    /// How long a good answer is trusted.
    pub max_age: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(15),
            workers: 8,
            max_age: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// What a run found.
pub struct Found {
    pub diagnostics: Vec<Diagnostic>,
    /// Distinct URLs, and how many of them were known good from the cache.
    pub checked: usize,
    pub cached: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ExternalError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("cannot write the cache {path}: {source}")]
    Cache {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// Checks the source URLs of the content under `root`; the cache lives in `root`.
pub fn check(root: &Path, shown_root: &Path, options: &Options) -> Result<Found, ExternalError> {
    let (docs, _) = crate::load::load(root, shown_root)?;
    let places = source_urls(&docs);
    let cache_path = root.join(CACHE_FILE);
    let mut cache = Cache::read(&cache_path);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let todo: Vec<&str> = places
        .keys()
        .map(String::as_str)
        .filter(|u| !cache.fresh(u, now, options.max_age.as_secs()))
        .collect();
    let cached = places.len() - todo.len();
    for (url, answer) in ask_all(&todo, options) {
        cache.urls.insert(url.to_string(), entry(&answer, now));
    }
    cache
        .write(&cache_path)
        .map_err(|source| ExternalError::Cache {
            path: cache_path.clone(),
            source,
        })?;
    let mut diagnostics = Vec::new();
    for (url, at) in &places {
        let Some(e) = cache.urls.get(url).filter(|e| !e.ok) else {
            continue;
        };
        for (source, span) in at {
            diagnostics.push(diagnostic(url, e, options, source, span.clone()));
        }
    }
    diagnostics.sort_by_key(|d| {
        (
            d.file().map(Path::to_path_buf),
            d.location.as_ref().map(|l| l.span.start),
        )
    });
    Ok(Found {
        diagnostics,
        checked: places.len(),
        cached,
    })
}

/// Every `url` of every item of `sources`, with where it is written.
fn source_urls(docs: &[Document]) -> BTreeMap<String, Vec<(Source, Range<usize>)>> {
    let mut out: BTreeMap<String, Vec<(Source, Range<usize>)>> = BTreeMap::new();
    for doc in docs {
        let sources = doc.meta.as_ref().and_then(|m| get(m, "sources"));
        let Some(Value::Seq(items)) = sources.map(|n| &n.value) else {
            continue;
        };
        for item in items {
            if let Some(Node {
                value: Value::Str(url),
                span,
            }) = get(item, "url")
            {
                let url = url.trim().to_string();
                out.entry(url)
                    .or_default()
                    .push((doc.source.clone(), span.clone()));
            }
        }
    }
    out
}

fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.text == key).map(|(_, v)| v),
        _ => None,
    }
}

/// Asks each URL once, `options.workers` at a time.
fn ask_all<'u>(urls: &[&'u str], options: &Options) -> Vec<(&'u str, Answer)> {
    let agent = probe::agent(options.timeout);
    let next = AtomicUsize::new(0);
    let answers = Mutex::new(Vec::with_capacity(urls.len()));
    std::thread::scope(|s| {
        for _ in 0..options.workers.clamp(1, urls.len().max(1)) {
            s.spawn(|| {
                while let Some(url) = urls.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let a = probe::probe(&agent, url);
                    // A poisoned lock means another worker panicked; its answer is lost,
                    // the URL is simply asked again next run.
                    if let Ok(mut v) = answers.lock() {
                        v.push((*url, a));
                    }
                }
            });
        }
    });
    answers.into_inner().unwrap_or_default()
}

fn entry(a: &Answer, now: u64) -> Entry {
    let (ok, status, problem) = match a {
        Answer::Ok(s) => (true, Some(*s), None),
        Answer::Status(s) => (false, Some(*s), None),
        Answer::Timeout => (false, None, Some("timeout".to_string())),
        Answer::Failed(m) => (false, None, Some(m.clone())),
    };
    Entry {
        checked: now,
        ok,
        status,
        problem,
    }
}

/// Definite failures (gone, no such host) are errors; answers that may pass (a timeout,
/// a server error, a site refusing robots) are warnings, to be checked in a browser.
fn diagnostic(
    url: &str,
    e: &Entry,
    o: &Options,
    source: &Source,
    span: Range<usize>,
) -> Diagnostic {
    let fix = "open it in a browser: if the page moved, write its new address in `url`; if it is gone, cite the copy in the Internet Archive (https://web.archive.org/) instead";
    let (error, message, label) = match (e.status, e.problem.as_deref()) {
        (Some(s @ (401 | 403 | 429)), _) => (
            false,
            format!("source URL refuses the check ({s} {})", reason(s)),
            "refused",
        ),
        (Some(s), _) if s >= 500 => (
            false,
            format!("source URL answers {s} {}", reason(s)),
            "server error",
        ),
        (Some(s), _) => (
            true,
            format!("source URL answers {s} {}", reason(s)),
            "broken link",
        ),
        (None, Some("timeout")) => (
            false,
            format!("source URL did not answer within {} s", o.timeout.as_secs()),
            "no answer",
        ),
        (None, p) => (
            true,
            format!("source URL cannot be reached: {}", p.unwrap_or("no answer")),
            "unreachable",
        ),
    };
    let d = if error {
        Diagnostic::error(message)
    } else {
        Diagnostic::warning(message)
    };
    d.at(source, span)
        .label(label)
        .help(format!("{fix} ({url})"))
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}
