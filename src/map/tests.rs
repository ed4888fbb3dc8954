use super::path::PathBuilder;
use super::projection::{WIDTH, equal_earth, height, project, relative_lon};
use super::svg::{HIGHLIGHT, INDONESIA, LAND, OCEAN, PARTNER};
use super::*;
use std::f64::consts::PI;

fn spec<'a>(places: &'a [Place<'a>], arcs: &'a [Arc<'a>], view: View) -> MapSpec<'a> {
    MapSpec {
        id: "m1",
        root: "../",
        title: "Peta kemitraan",
        description: "Kota kembar",
        highlight: &["360"],
        country_links: &[],
        places,
        arcs,
        view,
    }
}

const JAKARTA: Place<'static> = Place {
    lon: 106.8,
    lat: -6.2,
    name: "Jakarta",
    href: Some("kota/jakarta/"),
    kind: PlaceKind::Indonesia,
};
const FORT_WORTH: Place<'static> = Place {
    lon: -97.3,
    lat: 32.8,
    name: "Fort Worth",
    href: None,
    kind: PlaceKind::Partner,
};

fn country<'m>(map: &'m WorldMap, numeric: &str) -> &'m CountryShape {
    map.countries
        .iter()
        .find(|c| c.numeric == numeric)
        .unwrap_or_else(|| panic!("{numeric} missing"))
}

/// The union of a country's drawn extents.
fn extent(c: &CountryShape) -> path::Rect {
    let mut r = path::Rect::EMPTY;
    for e in &c.extents {
        r.include((e.min_x, e.min_y));
        r.include((e.max_x, e.max_y));
    }
    r
}

fn subpaths(d: &str) -> usize {
    d.matches(['M', 'm']).count()
}

/// Parses the SVG with quick-xml (a dev-dependency): well-formed, tags
/// balanced, entities valid.
fn assert_well_formed(svg: &str) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut depth = 0usize;
    let mut roots = 0;
    let check_attributes = |e: &quick_xml::events::BytesStart| {
        for attr in e.attributes() {
            let attr = attr.unwrap_or_else(|err| panic!("bad attribute: {err}"));
            attr.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                .unwrap_or_else(|err| panic!("bad attribute value: {err}"));
        }
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if depth == 0 {
                    roots += 1;
                    assert_eq!(e.name().as_ref(), "svg");
                }
                check_attributes(&e);
                depth += 1;
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Empty(e)) => {
                assert!(depth > 0, "element outside <svg>");
                check_attributes(&e);
            }
            Ok(Event::Text(t)) => {
                assert!((depth > 0 || t.trim_ascii().is_empty()) && !t.contains(['<', '>', '&']))
            }
            Ok(Event::GeneralRef(r)) => {
                let name: &str = r.as_ref();
                assert!(
                    ["amp", "lt", "gt", "quot", "apos"].contains(&name),
                    "&{name};"
                );
            }
            Ok(Event::Eof) => break,
            Ok(Event::Comment(_)) => {}
            Ok(other) => panic!("unexpected {other:?}"),
            Err(e) => panic!("malformed SVG at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!((depth, roots), (0, 1));
}

#[test]
fn embedded_atlas_decodes() {
    let atlas = topojson::decode(topojson::COUNTRIES_110M).expect("embedded file decodes");
    assert_eq!(
        atlas.countries.len(),
        176,
        "177 geometries minus Antarctica"
    );
    assert!(atlas.countries.iter().all(|c| c.numeric != "010"));
    let map = WorldMap::builtin();
    assert_eq!(map.countries.len(), 176);
    assert_eq!(country(&map, "360").name, "Indonesia");
}

#[test]
fn indonesia_is_near_the_centre() {
    let map = WorldMap::builtin();
    let b = extent(country(&map, "360"));
    let (cx, cy) = ((b.min_x + b.max_x) / 2.0, (b.min_y + b.max_y) / 2.0);
    assert!((cx - WIDTH / 2.0).abs() < 30.0, "cx = {cx}");
    assert!((cy - map.height / 2.0).abs() < 30.0, "cy = {cy}");
    // Americas to the right, Europe and Africa to the left.
    assert!(extent(country(&map, "484")).min_x > 750.0, "Mexico right");
    assert!(
        extent(country(&map, "250")).max_x < WIDTH / 2.0,
        "France left"
    );
    assert!(
        extent(country(&map, "566")).max_x < WIDTH / 2.0,
        "Nigeria left"
    );
}

