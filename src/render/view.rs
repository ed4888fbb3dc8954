//! View models: plain serialisable data built from the model for templates. URLs are
//! relative to the site root; templates put `root` in front.

use crate::index::{Ends, Indexes};
use crate::lang::Lang;
use crate::model::*;
use crate::urls;
use serde::Serialize;

#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// One line of a list of partnerships.
#[derive(Serialize)]
pub struct Summary {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub region: Link,
    pub province: Link,
    pub partner: Link,
    pub country: Link,
    pub kind: Kind,
    pub status: Status,
    pub confidence: Option<Confidence>,
    pub signed: Option<String>,
    pub year: Option<u16>,
    pub fields: Vec<Link>,
}

#[derive(Serialize)]
pub struct TimelineItem {
    pub date: String,
    pub iso: String,
    pub title: String,
    /// `event`, or the document kind (`mou`, `loi`, …).
    pub kind: String,
    pub place: Option<String>,
    pub status: Option<Status>,
    pub source: Option<SourceLink>,
}

#[derive(Serialize, Clone)]
pub struct SourceLink {
    pub n: usize,
    pub key: String,
}

#[derive(Serialize)]
pub struct SourceView {
    pub n: usize,
    pub key: String,
    pub title: Option<String>,
    pub publisher: String,
    pub url: String,
    pub date: Option<String>,
    pub accessed: Option<String>,
    pub cited: bool,
}

#[derive(Serialize)]
pub struct PartnershipView {
    pub until: Option<String>,
    pub last_verified: Option<String>,
    pub timeline: Vec<TimelineItem>,
    pub sources: Vec<SourceView>,
    /// The history in the page's language, or the Indonesian one when it has no
    /// translation (`fallback`).
    pub history: std::sync::Arc<str>,
    pub fallback: bool,
    pub json_url: String,
    pub edit_url: Option<String>,
    pub cite: Cite,
}

/// What a reader needs to cite the page: the parts of a ready citation, and BibTeX.
#[derive(Serialize)]
pub struct Cite {
    pub title: String,
    /// The latest date the entry knows of (its last check, signature, document or
    /// event), not the build date, so builds stay reproducible.
    pub updated: Option<String>,
    pub year: Option<u16>,
    pub bibtex: String,
}

pub fn link_region(r: &Region, lang: Lang) -> Link {
    Link {
        name: lang.pick(&r.name, r.name_en.as_deref()).to_string(),
        url: urls::region(&r.slug),
    }
}

pub fn link_partner(p: &Partner) -> Link {
    Link {
        name: p.name.clone(),
        url: urls::partner(&p.id),
    }
}

pub fn link_country(atlas: &Atlas, code: &CountryCode, lang: Lang) -> Link {
    link_to_country(atlas.countries.get(code.as_str()), code, lang)
}

/// `link_country` for the country, found already, with `code`.
fn link_to_country(country: Option<&Country>, code: &CountryCode, lang: Lang) -> Link {
    let name = country.map_or_else(
        || code.upper(),
        |c| lang.pick(&c.name_id, Some(&c.name_en)).to_string(),
    );
    Link {
        name,
        url: urls::country(code),
    }
}

pub fn link_field(atlas: &Atlas, id: &FieldId, lang: Lang) -> Link {
    let name = atlas.fields.get(id).map_or_else(
        || id.as_str().to_string(),
        |f| lang.pick(&f.name, Some(&f.name_en)).to_string(),
    );
    Link {
        name,
        url: urls::field(id),
    }
}

pub fn summary(atlas: &Atlas, ends: &Ends, p: &Partnership, lang: Lang) -> Summary {
    // Validation guarantees both ends exist; the fallbacks only keep this total.
    let (region, partner, province) = (ends.region, ends.partner, ends.province);
    Summary {
        slug: p.slug.to_string(),
        url: urls::partnership(&p.slug),
        title: ends.title_in(p, lang),
        region: region
            .map(|r| link_region(r, lang))
            .unwrap_or_else(|| Link {
                name: p.region.to_string(),
                url: urls::region(&p.region),
            }),
        province: province
            .map(|r| Link {
                name: lang.pick(&r.name, r.name_en.as_deref()).to_string(),
                url: urls::province(&r.slug),
            })
            .unwrap_or_else(|| Link {
                name: String::new(),
                url: String::new(),
            }),
        partner: partner.map(link_partner).unwrap_or_else(|| Link {
            name: p.partner.to_string(),
            url: urls::partner(&p.partner),
        }),
        country: link_to_country(ends.country, &p.partner.country, lang),
        kind: p.kind,
        status: p.status,
        confidence: p.confidence,
        signed: p.signed.as_ref().map(|d| lang.date(d)),
        year: p.year(),
        fields: p
            .fields
            .iter()
            .map(|f| link_field(atlas, f, lang))
            .collect(),
    }
}

/// The body of an entry in `lang`: its translation, or the Indonesian text and `true`
/// when there is none.
pub fn body<'a>(body: &'a Body, en: Option<&'a Translation>, lang: Lang) -> (&'a Body, bool) {
    match (lang, en) {
        (Lang::Id, _) => (body, false),
        (Lang::En, Some(t)) => (&t.body, false),
        (Lang::En, None) => (body, true),
    }
}

