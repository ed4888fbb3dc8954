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
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Entries larger than this are refused before parsing: no real entry comes close, and
/// a runaway file must not stall a build.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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

#[derive(Debug, Clone)]
pub struct Body {
    pub text: String,
    /// Byte offset of the body in the file, so Markdown positions map back to it.
    pub offset: usize,
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
    let content = content_dir(root, shown_root)?;
    let files = walk(&content, false)?;
    // Files are read and parsed in parallel; `collect` keeps the walk's order, so the
    // documents and their diagnostics come out as a sequential pass would give them.
    let read: Vec<(Option<Document>, Diagnostics)> = files
        .into_par_iter()
        .map(|(path, rel)| read_entry(&path, rel, shown_root))
        .collect::<Result<_, LoadError>>()?;
    let mut docs = Vec::with_capacity(read.len());
    let mut diags = Diagnostics::new();
    for (doc, d) in read {
        docs.extend(doc);
        diags.extend(d);
    }
    Ok((docs, diags))
}

fn content_dir(root: &Path, shown_root: &Path) -> Result<PathBuf, LoadError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(LoadError::NoContent(shown_root.join("content")));
    }
    Ok(content)
}

/// Every file under `content`, in name order, with its path relative to `content`.
/// `tolerant` skips what vanished during the walk, for a caller that will walk again.
fn walk(content: &Path, tolerant: bool) -> Result<Vec<(PathBuf, String)>, LoadError> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e)
                if tolerant
                    && e.io_error()
                        .is_some_and(|io| io.kind() == ErrorKind::NotFound) =>
            {
                continue;
            }
            Err(e) => {
                return Err(LoadError::Io {
                    path: e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| content.to_path_buf()),
                    source: e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("file system loop")),
                });
            }
        };
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(content)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            files.push((entry.path().to_path_buf(), rel));
        }
    }
    Ok(files)
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

fn read_limited(
    path: &Path,
    shown: &Path,
    diags: &mut Diagnostics,
) -> Result<Option<Vec<u8>>, LoadError> {
    let io = |source| LoadError::Io {
        path: shown.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
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
    std::fs::read(path).map(Some).map_err(io)
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
    let (meta, body) = if place.markdown {
        match frontmatter::split(&doc.source.text, doc.lang.is_some()) {
            Ok(split) => (split.yaml, Some(split.body)),
            Err(d) => {
                diags.push(d.into_diagnostic(&doc.source));
                return doc;
            }
        }
    } else {
        let bom = if doc.source.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        (Some((doc.source.text[bom..].to_string(), bom)), None)
    };
    if let Some((yaml, base)) = meta {
        match yaml::parse(&yaml, base) {
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
    doc.body = body;
    doc.unreadable = false;
    doc
}
