//! Validation: turns loaded documents into the typed `Atlas`, collecting every problem
//! of every file in one pass. Per-file reading is in `entries`; checks that need more
//! than one file (references, duplicates, URL clashes) are in `refs`.

mod entries;
pub mod keys;
mod partnership;
mod reader;
mod refs;

use crate::diag::{Diagnostic, Diagnostics, Source};
use crate::load::{self, Collection, Document};
use crate::markdown::Html;
use crate::model::{Atlas, Countries, PartnerId, Slug};
use entries::RegionDraft;
use partnership::PartnershipDraft;
use rayon::prelude::*;
use reader::Cx;
use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

/// Everything read from the files, before cross-file checks.
#[derive(Default)]
struct Drafts {
    /// Every entry that has a file, readable or not.
    declared: Declared,
    /// Field ids written in fields.yaml, also those with errors.
    declared_fields: BTreeSet<String>,
    fields: Vec<(crate::model::Field, Source)>,
    /// Set when fields.yaml exists; `Some(false)` when it could not be read.
    fields_file: Option<bool>,
    regions: Vec<(RegionDraft, Source)>,
    partners: Vec<(crate::model::Partner, Source)>,
    partnerships: Vec<(PartnershipDraft, Source)>,
    pages: Vec<(entries::PageDraft, Source)>,
    translations: Vec<(
        Document,
        crate::model::Translation,
        Vec<crate::markdown::Citation>,
    )>,
}

/// Every entry that has a file, readable or not, by collection, folder and stem: a
/// reference to an entry with errors of its own is not reported again.
#[derive(Default)]
struct Declared {
    own: Vec<EntryKey>,
    /// Asked only about a reference that was not found, which valid content has none
    /// of, so it is hashed on first use: building it for every build was 87,500
    /// hashed inserts at N = 50,000.
    set: OnceLock<HashSet<EntryKey>>,
}

type EntryKey = (Collection, String, String);

impl Declared {
    fn contains(&self, key: &EntryKey) -> bool {
        self.set
            .get_or_init(|| self.own.iter().cloned().collect())
            .contains(key)
    }
}

impl Drafts {
    /// Room for the drafts of all `runs`, so merging them copies each once: growing
    /// the lists as they were merged copied them again and again.
    fn reserve(&mut self, runs: &[Run]) {
        let total = |len: fn(&Drafts) -> usize| runs.iter().map(|r| len(&r.drafts)).sum();
        self.declared
            .own
            .reserve_exact(total(|d| d.declared.own.len()));
        self.regions.reserve_exact(total(|d| d.regions.len()));
        self.partners.reserve_exact(total(|d| d.partners.len()));
        self.partnerships
            .reserve_exact(total(|d| d.partnerships.len()));
    }

    /// Adds `other`, the drafts of the files after these.
    fn merge(&mut self, other: Drafts) {
        self.declared.own.extend(other.declared.own);
        self.declared_fields.extend(other.declared_fields);
        self.fields.extend(other.fields);
        self.fields_file = self.fields_file.or(other.fields_file);
        self.regions.extend(other.regions);
        self.partners.extend(other.partners);
        self.partnerships.extend(other.partnerships);
        self.pages.extend(other.pages);
        self.translations.extend(other.translations);
    }
}

/// The atlas, if no error was found, and all diagnostics. `html` says whether entries'
/// bodies are rendered (see [`Html`]).
pub fn validate(
    docs: Vec<Document>,
    countries: Countries,
    html: Html,
) -> (Option<Atlas>, Diagnostics) {
    // The documents are read in parallel, each thread folding a run of consecutive
    // files into one set of drafts; the runs are then merged in file order, so the
    // result is the same as one sequential pass, without a set of drafts per file.
    let runs: Vec<Run> = docs
        .into_par_iter()
        .fold(Run::default, |run, doc| run.read(doc, &countries, html))
        .collect();
    finish(runs, countries)
}

/// [`validate`] for entries not yet read: each file is read, parsed and validated by
/// one thread in one go, so its text and YAML tree are freed before the next file is
/// read (see [`load::Entries::fold`]). The loader's diagnostics come with the rest.
pub fn validate_entries(
    entries: load::Entries,
    countries: Countries,
    html: Html,
) -> Result<(Option<Atlas>, Diagnostics), load::LoadError> {
    let runs = entries.fold(Run::default, |mut run, doc, diags| {
        run.diags.extend(diags);
        match doc {
            Some(doc) => run.read(doc, &countries, html),
            None => run,
        }
    })?;
    Ok(finish(runs, countries))
}

/// Merges the runs in file order, and checks across files.
fn finish(runs: Vec<Run>, countries: Countries) -> (Option<Atlas>, Diagnostics) {
    let mut drafts = Drafts::default();
    let mut diags = Diagnostics::new();
    let mut names = Vec::new();
    drafts.reserve(&runs);
    names.reserve_exact(runs.iter().map(|r| r.names.len()).sum());
    for mut run in runs {
        names.append(&mut run.names);
        drafts.merge(run.drafts);
        diags.extend(run.diags);
    }
    // Clashes need only the names; they are looked for (and the names dropped) beside
    // the rest.
    let (clashes, atlas) = rayon::join(
        || refs::url_clashes(names),
        || refs::resolve(drafts, countries, &mut diags),
    );
    diags.extend(clashes);
    if diags.has_errors() {
        (None, diags)
    } else {
        (atlas, diags)
    }
}