pub fn partnership(
    ends: &Ends,
    p: &Partnership,
    lang: Lang,
    edit_url: Option<&str>,
) -> PartnershipView {
    let date = |d: &PartialDate| lang.date(d);
    let cited =
        cited(&p.body, p.en.as_ref()).chain(p.events.iter().filter_map(|e| e.source.as_deref()));
    let sources = sources(&p.sources, cited, lang);
    let number = |key: &str| {
        sources.iter().find(|s| s.key == key).map(|s| SourceLink {
            n: s.n,
            key: s.key.clone(),
        })
    };
    let mut timeline: Vec<(PartialDate, usize, TimelineItem)> = Vec::new();
    for (i, d) in p.documents.iter().enumerate() {
        let item = TimelineItem {
            date: date(&d.date),
            iso: d.date.iso(),
            title: d.title.clone(),
            kind: d.kind.to_string(),
            place: d.place.clone(),
            status: None,
            source: None,
        };
        timeline.push((d.date, i, item));
    }
    for (i, e) in p.events.iter().enumerate() {
        let source = e.source.as_deref().and_then(number);
        let item = TimelineItem {
            date: date(&e.date),
            iso: e.date.iso(),
            title: e.title.clone(),
            kind: "event".into(),
            place: None,
            status: e.status,
            source,
        };
        timeline.push((e.date, 1000 + i, item));
    }
    timeline.sort_by_key(|(d, i, _)| (*d, *i));
    let (history, fallback) = body(&p.body, p.en.as_ref(), lang);
    let updated = updated(p);
    let cite = Cite {
        title: ends.title_in(p, lang),
        updated: updated.as_ref().map(date),
        year: updated.map(|d| d.year),
        bibtex: String::new(),
    };
    PartnershipView {
        until: p.until.as_ref().map(date),
        last_verified: p.last_verified.as_ref().map(date),
        timeline: timeline.into_iter().map(|(_, _, t)| t).collect(),
        sources,
        history: history.html.clone(),
        fallback,
        json_url: urls::partnership_json(&p.slug),
        edit_url: edit_url.map(|e| format!("{e}{}", p.file)),
        cite,
    }
}

/// A BibTeX `@misc` entry for a page of the site at `url`.
pub fn bibtex(
    key: &str,
    title: &str,
    site: &str,
    url: &str,
    year: Option<u16>,
    lang: Lang,
) -> String {
    // Braces keep capitals; the rest are TeX's special characters.
    let tex = |s: &str| {
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                    out.push('\\');
                    out.push(c);
                }
                '–' => out.push_str("--"),
                '—' => out.push_str("---"),
                '\\' | '~' | '^' => {}
                c => out.push(c),
            }
        }
        out
    };
    let mut fields = vec![
        format!("  title        = {{{{{}}}}}", tex(title)),
        format!("  author       = {{{{{}}}}}", tex(site)),
        format!("  howpublished = {{\\url{{{url}}}}}"),
    ];
    if let Some(y) = year {
        fields.push(format!("  year         = {{{y}}}"));
    }
    let language = match lang {
        Lang::Id => "indonesian",
        Lang::En => "english",
    };
    fields.push(format!("  language     = {{{language}}}"));
    format!("@misc{{{key},\n{}\n}}", fields.join(",\n"))
}

/// The latest date an entry knows of, not the clock: builds stay byte-identical.
pub fn updated(p: &Partnership) -> Option<PartialDate> {
    let dates = p
        .last_verified
        .iter()
        .chain(p.signed.iter())
        .chain(p.events.iter().map(|e| &e.date))
        .chain(p.documents.iter().map(|d| &d.date));
    dates.max_by_key(|d| d.first_day_key()).copied()
}

/// The keys an entry cites, in order: its text, then its English text.
pub fn cited<'a>(body: &'a Body, en: Option<&'a Translation>) -> impl Iterator<Item = &'a str> {
    let en = en.into_iter().flat_map(|t| t.body.cited.iter());
    body.cited.iter().chain(en).map(String::as_str)
}

/// Numbered in order of first citation (for a partnership: in the history, then the
/// English history, then events); sources never cited come last.
pub fn sources<'a>(
    sources: &'a [SourceRef],
    cited: impl Iterator<Item = &'a str>,
    lang: Lang,
) -> Vec<SourceView> {
    let date = |d: &PartialDate| lang.date(d);
    let mut order: Vec<&str> = Vec::new();
    for k in cited {
        if !order.contains(&k) {
            order.push(k);
        }
    }
    let cited = order.len();
    for s in sources {
        if !order.contains(&s.key.as_str()) {
            order.push(&s.key);
        }
    }
    order
        .iter()
        .enumerate()
        .filter_map(|(i, k)| {
            let s = sources.iter().find(|s| s.key == *k)?;
            Some(SourceView {
                n: i + 1,
                key: s.key.clone(),
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                url: s.url.clone(),
                date: s.date.as_ref().map(date),
                accessed: s.accessed.as_ref().map(date),
                cited: i < cited,
            })
        })
        .collect()
}

/// How names sort in lists: by their letters, ignoring case and accents (`Ōsaka`
/// with the O's).
pub fn name_key(name: &str) -> String {
    deunicode::deunicode(name).to_lowercase()
}

/// A term of an index page (a field, a country, a year…) and how many partnerships it has.
#[derive(Serialize)]
pub struct Term {
    pub name: String,
    pub url: String,
    pub count: usize,
    pub description: Option<String>,
    /// The explorer's filter for this term (`field=education`), to link to the
    /// filtered explorer.
    pub filter: Option<String>,
}

/// Counts for the home page.
#[derive(Serialize)]
pub struct Counts {
    pub partnerships: usize,
    pub regions_with_partnerships: usize,
    pub partners: usize,
    pub countries: usize,
    pub provinces: usize,
}

pub fn counts(atlas: &Atlas, ix: &Indexes) -> Counts {
    Counts {
        partnerships: atlas.partnerships.len(),
        regions_with_partnerships: ix.by_region.len(),
        partners: ix.by_partner.len(),
        countries: ix.by_country.len(),
        provinces: ix.by_province.len(),
    }
}
