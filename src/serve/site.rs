//! The built site in memory, and what changed from one build to the next: a build
//! writes into a `Diff` sink that keeps the previous build's bytes for every file that
//! came out the same, so a rebuild holds only the changed files twice, and knows which
//! pages a browser showing them has to reload.

use crate::output::Sink;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Every file of one build, by path from the site root (`en/index.html`).
#[derive(Default)]
pub struct Site {
    files: HashMap<String, Arc<[u8]>>,
    /// Counts good builds; a page is served with the generation it came from.
    pub generation: u64,
}

impl Site {
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.files.get(path)
    }

    #[cfg(test)]
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Paths whose bytes differ between two builds: changed, added or removed.
#[derive(Debug, Default)]
pub struct Changes {
    paths: HashSet<String>,
}

impl Changes {
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Whether a browser showing `page` (the path it asked for) must reload to show
    /// `site`: its own bytes changed (or it was missing, and the 404 page changed), or
    /// a file it names and loads with it did — a stylesheet, a script, an image. Data
    /// downloads are only linked (every footer links them), so they do not count.
    /// Names are matched as text: an unneeded reload is possible, a missed one is not.
    pub fn affect(&self, page: &str, site: &Site) -> bool {
        if self.paths.contains(page) {
            return true;
        }
        let shown = if site.contains(page) {
            page
        } else {
            super::http::NOT_FOUND_PAGE
        };
        if shown != page && self.paths.contains(shown) {
            return true;
        }
        let Some(html) = site.get(shown) else {
            return false;
        };
        self.paths
            .iter()
            .filter(|p| loaded_with_page(p))
            .filter_map(|p| p.rsplit('/').next())
            .any(|name| memchr::memmem::find(html, name.as_bytes()).is_some())
    }
}

/// Files a browser loads along with a page, rather than follows a link to.
fn loaded_with_page(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    [
        "css", "js", "mjs", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "woff2",
        "woff", "ttf", "otf",
    ]
    .contains(&ext)
}

/// A sink comparing each file with the previous build as it arrives.
pub struct Diff<'a> {
    previous: &'a Site,
    made: Mutex<Made>,
}

#[derive(Default)]
struct Made {
    files: HashMap<String, Arc<[u8]>>,
    changed: HashSet<String>,
}

impl<'a> Diff<'a> {
    pub fn new(previous: &'a Site) -> Diff<'a> {
        Diff {
            previous,
            made: Mutex::default(),
        }
    }

    /// The new site of the files at `paths`, and what differs from the previous one.
    /// The files of `paths` that were not put keep the previous site's bytes.
    pub fn finish<'p>(self, paths: impl IntoIterator<Item = &'p str>) -> (Site, Changes) {
        let Made {
            mut files,
            mut changed,
        } = self.made.into_inner().unwrap_or_else(|e| e.into_inner());
        for path in paths {
            if !files.contains_key(path)
                && let Some(old) = self.previous.files.get(path)
            {
                files.insert(path.to_string(), old.clone());
            }
        }
        changed.extend(
            self.previous
                .files
                .keys()
                .filter(|p| !files.contains_key(*p))
                .cloned(),
        );
        let site = Site {
            files,
            generation: self.previous.generation + 1,
        };
        (site, Changes { paths: changed })
    }
}

impl Sink for Diff<'_> {
    type Error = std::convert::Infallible;
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Self::Error> {
        // Compared outside the lock: the comparison is the work, the insert is quick.
        let kept = self
            .previous
            .files
            .get(path)
            .filter(|old| old.as_ref() == bytes)
            .cloned();
        let same = kept.is_some();
        let file = kept.unwrap_or_else(|| Arc::from(bytes));
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if !same {
            made.changed.insert(path.to_string());
        }
        made.files.insert(path.to_string(), file);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(previous: &Site, files: &[(&str, &str)]) -> (Site, Changes) {
        let diff = Diff::new(previous);
        for (p, b) in files {
            let Ok(()) = diff.put(p, b.as_bytes());
        }
        diff.finish(files.iter().map(|(p, _)| *p))
    }

    #[test]
    fn a_rebuild_reports_changed_added_and_removed_files_and_shares_the_rest() {
        let (one, _) = build(
            &Site::default(),
            &[("a.html", "a"), ("b.html", "b"), ("gone.html", "x")],
        );
        let (two, changes) = build(&one, &[("a.html", "a"), ("b.html", "B"), ("new.html", "n")]);
        let mut got: Vec<&str> = changes.paths.iter().map(String::as_str).collect();
        got.sort();
        assert_eq!(got, ["b.html", "gone.html", "new.html"]);
        assert!(Arc::ptr_eq(&one.files["a.html"], &two.files["a.html"]));
        assert_eq!(two.generation, 2);
    }

    #[test]
    fn a_page_reloads_when_a_stylesheet_it_loads_changes_not_a_download_it_links() {
        let page = "<link href=\"../static/site.css\"><a href=\"data/x.json\">";
        let (one, _) = build(
            &Site::default(),
            &[
                ("p.html", page),
                ("q.html", "<a href=\"data/x.json\">"),
                ("static/site.css", "a{}"),
                ("data/x.json", "1"),
            ],
        );
        let (two, changes) = build(
            &one,
            &[
                ("p.html", page),
                ("q.html", "<a href=\"data/x.json\">"),
                ("static/site.css", "b{}"),
                ("data/x.json", "2"),
            ],
        );
        assert!(changes.affect("p.html", &two));
        assert!(!changes.affect("q.html", &two));
        assert!(!changes.affect("gone.html", &two));
    }
}