/// A run of consecutive files, read.
#[derive(Default)]
struct Run {
    drafts: Drafts,
    diags: Diagnostics,
    names: Vec<refs::Named>,
}

impl Run {
    fn read(mut self, mut doc: Document, countries: &Countries, html: Html) -> Run {
        let kept = doc.front_matter();
        self.names.extend(refs::Named::of(&mut doc, &kept));
        read_document(
            doc,
            kept,
            countries,
            html,
            &mut self.drafts,
            &mut self.diags,
        );
        self
    }
}

/// Reads `doc` into `drafts`. Diagnostics found now point into the whole file; the
/// drafts keep only `kept`, its front matter, for the checks across files.
fn read_document(
    doc: Document,
    kept: Source,
    countries: &Countries,
    html: Html,
    drafts: &mut Drafts,
    diags: &mut Diagnostics,
) {
    let source = doc.source.clone();
    let mut cx = Cx {
        source: &source,
        diags,
        html,
    };
    let file = doc.source.path.to_string_lossy().replace('\\', "/");
    if doc.collection == Collection::Fields {
        if let Some(meta) = &doc.meta {
            for f in entries::fields(&mut cx, meta, &mut drafts.declared_fields) {
                drafts.fields.push((f, kept.clone()));
            }
        }
        // Drafts gather several files: the first fields file is the one that counts.
        drafts.fields_file.get_or_insert(!doc.unreadable);
        return;
    }
    if doc.lang.is_none() {
        let key = (
            doc.collection,
            doc.folder.clone().unwrap_or_default(),
            doc.stem.clone(),
        );
        drafts.declared.own.push(key);
    }
    let Some(slug) = file_slug(&mut cx, &doc) else {
        return;
    };
    if doc.unreadable {
        return;
    }
    if let Some(lang) = &doc.lang {
        if lang != "en" {
            cx.error(
                0..0,
                format!("`.{lang}` translations are not supported"),
                "in this file name",
                Some("translations are English only: name the file `<slug>.en.md`".into()),
            );
            return;
        }
        if let Some((t, cites)) =
            entries::translation(&mut cx, doc.meta.as_ref(), doc.body.as_ref())
        {
            drafts.translations.push((doc, t, cites));
        }
        return;
    }
    let Some(meta) = &doc.meta else { return };
    let body = doc.body.as_ref();
    match doc.collection {
        Collection::Regions => {
            if let Some(r) = entries::region(&mut cx, meta, slug, body, file) {
                drafts.regions.push((r, kept));
            }
        }
        Collection::Partners => {
            let Some(country) = folder_country(&mut cx, &doc, countries) else {
                return;
            };
            let id = PartnerId { country, slug };
            if let Some(p) = entries::partner(&mut cx, meta, id, body, file) {
                drafts.partners.push((p, kept));
            }
        }
        Collection::Partnerships => {
            if let Some(p) = partnership::partnership(&mut cx, meta, slug, body, file) {
                drafts.partnerships.push((p, kept));
            }
        }
        Collection::Pages => {
            if let Some(p) = entries::page(&mut cx, meta, slug, body, file) {
                drafts.pages.push((p, kept));
            }
        }
        Collection::Fields => {}
    }
}

fn file_slug(cx: &mut Cx, doc: &Document) -> Option<Slug> {
    match Slug::parse(&doc.stem) {
        Ok(s) => Some(s),
        Err(_) => {
            let help = format!(
                "file names are slugs: lowercase letters, digits and single hyphens; rename it to `{}`",
                Slug::suggest(&doc.stem)
            );
            cx.error(
                0..0,
                format!("file name `{}` is not a valid slug", doc.stem),
                "in this file's name",
                Some(help),
            );
            None
        }
    }
}

fn folder_country(
    cx: &mut Cx,
    doc: &Document,
    countries: &Countries,
) -> Option<crate::model::CountryCode> {
    let folder = doc.folder.as_deref().unwrap_or("");
    if let Some(c) = countries.get(folder) {
        return Some(c.code.clone());
    }
    let lower = folder.to_ascii_lowercase();
    let example =
        "partner folders are named by ISO 3166-1 alpha-2 codes in lowercase, e.g. `jp`, `kr`, `no`";
    // Edit distance means nothing between two-letter codes; only exact hints are given.
    let help = if countries.get(&lower).is_some() {
        format!("country folders are lowercase: rename `partners/{folder}/` to `partners/{lower}/`")
    } else if let Some(c) = countries.by_alpha3(&lower) {
        format!(
            "`{folder}` is the alpha-3 code of {}: rename the folder to `partners/{}/`",
            c.name_en, c.code
        )
    } else {
        example.to_string()
    };
    cx.error(
        0..0,
        format!("unknown country code `{folder}` in folder `partners/{folder}/`"),
        "in this file's folder",
        Some(help),
    );
    None
}

/// An error about a whole file (names, folders), shown at its first line.
fn file_error(source: &Source, message: String, help: String) -> Diagnostic {
    Diagnostic::error(message).at(source, 0..0).help(help)
}
