//! Open data: every partnership as JSON (one file per partnership and one for all),
//! CSV and GeoJSON. Columns and properties are documented in the README.

use super::json::Pretty;
use super::pages::{Job, Make};
use super::record::record;
use crate::index::Indexes;
use crate::model::*;
use crate::urls;
use std::sync::Mutex;

pub const CSV_COLUMNS: &[&str] = &[
    "slug",
    "title",
    "region",
    "region_name",
    "region_level",
    "province",
    "partner",
    "partner_name",
    "partner_level",
    "country",
    "country_name",
    "kind",
    "status",
    "confidence",
    "signed",
    "until",
    "fields",
    "sources",
    "page",
];

/// One data file, made when its turn comes.
pub enum Data<'a> {
    /// One partnership's JSON record.
    Record(&'a Partnership),
    All,
    Csv,
    GeoJson,
    /// The explorer's search index for a language.
    Explorer(crate::lang::Lang),
}

/// Every data file, with its path.
pub(super) fn jobs<'a>(atlas: &'a Atlas, languages: &[crate::lang::Lang]) -> Vec<Job<'a>> {
    let job = |path: String, d: Data<'a>| Job {
        path,
        make: Make::Data(d),
    };
    let mut jobs: Vec<Job> = atlas
        .partnerships
        .values()
        .map(|p| job(urls::partnership_json(&p.slug), Data::Record(p)))
        .collect();
    jobs.push(job("data/partnerships.json".into(), Data::All));
    jobs.push(job("data/partnerships.csv".into(), Data::Csv));
    jobs.push(job("data/partnerships.geojson".into(), Data::GeoJson));
    for &lang in languages {
        jobs.push(job(super::explorer::index_path(lang), Data::Explorer(lang)));
    }
    jobs
}

/// Each partnership's JSON record, printed once for both files that hold it:
/// `data/partnerships.json`, one of the first jobs, leaves each record here for the
/// record's own file, which takes it. Printing every record twice was a twentieth of a
/// build; the records wait in memory meanwhile (a sixth of the peak at N = 50,000).
/// Either job prints a record the other has not left, so any order gives the same bytes.
pub struct Records(Vec<Mutex<Slot>>);

/// Where one record is between the two jobs that write it.
#[derive(Default)]
enum Slot {
    #[default]
    Waiting,
    Left(Vec<u8>),
    /// The record's own file is made: nothing is left for it any more.
    Taken,
}

impl Records {
    /// `keep` is false when the records' own files are not all made (`check`): then
    /// none is left waiting.
    pub fn new(atlas: &Atlas, keep: bool) -> Records {
        let slots = if keep { atlas.partnerships.len() } else { 0 };
        Records((0..slots).map(|_| Mutex::default()).collect())
    }

