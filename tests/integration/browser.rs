//! Browser tests: the real atlas, built once per run, served from the sub-path
//! `/atlas/` by a local HTTP server (and once opened from `file://`), driven in headless
//! Chromium as a reader would use it — the home page and its language switch, the map,
//! the explorer's filters and search, every link on a sample of pages, the console,
//! phone and desktop widths, and axe-core's accessibility rules on each kind of page.
//!
//! They need `chromium` on PATH, and the accessibility test needs axe-core in
//! `tests/browser/node_modules` (`npm ci --prefix tests/browser`); without them they
//! skip with a reason, unless `KEMBAR_REQUIRE_BROWSER=1` (as in `.ci/run`).
//! Screenshots are written to `browser-screenshots/` in the target directory.

mod axe;
mod chrome;
mod explorer;
mod links;
mod live;
mod server;
mod session;

use chrome::{Page, js_string};
use serde_json::Value;
use session::{Atlas, Session, say, screenshot_dir, skip};

/// A string field of a record of `data/partnerships.json`, by JSON pointer.
fn text<'a>(record: &'a Value, pointer: &str) -> &'a str {
    record
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("partnership record without {pointer}: {record}"))
}

/// The partnership the single-page checks use: the first one listed with a field, so
/// its page links to a field, a country, a region and a partner.
fn sample(atlas: &Atlas) -> &Value {
    atlas
        .partnerships
        .iter()
        .find(|p| p["fields"].as_array().is_some_and(|f| !f.is_empty()))
        .expect("a partnership with a field")
}

/// One page of each kind the theme makes, by name and path from the site root.
fn page_kinds(atlas: &Atlas) -> Vec<(&'static str, String)> {
    let p = sample(atlas);
    let field = p["fields"][0].as_str().expect("field id");
    vec![
        ("home", "index.html".into()),
        ("partnership", text(p, "/page").into()),
        (
            "region",
            format!("regions/{}.html", text(p, "/region/slug")),
        ),
        (
            "partner",
            format!("partners/{}.html", text(p, "/partner/id")),
        ),
        ("taxonomy index", "fields/index.html".into()),
        ("taxonomy term", format!("fields/{field}.html")),
        (
            "country term",
            format!("countries/{}.html", text(p, "/country/code").to_lowercase()),
        ),
        ("explorer", "explorer.html".into()),
        ("statistics", "statistics.html".into()),
        ("reference page", "pages/about.html".into()),
        ("list of all partnerships", "partnerships/index.html".into()),
        ("404", NOT_FOUND.into()),
    ]
}

/// The 404 page: one for the whole site, as a host serves a single one.
const NOT_FOUND: &str = "404.html";

/// The same page in the other language: English pages mirror the Indonesian ones
/// under `en/`. The 404 page has none.
fn counterpart(path: &str) -> Option<String> {
    if path == NOT_FOUND {
        return None;
    }
    Some(match path.strip_prefix("en/") {
        Some(id) => id.to_owned(),
        None => format!("en/{path}"),
    })
}

/// Where a page's language switch leads: its counterpart, or the other language's home.
fn switch_target(path: &str) -> String {
    counterpart(path).unwrap_or_else(|| "en/index.html".into())
}

/// Problems with the frame every page shares: its language, `<main id="main">`, the
/// skip link and the language switch to the counterpart page.
fn frame_problems(page: &Page, session: &Session, path: &str) -> Vec<String> {
    let (lang, other) = if path.starts_with("en/") {
        ("en", "id")
    } else {
        ("id", "en")
    };
    let found: Value = page.value(
        "({
            lang: document.documentElement.lang,
            main: !!document.querySelector('main#main'),
            skip: !!document.querySelector('a.skip[href=\"#main\"]'),
            switchLang: document.querySelector('a.lang-switch')?.hreflang ?? null,
            switchTo: document.querySelector('a.lang-switch')?.href ?? null,
        })",
    );
    let want_switch = session.server.url(&switch_target(path));
    let mut problems = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            problems.push(format!("{path}: {what}"));
        }
    };
    expect(
        found["lang"] == lang,
        format!("<html lang> is {}, not {lang}", found["lang"]),
    );
    expect(found["main"] == true, "no <main id=\"main\">".into());
    expect(
        found["skip"] == true,
        "no skip link a.skip[href=\"#main\"]".into(),
    );
    expect(
        found["switchLang"] == other,
        format!(
            "a.lang-switch hreflang is {}, not {other}",
            found["switchLang"]
        ),
    );
    expect(
        found["switchTo"] == want_switch.as_str(),
        format!(
            "a.lang-switch goes to {}, not {want_switch}",
            found["switchTo"]
        ),
    );
    problems
}

