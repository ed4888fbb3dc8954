//! Running the benchmark: times each generator on each corpus size as a child process
//! under `/usr/bin/time -v` (wall time and peak RSS), kembar's rebuilds and `check`,
//! and the floor; prints the table and writes `bench/RESULTS.md`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone)]
pub struct Options {
    pub sizes: Vec<usize>,
    pub runs: usize,
    pub seed: u64,
    pub work: PathBuf,
    pub kembar: PathBuf,
    pub hugo: Option<PathBuf>,
    pub zola: Option<PathBuf>,
    /// A folder on disk for the separate disk run (N = 10,000 or the largest size below).
    pub disk: Option<PathBuf>,
    pub results: PathBuf,
}

/// One measured command: median wall seconds and peak RSS over the runs.
#[derive(Clone, Copy)]
pub struct Timing {
    pub secs: f64,
    pub rss_kib: u64,
}

#[derive(Default)]
pub struct Row {
    pub n: usize,
    pub what: String,
    pub timing: Option<Timing>,
    pub pages: usize,
    pub note: String,
}

/// Runs `cmd` under `/usr/bin/time -v`; `Err` when it fails or is missing.
fn timed(cmd: &mut Command) -> Result<Timing, String> {
    timed_output(cmd).map(|(t, _)| t)
}

/// The timing and what the command wrote to stderr.
fn timed_output(cmd: &mut Command) -> Result<(Timing, String), String> {
    let report = std::env::temp_dir().join(format!("kembar-bench-time-{}", std::process::id()));
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped
        .arg("-v")
        .arg("-o")
        .arg(&report)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        wrapped.current_dir(dir);
    }
    let out = wrapped
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time: {e} (install Debian's `time`)"))?;
    if !out.status.success() {
        use std::os::unix::process::ExitStatusExt;
        // `time` reports a killed child as its own failure, in its report file (it
        // writes there with `-o`, else on stderr); the kernel's OOM killer is the usual
        // reason on a big corpus.
        let stderr = String::from_utf8_lossy(&out.stderr);
        let written = fs::read_to_string(&report).unwrap_or_default();
        let _ = fs::remove_file(&report);
        let reported = [&*stderr, &*written].into_iter().find_map(|text| {
            let rest = text.split("Command terminated by signal ").nth(1)?;
            rest.split_whitespace().next()?.parse::<i32>().ok()
        });
        if let Some(signal) = out.status.signal().or(reported) {
            return Err(format!(
                "{:?} was killed (signal {signal}; out of memory?)",
                cmd.get_program()
            ));
        }
        return Err(format!(
            "{:?} failed: {}{}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = fs::read_to_string(&report).map_err(|e| e.to_string())?;
    let _ = fs::remove_file(&report);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .map(str::trim)
            .map(str::to_string)
    };
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):").ok_or("no wall time")?;
    let rss = field("Maximum resident set size (kbytes):").ok_or("no RSS")?;
    let timing = Timing {
        secs: wall_secs(&wall),
        rss_kib: rss.parse().unwrap_or(0),
    };
    Ok((timing, String::from_utf8_lossy(&out.stderr).into_owned()))
}

fn wall_secs(s: &str) -> f64 {
    s.split(':').fold(0.0, |acc, part| {
        acc * 60.0 + part.parse::<f64>().unwrap_or(0.0)
    })
}

fn median(mut t: Vec<Timing>) -> Option<Timing> {
    if t.is_empty() {
        return None;
    }
    t.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let mid = t[t.len() / 2];
    Some(Timing {
        secs: mid.secs,
        rss_kib: t.iter().map(|x| x.rss_kib).max().unwrap_or(0),
    })
}

fn html_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count()
}

fn clear(dir: &Path) {
    let _ = fs::remove_dir_all(dir);
}

/// A full build from an empty output folder, and the HTML pages it wrote.
fn full_build(out: &Path, cmd: &mut Command) -> Result<(Timing, usize), String> {
    clear(out);
    Ok((timed(cmd)?, html_files(out)))
}

