//! The pull-request path: the shipped workflow files, `check --format json|github`, and
//! `check --external` against a local HTTP server (the tests never leave the machine).

use crate::common::{kembar, site_copy, stderr};
use clap::Parser;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn workflow(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".github/workflows")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("workflow file");
    let mut options = serde_saphyr::Options::default();
    // `on` is a key of every workflow, not a boolean.
    options.strict_booleans = true;
    serde_saphyr::from_str_with_options(&text, options).expect("valid YAML")
}

/// The arguments of every `kembar …` command in the workflow's `run` scripts.
fn kembar_commands(w: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for job in w["jobs"].as_object().expect("jobs").values() {
        for step in job["steps"].as_array().expect("steps") {
            let run = step["run"].as_str().unwrap_or("");
            for line in run.lines().flat_map(|l| l.split("&&")) {
                let words: Vec<&str> = line.split_whitespace().collect();
                if let Some(at) = words
                    .iter()
                    .position(|w| w.rsplit('/').next() == Some("kembar"))
                {
                    let args = words[at + 1..]
                        .iter()
                        // Shell variables are set by earlier steps: stand in a real value.
                        .map(|a| {
                            if a.starts_with("\"$") {
                                "https://example.org/atlas/".to_string()
                            } else {
                                a.to_string()
                            }
                        })
                        .collect();
                    out.push(args);
                }
            }
        }
    }
    out
}

