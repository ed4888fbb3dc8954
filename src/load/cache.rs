//! The parsed documents `kembar serve` keeps from one load to the next: a file whose
//! modification time and size have not changed is not read or parsed again.

use super::{Document, LoadError, content_dir, read_entry, walk};
use crate::diag::{Diagnostic, Diagnostics};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::ErrorKind;
use std::path::Path;
use std::time::SystemTime;

/// Documents by path relative to `content/`, with what their reading reported.
#[derive(Default)]
pub struct Cache {
    files: HashMap<String, Cached>,
}

struct Cached {
    stamp: Stamp,
    doc: Option<Document>,
    diags: Vec<Diagnostic>,
}

/// What tells a changed file from an unchanged one without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

/// How much of a load came from the cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct Reuse {
    pub parsed: usize,
    pub reused: usize,
}

enum Found {
    /// Deleted between the walk and the read: the watcher reports the deletion, and
    /// the next load will not find it.
    Vanished,
    /// Unchanged: the cached entry stands.
    Same,
    Read(Box<Cached>),
}

/// Like `load`, reading only the files that changed since the last call with `cache`,
/// and forgetting the files that are gone. Files that vanish while the folder is read
/// are skipped rather than failing the load.
pub fn load_cached(
    root: &Path,
    shown_root: &Path,
    cache: &mut Cache,
) -> Result<(Vec<Document>, Diagnostics, Reuse), LoadError> {
    let content = content_dir(root, shown_root)?;
    let files = walk(&content, true)?;
    let known = &cache.files;
    let found: Vec<(String, Found)> = files
        .into_par_iter()
        .map(|f| {
            let rel = f.rel();
            let found = find(&f.path(), &rel, shown_root, known)?;
            Ok((rel, found))
        })
        .collect::<Result<_, LoadError>>()?;
    // Unchanged entries move from the old map to the new one; each document is cloned
    // once, for validation to own.
    let mut old = std::mem::take(&mut cache.files);
    let mut docs = Vec::with_capacity(found.len());
    let mut diags = Diagnostics::new();
    let mut reuse = Reuse::default();
    for (rel, f) in found {
        let entry = match f {
            Found::Vanished => continue,
            Found::Same => match old.remove(&rel) {
                Some(c) => {
                    reuse.reused += 1;
                    c
                }
                None => continue,
            },
            Found::Read(c) => {
                reuse.parsed += 1;
                *c
            }
        };
        docs.extend(entry.doc.clone());
        for one in &entry.diags {
            diags.push(one.clone());
        }
        cache.files.insert(rel, entry);
    }
    Ok((docs, diags, reuse))
}

fn find(
    path: &Path,
    rel: &str,
    shown_root: &Path,
    known: &HashMap<String, Cached>,
) -> Result<Found, LoadError> {
    let vanished = |e: &std::io::Error| e.kind() == ErrorKind::NotFound;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if vanished(&e) => return Ok(Found::Vanished),
        Err(source) => {
            return Err(LoadError::Io {
                path: shown_root.join("content").join(rel),
                source,
            });
        }
    };
    // The stamp is taken before reading, so a save during the read leaves a stamp that
    // no longer matches, and the file is read again next time.
    let stamp = Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
    };
    if known
        .get(rel)
        .is_some_and(|c| c.stamp == stamp && stamp.modified.is_some())
    {
        return Ok(Found::Same);
    }
    match read_entry(path, rel.to_string(), shown_root) {
        Ok((doc, d)) => Ok(Found::Read(Box::new(Cached {
            stamp,
            doc,
            diags: d.iter().cloned().collect(),
        }))),
        Err(LoadError::Io { source, .. }) if vanished(&source) => Ok(Found::Vanished),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        crate::testing::copy_of(&["tests/fixtures/site/."])
    }

    fn rels(docs: &[Document]) -> Vec<&str> {
        docs.iter().map(|d| d.rel.as_str()).collect()
    }

    #[test]
    fn only_changed_files_are_parsed_again_and_deleted_ones_forgotten() {
        let dir = site();
        let root = dir.path();
        let mut cache = Cache::default();
        let (docs, _, first) = load_cached(root, Path::new(""), &mut cache).expect("load");
        let (plain, _) = super::super::load(root, Path::new("")).expect("load");
        assert_eq!(rels(&docs), rels(&plain), "same documents as a plain load");
        assert_eq!((first.parsed, first.reused), (docs.len(), 0));

        let (_, _, again) = load_cached(root, Path::new(""), &mut cache).expect("load");
        assert_eq!((again.parsed, again.reused), (0, docs.len()));

        let entry = root.join("content/partnerships/bandung-suwon.md");
        let text = std::fs::read_to_string(&entry).expect("read");
        std::fs::write(&entry, format!("{text}\nMore.\n")).expect("write");
        std::fs::remove_file(root.join("content/partners/jp/shizuoka.yaml")).expect("rm");
        let (after, _, edit) = load_cached(root, Path::new(""), &mut cache).expect("load");
        assert_eq!((edit.parsed, edit.reused), (1, docs.len() - 2));
        let body = after
            .iter()
            .find(|d| d.rel == "partnerships/bandung-suwon.md")
            .and_then(|d| d.body.as_ref())
            .expect("body");
        assert!(body.text().contains("More."));
        assert!(!rels(&after).contains(&"partners/jp/shizuoka.yaml"));
    }
}