#[test]
fn equal_earth_known_values() {
    assert_eq!(equal_earth(0.0, 0.0), (0.0, 0.0));
    let (x, y) = project(120.0, 0.0);
    assert!((x - WIDTH / 2.0).abs() < 1e-9 && (y - height() / 2.0).abs() < 1e-9);
    // On the equator x = λ / (M·A1); the edge meridian reaches furthest there.
    let x_max = equal_earth(PI, 0.0).0;
    assert!((x_max - PI / (3f64.sqrt() / 2.0 * 1.340264)).abs() < 1e-12);
    assert!((x_max - 2.706_629).abs() < 1e-5, "{x_max}");
    for lat in (-90..=90).step_by(5) {
        assert!(equal_earth(PI, f64::from(lat).to_radians()).0 <= x_max + 1e-12);
    }
    // Published aspect ratio of Equal Earth: about 2.05:1.
    let ratio = WIDTH / height();
    assert!((ratio - 2.0546).abs() < 1e-3, "{ratio}");
    assert!(
        (project(-60.0, 0.0).0 - 0.0).abs() < 1e-9,
        "the cut is the left edge"
    );
    assert_eq!(relative_lon(-60.0), -180.0);
    assert_eq!(relative_lon(300.0), -180.0);
}

/// A square from 70°W to 50°W crosses the cut at 60°W: it must be drawn at
/// both edges, and the countries are clipped to the sphere.
#[test]
fn ring_across_the_cut_is_drawn_twice_and_clipped() {
    let topo = r#"{"type":"Topology","arcs":[[[-70,0],[-50,0],[-50,10],[-70,10],[-70,0]]],
        "objects":{"countries":{"type":"GeometryCollection","geometries":[
        {"type":"Polygon","arcs":[[0]],"id":"999","properties":{"name":"Cut"}}]}}}"#;
    let map = WorldMap::from_topojson(topo).expect("decodes");
    let c = country(&map, "999");
    assert_eq!(subpaths(&c.d[0]), 2, "{}", c.d[0]);
    assert_eq!(subpaths(&c.d[1]), 2, "{}", c.d[1]);
    assert_eq!(c.extents.len(), 2, "{:?}", c.extents);
    assert!(
        extent(c).min_x < 0.0 && extent(c).max_x > WIDTH,
        "{:?}",
        c.extents
    );
    let mut s = spec(&[], &[], View::World);
    s.highlight = &["999"];
    let svg = map.svg(&s);
    assert!(svg.contains("<clipPath id=\"m1-clip\">"));
    assert!(svg.contains("<g class=\"countries\"") && svg.contains("clip-path=\"url(#m1-clip)\""));
    for base in &map.base {
        assert!(
            base.contains("<clipPath id=\"clip\">") && base.contains("clip-path=\"url(#clip)\"")
        );
    }
    // Real data: Greenland and Brazil straddle 60°W, Russia and Fiji straddle
    // 180° (which is inside this map) and must stay in one piece.
    let world = WorldMap::builtin();
    assert_eq!(subpaths(&country(&world, "304").d[0]), 2);
    let fiji = extent(country(&world, "242"));
    assert!(fiji.width() < 20.0, "Fiji in one place: {fiji:?}");
    let russia = extent(country(&world, "643"));
    assert!(
        russia.max_x < WIDTH * 0.75 && russia.min_x > WIDTH * 0.25,
        "{russia:?}"
    );
}

