//! The Hugo version of the synthetic atlas: writes a complete Hugo site (configuration,
//! layouts, stylesheet and one content file per partnership, region, partner and named
//! term) for a corpus, so that Hugo does the work kembar does for it. The layouts live
//! in `bench/hugo/`; this module owns the content files and the helpers the Zola writer
//! shares (citations, titles, event numbers).
//!
//! Regions and partners are the taxonomies `regions` and `mitra`: each one's page is its
//! term page, whose content file carries its name and text, so Hugo groups their
//! partnerships once while building the taxonomies rather than per page. (Why `mitra`
//! and not `partners`: see `bench/hugo/config.toml`.)

use crate::corpus::{Corpus, Partnership};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io;
use std::path::Path;

/// The static part of the site, as `(path in the site, text)`.
macro_rules! files {
    ($($path:literal),* $(,)?) => {
        [$(($path, include_str!(concat!("../../bench/hugo/", $path)))),*]
    };
}

const FILES: [(&str, &str); 14] = files!(
    "config.toml",
    "layouts/404.html",
    "layouts/_default/baseof.html",
    "layouts/_default/list.html",
    "layouts/_default/single.html",
    "layouts/_default/term.html",
    "layouts/_default/terms.html",
    "layouts/index.html",
    "layouts/partials/plist.html",
    "layouts/partials/term-name.html",
    "layouts/mitra/term.html",
    "layouts/mitra/terms.html",
    "layouts/regions/term.html",
    "layouts/regions/terms.html",
);

/// Shared with the Zola site, so neither pays for more CSS.
pub const STYLE: &str = include_str!("../../bench/style.css");

/// Titles of the list pages, keyed by their content directory.
const SECTIONS: [(&str, &str); 9] = [
    ("partnerships", "Semua kemitraan"),
    ("regions", "Daerah Indonesia"),
    ("mitra", "Mitra luar negeri"),
    ("fields", "Bidang kerja sama"),
    ("countries", "Negara mitra"),
    ("provinces", "Provinsi"),
    ("years", "Tahun penandatanganan"),
    ("kinds", "Jenis kemitraan"),
    ("statuses", "Status kemitraan"),
];

#[derive(Serialize)]
pub struct EventMatter<'a> {
    pub date: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    /// The source's number in the list, so a template need not search for it.
    pub n: usize,
}

