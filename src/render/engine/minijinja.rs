//! The minijinja engine, kembar's default: the templates of the built-in theme are
//! written for it.

use super::{Engine, TemplateError, Value};
use crate::render::theme::Theme;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct MiniJinja {
    env: minijinja::Environment<'static>,
    /// The length of each template's last page. A page is written into a buffer that
    /// size, not one that doubles as it fills: pages of a template are alike in length,
    /// and each doubling copied the page so far (buffers growing by `realloc` were 5 %
    /// of a build's instructions, callgrind). Only the buffer's size depends on it.
    sizes: HashMap<String, AtomicUsize>,
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
            // Partials keep their last line break, so what follows an include starts
            // a line of its own.
            .keep_trailing_newline(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.set_formatter(html_formatter);
        env.add_function("each", each);
        let mut errors = Vec::new();
        let templates: BTreeMap<String, String> = theme
            .templates()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let sizes = templates
            .keys()
            .map(|n| (n.clone(), AtomicUsize::new(0)))
            .collect();
        for (name, source) in templates {
            if let Err(e) = env.add_template_owned(name, source) {
                errors.push(convert(&e));
            }
        }
        if errors.is_empty() {
            Ok(MiniJinja { env, sizes })
        } else {
            Err(errors)
        }
    }
}

impl Engine for MiniJinja {
    fn render(&self, template: &str, context: &Value) -> Result<Vec<u8>, TemplateError> {
        let t = self.env.get_template(template).map_err(|e| convert(&e))?;
        let size = self.sizes.get(template);
        let last = size.map_or(0, |s| s.load(Ordering::Relaxed));
        let mut out = Vec::with_capacity(last + last / 8 + 1024);
        t.render_captured_to(context, &mut out)
            .map_err(|e| convert(&e))?;
        if let Some(s) = size {
            s.store(out.len(), Ordering::Relaxed);
        }
        Ok(out)
    }
}

/// `each(items, partial)`: `partial` rendered for each of `items` in turn, with only
/// the item as `p`, and the page's `root` and `t`, in scope. A partnership's line is
/// rendered once for each root (each depth of page) and kept: it is the same on the
/// dozen lists that show it (its fields, country, province, year, kind, status, region
/// and partner). Anything else the partial reads is an error, so what is kept can
/// never depend on the page it was first made for.
fn each(
    state: &minijinja::State,
    items: &minijinja::Value,
    partial: &str,
) -> Result<minijinja::Value, minijinja::Error> {
    let (root, t) = (state.lookup("root"), state.lookup("t"));
    let template = state.env().get_template(partial)?;
    let render = |p: &minijinja::Value| {
        template.render(minijinja::context! { p, root => root.clone(), t => t.clone() })
    };
    let key = format!(
        "{partial}\0{}",
        root.as_ref().and_then(|r| r.as_str()).unwrap_or("")
    );
    let mut out = String::new();
    for p in items.try_iter()? {
        match p.downcast_object_ref::<crate::render::Line>() {
            Some(line) => out.push_str(&line.rendered(&key, || render(&p))?),
            None => out.push_str(&render(&p)?),
        }
    }
    Ok(minijinja::Value::from_safe_string(out))
}

/// Escapes strings with [`super::escape_html`]; everything else as minijinja does.
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
    super::escape_html(s, |part| out.write_str(part)).map_err(|_| {
        minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "could not write output")
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::engine::value;
    use serde_json::json;

    use crate::render::engine::tests::test_theme as theme;

    #[test]
    fn renders_with_inheritance_and_escapes_html_but_not_slashes() {
        let (_d, t) = theme(&[
            (
                "base.html",
                "<title>{{ title }}</title>{% block main %}{% endblock %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block main %}{{ svg|safe }}<a href=\"/{{ url }}\">{% endblock %}",
            ),
        ]);
        let engine = MiniJinja::new(&t).unwrap();
        let cx = json!({ "title": "A & 'B'", "svg": "<svg/>", "url": "x/y.html" });
        assert_eq!(
            String::from_utf8(engine.render("page.html", &value(&cx)).unwrap()).unwrap(),
            "<title>A &amp; &#39;B&#39;</title><svg/><a href=\"/x/y.html\">"
        );
    }

    #[test]
    fn undefined_value_is_an_error_at_its_line() {
        let (_d, t) = theme(&[("p.html", "<p>\n{{ site.titel }}</p>")]);
        let engine = MiniJinja::new(&t).unwrap();
        let e = engine
            .render("p.html", &value(&json!({ "site": { "title": "A" } })))
            .unwrap_err();
        assert_eq!(e.template.as_deref(), Some("p.html"));
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn each_renders_its_partial_per_item_with_only_p_root_and_t() {
        let (_d, t) = theme(&[
            ("page.html", "<ul>{{ each(items, \"l.html\") }}</ul>"),
            ("l.html", "<li>{{ root }}{{ p.name }}{{ t.dot }}</li>"),
            ("wide.html", "{{ each(items, \"title.html\") }}"),
            ("title.html", "{{ p.name }} {{ title }}"),
        ]);
        let engine = MiniJinja::new(&t).unwrap();
        let cx = json!({
            "root": "../", "t": { "dot": "." }, "title": "page",
            "items": [{ "name": "a" }, { "name": "b&c" }],
        });
        assert_eq!(
            String::from_utf8(engine.render("page.html", &value(&cx)).unwrap()).unwrap(),
            "<ul><li>../a.</li><li>../b&amp;c.</li></ul>"
        );
        // The page's other values are not the partial's: what it makes can be kept.
        let e = engine.render("wide.html", &value(&cx)).unwrap_err();
        assert_eq!(e.template.as_deref(), Some("title.html"));
        assert!(e.message.contains("undefined"), "{}", e.message);
    }

    #[test]
    fn every_syntax_error_is_reported() {
        let (_d, t) = theme(&[("a.html", "{% if x %}"), ("b.html", "{{ y }")]);
        let errors = MiniJinja::new(&t).err().unwrap();
        assert_eq!(errors.len(), 2);
    }
}
