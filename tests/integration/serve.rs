//! `kembar serve` on a copy of the fixture site: pages over plain HTTP, the live-reload
//! stream after an edit, the error overlay and its removal, requests that try to leave
//! the site, and a clean stop. Every wait polls with a generous limit, never a fixed
//! sleep, so a slow machine makes the tests slower, not flaky.

use crate::common;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(30);
const PAGE: &str = "partnerships/bandung-suwon.html";
const ENTRY: &str = "content/partnerships/bandung-suwon.md";

/// A running `kembar serve`, killed and reaped when dropped.
pub struct Served {
    child: Child,
    pub addr: SocketAddr,
    pub url: String,
    log: PathBuf,
    _logs: tempfile::TempDir,
}

impl Served {
    pub fn start(root: &Path) -> Served {
        let logs = tempfile::tempdir().expect("temp dir");
        let log = logs.path().join("stderr.txt");
        let mut child = Command::new(env!("CARGO_BIN_EXE_kembar"))
            .args(["serve", "--port", "0"])
            .current_dir(root)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start kembar serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(LIMIT).unwrap_or_default();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| {
                panic!(
                    "kembar serve printed no address: {line:?}\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_string();
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("address");
        Served {
            child,
            addr,
            url,
            log,
            _logs: logs,
        }
    }

    /// What the server printed on stderr so far, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn get(&self, target: &str) -> Reply {
        request(self.addr, "GET", target)
    }

    /// Opens the live-reload stream as the page `page`, served from `generation`, does.
    pub fn events(&self, page: &str, generation: &str) -> Events {
        Events::open(self.addr, page, generation)
    }

    /// Polls `target` until `ok` holds for its reply.
    #[track_caller]
    pub fn wait_for(&self, what: &str, target: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let reply = self.get(target);
            if ok(&reply) {
                return reply;
            }
            assert!(start.elapsed() < LIMIT, "{what}: gave up\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One request written by hand: the target goes out exactly as given. HTTP/1.0, so
/// the body is never chunked.
pub fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(LIMIT)).expect("timeout");
    write!(stream, "{method} {target} HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read reply");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// The `data-generation` the server wrote into a page's live-reload script.
pub fn generation(html: &str) -> String {
    let at = html.find("data-generation=\"").expect("live-reload script") + 17;
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

/// A live-reload stream, read on a thread: each event as (name, data).
pub struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    fn open(addr: SocketAddr, page: &str, generation: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "GET /__kembar/events?page={page}&generation={generation} HTTP/1.1\r\nHost: {addr}\r\n\r\n"
        )
        .expect("send");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { return };
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = d.to_string();
                } else if line.is_empty()
                    && !name.is_empty()
                    && tx
                        .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            }
        });
        Events { rx }
    }

    /// The next event, waiting up to the limit.
    #[track_caller]
    pub fn next(&self, what: &str) -> (String, String) {
        match self.rx.recv_timeout(LIMIT) {
            Ok(e) => e,
            Err(RecvTimeoutError::Timeout) => panic!("{what}: no event within {LIMIT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("{what}: the stream ended"),
        }
    }
}

/// The overlay's HTML from an `overlay` event's data (a JSON string).
fn overlay(data: &str) -> String {
    serde_json::from_str(data).expect("overlay data is a JSON string")
}

fn edit(root: &Path, rel: &str, change: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read entry");
    std::fs::write(&path, change(text)).expect("write entry");
}

#[test]
fn serves_pages_folders_types_and_the_sites_404_page_without_writing_the_site() {
    let site = common::site_copy();
    let s = Served::start(site.path());
    let home = s.get("/");
    assert_eq!(home.status, 200, "{}", s.log());
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.body
            .contains("src=\"/__kembar/live.js\" data-page=\"index.html\"")
    );
    assert!(
        home.body.trim_end().ends_with("</html>"),
        "script not inside the page"
    );
    let script = s.get("/__kembar/live.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("EventSource"));

    let folder = s.get("/en?x=1");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/en/?x=1"));
    let en = s.get("/en/");
    assert_eq!(en.status, 200);
    assert!(en.body.contains("data-page=\"en/index.html\""));

    let missing = s.get("/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, {
        let page = s.get("/404.html").body;
        page.replace("data-page=\"404.html\"", "data-page=\"no/such/page.html\"")
    });

    for (path, want) in [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/site.js", "text/javascript; charset=utf-8"),
        ("/data/partnerships.json", "application/json"),
        ("/data/partnerships.geojson", "application/geo+json"),
        ("/data/partnerships.csv", "text/csv; charset=utf-8"),
        ("/atom.xml", "application/xml"),
    ] {
        let r = s.get(path);
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(want)),
            "{path}"
        );
        assert!(
            !r.body.contains("__kembar"),
            "{path} got the live-reload script"
        );
    }
    let head = request(s.addr, "HEAD", "/");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    assert_eq!(request(s.addr, "POST", "/").status, 405);
    assert!(
        !site.path().join("public").exists(),
        "serve wrote the site to disk"
    );
}

