//! Where each page lives in the output, as paths relative to the site root. Pages link
//! with `root` + these paths, so the site works under any sub-path and from `file://`.

use crate::model::{Confidence, CountryCode, FieldId, Kind, PartnerId, Slug, Status};

pub fn partnership(slug: &Slug) -> String {
    format!("partnerships/{slug}.html")
}
pub fn partnership_json(slug: &Slug) -> String {
    format!("partnerships/{slug}.json")
}
pub fn region(slug: &Slug) -> String {
    format!("regions/{slug}.html")
}
pub fn partner(id: &PartnerId) -> String {
    format!("partners/{}/{}.html", id.country, id.slug)
}
pub fn field(id: &FieldId) -> String {
    format!("fields/{}.html", id.as_str())
}
pub fn country(code: &CountryCode) -> String {
    format!("countries/{code}.html")
}
pub fn province(slug: &Slug) -> String {
    format!("provinces/{slug}.html")
}
pub fn year(year: Option<u16>) -> String {
    match year {
        Some(y) => format!("years/{y}.html"),
        None => "years/unknown.html".into(),
    }
}
pub fn kind(k: Kind) -> String {
    format!("kinds/{k}.html")
}
pub fn status(s: Status) -> String {
    format!("statuses/{s}.html")
}
pub fn confidence(c: Confidence) -> String {
    format!("confidence/{c}.html")
}
pub fn page(slug: &Slug) -> String {
    format!("pages/{slug}.html")
}

/// `../` once per folder between a page and the site root.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Whether a link leaves the site: it names a scheme (`https:`, `mailto:`) or a host
/// (`//host/…`). Everything else is a path within the site, relative to its page.
pub fn is_external(t: &str) -> bool {
    t.starts_with("//")
        || memchr::memchr(b':', t.as_bytes()).is_some_and(|i| {
            t.as_bytes()[..i]
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'.' || c == b'-')
        })
}
