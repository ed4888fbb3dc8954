//! The benchmark's synthetic corpus (examples/bench) is a valid atlas and the same for
//! the same seed; the benchmark itself is too slow for `cargo test` (see bench/README.md).

use crate::common::{kembar, stderr};
use std::collections::BTreeMap;
use std::path::Path;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn the_benchmark_corpus_of_fifty_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let c = crate::corpus::generate(50, 42);
    assert_eq!(c.partnerships.len(), 50);
    assert_eq!(c.regions.len(), 38);
    assert_eq!(c.partners.len(), 25);
    crate::kembar_site::write(&c, dir.path(), &["id"]).unwrap();
    let out = kembar(dir.path(), &["check", "--strict"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("checked 50 partnerships"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_benchmark_corpus_is_the_same_for_the_same_seed() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    crate::kembar_site::write(&crate::corpus::generate(60, 7), a.path(), &["id"]).unwrap();
    crate::kembar_site::write(&crate::corpus::generate(60, 7), b.path(), &["id"]).unwrap();
    crate::kembar_site::write(&crate::corpus::generate(60, 8), c.path(), &["id"]).unwrap();
    assert_eq!(files(a.path()), files(b.path()));
    assert_ne!(files(a.path()), files(c.path()));
}

/// `partnerships.json` is made in chunks of 256 records and written a few chunks at a
/// time, with each record's own file: with more records than that it is still one
/// array, of the records the per-entry files hold, and a second build finds it
/// unchanged. The other downloads, made in chunks too, read as one file.
#[test]
fn the_big_data_file_is_one_array_of_every_record_however_many_chunks() {
    let (site, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    crate::kembar_site::write(&crate::corpus::generate(600, 3), site.path(), &["id"]).unwrap();
    let public = out.path().join("public");
    let build = || kembar(site.path(), &["build", "-o", public.to_str().unwrap()]);
    let first = build();
    assert!(first.status.success(), "{}", stderr(&first));
    let text = std::fs::read_to_string(public.join("data/partnerships.json")).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(all.len(), 600);
    assert!(text.starts_with("[\n  {\n") && text.ends_with("\n  }\n]\n"));
    for record in &all {
        let slug = record["slug"].as_str().unwrap();
        let own = std::fs::read(public.join(format!("partnerships/{slug}.json"))).unwrap();
        assert_eq!(
            &serde_json::from_slice::<serde_json::Value>(&own).unwrap(),
            record
        );
    }
    // The other downloads are made in chunks of 256 too, laid out as one serialiser
    // writes the whole file.
    let slugs: Vec<&str> = all.iter().map(|r| r["slug"].as_str().unwrap()).collect();
    let geojson = std::fs::read_to_string(public.join("data/partnerships.geojson")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&geojson).unwrap();
    assert_eq!(
        serde_json::to_string_pretty(&parsed).unwrap() + "\n",
        geojson
    );
    let features = parsed["features"].as_array().unwrap();
    let in_features: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(in_features, slugs);
    let csv_text = std::fs::read(public.join("data/partnerships.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(&csv_text[..]);
    let in_rows: Vec<String> = rows.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(in_rows, slugs);
    let script = std::fs::read_to_string(public.join("data/explorer.id.js")).unwrap();
    let index = script
        .strip_prefix("window.KEMBAR_EXPLORER=")
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap();
    let parsed: serde_json::Value = serde_json::from_str(index).unwrap();
    assert_eq!(serde_json::to_string(&parsed).unwrap(), index);
    assert_eq!(parsed["items"].as_array().unwrap().len(), 600);
    let again = build();
    assert!(stderr(&again).contains(" 0 written"), "{}", stderr(&again));
}