fn kembar_build(o: &Options, site: &Path, out: &Path) -> Command {
    let mut c = Command::new(&o.kembar);
    c.arg("build").arg("--root").arg(site).arg("-o").arg(out);
    c
}

pub fn run(o: &Options) -> Result<(), String> {
    for &n in &o.sizes {
        prepare(n, o.seed, &o.work.join(format!("corpus-{n}")))?;
    }
    let rows = rounds(o, &o.sizes, &o.work)?;
    let mut disk_rows = Vec::new();
    if let Some(disk) = &o.disk {
        let n = o
            .sizes
            .iter()
            .copied()
            .filter(|&n| n <= 10_000)
            .max()
            .unwrap_or(1000);
        prepare(n, o.seed, &o.work.join(format!("corpus-{n}")))?;
        let one = Options {
            runs: 1,
            disk: None,
            ..o.clone()
        };
        fs::create_dir_all(disk).map_err(|e| e.to_string())?;
        disk_rows = rounds(&one, &[n], disk)?
            .into_iter()
            .filter(|r| !r.what.starts_with("floor"))
            .collect();
    }
    let report = super::report::render(o, &rows, &disk_rows);
    print!("{report}");
    fs::write(&o.results, report).map_err(|e| e.to_string())?;
    eprintln!("wrote {}", o.results.display());
    Ok(())
}

/// One measurement of one command in one round.
struct Sample {
    n: usize,
    what: String,
    timing: Option<Timing>,
    pages: usize,
    note: String,
}

