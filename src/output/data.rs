//! Open data: every partnership as JSON (one file per partnership and one for all),
//! CSV and GeoJSON. Columns and properties are documented in the README.

use super::json::Pretty;
use super::pages::{Job, Make};
use super::record::record;
use crate::index::Indexes;
use crate::model::*;
use crate::urls;
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
/// `data/partnerships.json`, one of the first jobs, writes each record's own file too,
/// copied from its chunk one level less deep, as it goes. Printing every record twice
/// was a twentieth of a build; keeping the chunks until each record's own job copied
/// from them held the whole file (310 MB at N = 50,000) in memory at once, each page of
/// which the kernel had to zero. A record's own job writes the record itself when it
/// comes first; either way each file is made once, with the same bytes.
pub struct Records(Vec<Mutex<Slot>>);

/// Who makes one record's own file.
#[derive(Default)]
enum Slot {
    #[default]
    Waiting,
    /// `data/partnerships.json` wrote it, this many bytes long.
    Written(usize),
    /// The record's own job made it, or it is not to be made at all.
    Taken,
}

/// What a record's own job has to do.
pub enum Took {
    /// Give these bytes to the sink.
    Print(Vec<u8>),
    /// Nothing: the file went to the sink with `data/partnerships.json`, this long.
    Written(usize),
}

/// Bytes of a file being made, one of the parts it is written in.
pub type Part = Arc<Vec<u8>>;

impl Records {
    /// `keep` is false when the records' own files are not all made (`check`): then
    /// `data/partnerships.json` writes none of them.
    pub fn new(atlas: &Atlas, keep: bool) -> Records {
        let slots = if keep { atlas.partnerships.len() } else { 0 };
        Records((0..slots).map(|_| Mutex::default()).collect())
    }