#[test]
fn arcs_take_the_short_way() {
    let map = WorldMap::builtin();
    let arcs = [
        Arc {
            from: (106.8, -6.2),
            to: (-97.3, 32.8),
            href: Some("a/"),
            name: "Jakarta – Fort Worth",
        },
        Arc {
            from: (106.8, -6.2),
            to: (4.9, 52.4),
            href: None,
            name: "Jakarta – Amsterdam",
        },
    ];
    let svg = map.svg(&spec(&[JAKARTA, FORT_WORTH], &arcs, View::World));
    let ds: Vec<&str> = svg
        .split("class=\"map-arc-line\" d=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(ds.len(), 2);
    // "M x y q cx cy dx dy": the end's x offset is the last-but-one number.
    let end_dx = |d: &str| -> f64 {
        let after_q = d.split('q').nth(1).unwrap_or("");
        let nums: Vec<f64> = after_q
            .replace('-', " -")
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        nums[nums.len() - 2]
    };
    assert!(
        end_dx(ds[0]) > 300.0,
        "Fort Worth is right of Jakarta: {}",
        ds[0]
    );
    assert!(
        end_dx(ds[1]) < -150.0,
        "Amsterdam is left of Jakarta: {}",
        ds[1]
    );
    assert!(svg.contains("<a class=\"map-arc\" href=\"a/\" aria-label=\"Jakarta – Fort Worth\">"));
    assert!(svg.contains("<g class=\"map-arc\"><title>Jakarta – Amsterdam</title>"));
}

#[test]
fn output_is_well_formed_and_escaped() {
    let map = WorldMap::builtin();
    let places = [
        Place {
            name: "A & B <\"x\">'s",
            href: Some("k?a=1&b=2"),
            ..JAKARTA
        },
        FORT_WORTH,
    ];
    let arcs = [Arc {
        from: (106.8, -6.2),
        to: (-97.3, 32.8),
        href: None,
        name: "x<y",
    }];
    let links = [CountryLink {
        numeric: "840",
        href: "negara/as/",
        name: "Amerika & \"Serikat\"",
    }];
    let mut s = spec(&places, &arcs, View::World);
    s.country_links = &links;
    s.title = "T<&>";
    let svg = map.svg(&s);
    assert_well_formed(&svg);
    assert!(svg.starts_with(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"world-map\" viewBox=\"0 0 1000 486.7\""
    ));
    assert!(svg.contains("role=\"group\" aria-labelledby=\"m1-title m1-desc\""));
    assert!(svg.contains("<title id=\"m1-title\">T&lt;&amp;&gt;</title>"));
    assert!(svg.contains("aria-label=\"A &amp; B &lt;&quot;x&quot;&gt;&apos;s\""));
    assert!(svg.contains("href=\"k?a=1&amp;b=2\""));
    assert!(svg.contains("<a href=\"negara/as/\" class=\"map-country\" aria-label=\"Amerika &amp; &quot;Serikat&quot;\">"));
    assert!(svg.contains("<path class=\"country-highlight\" fill=\"#7fb0dc\""));
    assert!(svg.contains("<a class=\"map-place map-place-indonesia\""));
    assert!(svg.contains("<circle class=\"map-place map-place-partner\""));
    assert!(svg.contains("<title>Fort Worth</title></circle>"));
    // The sphere (as clip path), the highlighted and the linked country, and an
    // arc with its hit area: the other countries are in the base map.
    assert_eq!(svg.matches("<path").count(), 1 + 2 + 2);
    assert!(svg.contains(
        "<image class=\"map-base\" href=\"../map/world.svg\" width=\"1000\" height=\"486.7\""
    ));
}

#[test]
fn fit_view_contains_the_places() {
    let map = WorldMap::builtin();
    let places = [
        JAKARTA,
        Place {
            lon: 130.4,
            lat: 33.6,
            name: "Fukuoka",
            ..FORT_WORTH
        },
    ];
    let mut s = spec(&places, &[], View::Fit { padding: 20.0 });
    s.highlight = &["360", "076"];
    let svg = map.svg(&s);
    assert_well_formed(&svg);
    // Zoomed in: the fine base map.
    assert!(svg.contains("href=\"../map/world-detail.svg\""));
    let vb: Vec<f64> = svg
        .split("viewBox=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(|v| v.split(' ').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    assert_eq!(vb.len(), 4);
    let (x0, y0, w, h) = (vb[0], vb[1], vb[2], vb[3]);
    for p in &places {
        let (x, y) = project(p.lon, p.lat);
        assert!(
            x > x0 + 19.0 && x < x0 + w - 19.0 && y > y0 + 19.0 && y < y0 + h - 19.0,
            "{p:?} in {vb:?}"
        );
    }
    assert!((WIDTH / 6.0 - 0.1..WIDTH / 2.0).contains(&w), "{w}");
    assert!(x0 >= 0.0 && y0 >= 0.0 && x0 + w <= WIDTH + 0.1 && y0 + h <= map.height + 0.1);
    // Highlighted countries far outside the crop are skipped.
    assert!(!svg.contains("<title>Brazil</title>"));
    assert!(svg.contains("<title>Indonesia</title>"));
    // A single place near the edge: minimum size, pushed back inside.
    let edge = [Place {
        lon: -61.0,
        lat: 80.0,
        ..FORT_WORTH
    }];
    let view = map.view_box(&spec(&edge, &[], View::Fit { padding: 10.0 }));
    assert!(view.width() >= WIDTH / 6.0 - 1e-9 && view.min_y >= 0.0 && view.max_x <= WIDTH + 1e-9);
}

#[test]
fn output_is_deterministic() {
    let map = WorldMap::builtin();
    let places = [JAKARTA, FORT_WORTH];
    let arcs = [Arc {
        from: (106.8, -6.2),
        to: (-97.3, 32.8),
        href: None,
        name: "a",
    }];
    let s = spec(&places, &arcs, View::World);
    assert_eq!(map.svg(&s), map.svg(&s));
    assert_eq!(map.svg(&s), WorldMap::builtin().svg(&s));
}

#[test]
fn base_maps_are_compact_and_hold_every_country() {
    let map = WorldMap::builtin();
    let files: Vec<(&str, &[u8])> = map.base_files().collect();
    assert_eq!(
        files.iter().map(|f| f.0).collect::<Vec<_>>(),
        ["map/world.svg", "map/world-detail.svg"]
    );
    for (level, (path, bytes)) in files.into_iter().enumerate() {
        let svg = std::str::from_utf8(bytes).expect("UTF-8");
        assert_well_formed(svg);
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 486.7\"")
        );
        let drawn = map
            .countries
            .iter()
            .filter(|c| !c.d[level].is_empty())
            .count();
        // The sphere twice (clip and ocean), then one path per country.
        assert_eq!(svg.matches("<path").count(), 2 + drawn, "{path}");
        assert!(drawn > 170, "{path}: {drawn}");
        let limit = [55_000, 80_000][level];
        assert!(svg.len() < limit, "{path}: {} bytes", svg.len());
    }
    // A page's map without highlights is only its frame, the image and markers.
    let mut s = spec(&[JAKARTA], &[], View::World);
    s.highlight = &[];
    let svg = map.svg(&s);
    assert!(svg.len() < 1_000, "{} bytes: {svg}", svg.len());
    assert!(!svg.contains("<g class=\"countries\""), "{svg}");
}

