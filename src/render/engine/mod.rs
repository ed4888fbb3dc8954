//! The template engine trait, the data templates are given, the error every engine
//! reports in, and the choice of engine a theme declares in its `theme.toml`. Templates
//! get plain data (view models), never model types, so engines are interchangeable.

mod minijinja;
mod table;
mod tera;

pub use self::minijinja::MiniJinja;
pub use self::table::Table;
pub use self::tera::Tera;

use super::theme::{EngineKind, Theme};
use crate::diag::{Diagnostic, Source};

/// What templates are given: minijinja's reference-counted dynamic value. A part made
/// once (a partnership's line in a list, shown on a dozen index pages) is shared by
/// every page that shows it instead of being rebuilt and converted for each. Engines
/// other than minijinja serialise it into their own form.
pub use ::minijinja::Value;

/// Any serialisable view model as template data.
pub fn value<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    Value::from(::minijinja::value::Serde(v))
}

pub trait Engine: Sync + Send {
    /// Renders the named template (e.g. `partnership.html`) with `context`, as UTF-8:
    /// bytes, because bytes are what is written and what links are checked in.
    fn render(&self, template: &str, context: &Value) -> Result<Vec<u8>, TemplateError>;
}

/// Lets a boxed engine (what [`engine_for`] returns) go wherever `&dyn Engine` does.
impl<E: Engine + ?Sized> Engine for Box<E> {
    fn render(&self, template: &str, context: &Value) -> Result<Vec<u8>, TemplateError> {
        (**self).render(template, context)
    }
}

/// The engine the theme declares, with every template of the theme loaded. Errors are
/// located diagnostics: a bad `theme.toml`, or every template that does not parse.
pub fn engine_for(theme: &Theme) -> Result<Box<dyn Engine>, Vec<Diagnostic>> {
    let loaded = match theme.engine()? {
        EngineKind::MiniJinja => MiniJinja::new(theme).map(|e| Box::new(e) as Box<dyn Engine>),
        EngineKind::Tera => Tera::new(theme).map(|e| Box::new(e) as Box<dyn Engine>),
    };
    loaded.map_err(|errors| errors.iter().map(|e| e.to_diagnostic(theme)).collect())
}

/// A template problem, with the template file and line when the engine knows them.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    pub message: String,
    pub template: Option<String>,
    pub line: Option<usize>,
    /// Byte range in the template's text.
    pub span: Option<std::ops::Range<usize>>,
    pub help: &'static str,
}

impl TemplateError {
    /// A located diagnostic, pointing into the template file the theme loaded it from.
    pub fn to_diagnostic(&self, theme: &Theme) -> Diagnostic {
        let file = self
            .template
            .as_deref()
            .and_then(|t| theme.template_file(t));
        let mut d = Diagnostic::error(format!("template error: {}", self.message)).help(self.help);
        if let Some((path, text)) = file {
            let source = Source::new(path, text);
            let span = self
                .span
                .clone()
                .filter(|s| s.end <= source.text.len())
                .or_else(|| {
                    self.line
                        .map(|l| line_start(&source.text, l)..line_start(&source.text, l))
                })
                .unwrap_or(0..0);
            d = d.at(&source, span);
        }
        d
    }
}

/// Byte offset where the 1-based `line` starts (the end of the text past the last line).
pub(crate) fn line_start(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// Escapes what HTML and XML need (`&<>"'`), for both engines alike: minijinja's own
/// escaping also turns `/` into `&#x2f;`, which bloats every URL and makes the HTML
/// unreadable, and the same page must come out the same whichever engine renders it.
///
/// Every value a template prints goes through here; most have nothing to escape, so
/// the text is searched eight bytes at a time.
pub(crate) fn escape_html(
    s: &str,
    mut out: impl FnMut(&str) -> std::fmt::Result,
) -> std::fmt::Result {
    let bytes = s.as_bytes();
    let (mut last, mut i) = (0, 0);
    while i < bytes.len() {
        let at = match bytes.get(i..i + 8) {
            Some(chunk) => match special(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]))) {
                0 => {
                    i += 8;
                    continue;
                }
                m => i + (m.trailing_zeros() / 8) as usize,
            },
            None => i,
        };
        i = at + 1;
        let rep = match bytes[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out(&s[last..at])?;
        out(rep)?;
        last = i;
    }
    out(&s[last..])
}

/// The high bit of each byte of `w` (little-endian) that is one of `&<>"'`, and
/// perhaps of some bytes after the first such: the lowest set bit is always a real one.
fn special(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let is = |b: u8| zero(w ^ (ONES * u64::from(b)));
    is(b'&') | is(b'<') | is(b'>') | is(b'"') | is(b'\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A theme `t` made of the given templates, in a temporary site, for the engines' tests.
    pub(super) fn test_theme(files: &[(&str, &str)]) -> (tempfile::TempDir, Theme) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join("themes/t/templates").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let theme = Theme::load(dir.path(), std::path::Path::new(""), "t").unwrap();
        (dir, theme)
    }

    #[test]
    fn escaping_leaves_slashes_alone() {
        let mut out = String::new();
        escape_html(r#"<a href="/x?a=1&b='2'">"#, |s| {
            out.push_str(s);
            Ok(())
        })
        .unwrap();
        assert_eq!(out, "&lt;a href=&quot;/x?a=1&amp;b=&#39;2&#39;&quot;&gt;");
    }

    /// Eight bytes at a time escapes as one at a time: every ASCII byte and a few
    /// wider characters, at every place in and across words, next to each other.
    #[test]
    fn escaping_by_words_is_escaping_by_bytes() {
        let reference = |s: &str| {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect::<String>()
        };
        let escaped = |s: &str| {
            let mut out = String::new();
            escape_html(s, |part| {
                out.push_str(part);
                Ok(())
            })
            .unwrap();
            out
        };
        let odd: Vec<String> = (0u8..128)
            .map(|b| char::from(b).to_string())
            .chain(["é", "–", "日本", "&<", "\"'", "&é&"].map(String::from))
            .collect();
        for c in &odd {
            for at in 0..18 {
                for len in [at, at + 1, at + 9, 24] {
                    let mut s = "a".repeat(at);
                    s.push_str(c);
                    s.push_str(&"é".repeat(len % 3));
                    s.push_str(&"z".repeat(len));
                    assert_eq!(escaped(&s), reference(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn line_start_counts_bytes_of_the_lines_before() {
        assert_eq!(line_start("ab\ncd\nef", 1), 0);
        assert_eq!(line_start("ab\ncd\nef", 3), 6);
    }
}