#[test]
fn requests_that_try_to_leave_the_site_are_refused() {
    let outer = tempfile::tempdir().expect("temp dir");
    let root = outer.path().join("site");
    common::copy_tree(&common::fixtures().join("site"), &root);
    std::fs::write(outer.path().join("secret.txt"), "TOP-SECRET").expect("write");
    let s = Served::start(&root);
    for target in [
        "/../secret.txt",
        "/en/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/.%2e/.%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "/index.html%00",
        "//etc/passwd",
        "/etc/passwd",
        "/C:/Windows/win.ini",
        "/%zz",
        "/kembar.toml",
        "/content/partnerships/bandung-suwon.md",
        "http://evil.example/../secret.txt",
    ] {
        let r = s.get(target);
        assert!(
            [400, 403, 404].contains(&r.status),
            "{target} answered {}",
            r.status
        );
        assert!(
            !r.body.contains("TOP-SECRET") && !r.body.contains("root:"),
            "{target} leaked a file"
        );
    }
}

#[test]
fn an_edit_reloads_the_pages_it_changed_and_no_others() {
    let site = common::site_copy();
    let s = Served::start(site.path());
    let page = s.get(&format!("/{PAGE}"));
    let generation = generation(&page.body);
    let changed = s.events(PAGE, &generation);
    let other = s.events("pages/about.html", &generation);
    edit(site.path(), ENTRY, |t| {
        t.replace("Suwon mencatat", "Suwon kini mencatat")
    });
    assert_eq!(changed.next("after the edit").0, "reload", "{}", s.log());
    let page = s.get(&format!("/{PAGE}"));
    assert!(page.body.contains("Suwon kini mencatat"), "{}", s.log());
    // Events arrive in order: the untouched page's next one is the overlay below, so
    // it was not told to reload by the edit.
    edit(site.path(), ENTRY, |t| {
        t.replace("kind: sister-city", "kind: twin")
    });
    assert_eq!(changed.next("after the error").0, "overlay");
    assert_eq!(other.next("after the error").0, "overlay");
}

#[test]
fn an_error_shows_the_overlay_and_keeps_the_last_good_site_until_fixed() {
    let site = common::site_copy();
    let s = Served::start(site.path());
    let good = s.get(&format!("/{PAGE}")).body;
    let events = s.events(PAGE, &generation(&good));
    let original = std::fs::read_to_string(site.path().join(ENTRY)).expect("read");
    edit(site.path(), ENTRY, |t| {
        t.replace("region: bandung", "region: bandug")
    });
    let (name, data) = events.next("after the error");
    assert_eq!(name, "overlay", "{}", s.log());
    let html = overlay(&data);
    for want in [
        "error: no region `bandug`",
        "--&gt; content/partnerships/bandung-suwon.md:2:9",
        "2 | region: bandug",
        "^^^^^^ unknown region",
        "help: did you mean `bandung`?",
    ] {
        assert!(html.contains(want), "overlay lacks {want:?}:\n{html}");
    }
    assert_eq!(s.get(&format!("/{PAGE}")).body, good, "the last good page");
    // A page opened now is shown the overlay at once.
    let late = s.events("index.html", &generation(&good));
    assert_eq!(late.next("on connecting").0, "overlay");

    std::fs::write(site.path().join(ENTRY), &original).expect("fix");
    assert_eq!(events.next("after the fix").0, "clear", "{}", s.log());

    std::fs::write(
        site.path().join("content/partners/jp/bad.yaml"),
        b"name: \xff\xfe\n",
    )
    .expect("write");
    let (name, data) = events.next("after invalid UTF-8");
    assert_eq!(name, "overlay");
    assert!(overlay(&data).contains("file is not valid UTF-8"), "{data}");
    std::fs::remove_file(site.path().join("content/partners/jp/bad.yaml")).expect("remove");
    assert_eq!(events.next("after removing it").0, "clear");
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn a_renamed_content_folder_is_reported_and_its_return_rebuilds() {
    let site = common::site_copy();
    let s = Served::start(site.path());
    let events = s.events("index.html", &generation(&s.get("/").body));
    let (content, moved) = (site.path().join("content"), site.path().join("moved"));
    std::fs::rename(&content, &moved).expect("rename");
    let (name, data) = events.next("after renaming content/");
    assert_eq!(name, "overlay", "{}", s.log());
    assert!(overlay(&data).contains("no content folder"), "{data}");
    assert_eq!(s.get("/").status, 200, "the last good site is still served");
    std::fs::rename(&moved, &content).expect("rename back");
    assert_eq!(events.next("after renaming it back").0, "clear");
    // Watching the folder again: a later edit still rebuilds.
    edit(site.path(), ENTRY, |t| {
        t.replace("Suwon mencatat", "Suwon lagi mencatat")
    });
    s.wait_for("the edit after the rename", &format!("/{PAGE}"), |r| {
        r.body.contains("Suwon lagi mencatat")
    });
}

#[cfg(unix)]
#[test]
fn a_browser_leaving_does_not_matter_and_interrupt_stops_the_server() {
    let site = common::site_copy();
    let mut s = Served::start(site.path());
    drop(s.events(PAGE, "1"));
    let mut half = TcpStream::connect(s.addr).expect("connect");
    write!(half, "GET /index.html HTTP/1.1\r\nHost: x\r\n").expect("send");
    drop(half);
    edit(site.path(), ENTRY, |t| {
        t.replace("Suwon mencatat", "Suwon masih mencatat")
    });
    s.wait_for("the edit", &format!("/{PAGE}"), |r| {
        r.body.contains("Suwon masih mencatat")
    });
    let pid = s.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(sent.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = s.child.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < LIMIT, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit {status}\n{}", s.log());
    assert!(s.log().contains("stopped"));
}
