//! The template engine trait, and its minijinja implementation. Templates get plain
//! JSON-like data (view models), never model types, so engines are interchangeable.

use super::theme::Theme;
use crate::diag::{Diagnostic, Source};
use std::collections::BTreeMap;

pub trait Engine: Sync {
    /// Renders the named template (e.g. `partnership.html`) with `context`.
    fn render(&self, template: &str, context: &serde_json::Value) -> Result<String, TemplateError>;
}

/// A template problem, with the template file and line when the engine knows them.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    pub message: String,
    pub template: Option<String>,
    pub line: Option<usize>,
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

fn line_start(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

pub struct MiniJinja {
    env: minijinja::Environment<'static>,
}

impl MiniJinja {
    /// Loads every template of the theme at once, so syntax errors show before rendering.
    pub fn new(theme: &Theme) -> Result<MiniJinja, Vec<TemplateError>> {
        let mut env = minijinja::Environment::new();
        // Without debug an undefined value loses its name in the error, also in release.
        env.set_debug(true);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.set_formatter(html_formatter);
        let mut errors = Vec::new();
        let templates: BTreeMap<String, String> = theme
            .templates()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        for (name, source) in templates {
            if let Err(e) = env.add_template_owned(name, source) {
                errors.push(convert(&e));
            }
        }
        if errors.is_empty() {
            Ok(MiniJinja { env })
        } else {
            Err(errors)
        }
    }
}

impl Engine for MiniJinja {
    fn render(&self, template: &str, context: &serde_json::Value) -> Result<String, TemplateError> {
        let t = self.env.get_template(template).map_err(|e| convert(&e))?;
        t.render(minijinja::value::Serde(context))
            .map_err(|e| convert(&e))
    }
}

/// minijinja's escaping also turns `/` into `&#x2f;`, which bloats every URL and makes
/// the HTML unreadable; escaping `&<>"'` is what HTML needs.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    let plain = value.as_str().filter(|_| {
        !value.is_safe() && !matches!(state.auto_escape(), minijinja::AutoEscape::None)
    });
    let Some(s) = plain else {
        return minijinja::escape_formatter(out, state, value);
    };
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&s[last..i]).map_err(minijinja_write_error)?;
        out.write_str(rep).map_err(minijinja_write_error)?;
        last = i + 1;
    }
    out.write_str(&s[last..]).map_err(minijinja_write_error)
}

fn minijinja_write_error(_: std::fmt::Error) -> minijinja::Error {
    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "could not write output")
}

fn convert(e: &minijinja::Error) -> TemplateError {
    let mut message = e.kind().to_string();
    if let Some(detail) = e.detail() {
        message = format!("{message}: {detail}");
    }
    use minijinja::ErrorKind as K;
    let help = match e.kind() {
        K::SyntaxError => {
            "fix the template syntax; a block left open (`{% if %}`, `{% for %}`) is reported where the template or its enclosing block ends"
        }
        K::UndefinedError => {
            "the page has no such value: check the spelling against the other templates, or guard it with `{% if name is defined %}`"
        }
        K::UnknownFilter | K::UnknownFunction | K::UnknownTest | K::UnknownMethod => {
            "this is not a minijinja built-in: check its name"
        }
        K::TemplateNotFound => {
            "the theme has no template of that name: check `extends`, `include` and `import`"
        }
        _ => "fix the template at this line",
    };
    TemplateError {
        message,
        help,
        template: e.name().map(str::to_string),
        line: e.line(),
        span: e.range(),
    }
}
