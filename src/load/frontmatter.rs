//! Splits `---` front matter from a Markdown body, remembering byte offsets.

use crate::diag::{Diagnostic, Source};
use std::ops::Range;

/// Where the parts are, so they are read from the file's text rather than copied.
pub struct Split {
    /// The YAML's byte range in the file; `None` when a translation has no front
    /// matter.
    pub yaml: Option<Range<usize>>,
    /// Where the body starts; it runs to the end of the file.
    pub body: usize,
}

pub enum SplitError {
    Missing,
    Unclosed { open: usize },
}

impl SplitError {
    pub fn into_diagnostic(self, source: &Source) -> Diagnostic {
        match self {
            SplitError::Missing => Diagnostic::error("missing front matter")
                .at(source, 0..0)
                .label("expected `---` here")
                .help("an entry starts with a line `---`, then its YAML fields, then another `---` line, then the Markdown body"),
            SplitError::Unclosed { open } => Diagnostic::error("front matter is not closed")
                .at(source, open..open + 3)
                .label("opened here")
                .help("end the YAML fields with a line containing only `---`"),
        }
    }
}

/// `optional` is true for translations, whose front matter may be left out.
pub fn split(text: &str, optional: bool) -> Result<Split, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let Some(after_open) = strip_fence(rest) else {
        if optional {
            return Ok(Split {
                yaml: None,
                body: start,
            });
        }
        return Err(SplitError::Missing);
    };
    let yaml_start = start + (rest.len() - after_open.len());
    let bytes = text.as_bytes();
    let mut pos = yaml_start;
    // Line by line with memchr, and only a line starting with `-` compared: splitting
    // with a `char` pattern set up a searcher per line (a tenth of reading a file).
    while pos < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i + 1);
        if bytes[pos] == b'-' && text[pos..end].trim_end() == "---" {
            return Ok(Split {
                yaml: Some(yaml_start..pos),
                body: end,
            });
        }
        pos = end;
    }
    Err(SplitError::Unclosed { open: start })
}

/// The text after an opening `---` line, if the text starts with one.
fn strip_fence(text: &str) -> Option<&str> {
    let first = text.split_inclusive('\n').next()?;
    if first.trim_end() == "---" && first.ends_with('\n') {
        Some(&text[first.len()..])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_point_into_the_file() {
        let text = "---\nname: x\n---\nBody\n";
        let s = split(text, false).ok().unwrap();
        assert_eq!(&text[s.yaml.unwrap()], "name: x\n");
        assert_eq!((&text[s.body..], s.body), ("Body\n", 16));
    }

    #[test]
    fn missing_and_unclosed_are_told_apart() {
        assert!(matches!(
            split("name: x\n", false),
            Err(SplitError::Missing)
        ));
        assert!(matches!(
            split("---\nname: x\n", false),
            Err(SplitError::Unclosed { open: 0 })
        ));
        assert!(split("Just English.\n", true).is_ok());
    }
}
