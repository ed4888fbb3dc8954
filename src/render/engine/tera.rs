//! The Tera (2.x) engine, for themes whose `theme.toml` says `engine = "tera"`. Tera is
//! strict by itself (an undefined value is an error, listing the names that exist);
//! this module loads the theme's templates, finding every syntax error at once, and
//! turns Tera's errors into [`TemplateError`]s.

use super::{Engine, TemplateError};
use crate::render::theme::Theme;
use tera::{ErrorKind, ReportError};

pub struct Tera {
    tera: tera::Tera,
}

impl Tera {
    /// Loads every template of the theme at once, so syntax errors show before rendering.
    pub fn new(theme: &Theme) -> Result<Tera, Vec<TemplateError>> {
        let templates: Vec<(&str, &str)> = theme.templates().collect();
        // Tera stops at the first template that does not parse; parsing each alone
        // first reports them all. Errors that need the other templates (a missing
        // parent, an unknown component) are left to the load of the whole set.
        let errors: Vec<TemplateError> = templates
            .iter()
            .filter_map(|(name, source)| {
                let mut alone = tera::Tera::new();
                let e = alone.add_raw_template(name, source).err()?;
                match e.kind() {
                    ErrorKind::SyntaxError(r) => Some(from_report(r, Some(name))),
                    _ => None,
                }
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // The same escaping as the minijinja engine, whatever Tera's features.
        tera.set_escape_fn(escape);
        match tera.add_raw_templates(templates.iter().copied()) {
            Ok(()) => Ok(Tera { tera }),
            Err(e) => Err(load_errors(&e, &templates)),
        }
    }
}

impl Engine for Tera {
    fn render(&self, template: &str, context: &super::Value) -> Result<Vec<u8>, TemplateError> {
        let context = tera::Context::from_serialize(context).map_err(|e| convert(&e, template))?;
        self.tera
            .render(template, &context)
            .map(String::into_bytes)
            .map_err(|e| convert(&e, template))
    }
}

fn escape(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::escape_html(s, |part| {
        out.write_all(part.as_bytes()).map_err(|_| std::fmt::Error)
    })
    .map_err(std::io::Error::other)
}

/// An error of rendering `template` (or of a template it extends or includes).
fn convert(e: &tera::Error, template: &str) -> TemplateError {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => from_report(r, None),
        ErrorKind::TemplateNotFound(name) => TemplateError {
            message: format!("the theme has no template `{name}`"),
            template: (name != template).then(|| template.to_string()),
            line: None,
            span: None,
            help: HELP_NOT_FOUND,
        },
        _ => TemplateError {
            message: e.to_string(),
            template: Some(template.to_string()),
            line: None,
            span: None,
            help: help_for(&e.to_string()),
        },
    }
}

/// A located error: Tera's span is a byte range in the template's text.
fn from_report(r: &ReportError, name: Option<&str>) -> TemplateError {
    let template = name.unwrap_or(r.filename());
    TemplateError {
        message: r.message().trim_end_matches('.').to_string(),
        template: Some(template.to_string()),
        line: Some(r.span().start_line),
        span: Some(r.span().range.clone()),
        help: help_for(r.message()),
    }
}

/// Errors of loading the whole set. Checks across templates (unknown filters, tests,
/// functions, includes, blocks) come as one message made of reports in Tera's
/// rustc-like layout; they are read back into located errors.
fn load_errors(e: &tera::Error, templates: &[(&str, &str)]) -> Vec<TemplateError> {
    let source = |name: &str| templates.iter().find(|(n, _)| *n == name).map(|t| t.1);
    match e.kind() {
        ErrorKind::SyntaxError(r) => vec![from_report(r, None)],
        ErrorKind::MissingParent { current, parent } => {
            let span = source(current).and_then(|s| quoted(s, parent));
            vec![TemplateError {
                message: format!("`{current}` extends `{parent}`, which the theme does not have"),
                template: Some(current.clone()),
                line: None,
                span,
                help: HELP_NOT_FOUND,
            }]
        }
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            vec![TemplateError {
                message: e.to_string(),
                template: Some(tpl.clone()),
                line: None,
                span: None,
                help: "a template cannot extend or include itself, directly or through others",
            }]
        }
        _ => {
            let text = e.to_string();
            let reports = parse_reports(&text, &source);
            if reports.is_empty() {
                vec![TemplateError {
                    message: text.clone(),
                    template: None,
                    line: None,
                    span: None,
                    help: help_for(&text),
                }]
            } else {
                reports
            }
        }
    }
}

/// Reads reports laid out as `error: MESSAGE` / ` --> NAME:LINE:COL` / source line /
/// carets, as Tera writes them when it joins several.
fn parse_reports<'a>(text: &str, source: &dyn Fn(&str) -> Option<&'a str>) -> Vec<TemplateError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(at) = lines.get(i + 1).and_then(|l| l.trim().strip_prefix("--> ")) else {
            continue;
        };
        let mut parts = at.rsplitn(3, ':');
        let (Some(col), Some(line_no), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(col), Ok(line_no)) = (col.parse::<usize>(), line_no.parse::<usize>()) else {
            continue;
        };
        // The carets, two lines below the source line, give the width.
        let width = lines
            .get(i + 4)
            .map_or(1, |l| l.matches('^').count().max(1));
        let span = source(name).map(|s| {
            let start = super::line_start(s, line_no);
            let rest = &s[start..];
            let offset = |chars: usize| rest.char_indices().nth(chars).map_or(rest.len(), |c| c.0);
            start + offset(col.saturating_sub(1))..start + offset(col.saturating_sub(1) + width)
        });
        out.push(TemplateError {
            message: message.trim_end_matches('.').to_string(),
            template: Some(name.to_string()),
            line: Some(line_no),
            span,
            help: help_for(message),
        });
    }
    out
}

