//! The list of pages to render, in every language: for each, its path, template and
//! context. Entry pages live here; index pages, the explorer, statistics and feeds in
//! their own modules.

use super::{PerThread, explorer, feeds, maps, stats, terms};
use crate::config::Config;
use crate::index::Indexes;
use crate::lang::Lang;
use crate::map::WorldMap;
use crate::model::*;
use crate::render::view::{self, Link};
use crate::render::{Detail, Line, Table, Value, value};
use crate::urls;
use minijinja::context;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// One file of the site: its path and how to make it. Entry pages are only described
/// here and made when their turn comes, in parallel, so no more than a few pages'
/// contexts and bytes are in memory at once.
pub struct Job<'a> {
    pub path: String,
    pub make: Make<'a>,
}

impl Job<'_> {
    /// Index pages and whole-site data files: few, each as big as the site.
    pub fn is_big(&self) -> bool {
        match &self.make {
            Make::Page { context, .. } => {
                matches!(context, Deferred::Lazy(_) | Deferred::List { .. })
            }
            Make::Data(d) => !matches!(d, super::data::Data::Record(_)),
            Make::Plain { .. } => true,
            Make::Bytes(_) => false,
        }
    }
}

pub enum Make<'a> {
    /// A page through the theme, with the context every page gets added when rendered.
    Page {
        template: &'static str,
        lang: Lang,
        context: Deferred<'a>,
    },
    /// A template that gets only its own context (sitemap, robots.txt).
    Plain {
        template: &'static str,
        context: Value,
    },
    /// Bytes known from the start (theme assets).
    Bytes(&'a [u8]),
    /// Made by a data writer (downloads, the explorer's index).
    Data(super::data::Data<'a>),
}

/// A page's own context: ready, or built from its entry when rendered.
pub enum Deferred<'a> {
    Ready(Value),
    Partnership(&'a Partnership),
    Region(&'a Region),
    Partner(&'a Partner),
    /// An index page: built when rendered, like entry pages, so that the big lists are
    /// made in parallel and one at a time.
    Lazy(Box<dyn Fn(&Ctx<'a>) -> Value + Send + Sync + 'a>),
    /// A page listing some partnerships (a term's page), built when rendered. What it
    /// shows is named, so that a rebuild can tell whether it changed.
    List {
        items: Vec<&'a Partnership>,
        /// The country whose partners its map shows.
        map_of: Option<&'a CountryCode>,
        make: ListPage<'a>,
    },
}

pub type ListPage<'a> = Box<dyn Fn(&Ctx<'a>, &[&'a Partnership]) -> Value + Send + Sync + 'a>;

/// What every page builder needs: the atlas, its indexes, and the language it writes.
pub(super) struct Ctx<'a> {
    pub atlas: &'a Atlas,
    pub ix: &'a Indexes<'a>,
    pub config: &'a Config,
    pub lang: Lang,
    pub strings: &'a serde_json::Value,
    pub map: &'a WorldMap,
    pub jobs: Vec<Job<'a>>,
    /// What every page of the language gets: `site`, `lang` and the strings `t`, one
    /// copy per thread (see `shared()`).
    shared: PerThread<Value>,
    /// Each partnership's line in a list, by rank, made the first time a page lists it.
    lines: Vec<OnceLock<Arc<Line>>>,
    /// Set for `check`: pages are rendered to prove their templates, not to be read.
    pub sample: bool,
}

/// How many items of a long list a `check` renders: enough to run every branch of a
/// template's loop, far fewer than an index page of a big atlas holds.
const SAMPLE_ITEMS: usize = 64;

impl<'a> Ctx<'a> {
    pub fn new(
        atlas: &'a Atlas,
        ix: &'a Indexes<'a>,
        config: &'a Config,
        lang: Lang,
        strings: &'a serde_json::Value,
        map: &'a WorldMap,
    ) -> Ctx<'a> {
        let site = json!({ "title": config.title, "description": config.description, "base_url": config.base_url, "lang": lang });
        Ctx {
            atlas,
            ix,
            config,
            lang,
            strings,
            map,
            jobs: Vec::new(),
            // One copy for each thread of the pool, and one for any other thread.
            shared: {
                let shared = json!({ "site": site, "lang": lang, "t": strings });
                PerThread::new(|_| Table::from_json(&shared))
            },
            lines: atlas
                .partnerships
                .values()
                .map(|_| OnceLock::new())
                .collect(),
            sample: false,
        }
    }

    /// Adds a page at `path` within the language's folder.
    pub fn page(&mut self, path: String, template: &'static str, context: Value) {
        self.defer(path, template, Deferred::Ready(context));
    }

    pub fn lazy(
        &mut self,
        path: &str,
        template: &'static str,
        f: impl Fn(&Ctx<'a>) -> Value + Send + Sync + 'a,
    ) {
        self.defer(path.to_string(), template, Deferred::Lazy(Box::new(f)));
    }

    pub fn defer(&mut self, path: String, template: &'static str, context: Deferred<'a>) {
        self.jobs.push(Job {
            path: format!("{}{path}", self.lang.prefix()),
            make: Make::Page {
                template,
                lang: self.lang,
                context,
            },
        });
    }

    /// The page's own context, built now if it was deferred.
    pub fn context(&self, d: &Deferred<'a>) -> Value {
        match d {
            Deferred::Ready(v) => v.clone(),
            Deferred::Partnership(p) => partnership(self, p),
            Deferred::Region(r) => region(self, r),
            Deferred::Partner(p) => partner(self, p),
            Deferred::Lazy(f) => f(self),
            Deferred::List { items, make, .. } => make(self, items),
        }
    }

    /// The page's whole context, as one table: what every page of the language gets
    /// (`shared`), what is particular to each page — `root` (the way back to its
    /// language's root, for links between pages), `asset_root` (the way back to the site
    /// root, for theme assets and data) and the same page in the other languages — and
    /// the page's own keys, which win: a page that set one of these itself (the 404
    /// page) keeps its own.
    pub fn decorate(&self, full: &str, context: Value) -> Value {
        let path = full.strip_prefix(self.lang.prefix()).unwrap_or(full);
        let asset_root = urls::root_of(full);
        let alternates: Vec<Value> = self
            .config
            .languages
            .iter()
            .filter(|l| **l != self.lang)
            .map(|l| context! { lang => value(l), url => format!("{asset_root}{}{path}", l.prefix()) })
            .collect();
        let mut entries = Vec::with_capacity(32);
        Table::extend(&mut entries, self.shared());
        let own = [
            ("root", Value::from(urls::root_of(path))),
            ("path", Value::from(full)),
            ("canonical", Value::from(canonical(self.config, full))),
            ("alternates", Value::from(alternates)),
            ("asset_root", Value::from(asset_root)),
        ];
        entries.extend(own.into_iter().map(|(k, v)| (Box::from(k), v)));
        Table::extend(&mut entries, &context);
        Value::from_object(Table::new(entries))
    }

    /// What every page of the language gets, in the copy of the thread asking. The
    /// copies are alike; each thread has its own because every name a template reads
    /// clones and drops a reference-counted value, and on values both cores shared the
    /// counters' cache line went back and forth between them.
    fn shared(&self) -> &Value {
        self.shared.get()
    }

    /// An interface string of the theme, or the last key when the theme lacks it.
    pub fn label(&self, keys: &[&str]) -> String {
        let found = keys.iter().try_fold(self.strings, |v, k| v.get(k));
        found.and_then(serde_json::Value::as_str).map_or_else(
            || keys.last().copied().unwrap_or("").to_string(),
            str::to_string,
        )
    }

    /// `list`, or its start when the page is only rendered for `check`.
    pub fn some<'l, T>(&self, list: &'l [T]) -> &'l [T] {
        match self.sample {
            true => &list[..list.len().min(SAMPLE_ITEMS)],
            false => list,
        }
    }

    /// The partnerships' lines made so far, taken out of the context. They are many
    /// small values, slow to free: the caller may free them elsewhere.
    pub fn take_lines(&mut self) -> Vec<Arc<Line>> {
        self.lines
            .drain(..)
            .filter_map(OnceLock::into_inner)
            .collect()
    }

    /// The partnerships' lines for a list.
    pub fn summaries(&self, list: &[&Partnership]) -> Value {
        use rayon::prelude::*;
        let list = self.some(list);
        // The longest lists (all partnerships) are made by one page's job; they are
        // split so that job does not keep one core busy while the other waits.
        if list.len() > 2048 {
            Value::from(list.par_iter().map(|p| self.summary(p)).collect::<Vec<_>>())
        } else {
            list.iter().map(|p| self.summary(p)).collect()
        }
    }

    fn summary(&self, p: &Partnership) -> Value {
        Value::from_dyn_object(self.line(p))
    }

    /// A partnership's line, made the first time it is asked for.
    fn line(&self, p: &Partnership) -> Arc<Line> {
        let make = || Line::shared(view::summary(self.atlas, self.ix.ends(p), p, self.lang));
        match self.lines.get(p.rank.0) {
            Some(line) => line.get_or_init(make).clone(),
            None => make(),
        }
    }
}

/// Only a real absolute base URL makes a useful canonical link.
pub(super) fn canonical(config: &Config, full: &str) -> Option<String> {
    let base = &config.base_url;
    (base.starts_with("http://") || base.starts_with("https://"))
        .then(|| format!("{base}{}", full.strip_suffix("index.html").unwrap_or(full)))
}

/// Every page of every language; `ctxs` are the languages' contexts, in order.
pub(super) fn jobs<'a>(ctxs: &mut [Ctx<'a>], config: &Config) -> Vec<Job<'a>> {
    use rayon::prelude::*;
    // The languages' jobs are listed side by side, and joined in the languages' order.
    let per_lang: Vec<Vec<Job<'a>>> = ctxs
        .par_iter_mut()
        .map(|cx| {
            let lang = cx.lang;
            cx.lazy("index.html", "index.html", home);
            partnerships(cx);
            regions(cx);
            partners(cx);
            terms::all(cx);
            cx.lazy("explorer.html", "explorer.html", explorer::page);
            cx.lazy("statistics.html", "statistics.html", stats::page);
            reference_pages(cx);
            cx.lazy("atom.xml", "atom.xml", feeds::atom);
            if lang.is_default() {
                not_found(cx);
            }
            std::mem::take(&mut cx.jobs)
        })
        .collect();
    let mut jobs = Vec::with_capacity(per_lang.iter().map(Vec::len).sum());
    for mut one in per_lang {
        jobs.append(&mut one);
    }
    let sample = ctxs.iter().any(|c| c.sample).then_some(SAMPLE_ITEMS);
    feeds::sitemap_and_robots(config, &mut jobs, sample);
    jobs
}