    fn slot(&self, p: &Partnership) -> Option<std::sync::MutexGuard<'_, Slot>> {
        let slot = self.0.get(p.rank.0)?;
        Some(slot.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The record's own file is not to be made this time (a rebuild keeps it as it was).
    pub fn skip(&self, p: &Partnership) {
        if let Some(mut slot) = self.slot(p) {
            *slot = Slot::Taken;
        }
    }

    /// The record's own file, unless `data/partnerships.json` wrote it already.
    pub fn take(&self, ix: &Indexes, p: &Partnership) -> Took {
        let was = self
            .slot(p)
            .map(|mut s| std::mem::replace(&mut *s, Slot::Taken));
        if let Some(Slot::Written(len)) = was {
            return Took::Written(len);
        }
        let mut out = print(ix, p);
        out.push(b'\n');
        Took::Print(out)
    }

    /// Claims the record's own file for `data/partnerships.json`, which is about to
    /// write it with `len` bytes: false when its own job has it, or it is not made.
    fn claim(&self, p: &Partnership, len: usize) -> bool {
        let Some(mut slot) = self.slot(p) else {
            return false;
        };
        let free = matches!(*slot, Slot::Waiting);
        if free {
            *slot = Slot::Written(len);
        }
        free
    }
}

/// A record as its own file holds it, without the last newline.
fn print(ix: &Indexes, p: &Partnership) -> Vec<u8> {
    let mut w = Pretty::new(8 * 1024, 0);
    record(ix.ends(p), p).write(&mut w);
    w.out
}

/// Appends `record` one level deeper: two more spaces after each line break.
fn indent_into(out: &mut Vec<u8>, record: &[u8]) {
    pad_into(out, record, b"  ");
}

/// Appends pretty-printed JSON with `pad` after each line break, to nest it deeper. A
/// JSON string holds no raw line break (it is escaped), so each is between two tokens.
pub(super) fn pad_into(out: &mut Vec<u8>, json: &[u8], pad: &[u8]) {
    let mut rest = json;
    while let Some(i) = memchr::memchr(b'\n', rest) {
        out.extend_from_slice(&rest[..=i]);
        out.extend_from_slice(pad);
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

/// What a data job gave.
pub enum Made {
    /// The file's bytes, in the parts the sink is to write one after another.
    Parts(Vec<Part>),
    /// Nothing more: the file went to the sink as it was made, this long.
    Given(usize),
}

impl Data<'_> {
    /// Makes the file at `path`: `data/partnerships.json` (and the records' own files
    /// with it) straight into `sink`, any other as its bytes.
    pub fn make<S: super::Sink>(
        &self,
        (atlas, ix): (&Atlas, &Indexes),
        records: &Records,
        sink: &S,
        path: &str,
    ) -> Result<Made, S::Error> {
        Ok(Made::Parts(match self {
            Data::Record(p) => match records.take(ix, p) {
                Took::Print(bytes) => vec![Arc::new(bytes)],
                Took::Written(len) => return Ok(Made::Given(len)),
            },
            Data::All => return write_all(ix, records, sink, path).map(Made::Given),
            Data::Csv => csv(atlas, ix),
            Data::GeoJson => super::geojson::make(ix),
            Data::Explorer(lang) => super::explorer::index_script(ix, *lang),
        }))
    }
}

/// Records per chunk of `data/partnerships.json`, and chunks made at a time: the file
/// is a fifth of the site's bytes, and is never whole in memory; a window of 16 chunks
/// (about 25 MB) keeps both cores busy.
pub(super) const CHUNK: usize = 256;
const WINDOW: usize = 16;

/// Every record in one pretty-printed array, made a window of chunks at a time in
/// parallel and given to `sink` as `path` window by window; each record's own file is
/// given to `sink` from its chunk, unless its own job made it first. Each chunk is its
/// records one level deep, each after a newline, the first chunk opening the array and
/// the others starting with a comma. Returns the file's length.
fn write_all<S: super::Sink>(
    ix: &Indexes,
    records: &Records,
    sink: &S,
    path: &str,
) -> Result<usize, S::Error> {
    use rayon::prelude::*;
    if ix.all.is_empty() {
        let empty = b"[]\n";
        sink.put(path, empty)?;
        return Ok(empty.len());
    }
    let chunks: Vec<&[&Partnership]> = ix.all.chunks(CHUNK).collect();
    let mut windows = chunks.chunks(WINDOW);
    let mut first = 0;
    let mut closed = false;
    let mut len = 0;
    sink.put_stream(path, &mut || {
        let Some(window) = windows.next() else {
            if closed {
                return Ok(None);
            }
            closed = true;
            let end: Part = Arc::new(b"\n]\n".to_vec());
            len += end.len();
            return Ok(Some(vec![end]));
        };
        let parts = window
            .par_iter()
            .enumerate()
            .map(|(i, chunk)| chunk_of(ix, records, sink, first + i == 0, chunk))
            .collect::<Result<Vec<Part>, S::Error>>()?;
        first += window.len();
        len += parts.iter().map(|p| p.len()).sum::<usize>();
        Ok(Some(parts))
    })?;
    Ok(len)
}

/// One chunk of `data/partnerships.json`, with the records' own files it writes.
fn chunk_of<S: super::Sink>(
    ix: &Indexes,
    records: &Records,
    sink: &S,
    first: bool,
    chunk: &[&Partnership],
) -> Result<Part, S::Error> {
    let mut out = Vec::with_capacity(chunk.len() * 8 * 1024);
    out.push(if first { b'[' } else { b',' });
    for (i, p) in chunk.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"\n  ");
        let start = out.len();
        indent_into(&mut out, &print(ix, p));
        let mut own = outdent(&out[start..]);
        own.push(b'\n');
        if records.claim(p, own.len()) {
            sink.put(&urls::partnership_json(&p.slug), &own)?;
        }
    }
    Ok(Arc::new(out))
}

