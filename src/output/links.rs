//! Checks that every internal link and asset reference of every page resolves, with
//! its `#fragment`, relative to the page it is on.

use crate::diag::{Diagnostic, Diagnostics};
use std::collections::{BTreeMap, HashMap, HashSet};

pub fn check(files: &BTreeMap<String, Vec<u8>>, diags: &mut Diagnostics) {
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        ids.insert(
            path,
            attributes(&String::from_utf8_lossy(bytes), "id")
                .into_iter()
                .collect(),
        );
    }
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        // The 404 page is served at any depth, so it links absolutely from the base URL.
        if page == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let targets = attributes(&html, "href")
            .into_iter()
            .chain(attributes(&html, "src"));
        for target in targets {
            if let Err(problem) = resolve(page, &target, files, &ids) {
                diags.push(Diagnostic::error(format!("broken link in `{page}`: `{target}` {problem}")).help("a theme template or an entry links to a page that is not built; fix the link"));
            }
        }
    }
}

fn resolve(
    page: &str,
    target: &str,
    files: &BTreeMap<String, Vec<u8>>,
    ids: &HashMap<&str, HashSet<String>>,
) -> Result<(), String> {
    if target.is_empty() || is_external(target) {
        return Ok(());
    }
    if target.starts_with('/') {
        return Err("is absolute, so it breaks when the site is published under a sub-path or opened from a folder".into());
    }
    let (path_part, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let resolved = if path_part.is_empty() {
        Some(page.to_string())
    } else {
        join(page, path_part)
    };
    let Some(mut resolved) = resolved else {
        return Err("points above the site root".into());
    };
    if resolved.is_empty() || resolved.ends_with('/') {
        resolved.push_str("index.html");
    }
    if !files.contains_key(&resolved) {
        return Err(format!("points to `{resolved}`, which does not exist"));
    }
    // A fragment with `=` is a page's state (the explorer's filters), not an anchor.
    if let (Some(f), Some(page_ids)) = (fragment, ids.get(resolved.as_str()))
        && !f.is_empty()
        && !f.contains('=')
        && !page_ids.contains(f)
    {
        return Err(format!("points to `#{f}`, which is not on `{resolved}`"));
    }
    Ok(())
}

fn is_external(t: &str) -> bool {
    t.starts_with("//")
        || t.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.contains('/')
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '.' || c == '-')
        })
}

/// `page`'s folder joined with a relative path, `..` resolved; `None` above the root.
fn join(page: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if rel.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Values of `name="…"` attributes, HTML entities for `&` undone.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!(" {name}={quote}");
        let mut rest = html;
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            if let Some(end) = rest.find(quote) {
                out.push(
                    rest[..end]
                        .replace("&amp;", "&")
                        .replace("&#x2f;", "/")
                        .replace("&#x2F;", "/"),
                );
                rest = &rest[end..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pages
            .iter()
            .map(|(p, h)| (p.to_string(), h.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn relative_links_resolve_from_their_page() {
        let files = site(&[
            ("a/b.html", "<a href=\"../c.html#x\">"),
            ("c.html", "<p id=\"x\">"),
            (
                "index.html",
                "<a href=\"a/b.html\"> <a href=\"https://e.org\">",
            ),
        ]);
        let mut d = Diagnostics::new();
        check(&files, &mut d);
        assert!(d.is_empty());
    }

    #[test]
    fn missing_pages_fragments_and_absolute_links_are_errors() {
        let files = site(&[(
            "index.html",
            "<a href=\"nope.html\"><a href=\"#gone\"><link href=\"/style.css\"><a href=\"../up.html\">",
        )]);
        let mut d = Diagnostics::new();
        check(&files, &mut d);
        let msgs: Vec<String> = d.iter().map(|d| d.message.clone()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(msgs[0].contains("`nope.html`, which does not exist"));
        assert!(msgs[1].contains("`#gone`"));
        assert!(msgs[2].contains("absolute"));
        assert!(msgs[3].contains("above the site root"));
    }
}
