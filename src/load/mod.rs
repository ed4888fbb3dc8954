//! Loading: finds the entry files under `content/`, reads them (UTF-8, size limit),
//! splits front matter from body and parses the YAML into spanned nodes. It knows
//! where files are, not what their fields mean.

mod cache;
mod frontmatter;
pub mod yaml;

pub use cache::{Cache, Reuse, load_cached};

pub use yaml::{Key, Node, Value};

use crate::diag::{Diagnostic, Diagnostics, Source};
use rayon::prelude::*;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Entries larger than this are refused before parsing: no real entry comes close, and
/// a runaway file must not stall a build.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Collection {
    Fields,
    Regions,
    Partners,
    Partnerships,
    Pages,
}

/// One file of the content folder, parsed but not yet understood.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: Source,
    pub collection: Collection,
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// File name without extension and language suffix: the slug to be.
    pub stem: String,
    /// For partners: the name of the country folder.
    pub folder: Option<String>,
    /// `Some("en")` for `x.en.md`.
    pub lang: Option<String>,
    /// Front matter, or the whole file for `.yaml`; `None` if it could not be parsed.
    pub meta: Option<Node>,
    pub body: Option<Body>,
    /// The file could not be read (encoding, front matter, YAML); its errors are
    /// reported. It still counts as existing, so references to it are not errors too.
    pub unreadable: bool,
}

impl Document {
    /// The file's source without its body: what diagnostics found after the body was
    /// read point into (references, names, uncited sources are all in the front
    /// matter), without keeping the whole text of every file alive until then.
    pub fn front_matter(&self) -> Source {
        match &self.body {
            Some(b) => Source::new(self.source.path.clone(), &self.source.text[..b.offset]),
            None => self.source.clone(),
        }
    }
}

/// The Markdown after the front matter: a view of the file's text, not a copy.
#[derive(Debug, Clone)]
pub struct Body {
    file: Arc<str>,
    /// Byte offset of the body in the file, so Markdown positions map back to it.
    pub offset: usize,
}

impl Body {
    pub fn text(&self) -> &str {
        &self.file[self.offset..]
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("no content folder at {0}")]
    NoContent(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Reads every entry under `root/content`. `shown_root` is how paths are shown in
/// diagnostics (the root as the user gave it).
pub fn load(root: &Path, shown_root: &Path) -> Result<(Vec<Document>, Diagnostics), LoadError> {
    let runs = entries(root, shown_root)?.fold(
        || (Vec::new(), Diagnostics::new()),
        |(mut docs, mut diags), doc, d| {
            diags.extend(d);
            docs.extend(doc);
            (docs, diags)
        },
    )?;
    let mut docs = Vec::with_capacity(runs.iter().map(|r| r.0.len()).sum());
    let mut diags = Diagnostics::new();
    for (d, g) in runs {
        docs.extend(d);
        diags.extend(g);
    }
    Ok((docs, diags))
}

/// The entry files under `root/content`, found but not yet read.
pub struct Entries {
    files: Vec<Walked>,
    shown_root: PathBuf,
}

/// Finds the entry files under `root/content`, in name order.
pub fn entries(root: &Path, shown_root: &Path) -> Result<Entries, LoadError> {
    let content = content_dir(root, shown_root)?;
    Ok(Entries {
        files: walk(&content, false)?,
        shown_root: shown_root.to_path_buf(),
    })
}

impl Entries {
    /// Reads and parses the files in parallel, each thread folding a run of consecutive
    /// files (a document, or `None` for a file that is no entry, and the file's
    /// diagnostics) into one `R`. The runs come back in file order, so the result is
    /// what one sequential pass would give.
    ///
    /// A caller that is done with each document once it has folded it should use this
    /// rather than [`load`]: a document's text and YAML tree are then freed while the
    /// thread reads its next file, which takes the same memory again. Holding every
    /// document until all were read made the kernel zero fresh pages for all of them:
    /// a third of a `check`'s CPU at N = 50,000 (`perf`); streaming them took a fifth
    /// off its time and 40 % off its peak memory.
    pub fn fold<R, I, F>(self, init: I, fold: F) -> Result<Vec<R>, LoadError>
    where
        R: Send,
        I: Fn() -> R + Sync + Send,
        F: Fn(R, Option<Document>, Diagnostics) -> R + Sync + Send,
    {
        let shown_root = &self.shown_root;
        self.files
            .into_par_iter()
            .map(|f| read_entry(&f.path(), f.rel(), shown_root))
            .try_fold(init, |run, read| read.map(|(doc, d)| fold(run, doc, d)))
            .collect()
    }
}

fn content_dir(root: &Path, shown_root: &Path) -> Result<PathBuf, LoadError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(LoadError::NoContent(shown_root.join("content")));
    }
    Ok(content)
}

