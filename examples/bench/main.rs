//! The benchmark: a synthetic corpus written as a kembar, a Hugo and a Zola site, and a
//! runner that times all three. `bench/run` builds and starts it; see `bench/README.md`.

mod corpus;
mod floor;
mod hugo;
mod kembar_site;
mod report;
mod run;
mod zola;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the corpus for N partnerships as `kembar/`, `hugo/` and `zola/` sites.
    Gen {
        #[arg(long, default_value_t = 1000)]
        n: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Times the floor alone: reads `content`'s files, renders their Markdown and writes
    /// the files of a kembar output folder `reference` into `out`.
    Floor {
        #[arg(long)]
        content: PathBuf,
        #[arg(long)]
        reference: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Times full builds of the three generators and kembar's rebuilds, check and floor.
    Run {
        /// Corpus sizes, comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = [1000, 10_000, 50_000])]
        sizes: Vec<usize>,
        /// Runs of each command; the median is reported.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Where corpora and outputs go: tmpfs, so disk speed does not decide the result.
        #[arg(long, default_value = "/dev/shm/kembar-bench")]
        work: PathBuf,
        /// Also build the 10,000 corpus once per generator with output in this folder on disk.
        #[arg(long)]
        disk: Option<PathBuf>,
        /// The kembar binary (default: target/release/kembar beside this program).
        #[arg(long)]
        kembar: Option<PathBuf>,
        /// The Hugo binary (default: `$HUGO`, or `hugo` on PATH).
        #[arg(long)]
        hugo: Option<PathBuf>,
        /// The Zola binary (default: `$ZOLA`, or `zola` on PATH).
        #[arg(long)]
        zola: Option<PathBuf>,
        #[arg(long, default_value = "bench/RESULTS.md")]
        results: PathBuf,
    },
}

/// Writes the three sites of one corpus.
pub fn write_all(n: usize, seed: u64, dir: &Path) -> std::io::Result<()> {
    let c = corpus::generate(n, seed);
    kembar_site::write(&c, &dir.join("kembar"), &["id"])?;
    hugo::write(&c, &dir.join("hugo"))?;
    zola::write(&c, &dir.join("zola"))
}

fn from_env(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// A binary on PATH, if there is one.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

fn main() -> std::process::ExitCode {
    let result = match Args::parse().command {
        Command::Gen { n, seed, out } => write_all(n, seed, &out).map_err(|e| e.to_string()),
        Command::Floor {
            content,
            reference,
            out,
            runs,
        } => floor::measure(&content, &reference, &out, runs).map(|t| {
            println!("{}: {:.2} s (median of {runs})", floor::NAME, t.secs);
        }),
        Command::Run {
            sizes,
            runs,
            seed,
            work,
            disk,
            kembar,
            hugo,
            zola,
            results,
        } => {
            let beside = std::env::current_exe()
                .ok()
                .and_then(|p| p.parent()?.parent().map(|d| d.join("kembar")));
            let options = run::Options {
                sizes,
                runs,
                seed,
                work,
                kembar: kembar.or(beside).unwrap_or_else(|| "kembar".into()),
                hugo: hugo
                    .or_else(|| from_env("HUGO"))
                    .or_else(|| on_path("hugo")),
                zola: zola
                    .or_else(|| from_env("ZOLA"))
                    .or_else(|| on_path("zola")),
                disk,
                results,
            };
            run::run(&options)
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