#[test]
fn path_numbers_are_compact_and_exact() {
    let mut b = PathBuilder::new();
    b.ring(&[(1.0, 1.0), (1.5, 1.5), (1.5, 2.5), (1.0, 1.0)]);
    b.ring(&[(3.0, 3.0), (3.02, 3.0), (4.0, 3.0), (4.0, 4.1), (3.0, 3.0)]);
    b.ring(&[(5.0, 5.0), (4.5, 5.0), (4.5, 4.0)]);
    b.ring(&[(7.0, 7.0), (7.01, 7.01), (7.0, 7.02)]); // rounds to one point: skipped
    // ".5.5" is two numbers, "-" needs no separator, "0" after a decimal
    // does; later rings start relative to the previous ring's start; points
    // that round to the same tenth are written once.
    assert_eq!(b.finish(), "M1 1l.5.5 0 1zm2 2l1 0 0 1.1zm2 2l-.5 0 0-1z");
}

#[test]
fn simplify_keeps_ends_and_shape() {
    let line = [(0.0, 0.0), (1.0, 1.1), (2.0, 2.0), (3.0, 3.0), (6.0, 0.0)];
    assert_eq!(
        path::simplify(&line, 0.4, 0.0),
        vec![0, 3, 4],
        "near the line"
    );
    let line = [(0.0, 0.0), (1.0, 1.0), (1.1, 1.2), (2.0, 0.0)];
    assert_eq!(path::simplify(&line, 0.0, 0.4), vec![0, 1, 3], "too close");
    // A closed ring (first point = last) keeps its far side.
    let ring = [(0.0, 0.0), (5.0, 0.0), (5.0, 5.0), (0.0, 5.0), (0.0, 0.0)];
    assert_eq!(path::simplify(&ring, 0.4, 0.4).len(), 5);
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn marker_contrast() {
    for marker in [INDONESIA, PARTNER] {
        for background in [OCEAN, LAND, HIGHLIGHT] {
            let c = contrast(marker, background);
            assert!(c >= 3.0, "{marker} on {background}: {c:.2}");
        }
    }
}
