//! A second theme and engine: the same sites build with the `ringkas` theme (Tera) as
//! with the default (minijinja), show the same information, and report template and
//! `theme.toml` mistakes as located errors.

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Tree = BTreeMap<String, Vec<u8>>;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Puts a copy of `themes/ringkas` into the site at `dir` and selects it.
fn use_ringkas(dir: &Path) {
    copy_tree(&repo().join("themes/ringkas"), &dir.join("themes/ringkas"));
    let toml = dir.join("kembar.toml");
    let text = std::fs::read_to_string(&toml).expect("kembar.toml");
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("theme"))
        .map(str::to_string)
        .collect();
    lines.push("theme = \"ringkas\"".into());
    std::fs::write(&toml, lines.join("\n") + "\n").expect("write kembar.toml");
}

/// A copy of the real atlas (its configuration and content).
fn atlas_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    std::fs::copy(repo().join("kembar.toml"), dir.path().join("kembar.toml")).expect("copy");
    dir
}

fn text(tree: &Tree, path: &str) -> String {
    let bytes = tree.get(path).unwrap_or_else(|| panic!("{path} not built"));
    String::from_utf8(bytes.clone()).expect("utf-8")
}

fn pages(tree: &Tree) -> BTreeSet<&str> {
    tree.keys()
        .map(String::as_str)
        .filter(|p| !p.starts_with("static/"))
        .collect()
}

/// Builds the site at `dir` and checks that nothing at all was reported.
fn build_clean(dir: &Path) -> Tree {
    let out = kembar(dir, &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "build failed:\n{err}");
    assert!(!err.contains("error") && !err.contains("warning"), "{err}");
    tree(&dir.join("public"))
}

const KINDS: [&str; 13] = [
    "index.html",
    "partnerships/index.html",
    "regions/index.html",
    "partners/index.html",
    "fields/index.html",
    "countries/index.html",
    "years/index.html",
    "kinds/index.html",
    "statuses/index.html",
    "confidence/index.html",
    "explorer.html",
    "statistics.html",
    "atom.xml",
];

#[test]
fn fixture_site_builds_with_ringkas_with_every_page_of_the_default() {
    let default = site_copy();
    let ringkas = site_copy();
    use_ringkas(ringkas.path());
    let (a, b) = (build_clean(default.path()), build_clean(ringkas.path()));
    assert_eq!(pages(&a), pages(&b));
    for lang in ["", "en/"] {
        for kind in KINDS {
            assert!(b.contains_key(&format!("{lang}{kind}")), "no {lang}{kind}");
        }
        for entry in [
            "partnerships/jawa-barat-shizuoka.html",
            "regions/bandung.html",
            "partners/jp/shizuoka.html",
            "pages/about.html",
            "fields/education.html",
            "countries/jp.html",
        ] {
            assert!(
                b.contains_key(&format!("{lang}{entry}")),
                "no {lang}{entry}"
            );
        }
    }
    for root_only in ["404.html", "sitemap.xml", "robots.txt", "static/style.css"] {
        assert!(b.contains_key(root_only), "no {root_only}");
    }
    // Borrowed from the default theme: its scripts; its own stylesheet wins.
    assert_eq!(b["static/explorer.js"], a["static/explorer.js"]);
    assert_ne!(b["static/style.css"], a["static/style.css"]);
}

#[test]
fn real_atlas_builds_with_ringkas() {
    let dir = atlas_copy();
    use_ringkas(dir.path());
    let out = build_clean(dir.path());
    for lang in ["", "en/"] {
        for kind in KINDS {
            assert!(
                out.contains_key(&format!("{lang}{kind}")),
                "no {lang}{kind}"
            );
        }
    }
    let page = text(&out, "en/partnerships/ambon-darwin.html");
    assert!(page.contains("<table class=\"summary\""), "not ringkas");
}

