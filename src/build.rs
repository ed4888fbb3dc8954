//! The one orchestrator: runs the stages in order and reports what happened.

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::map::WorldMap;
use crate::markdown::Html;
use crate::render::{Engine, Theme};
use crate::{index, load, model, output, validate, write};
use std::path::PathBuf;
use std::time::Instant;

/// Validated settings for one run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    /// The root as the user gave it, for paths in messages (empty for `.`).
    pub shown_root: PathBuf,
    /// `None` for `check`: everything but writing.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Also report what the atlas does not know yet (`check --coverage`).
    pub coverage: bool,
}

#[derive(Debug, Default)]
pub struct Stats {
    pub partnerships: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    /// The files rendered: all of them, but in a rebuild only those whose inputs changed.
    pub rendered: usize,
    /// What the build changed on disk; `None` for `check`.
    pub written: Option<write::Written>,
    pub millis: u128,
}

/// What a run found. `diagnostics` is sorted; `stats` is set when the site was built.
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Option<Stats>,
    /// The coverage report, when asked for and the content is valid.
    pub coverage: Option<String>,
}

/// Failures that are not the content's fault: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Fatal {
    #[error(transparent)]
    Load(#[from] load::LoadError),
    #[error(transparent)]
    Theme(#[from] crate::render::ThemeError),
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// Loads and validates the content alone, for commands that read the atlas without
/// building it (`import`).
pub fn atlas(
    root: &std::path::Path,
    shown_root: &std::path::Path,
) -> Result<(Option<model::Atlas>, Vec<Diagnostic>), load::LoadError> {
    let (atlas, diags) = validated(load::load(root, shown_root)?, Html::Always);
    Ok((atlas, diags.into_sorted()))
}

pub fn run(settings: &Settings) -> Result<Report, Fatal> {
    let start = Instant::now();
    if let Some(out) = &settings.output {
        write::check_place(&settings.root, out)?;
    }
    // `check` writes no page: it renders bodies only to check the links in them.
    let html = match settings.output {
        Some(_) => Html::Always,
        None => Html::WhenLinked,
    };
    let load = || {
        validate::validate_entries(
            load::entries(&settings.root, &settings.shown_root)?,
            model::Countries::builtin(),
            html,
        )
    };
    produce(settings, start, load, |site| match &settings.output {
        Some(out) => {
            let staged = write::Output::begin(out)?;
            Ok(match output::build(site, &staged)? {
                Ok(built) => Ok((built, Some(staged.commit()?))),
                Err(d) => Err(d),
            })
        }
        None => Ok(output::check(site).map(|b| (b, None))),
    })
}

/// What `kembar serve` keeps from one build to the next: the parsed documents, and
/// what each file of the last good site was made from.
#[derive(Default)]
pub struct Kept {
    pub cache: load::Cache,
    pub memo: output::Memo,
}

/// Builds the site into `sink`, as `run` builds it to disk, reading only the entries
/// that changed since the last call with `kept` and rendering only the files whose
/// inputs changed (`kembar serve`): the files not given to `sink` are those of the
/// last good site, listed with the others by `kept.memo`. The site that reached the
/// sink is good only if the report has stats; only then is `kept.memo` replaced.
pub fn run_into<S>(settings: &Settings, kept: &mut Kept, sink: &S) -> Result<Report, Fatal>
where
    S: output::Sink<Error = std::convert::Infallible>,
{
    let start = Instant::now();
    let cache = &mut kept.cache;
    let load = || {
        let (docs, diags, _) = load::load_cached(&settings.root, &settings.shown_root, cache)?;
        Ok(validated((docs, diags), Html::Always))
    };
    let mut memo = None;
    let report = produce(settings, start, load, |site| {
        let Ok(made) = output::rebuild(site, sink, &kept.memo);
        Ok(made.map(|(built, m)| {
            memo = Some(m);
            (built, None)
        }))
    })?;
    if let Some(memo) = memo.filter(|_| report.stats.is_some()) {
        kept.memo = memo;
    }
    Ok(report)
}

type Made = Result<(output::Built, Option<write::Written>), Diagnostics>;

/// The stages every run shares — prepare, index, the output `make` chooses — and the
/// report of what happened.
fn produce(
    settings: &Settings,
    start: Instant,
    load: impl FnOnce() -> Loaded + Send,
    make: impl FnOnce(&output::Site) -> Result<Made, Fatal>,
) -> Result<Report, Fatal> {
    let Ready {
        mut diags,
        config,
        theme,
        atlas,
        engine,
        map,
    } = match prepare(settings, load)? {
        Prepared::Ready(r) => *r,
        Prepared::Failed(diags) => return Ok(failed(diags, None)),
    };
    let ix = index::build(&atlas);
    let coverage = settings.coverage.then(|| {
        crate::coverage::render(
            &crate::coverage::report(&atlas, &ix),
            atlas.partnerships.len(),
        )
    });
    let site = output::Site {
        atlas: &atlas,
        ix: &ix,
        config: &config,
        theme: &theme,
        engine: &engine as &dyn Engine,
        map: &map,
    };
    let (built, written) = match make(&site)? {
        Ok(b) => b,
        Err(d) => {
            diags.extend(d);
            return Ok(failed(diags, coverage));
        }
    };
    let stats = Stats {
        partnerships: atlas.partnerships.len(),
        pages: built.pages,
        files: built.files,
        bytes: built.bytes,
        rendered: built.rendered,
        written,
        millis: start.elapsed().as_millis(),
    };
    // Freeing every entry of a big atlas takes a noticeable part of a `check` (0.2 s of
    // 3 s at N = 50,000); the caller need not wait for it, and a process that exits
    // first leaves it to the kernel.
    drop(ix);
    std::thread::spawn(move || drop(atlas));
    Ok(Report {
        diagnostics: diags.into_sorted(),
        stats: Some(stats),
        coverage,
    })
}

/// Everything a site's output is made from, once the content is valid.
struct Ready {
    diags: Diagnostics,
    config: Config,
    theme: Theme,
    atlas: model::Atlas,
    engine: Box<dyn Engine>,
    map: WorldMap,
}

enum Prepared {
    Ready(Box<Ready>),
    Failed(Diagnostics),
}

fn failed(diags: Diagnostics, coverage: Option<String>) -> Report {
    Report {
        diagnostics: diags.into_sorted(),
        stats: None,
        coverage,
    }
}

/// Validates loaded documents against the built-in countries, with the loader's
/// diagnostics kept beside validation's.
fn validated(
    (docs, mut diags): (Vec<load::Document>, Diagnostics),
    html: Html,
) -> (Option<model::Atlas>, Diagnostics) {
    let (atlas, found) = validate::validate(docs, model::Countries::builtin(), html);
    diags.extend(found);
    (atlas, diags)
}

/// The content loaded and validated.
type Loaded = Result<(Option<model::Atlas>, Diagnostics), load::LoadError>;

/// Reads the configuration and theme, and loads and validates the content with `load`.
fn prepare(settings: &Settings, load: impl FnOnce() -> Loaded + Send) -> Result<Prepared, Fatal> {
    let mut diags = Diagnostics::new();
    let mut config = match Config::load(&settings.root, &settings.shown_root) {
        Ok(c) => c,
        Err(errors) => {
            for d in errors {
                diags.push(d);
            }
            return Ok(Prepared::Failed(diags));
        }
    };
    if let Some(url) = &settings.base_url {
        config.base_url = crate::config::normalize_base_url(url);
    }
    let theme = Theme::load(&settings.root, &settings.shown_root, &config.theme)?;
    // The engine the theme's theme.toml declares, every template loaded, and the world
    // map need no content: they are made while it loads.
    let (loaded, (engine, map)) = rayon::join(load, || {
        (crate::render::engine_for(&theme), WorldMap::builtin())
    });
    let (atlas, found) = loaded?;
    diags.extend(found);
    let engine = match engine {
        Ok(e) => Some(e),
        Err(errors) => {
            for d in errors {
                diags.push(d);
            }
            None
        }
    };
    match (atlas, engine, diags.has_errors()) {
        (Some(atlas), Some(engine), false) => Ok(Prepared::Ready(Box::new(Ready {
            diags,
            config,
            theme,
            atlas,
            engine,
            map,
        }))),
        _ => Ok(Prepared::Failed(diags)),
    }
}
