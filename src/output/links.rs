//! Checks that every internal link and asset reference of every page resolves, with
//! its `#fragment`, relative to the page it is on. Pages are checked one at a time as
//! they are rendered (so the site never has to be in memory at once); only links to a
//! fragment of another page wait until every page's ids are known.

use super::PerThread;
use crate::diag::{Diagnostic, Diagnostics};
use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

/// The paths of every file the site will have, as their 64-bit xxh3 hashes, like the
/// pages' ids: a link is looked up in a table a fifth the size of one of paths, and
/// without following a pointer to the path's text (at N = 50,000 the table of paths
/// was out of cache, and compared every match). A broken link passes only if its
/// path's hash equals another path's: about one chance in 10^13 for a site of a
/// million files.
pub struct Checker {
    known: HashSet<u64, BuildHasherDefault<Prehashed>>,
    /// Links already found good, with nothing left to check (no fragment), as 128-bit
    /// hashes of the linking page's folder and the link: every page of a folder has
    /// the same header, footer and many of the same links, and resolving a link took
    /// about ten times as long as looking it up here (callgrind). One set per thread
    /// of the pool, and one for any other thread, so that no thread waits on a lock.
    good: PerThread<Mutex<HashSet<u128, BuildHasherDefault<Prehashed>>>>,
}

fn path_key(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes())
}

/// One-shot xxh3 for the set of the site's paths, which every link of every page asks:
/// SipHash's defence against chosen keys buys nothing for paths the site makes itself.
#[derive(Default)]
struct PathHasher(u64);

impl Hasher for PathHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The set of every page's ids holds hashes already: they are used as they are.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// What checking one page found.
#[derive(Default)]
pub struct PageLinks {
    /// The page's `id`s, hashed with its path: enough to answer "is `#x` on `p`?".
    ids: Vec<u64>,
    problems: Vec<Diagnostic>,
    /// Links to a fragment of another page: (page, target as written, resolved, fragment).
    elsewhere: Vec<(String, String, String, String)>,
}

/// An id's hash, seeded with its page's path's hash ([`path_key`]): the same on every
/// run and thread, and a pair of short hashes, not SipHash over both texts (a page has
/// dozens of ids).
fn id_key(page_key: u64, id: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(id, page_key)
}

/// An attribute's value as text (pages are UTF-8; anything else is shown replaced).
fn text(value: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(value)
}

/// `target` on `page` names `#fragment`, which no element of `on` has as its id.
fn no_fragment(page: &str, target: &str, fragment: &str, on: &str) -> Diagnostic {
    let problem = format!("points to `#{fragment}`, which is not on `{on}`");
    broken(page, target, &problem)
}

fn broken(page: &str, target: &str, problem: &str) -> Diagnostic {
    Diagnostic::error(format!("broken link in `{page}`: `{target}` {problem}"))
        .help("a theme template or an entry links to a page that is not built; fix the link")
}

