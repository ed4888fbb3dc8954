//! The floor: the least any generator must do for this site, timed in this process.
//! Reads every input file, renders the Markdown of every entry (pulldown-cmark, the
//! options kembar uses) and writes the bytes of kembar's output (loaded beforehand, not
//! timed), all on all cores; no YAML, no templates, no indexes. This is the floor the
//! issue's reference figures describe ("reading all input, rendering all Markdown and
//! writing all output").

use super::run::Timing;
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// The floor's name in the results table.
pub const NAME: &str = "floor (read inputs, render Markdown, write kembar's bytes)";

/// Renders the Markdown after the front matter; the length of the HTML.
fn markdown(text: &str) -> usize {
    use pulldown_cmark::{Options, Parser, html};
    let body = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(text, |(_, body)| body);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(body, options));
    out.len()
}

/// Median of `runs` timings of reading `content` and writing `reference`'s files
/// into `out`.
pub fn measure(
    content: &Path,
    reference: &Path,
    out: &Path,
    runs: usize,
) -> Result<Timing, String> {
    let inputs = files(content);
    let outputs: Vec<(PathBuf, Vec<u8>)> = files(reference)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).map_err(|e| e.to_string())?;
            let rel = p
                .strip_prefix(reference)
                .map_err(|e| e.to_string())?
                .to_path_buf();
            Ok((rel, bytes))
        })
        .collect::<Result<_, String>>()?;
    let mut dirs: Vec<PathBuf> = outputs
        .iter()
        .filter_map(|(rel, _)| rel.parent().map(|p| out.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    let mut secs = Vec::new();
    for _ in 0..runs.max(1) {
        let _ = fs::remove_dir_all(out);
        let start = Instant::now();
        let read: usize = inputs
            .par_iter()
            .map(|p| match fs::read_to_string(p) {
                Ok(t) if p.extension().is_some_and(|e| e == "md") => markdown(&t),
                Ok(t) => t.len(),
                Err(_) => 0,
            })
            .sum();
        for d in &dirs {
            fs::create_dir_all(d).map_err(|e| e.to_string())?;
        }
        outputs
            .par_iter()
            .try_for_each(|(rel, bytes)| fs::write(out.join(rel), bytes))
            .map_err(|e| e.to_string())?;
        secs.push(start.elapsed().as_secs_f64());
        std::hint::black_box(read);
    }
    let _ = fs::remove_dir_all(out);
    secs.sort_by(f64::total_cmp);
    Ok(Timing {
        secs: secs[secs.len() / 2],
        rss_kib: 0,
    })
}
