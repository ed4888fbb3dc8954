//! The real atlas in `content/`: every partnership of the source spreadsheet is there
//! exactly once with the same facts, every entry is sourced, and it builds clean.

use crate::common::*;
use kembar::gazetteer::Gazetteer;
use kembar::model::{Atlas, Kind, Partnership, RegionLevel, Slug};
use std::collections::BTreeMap;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn atlas() -> Atlas {
    let (atlas, diags) = kembar::build::atlas(root(), Path::new("")).expect("load content");
    assert!(
        diags.is_empty(),
        "content has diagnostics: {:?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    atlas.expect("valid atlas")
}

/// The entry a spreadsheet row stands for: same region (by Kemendagri code), partner
/// country and partner name (or the slug made from it).
fn entries_for<'a>(
    atlas: &'a Atlas,
    g: &Gazetteer,
    row: &csv::StringRecord,
) -> Vec<&'a Partnership> {
    let (region, level, province, partner, country) =
        (&row[0], &row[1], &row[2], &row[3], row[5].to_lowercase());
    let prov = g
        .province(province)
        .unwrap_or_else(|| panic!("province {province}"));
    let area = match RegionLevel::parse(level).expect("level") {
        RegionLevel::Provinsi => prov,
        l => g
            .regency(l, region, prov)
            .unwrap_or_else(|| panic!("{level} {region}")),
    };
    let bare = partner.split(" (").next().unwrap_or(partner);
    atlas
        .partnerships
        .values()
        .filter(|p| {
            atlas
                .regions
                .get(&p.region)
                .is_some_and(|r| r.code == area.code)
        })
        .filter(|p| p.partner.country.as_str() == country)
        .filter(|p| {
            let entry = &atlas.partners[&p.partner];
            entry.name.eq_ignore_ascii_case(partner)
                || entry.name.eq_ignore_ascii_case(bare)
                || p.partner.slug.as_str() == Slug::suggest(bare)
                || p.partner.slug.as_str() == Slug::suggest(partner)
        })
        .collect()
}

/// The row's `source_url` and every web address in its `note`.
fn row_urls(row: &csv::StringRecord) -> Vec<String> {
    let words = row[8]
        .split_whitespace()
        .chain(row[9].split([' ', ';', '"']));
    words
        .filter_map(|w| w.find("http").map(|i| &w[i..]))
        .map(|w| w.trim_end_matches([',', '.', ')', ']', ':']).to_string())
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .collect()
}

/// Every row is one entry with the same region, partner country, kind and year, citing
/// every web address the row gives. A row
/// without a year may have gained one from a source an editor cited since; a row with
/// a year must keep it (`signed` is the step the spreadsheet's `since` names).
#[test]
fn every_spreadsheet_row_is_one_entry_with_the_same_facts() {
    let atlas = atlas();
    let g = Gazetteer::builtin();
    let mut reader =
        csv::Reader::from_path(root().join("tests/data/partnerships.csv")).expect("csv");
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut rows = 0;
    for (i, row) in reader.records().enumerate() {
        let row = row.expect("row");
        let line = i + 2;
        rows += 1;
        let found = entries_for(&atlas, &g, &row);
        let [p] = found[..] else {
            problems.push(format!(
                "line {line} ({} – {}): {} entries",
                &row[0],
                &row[3],
                found.len()
            ));
            continue;
        };
        if Some(p.kind) != Kind::parse(&row[7]) {
            problems.push(format!(
                "line {line}: {} has kind {}, the row {}",
                p.file, p.kind, &row[7]
            ));
        }
        let year = (!row[6].is_empty()).then(|| row[6].parse::<u16>().expect("year"));
        if year.is_some() && p.year() != year {
            problems.push(format!(
                "line {line}: {} has year {:?}, the row {:?}",
                p.file,
                p.year(),
                year
            ));
        }
        for url in row_urls(&row) {
            if !p.sources.iter().any(|s| s.url == url) {
                problems.push(format!(
                    "line {line}: {} does not list the row's source {url}",
                    p.file
                ));
            }
        }
        if let Some(other) = seen.insert(p.file.clone(), line) {
            problems.push(format!("lines {other} and {line} both map to {}", p.file));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(rows, 136);
}

#[test]
fn every_partnership_has_a_source_with_a_web_address() {
    for p in atlas().partnerships.values() {
        assert!(
            p.sources
                .iter()
                .any(|s| s.url.starts_with("https://") || s.url.starts_with("http://")),
            "{} has no source with a URL",
            p.file
        );
    }
}

#[test]
fn all_provinces_are_in_the_atlas() {
    let atlas = atlas();
    let g = Gazetteer::builtin();
    for prov in g.provinces() {
        let entry = atlas.regions.values().find(|r| r.code == prov.code);
        let entry =
            entry.unwrap_or_else(|| panic!("no entry for province {} ({})", prov.name, prov.code));
        assert_eq!(entry.level, RegionLevel::Provinsi);
    }
}

#[test]
fn the_atlas_checks_clean_and_builds_every_page() {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("public");
    let run = kembar(
        root(),
        &[
            "build",
            "--strict",
            "--output",
            dir.to_str().expect("utf-8"),
        ],
    );
    assert!(run.status.success(), "build failed:\n{}", stderr(&run));
    let atlas = atlas();
    for p in atlas.partnerships.values() {
        assert!(
            dir.join(format!("partnerships/{}.html", p.slug)).is_file(),
            "no page for {}",
            p.slug
        );
    }
    for r in atlas
        .regions
        .values()
        .filter(|r| r.level == RegionLevel::Provinsi)
    {
        assert!(
            dir.join(format!("regions/{}.html", r.slug)).is_file(),
            "no page for province {}",
            r.slug
        );
    }
    for id in atlas.partners.keys() {
        assert!(
            dir.join(format!("partners/{}/{}.html", id.country, id.slug))
                .is_file(),
            "no page for {id}"
        );
    }
    for page in ["about", "legal-basis", "contribute"] {
        let p = &atlas.pages[&Slug::parse(page).expect("slug")];
        assert!(p.en.is_some(), "page {page} has no English translation");
    }
}

/// The complete example in "How to contribute" is a real entry, so it always validates.
#[test]
fn the_contribution_guide_shows_a_real_entry() {
    let entry = std::fs::read_to_string(root().join("content/partnerships/bandung-fort-worth.md"))
        .expect("entry");
    for page in ["contribute.md", "contribute.en.md"] {
        let text = std::fs::read_to_string(root().join("content/pages").join(page)).expect("page");
        let block = format!("```markdown\n{}\n```", entry.trim_end());
        assert!(
            text.contains(&block),
            "{page} does not show content/partnerships/bandung-fort-worth.md as it is"
        );
    }
}