/// Where `"name"` (or `'name'`) is written in `source`.
fn quoted(source: &str, name: &str) -> Option<std::ops::Range<usize>> {
    ['"', '\'', '`'].iter().find_map(|q| {
        let needle = format!("{q}{name}{q}");
        source.find(&needle).map(|i| i..i + needle.len())
    })
}

const HELP_NOT_FOUND: &str = "the theme has no template of that name: check `extends` and `include`; every template the site renders is listed in themes/README.md";

/// Tera's errors have no kinds finer than syntax and rendering; the message tells.
fn help_for(message: &str) -> &'static str {
    let m = message;
    if m.contains("is not defined") || m.contains("undefined") {
        "the page has no such value: the message lists those it has; check the spelling against themes/README.md, or guard it with `{% if name is defined %}` (Tera allows only the last part of a dotted name to be undefined; `a?.b` stops at a missing `a`)"
    } else if m.starts_with("Unknown filter")
        || m.starts_with("Unknown test")
        || m.starts_with("Unknown function")
    {
        "this is not a Tera 2 built-in, and kembar adds none: see the list in themes/README.md"
    } else if m.starts_with("Unknown component") {
        "define it with `{% component name(args) %}…{% endcomponent name %}` in one of the theme's templates"
    } else if m.starts_with("Unknown template") || m.contains("not found") {
        HELP_NOT_FOUND
    } else if m.starts_with("Block `") {
        "a template that extends another can only fill blocks its parent defines"
    } else if m.contains("Invalid type") || m.contains("keyword argument") {
        "check the value and the arguments given to this filter, test or function"
    } else {
        "fix the template syntax (Tera 2: components replace macros, `{% endblock %}` closes a block); a block left open (`{% if %}`, `{% for %}`) is reported where the template or its enclosing block ends"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::engine::value;
    use serde_json::json;

    use crate::render::engine::tests::test_theme as theme;

    #[test]
    fn renders_with_inheritance_and_escapes_html_but_not_text() {
        let (_d, t) = theme(&[
            (
                "base.html",
                "<title>{{ title }}</title>{% block main %}{% endblock main %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block main %}{{ svg | safe }}<a href=\"/{{ url }}\">{% endblock main %}",
            ),
            ("robots.txt", "{{ title }}"),
        ]);
        let engine = Tera::new(&t).unwrap();
        let cx = json!({ "title": "A & 'B'", "svg": "<svg/>", "url": "x/y.html" });
        assert_eq!(
            String::from_utf8(engine.render("page.html", &value(&cx)).unwrap()).unwrap(),
            "<title>A &amp; &#39;B&#39;</title><svg/><a href=\"/x/y.html\">"
        );
        assert_eq!(
            engine.render("robots.txt", &value(&cx)).unwrap(),
            b"A & 'B'"
        );
    }

    #[test]
    fn every_syntax_error_is_reported_with_its_line() {
        let (_d, t) = theme(&[
            ("a.html", "ok\n{% if x %}\n"),
            ("b.html", "{{ y }\n"),
            ("c.html", "fine"),
        ]);
        let errors = Tera::new(&t).err().unwrap();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.template.as_deref(), e.line.is_some()))
            .collect();
        assert_eq!(found, [(Some("a.html"), true), (Some("b.html"), true)]);
    }

    #[test]
    fn undefined_field_names_the_fields_there_are() {
        let (_d, t) = theme(&[("p.html", "<p>\n{{ site.titel }}</p>")]);
        let e = Tera::new(&t)
            .unwrap()
            .render("p.html", &value(&json!({ "site": { "title": "A" } })))
            .unwrap_err();
        assert_eq!(e.template.as_deref(), Some("p.html"));
        assert_eq!(e.line, Some(2));
        assert!(
            e.message.contains("Available fields: title"),
            "{}",
            e.message
        );
        // Tera points at the field itself.
        assert_eq!(e.span, Some(12..17));
    }

    #[test]
    fn unknown_filter_is_located_at_load() {
        let (_d, t) = theme(&[("p.html", "a\n  {{ x | tojson }}")]);
        let errors = Tera::new(&t).err().unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].template.as_deref(), Some("p.html"));
        assert_eq!(errors[0].line, Some(2));
        let span = errors[0].span.clone().unwrap();
        assert_eq!(&"a\n  {{ x | tojson }}"[span], "tojson");
    }

    #[test]
    fn missing_parent_points_at_the_extends() {
        let (_d, t) = theme(&[("p.html", "{% extends \"base.html\" %}")]);
        let errors = Tera::new(&t).err().unwrap();
        assert_eq!(errors[0].span, Some(11..22));
    }
}
