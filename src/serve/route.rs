//! From a request's target to a path of the site, refusing anything that tries to leave
//! it, and the content type of each kind of file the site has.

/// A request target, decoded: segments of the site's tree, and whether it named a
/// folder (ended with `/`).
#[derive(Debug, PartialEq, Eq)]
pub struct Target {
    pub path: String,
    pub folder: bool,
    /// The raw path as asked for, still percent-encoded, for redirects.
    pub raw: String,
    pub query: String,
}

/// Why a target is refused; each maps to a status.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not a path from the root, a broken `%` escape, a NUL or a backslash: 400.
    Malformed,
    /// `.` or `..` segments, encoded or not: 403.
    Traversal,
}

/// Decodes `target` (as in the request line) into a path inside the site.
pub fn parse(target: &str) -> Result<Target, Refused> {
    let (before_fragment, _) = target.split_once('#').unwrap_or((target, ""));
    let (raw, query) = before_fragment
        .split_once('?')
        .unwrap_or((before_fragment, ""));
    if !raw.starts_with('/') || raw.contains('\\') {
        return Err(Refused::Malformed);
    }
    let decoded = percent_decode(raw).ok_or(Refused::Malformed)?;
    if decoded.contains(['\0', '\\']) {
        return Err(Refused::Malformed);
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Err(Refused::Traversal),
            s => segments.push(s),
        }
    }
    Ok(Target {
        path: segments.join("/"),
        folder: decoded.ends_with('/'),
        raw: raw.to_string(),
        query: query.to_string(),
    })
}

/// `%XX` escapes to bytes, which must then be UTF-8; `None` for a broken escape.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The value of `name` in a query string (`a=1&b=2`), decoded; `+` is a space.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| percent_decode(&v.replace('+', " ")))
}

/// The content type for a file of the site, by its extension.
pub fn mime(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "rss" => "application/rss+xml",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "bib" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_files_are_told_apart_and_queries_dropped() {
        let t = parse("/en/fields/?x=1#top").unwrap();
        assert_eq!((t.path.as_str(), t.folder), ("en/fields", true));
        assert_eq!(t.query, "x=1");
        let t = parse("/").unwrap();
        assert_eq!((t.path.as_str(), t.folder), ("", true));
        let t = parse("/caf%C3%A9.html").unwrap();
        assert_eq!(t.path, "café.html");
    }

    #[test]
    fn every_way_out_of_the_site_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc%2fpasswd",
            "/./index.html",
        ] {
            assert_eq!(parse(bad), Err(Refused::Traversal), "{bad}");
        }
        for bad in [
            "etc/passwd",
            "http://example.org/",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00.html",
            "/%zz",
            "/%e2%28",
            "*",
        ] {
            assert_eq!(parse(bad), Err(Refused::Malformed), "{bad}");
        }
        // Doubled slashes name no absolute path: they collapse into the site.
        assert_eq!(parse("//etc/passwd").unwrap().path, "etc/passwd");
    }

    #[test]
    fn types_follow_extensions() {
        assert_eq!(mime("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(mime("data/x.geojson"), "application/geo+json");
        assert_eq!(mime("fonts/a.woff2"), "font/woff2");
        assert_eq!(mime("noext"), "application/octet-stream");
    }
}
