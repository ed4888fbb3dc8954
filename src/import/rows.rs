//! Reading a partnerships spreadsheet: the columns of the atlas's `partnerships.csv`,
//! each row checked on its own and located by its line, and what a row's note and
//! sources say about status and confidence.

use crate::diag::{Diagnostic, Source, did_you_mean, list};
use crate::model::{Confidence, Kind, PartnerLevel, RegionLevel, Status};
use std::ops::Range;

pub const COLUMNS: &[&str] = &[
    "region",
    "region_level",
    "region_province",
    "partner",
    "partner_level",
    "partner_country",
    "since",
    "kind",
    "source_url",
    "note",
];
/// Columns a spreadsheet may add to override what the import would decide.
const OPTIONAL: &[&str] = &["status", "confidence", "fields"];

/// One row, with every value checked.
pub struct Row {
    pub line: u64,
    /// Where each column's cell is in the file, for diagnostics.
    pub cells: std::collections::BTreeMap<String, Range<usize>>,
    pub region: String,
    pub region_level: RegionLevel,
    pub region_province: String,
    pub partner: String,
    pub partner_level: PartnerLevel,
    /// Uppercase alpha-2 as written; checked against the country table later.
    pub country: String,
    pub since: Option<u16>,
    pub kind: Kind,
    /// The source and every address in the note; without the source when it is not a
    /// web address (e.g. `seed: 000_….txt`).
    pub urls: Vec<String>,
    pub source: String,
    pub note: String,
    /// The `status` column, or what the note says.
    pub status: Status,
    /// The `confidence` column, or what the sources' sites say.
    pub confidence: Confidence,
    pub fields: Vec<String>,
}

/// Parses the whole file; rows with problems are reported and left out.
pub fn read(source: &Source) -> (Vec<Row>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(source.text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("cannot read the header row: {e}")).at(source, 0..0),
            );
            return (Vec::new(), diags);
        }
    };
    let header_span = 0..source.text.find('\n').unwrap_or(source.text.len());
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| column(c).is_none())
        .collect();
    if !missing.is_empty() {
        let d = Diagnostic::error(format!(
            "the header row lacks the column{} {}",
            if missing.len() == 1 { "" } else { "s" },
            list(&missing)
        ))
        .at(source, header_span)
        .label("header row")
        .help(format!(
            "the columns are {} (optional: {})",
            list(COLUMNS),
            list(OPTIONAL)
        ));
        diags.push(d);
        return (Vec::new(), diags);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let start = e.position().map_or(0, |p| p.byte() as usize);
                diags.push(Diagnostic::error(format!("unreadable row: {e}")).at(source, start..start).help("check the quoting: a value with a comma or a quote is written in double quotes, and a quote inside it is doubled"));
                continue;
            }
        };
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        // The reader counts the previous record's line ending as part of this one.
        start += source.text[start.min(source.text.len())..].len()
            - source.text[start.min(source.text.len())..]
                .trim_start_matches(['\r', '\n'])
                .len();
        let end = source.text[start..]
            .find('\n')
            .map_or(source.text.len(), |i| start + i);
        // The reader's own line count starts after the header; the file's line is what
        // an editor looks for.
        let line = source.line_col(start).0 as u64;
        let get = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let spans = cell_spans(&source.text[start..end], start, &record);
        let cells: std::collections::BTreeMap<String, Range<usize>> = headers
            .iter()
            .map(|h| h.trim().to_string())
            .zip(spans)
            .collect();
        let mut problems = Vec::new();
        let row = parse_row(&get, &mut problems);
        for (column, message, help) in &problems {
            let span = cells.get(*column).cloned().unwrap_or(start..end);
            diags.push(
                Diagnostic::error(message.clone())
                    .at(source, span)
                    .label(format!("in `{column}`"))
                    .help(help.clone()),
            );
        }
        if let (Some(mut row), true) = (row, problems.is_empty()) {
            row.line = line;
            row.cells = cells;
            rows.push(row);
        }
    }
    (rows, diags)
}

