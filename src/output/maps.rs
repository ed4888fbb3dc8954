//! The maps of the site, drawn at build time from the embedded world map: every
//! partnership's arc on the home page, the two places of a partnership, a country
//! highlighted with its partners.

use super::pages::Ctx;
use crate::map::{Arc, CountryLink, MapSpec, Place, PlaceKind, View};
use crate::model::*;
use crate::render::view;
use crate::urls;
use std::collections::BTreeSet;

/// Links on a map are relative to the page the map is on.
fn href(page: &str, target: &str) -> String {
    format!("{}{target}", urls::root_of(page))
}

/// The site's root from a page in `cx`'s language, where the base maps are.
fn asset_root(cx: &Ctx, page: &str) -> String {
    urls::root_of(&format!("{}{page}", cx.lang.prefix()))
}

fn numeric<'a>(atlas: &'a Atlas, c: &CountryCode) -> Option<&'a str> {
    let n = atlas.countries.get(c.as_str())?.numeric.as_str();
    (!n.is_empty()).then_some(n)
}

/// Every partnership as an arc from its Indonesian region to its partner (when the
/// partner is placed), the places as links, partner countries highlighted and linked.
pub(super) fn home(cx: &Ctx) -> String {
    let (atlas, lang) = (cx.atlas, cx.lang);
    let page = "index.html";
    let mut regions = BTreeSet::new();
    let mut partners = BTreeSet::new();
    let mut arcs = Vec::new();
    for p in cx.some(&cx.ix.all) {
        let ends = cx.ix.ends(p);
        let (Some(r), Some(x)) = (ends.region, ends.partner) else {
            continue;
        };
        regions.insert(&r.slug);
        let Some(to) = x.coordinates else { continue };
        partners.insert(&x.id);
        arcs.push((
            (r.coordinates.lon, r.coordinates.lat),
            (to.lon, to.lat),
            href(page, &urls::partnership(&p.slug)),
            ends.title_in(p, lang),
        ));
    }
    let mut places: Vec<(f64, f64, String, String, PlaceKind)> = Vec::new();
    for s in regions {
        if let Some(r) = atlas.regions.get(s) {
            let name = view::link_region(r, lang).name;
            places.push((
                r.coordinates.lon,
                r.coordinates.lat,
                name,
                href(page, &urls::region(s)),
                PlaceKind::Indonesia,
            ));
        }
    }
    for id in partners {
        if let Some((x, c)) = atlas
            .partners
            .get(id)
            .and_then(|x| Some((x, x.coordinates?)))
        {
            places.push((
                c.lon,
                c.lat,
                x.name.clone(),
                href(page, &urls::partner(id)),
                PlaceKind::Partner,
            ));
        }
    }
    let countries: Vec<(&str, String, String)> = cx
        .ix
        .by_country
        .keys()
        .filter_map(|c| {
            Some((
                numeric(atlas, c)?,
                href(page, &urls::country(c)),
                view::link_country(atlas, c, lang).name,
            ))
        })
        .collect();
    let highlight: Vec<&str> = countries.iter().map(|c| c.0).collect();
    let links: Vec<CountryLink> = countries
        .iter()
        .map(|(n, h, name)| CountryLink {
            numeric: n,
            href: h,
            name,
        })
        .collect();
    let places: Vec<Place> = places
        .iter()
        .map(|(lon, lat, name, h, kind)| Place {
            lon: *lon,
            lat: *lat,
            name,
            href: Some(h),
            kind: *kind,
        })
        .collect();
    let arcs: Vec<Arc> = arcs
        .iter()
        .map(|(from, to, h, name)| Arc {
            from: *from,
            to: *to,
            href: Some(h),
            name,
        })
        .collect();
    cx.map.svg(&MapSpec {
        id: "map-home",
        root: &asset_root(cx, page),
        title: &cx.label(&["map", "home_title"]),
        description: &cx.label(&["map", "home_description"]),
        highlight: &highlight,
        country_links: &links,
        places: &places,
        arcs: &arcs,
        view: View::World,
    })
}

/// The two places of a partnership and the arc between them, cropped to fit.
pub(super) fn partnership(cx: &Ctx, p: &Partnership) -> Option<String> {
    let (atlas, lang) = (cx.atlas, cx.lang);
    let page = urls::partnership(&p.slug);
    let ends = cx.ix.ends(p);
    let (r, x) = (ends.region?, ends.partner?);
    let to = x.coordinates?;
    let region_name = view::link_region(r, lang).name;
    let (region_href, partner_href) = (
        href(&page, &urls::region(&r.slug)),
        href(&page, &urls::partner(&x.id)),
    );
    let places = [
        Place {
            lon: r.coordinates.lon,
            lat: r.coordinates.lat,
            name: &region_name,
            href: Some(&region_href),
            kind: PlaceKind::Indonesia,
        },
        Place {
            lon: to.lon,
            lat: to.lat,
            name: &x.name,
            href: Some(&partner_href),
            kind: PlaceKind::Partner,
        },
    ];
    let title = ends.title_in(p, lang);
    let arcs = [Arc {
        from: (r.coordinates.lon, r.coordinates.lat),
        to: (to.lon, to.lat),
        href: None,
        name: &title,
    }];
    let highlight: Vec<&str> = numeric(atlas, &p.partner.country).into_iter().collect();
    Some(cx.map.svg(&MapSpec {
        id: "map-partnership",
        root: &asset_root(cx, &page),
        title: &format!("{}: {title}", cx.label(&["map", "title"])),
        description: &cx.label(&["map", "partnership_description"]),
        highlight: &highlight,
        country_links: &[],
        places: &places,
        arcs: &arcs,
        view: View::Fit { padding: 60.0 },
    }))
}

/// A country highlighted, with its partners as links.
pub(super) fn country(cx: &Ctx, c: &CountryCode) -> Option<String> {
    let atlas = cx.atlas;
    let n = numeric(atlas, c)?;
    let page = urls::country(c);
    let partners: Vec<(&Partner, Coordinates, String)> = atlas
        .partners
        .values()
        .filter(|x| &x.id.country == c)
        .filter_map(|x| Some((x, x.coordinates?, href(&page, &urls::partner(&x.id)))))
        .collect();
    let places: Vec<Place> = partners
        .iter()
        .map(|(x, at, h)| Place {
            lon: at.lon,
            lat: at.lat,
            name: &x.name,
            href: Some(h),
            kind: PlaceKind::Partner,
        })
        .collect();
    let name = view::link_country(atlas, c, cx.lang).name;
    let svg = cx.map.svg(&MapSpec {
        id: "map-country",
        root: &asset_root(cx, &page),
        title: &format!("{}: {name}", cx.label(&["map", "title"])),
        description: &cx.label(&["map", "country_description"]),
        highlight: &[n],
        country_links: &[],
        places: &places,
        arcs: &[],
        view: if places.is_empty() {
            View::World
        } else {
            View::Fit { padding: 80.0 }
        },
    });
    Some(svg)
}
