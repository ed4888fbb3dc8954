//! The error overlay: the diagnostics of a failed rebuild as a fragment of HTML that the
//! live-reload script shows over the open page. The text is what `kembar check`
//! prints (message, `--> file:line:col`, the source excerpt, help), escaped.

use crate::diag::{self, Diagnostic, Severity};

/// The overlay for a rebuild that failed with `diags` (errors, maybe warnings too).
pub fn html(diags: &[Diagnostic]) -> String {
    let summary = diag::summary(diags).unwrap_or_else(|| "the site could not be built".into());
    let mut out = String::with_capacity(1024);
    out.push_str("<section class=\"kembar-overlay\" role=\"alert\">");
    out.push_str("<header><h2>kembar: ");
    escape_into(&mut out, &summary);
    out.push_str("</h2><p>This page shows the last good build. Fix the files and it ");
    out.push_str("updates by itself.</p></header>");
    for d in diags {
        let class = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str("<pre class=\"");
        out.push_str(class);
        out.push_str("\">");
        escape_into(&mut out, &diag::render_human(d, false));
        out.push_str("</pre>");
    }
    out.push_str("</section>");
    out
}

fn escape_into(out: &mut String, text: &str) {
    // The same escaping as the pages themselves.
    let _ = crate::render::escape_html(text, |part| {
        out.push_str(part);
        Ok(())
    });
}

/// `text` made safe inside HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Source;

    #[test]
    fn the_overlay_shows_the_located_message_with_markup_escaped() {
        let source = Source::new("content/regions/x.md", "---\nname: <b>\n---\n");
        let d = Diagnostic::error("bad <name>")
            .at(&source, 10..13)
            .help("write `a & b`");
        let html = html(&[d]);
        assert!(html.contains("kembar: 1 error in 1 file"), "{html}");
        assert!(html.contains("bad &lt;name&gt;"), "{html}");
        assert!(html.contains("--&gt; content/regions/x.md:2:7"), "{html}");
        assert!(html.contains("name: &lt;b&gt;"), "{html}");
        assert!(html.contains("a &amp; b"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }
}