/// A file the walk found: its folder, shared by the folder's files, and its name. Its
/// path and its name relative to `content` are made by the thread that reads it: made
/// during the walk, which runs on one thread while the other cores wait, they were a
/// third of it (85 → 57 ms at N = 50,000).
pub(super) struct Walked {
    folder: Arc<Folder>,
    name: std::ffi::OsString,
}

struct Folder {
    path: PathBuf,
    /// Relative to `content`, with `/` separators; empty for `content` itself.
    rel: String,
}

impl Walked {
    pub(super) fn path(&self) -> PathBuf {
        self.folder.path.join(&self.name)
    }

    /// Path relative to `content`, with `/` separators.
    pub(super) fn rel(&self) -> String {
        let name = self.name.to_string_lossy();
        if self.folder.rel.is_empty() {
            name.into_owned()
        } else {
            format!("{}/{name}", self.folder.rel)
        }
    }
}

/// Every file under `content`, in name order. `tolerant` skips what vanished during the
/// walk, for a caller that will walk again. Symbolic links are not followed.
fn walk(content: &Path, tolerant: bool) -> Result<Vec<Walked>, LoadError> {
    let mut files = Vec::new();
    let top = Folder {
        path: content.to_path_buf(),
        rel: String::new(),
    };
    walk_dir(Arc::new(top), tolerant, &mut files)?;
    Ok(files)
}