/// Where each field of a record is in its raw text (after `start`): found in order, so a
/// quoted field points at its text inside the quotes.
fn cell_spans(raw: &str, start: usize, record: &csv::StringRecord) -> Vec<Range<usize>> {
    let mut cursor = 0;
    let mut out = Vec::new();
    for field in record.iter() {
        let at = if field.is_empty() {
            None
        } else {
            raw[cursor..].find(field)
        };
        let span = match at {
            Some(p) => cursor + p..cursor + p + field.len(),
            None => cursor..cursor,
        };
        cursor = raw[span.end..]
            .find(',')
            .map_or(raw.len(), |c| span.end + c + 1);
        out.push(start + span.start..start + span.end);
    }
    out
}

type Problems = Vec<(&'static str, String, String)>;

fn parse_row(get: &dyn Fn(&str) -> String, problems: &mut Problems) -> Option<Row> {
    for c in [
        "region",
        "region_province",
        "partner",
        "partner_country",
        "source_url",
    ] {
        if get(c).is_empty() {
            problems.push((
                c,
                format!("`{c}` is empty"),
                "every row needs a region, its province, a partner, its country and a source"
                    .into(),
            ));
        }
    }
    let region_level = vocab(
        problems,
        "region_level",
        &get("region_level"),
        RegionLevel::NAMES,
        RegionLevel::parse,
    );
    let partner_level = partner_level(problems, &get("partner_level"));
    let kind = vocab(problems, "kind", &get("kind"), Kind::NAMES, Kind::parse);
    let since = match get("since").as_str() {
        "" => None,
        s => match s.parse::<u16>() {
            Ok(y) if (1000..=2100).contains(&y) => Some(y),
            _ => {
                problems.push((
                    "since",
                    format!("`since` is `{s}`, not a year"),
                    "write the year only (`1997`), or leave it empty when no source gives one"
                        .into(),
                ));
                None
            }
        },
    };
    let status = opt_vocab(
        problems,
        "status",
        &get("status"),
        Status::NAMES,
        Status::parse,
    );
    let confidence = opt_vocab(
        problems,
        "confidence",
        &get("confidence"),
        Confidence::NAMES,
        Confidence::parse,
    );
    let source = get("source_url");
    let note = get("note");
    let mut urls: Vec<String> = Vec::new();
    for u in std::iter::once(source.as_str())
        .filter(|s| is_url(s))
        .chain(urls_in(&note))
    {
        if !urls.iter().any(|x| x == u) {
            urls.push(u.to_string());
        }
    }
    let fields = get("fields")
        .split([';', ','])
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect();
    Some(Row {
        line: 0,
        cells: Default::default(),
        region: get("region"),
        region_level: region_level?,
        region_province: get("region_province"),
        partner: get("partner"),
        partner_level: partner_level?,
        country: get("partner_country").to_ascii_uppercase(),
        since,
        kind: kind?,
        status: status.unwrap_or_else(|| status_from_note(&note)),
        confidence: confidence.unwrap_or_else(|| confidence_from(&urls)),
        urls,
        source,
        note,
        fields,
    })
}

fn vocab<T>(
    problems: &mut Problems,
    column: &'static str,
    value: &str,
    names: &[&str],
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let parsed = parse(&value.to_lowercase().replace(' ', "-"));
    if parsed.is_none() {
        let help = did_you_mean(value, names.iter().copied())
            .unwrap_or_else(|| format!("use one of {}", list(names)));
        problems.push((
            column,
            format!("`{column}` is `{value}`, which is not one of the allowed values"),
            help,
        ));
    }
    parsed
}

/// `None` for an empty cell, and for a value that is reported as a problem.
fn opt_vocab<T>(
    problems: &mut Problems,
    column: &'static str,
    value: &str,
    names: &[&str],
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    if value.is_empty() {
        return None;
    }
    vocab(problems, column, value, names, parse)
}

/// Spreadsheets write levels as free text (`metropolitan city`, `county/city`).
fn partner_level(problems: &mut Problems, value: &str) -> Option<PartnerLevel> {
    let normal = value.to_lowercase().replace(' ', "-");
    normal.split('/').find_map(PartnerLevel::parse).or_else(|| {
        vocab(
            problems,
            "partner_level",
            value,
            PartnerLevel::NAMES,
            PartnerLevel::parse,
        )
    })
}

fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// Web addresses in free text, without the punctuation that ends a sentence around them.
pub fn urls_in(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ';' || c == '"')
        .filter_map(|w| w.find("http").map(|i| &w[i..]))
        .map(|w| w.trim_end_matches([',', '.', ')', ']', ':']))
        .filter(|w| is_url(w) && w.len() > "https://x.y".len())
}

