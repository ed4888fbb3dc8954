//! Renders diagnostics like rustc (annotate-snippets) or as one line each.

use super::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// rustc-style report. `color` is decided by the caller (only on a terminal).
pub fn render_human(d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(d.message.as_str()));
    // A file named without its text (e.g. one kembar does not read) gets only `-->`.
    if let Some(loc) = d.location.as_ref().filter(|l| l.source.text.is_empty()) {
        group = group.element(
            Origin::path(path_str(&loc.source.path))
                .line(1)
                .char_column(1),
        );
    } else if let Some(loc) = &d.location {
        let mut snippet = Snippet::source(without_bom(&loc.source.text))
            .path(path_str(&loc.source.path))
            .fold(true);
        let span = visible_span(
            &loc.source.text,
            loc.span.clone(),
            bom_len(&loc.source.text),
        );
        let mut primary = AnnotationKind::Primary.span(span);
        if let Some(label) = &d.label {
            primary = primary.label(label.as_str());
        }
        snippet = snippet.annotation(primary);
        for l in d
            .labels
            .iter()
            .filter(|l| l.location.source.path == loc.source.path)
        {
            let span = visible_span(
                &l.location.source.text,
                l.location.span.clone(),
                bom_len(&l.location.source.text),
            );
            snippet =
                snippet.annotation(AnnotationKind::Context.span(span).label(l.message.as_str()));
        }
        group = group.element(snippet);
        for l in d
            .labels
            .iter()
            .filter(|l| l.location.source.path != loc.source.path)
        {
            let span = visible_span(
                &l.location.source.text,
                l.location.span.clone(),
                bom_len(&l.location.source.text),
            );
            group = group.element(
                Snippet::source(without_bom(&l.location.source.text))
                    .path(path_str(&l.location.source.path))
                    .fold(true)
                    .annotation(AnnotationKind::Context.span(span).label(l.message.as_str())),
            );
        }
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let Some(help) = &d.help else {
        return renderer.render(&[group]).to_string();
    };
    if d.location.is_none() {
        // Without a snippet there is no gutter to hang `help:` on; rustc writes `= help:`.
        return format!("{}\n  = help: {help}", renderer.render(&[group]));
    }
    let report = [
        group,
        Group::with_title(Level::HELP.secondary_title(help.as_str())),
    ];
    renderer.render(&report).to_string()
}

/// `path:line:col: error: message` — for editors, CI logs and tests.
pub fn render_short(d: &Diagnostic) -> String {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    match (&d.location, d.line_col()) {
        (Some(loc), Some((line, col))) => {
            format!(
                "{}:{line}:{col}: {sev}: {}",
                path_str(&loc.source.path),
                d.message
            )
        }
        _ => format!("{sev}: {}", d.message),
    }
}

fn path_str(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// A byte-order mark is no column for the editor, nor for the rendered snippet.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn bom_len(text: &str) -> usize {
    text.len() - without_bom(text).len()
}

/// A caret needs at least one character under it; an empty span (a missing value)
/// is widened to the next character on the same line, and never past the text.
/// `shift` bytes (a byte-order mark) are cut from the front of the text.
fn visible_span(text: &str, span: std::ops::Range<usize>, shift: usize) -> std::ops::Range<usize> {
    let text = &text[shift..];
    let span = span.start.saturating_sub(shift)..span.end.saturating_sub(shift);
    let start = span.start.min(text.len());
    let end = span.end.min(text.len()).max(start);
    if end > start {
        return start..end;
    }
    match text[start..].chars().next() {
        Some(c) if c != '\n' => start..start + c.len_utf8(),
        _ => start..start,
    }
}

/// A GitHub Actions workflow command, so CI shows the problem on the pull request's line.
pub fn render_github(d: &Diagnostic) -> String {
    let sev = severity(d);
    // GitHub's rules: `%`, CR and LF in the message; also `:` and `,` in properties.
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message = format!("{message}\nhelp: {h}");
    }
    match (&d.location, d.line_col()) {
        (Some(loc), Some((line, col))) => {
            let file = property(&path_str(&loc.source.path));
            format!(
                "::{sev} file={file},line={line},col={col}::{}",
                escape(&message)
            )
        }
        _ => format!("::{sev}::{}", escape(&message)),
    }
}

fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One JSON object on one line, for other tools: positions are 1-based lines and
/// character columns; `end_*` is where the underlined text ends (exclusive).
pub fn render_json(d: &Diagnostic) -> String {
    let place = |l: &super::Location| {
        let (line, column) = l.source.line_col(l.span.start);
        let (end_line, end_column) = l.source.line_col(l.span.end.max(l.span.start));
        serde_json::json!({
            "file": path_str(&l.source.path),
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
        })
    };
    let mut v = serde_json::json!({
        "severity": severity(d),
        "message": d.message,
        "file": null, "line": null, "column": null, "end_line": null, "end_column": null,
        "label": d.label,
        "labels": d.labels.iter().map(|l| {
            let mut p = place(&l.location);
            p["message"] = l.message.as_str().into();
            p
        }).collect::<Vec<_>>(),
        "help": d.help,
    });
    if let (Some(l), serde_json::Value::Object(m)) = (&d.location, &mut v)
        && let serde_json::Value::Object(p) = place(l)
    {
        m.extend(p);
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Source;

    fn diag() -> Diagnostic {
        let src = Source::new("content/a,b:c%.md", "---\nregion: bandug\n---\n");
        Diagnostic::error("no region `bandug`\r\n100%")
            .at(&src, 12..18)
            .label("unknown region")
            .also(&src, 4..10, "this key")
            .help("did you mean `bandung`?")
    }

    #[test]
    fn github_annotations_escape_message_and_properties() {
        assert_eq!(
            render_github(&diag()),
            "::error file=content/a%2Cb%3Ac%25.md,line=2,col=9::no region `bandug`%0D%0A100%25%0Ahelp: did you mean `bandung`?"
        );
        let w = Diagnostic::warning("source `x` is never cited");
        assert_eq!(render_github(&w), "::warning::source `x` is never cited");
    }

    #[test]
    fn json_lines_carry_positions_labels_and_help() {
        let line = render_json(&diag());
        assert!(!line.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["file"], "content/a,b:c%.md");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64()),
            (Some(2), Some(9))
        );
        assert_eq!(
            (v["end_line"].as_u64(), v["end_column"].as_u64()),
            (Some(2), Some(15))
        );
        assert_eq!(v["labels"][0]["message"], "this key");
        assert_eq!(v["labels"][0]["column"], 1);
        assert_eq!(v["help"], "did you mean `bandung`?");
        let bare: serde_json::Value =
            serde_json::from_str(&render_json(&Diagnostic::warning("w"))).expect("json");
        assert!(bare["file"].is_null() && bare["line"].is_null());
    }
}
