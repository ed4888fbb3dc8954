//! Open data: every partnership as JSON (one file per partnership and one for all),
//! CSV and GeoJSON. Columns and properties are documented in the README.

use super::json::Pretty;
use super::pages::{Job, Make};
use super::record::record;
use crate::index::Indexes;
use crate::model::*;
use crate::urls;

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

impl Data<'_> {
    /// The file's bytes, in one part or several to be written one after another.
    pub fn make(&self, atlas: &Atlas, ix: &Indexes) -> Vec<Vec<u8>> {
        let one = match self {
            Data::Record(p) => {
                let mut w = Pretty::new(8 * 1024, 0);
                record(ix.ends(p), p).write(&mut w);
                w.out.push(b'\n');
                w.out
            }
            Data::All => return all(ix),
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
fn all(ix: &Indexes) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    if ix.all.is_empty() {
        return vec![b"[]\n".to_vec()];
    }
    let mut parts: Vec<Vec<u8>> = ix
        .all
        .par_chunks(256)
        .enumerate()
        .map(|(n, chunk)| {
            let mut w = Pretty::new(chunk.len() * 8 * 1024, 1);
            w.out.push(if n == 0 { b'[' } else { b',' });
            for (i, p) in chunk.iter().enumerate() {
                if i > 0 {
                    w.out.push(b',');
                }
                w.newline();
                record(ix.ends(p), p).write(&mut w);
            }
            w.out
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
