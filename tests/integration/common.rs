//! Helpers shared by the integration tests: fixture copies, running the binary,
//! reading an output tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh copy of the valid fixture site in a temporary folder.
pub fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixtures().join("site"), dir.path());
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Runs `kembar args…` in `dir`.
pub fn kembar(dir: &Path, args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("kembar")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run kembar")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir`, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Builds the site in `dir` into `dir/public` and returns the output tree.
pub fn build_ok(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = kembar(dir, &["build"]);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    tree(&dir.join("public"))
}
