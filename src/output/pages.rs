//! The list of pages to render: for each, its path, template and context.

use crate::config::Config;
use crate::index::{self, Indexes};
use crate::model::*;
use crate::render::view::{self, Link, Term};
use crate::urls;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub struct Job {
    pub path: String,
    pub template: &'static str,
    pub context: Value,
}

struct Ctx<'a> {
    atlas: &'a Atlas,
    ix: &'a Indexes<'a>,
    config: &'a Config,
    strings: &'a Value,
    jobs: Vec<Job>,
}

impl Ctx<'_> {
    /// Adds a page; every page gets the site, the interface strings, its own path and
    /// `root`, the relative way back to the site root.
    fn page(&mut self, path: String, template: &'static str, mut context: Value) {
        let root = if path == "404.html" {
            self.config.base_url.clone()
        } else {
            urls::root_of(&path)
        };
        // Only a real absolute base URL makes a useful canonical link.
        let base = &self.config.base_url;
        let canonical = (base.starts_with("http://") || base.starts_with("https://"))
            .then(|| format!("{base}{}", path.strip_suffix("index.html").unwrap_or(&path)));
        if let Value::Object(m) = &mut context {
            m.insert("site".into(), json!({ "title": self.config.title, "description": self.config.description, "base_url": self.config.base_url, "lang": self.config.default_language }));
            m.insert("t".into(), self.strings.clone());
            m.insert("root".into(), json!(root));
            m.insert("path".into(), json!(path));
            m.insert("canonical".into(), json!(canonical));
        }
        self.jobs.push(Job {
            path,
            template,
            context,
        });
    }
}

pub fn jobs(atlas: &Atlas, ix: &Indexes, config: &Config, strings: &Value) -> Vec<Job> {
    let mut cx = Ctx {
        atlas,
        ix,
        config,
        strings,
        jobs: Vec::new(),
    };
    home(&mut cx);
    partnerships(&mut cx);
    regions(&mut cx);
    partners(&mut cx);
    taxonomies(&mut cx);
    for p in atlas.pages.values() {
        let body_en = p.en.as_ref().map(|t| t.body.html.clone());
        let sources = view::sources(&p.sources, view::cited(&p.body, p.en.as_ref()));
        let title_en = p.en.as_ref().and_then(|t| t.title.clone());
        cx.page(
            urls::page(&p.slug),
            "page.html",
            json!({ "title": p.title, "body": p.body.html, "title_en": title_en, "body_en": body_en, "sources": sources }),
        );
    }
    cx.page("404.html".into(), "404.html", json!({ "title": "404" }));
    feeds(&mut cx);
    cx.jobs
}

fn home(cx: &mut Ctx) {
    let recent = view::summaries(cx.atlas, &cx.ix.recent[..cx.ix.recent.len().min(10)]);
    let pages: Vec<Link> = cx
        .atlas
        .pages
        .values()
        .map(|p| Link {
            name: p.title.clone(),
            url: urls::page(&p.slug),
        })
        .collect();
    let kinds = terms(&cx.ix.by_kind, |k| {
        (
            label(cx.strings, &["kinds", k.as_str()]),
            urls::kind(*k),
            None,
        )
    });
    let statuses = terms(&cx.ix.by_status, |s| {
        (
            label(cx.strings, &["statuses", s.as_str()]),
            urls::status(*s),
            None,
        )
    });
    let context = json!({ "counts": view::counts(cx.atlas, cx.ix), "recent": recent, "pages": pages, "kinds": kinds, "statuses": statuses });
    cx.page("index.html".into(), "index.html", context);
}

fn partnerships(cx: &mut Ctx) {
    let all = view::summaries(cx.atlas, &cx.ix.all);
    cx.page(
        "partnerships/index.html".into(),
        "list.html",
        json!({ "items": all }),
    );
    for p in cx.atlas.partnerships.values() {
        let v = view::partnership(cx.atlas, p, cx.config.edit_url.as_deref());
        cx.page(
            urls::partnership(&p.slug),
            "partnership.html",
            json!({ "title": v.summary.title, "p": v }),
        );
    }
}

