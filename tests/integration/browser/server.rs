//! A small static file server for the built atlas, on 127.0.0.1 at a free port, that
//! publishes it under the sub-path `/atlas/` — as on a project page of a forge — so
//! that a link written as if the site sat at the domain root fails here as it would
//! there. It records every request it could not answer, so a test can assert that
//! nothing the pages asked for was missing.
//!
//! It is built on `std::net` alone, one thread and one connection per request
//! (`Connection: close`). `tiny_http` 0.12 was tried first and stalled: its pool of
//! connection threads can queue a new connection behind long-lived keep-alive ones
//! when Chromium opens several at once, and that request then waits until some
//! connection closes — seconds to minutes.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The sub-path the site is served under.
pub const PREFIX: &str = "/atlas/";

pub struct Server {
    port: u16,
    missing: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `root` until dropped.
    pub fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let missing = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::spawn({
            let (missing, stop, root) = (Arc::clone(&missing), Arc::clone(&stop), root.to_owned());
            move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (root, missing) = (root.clone(), Arc::clone(&missing));
                    std::thread::spawn(move || serve(stream, &root, &missing));
                }
            }
        });
        Server {
            port,
            missing,
            stop,
            thread: Some(thread),
        }
    }

    /// The address of `path` (relative to the site root, may carry `?…` or `#…`).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{PREFIX}{path}", self.port)
    }

    /// Every path requested so far that had no file, in order.
    pub fn missing(&self) -> Vec<String> {
        self.missing.lock().expect("missing list").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The accept loop sees the flag on its next connection: make one.
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers the one request of a connection. A client that vanishes midway is not the
/// site's fault, so write errors are ignored.
fn serve(stream: TcpStream, root: &Path, missing: &Mutex<Vec<String>>) {
    // A connection opened only to wake the accept loop sends nothing.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((method, target)) = read_request(&stream) else {
        return;
    };
    let (status, mime, body) = if target == "/favicon.ico" {
        // A browser asks the host's root for an icon when a page names none. That root
        // is not the site's (it lives under PREFIX): answer with nothing.
        (204, "", Vec::new())
    } else if let Some((mime, body)) = file_for(root, &target).and_then(read) {
        (200, mime, body)
    } else {
        missing.lock().expect("missing list").push(target);
        (404, "text/plain; charset=utf-8", b"not found".to_vec())
    };
    let reason = match status {
        200 => "OK",
        204 => "No Content",
        _ => "Not Found",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\n");
    if status != 204 {
        head += &format!("Content-Type: {mime}\r\nContent-Length: {}\r\n", body.len());
    }
    head += "\r\n";
    let mut out = &stream;
    let _ = out.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = out.write_all(&body);
    }
    let _ = out.flush();
}

/// The method and target of the request on `stream`, its headers read and ignored.
fn read_request(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut words = line.split_whitespace();
    let (method, target) = (words.next()?.to_owned(), words.next()?.to_owned());
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 || line.trim_end().is_empty() {
            return Some((method, target));
        }
    }
}

/// The file a request target names: under [`PREFIX`], percent-decoded, never outside
/// `root`; a folder stands for its `index.html`.
fn file_for(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let rel = percent_decode(path.strip_prefix(PREFIX)?)?;
    let rel = Path::new(&rel);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = root.join(rel);
    Some(if file.is_dir() {
        file.join("index.html")
    } else {
        file
    })
}

fn read(file: PathBuf) -> Option<(&'static str, Vec<u8>)> {
    let body = std::fs::read(&file).ok()?;
    Some((content_type(&file), body))
}

fn percent_decode(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut rest = s.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "png" => "image/png",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
