//! One rebuild: the whole pipeline into memory with the documents of unchanged files
//! reused, compared with the site being served, and told on the terminal.

use super::site::{Changes, Diff, Site};
use crate::build::{self, Settings};
use crate::diag::{self, Diagnostic, Severity};
use crate::load;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Instant;

/// What a rebuild gave.
pub enum Outcome {
    /// The new site and what differs from the one before.
    Built(Arc<Site>, Changes),
    /// The content, theme or configuration has errors (or could not be read): keep
    /// serving the last good site and show these.
    Failed(Vec<Diagnostic>),
}

/// The settings and the document cache, kept from one rebuild to the next.
pub struct Builder {
    settings: Settings,
    cache: load::Cache,
}

impl Builder {
    pub fn new(settings: Settings) -> Builder {
        Builder {
            settings,
            cache: load::Cache::default(),
        }
    }

    /// Builds the site, comparing every file with `previous`.
    pub fn rebuild(&mut self, previous: &Site) -> Outcome {
        let start = Instant::now();
        let diff = Diff::new(previous);
        let report = match build::run_into(&self.settings, &mut self.cache, &diff) {
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
                let (site, changes) = diff.finish();
                anstream::eprintln!(
                    "built {} pages ({} files) in {} ms: {} changed",
                    stats.pages,
                    stats.files,
                    start.elapsed().as_millis(),
                    changes.len()
                );
                Outcome::Built(Arc::new(site), changes)
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
