//! The Zola version of the synthetic atlas: writes a complete Zola site (configuration,
//! templates, stylesheet and one content file per partnership, region and partner) for a
//! corpus, so that Zola does the work kembar does for it. The templates live in
//! `bench/zola/`; citations, titles and event numbers are the Hugo writer's, so both
//! sites carry the same text.
//!
//! Regions and partners are pages in sections; the taxonomies `region` and `partner` are
//! not rendered and only group the partnerships, which a region's or partner's page
//! fetches with `get_taxonomy_term` instead of filtering every page.

use crate::corpus::Corpus;
use crate::hugo::{
    EventMatter, Link, SourceMatter, events, front, history, link, province, put, sources, title,
};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io;
use std::path::Path;

macro_rules! files {
    ($($path:literal),* $(,)?) => {
        [$(($path, include_str!(concat!("../../bench/zola/", $path)))),*]
    };
}

/// The static part of the site, as `(path in the site, text)`; `config.toml` is written
/// apart, with the labels from the corpus.
const FILES: [(&str, &str); 12] = files!(
    "templates/404.html",
    "templates/base.html",
    "templates/index.html",
    "templates/macros.html",
    "templates/partner.html",
    "templates/partners.html",
    "templates/partnership.html",
    "templates/partnerships.html",
    "templates/region.html",
    "templates/regions.html",
    "templates/taxonomy_list.html",
    "templates/taxonomy_single.html",
);

const CONFIG: &str = include_str!("../../bench/zola/config.toml");

#[derive(Serialize)]
struct PartnerLink<'a> {
    /// `<cc>/<slug>`, the page's path under `content/partners/`.
    path: String,
    name: &'a str,
}

#[derive(Serialize)]
struct PartnershipMatter<'a> {
    title: String,
    /// Zola sorts the section and the terms newest first by `date`.
    date: &'a str,
    taxonomies: Taxonomies<'a>,
    extra: PartnershipExtra<'a>,
}

#[derive(Serialize)]
struct Taxonomies<'a> {
    fields: Vec<&'a str>,
    countries: [&'a str; 1],
    provinces: [&'a str; 1],
    years: [&'a str; 1],
    kinds: [&'a str; 1],
    statuses: [&'a str; 1],
    region: [&'a str; 1],
    partner: [String; 1],
}

#[derive(Serialize)]
struct PartnershipExtra<'a> {
    signed: &'a str,
    confidence: &'a str,
    region: Link<'a>,
    province: Link<'a>,
    partner: PartnerLink<'a>,
    events: Vec<EventMatter<'a>>,
    sources: Vec<SourceMatter<'a>>,
}

#[derive(Serialize)]
struct PlaceMatter<'a, T: Serialize> {
    title: &'a str,
    extra: T,
}

#[derive(Serialize)]
struct RegionExtra<'a> {
    level: &'a str,
    code: &'a str,
    lat: f64,
    lon: f64,
    /// Absent for a province.
    province: Option<Link<'a>>,
}

#[derive(Serialize)]
struct PartnerExtra<'a> {
    country: &'a str,
    level: &'a str,
    lat: f64,
    lon: f64,
}

/// A section's `_index.md`.
#[derive(Serialize)]
struct SectionMatter<'a> {
    title: &'a str,
    sort_by: &'a str,
    template: String,
    page_template: String,
}

/// A country's section under `partners/`: only there to hold the pages, which it passes
/// up to `partners/`.
#[derive(Serialize)]
struct CountryMatter {
    render: bool,
    transparent: bool,
}

#[derive(Serialize)]
struct HomeMatter<'a> {
    title: &'a str,
    extra: HomeExtra,
}

#[derive(Serialize)]
struct HomeExtra {
    counts: Counts,
}

/// What the home page counts, as Hugo counts its taxonomies' terms.
#[derive(Serialize)]
struct Counts {
    partnerships: usize,
    regions: usize,
    provinces: usize,
    partners: usize,
    countries: usize,
}