#[test]
fn home_page_switches_language_to_english_and_back() {
    let Some(s) = Session::start("home_page_switches_language_to_english_and_back") else {
        return;
    };
    let page = s.desktop();
    page.goto(&s.server.url("index.html"));
    let problems = frame_problems(&page, &s, "index.html");
    assert!(problems.is_empty(), "home page: {problems:#?}");

    page.follow("clicking the language switch", || {
        page.click("a.lang-switch")
    });
    assert_eq!(
        page.url(),
        s.server.url("en/index.html"),
        "switch to English"
    );
    assert_eq!(page.value::<String>("document.documentElement.lang"), "en");
    let problems = frame_problems(&page, &s, "en/index.html");
    assert!(problems.is_empty(), "English home page: {problems:#?}");

    page.follow("clicking the language switch back", || {
        page.click("a.lang-switch")
    });
    assert_eq!(
        page.url(),
        s.server.url("index.html"),
        "switch back to Indonesian"
    );
    s.assert_clean(&page);
}

#[test]
fn a_partnership_opens_from_the_map() {
    let Some(s) = Session::start("a_partnership_opens_from_the_map") else {
        return;
    };
    let page = s.desktop();
    page.goto(&s.server.url("index.html"));
    let arcs: Vec<String> = page.value(
        "[...document.querySelectorAll('svg.world-map a.map-arc')]
            .map(a => new URL(a.getAttribute('href'), document.baseURI).href)",
    );
    let places: usize = page.value("document.querySelectorAll('svg.world-map a.map-place').length");
    assert!(places > 0, "the map has no a.map-place links");

    // One arc per partnership with both ends placed, each to that partnership's page.
    let mut want: Vec<String> = s
        .atlas
        .partnerships
        .iter()
        .filter(|p| !p["region"]["coordinates"].is_null() && !p["partner"]["coordinates"].is_null())
        .map(|p| s.server.url(text(p, "/page")))
        .collect();
    let mut got = arcs.clone();
    want.sort();
    got.sort();
    assert_eq!(
        got, want,
        "map arcs (a.map-arc) and placed partnerships differ"
    );

    // Keyboard, not a mouse: an arc is a thin curve whose box centre may miss it.
    page.follow("pressing Enter on the first map arc", || {
        page.press("svg.world-map a.map-arc", "Enter")
    });
    assert_eq!(page.url(), arcs[0], "the arc's link was not followed");
    let record = s
        .atlas
        .partnerships
        .iter()
        .find(|p| s.server.url(text(p, "/page")) == arcs[0])
        .expect("the arc's partnership");
    let h1: String = page.value("document.querySelector('h1')?.textContent.trim()");
    assert_eq!(
        h1,
        text(record, "/title"),
        "heading of the partnership opened from the map"
    );
    s.assert_clean(&page);
}

#[test]
fn explorer_filter_by_field_and_country_matches_the_data() {
    let test = "explorer_filter_by_field_and_country_matches_the_data";
    let Some(s) = Session::start(test) else {
        return;
    };
    let page = s.desktop();
    let filter = explorer::Filter::pick(s.atlas);
    page.goto(&s.server.url("explorer.html"));
    filter.apply_and_check(&page);

    // The state is in the address: a reload (or a shared link) shows the same list.
    let hash: String = page.value("location.hash");
    assert!(
        filter.in_hash(&hash),
        "the address does not hold the filter: {hash:?}"
    );
    page.reload();
    explorer::wait_ready(&page);
    filter.check_restored(&page);
    s.assert_clean(&page);
}

#[test]
fn explorer_filters_from_a_file_url_without_a_server() {
    let test = "explorer_filters_from_a_file_url_without_a_server";
    let Some(s) = Session::start(test) else {
        return;
    };
    let page = s.desktop();
    page.goto(&s.atlas.file_url("explorer.html"));
    explorer::Filter::pick(s.atlas).apply_and_check(&page);
    s.assert_clean(&page);
}

#[test]
fn explorer_search_by_place_name_shows_only_that_partnership() {
    let test = "explorer_search_by_place_name_shows_only_that_partnership";
    let Some(s) = Session::start(test) else {
        return;
    };
    let page = s.desktop();
    let (name, slug) = explorer::unique_place(s.atlas);
    page.goto(&s.server.url("explorer.html"));
    explorer::wait_ready(&page);
    page.click("#explorer-q");
    page.type_text(&name);
    explorer::wait_for_visible(
        &page,
        std::slice::from_ref(&slug),
        &format!("searching for {name:?}"),
    );
    // The query is written to the address once typing pauses.
    page.wait_until(
        "the search to reach the address",
        &format!(
            "new URLSearchParams(location.hash.slice(1)).get('q') === {}",
            js_string(&name)
        ),
    );
    s.assert_clean(&page);
}

