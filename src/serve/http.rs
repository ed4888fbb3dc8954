//! Answers HTTP requests from the site in memory: files by path, `index.html` for
//! folders, the site's own 404 page, the live-reload script added to HTML pages as they
//! are sent, and the event stream handed to the live-reload hub.

use super::live::{self, Hub};
use super::overlay::escape;
use super::route::{self, Refused, Target};
use super::site::Site;
use std::sync::Arc;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// The page a host shows for a missing file; the site has one at its root.
pub const NOT_FOUND_PAGE: &str = "404.html";

/// One answer, before it is sent.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Reply {
    fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: text.as_bytes().to_vec(),
            location: None,
        }
    }
}

/// Answers `request`. Errors sending are the browser's leaving, and end only this
/// request.
pub fn handle(request: Request, site: Arc<Site>, hub: &Hub) {
    let head = match request.method() {
        Method::Get => false,
        Method::Head => true,
        _ => {
            let reply = Reply::text(405, "kembar serve answers GET and HEAD only\n");
            send(request, reply);
            return;
        }
    };
    let target = match route::parse(request.url()) {
        Ok(t) => t,
        Err(Refused::Malformed) => return send(request, Reply::text(400, "bad path\n")),
        Err(Refused::Traversal) => {
            return send(request, Reply::text(403, "outside the site\n"));
        }
    };
    if !head && format!("/{}", target.path) == live::EVENTS_PATH {
        let page = route::query_value(&target.query, "page").unwrap_or_default();
        let generation =
            route::query_value(&target.query, "generation").and_then(|g| g.parse().ok());
        hub.join(request.into_writer(), page, generation);
        return;
    }
    send(request, answer(&target, &site, hub));
}

fn answer(target: &Target, site: &Site, hub: &Hub) -> Reply {
    if format!("/{}", target.path) == live::SCRIPT_PATH {
        return Reply {
            status: 200,
            content_type: route::mime(live::SCRIPT_PATH),
            body: live::SCRIPT.as_bytes().to_vec(),
            location: None,
        };
    }
    let path = match (target.folder, target.path.as_str()) {
        (true, "") => "index.html".to_string(),
        (true, p) => format!("{p}/index.html"),
        (false, p) => p.to_string(),
    };
    if site.is_empty() && hub.has_overlay() {
        return page(503, &path, NO_SITE.as_bytes(), site.generation);
    }
    if let Some(bytes) = site.get(&path) {
        return file(&path, bytes, site.generation);
    }
    // A browser asks for an icon when a page names none; a site without one should not
    // fill the console with 404s while it is being edited.
    if path == "favicon.ico" {
        return Reply::text(204, "");
    }
    // A folder asked for without its slash: the browser must see the slash, or the
    // page's relative links resolve one level too high.
    if !target.folder && site.contains(&format!("{path}/index.html")) {
        let query = if target.query.is_empty() {
            String::new()
        } else {
            format!("?{}", target.query)
        };
        let mut reply = Reply::text(301, "moved\n");
        reply.location = Some(format!("{}/{query}", target.raw));
        return reply;
    }
    match site.get(NOT_FOUND_PAGE) {
        Some(bytes) => page(404, &path, bytes, site.generation),
        None => Reply::text(404, "not found\n"),
    }
}

const NO_SITE: &str = "<!doctype html><html><head><meta charset=\"utf-8\">\
<title>kembar serve</title></head><body><p>The site has errors and has not been built \
yet.</p></body></html>";

fn file(path: &str, bytes: &[u8], generation: u64) -> Reply {
    let content_type = route::mime(path);
    if content_type.starts_with("text/html") {
        return page(200, path, bytes, generation);
    }
    Reply {
        status: 200,
        content_type,
        body: bytes.to_vec(),
        location: None,
    }
}

/// An HTML page with the live-reload script added before `</body>`, told which path it
/// was asked for and from which build.
fn page(status: u16, path: &str, html: &[u8], generation: u64) -> Reply {
    let script = format!(
        "<script src=\"{}\" data-page=\"{}\" data-generation=\"{generation}\"></script>",
        live::SCRIPT_PATH,
        escape(path)
    );
    let at = memchr::memmem::rfind(html, b"</body>")
        .or_else(|| memchr::memmem::rfind(html, b"</BODY>"))
        .unwrap_or(html.len());
    let mut body = Vec::with_capacity(html.len() + script.len());
    body.extend_from_slice(&html[..at]);
    body.extend_from_slice(script.as_bytes());
    body.extend_from_slice(&html[at..]);
    Reply {
        status,
        content_type: "text/html; charset=utf-8",
        body,
        location: None,
    }
}

fn send(request: Request, reply: Reply) {
    let mut headers: Vec<Header> = [
        ("Content-Type", reply.content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    .iter()
    .filter_map(|(k, v)| Header::from_bytes(k.as_bytes(), v.as_bytes()).ok())
    .collect();
    if let Some(to) = &reply.location {
        headers.extend(Header::from_bytes(&b"Location"[..], to.as_bytes()).ok());
    }
    // tiny_http leaves out the body of an answer to HEAD itself.
    let len = reply.body.len();
    let response = Response::new(
        StatusCode(reply.status),
        headers,
        std::io::Cursor::new(reply.body),
        Some(len),
        None,
    );
    // A browser that closed the connection has nothing left to be told.
    let _ = request.respond(response);
}