fn home(cx: &Ctx) -> Value {
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
    context! {
        counts => value(&view::counts(cx.atlas, cx.ix)), recent, pages => value(&pages),
        kinds => value(&terms::kinds(cx)), statuses => value(&terms::statuses(cx)), map => maps::home(cx),
    }
}

fn partnerships(cx: &mut Ctx) {
    cx.lazy("partnerships/index.html", "list.html", |cx| {
        let all = cx.summaries(&explorer::in_order(cx.ix, cx.lang));
        context! { items => all }
    });
    for p in cx.atlas.partnerships.values() {
        cx.defer(
            urls::partnership(&p.slug),
            "partnership.html",
            Deferred::Partnership(p),
        );
    }
}

fn partnership(cx: &Ctx, p: &Partnership) -> Value {
    let ends = cx.ix.ends(p);
    let mut v = view::partnership(ends, p, cx.lang, cx.config.edit_url.as_deref());
    let full = format!("{}{}", cx.lang.prefix(), urls::partnership(&p.slug));
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
    Table::of([
        ("title", Value::from(v.cite.title.as_str())),
        ("p", Detail::value(cx.line(p), v)),
        ("cite_url", Value::from(cite_url)),
        ("map", Value::from(map)),
    ])
}

fn regions(cx: &mut Ctx) {
    cx.lazy("regions/index.html", "regions.html", |cx| {
        let lang = cx.lang;
        let mut provinces: Vec<&Region> = cx
            .atlas
            .regions
            .values()
            .filter(|r| r.level == RegionLevel::Provinsi)
            .collect();
        provinces.sort_by_cached_key(|r| view::link_region(r, lang).name.to_lowercase());
        let provinces: Vec<serde_json::Value> = cx
            .some(&provinces)
            .iter()
            .map(|prov| {
                let members: Vec<serde_json::Value> = cx.some(cx.ix.members.get(&prov.slug).map_or(&[][..], Vec::as_slice)).iter().map(|r| json!({ "link": view::link_region(r, lang), "level": r.level, "count": cx.ix.of_region(&r.slug).len() })).collect();
                json!({ "link": view::link_region(prov, lang), "count": cx.ix.of_region(&prov.slug).len(), "total": count(&cx.ix.by_province, &prov.slug), "members": members })
            })
            .collect();
        value(&json!({ "provinces": provinces }))
    });
    for r in cx.atlas.regions.values() {
        cx.defer(urls::region(&r.slug), "region.html", Deferred::Region(r));
    }
}

