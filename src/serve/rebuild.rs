//! One rebuild: the whole pipeline into memory with the documents of unchanged files
//! reused, compared with the site being served, and told on the terminal.

use super::site::{Changes, Diff, Site};
use crate::build::{self, Settings};
use crate::diag::{self, Diagnostic, Severity};
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Instant;

/// What a rebuild gave.
pub enum Outcome {
    /// The new site, what differs from the one before, and what the build did.
    Built(Arc<Site>, Changes, build::Stats),
    /// The content, theme or configuration has errors (or could not be read): keep
    /// serving the last good site and show these.
    Failed(Vec<Diagnostic>),
}

/// The settings, and the documents and fingerprints kept from one rebuild to the next.
pub struct Builder {
    settings: Settings,
    kept: build::Kept,
}

impl Builder {
    pub fn new(settings: Settings) -> Builder {
        Builder {
            settings,
            kept: build::Kept::default(),
        }
    }

    /// Builds the site again, rendering what changed since `previous` and comparing
    /// every file rendered with it. `previous` must be the last site this builder made
    /// (or an empty one).
    pub fn rebuild(&mut self, previous: &Site) -> Outcome {
        let start = Instant::now();
        let diff = Diff::new(previous);
        let report = match build::run_into(&self.settings, &mut self.kept, &diff) {
            Ok(r) => r,
            // Not the content's fault (a folder renamed away, an unreadable theme
            // file), but the editor fixes it the same way: shown like a diagnostic.
            Err(fatal) => {
                let d = Diagnostic::error(fatal.to_string())
                    .help("kembar serve keeps the last good site until this is fixed");
                print(std::slice::from_ref(&d));
                return Outcome::Failed(vec![d]);
            }
        };
        print(&report.diagnostics);
        let errors = report
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        match report.stats {
            Some(stats) if !errors => {
                let (site, changes) = diff.finish(self.kept.memo.paths());
                let stats = build::Stats {
                    millis: start.elapsed().as_millis(),
                    ..stats
                };
                Outcome::Built(Arc::new(site), changes, stats)
            }
            _ => {
                anstream::eprintln!("still serving the last good site");
                Outcome::Failed(report.diagnostics)
            }
        }
    }
}

/// Diagnostics as `kembar check` prints them.
fn print(diags: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal();
    for d in diags {
        anstream::eprintln!("{}\n", diag::render_human(d, color));
    }
    if let Some(summary) = diag::summary(diags) {
        let sev = if diags.iter().any(|d| d.severity == Severity::Error) {
            "error"
        } else {
            "warning"
        };
        anstream::eprintln!("{sev}: {summary}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// A copy of the repository's atlas to edit.
    fn atlas() -> tempfile::TempDir {
        crate::testing::copy_of(&["kembar.toml", "content"])
    }

    fn builder(root: &Path) -> Builder {
        Builder::new(Settings {
            root: root.to_path_buf(),
            shown_root: root.to_path_buf(),
            output: None,
            base_url: None,
            coverage: false,
        })
    }

    fn built(outcome: Outcome) -> (Arc<Site>, usize) {
        match outcome {
            Outcome::Built(site, _, stats) => (site, stats.rendered),
            Outcome::Failed(d) => panic!("the build failed: {d:?}"),
        }
    }

    fn files(site: &Site) -> BTreeMap<&str, &[u8]> {
        site.paths()
            .map(|p| (p, site.get(p).map_or(&[][..], |b| &b[..])))
            .collect()
    }

    fn edit(root: &Path, file: &str, change: impl Fn(&str) -> String) {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let changed = change(&text);
        assert_ne!(changed, text, "the edit of {file} changes it");
        std::fs::write(&path, changed).expect("write");
    }

    /// Replaces the value of the first line starting `key: `.
    fn set(key: &'static str, value: &'static str) -> impl Fn(&str) -> String {
        move |text| {
            let prefix = format!("{key}: ");
            let mut done = false;
            let lines: Vec<String> = text
                .lines()
                .map(|l| match l.starts_with(&prefix) && !done {
                    true => {
                        done = true;
                        format!("{prefix}{value}")
                    }
                    false => l.to_string(),
                })
                .collect();
            lines.join("\n") + "\n"
        }
    }

    /// Every rebuild, rendering only what changed, gives exactly the site a build from
    /// nothing gives; and an edit of one entry renders a small part of the site.
    #[test]
    fn a_rebuild_renders_what_changed_and_gives_the_same_site_as_a_full_build() {
        let dir = atlas();
        let root = dir.path();
        let mut served = builder(root);
        let (mut site, all) = built(served.rebuild(&Site::default()));
        assert_eq!(
            all,
            site.paths().count(),
            "the first build renders everything"
        );
        type Edit = Box<dyn Fn(&Path)>;
        let edits: Vec<(&str, Edit, Option<usize>)> = vec![
            (
                "a partnership's history",
                Box::new(|r| {
                    edit(r, "content/partnerships/ambon-darwin.md", |t| {
                        t.to_string() + "\nSatu kalimat lagi.\n"
                    })
                }),
                Some(all / 10),
            ),
            ("nothing", Box::new(|_| {}), Some(0)),
            (
                "a region's name",
                Box::new(|r| {
                    edit(
                        r,
                        "content/regions/ambon.md",
                        set("name", "Kota Ambon Manise"),
                    )
                }),
                None,
            ),
            (
                "a partner's coordinates",
                Box::new(|r| {
                    edit(r, "content/partners/au/darwin.md", |t| {
                        t.replacen("lat: -12.4611", "lat: -12.5", 1)
                    })
                }),
                None,
            ),
            (
                "a partnership's region",
                Box::new(|r| {
                    edit(
                        r,
                        "content/partnerships/ambon-darwin.md",
                        set("region", "bandung"),
                    )
                }),
                None,
            ),
            (
                "a partnership deleted",
                Box::new(|r| {
                    std::fs::remove_file(r.join("content/partnerships/ambon-havana.md"))
                        .expect("rm")
                }),
                None,
            ),
            (
                "a reference page",
                Box::new(|r| {
                    edit(r, "content/pages/about.en.md", |t| {
                        t.to_string() + "\nOne more line.\n"
                    })
                }),
                Some(all / 10),
            ),
            (
                "the site's title",
                Box::new(|r| {
                    edit(r, "kembar.toml", |t| {
                        t.replacen(
                            "title = \"Atlas Kota Kembar\"",
                            "title = \"Atlas Kembar\"",
                            1,
                        )
                    })
                }),
                None,
            ),
        ];
        for (what, apply, most) in edits {
            apply(root);
            let (next, rendered) = built(served.rebuild(&site));
            let (whole, _) = built(builder(root).rebuild(&Site::default()));
            assert_eq!(files(&next), files(&whole), "after editing {what}");
            if let Some(most) = most {
                assert!(
                    rendered <= most,
                    "editing {what} rendered {rendered} of {all} files"
                );
            }
            site = next;
        }
    }
}