#[test]
fn every_internal_link_on_sample_pages_loads() {
    let Some(s) = Session::start("every_internal_link_on_sample_pages_loads") else {
        return;
    };
    let page = s.desktop();
    let kinds = page_kinds(s.atlas);
    let sample = ["home", "partnership", "region", "explorer"];
    let mut problems = Vec::new();
    for (kind, path) in kinds.iter().filter(|(k, _)| sample.contains(k)) {
        if let Err(e) = page.open(&s.server.url(path)) {
            problems.push(format!("{kind} page: {e}"));
            continue;
        }
        let report = links::check(&page);
        say(&format!(
            "{kind} page {path}: {} linked pages checked",
            report.checked
        ));
        problems.extend(
            report
                .problems
                .into_iter()
                .map(|p| format!("from {path}: {p}")),
        );
    }
    assert!(
        problems.is_empty(),
        "broken internal links:\n{}",
        problems.join("\n")
    );
    s.assert_clean(&page);
}

#[test]
fn every_page_kind_loads_in_both_languages_without_console_errors() {
    let test = "every_page_kind_loads_in_both_languages_without_console_errors";
    let Some(s) = Session::start(test) else {
        return;
    };
    let page = s.desktop();
    let mut problems = Vec::new();
    for (_, id) in page_kinds(s.atlas) {
        for path in std::iter::once(id.clone()).chain(counterpart(&id)) {
            match page.open(&s.server.url(&path)) {
                Ok(()) => problems.extend(frame_problems(&page, &s, &path)),
                Err(e) => problems.push(e),
            }
            problems.extend(page.take_errors());
        }
    }
    let missing = s.server.missing();
    assert!(
        problems.is_empty() && missing.is_empty(),
        "{}\nmissing files: {missing:?}",
        problems.join("\n")
    );
}

#[test]
fn every_page_kind_has_no_serious_or_critical_axe_violations() {
    let test = "every_page_kind_has_no_serious_or_critical_axe_violations";
    let Some(axe) = axe::source() else {
        skip(
            test,
            "axe-core is not installed (npm ci --prefix tests/browser --no-audit --no-fund)",
        );
        return;
    };
    let Some(s) = Session::start(test) else {
        return;
    };
    let page = s.desktop();
    let mut pages = page_kinds(s.atlas);
    for kind in ["home", "partnership", "explorer"] {
        let (_, path) = pages
            .iter()
            .find(|(k, _)| *k == kind)
            .expect("page kind")
            .clone();
        pages.extend(counterpart(&path).map(|en| (kind, en)));
    }
    let mut found = Vec::new();
    for (kind, path) in &pages {
        if let Err(e) = page.open(&s.server.url(path)) {
            found.push(format!("{kind} page: {e}"));
            continue;
        }
        for v in axe::serious_violations(&page, axe) {
            found.push(format!("{kind} page {path}: {v}"));
        }
    }
    assert!(
        found.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        found.join("\n")
    );
    s.assert_clean(&page);
}

#[test]
fn pages_fit_a_phone_screen_and_screenshots_are_taken() {
    let Some(s) = Session::start("pages_fit_a_phone_screen_and_screenshots_are_taken") else {
        return;
    };
    let filter = explorer::Filter::pick(s.atlas);
    let shots = [
        ("home", "index.html".to_owned()),
        ("partnership", text(sample(s.atlas), "/page").to_owned()),
        (
            "explorer-filtered",
            format!("explorer.html#{}", filter.hash()),
        ),
        ("statistics", "statistics.html".to_owned()),
    ];
    let dir = screenshot_dir();
    let mut too_wide = Vec::new();
    for (device, width, height, phone) in [("phone", 360, 780, true), ("desktop", 1280, 900, false)]
    {
        let page = s.chrome.page(width, height, phone);
        for (name, path) in &shots {
            page.goto(&s.server.url(path));
            let scroll: u32 = page.value("document.documentElement.scrollWidth");
            if phone && scroll > width {
                too_wide.push(format!("{path}: {scroll} px wide"));
            }
            page.screenshot(&dir.join(format!("{name}-{device}.png")));
        }
        s.assert_clean(&page);
    }
    say(&format!("browser screenshots: {}", dir.display()));
    assert!(
        too_wide.is_empty(),
        "pages scroll sideways on a 360 px phone screen: {too_wide:?}"
    );
}