fn region(cx: &Ctx, r: &Region) -> Value {
    let lang = cx.lang;
    let own = cx.summaries(cx.ix.of_region(&r.slug));
    let members: Vec<Value> = cx
        .ix
        .members
        .get(&r.slug)
        .into_iter()
        .flatten()
        .map(|m| context! { link => value(&view::link_region(m, lang)), level => value(&m.level), items => cx.summaries(cx.ix.of_region(&m.slug)) })
        .collect();
    let province = r
        .province
        .as_ref()
        .and_then(|p| cx.atlas.regions.get(p))
        .map(|p| view::link_region(p, lang));
    let (profile, fallback) = view::body(&r.body, r.en.as_ref(), lang);
    let shown = !profile.html.is_empty();
    Table::of([
        ("title", Value::from(view::link_region(r, lang).name)),
        ("name", Value::from(r.name.as_str())),
        ("name_en", value(&r.name_en)),
        ("level", value(&r.level)),
        ("province", value(&province)),
        ("code", value(&r.code)),
        ("coordinates", value(&r.coordinates)),
        ("website", value(&r.website)),
        ("wikidata", value(&r.wikidata)),
        ("profile", Value::from(&profile.html)),
        ("fallback", Value::from(fallback && shown)),
        ("items", own),
        ("members", Value::from(members)),
    ])
}

