//! The list of pages to render, in every language: for each, its path, template and
//! context. Entry pages live here; index pages, the explorer, statistics and feeds in
//! their own modules.

use super::{explorer, feeds, maps, stats, terms};
use crate::config::Config;
use crate::index::Indexes;
use crate::lang::Lang;
use crate::map::WorldMap;
use crate::model::*;
use crate::render::view::{self, Link};
use crate::urls;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub struct Job {
    pub path: String,
    pub template: &'static str,
    pub context: Value,
}

/// What every page builder needs: the atlas, its indexes, and the language it writes.
pub(super) struct Ctx<'a> {
    pub atlas: &'a Atlas,
    pub ix: &'a Indexes<'a>,
    pub config: &'a Config,
    pub lang: Lang,
    pub strings: &'a Value,
    pub map: &'a WorldMap,
    pub jobs: Vec<Job>,
}

impl Ctx<'_> {
    /// Adds a page at `path` within the language's folder. Every page gets the site,
    /// the interface strings, `root` (the way back to its language's root, for links
    /// between pages), `asset_root` (the way back to the site root, for theme assets and
    /// data) and the same page in the other languages.
    pub fn page(&mut self, path: String, template: &'static str, mut context: Value) {
        let full = format!("{}{path}", self.lang.prefix());
        let asset_root = urls::root_of(&full);
        let alternates: Vec<Value> = self
            .config
            .languages
            .iter()
            .filter(|l| **l != self.lang)
            .map(|l| json!({ "lang": l, "url": format!("{asset_root}{}{path}", l.prefix()) }))
            .collect();
        if let Value::Object(m) = &mut context {
            m.insert("site".into(), self.site());
            m.insert("lang".into(), json!(self.lang));
            m.insert("t".into(), self.strings.clone());
            m.insert("root".into(), json!(urls::root_of(&path)));
            m.insert("asset_root".into(), json!(asset_root));
            m.insert("path".into(), json!(full));
            m.insert("canonical".into(), json!(canonical(self.config, &full)));
            m.insert("alternates".into(), json!(alternates));
        }
        self.jobs.push(Job {
            path: full,
            template,
            context,
        });
    }

    fn site(&self) -> Value {
        json!({ "title": self.config.title, "description": self.config.description, "base_url": self.config.base_url, "lang": self.lang })
    }

    /// An interface string of the theme, or the last key when the theme lacks it.
    pub fn label(&self, keys: &[&str]) -> String {
        let found = keys.iter().try_fold(self.strings, |v, k| v.get(k));
        found.and_then(Value::as_str).map_or_else(
            || keys.last().copied().unwrap_or("").to_string(),
            str::to_string,
        )
    }

    pub fn summaries(&self, list: &[&Partnership]) -> Vec<view::Summary> {
        view::summaries(self.atlas, list, self.lang)
    }
}

/// Only a real absolute base URL makes a useful canonical link.
pub(super) fn canonical(config: &Config, full: &str) -> Option<String> {
    let base = &config.base_url;
    (base.starts_with("http://") || base.starts_with("https://"))
        .then(|| format!("{base}{}", full.strip_suffix("index.html").unwrap_or(full)))
}

pub fn jobs(
    atlas: &Atlas,
    ix: &Indexes,
    config: &Config,
    strings: &BTreeMap<Lang, Value>,
    map: &WorldMap,
) -> Vec<Job> {
    let empty = Value::Object(Default::default());
    let mut jobs = Vec::new();
    for &lang in &config.languages {
        let mut cx = Ctx {
            atlas,
            ix,
            config,
            lang,
            strings: strings.get(&lang).unwrap_or(&empty),
            map,
            jobs: Vec::new(),
        };
        home(&mut cx);
        partnerships(&mut cx);
        regions(&mut cx);
        partners(&mut cx);
        terms::all(&mut cx);
        explorer::page(&mut cx);
        stats::page(&mut cx);
        reference_pages(&mut cx);
        feeds::atom(&mut cx);
        if lang.is_default() {
            not_found(&mut cx);
        }
        jobs.append(&mut cx.jobs);
    }
    feeds::sitemap_and_robots(config, &mut jobs);
    jobs
}

fn home(cx: &mut Ctx) {
    let recent = cx.summaries(&cx.ix.recent[..cx.ix.recent.len().min(10)]);
    let pages: Vec<Link> = cx
        .atlas
        .pages
        .values()
        .map(|p| Link {
            name: page_title(p, cx.lang).to_string(),
            url: urls::page(&p.slug),
        })
        .collect();
    let context = json!({
        "counts": view::counts(cx.atlas, cx.ix), "recent": recent, "pages": pages,
        "kinds": terms::kinds(cx), "statuses": terms::statuses(cx), "map": maps::home(cx),
    });
    cx.page("index.html".into(), "index.html", context);
}

fn partnerships(cx: &mut Ctx) {
    let all = cx.summaries(&explorer::in_order(cx.atlas, &cx.ix.all, cx.lang));
    cx.page(
        "partnerships/index.html".into(),
        "list.html",
        json!({ "items": all }),
    );
    for p in cx.atlas.partnerships.values() {
        let mut v = view::partnership(cx.atlas, p, cx.lang, cx.config.edit_url.as_deref());
        let full = format!("{}{}", cx.lang.prefix(), v.summary.url);
        let cite_url = canonical(cx.config, &full);
        v.cite.bibtex = view::bibtex(
            &format!("kembar-{}", p.slug),
            &v.cite.title,
            &cx.config.title,
            cite_url.as_deref().unwrap_or(&full),
            v.cite.year,
            cx.lang,
        );
        let map = maps::partnership(cx, p);
        cx.page(
            urls::partnership(&p.slug),
            "partnership.html",
            json!({ "title": v.summary.title, "p": v, "cite_url": cite_url, "map": map }),
        );
    }
}

