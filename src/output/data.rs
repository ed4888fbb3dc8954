//! Open data: every partnership as JSON (one file per partnership and one for all),
//! CSV and GeoJSON. Columns and properties are documented in the README.

use super::json::Pretty;
use super::pages::{Job, Make};
use super::record::record;
use crate::index::Indexes;
use crate::model::*;
use crate::urls;
use std::ops::Range;
use std::sync::{Arc, Mutex};

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
/// `data/partnerships.json`, one of the first jobs, leaves where each record is in its
/// chunks, and the record's own file is copied from there, one level less deep.
/// Printing every record twice was a twentieth of a build; keeping each record's own
/// copy until its file was made was 300 MB more at N = 50,000, each page of which the
/// kernel had to zero (about 6 % of a build's time). Either job prints a record the
/// other has not left, so any order gives the same bytes.
pub struct Records(Vec<Mutex<Slot>>);

/// Where one record is between the two jobs that write it.
#[derive(Default)]
enum Slot {
    #[default]
    Waiting,
    /// In a chunk of `data/partnerships.json`, one level deep, at these bytes.
    Left(Part, Range<usize>),
    /// The record's own file is made: nothing is left for it any more.
    Taken,
}

/// Bytes of a file being made, shared when two files are made from them.
pub type Part = Arc<Vec<u8>>;

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

    /// The record's own file: copied from where `data/partnerships.json` left it, or
    /// printed now.
    fn take(&self, ix: &Indexes, p: &Partnership) -> Vec<u8> {
        let left = self
            .slot(p)
            .map(|mut s| std::mem::replace(&mut *s, Slot::Taken));
        let mut out = match left {
            Some(Slot::Left(chunk, at)) => outdent(&chunk[at]),
            _ => print(ix, p),
        };
        out.push(b'\n');
        out
    }

    /// Leaves where a record is for its own file, unless that was made already.
    fn leave(&self, p: &Partnership, chunk: &Part, at: Range<usize>) {
        if let Some(mut slot) = self.slot(p)
            && matches!(*slot, Slot::Waiting)
        {
            *slot = Slot::Left(Arc::clone(chunk), at);
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

/// A record one level deep, as [`indent_into`] wrote it, back at the top level.
fn outdent(indented: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(indented.len());
    let mut rest = indented;
    while let Some(i) = memchr::memchr(b'\n', rest) {
        out.extend_from_slice(&rest[..=i]);
        rest = rest.get(i + 3..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    out
}

impl Data<'_> {
    /// The file's bytes, in one part or several to be written one after another.
    pub fn make(&self, atlas: &Atlas, ix: &Indexes, records: &Records) -> Vec<Part> {
        let one = match self {
            Data::Record(p) => records.take(ix, p),
            Data::All => return all(ix, records),
            Data::Csv => csv(atlas, ix),
            Data::GeoJson => super::geojson::make(ix),
            Data::Explorer(lang) => super::explorer::index_script(ix, *lang),
        };
        vec![Arc::new(one)]
    }
}

/// Every record in one pretty-printed array, made in parallel chunks and left in them:
/// this one file is a fifth of the site's bytes, and joining the chunks would copy it
/// into as much new memory. Each chunk is its records one level deep, each after a
/// newline, the first chunk opening the array and the others starting with a comma.
fn all(ix: &Indexes, records: &Records) -> Vec<Part> {
    use rayon::prelude::*;
    if ix.all.is_empty() {
        return vec![Arc::new(b"[]\n".to_vec())];
    }
    let mut parts: Vec<Part> = ix
        .all
        .par_chunks(256)
        .enumerate()
        .map(|(n, chunk)| {
            let mut out = Vec::with_capacity(chunk.len() * 8 * 1024);
            let mut at = Vec::with_capacity(chunk.len());
            out.push(if n == 0 { b'[' } else { b',' });
            for (i, p) in chunk.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"\n  ");
                let start = out.len();
                indent_into(&mut out, &print(ix, p));
                at.push(start..out.len());
            }
            let out = Arc::new(out);
            for (p, at) in chunk.iter().zip(at) {
                records.leave(p, &out, at);
            }
            out
        })
        .collect();
    parts.push(Arc::new(b"\n]\n".to_vec()));
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
        assert_eq!(std::str::from_utf8(&moved), std::str::from_utf8(&deep.out));
        assert_eq!(
            String::from_utf8(outdent(&moved)),
            String::from_utf8(top.out)
        );
    }
}
