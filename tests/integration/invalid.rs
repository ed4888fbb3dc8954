//! The invalid-input corpus. Each folder under `tests/fixtures/invalid/` changes the
//! valid fixture site: files under its `site/` replace or add files, paths listed in
//! its `delete` file are removed. Its `expected` file gives the exit code (`exit: N`)
//! and then every diagnostic exactly as `--format short` prints it. The test also
//! checks that the human format shows the first location with a help line, and that a
//! failed build leaves the output of the previous good build untouched.

use crate::common::*;
use std::path::Path;

struct Expected {
    exit: i32,
    lines: Vec<String>,
}

fn expected(case: &Path) -> Expected {
    let text = std::fs::read_to_string(case.join("expected")).expect("expected file");
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let exit = lines
        .next()
        .and_then(|l| l.strip_prefix("exit: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("first line `exit: N`");
    Expected {
        exit,
        lines: lines.map(str::to_string).collect(),
    }
}

fn apply(case: &Path, site: &Path) {
    if case.join("site").is_dir() {
        copy_tree(&case.join("site"), site);
    }
    if let Ok(list) = std::fs::read_to_string(case.join("delete")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            let p = site.join(rel.trim());
            if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            }
            .expect("delete listed path");
        }
    }
}

fn diagnostic_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| {
            l.contains(": error: ")
                || l.contains(": warning: ")
                || l.starts_with("error: ")
                || l.starts_with("warning: ")
        })
        .map(str::to_string)
        .collect()
}

fn run_case(case: &Path) -> Result<(), String> {
    let name = case
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let want = expected(case);
    let dir = site_copy();
    let before = build_ok(dir.path());
    apply(case, dir.path());
    let out = kembar(dir.path(), &["build", "--format", "short"]);
    let err = stderr(&out);
    let got = diagnostic_lines(&err);
    let mut problems = Vec::new();
    if out.status.code() != Some(want.exit) {
        problems.push(format!(
            "exit code {:?}, expected {}",
            out.status.code(),
            want.exit
        ));
    }
    if got != want.lines {
        problems.push(format!(
            "diagnostics differ\n  expected:\n    {}\n  got:\n    {}",
            want.lines.join("\n    "),
            got.join("\n    ")
        ));
    }
    // A failed build must leave the previous output exactly as it was.
    if want.exit != 0 && tree(&dir.path().join("public")) != before {
        problems.push("the previous output was changed".into());
    }
    if let Some(first) = want.lines.first()
        && let Some((loc, _)) = first
            .split_once(": error: ")
            .or_else(|| first.split_once(": warning: "))
    {
        let human = stderr(&kembar(dir.path(), &["check"]));
        if !human.contains(&format!("--> {loc}")) || !human.contains("help:") {
            problems.push(format!(
                "human output lacks `--> {loc}` or a help line:\n{human}"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("case `{name}`:\n{}", problems.join("\n")))
    }
}

#[test]
fn every_invalid_fixture_gets_its_exact_located_diagnostic() {
    let root = fixtures().join("invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .expect("invalid fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    assert!(
        cases.len() >= 40,
        "the corpus has only {} cases",
        cases.len()
    );
}