#[derive(Serialize)]
pub struct SourceMatter<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub publisher: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
struct PartnershipMatter<'a> {
    title: String,
    /// Hugo sorts lists newest first by `date`.
    date: &'a str,
    signed: &'a str,
    confidence: &'a str,
    regions: [&'a str; 1],
    mitra: [String; 1],
    provinces: [&'a str; 1],
    countries: [&'a str; 1],
    years: [&'a str; 1],
    kinds: [&'a str; 1],
    statuses: [&'a str; 1],
    fields: Vec<&'a str>,
    events: Vec<EventMatter<'a>>,
    sources: Vec<SourceMatter<'a>>,
}

/// A region, as a page links to it.
#[derive(Serialize)]
pub struct Link<'a> {
    slug: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct RegionMatter<'a> {
    title: &'a str,
    level: &'a str,
    code: &'a str,
    lat: f64,
    lon: f64,
    /// Absent for a province.
    province: Option<Link<'a>>,
}

#[derive(Serialize)]
struct PartnerMatter<'a> {
    title: &'a str,
    /// The term is `<cc>-<slug>`; the page lives where kembar puts it.
    url: String,
    country: &'a str,
    level: &'a str,
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct TitleMatter<'a> {
    title: &'a str,
    /// Only for the partners' list, whose content directory is `mitra/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

pub fn write(corpus: &Corpus, dir: &Path) -> io::Result<()> {
    for (path, text) in FILES {
        put(dir, path, text)?;
    }
    put(dir, "static/style.css", STYLE)?;
    let content = dir.join("content");
    titled(&content, "_index.md", "Atlas Kota Kembar Sintetis")?;
    for (section, title) in SECTIONS {
        let url = (section == "mitra").then_some("/partners/");
        let matter = TitleMatter { title, url };
        let path = format!("{section}/_index.md");
        put(&content, &path, &front(&matter, ""))?;
    }
    for f in &corpus.fields {
        titled(&content, &format!("fields/{}/_index.md", f.id), f.name)?;
    }
    // Only the provinces with partnerships: a content file would give an empty province
    // a term page, which Zola, whose terms exist only through their pages, has not.
    let provinces: BTreeSet<usize> = corpus
        .partnerships
        .iter()
        .map(|p| province(corpus, p))
        .collect();
    for i in provinces {
        let r = &corpus.regions[i];
        let path = format!("provinces/{}/_index.md", r.slug);
        titled(&content, &path, &r.name)?;
    }
    for r in &corpus.regions {
        let matter = RegionMatter {
            title: &r.name,
            level: r.level,
            code: &r.code,
            lat: r.lat,
            lon: r.lon,
            province: r.province.map(|i| link(corpus, i)),
        };
        let path = format!("regions/{}/_index.md", r.slug);
        put(&content, &path, &front(&matter, &r.body))?;
    }
    for p in &corpus.partners {
        let matter = PartnerMatter {
            title: &p.name,
            url: format!("/partners/{}/{}/", p.country, p.slug),
            country: p.country,
            level: p.level,
            lat: p.lat,
            lon: p.lon,
        };
        let path = format!("mitra/{}-{}/_index.md", p.country, p.slug);
        put(&content, &path, &front(&matter, &p.body))?;
    }
    for p in &corpus.partnerships {
        let partner = &corpus.partners[p.partner];
        let matter = PartnershipMatter {
            title: title(corpus, p),
            date: &p.signed,
            signed: &p.signed,
            confidence: p.confidence,
            regions: [&corpus.regions[p.region].slug],
            mitra: [format!("{}-{}", partner.country, partner.slug)],
            provinces: [&corpus.regions[province(corpus, p)].slug],
            countries: [partner.country],
            years: [corpus.year(p)],
            kinds: [p.kind],
            statuses: [p.status],
            fields: p.fields.iter().map(|&f| corpus.fields[f].id).collect(),
            events: events(p),
            sources: sources(p),
        };
        let body = history(p, "<!--more-->");
        let path = format!("partnerships/{}.md", p.slug);
        put(&content, &path, &front(&matter, &body))?;
    }
    Ok(())
}

/// `<region> – <partner>`, as kembar titles an entry.
pub fn title(corpus: &Corpus, p: &Partnership) -> String {
    let region = &corpus.regions[p.region].name;
    format!("{region} – {}", corpus.partners[p.partner].name)
}

pub fn link(corpus: &Corpus, region: usize) -> Link<'_> {
    let r = &corpus.regions[region];
    Link {
        slug: &r.slug,
        name: &r.name,
    }
}

/// The index of the province a partnership's region is in (itself for a province).
pub fn province(corpus: &Corpus, p: &Partnership) -> usize {
    corpus.regions[p.region].province.unwrap_or(p.region)
}

pub fn events(p: &Partnership) -> Vec<EventMatter<'_>> {
    p.events
        .iter()
        .map(|e| EventMatter {
            date: &e.date,
            title: &e.title,
            source: &e.source,
            n: source_number(p, &e.source).unwrap_or(0),
        })
        .collect()
}

pub fn sources(p: &Partnership) -> Vec<SourceMatter<'_>> {
    p.sources
        .iter()
        .map(|s| SourceMatter {
            key: &s.key,
            title: &s.title,
            publisher: &s.publisher,
            url: &s.url,
        })
        .collect()
}

fn source_number(p: &Partnership, key: &str) -> Option<usize> {
    p.sources.iter().position(|s| s.key == key).map(|i| i + 1)
}

/// The history as plain Markdown for a generator without kembar's citations: each
/// `[@key]` (or `[@a; @b]`) becomes the link kembar renders,
/// `<sup class="cite"><a href="#source-key">[n]</a></sup>`, numbered as the source list
/// is, and `more` (the generator's summary marker) follows the first paragraph, so feeds
/// carry a summary rather than the whole text. Inline HTML rather than a Markdown link
/// `[[n]](#source-key)`, because Zola checks each Markdown `#anchor` against the page's
/// own Markdown and fails the build: the source list is the template's, not the text's.
pub fn history(p: &Partnership, more: &str) -> String {
    let md = &p.history;
    let mut out = String::with_capacity(md.len() + 64);
    let mut rest = md.as_str();
    while let Some(start) = rest.find("[@") {
        let Some(len) = rest[start..].find(']') else {
            break;
        };
        let inner = &rest[start + 1..start + len];
        let keys: Vec<&str> = inner
            .split(';')
            .map(|k| k.trim().trim_start_matches('@'))
            .collect();
        out.push_str(&rest[..start]);
        if keys.iter().all(|k| source_number(p, k).is_some()) {
            out.push_str("<sup class=\"cite\">");
            for key in keys {
                let n = source_number(p, key).unwrap_or(0);
                out.push_str(&format!("<a href=\"#source-{key}\">[{n}]</a>"));
            }
            out.push_str("</sup>");
        } else {
            // An unknown key stays as written, visible on the page, as a broken citation should.
            out.push_str(&rest[start..=start + len]);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    if let Some(end) = out.find("\n\n") {
        out.insert_str(end, &format!("\n\n{more}"));
    }
    out
}

/// A content file with only a title: a home, list or term page.
fn titled(content: &Path, rel: &str, title: &str) -> io::Result<()> {
    put(content, rel, &front(&TitleMatter { title, url: None }, ""))
}

/// A Markdown file with TOML front matter.
pub fn front<T: Serialize>(matter: &T, body: &str) -> String {
    let toml = toml::to_string(matter).expect("front matter is plain strings and numbers");
    format!("+++\n{toml}+++\n{body}\n")
}

/// Writes `text` at `rel` under `dir`, creating the directories on the way.
pub fn put(dir: &Path, rel: &str, text: &str) -> io::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}