fn regions(cx: &mut Ctx) {
    let mut provinces: Vec<&Region> = cx
        .atlas
        .regions
        .values()
        .filter(|r| r.level == RegionLevel::Provinsi)
        .collect();
    provinces.sort_by_cached_key(|r| r.name.to_lowercase());
    let provinces: Vec<Value> = provinces
        .into_iter()
        .map(|prov| {
            let members: Vec<Value> = cx.ix.members.get(&prov.slug).into_iter().flatten().map(|r| json!({ "link": view::link_region(r), "level": r.level, "count": count(&cx.ix.by_region, &r.slug) })).collect();
            json!({ "link": view::link_region(prov), "count": count(&cx.ix.by_region, &prov.slug), "total": count(&cx.ix.by_province, &prov.slug), "members": members })
        })
        .collect();
    cx.page(
        "regions/index.html".into(),
        "regions.html",
        json!({ "provinces": provinces }),
    );
    for r in cx.atlas.regions.values() {
        let own = view::summaries(cx.atlas, group(&cx.ix.by_region, &r.slug));
        let members: Vec<Value> = cx
            .ix
            .members
            .get(&r.slug)
            .into_iter()
            .flatten()
            .map(|m| json!({ "link": view::link_region(m), "level": m.level, "items": view::summaries(cx.atlas, group(&cx.ix.by_region, &m.slug)) }))
            .collect();
        let province = r
            .province
            .as_ref()
            .and_then(|p| cx.atlas.regions.get(p))
            .map(view::link_region);
        let context = json!({
            "title": r.name, "name_en": r.name_en, "level": r.level, "province": province, "code": r.code,
            "coordinates": r.coordinates, "website": r.website, "wikidata": r.wikidata,
            "profile": r.body.html, "profile_en": r.en.as_ref().map(|t| t.body.html.clone()),
            "items": own, "members": members,
        });
        cx.page(urls::region(&r.slug), "region.html", context);
    }
}

fn partners(cx: &mut Ctx) {
    let mut by_country: BTreeMap<&CountryCode, Vec<Value>> = BTreeMap::new();
    for p in cx.atlas.partners.values() {
        by_country.entry(&p.id.country).or_default().push(
            json!({ "link": view::link_partner(p), "count": count(&cx.ix.by_partner, &p.id) }),
        );
    }
    let countries: Vec<Value> = by_country
        .into_iter()
        .map(|(c, ps)| json!({ "country": view::link_country(cx.atlas, c), "partners": ps }))
        .collect();
    cx.page(
        "partners/index.html".into(),
        "partners.html",
        json!({ "countries": countries }),
    );
    for p in cx.atlas.partners.values() {
        let items = view::summaries(cx.atlas, group(&cx.ix.by_partner, &p.id));
        let context = json!({
            "title": p.name, "name_local": p.name_local, "level": p.level, "country": view::link_country(cx.atlas, &p.id.country),
            "coordinates": p.coordinates, "website": p.website, "wikidata": p.wikidata,
            "profile": p.body.html, "profile_en": p.en.as_ref().map(|t| t.body.html.clone()), "items": items,
        });
        cx.page(urls::partner(&p.id), "partner.html", context);
    }
}

/// An interface string of the theme, or the last key when the theme lacks it.
fn label(strings: &Value, keys: &[&str]) -> String {
    let found = keys.iter().try_fold(strings, |v, k| v.get(k));
    found.and_then(Value::as_str).map_or_else(
        || keys.last().copied().unwrap_or("").to_string(),
        str::to_string,
    )
}

fn count<K: Ord + ?Sized>(m: &BTreeMap<&K, Vec<&Partnership>>, k: &K) -> usize {
    group(m, k).len()
}

/// The partnerships filed under `k`; none if it has no entry.
fn group<'m, 'a, K: Ord + ?Sized>(
    m: &'m BTreeMap<&K, Vec<&'a Partnership>>,
    k: &K,
) -> &'m [&'a Partnership] {
    m.get(k).map_or(&[], Vec::as_slice)
}

fn terms<K: Ord>(
    m: &BTreeMap<K, Vec<&Partnership>>,
    describe: impl Fn(&K) -> (String, String, Option<String>),
) -> Vec<Term> {
    m.iter()
        .map(|(k, v)| {
            let (name, url, description) = describe(k);
            Term {
                name,
                url,
                count: v.len(),
                description,
            }
        })
        .collect()
}

/// One index page and one page per term, for each way of grouping partnerships.
fn taxonomy<K: Ord>(
    cx: &mut Ctx,
    key: &str,
    groups: &BTreeMap<K, Vec<&Partnership>>,
    describe: impl Fn(&K) -> (String, String, Option<String>),
) {
    let mut list = terms(groups, &describe);
    // Named terms read best alphabetically; years, kinds and statuses keep their order.
    if matches!(key, "fields" | "countries" | "provinces") {
        list.sort_by_cached_key(|t| deunicode::deunicode(&t.name).to_lowercase());
    }
    cx.page(
        format!("{key}/index.html"),
        "taxonomy.html",
        json!({ "taxonomy": key, "terms": list }),
    );
    for (k, items) in groups {
        let (name, url, description) = describe(k);
        let context = json!({ "taxonomy": key, "title": name, "term": { "name": name, "description": description }, "items": view::summaries(cx.atlas, items) });
        cx.page(url, "term.html", context);
    }
}

