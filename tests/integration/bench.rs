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
