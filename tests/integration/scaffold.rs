//! `kembar new`: complete, commented entries that pass `kembar check` once an editor
//! fills in the facts; refusals (existing file, unknown slug, no terminal) with exit 2.

use crate::common::{kembar, site_copy, stderr};
use kembar::validate::keys;
use std::path::Path;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What an editor does: replaces `from` (an empty key) with a value read in a source.
fn fill(path: &Path, edits: &[(&str, &str)]) {
    let mut text = std::fs::read_to_string(path).expect("read entry");
    for (from, to) in edits {
        assert!(text.contains(from), "no `{from}` in\n{text}");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(path, text).expect("write entry");
}

#[test]
fn new_partnership_has_every_key_and_passes_check_once_filled() {
    let site = site_copy();
    let out = kembar(
        site.path(),
        &[
            "new",
            "partnership",
            "--region",
            "bukittinggi",
            "--partner",
            "jp/shizuoka",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("created content/partnerships/bukittinggi-shizuoka.md\n"));
    assert!(stdout(&out).contains("kembar check"), "{}", stdout(&out));
    let path = site
        .path()
        .join("content/partnerships/bukittinggi-shizuoka.md");
    let text = std::fs::read_to_string(&path).expect("written");
    for k in keys::PARTNERSHIP {
        assert!(
            text.contains(&format!("\n{}:", k.name)),
            "no `{}` in\n{text}",
            k.name
        );
    }
    assert!(text.contains("\nregion: bukittinggi\n") && text.contains("\npartner: jp/shizuoka\n"));
    // Nothing invented: the facts no one gave are empty, so check asks for them.
    let out = kembar(site.path(), &["check", "--format", "short"]);
    assert_eq!(out.status.code(), Some(1));
    for key in ["kind", "status", "key", "publisher", "url"] {
        assert!(
            stderr(&out).contains(&format!("missing required key `{key}`")),
            "{key}: {}",
            stderr(&out)
        );
    }
    fill(
        &path,
        &[
            ("\nkind:\n", "\nkind: sister-city\n"),
            ("\nstatus:\n", "\nstatus: planned\n"),
            ("  - key:\n", "  - key: padek\n"),
            ("    publisher:\n", "    publisher: Padang Ekspres\n"),
            ("    url:\n", "    url: https://example.org/padek\n"),
        ],
    );
    let out = kembar(site.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(
        &path,
        std::fs::read_to_string(&path).expect("read") + "Dirintis pada 2019 [@padek].\n",
    )
    .expect("write");
    let out = kembar(site.path(), &["check", "--strict"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn new_region_and_partner_pass_check_once_filled() {
    let site = site_copy();
    let out = kembar(
        site.path(),
        &[
            "new",
            "region",
            "padang",
            "--level",
            "kota",
            "--province",
            "sumatera-barat",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let region = site.path().join("content/regions/padang.md");
    let text = std::fs::read_to_string(&region).expect("written");
    assert!(
        text.contains("\nlevel: kota\n") && text.contains("\nprovince: sumatera-barat\n"),
        "{text}"
    );
    fill(
        &region,
        &[
            ("\nname:\n", "\nname: Kota Padang\n"),
            ("\ncode:\n", "\ncode: \"13.71\"\n"),
            (
                "\ncoordinates:\n",
                "\ncoordinates: { lat: -0.95, lon: 100.35 }\n",
            ),
        ],
    );
    let out = kembar(
        site.path(),
        &["new", "partner", "kr/busan", "--level", "metropolitan-city"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let partner = site.path().join("content/partners/kr/busan.md");
    let text = std::fs::read_to_string(&partner).expect("written");
    for k in keys::PARTNER {
        assert!(
            text.contains(&format!("\n{}:", k.name)),
            "no `{}` in\n{text}",
            k.name
        );
    }
    fill(&partner, &[("\nname:\n", "\nname: Busan\n")]);
    let out = kembar(site.path(), &["check", "--strict"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn new_refuses_to_overwrite_an_existing_entry() {
    let site = site_copy();
    let path = site
        .path()
        .join("content/partnerships/bandung-fort-worth.md");
    let before = std::fs::read(&path).expect("fixture");
    let out = kembar(
        site.path(),
        &[
            "new",
            "partnership",
            "--region",
            "bandung",
            "--partner",
            "us/fort-worth",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("content/partnerships/bandung-fort-worth.md already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&path).expect("still there"), before);
    let out = kembar(site.path(), &["new", "region", "bandung"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn new_refuses_unknown_slugs_with_a_suggestion() {
    let site = site_copy();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--region", "bandug", "--partner", "us/fort-worth"],
            "no region `bandug` in this site\n  = help: did you mean `bandung`?",
        ),
        (
            &["--region", "bandung", "--partner", "us/fort-wort"],
            "no partner `us/fort-wort` in this site\n  = help: did you mean `us/fort-worth`?",
        ),
        (
            &["--region", "bandung", "--partner", "xx/nowhere"],
            "create it first with `kembar new partner xx/nowhere`",
        ),
        (
            &["--region", "Bandung", "--partner", "us/fort-worth"],
            "did you mean `bandung`?",
        ),
    ];
    for (args, expected) in cases {
        let out = kembar(site.path(), &[&["new", "partnership"], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = kembar(site.path(), &["new", "partner", "usa/austin"]);
    assert!(
        stderr(&out).contains("`usa` is the alpha-3 code of United States"),
        "{}",
        stderr(&out)
    );
    let out = kembar(
        site.path(),
        &["new", "region", "padang", "--level", "kotamadya"],
    );
    assert!(
        stderr(&out).contains("`kotamadya` is not a valid `level`"),
        "{}",
        stderr(&out)
    );
    assert!(
        !site
            .path()
            .join("content/partnerships/bandug-fort-worth.md")
            .exists()
    );
    assert!(!site.path().join("content/regions/padang.md").exists());
}

#[test]
fn new_without_arguments_off_a_terminal_fails_clearly() {
    let site = site_copy();
    for args in [
        &["new"][..],
        &["new", "partnership", "--region", "bandung"],
        &["new", "region"],
    ] {
        // The test's stdin is not a terminal, so kembar cannot ask.
        let out = kembar(site.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("cannot ask for it: input is not a terminal"),
            "{}",
            stderr(&out)
        );
        assert!(
            stderr(&out)
                .contains("kembar new partnership --region bandung --partner us/fort-worth")
        );
    }
}