fn taxonomies(cx: &mut Ctx) {
    let (atlas, ix) = (cx.atlas, cx.ix);
    // Every field has a page, also those no partnership names yet.
    let mut by_field: BTreeMap<&FieldId, Vec<&Partnership>> =
        atlas.fields.keys().map(|f| (f, Vec::new())).collect();
    for (k, v) in &ix.by_field {
        by_field.insert(k, v.clone());
    }
    taxonomy(cx, "fields", &by_field, |f| {
        let field = atlas.fields.get(*f);
        (
            field.map_or_else(|| f.as_str().to_string(), |x| x.name.clone()),
            urls::field(f),
            field.map(|x| x.description.clone()),
        )
    });
    // Every country with a partner has a page, also before any partnership is recorded.
    let mut by_country: BTreeMap<&CountryCode, Vec<&Partnership>> = atlas
        .partners
        .keys()
        .map(|p| (&p.country, Vec::new()))
        .collect();
    for (k, v) in &ix.by_country {
        by_country.insert(k, v.clone());
    }
    taxonomy(cx, "countries", &by_country, |c| {
        (view::link_country(atlas, c).name, urls::country(c), None)
    });
    taxonomy(cx, "provinces", &ix.by_province, |s| {
        (
            atlas
                .regions
                .get(*s)
                .map_or_else(|| s.to_string(), |r| r.name.clone()),
            urls::province(s),
            None,
        )
    });
    let strings = cx.strings;
    taxonomy(cx, "years", &ix.by_year, |y| {
        (
            y.map_or_else(|| label(strings, &["year_unknown"]), |y| y.to_string()),
            urls::year(*y),
            None,
        )
    });
    taxonomy(cx, "kinds", &ix.by_kind, |k| {
        (label(strings, &["kinds", k.as_str()]), urls::kind(*k), None)
    });
    taxonomy(cx, "statuses", &ix.by_status, |s| {
        (
            label(strings, &["statuses", s.as_str()]),
            urls::status(*s),
            None,
        )
    });
    taxonomy(cx, "confidence", &ix.by_confidence, |c| {
        (
            label(strings, &["confidence", c.as_str()]),
            urls::confidence(*c),
            Some(label(strings, &["confidence_help", c.as_str()])),
        )
    });
}

/// Sitemap, Atom feed and robots.txt, as templates so themes can change them.
fn feeds(cx: &mut Ctx) {
    let mut paths: Vec<String> = cx
        .jobs
        .iter()
        .map(|j| j.path.clone())
        .filter(|p| p != "404.html")
        .collect();
    paths.sort();
    let sitemap: Vec<String> = paths
        .iter()
        .map(|p| {
            format!(
                "{}{}",
                cx.config.base_url,
                p.strip_suffix("index.html").unwrap_or(p)
            )
        })
        .collect();
    cx.page(
        "sitemap.xml".into(),
        "sitemap.xml",
        json!({ "urls": sitemap }),
    );
    let mut entries: Vec<(String, Value)> = cx
        .ix
        .all
        .iter()
        .map(|p| {
            let updated = updated(p);
            let url = format!("{}{}", cx.config.base_url, urls::partnership(&p.slug));
            let summary: String = p.body.text.chars().take(280).collect();
            (updated.clone(), json!({ "title": index::title(cx.atlas, p), "url": url, "id": url, "updated": updated, "summary": summary }))
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    let feed_updated = entries
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.0.clone());
    let entries: Vec<Value> = entries.into_iter().map(|(_, e)| e).collect();
    cx.page("atom.xml".into(), "atom.xml", json!({ "updated": feed_updated, "entries": entries, "feed_url": format!("{}atom.xml", cx.config.base_url) }));
    cx.page(
        "robots.txt".into(),
        "robots.txt",
        json!({ "sitemap": format!("{}sitemap.xml", cx.config.base_url) }),
    );
}

/// The latest date an entry knows of, not the clock: builds stay byte-identical.
fn updated(p: &Partnership) -> String {
    let dates = p
        .last_verified
        .iter()
        .chain(p.signed.iter())
        .chain(p.events.iter().map(|e| &e.date))
        .chain(p.documents.iter().map(|d| &d.date));
    let latest = dates.max_by_key(|d| d.first_day());
    latest.map_or_else(
        || "1970-01-01T00:00:00Z".to_string(),
        |d| format!("{}T00:00:00Z", d.first_day()),
    )
}
