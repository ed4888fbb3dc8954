//! Properties of the output as a whole: byte-identical rebuilds, links that resolve
//! under a sub-path, and writing that never destroys what it should not.

use crate::common::*;
use std::path::Path;

#[test]
fn two_builds_are_byte_identical() {
    let a = site_copy();
    let b = site_copy();
    let first = build_ok(a.path());
    let second = build_ok(b.path());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between builds");
    }
    assert_eq!(
        build_ok(a.path()),
        first,
        "a rebuild in place changed the output"
    );
}

/// Resolves `href` against `page` the way a browser does for a site published under
/// `/deep/sub/path/`, and returns the file it names, or why it cannot.
fn resolve_under_subpath(page: &str, href: &str) -> Result<String, String> {
    let base = "/deep/sub/path/";
    let target = href.split(['#', '?']).next().unwrap_or("");
    if target.is_empty() {
        return Ok(page.to_string());
    }
    let mut parts: Vec<&str> = format!("{base}{page}").split('/').map(|_| "").collect();
    parts.clear();
    let full = format!("{base}{page}");
    let mut segs: Vec<String> = full.split('/').map(str::to_string).collect();
    segs.pop();
    for s in target.split('/') {
        match s {
            "." | "" => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s.to_string()),
        }
    }
    let url = segs.join("/");
    url.strip_prefix(base.trim_end_matches('/'))
        .map(|p| p.trim_start_matches('/').to_string())
        .ok_or_else(|| format!("{href} on {page} leaves the sub-path: {url}"))
}

fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for piece in html.split(attr).skip(1) {
            if let Some(end) = piece.find('"') {
                out.push(piece[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    let dir = site_copy();
    let out = kembar(
        dir.path(),
        &["build", "--base-url", "https://example.org/deep/sub/path/"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let files = tree(&dir.path().join("public"));
    let mut checked = 0;
    for (page, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && p.as_str() != "404.html")
    {
        for href in links(&String::from_utf8_lossy(bytes)) {
            if href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            assert!(!href.starts_with('/'), "{page}: absolute link {href}");
            let file = resolve_under_subpath(page, &href).unwrap_or_else(|e| panic!("{e}"));
            let file = if file.is_empty() || file.ends_with('/') {
                format!("{file}index.html")
            } else {
                file
            };
            assert!(
                files.contains_key(&file),
                "{page}: {href} → {file} does not exist"
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} links checked");
    let page = String::from_utf8_lossy(&files["partnerships/bandung-suwon.html"]).into_owned();
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/deep/sub/path/partnerships/bandung-suwon.html\">"));
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn refuses_to_replace_a_folder_kembar_did_not_write() {
    let dir = site_copy();
    write(&dir.path().join("public/precious.txt"), "keep me");
    let out = kembar(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("refusing to replace"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("public/precious.txt")).expect("kept"),
        "keep me"
    );
}

#[test]
fn refuses_outputs_that_would_destroy_sources() {
    let dir = site_copy();
    for bad in [".", "content/out", "content"] {
        let out = kembar(dir.path(), &["build", "--output", bad]);
        assert_eq!(out.status.code(), Some(2), "--output {bad} was accepted");
        assert!(
            stderr(&out).contains("refusing to write"),
            "{}",
            stderr(&out)
        );
    }
    let parent = kembar(
        &dir.path().join("content"),
        &["build", "--root", ".", "--output", ".."],
    );
    assert_eq!(parent.status.code(), Some(2));
    assert!(dir.path().join("content/fields.yaml").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_and_no_temporary_folders() {
    let dir = site_copy();
    let before = build_ok(dir.path());
    write(
        &dir.path().join("content/regions/bandung.md"),
        "---\nname: [\n---\n",
    );
    let out = kembar(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(&dir.path().join("public")), before);
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kembar-"))
        .collect();
    assert!(stray.is_empty(), "left behind: {stray:?}");
}

#[test]
fn check_writes_nothing() {
    let dir = site_copy();
    let out = kembar(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("checked 4 partnerships"));
    assert!(!dir.path().join("public").exists());
}

#[test]
fn a_huge_entry_is_refused_without_parsing() {
    let dir = site_copy();
    let big = format!("---\nname: x\n---\n{}", "a".repeat(5 * 1024 * 1024));
    write(&dir.path().join("content/regions/bandung.md"), &big);
    let out = kembar(dir.path(), &["check", "--format", "short"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("an entry may be at most 4096 KiB"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_content_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = kembar(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no content folder"));
}