    fn slot(&self, p: &Partnership) -> Option<std::sync::MutexGuard<'_, Slot>> {
        let slot = self.0.get(p.rank.0)?;
        Some(slot.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The record's own file: what `data/partnerships.json` left, or printed now.
    fn take(&self, ix: &Indexes, p: &Partnership) -> Vec<u8> {
        let left = self
            .slot(p)
            .map(|mut s| std::mem::replace(&mut *s, Slot::Taken));
        let mut out = match left {
            Some(Slot::Left(bytes)) => bytes,
            _ => print(ix, p),
        };
        out.push(b'\n');
        out
    }

    /// Leaves a record for its own file, unless that was made already.
    fn leave(&self, p: &Partnership, bytes: Vec<u8>) {
        if let Some(mut slot) = self.slot(p)
            && matches!(*slot, Slot::Waiting)
        {
            *slot = Slot::Left(bytes);
        }
    }
}

/// A record as its own file holds it, without the last newline.
fn print(ix: &Indexes, p: &Partnership) -> Vec<u8> {
    let mut w = Pretty::new(8 * 1024, 0);
    record(ix.ends(p), p).write(&mut w);
    w.out
}

/// Appends `record` one level deeper: two more spaces after each line break. A JSON
/// string holds no raw line break (it is escaped), so each is between two tokens.
fn indent_into(out: &mut Vec<u8>, record: &[u8]) {
    let mut rest = record;
    while let Some(i) = memchr::memchr(b'\n', rest) {
        out.extend_from_slice(&rest[..=i]);
        out.extend_from_slice(b"  ");
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
}

impl Data<'_> {
    /// The file's bytes, in one part or several to be written one after another.
    pub fn make(&self, atlas: &Atlas, ix: &Indexes, records: &Records) -> Vec<Vec<u8>> {
        let one = match self {
            Data::Record(p) => records.take(ix, p),
            Data::All => return all(ix, records),
            Data::Csv => csv(atlas, ix),
            Data::GeoJson => super::geojson::make(ix),
            Data::Explorer(lang) => super::explorer::index_script(ix, *lang),
        };
        vec![one]
    }
}

/// Every record in one pretty-printed array, made in parallel chunks and left in them:
/// this one file is a fifth of the site's bytes, and joining the chunks would copy it
/// into as much new memory. Each chunk is its records one level deep, each after a
/// newline, the first chunk opening the array and the others starting with a comma.
fn all(ix: &Indexes, records: &Records) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    if ix.all.is_empty() {
        return vec![b"[]\n".to_vec()];
    }
    let mut parts: Vec<Vec<u8>> = ix
        .all
        .par_chunks(256)
        .enumerate()
        .map(|(n, chunk)| {
            let mut out = Vec::with_capacity(chunk.len() * 8 * 1024);
            out.push(if n == 0 { b'[' } else { b',' });
            for (i, p) in chunk.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"\n  ");
                let bytes = print(ix, p);
                indent_into(&mut out, &bytes);
                records.leave(p, bytes);
            }
            out
        })
        .collect();
    parts.push(b"\n]\n".to_vec());
    parts
}

fn csv(atlas: &Atlas, ix: &Indexes) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(CSV_COLUMNS);
    for p in &ix.all {
        let ends = ix.ends(p);
        let (region, partner) = (ends.region, ends.partner);
        let opt = |d: &Option<PartialDate>| d.map(|d| d.iso()).unwrap_or_default();
        let row = [
            p.slug.to_string(),
            ends.title.clone(),
            p.region.to_string(),
            region.map(|r| r.name.clone()).unwrap_or_default(),
            region.map(|r| r.level.to_string()).unwrap_or_default(),
            ends.province
                .map(|r| r.slug.to_string())
                .unwrap_or_default(),
            p.partner.to_string(),
            partner.map(|x| x.name.clone()).unwrap_or_default(),
            partner.map(|x| x.level.to_string()).unwrap_or_default(),
            p.partner.country.upper(),
            atlas
                .countries
                .get(p.partner.country.as_str())
                .map(|c| c.name_en.clone())
                .unwrap_or_default(),
            p.kind.to_string(),
            p.status.to_string(),
            p.confidence.map(|c| c.to_string()).unwrap_or_default(),
            opt(&p.signed),
            opt(&p.until),
            p.fields
                .iter()
                .map(FieldId::as_str)
                .collect::<Vec<_>>()
                .join(";"),
            p.sources
                .iter()
                .map(|s| s.url.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            urls::partnership(&p.slug),
        ];
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record printed at the top and moved one level down reads as one printed in
    /// the list: nested objects, arrays, empty ones and text with escaped line breaks.
    #[test]
    fn indenting_a_record_is_printing_it_one_level_deeper() {
        let write = |w: &mut Pretty| {
            w.object(|w| {
                w.field("slug", "a-b");
                w.text("history", Some("<p>one</p>\n<p>two</p>"));
                w.array("events", [1, 2], |w, n| w.object(|w| w.field("n", &n)));
                w.array("none", Vec::<u8>::new(), |_, _| {});
            })
        };
        let mut top = Pretty::new(0, 0);
        write(&mut top);
        let mut deep = Pretty::new(0, 1);
        write(&mut deep);
        let mut moved = Vec::new();
        indent_into(&mut moved, &top.out);
        assert_eq!(String::from_utf8(moved), String::from_utf8(deep.out));
    }
}