/// The text of `html` between `start` and the next `end`, tags removed and blanks
/// collapsed, so layouts compare by what a reader sees.
fn seen(html: &str, start: &str, end: &str) -> String {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    let part = &rest[..rest.find(end).unwrap_or(rest.len())];
    let mut out = String::new();
    let mut in_tag = false;
    for c in part.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn hrefs(html: &str) -> BTreeSet<&str> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

#[test]
fn partnership_page_shows_the_same_facts_sources_and_citation_under_both_themes() {
    let default = site_copy();
    let ringkas = site_copy();
    use_ringkas(ringkas.path());
    let (a, b) = (build_clean(default.path()), build_clean(ringkas.path()));
    for lang in ["", "en/"] {
        let path = format!("{lang}partnerships/jawa-barat-shizuoka.html");
        let (d, r) = (text(&a, &path), text(&b, &path));
        let main = |s: &str| s[s.find("<main").expect("main")..].to_string();
        // Every link of the page (facts, timeline, sources, JSON, edit) is there.
        assert_eq!(hrefs(&main(&d)), hrefs(&main(&r)), "{path}");
        for (start, end) in [
            ("<h1>", "</h1>"),
            ("<ol class=\"sources\"", "</ol>"),
            ("<p class=\"citation\"", "</p>"),
            ("<code id=\"citation-bibtex\"", "</code>"),
        ] {
            assert_eq!(
                seen(&d, start, end),
                seen(&r, start, end),
                "{path}: {start}"
            );
        }
        let history = |s: &str| seen(s, "<h2 id=\"history\"", "<h2 id=\"sources\"");
        assert_eq!(history(&d), history(&r), "{path}: history");
        let facts = seen(&r, "<table class=\"summary\"", "</table>");
        let default_facts = seen(&d, "<dl>", "</dl>");
        for word in default_facts.split(' ').filter(|w| w.len() > 3) {
            assert!(
                facts.contains(word) || r.contains(word),
                "{path}: fact `{word}` missing"
            );
        }
    }
}

/// A site using a copy of ringkas in which `file` has `from` replaced by `to`.
fn broken_ringkas(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = site_copy();
    use_ringkas(dir.path());
    let path = dir.path().join("themes/ringkas").join(file);
    let text = std::fs::read_to_string(&path).expect("theme file");
    assert!(text.contains(from), "{file} has no {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    dir
}

fn fails_with(dir: &Path, expected: &[&str]) -> String {
    let out = kembar(dir, &["build", "--format", "short"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for e in expected {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
    err
}

#[test]
fn tera_syntax_errors_in_a_ringkas_template_are_located() {
    let dir = broken_ringkas("templates/404.html", "endblock main", "endblok main");
    // A second broken template is reported in the same run.
    let path = dir.path().join("themes/ringkas/templates/page.html");
    let page = std::fs::read_to_string(&path).expect("page.html");
    std::fs::write(&path, page.replacen("{{ title }}", "{{ title }", 1)).expect("write");
    fails_with(
        dir.path(),
        &[
            "themes/ringkas/templates/404.html:7:5: error: template error: Unknown tag",
            "themes/ringkas/templates/page.html:4:",
        ],
    );
}

#[test]
fn undefined_value_in_a_ringkas_template_names_the_fields_there_are() {
    let dir = broken_ringkas("templates/404.html", "t.not_found.text", "t.not_found.txet");
    fails_with(
        dir.path(),
        &[
            "themes/ringkas/templates/404.html:5:",
            "Field `txet` is not defined",
            "Available fields: back, text, title",
        ],
    );
}

#[test]
fn unknown_engine_in_theme_toml_is_located_with_a_suggestion() {
    let dir = broken_ringkas("theme.toml", "engine = \"tera\"", "engine = \"terra\"");
    let err = fails_with(
        dir.path(),
        &[
            "themes/ringkas/theme.toml:",
            "unknown template engine `terra`",
        ],
    );
    let human = stderr(&kembar(dir.path(), &["build"]));
    assert!(human.contains("did you mean `tera`?"), "{human}\n{err}");
}