/// Runs every command on every size once per round, `o.runs` rounds, and reports the
/// median of each. The load of a shared machine drifts over minutes; run in rounds, a
/// slow spell slows every command a little rather than all runs of one, so the ratios
/// between commands (kembar against the floor, check against build, 50k against 10k,
/// kembar against Hugo and Zola) are measured over the same stretch of time.
fn rounds(o: &Options, sizes: &[usize], outs: &Path) -> Result<Vec<Row>, String> {
    let mut samples: Vec<Sample> = Vec::new();
    // A generator that failed once is not run again; its row says why.
    let mut failed: Vec<(usize, &str, String)> = Vec::new();
    for round in 0..o.runs {
        for &n in sizes {
            eprintln!("round {} of {}, N = {n}", round + 1, o.runs);
            let corpus = o.work.join(format!("corpus-{n}"));
            samples.extend(round_of(o, n, round, &corpus, outs, &mut failed)?);
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    for s in &samples {
        if rows.iter().any(|r| r.n == s.n && r.what == s.what) {
            continue;
        }
        let same: Vec<&Sample> = samples
            .iter()
            .filter(|x| x.n == s.n && x.what == s.what)
            .collect();
        let last = same.last().copied().unwrap_or(s);
        rows.push(Row {
            n: s.n,
            what: s.what.clone(),
            timing: median(same.iter().filter_map(|x| x.timing).collect()),
            pages: last.pages,
            note: last.note.clone(),
        });
    }
    // Rows by size (a stable sort keeps each size's commands in the order they ran).
    rows.sort_by_key(|r| sizes.iter().position(|&n| n == r.n));
    Ok(rows)
}

/// One run of every command on the corpus of size `n`.
fn round_of(
    o: &Options,
    n: usize,
    round: usize,
    corpus: &Path,
    outs: &Path,
    failed: &mut Vec<(usize, &'static str, String)>,
) -> Result<Vec<Sample>, String> {
    let mut samples = Vec::new();
    let mut sample = |what: &str, timing: Option<Timing>, pages: usize, note: String| {
        // Every run on the log, so a median can be checked against its spread.
        if let Some(t) = timing {
            eprintln!("  {n} {what}: {:.2} s, {} MiB", t.secs, t.rss_kib / 1024);
        }
        samples.push(Sample {
            n,
            what: what.into(),
            timing,
            pages,
            note,
        })
    };
    let site = corpus.join("kembar");
    let out = outs.join(format!("out-kembar-{n}"));
    let (t, pages) = full_build(&out, &mut kembar_build(o, &site, &out))?;
    sample("kembar build", Some(t), pages, String::new());
    let (t, stderr) = timed_output(&mut kembar_build(o, &site, &out))?;
    let written = what_was_written(&stderr);
    sample("kembar rebuild, nothing changed", Some(t), pages, written);
    let (t, note) = one_changed(o, round, &site, &out)?;
    sample("kembar rebuild, one entry changed", Some(t), pages, note);
    let mut c = Command::new(&o.kembar);
    c.arg("check").arg("--root").arg(&site);
    sample("kembar check", Some(timed(&mut c)?), pages, String::new());
    let floor_out = outs.join(format!("out-floor-{n}"));
    let floor = super::floor::measure(&site.join("content"), &out, &floor_out, 1)?;
    sample(super::floor::NAME, Some(floor), pages, String::new());
    clear(&floor_out);
    clear(&out);
    for (name, bin) in [("hugo", &o.hugo), ("zola", &o.zola)] {
        let Some(bin) = bin else {
            sample(name, None, 0, format!("skipped: no {name} binary"));
            continue;
        };
        if let Some((.., why)) = failed.iter().find(|f| f.0 == n && f.1 == name) {
            sample(name, None, 0, why.clone());
            continue;
        }
        let src = corpus.join(name);
        let out = outs.join(format!("out-{name}-{n}"));
        let mut c = Command::new(bin);
        if name == "hugo" {
            c.arg("--source")
                .arg(&src)
                .arg("--destination")
                .arg(&out)
                .arg("--quiet");
        } else {
            c.arg("--root")
                .arg(&src)
                .arg("build")
                .arg("--output-dir")
                .arg(&out);
        }
        match full_build(&out, &mut c) {
            Ok((t, pages)) => sample(name, Some(t), pages, String::new()),
            Err(e) => {
                let why = format!("failed: {}", e.lines().next().unwrap_or(""));
                failed.push((n, name, why.clone()));
                sample(name, None, 0, why);
            }
        }
        // Its output would sit in the tmpfs, that is in memory, under the next command.
        clear(&out);
    }
    Ok(samples)
}

/// Writes the three sites for `n` unless a finished copy is already there.
fn prepare(n: usize, seed: u64, dir: &Path) -> Result<(), String> {
    let done = dir.join(format!(".complete-{seed}"));
    if done.exists() {
        return Ok(());
    }
    clear(dir);
    eprintln!("generating the corpus for N = {n} in {}", dir.display());
    super::write_all(n, seed, dir).map_err(|e| e.to_string())?;
    fs::write(done, "").map_err(|e| e.to_string())
}

/// The "N written, M unchanged, K removed" part of kembar's summary line.
fn what_was_written(stderr: &str) -> String {
    stderr
        .lines()
        .last()
        .and_then(|l| l.rsplit_once(": ").map(|(_, w)| w))
        .and_then(|w| w.split(" in ").next())
        .unwrap_or("")
        .to_string()
}

/// Edits one sentence of one partnership's history (a different one each round), times
/// the rebuild, and restores it: the time and what was written.
fn one_changed(
    o: &Options,
    round: usize,
    site: &Path,
    out: &Path,
) -> Result<(Timing, String), String> {
    let dir = site.join("content/partnerships");
    let file = fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .min()
        .ok_or("no partnerships")?;
    let original = fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let mut edited = original.clone();
    let _ = write!(
        edited,
        "\nSuntingan nomor {round} untuk uji kecepatan. [@s1]\n"
    );
    fs::write(&file, edited).map_err(|e| e.to_string())?;
    let timed_run = timed_output(&mut kembar_build(o, site, out));
    fs::write(&file, &original).map_err(|e| e.to_string())?;
    let (t, stderr) = timed_run?;
    // Back to the unchanged site, so every round changes the same files.
    timed(&mut kembar_build(o, site, out))?;
    Ok((t, what_was_written(&stderr)))
}
