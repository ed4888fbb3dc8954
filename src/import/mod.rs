//! `kembar import`: turns the rows of a partnerships spreadsheet into entry files, and
//! fills in the provinces from the embedded gazetteer. It plans every file first and
//! writes nothing when a row has an error; it never overwrites a file. After an import
//! the entries are the source of truth.

mod entry;
mod plan;
mod rows;

pub use rows::COLUMNS;

use crate::diag::{Diagnostic, Severity, Source};
use std::path::{Path, PathBuf};

/// What an import did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Paths of the files written, as shown to the user, in the order written.
    pub created: Vec<PathBuf>,
    pub partnerships: usize,
    pub skipped: Vec<Skipped>,
    /// Problems in the existing content or in the spreadsheet; with an error, nothing
    /// was written.
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// A row left alone, and why (`line` in the spreadsheet).
#[derive(Debug)]
pub struct Skipped {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Load(#[from] crate::load::LoadError),
}

/// Imports the rows of `file` into the site at `root`.
pub fn csv(root: &Path, shown_root: &Path, file: &Path) -> Result<Outcome, ImportError> {
    let mut plan = match plan::Plan::new(root, shown_root)? {
        Ok(plan) => plan,
        Err(diagnostics) => return Ok(invalid_site(diagnostics)),
    };
    let bytes = std::fs::read(file).map_err(|source| ImportError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    let source = Source::new(file, text.into_owned());
    let (rows, mut diagnostics) = rows::read(&source);
    let csv_name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    for row in &rows {
        if let Err(d) = plan.add_row(row, &source, &csv_name) {
            diagnostics.push(*d);
        }
    }
    finish(root, shown_root, plan, diagnostics)
}

/// Creates an entry for every province of the gazetteer that has none.
pub fn provinces(root: &Path, shown_root: &Path) -> Result<Outcome, ImportError> {
    let mut plan = match plan::Plan::new(root, shown_root)? {
        Ok(plan) => plan,
        Err(diagnostics) => return Ok(invalid_site(diagnostics)),
    };
    plan.add_all_provinces();
    finish(root, shown_root, plan, Vec::new())
}

fn invalid_site(diagnostics: Vec<Diagnostic>) -> Outcome {
    Outcome {
        diagnostics,
        ..Outcome::default()
    }
}

fn finish(
    root: &Path,
    shown_root: &Path,
    plan: plan::Plan,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Outcome, ImportError> {
    let mut outcome = Outcome {
        skipped: plan.skipped,
        partnerships: plan.partnerships,
        ..Outcome::default()
    };
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        diagnostics.sort_by_key(|d| d.line_col());
        outcome.diagnostics = diagnostics;
        outcome.partnerships = 0;
        return Ok(outcome);
    }
    for (rel, text) in &plan.files {
        let path = root.join(rel);
        write_new(&path, text).map_err(|source| ImportError::Write {
            path: path.clone(),
            source,
        })?;
        outcome.created.push(shown_root.join(rel));
    }
    // The import's own output must be valid; if it is not, say so rather than leave
    // editors to find out at the next build.
    let (_, after) = crate::build::atlas(root, shown_root)?;
    diagnostics.extend(after);
    outcome.diagnostics = diagnostics;
    Ok(outcome)
}

/// Creates the file, never replacing one that exists.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}
