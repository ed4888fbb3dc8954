//! What a reader gets from the built fixture site, checked on the files: both
//! languages linked to each other, dates and strings per language, the fallback note,
//! maps, charts with data tables, citation, and the explorer's index script.

use crate::common::*;
use std::collections::BTreeMap;

fn page(out: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        out.get(path)
            .unwrap_or_else(|| panic!("{path} not built"))
            .clone(),
    )
    .expect("utf-8")
}

/// The `href` of the first `<a class="lang-switch" …>` of a page.
fn switch(html: &str) -> String {
    let at = html
        .find("class=\"lang-switch\"")
        .expect("no language switch");
    let rest = &html[at..];
    let href = rest.find("href=\"").expect("switch without href") + 6;
    rest[href..href + rest[href..].find('"').expect("quote")].to_string()
}

/// `href` resolved against the folder of `from`, both relative to the site root.
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn every_page_has_its_counterpart_in_the_other_language_and_links_to_it() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    let pages: Vec<&String> = out
        .keys()
        .filter(|p| p.ends_with(".html") && !p.starts_with("en/") && *p != "404.html")
        .collect();
    assert!(pages.len() > 20, "too few pages: {}", pages.len());
    for p in pages {
        let en = format!("en/{p}");
        let id_html = page(&out, p);
        let en_html = page(&out, &en);
        assert!(
            id_html.starts_with("<!DOCTYPE html>\n<html lang=\"id\">"),
            "{p}"
        );
        assert!(en_html.contains("<html lang=\"en\">"), "{en}");
        assert_eq!(resolve(p, &switch(&id_html)), en, "switch on {p}");
        assert_eq!(resolve(&en, &switch(&en_html)), *p, "switch on {en}");
    }
}

#[test]
fn dates_and_interface_strings_follow_the_language() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    let id = page(&out, "partnerships/bandung-fort-worth.html");
    let en = page(&out, "en/partnerships/bandung-fort-worth.html");
    assert!(
        id.contains("2 April 1990") && id.contains("Ringkasan"),
        "{id}"
    );
    assert!(
        en.contains("2 April 1990") && en.contains("Key facts"),
        "{en}"
    );
    let id = page(&out, "partnerships/jawa-barat-shizuoka.html");
    let en = page(&out, "en/partnerships/jawa-barat-shizuoka.html");
    assert!(id.contains(">November 2017<"), "Indonesian month missing");
    assert!(en.contains(">November 2017<"), "English month missing");
    assert!(id.contains("Provinsi kembar") && en.contains("Sister province"));
    // The stylesheet and data are shared: English pages reach them one folder up.
    assert!(en.contains("href=\"../../static/style.css\""), "{en}");
}

#[test]
fn an_entry_without_translation_shows_the_indonesian_text_with_a_note() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    let note = "This entry has not been translated yet";
    let untranslated = page(&out, "en/partnerships/bandung-fort-worth.html");
    assert!(untranslated.contains(note), "no fallback note");
    assert!(
        untranslated.contains("<div class=\"body\" lang=\"id\">"),
        "body not marked Indonesian"
    );
    let translated = page(&out, "en/partnerships/jawa-barat-shizuoka.html");
    assert!(!translated.contains(note), "note on a translated entry");
    assert!(!page(&out, "partnerships/bandung-fort-worth.html").contains("belum diterjemahkan"));
}

#[test]
fn maps_are_inline_svg_with_links_on_home_partnership_and_country_pages() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    let home = page(&out, "index.html");
    let svg = svg_of(&home, "world-map");
    assert!(
        svg.contains("class=\"map-arc\" href=\"partnerships/bandung-fort-worth.html\""),
        "no arc link"
    );
    assert!(
        svg.contains("href=\"regions/bandung.html\""),
        "no place link"
    );
    assert!(
        svg.contains("href=\"countries/us.html\""),
        "no country link"
    );
    let p = page(&out, "en/partnerships/bandung-fort-worth.html");
    let svg = svg_of(&p, "world-map");
    assert!(
        svg.contains("href=\"../regions/bandung.html\"")
            && svg.contains("href=\"../partners/us/fort-worth.html\"")
    );
    // The world itself is a shared file the page's map shows under its own marks,
    // found from the page's folder (here `en/partnerships/`).
    let base = svg
        .split("<image class=\"map-base\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("no base map");
    assert_eq!(base.strip_prefix("../../"), Some("map/world.svg"));
    let world = page(&out, "map/world.svg");
    assert!(world.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && world.len() > 30_000);
    assert!(
        svg.len() < 10_000,
        "the page's own map is small: {} bytes",
        svg.len()
    );
    let c = page(&out, "countries/jp.html");
    assert!(
        svg_of(&c, "world-map").contains("country-highlight"),
        "country not highlighted"
    );
}