/// What the note says about where the partnership stands; `active` when it says nothing.
pub fn status_from_note(note: &str) -> Status {
    let lower = note.to_lowercase();
    if note.contains("PLANNED") || lower.starts_with("proposed") || lower.contains("in progress") {
        Status::Planned
    } else if lower.contains("expired") {
        Status::Ended
    } else if lower.contains("dormant") {
        Status::Dormant
    } else {
        Status::Active
    }
}

/// `unverified` when only datasets or forums list the pair; `confirmed` when a
/// government site does; otherwise `reported`.
pub fn confidence_from(urls: &[String]) -> Confidence {
    let hosts: Vec<String> = urls.iter().map(|u| host(u)).collect();
    if hosts.iter().any(|h| is_official(h)) {
        Confidence::Confirmed
    } else if !hosts.is_empty() && hosts.iter().all(|h| is_dataset_or_forum(h)) {
        Confidence::Unverified
    } else {
        Confidence::Reported
    }
}

/// `www.beritajakarta.id` for `https://www.beritajakarta.id/en/read/…`.
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_lowercase()
}

fn is_official(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    // `.go.id`, `.go.kr`, `.go.jp`, `.gov`, `.gov.au`, `.gov.cn`, `.lg.jp`, `pref.kumamoto.jp`
    labels.iter().enumerate().any(|(i, l)| {
        let last_two = i + 2 >= labels.len();
        (*l == "gov" || *l == "gouv") || (last_two && (*l == "go" || *l == "lg") && i > 0)
    }) || (labels.first() == Some(&"pref") || labels.get(1) == Some(&"pref"))
        && labels.last() == Some(&"jp")
}

fn is_dataset_or_forum(host: &str) -> bool {
    const HOSTS: &[&str] = &[
        "github.com",
        "mail-archive.com",
        "skyscrapercity.com",
        "wikipedia.org",
        "wikidata.org",
        "groups.google.com",
    ];
    HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_decide_status_and_hosts_decide_confidence() {
        assert_eq!(
            status_from_note("PLANNED: first delegation meeting"),
            Status::Planned
        );
        assert_eq!(
            status_from_note("reported dormant since the 2000s"),
            Status::Dormant
        );
        assert_eq!(status_from_note("MoUs expired by 2016"), Status::Ended);
        assert_eq!(
            status_from_note("MoU signed 1 Aug 2015; a further letter of intent 2023"),
            Status::Active
        );
        let c = |u: &[&str]| confidence_from(&u.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            c(&["https://www.jabarprov.go.id/x", "https://blog.example.com"]),
            Confidence::Confirmed
        );
        assert_eq!(
            c(&["https://www.darwin.nt.gov.au/x"]),
            Confidence::Confirmed
        );
        assert_eq!(
            c(&["https://www.pref.kumamoto.jp/x"]),
            Confidence::Confirmed
        );
        assert_eq!(c(&["https://www.kompas.com/read"]), Confidence::Reported);
        assert_eq!(
            c(&[
                "https://github.com/rogorido/sistercities/x",
                "https://www.skyscrapercity.com/t"
            ]),
            Confidence::Unverified
        );
        assert_eq!(c(&["https://jakartaglobe.id/news"]), Confidence::Reported);
    }

    #[test]
    fn urls_are_found_in_notes_without_trailing_punctuation() {
        let note = "also https://a.example/x; also listed: https://b.example/y (Wikidata), see http://c.example/z.";
        assert_eq!(
            urls_in(note).collect::<Vec<_>>(),
            [
                "https://a.example/x",
                "https://b.example/y",
                "http://c.example/z"
            ]
        );
    }
}