fn regions(cx: &mut Ctx) {
    let lang = cx.lang;
    let mut provinces: Vec<&Region> = cx
        .atlas
        .regions
        .values()
        .filter(|r| r.level == RegionLevel::Provinsi)
        .collect();
    provinces.sort_by_cached_key(|r| view::link_region(r, lang).name.to_lowercase());
    let provinces: Vec<Value> = provinces
        .into_iter()
        .map(|prov| {
            let members: Vec<Value> = cx.ix.members.get(&prov.slug).into_iter().flatten().map(|r| json!({ "link": view::link_region(r, lang), "level": r.level, "count": count(&cx.ix.by_region, &r.slug) })).collect();
            json!({ "link": view::link_region(prov, lang), "count": count(&cx.ix.by_region, &prov.slug), "total": count(&cx.ix.by_province, &prov.slug), "members": members })
        })
        .collect();
    cx.page(
        "regions/index.html".into(),
        "regions.html",
        json!({ "provinces": provinces }),
    );
    for r in cx.atlas.regions.values() {
        let own = cx.summaries(group(&cx.ix.by_region, &r.slug));
        let members: Vec<Value> = cx
            .ix
            .members
            .get(&r.slug)
            .into_iter()
            .flatten()
            .map(|m| json!({ "link": view::link_region(m, lang), "level": m.level, "items": cx.summaries(group(&cx.ix.by_region, &m.slug)) }))
            .collect();
        let province = r
            .province
            .as_ref()
            .and_then(|p| cx.atlas.regions.get(p))
            .map(|p| view::link_region(p, lang));
        let (profile, fallback) = view::body(&r.body, r.en.as_ref(), lang);
        let context = json!({
            "title": view::link_region(r, lang).name, "name": r.name, "name_en": r.name_en, "level": r.level, "province": province, "code": r.code,
            "coordinates": r.coordinates, "website": r.website, "wikidata": r.wikidata,
            "profile": profile.html, "fallback": fallback && !profile.html.is_empty(),
            "items": own, "members": members,
        });
        cx.page(urls::region(&r.slug), "region.html", context);
    }
}

fn partners(cx: &mut Ctx) {
    let lang = cx.lang;
    let mut by_country: BTreeMap<&CountryCode, Vec<Value>> = BTreeMap::new();
    for p in cx.atlas.partners.values() {
        by_country.entry(&p.id.country).or_default().push(
            json!({ "link": view::link_partner(p), "count": count(&cx.ix.by_partner, &p.id) }),
        );
    }
    let mut countries: Vec<(Link, Vec<Value>)> = by_country
        .into_iter()
        .map(|(c, ps)| (view::link_country(cx.atlas, c, lang), ps))
        .collect();
    countries.sort_by_cached_key(|(c, _)| view::name_key(&c.name));
    let countries: Vec<Value> = countries
        .into_iter()
        .map(|(c, ps)| json!({ "country": c, "partners": ps }))
        .collect();
    cx.page(
        "partners/index.html".into(),
        "partners.html",
        json!({ "countries": countries }),
    );
    for p in cx.atlas.partners.values() {
        let items = cx.summaries(group(&cx.ix.by_partner, &p.id));
        let (profile, fallback) = view::body(&p.body, p.en.as_ref(), lang);
        let context = json!({
            "title": p.name, "name_local": p.name_local, "level": p.level, "country": view::link_country(cx.atlas, &p.id.country, lang),
            "coordinates": p.coordinates, "website": p.website, "wikidata": p.wikidata,
            "profile": profile.html, "fallback": fallback && !profile.html.is_empty(), "items": items,
        });
        cx.page(urls::partner(&p.id), "partner.html", context);
    }
}

fn page_title(p: &Page, lang: Lang) -> &str {
    lang.pick(&p.title, p.en.as_ref().and_then(|t| t.title.as_deref()))
}

fn reference_pages(cx: &mut Ctx) {
    for p in cx.atlas.pages.values() {
        let (body, fallback) = view::body(&p.body, p.en.as_ref(), cx.lang);
        let sources = view::sources(&p.sources, view::cited(&p.body, p.en.as_ref()), cx.lang);
        cx.page(
            urls::page(&p.slug),
            "page.html",
            json!({ "title": page_title(p, cx.lang), "body": body.html, "fallback": fallback, "sources": sources }),
        );
    }
}

/// Served by hosts for any missing path at any depth, so it links from the base URL.
fn not_found(cx: &mut Ctx) {
    let before = cx.jobs.len();
    cx.page("404.html".into(), "404.html", json!({ "title": "404" }));
    if let Some(Value::Object(m)) = cx.jobs.get_mut(before).map(|j| &mut j.context) {
        let base = json!(cx.config.base_url);
        m.insert("root".into(), base.clone());
        m.insert("asset_root".into(), base);
        let en: Vec<Value> = cx.config.languages.iter().filter(|l| !l.is_default()).map(|l| json!({ "lang": l, "url": format!("{}{}index.html", cx.config.base_url, l.prefix()) })).collect();
        m.insert("alternates".into(), json!(en));
    }
}

pub(super) fn count<K: Ord + ?Sized>(m: &BTreeMap<&K, Vec<&Partnership>>, k: &K) -> usize {
    group(m, k).len()
}

/// The partnerships filed under `k`; none if it has no entry.
pub(super) fn group<'m, 'a, K: Ord + ?Sized>(
    m: &'m BTreeMap<&K, Vec<&'a Partnership>>,
    k: &K,
) -> &'m [&'a Partnership] {
    m.get(k).map_or(&[], Vec::as_slice)
}
