//! The only code that touches the output folder. The site is written to a temporary
//! sibling folder and swapped into place, so a failed build leaves the previous output
//! as it was; a folder kembar did not write is never replaced.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Marks a folder as kembar's output, safe to replace on the next build.
pub const MARKER: &str = ".kembar-output";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "refusing to replace {0}: it is not empty and was not written by kembar (no {MARKER} file in it)"
    )]
    NotOurs(PathBuf),
    #[error("refusing to write to {0}: {1}")]
    BadPlace(PathBuf, &'static str),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses outputs that would destroy sources: the root itself, anything inside
/// `content/`, or a folder that contains the site.
pub fn check_place(root: &Path, out: &Path) -> Result<(), WriteError> {
    let root = absolute(root);
    let out_abs = absolute(out);
    if out_abs == root {
        return Err(WriteError::BadPlace(
            out.to_path_buf(),
            "it is the site root",
        ));
    }
    if out_abs.starts_with(root.join("content")) {
        return Err(WriteError::BadPlace(
            out.to_path_buf(),
            "it is inside content/",
        ));
    }
    if root.starts_with(&out_abs) {
        return Err(WriteError::BadPlace(
            out.to_path_buf(),
            "it contains the site",
        ));
    }
    Ok(())
}

/// Lexically absolute and normalised, with symlinks resolved where the path exists.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = fs::canonicalize(p) {
        return c;
    }
    let base = std::env::current_dir().unwrap_or_default();
    let joined = base.join(p);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent)
            .map(|p| p.join(name))
            .unwrap_or(out),
        _ => out,
    }
}

pub fn write(out: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), WriteError> {
    if out.exists() {
        let is_dir = out.is_dir();
        let empty = is_dir && fs::read_dir(out).map_err(io(out))?.next().is_none();
        if !is_dir || (!empty && !out.join(MARKER).is_file()) {
            return Err(WriteError::NotOurs(out.to_path_buf()));
        }
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io(parent))?;
    let tmp = parent.join(format!(".{name}.kembar-new"));
    let old = parent.join(format!(".{name}.kembar-old"));
    for leftover in [&tmp, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(io(leftover))?;
        }
    }
    if let Err(e) = fill(&tmp, files) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    swap(out, &tmp, &old)
}

fn fill(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(io(p))?;
        }
        fs::write(&path, bytes).map_err(io(&path))?;
    }
    let marker = dir.join(MARKER);
    fs::write(
        &marker,
        "This folder was written by kembar and is replaced on every build.\n",
    )
    .map_err(io(&marker))
}

/// Moves the old output aside, the new one in, and only then deletes the old one; if
/// the second move fails the old output is put back.
fn swap(out: &Path, tmp: &Path, old: &Path) -> Result<(), WriteError> {
    let had_old = out.exists();
    if had_old {
        fs::rename(out, old).map_err(io(out))?;
    }
    if let Err(e) = fs::rename(tmp, out) {
        if had_old {
            let _ = fs::rename(old, out);
        }
        let _ = fs::remove_dir_all(tmp);
        return Err(io(out)(e));
    }
    if had_old {
        fs::remove_dir_all(old).map_err(io(old))?;
    }
    Ok(())
}
