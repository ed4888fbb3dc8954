//! One entry file at a time: reads each kind of entry into its model type, keeping the
//! spans of what must be checked against other files later.

use super::keys;
use super::reader::{
    At, Cx, Map, choice, coordinates, opt_text, opt_url, opt_wikidata, req_text, slug, text,
};
use crate::diag::Diagnostic;
use crate::load::{Body as RawBody, Node};
use crate::markdown::{self, Citation};
use crate::model::*;
use std::ops::Range;
pub struct RegionDraft {
    pub region: Region,
    pub province: Option<At<Slug>>,
    pub code_span: Range<usize>,
}
pub fn body(cx: &Cx, raw: Option<&RawBody>) -> (Body, Vec<Citation>) {
    body_with_ids(cx, raw, "")
}

/// A translation's ids start with `en-`: it is shown on the same page as the original.
fn body_with_ids(cx: &Cx, raw: Option<&RawBody>, id_prefix: &str) -> (Body, Vec<Citation>) {
    match raw {
        Some(b) => markdown::render(b.text(), b.offset, id_prefix, cx.html),
        None => (Body::default(), Vec::new()),
    }
}

pub fn fields(
    cx: &mut Cx,
    node: &Node,
    declared: &mut std::collections::BTreeSet<String>,
) -> Vec<Field> {
    let crate::load::Value::Map(entries) = &node.value else {
        cx.error(
            node.span.clone(),
            "fields.yaml must map each field id to its names",
            "expected a mapping",
            Some("write `education:` and below it `name:`, `name_en:` and `description:`".into()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, (key, value)) in entries.iter().enumerate() {
        declared.insert(key.text.to_lowercase());
        if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.text == key.text) {
            cx.diags.push(
                Diagnostic::error(format!("field `{}` is defined twice", key.text))
                    .at(cx.source, key.span.clone())
                    .label("defined again here")
                    .also(cx.source, first.span.clone(), "first defined here")
                    .help("keep one definition"),
            );
            continue;
        }
        let id = match Slug::parse(&key.text) {
            Ok(s) => FieldId::new(s),
            Err(m) => {
                cx.error(
                    key.span.clone(),
                    format!("{m} for a field id"),
                    "not a slug",
                    Some(format!(
                        "field ids use lowercase letters, digits and hyphens, e.g. `{}`",
                        Slug::suggest(&key.text)
                    )),
                );
                continue;
            }
        };
        let Some(map) = Map::new(cx, value, "a field", keys::FIELD) else {
            continue;
        };
        let name = req_text(cx, &map, "name", "Pendidikan");
        let name_en = req_text(cx, &map, "name_en", "Education");
        let description = req_text(cx, &map, "description", "Pertukaran pelajar dan beasiswa.");
        let description_en = opt_text(cx, &map, "description_en");
        if let (Some(name), Some(name_en), Some(description)) = (name, name_en, description) {
            out.push(Field {
                id,
                name: name.value,
                name_en: name_en.value,
                description: description.value,
                description_en,
            });
        }
    }
    out
}

pub fn region(
    cx: &mut Cx,
    node: &Node,
    slug: Slug,
    raw: Option<&RawBody>,
    file: String,
) -> Option<RegionDraft> {
    let map = Map::new(cx, node, "a region", keys::REGION)?;
    let name = req_text(cx, &map, "name", "Kota Bandung");
    let name_en = opt_text(cx, &map, "name_en");
    let level = map
        .required(cx, "level", "kota")
        .and_then(|n| choice(cx, n, "level", RegionLevel::NAMES, RegionLevel::parse));
    let province = map
        .get("province")
        .and_then(|n| self::slug(cx, n, "province"));
    let code = req_text(cx, &map, "code", "32.73");
    let coords = map
        .required(cx, "coordinates", "{ lat: -6.9147, lon: 107.6098 }")
        .and_then(|n| coordinates(cx, n, "coordinates"));
    let website = opt_url(cx, &map, "website");
    let wikidata = opt_wikidata(cx, &map);
    let (body, citations) = body(cx, raw);
    if let Some(c) = citations.first() {
        cx.error(c.span.clone(), "citations belong in partnership entries", "no sources here", Some("a region has no `sources`; write the fact in a partnership entry and cite it there".into()));
    }
    let (level, code) = (level?, code?);
    check_code(cx, &code, level.value)?;
    if level.value == RegionLevel::Provinsi {
        if let Some(p) = &province {
            cx.error(
                p.span.clone(),
                "a province has no `province`",
                "not expected for a provinsi",
                Some("remove `province`, or change `level` to `kota` or `kabupaten`".into()),
            );
        }
    } else if province.is_none() && map.get("province").is_none() {
        map.required(cx, "province", "jawa-barat");
    }
    Some(RegionDraft {
        region: Region {
            slug,
            name: name?.value,
            name_en,
            level: level.value,
            province: province.as_ref().map(|p| p.value.clone()),
            code: code.value,
            coordinates: coords?,
            website,
            wikidata,
            body,
            en: None,
            file,
        },
        province,
        code_span: code.span,
    })
}

/// Kemendagri codes: `32` for a province, `32.73` for a kota or kabupaten.
fn check_code(cx: &mut Cx, code: &At<String>, level: RegionLevel) -> Option<()> {
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match (level, code.value.split_once('.')) {
        (RegionLevel::Provinsi, None) => digits(&code.value),
        (RegionLevel::Kota | RegionLevel::Kabupaten, Some((p, r))) => digits(p) && digits(r),
        _ => false,
    };
    if !ok {
        let example = if level == RegionLevel::Provinsi {
            "`32` (two digits)"
        } else {
            "`32.73` (province and regency, quoted if it ends in 0: `\"32.10\"`)"
        };
        cx.error(
            code.span.clone(),
            format!("`{}` is not a Kemendagri code for a {level}", code.value),
            "malformed code",
            Some(format!("a {level} code looks like {example}")),
        );
        return None;
    }
    Some(())
}

pub fn partner(
    cx: &mut Cx,
    node: &Node,
    id: PartnerId,
    raw: Option<&RawBody>,
    file: String,
) -> Option<Partner> {
    let map = Map::new(cx, node, "a partner", keys::PARTNER)?;
    let name = req_text(cx, &map, "name", "Shizuoka Prefecture");
    let name_local = opt_text(cx, &map, "name_local");
    if let Some(c) = map.get("country").and_then(|n| text(cx, n, "country"))
        && !c.value.eq_ignore_ascii_case(id.country.as_str())
    {
        let msg = format!(
            "`country: {}` does not match the folder `partners/{}/`",
            c.value, id.country
        );
        let help = format!(
            "move the file to `content/partners/{}/`, or correct `country` (the key may also be left out: the folder names the country)",
            c.value.to_ascii_lowercase()
        );
        cx.error(c.span, msg, "does not match the folder", Some(help));
    }
    let level = map
        .required(cx, "level", "city")
        .and_then(|n| choice(cx, n, "level", PartnerLevel::NAMES, PartnerLevel::parse));
    let coordinates = map
        .get("coordinates")
        .and_then(|n| coordinates(cx, n, "coordinates"));
    let website = opt_url(cx, &map, "website");
    let wikidata = opt_wikidata(cx, &map);
    let (body, _) = body(cx, raw);
    Some(Partner {
        id,
        name: name?.value,
        name_local,
        level: level?.value,
        coordinates,
        website,
        wikidata,
        body,
        en: None,
        file,
    })
}
pub fn translation(
    cx: &mut Cx,
    node: Option<&Node>,
    raw: Option<&RawBody>,
) -> Option<(Translation, Vec<Citation>)> {
    let title = match node {
        Some(n) => {
            let map = Map::new(cx, n, "a translation", keys::TRANSLATION)?;
            opt_text(cx, &map, "title")
        }
        None => None,
    };
    let (body, citations) = body_with_ids(cx, raw, "en-");
    Some((Translation { title, body }, citations))
}

/// A page read from its file, with the keys of its sources to warn about uncited ones.
pub struct PageDraft {
    pub page: Page,
    pub source_keys: Vec<At<String>>,
}

pub fn page(
    cx: &mut Cx,
    node: &Node,
    slug: Slug,
    raw: Option<&RawBody>,
    file: String,
) -> Option<PageDraft> {
    let map = Map::new(cx, node, "a page", keys::PAGE)?;
    let title = req_text(cx, &map, "title", "Tentang atlas");
    let (sources, declared) = super::partnership::sources(cx, &map, false);
    let (body, citations) = body(cx, raw);
    match declared {
        Some(keys) => {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            super::partnership::check_citations(cx, &citations, &keys);
        }
        None if map.get("sources").is_none() => {
            if let Some(c) = citations.first() {
                cx.error(
                    c.span.clone(),
                    format!("no source with key `{}`", c.key),
                    "this page has no `sources`",
                    Some("list the page's sources under `sources:` in its front matter, as in a partnership entry".into()),
                );
            }
        }
        None => {}
    }
    let (sources, source_keys) = sources.into_iter().unzip();
    Some(PageDraft {
        page: Page {
            slug,
            title: title?.value,
            sources,
            body,
            en: None,
            file,
        },
        source_keys,
    })
}