pub fn write(corpus: &Corpus, dir: &Path) -> io::Result<()> {
    put(dir, "config.toml", &config(corpus))?;
    for (path, text) in FILES {
        put(dir, path, text)?;
    }
    put(dir, "static/style.css", crate::hugo::STYLE)?;
    let content = dir.join("content");
    let home = HomeMatter {
        title: "Atlas Kota Kembar Sintetis",
        extra: HomeExtra {
            counts: counts(corpus),
        },
    };
    put(&content, "_index.md", &front(&home, ""))?;
    let sections = [
        ("partnerships", "Semua kemitraan", "date", "partnership"),
        ("regions", "Daerah Indonesia", "title", "region"),
        ("partners", "Mitra luar negeri", "title", "partner"),
    ];
    for (name, title, sort_by, page) in sections {
        let matter = SectionMatter {
            title,
            sort_by,
            template: format!("{name}.html"),
            page_template: format!("{page}.html"),
        };
        put(&content, &format!("{name}/_index.md"), &front(&matter, ""))?;
    }
    for r in &corpus.regions {
        let province = r.province.map(|i| link(corpus, i));
        let extra = RegionExtra {
            level: r.level,
            code: &r.code,
            lat: r.lat,
            lon: r.lon,
            province,
        };
        let matter = PlaceMatter {
            title: &r.name,
            extra,
        };
        let path = format!("regions/{}.md", r.slug);
        put(&content, &path, &front(&matter, &r.body))?;
    }
    let countries: BTreeSet<&str> = corpus.partners.iter().map(|p| p.country).collect();
    for cc in countries {
        let matter = CountryMatter {
            render: false,
            transparent: true,
        };
        let path = format!("partners/{cc}/_index.md");
        put(&content, &path, &front(&matter, ""))?;
    }
    for p in &corpus.partners {
        let extra = PartnerExtra {
            country: p.country,
            level: p.level,
            lat: p.lat,
            lon: p.lon,
        };
        let matter = PlaceMatter {
            title: &p.name,
            extra,
        };
        let path = format!("partners/{}/{}.md", p.country, p.slug);
        put(&content, &path, &front(&matter, &p.body))?;
    }
    for p in &corpus.partnerships {
        let partner = &corpus.partners[p.partner];
        let province = province(corpus, p);
        let matter = PartnershipMatter {
            title: title(corpus, p),
            date: &p.signed,
            taxonomies: Taxonomies {
                fields: p.fields.iter().map(|&f| corpus.fields[f].id).collect(),
                countries: [partner.country],
                provinces: [&corpus.regions[province].slug],
                years: [corpus.year(p)],
                kinds: [p.kind],
                statuses: [p.status],
                region: [&corpus.regions[p.region].slug],
                partner: [format!("{}-{}", partner.country, partner.slug)],
            },
            extra: PartnershipExtra {
                signed: &p.signed,
                confidence: p.confidence,
                region: link(corpus, p.region),
                province: link(corpus, province),
                partner: PartnerLink {
                    path: format!("{}/{}", partner.country, partner.slug),
                    name: &partner.name,
                },
                events: events(p),
                sources: sources(p),
            },
        };
        let body = history(p, "<!-- more -->");
        let path = format!("partnerships/{}.md", p.slug);
        put(&content, &path, &front(&matter, &body))?;
    }
    Ok(())
}

/// The static configuration plus the display names of the terms that come from the
/// corpus: Zola terms have no content file of their own to carry a title.
fn config(corpus: &Corpus) -> String {
    let mut text = format!("{CONFIG}\n[extra.labels.fields]\n");
    for f in &corpus.fields {
        text.push_str(&format!("{} = {}\n", f.id, toml::Value::from(f.name)));
    }
    text.push_str("\n[extra.labels.provinces]\n");
    for r in corpus.regions.iter().filter(|r| r.province.is_none()) {
        text.push_str(&format!(
            "{} = {}\n",
            r.slug,
            toml::Value::from(r.name.as_str())
        ));
    }
    text
}

fn counts(corpus: &Corpus) -> Counts {
    let all = &corpus.partnerships;
    Counts {
        partnerships: all.len(),
        regions: distinct(all.iter().map(|p| p.region)),
        provinces: distinct(all.iter().map(|p| province(corpus, p))),
        partners: distinct(all.iter().map(|p| p.partner)),
        countries: distinct(all.iter().map(|p| corpus.partners[p.partner].country)),
    }
}

fn distinct<K: Ord>(keys: impl Iterator<Item = K>) -> usize {
    keys.collect::<BTreeSet<_>>().len()
}
