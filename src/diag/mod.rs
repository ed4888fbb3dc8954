//! Diagnostics: one value type for every problem kembar reports (file, byte span,
//! message, labels, help), the collection a build fills in one pass, and renderers.

mod render;

pub use render::{render_github, render_human, render_json, render_short};

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A text that diagnostics point into. Shared so that many diagnostics on one file do
/// not copy it.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as shown to the user (relative to the site root).
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        // A byte-order mark is invisible to the editor; it is no column.
        let bom = usize::from(line == 1 && self.text.starts_with('\u{feff}') && offset > 0);
        let col = before[line_start..].chars().count() + 1 - bom;
        (line, col)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A place in a source: the file and a byte range in it.
#[derive(Debug, Clone)]
pub struct Location {
    pub source: Source,
    pub span: Range<usize>,
}

/// A secondary place that explains the primary one ("first defined here").
#[derive(Debug, Clone)]
pub struct Label {
    pub location: Location,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; `None` for problems that belong to no file.
    pub location: Option<Location>,
    /// Text shown under the caret of the primary location.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            location: None,
            label: None,
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn at(mut self, source: &Source, span: Range<usize>) -> Self {
        self.location = Some(Location {
            source: source.clone(),
            span,
        });
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn also(mut self, source: &Source, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            location: Location {
                source: source.clone(),
                span,
            },
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn file(&self) -> Option<&Path> {
        self.location.as_ref().map(|l| l.source.path.as_path())
    }

    /// `(line, column)`, 1-based, of the primary location.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.location
            .as_ref()
            .map(|l| l.source.line_col(l.span.start))
    }

    fn sort_key(&self) -> (Option<&Path>, usize, Severity, &str) {
        (
            self.file(),
            self.location.as_ref().map_or(0, |l| l.span.start),
            self.severity,
            &self.message,
        )
    }
}

/// Everything a run found, kept in the order a reader wants: by file, then position.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    fn count(&self, s: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == s).count()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file and position; identical diagnostics reported twice are kept once.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup_by(|a, b| {
            a.sort_key() == b.sort_key()
                && a.location.as_ref().map(|l| &l.span) == b.location.as_ref().map(|l| &l.span)
        });
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// The closing line cargo prints: "error: 3 errors and 1 warning in 2 files".
pub fn summary(diags: &[Diagnostic]) -> Option<String> {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if diags.is_empty() {
        return None;
    }
    let mut files: Vec<&Path> = diags.iter().filter_map(|d| d.file()).collect();
    files.sort();
    files.dedup();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    let what = parts.join(" and ");
    Some(match files.len() {
        0 => what,
        n => format!("{what} in {}", plural(n, "file")),
    })
}

/// "did you mean" from a list of known names, by edit distance.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_l = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&input_l, &c.to_lowercase()), c))
        .filter(|(d, c)| {
            *d <= (c.chars().count().max(input.chars().count()) / 3).max(1)
                || c.starts_with(&input_l) && input_l.len() >= 3
        })
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// "did you mean `x`?", or a list of what is allowed when nothing is close.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    suggest(input, candidates).map(|s| format!("did you mean `{s}`?"))
}

pub fn list(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    items
        .into_iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}