fn partners(cx: &mut Ctx) {
    cx.lazy("partners/index.html", "partners.html", |cx| {
        let lang = cx.lang;
        let mut by_country: BTreeMap<&CountryCode, Vec<serde_json::Value>> = BTreeMap::new();
        let partners: Vec<&Partner> = cx.atlas.partners.values().collect();
        for p in cx.some(&partners) {
            by_country.entry(&p.id.country).or_default().push(
                json!({ "link": view::link_partner(p), "count": cx.ix.of_partner(&p.id).len() }),
            );
        }
        let mut countries: Vec<(Link, Vec<serde_json::Value>)> = by_country
            .into_iter()
            .map(|(c, ps)| (view::link_country(cx.atlas, c, lang), ps))
            .collect();
        countries.sort_by_cached_key(|(c, _)| view::name_key(&c.name));
        let countries: Vec<serde_json::Value> = countries
            .into_iter()
            .map(|(c, ps)| json!({ "country": c, "partners": ps }))
            .collect();
        value(&json!({ "countries": countries }))
    });
    for p in cx.atlas.partners.values() {
        cx.defer(urls::partner(&p.id), "partner.html", Deferred::Partner(p));
    }
}

fn partner(cx: &Ctx, p: &Partner) -> Value {
    let items = cx.summaries(cx.ix.of_partner(&p.id));
    let (profile, fallback) = view::body(&p.body, p.en.as_ref(), cx.lang);
    let country = view::link_country(cx.atlas, &p.id.country, cx.lang);
    Table::of([
        ("title", Value::from(p.name.as_str())),
        ("name_local", value(&p.name_local)),
        ("level", value(&p.level)),
        ("country", value(&country)),
        ("coordinates", value(&p.coordinates)),
        ("website", value(&p.website)),
        ("wikidata", value(&p.wikidata)),
        ("profile", Value::from(&profile.html)),
        (
            "fallback",
            Value::from(fallback && !profile.html.is_empty()),
        ),
        ("items", items),
    ])
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
            value(&json!({ "title": page_title(p, cx.lang), "body": &*body.html, "fallback": fallback, "sources": sources })),
        );
    }
}

/// Served by hosts for any missing path at any depth, so it links from the base URL.
fn not_found(cx: &mut Ctx) {
    let base = json!(cx.config.base_url);
    let en: Vec<serde_json::Value> = cx.config.languages.iter().filter(|l| !l.is_default()).map(|l| json!({ "lang": l, "url": format!("{}{}index.html", cx.config.base_url, l.prefix()) })).collect();
    let context =
        value(&json!({ "title": "404", "root": base, "asset_root": base, "alternates": en }));
    cx.page("404.html".into(), "404.html", context);
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