#[test]
fn shipped_workflows_are_valid_and_run_real_kembar_commands() {
    for (name, expected) in [
        ("check.yml", "check --strict --format github"),
        ("pages.yml", "build"),
    ] {
        let w = workflow(name);
        assert!(
            w.get("on").is_some_and(|o| o.is_object()),
            "{name}: no `on`"
        );
        let jobs = w["jobs"].as_object().expect("jobs");
        assert!(!jobs.is_empty());
        for (id, job) in jobs {
            assert!(job["runs-on"].is_string(), "{name}/{id}: no runs-on");
            let steps = job["steps"].as_array().expect("steps");
            assert!(!steps.is_empty(), "{name}/{id}");
            for s in steps {
                assert!(
                    s["uses"].is_string() != s["run"].is_string(),
                    "{name}/{id}: step needs `uses` or `run`: {s}"
                );
            }
        }
        let commands = kembar_commands(&w);
        assert!(
            commands.iter().any(|c| c.join(" ").starts_with(expected)),
            "{name}: {commands:?}"
        );
        for args in commands {
            let cli = kembar::cli::Cli::try_parse_from(
                std::iter::once("kembar".to_string()).chain(args.clone()),
            )
            .unwrap_or_else(|e| panic!("{name}: `kembar {}`: {e}", args.join(" ")));
            assert!(cli.into_action().is_ok(), "{name}: {args:?}");
        }
    }
    let uses: Vec<String> = ["pages.yml"]
        .iter()
        .flat_map(|n| {
            let w = workflow(n);
            w["jobs"]
                .as_object()
                .expect("jobs")
                .values()
                .flat_map(|j| j["steps"].as_array().cloned().unwrap_or_default())
                .filter_map(|s| s["uses"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect();
    for action in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "pages.yml lacks {action}"
        );
    }
}

/// The fixture site with a misspelt region: one error, at a known place.
fn broken_site() -> tempfile::TempDir {
    let site = site_copy();
    let path = site.path().join("content/partnerships/bandung-suwon.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    std::fs::write(&path, text.replacen("region: bandung", "region: bandug", 1)).expect("write");
    site
}

#[test]
fn check_reports_a_link_in_an_entry_to_a_page_that_is_not_built() {
    let site = site_copy();
    let path = site.path().join("content/partnerships/bandung-suwon.md");
    let mut text = std::fs::read_to_string(&path).expect("fixture");
    text.push_str(
        "\nSee [the region](../regions/bandung.html), [its news](https://example.org/b) \
         and [the old list](../regions/nowhere.html).\n",
    );
    std::fs::write(&path, text).expect("write");
    let out = kembar(site.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "`../regions/nowhere.html` points to `regions/nowhere.html`, which does not exist"
        ),
        "{err}"
    );
    assert!(!err.contains("regions/bandung.html`"), "{err}");
}

#[test]
fn check_format_json_prints_one_object_per_diagnostic() {
    let site = broken_site();
    let out = kembar(site.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", stdout(&out));
    let d = &lines[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "no region `bandug`");
    assert_eq!(d["file"], "content/partnerships/bandung-suwon.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(9))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(2), Some(15))
    );
    assert_eq!(d["help"], "did you mean `bandung`?");
    assert!(
        stderr(&out).contains("error: 1 error in 1 file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_format_github_annotates_the_line() {
    let site = broken_site();
    let out = kembar(site.path(), &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "::error file=content/partnerships/bandung-suwon.md,line=2,col=9::no region `bandug`%0Ahelp: did you mean `bandung`?\n"
    );
    assert!(stderr(&out).contains("error: 1 error in 1 file"));
}

/// A local server answering by path; it records every request as `METHOD /path`.
fn serve() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = Arc::clone(&log);
            std::thread::spawn(move || answer(stream, &log));
        }
    });
    (base, seen)
}

fn answer(mut stream: TcpStream, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let mut words = first.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    log.lock().expect("log").push(format!("{method} {path}"));
    let (status, extra) = match (method, path) {
        (_, "/ok") => ("200 OK", ""),
        (_, "/moved") => ("301 Moved Permanently", "Location: /ok\r\n"),
        ("HEAD", "/no-head") => ("405 Method Not Allowed", ""),
        (_, "/no-head") => ("200 OK", ""),
        (_, "/hang") => {
            std::thread::sleep(Duration::from_secs(5));
            return;
        }
        _ => ("404 Not Found", ""),
    };
    let body = if method == "HEAD" { "" } else { "page" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 4\r\nConnection: close\r\n\r\n{body}"
    );
}

#[test]
fn check_external_reports_broken_source_urls_at_their_line_and_caches_good_ones() {
    let (base, seen) = serve();
    let site = site_copy();
    // The fixture's five source URLs, in file order, become these.
    let mut paths = ["/ok", "/missing", "/moved", "/hang", "/no-head"].into_iter();
    let mut expected = Vec::new();
    for name in [
        "bandung-fort-worth",
        "bandung-suwon",
        "bukittinggi-seremban",
        "jawa-barat-shizuoka",
    ] {
        let rel = format!("content/partnerships/{name}.md");
        let text = std::fs::read_to_string(site.path().join(&rel)).expect("fixture");
        let mut lines: Vec<String> = Vec::new();
        for (i, l) in text.lines().enumerate() {
            if l.trim_start().starts_with("url: ") {
                let p = paths.next().expect("five URLs");
                lines.push(format!("    url: {base}{p}"));
                expected.push((rel.clone(), i + 1, p));
            } else {
                lines.push(l.to_string());
            }
        }
        std::fs::write(site.path().join(&rel), lines.join("\n") + "\n").expect("write");
    }
    assert_eq!(paths.next(), None);
    let run = || {
        kembar(
            site.path(),
            &[
                "check",
                "--external",
                "--external-timeout",
                "1",
                "--format",
                "json",
            ],
        )
    };
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found: Vec<(String, u64, u64, String, String)> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON"))
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["severity"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let at = |p: &str| {
        expected
            .iter()
            .find(|e| e.2 == p)
            .map(|e| (e.0.clone(), e.1 as u64))
            .expect("placed")
    };
    let (missing, hang) = (at("/missing"), at("/hang"));
    assert_eq!(
        found,
        vec![
            (
                missing.0,
                missing.1,
                10,
                "error".into(),
                "source URL answers 404 Not Found".into()
            ),
            (
                hang.0,
                hang.1,
                10,
                "warning".into(),
                "source URL did not answer within 1 s".into()
            ),
        ],
        "{}",
        stderr(&out)
    );
    let first: Vec<String> = seen.lock().expect("log").drain(..).collect();
    assert!(
        first.contains(&"GET /no-head".to_string()),
        "HEAD refused, then GET: {first:?}"
    );
    assert!(first.contains(&"GET /ok".to_string()) || first.contains(&"HEAD /ok".to_string()));
    let cache: Value = serde_json::from_slice(
        &std::fs::read(site.path().join(".kembar-external-cache.json")).expect("cache"),
    )
    .expect("JSON");
    assert_eq!(cache["urls"][format!("{base}/moved")]["ok"], true);
    assert_eq!(cache["urls"][format!("{base}/missing")]["status"], 404);
    // Within a day, only the URLs not known to be good are asked again.
    let again = run();
    assert_eq!(stdout(&again), stdout(&out));
    let mut second: Vec<String> = seen
        .lock()
        .expect("log")
        .iter()
        .map(|r| r.split(' ').nth(1).unwrap_or("").to_string())
        .collect();
    second.sort();
    second.dedup();
    assert_eq!(second, ["/hang", "/missing"]);
    assert!(
        stderr(&again).contains("(3 from the cache)"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn plain_check_never_asks_source_urls() {
    let (base, seen) = serve();
    let site = site_copy();
    let rel = site.path().join("content/partnerships/bandung-suwon.md");
    let text = std::fs::read_to_string(&rel).expect("fixture");
    let text: Vec<String> = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("url: ") {
                format!("    url: {base}/missing")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&rel, text.join("\n") + "\n").expect("write");
    let out = kembar(site.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(seen.lock().expect("log").is_empty());
    assert!(!site.path().join(".kembar-external-cache.json").exists());
}