/// `open`, then `items` written by `write` with `sep` between two, then `close`: made
/// in parallel in chunks of [`CHUNK`] items, one part each, so that a list of tens of
/// megabytes is never one buffer grown (and copied) by doubling.
pub(super) fn joined<T: Sync>(
    items: &[T],
    (open, sep, close): (&[u8], &[u8], &[u8]),
    write: impl Fn(&mut Vec<u8>, &T) + Sync,
) -> Vec<Part> {
    use rayon::prelude::*;
    let mut parts = vec![Arc::new(open.to_vec())];
    parts.par_extend(items.par_chunks(CHUNK).enumerate().map(|(n, chunk)| {
        let mut out = Vec::with_capacity(chunk.len() * 512);
        for (i, item) in chunk.iter().enumerate() {
            if n > 0 || i > 0 {
                out.extend_from_slice(sep);
            }
            write(&mut out, item);
        }
        Arc::new(out)
    }));
    parts.push(Arc::new(close.to_vec()));
    parts
}

/// The CSV download, its rows written in parallel in chunks of [`CHUNK`], each a part
/// of the file: a big atlas's table is made without growing (and copying) one buffer of
/// tens of megabytes.
fn csv(atlas: &Atlas, ix: &Indexes) -> Vec<Part> {
    use rayon::prelude::*;
    let mut header = csv::Writer::from_writer(Vec::new());
    let _ = header.write_record(CSV_COLUMNS);
    let mut parts = vec![Arc::new(header.into_inner().unwrap_or_default())];
    parts.par_extend(
        ix.all
            .par_chunks(CHUNK)
            .map(|chunk| Arc::new(csv_rows(atlas, ix, chunk))),
    );
    parts
}

fn csv_rows(atlas: &Atlas, ix: &Indexes, chunk: &[&Partnership]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(chunk.len() * 512));
    for p in chunk {
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
    use std::path::Path;

    fn repo_atlas() -> Atlas {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (atlas, _) = crate::build::atlas(repo, Path::new("")).expect("load");
        atlas.expect("valid content")
    }

    /// Whichever of its two jobs comes first makes a record's own file, once, and the
    /// other one knows.
    #[test]
    fn a_records_file_is_made_once_by_whichever_job_comes_first() {
        let atlas = repo_atlas();
        let ix = crate::index::build(&atlas);
        let records = Records::new(&atlas, true);
        let mut all = atlas.partnerships.values();
        let mut next = || all.next().expect("three partnerships");
        let (own_first, all_first, kept) = (next(), next(), next());
        assert!(matches!(records.take(&ix, own_first), Took::Print(_)));
        assert!(!records.claim(own_first, 10));
        assert!(records.claim(all_first, 10));
        assert!(matches!(records.take(&ix, all_first), Took::Written(10)));
        records.skip(kept);
        assert!(!records.claim(kept, 10));
        // `check` makes no record's own file with the big one.
        assert!(!Records::new(&atlas, false).claim(kept, 10));
    }

    /// `data/partnerships.json` gives the sink every record's own file as the record's
    /// own job would print it, and is the array of those records.
    #[test]
    fn the_big_file_writes_each_records_own_file_as_its_job_would() {
        let atlas = repo_atlas();
        let ix = crate::index::build(&atlas);
        let sink = crate::output::Memory::default();
        let path = "data/partnerships.json";
        let Ok(len) = write_all(&ix, &Records::new(&atlas, true), &sink, path);
        let files = sink.into_files();
        assert_eq!(files.len(), atlas.partnerships.len() + 1);
        assert_eq!(files[path].len(), len);
        let array: Vec<serde_json::Value> = serde_json::from_slice(&files[path]).unwrap();
        let none = Records::new(&atlas, false);
        for (p, in_array) in ix.all.iter().zip(&array) {
            let Took::Print(printed) = none.take(&ix, p) else {
                panic!("{} was not printed", p.slug)
            };
            assert_eq!(files[&urls::partnership_json(&p.slug)], printed);
            let own: serde_json::Value = serde_json::from_slice(&printed).unwrap();
            assert_eq!(&own, in_array, "{}", p.slug);
        }
    }

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
