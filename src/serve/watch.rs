//! Watching the site folder: `kembar.toml`, `content/` and `themes/`, through
//! notify-debouncer-full, which folds an editor's burst of writes to one file into one
//! event. Events for anything else (the output folder, editors' swap files) are
//! dropped here; the rest reach the rebuild loop as a signal on a channel.

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long a file must be quiet before its change is reported: long enough to fold an
/// editor's save (write, rename, chmod) into one event, short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// The folders watched recursively, when they exist.
const FOLDERS: [&str; 2] = ["content", "themes"];

#[derive(Debug, thiserror::Error)]
#[error("cannot watch {path} for changes: {source}")]
pub struct WatchError {
    path: PathBuf,
    source: notify_debouncer_full::notify::Error,
}

pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: BTreeSet<PathBuf>,
}

/// A change that matters, or the watcher's own trouble (which rebuilds too: a missed
/// event must not leave a stale site).
#[derive(Debug)]
pub enum Signal {
    Changed(Vec<PathBuf>),
    Trouble(String),
}

impl Watcher {
    /// Watches `root` (which should be absolute and canonical, as the paths in events
    /// are) and sends a signal on `tx` for each batch of relevant changes.
    pub fn start(root: &Path, tx: Sender<Signal>) -> Result<Watcher, WatchError> {
        let filter_root = root.to_path_buf();
        let handler = move |result: DebounceEventResult| {
            let signal = match result {
                Ok(events) => {
                    let paths: Vec<PathBuf> = events
                        .iter()
                        .filter(|e| changes_files(&e.kind))
                        .flat_map(|e| e.paths.iter())
                        .filter(|p| relevant(&filter_root, p))
                        .cloned()
                        .collect();
                    if paths.is_empty() {
                        return;
                    }
                    Signal::Changed(paths)
                }
                Err(errors) => Signal::Trouble(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            // The receiver is gone only when the server is stopping.
            let _ = tx.send(signal);
        };
        let fail = |source| WatchError {
            path: root.to_path_buf(),
            source,
        };
        let mut debouncer = new_debouncer(DEBOUNCE, None, handler).map_err(fail)?;
        // The root itself, not recursively: kembar.toml, and content/ or themes/ being
        // created, renamed or deleted — but not the output folder's churn.
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(fail)?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: BTreeSet::new(),
        };
        watcher.resync(&[])?;
        Ok(watcher)
    }

    /// Watches `content/` and `themes/` if they exist and stops watching them if they
    /// are gone. A folder that `changed` names itself was replaced or renamed, and
    /// its watch (which follows the old folder) is renewed.
    pub fn resync(&mut self, changed: &[PathBuf]) -> Result<(), WatchError> {
        for name in FOLDERS {
            let dir = self.root.join(name);
            let replaced = changed.contains(&dir);
            if self.watched.contains(&dir) && (replaced || !dir.is_dir()) {
                // Gone already, in which case the watch went with it.
                let _ = self.debouncer.unwatch(&dir);
                self.watched.remove(&dir);
            }
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.debouncer
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(|source| WatchError {
                        path: dir.clone(),
                        source,
                    })?;
                self.watched.insert(dir);
            }
        }
        Ok(())
    }
}

/// Reading a file is an event too, and the build reads every file: only writes,
/// creations, removals and renames (and what the platform cannot say) count.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether a change at `path` can change the site.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == "kembar.toml" {
        return true;
    }
    if !FOLDERS.contains(&first.as_ref()) {
        return false;
    }
    // Editors' swap and backup files; the loader ignores dotfiles too.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !(name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sites_sources_are_relevant() {
        let root = Path::new("/site");
        for yes in [
            "/site/kembar.toml",
            "/site/content",
            "/site/content/regions/bandung.md",
            "/site/themes/mine/templates/base.html",
        ] {
            assert!(relevant(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/target/debug/kembar",
            "/site/content/regions/.bandung.md.swp",
            "/site/content/regions/bandung.md~",
            "/elsewhere/content/x.md",
            "/site",
        ] {
            assert!(!relevant(root, Path::new(no)), "{no}");
        }
    }
}
