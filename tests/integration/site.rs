//! The valid fixture site: what it builds, page by page, reviewed as snapshots.

use crate::common::*;

fn text(tree: &std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        tree.get(path)
            .unwrap_or_else(|| panic!("{path} not built"))
            .clone(),
    )
    .expect("utf-8")
}

#[test]
fn builds_every_page_kind() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    let listing: Vec<&str> = out.keys().map(String::as_str).collect();
    insta::assert_snapshot!("file_list", listing.join("\n"));
}

#[test]
fn partnership_page_has_facts_timeline_citations_and_sources() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    insta::assert_snapshot!(
        "partnership_page",
        text(&out, "partnerships/jawa-barat-shizuoka.html")
    );
}

#[test]
fn author_html_is_sanitised_but_markdown_features_survive() {
    let dir = site_copy();
    let page = text(
        &build_ok(dir.path()),
        "partnerships/jawa-barat-shizuoka.html",
    );
    assert!(!page.contains("<script>alert"), "script survived");
    assert!(!page.contains("onclick"), "event handler survived");
    for needed in [
        "<h2 id=\"awal-kerja-sama\">",
        "<table>",
        "text-align:center",
        "<del>",
        "footnote-definition",
        "<sup class=\"cite\"><a href=\"#source-tempo\">[1]</a></sup>",
        "<li id=\"source-jabar\" value=\"2\">",
    ] {
        assert!(page.contains(needed), "missing {needed}");
    }
}

#[test]
fn region_page_of_a_province_lists_its_kota_and_their_partnerships() {
    let dir = site_copy();
    let page = text(&build_ok(dir.path()), "regions/jawa-barat.html");
    assert!(page.contains("href=\"../regions/bandung.html\">Kota Bandung</a>"));
    assert!(page.contains("href=\"../partnerships/bandung-suwon.html\""));
    assert!(page.contains("href=\"../partnerships/jawa-barat-shizuoka.html\""));
}

#[test]
fn index_pages_cover_every_taxonomy_and_unknown_years() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    for p in [
        "fields/index.html",
        "countries/index.html",
        "provinces/index.html",
        "years/index.html",
        "kinds/index.html",
        "statuses/index.html",
    ] {
        assert!(out.contains_key(p), "{p} missing");
    }
    let unknown = text(&out, "years/unknown.html");
    assert!(
        unknown.contains("Tahun tidak diketahui") && unknown.contains("bukittinggi-seremban.html")
    );
    let field = text(&out, "fields/culture.html");
    assert!(field.contains("1 kemitraan") && field.contains("bandung-fort-worth.html"));
    let dormant = text(&out, "statuses/dormant.html");
    assert!(dormant.contains("<h1>Tidak aktif</h1>"));
}

#[test]
fn open_data_files_describe_every_partnership() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    insta::assert_snapshot!("partnerships_csv", text(&out, "data/partnerships.csv"));
    let all: serde_json::Value =
        serde_json::from_slice(&out["data/partnerships.json"]).expect("json");
    assert_eq!(all.as_array().map(Vec::len), Some(4));
    let one: serde_json::Value =
        serde_json::from_slice(&out["partnerships/jawa-barat-shizuoka.json"]).expect("json");
    assert_eq!(one["signed"], "2017-11");
    assert_eq!(one["country"]["name_en"], "Japan");
    assert_eq!(one["events"][1]["status"], "active");
    // Each record is printed once for both files: the list holds every partnership's
    // own file, in the list's order.
    for record in all.as_array().expect("array") {
        let slug = record["slug"].as_str().expect("slug");
        let own: serde_json::Value =
            serde_json::from_slice(&out[&format!("partnerships/{slug}.json")]).expect("json");
        assert_eq!(record, &own, "{slug}");
    }
    let geo: serde_json::Value =
        serde_json::from_slice(&out["data/partnerships.geojson"]).expect("geojson");
    assert_eq!(geo["type"], "FeatureCollection");
    // Only Fort Worth is placed: the other partnerships get no line rather than a
    // guessed one.
    let drawn: Vec<&str> = geo["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| !f["geometry"].is_null())
        .map(|f| f["properties"]["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(drawn, ["bandung-fort-worth"]);
}

#[test]
fn feed_and_sitemap_are_well_formed_and_absolute() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    for file in ["atom.xml", "sitemap.xml"] {
        let mut reader =
            quick_xml::Reader::from_str(std::str::from_utf8(&out[file]).expect("utf-8"));
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{file} is not well-formed: {e}"),
            }
        }
    }
    let sitemap = text(&out, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/atlas/partnerships/bandung-suwon.html</loc>")
    );
    assert!(!sitemap.contains("404.html"));
    insta::assert_snapshot!("atom", text(&out, "atom.xml"));
    assert!(text(&out, "robots.txt").contains("Sitemap: https://example.org/atlas/sitemap.xml"));
}

#[test]
fn warnings_pass_unless_strict() {
    let dir = site_copy();
    let path = dir.path().join("content/partnerships/bandung-suwon.md");
    let text = std::fs::read_to_string(&path)
        .expect("read")
        .replace("sejak Agustus 1997 [@suwon].", "sejak Agustus 1997.");
    std::fs::write(&path, text).expect("write");
    let plain = kembar(dir.path(), &["check"]);
    assert!(plain.status.success());
    assert!(stderr(&plain).contains("warning: source `suwon` is never cited"));
    let strict = kembar(dir.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn help_and_version_work() {
    let dir = site_copy();
    let help = kembar(dir.path(), &["--help"]);
    assert!(help.status.success() && String::from_utf8_lossy(&help.stdout).contains("build"));
    let version = kembar(dir.path(), &["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("kembar {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        kembar(dir.path(), &["build", "--no-such-flag"])
            .status
            .code(),
        Some(2)
    );
}
