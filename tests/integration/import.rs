//! `kembar import`: entries from a spreadsheet and from the gazetteer, skipping what is
//! there, never overwriting, and writing nothing when a row is wrong.

use crate::common::*;

const HEADER: &str = "region,region_level,region_province,partner,partner_level,partner_country,since,kind,source_url,note\n";

fn write_csv(dir: &std::path::Path, rows: &str) -> String {
    let path = dir.join("rows.csv");
    std::fs::write(&path, format!("{HEADER}{rows}")).expect("write csv");
    path.to_string_lossy().into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn import_creates_entries_with_gazetteer_facts_and_skips_present_rows() {
    let site = site_copy();
    let csv = write_csv(
        site.path(),
        concat!(
            "Bandung,kota,Jawa Barat,Fort Worth,city,US,1990,sister-city,https://example.org/a,\n",
            "Bogor,kabupaten,Jawa Barat,Kyoto Prefecture,prefecture,JP,,friendship,https://www.jabarprov.go.id/x,\"PLANNED: letter of intent; also https://example.org/b.\"\n",
            "Bandung,kota,Jawa Barat,Braunschweig,city,DE,1960,sister-city,seed: 000.txt,\n",
        ),
    );
    let out = kembar(site.path(), &["import", "csv", &csv]);
    assert!(out.status.success(), "import failed:\n{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "rows.csv:2: already present as `content/partnerships/bandung-fort-worth.md`"
        ),
        "{text}"
    );
    assert!(
        text.contains("rows.csv:4: the source `seed: 000.txt` is not a web address"),
        "{text}"
    );
    assert!(
        text.contains("created content/regions/kabupaten-bogor.md"),
        "{text}"
    );
    assert!(
        text.contains("created content/partners/jp/kyoto.md"),
        "{text}"
    );
    let region = std::fs::read_to_string(site.path().join("content/regions/kabupaten-bogor.md"))
        .expect("region");
    assert!(
        region.contains(
            "name: Kabupaten Bogor\nlevel: kabupaten\nprovince: jawa-barat\ncode: \"32.01\"\n"
        ),
        "{region}"
    );
    assert!(region.contains("coordinates: { lat: "), "{region}");
    let entry = std::fs::read_to_string(
        site.path()
            .join("content/partnerships/kabupaten-bogor-kyoto.md"),
    )
    .expect("entry");
    assert!(
        entry.contains("kind: friendship\nstatus: planned\nconfidence: confirmed\n"),
        "{entry}"
    );
    assert!(
        entry.contains("url: https://example.org/b\n"),
        "the note's URL is a source:\n{entry}"
    );
    assert!(!entry.contains("signed:"), "no year, no `signed`:\n{entry}");
    let check = kembar(site.path(), &["check", "--strict"]);
    assert!(
        check.status.success(),
        "imported entries are not valid:\n{}",
        stderr(&check)
    );

    let before = tree(&site.path().join("content"));
    let again = kembar(site.path(), &["import", "csv", &csv]);
    assert!(again.status.success());
    assert!(stdout(&again).contains(
        "rows.csv:3: already present as `content/partnerships/kabupaten-bogor-kyoto.md`"
    ));
    assert_eq!(
        tree(&site.path().join("content")),
        before,
        "a second import changed files"
    );
}

#[test]
fn a_wrong_row_is_located_and_nothing_is_written() {
    let site = site_copy();
    let csv = write_csv(
        site.path(),
        concat!(
            "Surabaya,kota,Jawa Timur,Busan,city,KR,1994,sister-city,https://example.org/a,\n",
            "Semarang,kota,Jawa Tengah,Brisbane,city,AU,2012,sister-cty,https://example.org/b,\n",
            "Atlantis,kota,Jawa Tengah,Da Nang,city,VN,,sister-city,https://example.org/c,\n",
        ),
    );
    let before = tree(&site.path().join("content"));
    let out = kembar(site.path(), &["import", "csv", &csv]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("rows.csv:3:"), "{err}");
    assert!(
        err.contains("`kind` is `sister-cty`") && err.contains("did you mean `sister-city`?"),
        "{err}"
    );
    assert!(
        err.contains("rows.csv:4:1") && err.contains("no kota `Atlantis` in Jawa Tengah"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(tree(&site.path().join("content")), before);
}

#[test]
fn a_spreadsheet_without_the_columns_is_refused() {
    let site = site_copy();
    let path = site.path().join("rows.csv");
    std::fs::write(&path, "region,partner\nBandung,Fort Worth\n").expect("write");
    let out = kembar(site.path(), &["import", "csv", "rows.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the header row lacks the columns `region_level`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_provinces_fills_in_every_province_once() {
    let site = site_copy();
    let out = kembar(site.path(), &["import", "provinces"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dki =
        std::fs::read_to_string(site.path().join("content/regions/dki-jakarta.md")).expect("dki");
    assert!(dki.contains("code: \"31\""), "{dki}");
    let provinces = walkdir::WalkDir::new(site.path().join("content/regions"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("level: provinsi")))
        .count();
    assert_eq!(provinces, 38);
    let again = kembar(site.path(), &["import", "provinces"]);
    assert!(stdout(&again).is_empty(), "{}", stdout(&again));
}

#[test]
fn coverage_lists_what_the_atlas_does_not_know() {
    let site = site_copy();
    let out = kembar(site.path(), &["check", "--coverage"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for heading in [
        "provinces without a recorded partnership",
        "partnerships without a year",
        "partnerships without fields of cooperation",
        "partnerships without coordinates",
        "partnerships with only unverified sources",
    ] {
        assert!(text.contains(heading), "no `{heading}` in:\n{text}");
    }
}