impl Checker {
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a str>) -> Checker {
        Checker {
            known: paths.into_iter().map(path_key).collect(),
            good: PerThread::new(|_| Mutex::default()),
        }
    }

    /// Checks a page's links; `html` is its bytes as written. Values are compared and
    /// hashed as bytes; only a link that has to be resolved is read as text.
    pub fn page(&self, page: &str, html: &[u8]) -> PageLinks {
        let (mut ids, mut targets) = (Vec::new(), Vec::new());
        for (which, value) in scan(html, &["id", "href", "src"]) {
            if which == 0 {
                ids.push(value);
            } else {
                targets.push(value);
            }
        }
        let mut found = PageLinks {
            ids: {
                let page_key = path_key(page);
                ids.iter().map(|id| id_key(page_key, id)).collect()
            },
            ..PageLinks::default()
        };
        // The 404 page is served at any depth, so it links absolutely from the base URL.
        if page == "404.html" {
            return found;
        }
        let own: HashSet<&[u8], BuildHasherDefault<PathHasher>> =
            ids.iter().map(|id| &**id).collect();
        let folder = rfind(page, b'/').map_or("", |i| &page[..i]);
        let folder_seed = xxhash_rust::xxh3::xxh3_64(folder.as_bytes());
        let mut good = self.good.get().lock().unwrap_or_else(|e| e.into_inner());
        // A list page links to the same region or country once per line: each target
        // is resolved, and reported, once per page.
        let mut seen: HashSet<&[u8], BuildHasherDefault<PathHasher>> =
            HashSet::with_capacity_and_hasher(targets.len(), Default::default());
        for target in &targets {
            let target: &[u8] = target;
            // A fragment of the page itself (the skip link's `#main`, every citation's
            // `#source-…`) needs only the page's own ids: resolving it built and hashed
            // the page's path again, for links every page has.
            if let Some(fragment) = target.strip_prefix(b"#") {
                let anchor = !fragment.is_empty() && memchr::memchr(b'=', fragment).is_none();
                if anchor
                    && page.ends_with(".html")
                    && seen.insert(target)
                    && !own.contains(fragment)
                {
                    let (target, fragment) = (text(target), text(fragment));
                    found
                        .problems
                        .push(no_fragment(page, &target, &fragment, page));
                }
                continue;
            }
            let key = xxhash_rust::xxh3::xxh3_128_with_seed(target, folder_seed);
            if good.contains(&key) || !seen.insert(target) {
                continue;
            }
            let target = text(target);
            let target = &*target;
            match self.resolve(page, target) {
                Err(problem) => found.problems.push(broken(page, target, &problem)),
                Ok(None) => {
                    good.insert(key);
                }
                Ok(Some((resolved, fragment))) if resolved == page => {
                    if !own.contains(fragment.as_bytes()) {
                        found
                            .problems
                            .push(no_fragment(page, target, &fragment, &resolved));
                    }
                }
                Ok(Some((resolved, fragment))) => {
                    found
                        .elsewhere
                        .push((page.to_string(), target.to_string(), resolved, fragment))
                }
            }
        }
        found
    }

    /// Problems with the pages a fragment of HTML links to, leaving `#fragments` aside:
    /// for text that is only part of its page.
    pub fn paths_only(&self, page: &str, html: &str) -> Vec<Diagnostic> {
        scan(html.as_bytes(), &["href", "src"])
            .into_iter()
            .filter_map(|(_, target)| {
                let target = text(&target);
                let problem = self.resolve(page, &target).err()?;
                Some(broken(page, &target, &problem))
            })
            .collect()
    }

    /// Reports what the pages found, with the fragments of other pages now checkable.
    pub fn finish<'p>(pages: impl Iterator<Item = &'p PageLinks> + Clone, diags: &mut Diagnostics) {
        let count = pages.clone().map(|p| p.ids.len()).sum();
        let mut ids: HashSet<u64, BuildHasherDefault<Prehashed>> =
            HashSet::with_capacity_and_hasher(count, Default::default());
        ids.extend(pages.clone().flat_map(|p| p.ids.iter().copied()));
        for p in pages {
            for d in &p.problems {
                diags.push(d.clone());
            }
            for (page, target, resolved, fragment) in &p.elsewhere {
                if !ids.contains(&id_key(path_key(resolved), fragment.as_bytes())) {
                    diags.push(no_fragment(page, target, fragment, resolved));
                }
            }
        }
    }

    /// `Ok(Some((page, fragment)))` when the target exists and names a fragment to check.
    fn resolve(&self, page: &str, target: &str) -> Result<Option<(String, String)>, String> {
        if target.is_empty() || crate::urls::is_external(target) {
            return Ok(None);
        }
        if target.starts_with('/') {
            return Err("is absolute, so it breaks when the site is published under a sub-path or opened from a folder".into());
        }
        let (path_part, fragment) = match find(target, b'#') {
            Some(i) => (&target[..i], Some(&target[i + 1..])),
            None => (target, None),
        };
        let path_part = &path_part[..find(path_part, b'?').unwrap_or(path_part.len())];
        let resolved = if path_part.is_empty() {
            Some(page.to_string())
        } else {
            join(page, path_part)
        };
        let Some(mut resolved) = resolved else {
            return Err("points above the site root".into());
        };
        if resolved.is_empty() || resolved.ends_with('/') {
            resolved.push_str("index.html");
        }
        if !self.known.contains(&path_key(&resolved)) {
            return Err(format!("points to `{resolved}`, which does not exist"));
        }
        // A fragment with `=` is a page's state (the explorer's filters), not an anchor.
        Ok(fragment
            .filter(|f| !f.is_empty() && !f.contains('=') && resolved.ends_with(".html"))
            .map(|f| (resolved, f.to_string())))
    }
}