/// Adds the files under `folder` to `files`, depth first, each folder's entries sorted
/// by name. The names are sorted as they are, not through their paths: comparing paths
/// parses them again at every step, and that was most of the walk.
fn walk_dir(folder: Arc<Folder>, tolerant: bool, files: &mut Vec<Walked>) -> Result<(), LoadError> {
    let dir = &folder.path;
    let failed = |path: &Path, source: std::io::Error| {
        if tolerant && source.kind() == ErrorKind::NotFound {
            Ok(())
        } else {
            Err(LoadError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let reader = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => return failed(dir, e),
    };
    let mut entries = Vec::new();
    for entry in reader {
        match entry.and_then(|e| Ok((e.file_name(), e.file_type()?))) {
            Ok(e) => entries.push(e),
            Err(e) => failed(dir, e)?,
        }
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in entries {
        let walked = Walked {
            folder: Arc::clone(&folder),
            name,
        };
        if kind.is_dir() {
            let sub = Folder {
                path: walked.path(),
                rel: walked.rel(),
            };
            walk_dir(Arc::new(sub), tolerant, files)?;
        } else if kind.is_file() {
            files.push(walked);
        }
    }
    Ok(())
}

/// Reads and parses one file found by the walk; `None` for a file that is no entry.
fn read_entry(
    path: &Path,
    rel: String,
    shown_root: &Path,
) -> Result<(Option<Document>, Diagnostics), LoadError> {
    let mut diags = Diagnostics::new();
    let shown = shown_root.join("content").join(&rel);
    let Some(place) = classify(&rel) else {
        if !is_ignored(&rel) {
            diags.push(stray(&rel, &shown));
        }
        return Ok((None, diags));
    };
    let doc = read_limited(path, &shown, &mut diags)?
        .map(|bytes| parse_document(bytes, shown, rel, place, &mut diags));
    Ok((doc, diags))
}

struct Place {
    collection: Collection,
    stem: String,
    folder: Option<String>,
    lang: Option<String>,
    markdown: bool,
}

fn classify(rel: &str) -> Option<Place> {
    let parts: Vec<&str> = rel.split('/').collect();
    let file = *parts.last()?;
    let (name, markdown) = if let Some(n) = file.strip_suffix(".md") {
        (n, true)
    } else if let Some(n) = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))
    {
        (n, false)
    } else {
        return None;
    };
    let (stem, lang) = match name.rsplit_once('.') {
        Some((s, l)) if l.len() == 2 && l.chars().all(|c| c.is_ascii_alphabetic()) => {
            (s, Some(l.to_string()))
        }
        _ => (name, None),
    };
    let (collection, folder) = match parts.as_slice() {
        ["fields.yaml"] | ["fields.yml"] => (Collection::Fields, None),
        ["regions", _] => (Collection::Regions, None),
        ["partners", country, _] => (Collection::Partners, Some(country.to_string())),
        ["partnerships", _] => (Collection::Partnerships, None),
        ["pages", _] => (Collection::Pages, None),
        _ => return None,
    };
    Some(Place {
        collection,
        stem: stem.to_string(),
        folder,
        lang,
        markdown,
    })
}

/// A file outside the content model. A partner outside a country folder would lose
/// its country, so it is an error; anything else is only ignored.
fn stray(rel: &str, shown: &Path) -> Diagnostic {
    let at = Source::new(shown, "");
    let entry = rel.ends_with(".md") || rel.ends_with(".yaml") || rel.ends_with(".yml");
    match rel.split('/').collect::<Vec<_>>().as_slice() {
        ["partners", file] if entry => Diagnostic::error(format!("partner `{file}` is not in a country folder"))
            .at(&at, 0..0)
            .help("move it to `content/partners/<country>/`, the folder named by the partner's lowercase ISO code, e.g. `content/partners/jp/`"),
        _ => Diagnostic::warning(format!("`{}` is not part of the content model and is ignored", shown.display()))
            .at(&at, 0..0)
            .help("entries live in content/fields.yaml, content/regions/, content/partners/<country>/, content/partnerships/ and content/pages/, as .md or .yaml files"),
    }
}

/// Notes for people, not entries: READMEs and dotfiles.
fn is_ignored(rel: &str) -> bool {
    rel.split('/').any(|p| p.starts_with('.')) || rel.eq_ignore_ascii_case("README.md")
}

/// The file's bytes, or `None` (with an error) if it is too large to be an entry. The
/// size comes from the open file, so its path is looked up once.
fn read_limited(
    path: &Path,
    shown: &Path,
    diags: &mut Diagnostics,
) -> Result<Option<Vec<u8>>, LoadError> {
    let io = |source| LoadError::Io {
        path: shown.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        diags.push(
            Diagnostic::error(format!(
                "`{}` is {} KiB; an entry may be at most {} KiB",
                shown.display(),
                len / 1024,
                MAX_FILE_BYTES / 1024
            ))
            .help("split the history into a shorter entry; large data belongs in a data file, not in content/"),
        );
        return Ok(None);
    }
    // One byte more than the size, so the read that finds the end needs no new buffer;
    // a file that grew since is read whole all the same. Through `take`, as a plain
    // reader: `File`'s own `read_to_end` asks the kernel for the size and position again
    // (two more system calls per file, a fiftieth of a `check` at N = 50,000).
    let mut bytes = Vec::with_capacity(len as usize + 1);
    (&mut file)
        .take(u64::MAX)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(Some(bytes))
}

fn parse_document(
    bytes: Vec<u8>,
    shown: PathBuf,
    rel: String,
    place: Place,
    diags: &mut Diagnostics,
) -> Document {
    let mut doc = Document {
        source: Source::new(shown, ""),
        collection: place.collection,
        rel,
        stem: place.stem,
        folder: place.folder,
        lang: place.lang,
        meta: None,
        body: None,
        unreadable: true,
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            doc.source.text = String::from_utf8_lossy(e.as_bytes()).into();
            diags.push(
                Diagnostic::error("file is not valid UTF-8")
                    .at(&doc.source, at..at)
                    .label("this byte is not UTF-8")
                    .help("save the file as UTF-8 (most editors have an \"encoding\" choice when saving)"),
            );
            return doc;
        }
    };
    doc.source.text = text.into();
    let file = &doc.source.text;
    let (yaml, body) = if place.markdown {
        match frontmatter::split(file, doc.lang.is_some()) {
            Ok(split) => (split.yaml, Some(split.body)),
            Err(d) => {
                diags.push(d.into_diagnostic(&doc.source));
                return doc;
            }
        }
    } else {
        let bom = if file.starts_with('\u{feff}') { 3 } else { 0 };
        (Some(bom..file.len()), None)
    };
    if let Some(yaml) = yaml {
        match yaml::parse(&file[yaml.clone()], yaml.start) {
            Ok(node) => doc.meta = Some(node),
            Err(e) => {
                diags.push(
                    Diagnostic::error(format!("invalid YAML: {}", e.message))
                        .at(&doc.source, e.span)
                        .help(e.help),
                );
                return doc;
            }
        }
    }
    doc.body = body.map(|offset| Body {
        file: doc.source.text.clone(),
        offset,
    });
    doc.unreadable = false;
    doc
}
