//! The only code that touches the output folder. Files are written to a temporary
//! sibling folder as they are made, so a failed build leaves the previous output as it
//! was; a folder kembar did not write is never replaced.
//!
//! The marker file also lists every file of the last build with a hash of its bytes.
//! A rebuild stages only the files whose bytes changed (or that are missing or of
//! another size on disk), then moves them into place and removes files the site no
//! longer has: an unchanged file is never rewritten, so its modification time stays and
//! a sync to a host uploads only what changed.

use rayon::slice::ParallelSliceMut;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// What the last build wrote: path → (hash, length). Hashed, not ordered: a rebuild
/// looks up every file of a big site in it.
type Manifest = HashMap<String, (u128, u64)>;

/// The files this build made, in the order they were made.
type Made = Vec<(String, (u128, u64))>;

const MARKER_TEXT: &str = "This folder was written by kembar and is replaced on every build.\n\
    Below: every file of the last build, with a hash (xxh3-128) and length.\n";

/// An output folder being written: a staging folder beside it, filled in parallel by
/// [`crate::output::Sink::put`], then [`Output::commit`]ted or dropped.
pub struct Output {
    out: PathBuf,
    stage: PathBuf,
    old: PathBuf,
    /// The last build's files when updating in place; `None` writes a whole new folder.
    previous: Option<Manifest>,
    /// A list, sorted once at the end: keeping a map sorted as files come would
    /// compare each path with some twenty others under the lock (`perf`, N = 50,000).
    made: Mutex<Made>,
    /// The files written to the stage: the only ones a commit has to move.
    staged: Mutex<Vec<String>>,
    /// The folders made in the stage, as paths relative to it.
    dirs: Mutex<HashSet<String>>,
    committed: bool,
}

/// What a commit did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

impl Output {
    /// Refuses a folder kembar did not write, and clears what a crashed run left.
    pub fn begin(out: &Path) -> Result<Output, WriteError> {
        let mut previous = None;
        if out.exists() {
            let is_dir = out.is_dir();
            let empty = is_dir && fs::read_dir(out).map_err(io(out))?.next().is_none();
            let marker = out.join(MARKER);
            if !is_dir || (!empty && !marker.is_file()) {
                return Err(WriteError::NotOurs(out.to_path_buf()));
            }
            if !empty {
                previous = read_manifest(&marker);
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
        let stage = parent.join(format!(".{name}.kembar-new"));
        let old = parent.join(format!(".{name}.kembar-old"));
        for leftover in [&stage, &old] {
            if leftover.exists() {
                fs::remove_dir_all(leftover).map_err(io(leftover))?;
            }
        }
        fs::create_dir_all(&stage).map_err(io(&stage))?;
        Ok(Output {
            out: out.to_path_buf(),
            stage,
            old,
            previous,
            made: Mutex::default(),
            staged: Mutex::default(),
            dirs: Mutex::default(),
            committed: false,
        })
    }

    /// Whether the file on disk already has these bytes.
    fn unchanged(&self, rel: &str, entry: (u128, u64)) -> bool {
        let Some(prev) = self.previous.as_ref().and_then(|m| m.get(rel)) else {
            return false;
        };
        *prev == entry
            && fs::metadata(self.out.join(rel)).is_ok_and(|m| m.is_file() && m.len() == entry.1)
    }

    /// Makes the folder `rel` goes in, in the stage.
    fn stage_dir(&self, rel: &str) -> Result<(), WriteError> {
        if let Some((dir, _)) = rel.rsplit_once('/') {
            let known = lock(&self.dirs).contains(dir);
            if !known {
                let path = self.stage.join(dir);
                fs::create_dir_all(&path).map_err(io(&path))?;
                lock(&self.dirs).insert(dir.to_string());
            }
        }
        Ok(())
    }

    /// Publishes what was staged: swaps in the new folder, or moves the changed files
    /// into the old one and removes the files the site no longer has.
    pub fn commit(mut self) -> Result<Written, WriteError> {
        self.committed = true;
        let mut made = std::mem::take(&mut *lock(&self.made));
        made.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        made.dedup_by(|a, b| a.0 == b.0);
        let manifest = write_manifest(&made);
        let Some(previous) = self.previous.take() else {
            let marker = self.stage.join(MARKER);
            fs::write(&marker, manifest).map_err(io(&marker))?;
            swap(&self.out, &self.stage, &self.old)?;
            return Ok(Written {
                written: made.len(),
                ..Written::default()
            });
        };
        let staged = std::mem::take(&mut *lock(&self.staged));
        let mut done = Written {
            unchanged: made.len() - staged.len(),
            ..Written::default()
        };
        for rel in &staged {
            let from = self.stage.join(rel);
            let to = self.out.join(rel);
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).map_err(io(dir))?;
            }
            fs::rename(&from, &to).map_err(io(&to))?;
            done.written += 1;
        }
        let is_made = |rel: &str| made.binary_search_by(|(m, _)| m.as_str().cmp(rel)).is_ok();
        for rel in previous.keys().filter(|rel| !is_made(rel)) {
            let path = self.out.join(rel);
            match fs::remove_file(&path) {
                Ok(()) => done.removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&path)(e)),
            }
            remove_empty_parents(&self.out, &path);
        }
        // The marker is replaced whole, so a reader never sees half a list.
        let tmp = self.stage.join(MARKER);
        fs::write(&tmp, manifest).map_err(io(&tmp))?;
        let marker = self.out.join(MARKER);
        fs::rename(&tmp, &marker).map_err(io(&marker))?;
        fs::remove_dir_all(&self.stage).map_err(io(&self.stage))?;
        Ok(done)
    }
}