/// The first `<svg class="{class}"…>…</svg>` of a page, checked to be well-formed XML.
fn svg_of(html: &str, class: &str) -> String {
    let start = html
        .find(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}"
        ))
        .unwrap_or_else(|| panic!("no svg.{class}"));
    let end = start + html[start..].find("</svg>").expect("unclosed svg") + 6;
    let svg = &html[start..end];
    let mut reader = quick_xml::Reader::from_str(svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("svg.{class} is not well-formed: {e}"),
        }
    }
    svg.to_string()
}

#[test]
fn statistics_draw_five_charts_each_with_a_data_table() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    let html = page(&out, "statistics.html");
    assert_eq!(
        html.matches("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart")
            .count(),
        5
    );
    assert_eq!(html.matches("<table>").count(), 5);
    svg_of(&html, "chart");
    // Four partnerships in the fixture: the country table adds up to four.
    let countries = &html[html.find("id=\"countries\"").expect("countries chart")..];
    let table = &countries[..countries.find("</table>").expect("table")];
    let total: usize = table
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| {
            c[..c.find('<').expect("cell")]
                .parse::<usize>()
                .expect("number")
        })
        .sum();
    assert_eq!(total, 4);
}

#[test]
fn index_pages_link_each_term_to_the_filtered_explorer() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    let fields = page(&out, "fields/index.html");
    assert!(
        fields.contains("href=\"../explorer.html#field=education\""),
        "{fields}"
    );
    let years = page(&out, "en/years/index.html");
    assert!(
        years.contains("href=\"../explorer.html#from=1990&amp;to=1990\""),
        "{years}"
    );
    assert!(page(&out, "countries/index.html").contains("explorer.html#country=jp"));
}

#[test]
fn the_explorer_lists_everything_and_its_index_is_a_script_not_json() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    let html = page(&out, "explorer.html");
    assert_eq!(
        html.matches("<li data-slug=").count(),
        4,
        "every partnership listed"
    );
    assert!(html.contains("data/explorer.id.js"));
    let script = page(&out, "data/explorer.en.js");
    let json = script
        .strip_prefix("window.KEMBAR_EXPLORER=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("one assignment");
    let v: serde_json::Value = serde_json::from_str(json).expect("index is JSON");
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), 4);
    let shizuoka = items
        .iter()
        .find(|i| i["s"] == "jawa-barat-shizuoka")
        .expect("item");
    assert_eq!(shizuoka["c"], "jp");
    assert_eq!(shizuoka["v"], "jawa-barat");
    assert!(shizuoka["q"].as_str().expect("text").contains("shizuoka"));
}

#[test]
fn a_partnership_page_can_be_cited_and_edited() {
    let dir = site_copy();
    let out = build_ok(dir.path());
    let html = page(&out, "partnerships/bandung-fort-worth.html");
    assert!(
        html.contains("@misc{kembar-bandung-fort-worth,"),
        "no BibTeX"
    );
    assert!(html.contains(
        "howpublished = {\\url{https://example.org/atlas/partnerships/bandung-fort-worth.html}}"
    ));
    assert!(
        html.contains("https://example.org/edit/main/content/partnerships/bandung-fort-worth.md")
    );
    assert!(html.contains("href=\"../partnerships/bandung-fort-worth.json\""));
}

#[test]
fn theme_strings_have_the_same_keys_in_every_language() {
    fn keys(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        if let Some(m) = v.as_object() {
            for (k, v) in m {
                let path = format!("{prefix}{k}");
                keys(v, &format!("{path}."), out);
                out.push(path);
            }
        }
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
    let mut all = Vec::new();
    for lang in ["id", "en"] {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.yaml"))).expect("strings");
        let v: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml");
        let mut k = Vec::new();
        keys(&v, "", &mut k);
        k.sort();
        all.push(k);
    }
    assert_eq!(all[0], all[1], "id.yaml and en.yaml differ in keys");
}
