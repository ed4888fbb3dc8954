//! Live reload over Server-Sent Events: the open pages' event streams, and what each
//! is told when a rebuild succeeds (`reload`, if the page it shows changed; `clear`)
//! or fails (`overlay`, with the diagnostics). A page that connects late is told at
//! once what it missed.

use super::site::{Changes, Site};
use std::io::Write;
use std::sync::Mutex;

/// The script the server adds to every HTML page it serves.
pub const SCRIPT: &str = include_str!("live.js");
pub const SCRIPT_PATH: &str = "/__kembar/live.js";
pub const EVENTS_PATH: &str = "/__kembar/events";

/// The open event streams and the state they are kept in step with.
#[derive(Default)]
pub struct Hub {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    clients: Vec<Client>,
    /// The generation of the site being served.
    generation: u64,
    /// The overlay of the last rebuild, if it failed.
    overlay: Option<String>,
}

struct Client {
    /// The site path the page was served for.
    page: String,
    out: Box<dyn Write + Send>,
}

impl Client {
    /// Sends one event; `false` once the browser has gone.
    fn send(&mut self, event: &str, data: &str) -> bool {
        let text = format!("event: {event}\ndata: {data}\n\n");
        self.out.write_all(text.as_bytes()).is_ok() && self.out.flush().is_ok()
    }
}

impl Hub {
    /// Takes over the connection of a request for the event stream. `generation` is
    /// the one the page was served from: if the site moved on since, it reloads now.
    pub fn join(&self, mut out: Box<dyn Write + Send>, page: String, generation: Option<u64>) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                    Cache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n";
        if out.write_all(head.as_bytes()).is_err() || out.flush().is_err() {
            return;
        }
        let mut inner = self.lock();
        let mut client = Client { page, out };
        let stale = generation.is_some_and(|g| g != inner.generation) && inner.overlay.is_none();
        let alive = match &inner.overlay {
            Some(html) => client.send("overlay", &json_string(html)),
            None if stale => client.send("reload", &inner.generation.to_string()),
            None => true,
        };
        if alive {
            inner.clients.push(client);
        }
    }

    /// A rebuild succeeded: `site` is served now. Pages it changed reload; any overlay
    /// goes away.
    pub fn published(&self, site: &Site, changes: &Changes) {
        let mut inner = self.lock();
        let had_overlay = inner.overlay.take().is_some();
        inner.generation = site.generation;
        let generation = site.generation.to_string();
        inner.clients.retain_mut(|c| {
            let cleared = !had_overlay || c.send("clear", "{}");
            let reloaded = !changes.affect(&c.page, site) || c.send("reload", &generation);
            cleared && reloaded
        });
    }

    /// A rebuild failed: the last good site stays, and every page shows `overlay`.
    pub fn failed(&self, overlay: String) {
        let mut inner = self.lock();
        let data = json_string(&overlay);
        inner.clients.retain_mut(|c| c.send("overlay", &data));
        inner.overlay = Some(overlay);
    }

    /// Whether a rebuild has failed since the last good one.
    pub fn has_overlay(&self) -> bool {
        self.lock().overlay.is_some()
    }

    /// A comment every so often finds the browsers that left without a word.
    pub fn ping(&self) {
        let mut inner = self.lock();
        inner
            .clients
            .retain_mut(|c| c.out.write_all(b": ping\n\n").is_ok() && c.out.flush().is_ok());
    }

    /// Ends every stream, for a clean stop.
    pub fn close(&self) {
        self.lock().clients.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `text` as one JSON string: an event's data must be a single line.
fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}
