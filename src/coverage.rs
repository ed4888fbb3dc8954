//! The editors' to-do list: what the atlas does not know yet. Read off the validated
//! atlas; printed by `kembar check --coverage`.

use crate::index::{self, Indexes};
use crate::model::{Atlas, Confidence, Partnership, RegionLevel};
use std::fmt::Write;

/// One list of the report: a heading and the entries it names, as `file — title`.
pub struct Section {
    pub heading: &'static str,
    pub items: Vec<String>,
}

pub fn report(atlas: &Atlas, ix: &Indexes) -> Vec<Section> {
    let line = |p: &Partnership| format!("{} — {}", p.file, index::title(atlas, p));
    let provinces = atlas
        .regions
        .values()
        .filter(|r| r.level == RegionLevel::Provinsi && !ix.by_province.contains_key(&r.slug))
        .map(|r| format!("{} — {}", r.file, r.name))
        .collect();
    let list = |keep: &dyn Fn(&Partnership) -> bool| -> Vec<String> {
        ix.all.iter().filter(|p| keep(p)).map(|p| line(p)).collect()
    };
    let no_year = list(&|p| p.year().is_none());
    let no_fields = list(&|p| p.fields.is_empty());
    let unplaced = ix
        .all
        .iter()
        .filter(|p| {
            atlas
                .partners
                .get(&p.partner)
                .is_some_and(|x| x.coordinates.is_none())
        })
        .map(|p| format!("{} (partner: {})", line(p), p.partner))
        .collect();
    let unverified = list(&|p| p.confidence == Some(Confidence::Unverified));
    let no_confidence = list(&|p| p.confidence.is_none());
    vec![
        Section {
            heading: "provinces without a recorded partnership",
            items: provinces,
        },
        Section {
            heading: "partnerships without a year",
            items: no_year,
        },
        Section {
            heading: "partnerships without fields of cooperation",
            items: no_fields,
        },
        Section {
            heading: "partnerships without coordinates (the gazetteer could not place the partner)",
            items: unplaced,
        },
        Section {
            heading: "partnerships with only unverified sources",
            items: unverified,
        },
        Section {
            heading: "partnerships without a stated confidence",
            items: no_confidence,
        },
    ]
}

/// The report as plain text, one section after another, with counts.
pub fn render(sections: &[Section], partnerships: usize) -> String {
    let mut out = format!("coverage of {partnerships} partnerships\n");
    for s in sections {
        let _ = writeln!(out, "\n{} ({}):", s.heading, s.items.len());
        if s.items.is_empty() {
            out += "  none\n";
        }
        for item in &s.items {
            let _ = writeln!(out, "  {item}");
        }
    }
    out
}
