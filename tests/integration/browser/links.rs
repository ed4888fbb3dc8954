//! Following every internal link of the page shown: each linked page is requested by
//! the page itself (so through the browser, from the sub-path), must answer 200 and,
//! if HTML, have a `<main>`; a link's `#fragment` must name an element of its target.

use super::chrome::Page;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Report {
    /// How many distinct pages (addresses without fragment) were requested.
    pub checked: usize,
    pub problems: Vec<String>,
}

/// Checks the links of the page shown.
pub fn check(page: &Page) -> Report {
    page.value(SCRIPT)
}

/// Runs in the page. Links to other origins are left alone (no network in tests); a
/// fragment with `=` is the explorer's filter state, not an anchor. Requests go eight
/// at a time, to stay quick without flooding the little test server.
const SCRIPT: &str = r#"(async () => {
  const here = location.href.split('#')[0];
  const targets = new Map();
  for (const a of document.querySelectorAll('a[href]')) {
    const url = new URL(a.getAttribute('href'), document.baseURI);
    if (url.origin !== location.origin) continue;
    const target = url.href.split('#')[0];
    if (!targets.has(target)) targets.set(target, new Set());
    const fragment = decodeURIComponent(url.hash.slice(1));
    if (fragment && !fragment.includes('=')) targets.get(target).add(fragment);
  }
  const problems = [];
  const load = async (target) => {
    if (target === here) return document;
    const response = await fetch(target, { signal: AbortSignal.timeout(15000) });
    if (response.status !== 200) {
      problems.push(`${target}: HTTP ${response.status}`);
      return null;
    }
    if (!(response.headers.get('content-type') || '').startsWith('text/html')) return null;
    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    if (!doc.querySelector('main')) problems.push(`${target}: no <main>`);
    return doc;
  };
  const visit = async ([target, fragments]) => {
    let doc;
    try {
      doc = await load(target);
    } catch (e) {
      problems.push(`${target}: ${e}`);
      return;
    }
    for (const id of fragments) {
      if (doc && !doc.getElementById(id)) problems.push(`${target}#${id}: no element with that id`);
    }
  };
  const all = [...targets];
  for (let i = 0; i < all.length; i += 8) await Promise.all(all.slice(i, i + 8).map(visit));
  return { checked: all.length, problems };
})()"#;