/// A build that fails, or is dropped, leaves the output as it was.
impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.stage);
        }
    }
}

impl crate::output::Sink for Output {
    type Error = WriteError;
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let entry = (xxhash_rust::xxh3::xxh3_128(bytes), bytes.len() as u64);
        self.record(rel, entry, || fs::write(self.stage.join(rel), bytes))
    }

    /// A file in parts is known by its [`fingerprint`].
    fn put_parts(&self, rel: &str, parts: &[crate::output::Part]) -> Result<(), WriteError> {
        let hashes: Vec<u128> = parts
            .iter()
            .map(|p| xxhash_rust::xxh3::xxh3_128(p))
            .collect();
        let len = parts.iter().map(|p| p.len() as u64).sum();
        self.record(rel, (fingerprint(&hashes), len), || {
            let mut file = fs::File::create(self.stage.join(rel))?;
            parts
                .iter()
                .try_for_each(|p| std::io::Write::write_all(&mut file, p))
        })
    }

    /// Written as the parts come, to a file the last build did not have: its bytes
    /// are new, so the hash that says whether they changed is not needed first. A file
    /// the last build had is gathered and hashed first, as `put_parts` does.
    fn put_stream(
        &self,
        rel: &str,
        next: &mut crate::output::Next<'_, WriteError>,
    ) -> Result<(), WriteError> {
        if self.previous.as_ref().is_some_and(|m| m.contains_key(rel)) {
            return self.put_parts(rel, &crate::output::gather(next)?);
        }
        self.stage_dir(rel)?;
        let path = self.stage.join(rel);
        let mut file = fs::File::create(&path).map_err(io(&path))?;
        let (mut hashes, mut len) = (Vec::new(), 0);
        while let Some(parts) = next()? {
            for p in parts {
                std::io::Write::write_all(&mut file, &p).map_err(io(&path))?;
                hashes.push(xxhash_rust::xxh3::xxh3_128(&p));
                len += p.len() as u64;
            }
        }
        // The bytes are on the stage already: only the file is noted.
        self.record(rel, (fingerprint(&hashes), len), || Ok(()))
    }
}

/// A file known by the hashes of its parts: a single part's own hash (what `put` notes
/// for the same bytes), else the hash of its parts' hashes. xxh3 over a whole part is
/// five times faster than xxhash-rust's streaming xxh3 (callgrind), and a file made in
/// parts is always made in the same parts from the same content.
fn fingerprint(hashes: &[u128]) -> u128 {
    match hashes {
        [one] => *one,
        _ => {
            let bytes: Vec<u8> = hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
            xxhash_rust::xxh3::xxh3_128(&bytes)
        }
    }
}

impl Output {
    /// Notes a file of the new site and stages it with `write` unless it is on disk
    /// already with these bytes.
    fn record(
        &self,
        rel: &str,
        entry: (u128, u64),
        write: impl FnOnce() -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        if !self.unchanged(rel, entry) {
            self.stage_dir(rel)?;
            write().map_err(io(&self.stage.join(rel)))?;
            lock(&self.staged).push(rel.to_string());
        }
        lock(&self.made).push((rel.to_string(), entry));
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn write_manifest(made: &Made) -> String {
    let mut s = String::with_capacity(MARKER_TEXT.len() + made.len() * 80);
    s.push_str(MARKER_TEXT);
    for (rel, (hash, len)) in made {
        use std::fmt::Write;
        let _ = writeln!(s, "{hash:032x} {len} {rel}");
    }
    s
}

/// The last build's list; `None` when the marker has none (an older kembar wrote it),
/// which writes a whole new folder.
fn read_manifest(marker: &Path) -> Option<Manifest> {
    let text = fs::read_to_string(marker).ok()?;
    let mut m = Manifest::new();
    for line in text.lines().skip(MARKER_TEXT.lines().count()) {
        let mut parts = line.splitn(3, ' ');
        let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        m.insert(parts.next()?.to_string(), (hash, len));
    }
    (!m.is_empty()).then_some(m)
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != root && d.starts_with(root)) {
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
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
