//! What every browser test starts from: the real atlas built once per test run, its
//! published data, the static server, a Chromium — and the rule that a machine without
//! Chromium (or without axe-core) skips these tests with a reason, unless
//! `KEMBAR_REQUIRE_BROWSER=1` (set by `.ci/run`) makes that a failure.

use super::chrome::{Chrome, Page};
use super::server::{PREFIX, Server};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The built atlas: where it is and what `data/partnerships.json` says.
pub struct Atlas {
    pub public: PathBuf,
    pub partnerships: Vec<Value>,
}

impl Atlas {
    /// The `file://` address of `path` in the built site.
    pub fn file_url(&self, path: &str) -> String {
        let file = self.public.join(path);
        format!("file://{}", file.display()).replace(' ', "%20")
    }
}

/// Builds the atlas the first time it is asked for; later calls share that build.
pub fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Result<Atlas, String>> = OnceLock::new();
    match ATLAS.get_or_init(build) {
        Ok(atlas) => atlas,
        Err(e) => panic!("{e}"),
    }
}

fn build() -> Result<Atlas, String> {
    // A fixed folder in the target directory, not a temporary one: a value in a static
    // is never dropped, and the site is worth looking at after a failure.
    let public = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-atlas/public");
    let run = assert_cmd::Command::cargo_bin("kembar")
        .map_err(|e| e.to_string())?
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR")])
        // Published under a sub-path, as the server serves it: pages that must use
        // addresses from the host's root (the 404 page, shown at any depth) need it.
        .args(["--base-url", PREFIX, "--output"])
        .arg(&public)
        .output()
        .map_err(|e| format!("running kembar build: {e}"))?;
    if !run.status.success() {
        return Err(format!(
            "kembar build failed:\n{}",
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    let json = std::fs::read_to_string(public.join("data/partnerships.json"))
        .map_err(|e| format!("reading data/partnerships.json: {e}"))?;
    let partnerships =
        serde_json::from_str(&json).map_err(|e| format!("data/partnerships.json: {e}"))?;
    Ok(Atlas {
        public,
        partnerships,
    })
}

/// Where screenshots go: `browser-screenshots/` in the target directory.
pub fn screenshot_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// A browser test's setup: the built atlas served over HTTP and a running Chromium.
pub struct Session {
    pub atlas: &'static Atlas,
    pub server: Server,
    pub chrome: Chrome,
}

impl Session {
    /// The setup for `test`, or `None` (after saying why) when this machine has no
    /// Chromium and the browser tests are not required.
    pub fn start(test: &str) -> Option<Session> {
        let Some(chromium) = find_on_path("chromium") else {
            skip(
                test,
                "no `chromium` on PATH (Debian: apt-get install chromium)",
            );
            return None;
        };
        let atlas = atlas();
        Some(Session {
            atlas,
            server: Server::start(&atlas.public),
            chrome: Chrome::launch(&chromium),
        })
    }

    /// A desktop-sized tab.
    pub fn desktop(&self) -> Page {
        self.chrome.page(1280, 900, false)
    }

    /// Fails if any page had a console error, or asked the server for a missing file.
    #[track_caller]
    pub fn assert_clean(&self, page: &Page) {
        let errors = page.take_errors();
        assert!(
            errors.is_empty(),
            "the browser console reported errors:\n{}",
            errors.join("\n")
        );
        let missing = self.server.missing();
        assert!(
            missing.is_empty(),
            "pages asked for files that are not in the site: {missing:?}"
        );
    }
}

/// Whether a missing browser (or axe-core) fails the test instead of skipping it.
fn required() -> bool {
    std::env::var("KEMBAR_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Skips `test` saying why — or fails it, when browser tests are required.
pub fn skip(test: &str, reason: &str) {
    assert!(
        !required(),
        "{test}: {reason}, and KEMBAR_REQUIRE_BROWSER=1 requires the browser tests to run"
    );
    say(&format!(
        "skipped {test}: {reason} (set KEMBAR_REQUIRE_BROWSER=1 to make this an error)"
    ));
}

/// Prints a line to the terminal even when the test harness captures output, as for a
/// passing test it does.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The first file called `name` in a folder of `PATH`.
fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|f| f.is_file())
}
