//! `kembar serve` in a real browser: an open page reloads by itself after an edit, and
//! shows the error overlay when the edit breaks the entry, until it is fixed.

use super::chrome::Chrome;
use super::session::{say, skip};
use crate::common;
use crate::serve::Served;
use std::path::PathBuf;

const PAGE: &str = "partnerships/bandung-suwon.html";
const ENTRY: &str = "content/partnerships/bandung-suwon.md";
/// The page's live-reload stream is open.
const LIVE: &str = "window.__kembarLive?.readyState === 1";
/// The overlay's text, or an empty string when there is none.
const OVERLAY: &str = "(document.querySelector('kembar-overlay')?.shadowRoot?.textContent ?? '')";

#[test]
fn a_served_page_reloads_after_an_edit_and_shows_the_overlay_for_an_error() {
    let test = "a_served_page_reloads_after_an_edit_and_shows_the_overlay_for_an_error";
    let Some(chromium) = chromium() else {
        skip(
            test,
            "no `chromium` on PATH (Debian: apt-get install chromium)",
        );
        return;
    };
    let site = common::site_copy();
    let served = Served::start(site.path());
    let chrome = Chrome::launch(&chromium);
    let page = chrome.page(1280, 900, false);
    page.goto(&format!("{}{PAGE}", served.url));
    page.wait_until("the live-reload stream to open", LIVE);

    let entry = site.path().join(ENTRY);
    let original = std::fs::read_to_string(&entry).expect("read entry");
    // A mark on this document: a reload replaces it.
    page.value::<bool>("window.__kembarBefore = true");
    let edited = original.replace("Suwon mencatat", "Suwon kini mencatat");
    std::fs::write(&entry, &edited).expect("edit");
    page.wait_until(
        "the page to reload with the edited text",
        "!window.__kembarBefore && document.readyState === 'complete' \
         && document.querySelector('main').textContent.includes('Suwon kini mencatat')",
    );
    page.wait_until("the live-reload stream to open again", LIVE);

    std::fs::write(&entry, edited.replace("region: bandung", "region: bandug")).expect("break");
    page.wait_until(
        "the overlay with the located error",
        &format!(
            "{OVERLAY}.includes('no region `bandug`') \
             && {OVERLAY}.includes('bandung-suwon.md:2:9')"
        ),
    );
    let text: String = page.value("document.querySelector('main').textContent");
    assert!(
        text.contains("Suwon kini mencatat"),
        "the last good page stays"
    );

    std::fs::write(&entry, &edited).expect("fix");
    page.wait_until("the overlay to go", &format!("{OVERLAY} === ''"));
    let errors = page.take_errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
    say(&format!("{test}: reloaded, overlay shown and cleared"));
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|f| f.is_file())
}
