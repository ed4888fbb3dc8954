//! The floor: the least any generator must do for this site, timed in this process.
//! Reads every input file and writes the bytes of kembar's output (loaded beforehand,
//! not timed), both on all cores; no parsing, no rendering.

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
            .map(|p| fs::read(p).map(|b| b.len()).unwrap_or(0))
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