/// Checks a whole site held in memory.
#[cfg(test)]
fn check(files: &std::collections::BTreeMap<String, Vec<u8>>, diags: &mut Diagnostics) {
    let checker = Checker::new(files.keys().map(String::as_str));
    let pages: Vec<PageLinks> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| checker.page(p, bytes))
        .collect();
    Checker::finish(pages.iter(), diags);
}

/// The first `b` in `s`. `str::find` with a `char` sets up a searcher for every call,
/// which on short links cost more than the search: resolving links was a tenth of a
/// build, most of it in those searches (callgrind).
fn find(s: &str, b: u8) -> Option<usize> {
    memchr::memchr(b, s.as_bytes())
}

/// The last `b` in `s` (see [`find`]).
fn rfind(s: &str, b: u8) -> Option<usize> {
    memchr::memrchr(b, s.as_bytes())
}

/// `page`'s folder joined with a relative path, `..` resolved; `None` above the root.
fn join(page: &str, rel: &str) -> Option<String> {
    // Nearly every link a theme writes is some `../` and then a plain path: that is
    // resolved by cutting folders off the page's path, without splitting either.
    let mut up = 0;
    let mut rest = rel;
    while let Some(r) = rest.strip_prefix("../") {
        up += 1;
        rest = r;
    }
    let plain = |s: &[u8]| !s.is_empty() && s != b"." && s != b"..";
    if !rest.is_empty() && rest.as_bytes().split(|&b| b == b'/').all(plain) {
        let mut dir = rfind(page, b'/').map_or("", |i| &page[..i]);
        for _ in 0..up {
            if dir.is_empty() {
                return None;
            }
            dir = rfind(dir, b'/').map_or("", |i| &dir[..i]);
        }
        let mut out = String::with_capacity(dir.len() + 1 + rest.len());
        if !dir.is_empty() {
            out.push_str(dir);
            out.push('/');
        }
        out.push_str(rest);
        return Some(out);
    }
    join_segments(page, rel)
}

/// `join` for any relative path, one segment at a time.
fn join_segments(page: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if rel.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Values of `name="…"` attributes for any of `names`, each with the index of its name,
/// HTML entities for `&` undone. One pass per page: every `=` is looked at once. The
/// page is read as bytes (a page is not decoded as a whole), its values as text.
fn scan<'h>(bytes: &'h [u8], names: &[&str]) -> Vec<(usize, Cow<'h, [u8]>)> {
    let mut out = Vec::new();
    // The last letters of the names: most `=` (class, width, viewBox…) end no name,
    // and are passed over on their last letter alone.
    let lasts: Vec<u8> = names.iter().filter_map(|n| n.bytes().last()).collect();
    let mut at = 0;
    // memchr: this scan reads every byte the site writes (gigabytes for a big atlas).
    while let Some(i) = memchr::memchr(b'=', &bytes[at..]).map(|i| at + i) {
        at = i + 1;
        let Some(&quote) = bytes.get(i + 1).filter(|&&q| q == b'"' || q == b'\'') else {
            continue;
        };
        let before = &bytes[..i];
        if !before.last().is_some_and(|b| lasts.contains(b)) {
            continue;
        }
        let Some(which) = names.iter().position(|name| {
            before.ends_with(name.as_bytes())
                && before.len() > name.len()
                && before[before.len() - name.len() - 1] == b' '
        }) else {
            continue;
        };
        let start = i + 2;
        let Some(len) = memchr::memchr(quote, &bytes[start..]) else {
            break;
        };
        let raw = &bytes[start..start + len];
        let value = if memchr::memchr(b'&', raw).is_some() {
            Cow::Owned(
                text(raw)
                    .replace("&amp;", "&")
                    .replace("&#x2f;", "/")
                    .replace("&#x2F;", "/")
                    .into_bytes(),
            )
        } else {
            Cow::Borrowed(raw)
        };
        out.push((which, value));
        at = start + len + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pages
            .iter()
            .map(|(p, h)| (p.to_string(), h.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn the_quick_join_agrees_with_the_general_one() {
        let pages = ["index.html", "a/b.html", "a/b/c.html", "en/a/b.html"];
        let rels = [
            "x.html",
            "../x.html",
            "../../x.html",
            "../../../x.html",
            "../",
            "./x.html",
            "a/../x.html",
            "a//x.html",
            "x/",
            "..",
            ".",
            "../a/b/",
            "a/./b.html",
            "../a/b.html",
            "static/site.css",
        ];
        for page in pages {
            for rel in rels {
                assert_eq!(join(page, rel), join_segments(page, rel), "{page} + {rel}");
            }
        }
    }

    #[test]
    fn relative_links_resolve_from_their_page() {
        let files = site(&[
            ("a/b.html", "<a href=\"../c.html#x\">"),
            ("c.html", "<p id=\"x\">"),
            (
                "index.html",
                "<a href=\"a/b.html\"> <a href=\"https://e.org\">",
            ),
        ]);
        let mut d = Diagnostics::new();
        check(&files, &mut d);
        assert!(d.is_empty());
    }

    #[test]
    fn a_fragment_of_the_page_itself_is_checked_against_its_own_ids() {
        let checker = Checker::new(["a/x.html"]);
        let html = "<p id=\"main\"><a href=\"#main\"><a href=\"#\"><a href=\"#field=sea\">";
        assert!(
            checker
                .page("a/x.html", html.as_bytes())
                .problems
                .is_empty()
        );
        let missing = checker.page("a/x.html", b"<a href=\"#gone\"><a href=\"#gone\">");
        assert_eq!(missing.problems.len(), 1, "reported once per page");
        assert!(
            missing.problems[0]
                .message
                .contains("`#gone`, which is not on `a/x.html`")
        );
    }

    #[test]
    fn a_link_found_good_from_one_folder_is_checked_again_from_another() {
        let checker = Checker::new(["a/x.html", "a/y.html", "c.html", "b/d/z.html"]);
        let link = b"<a href=\"../c.html\">";
        assert!(checker.page("a/x.html", link).problems.is_empty());
        assert!(checker.page("a/y.html", link).problems.is_empty());
        // From `b/d/`, the same text points to `b/c.html`, which does not exist.
        let from_elsewhere = checker.page("b/d/z.html", link);
        assert_eq!(from_elsewhere.problems.len(), 1);
        assert!(from_elsewhere.problems[0].message.contains("`b/c.html`"));
        // A broken link is not remembered as good: every page with it is told.
        assert_eq!(checker.page("b/d/z.html", link).problems.len(), 1);
    }

    #[test]
    fn missing_pages_fragments_and_absolute_links_are_errors() {
        let files = site(&[(
            "index.html",
            "<a href=\"nope.html\"><a href=\"#gone\"><link href=\"/style.css\"><a href=\"../up.html\">\
             <a href=\"nope.html\">",
        )]);
        let mut d = Diagnostics::new();
        check(&files, &mut d);
        let msgs: Vec<String> = d.iter().map(|d| d.message.clone()).collect();
        // The second link to `nope.html` is the same mistake: reported once.
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(msgs[0].contains("`nope.html`, which does not exist"));
        assert!(msgs[1].contains("`#gone`"));
        assert!(msgs[2].contains("absolute"));
        assert!(msgs[3].contains("above the site root"));
    }
}
