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
        // `time` reports a killed child as its own failure; the kernel's OOM killer is
        // the usual reason on a big corpus.
        let stderr = String::from_utf8_lossy(&out.stderr);
        let reported = stderr
            .split("Command terminated by signal ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next()?.parse::<i32>().ok());
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

/// `runs` full builds from an empty output folder; the output of the last one is kept.
fn full_builds(
    runs: usize,
    out: &Path,
    make: &dyn Fn() -> Command,
) -> Result<(Timing, usize), String> {
    let mut times = Vec::new();
    for _ in 0..runs {
        clear(out);
        times.push(timed(&mut make())?);
    }
    Ok((median(times).ok_or("no runs")?, html_files(out)))
}

fn kembar_build(o: &Options, site: &Path, out: &Path) -> Command {
    let mut c = Command::new(&o.kembar);
    c.arg("build").arg("--root").arg(site).arg("-o").arg(out);
    c
}

pub fn run(o: &Options) -> Result<(), String> {
    let mut rows = Vec::new();
    for &n in &o.sizes {
        let dir = o.work.join(format!("corpus-{n}"));
        prepare(n, o.seed, &dir)?;
        rows.extend(size(o, n, &dir, &o.work)?);
    }
    let mut disk_rows = Vec::new();
    if let Some(disk) = &o.disk {
        let n = o
            .sizes
            .iter()
            .copied()
            .filter(|&n| n <= 10_000)
            .max()
            .unwrap_or(1000);
        let dir = o.work.join(format!("corpus-{n}"));
        let one = Options {
            runs: 1,
            disk: None,
            ..o.clone()
        };
        fs::create_dir_all(disk).map_err(|e| e.to_string())?;
        disk_rows = size(&one, n, &dir, disk)?
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

fn size(o: &Options, n: usize, corpus: &Path, outs: &Path) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let row = |what: &str, t: Option<Timing>, pages: usize, note: String| Row {
        n,
        what: what.into(),
        timing: t,
        pages,
        note,
    };
    let site = corpus.join("kembar");
    let out = outs.join(format!("out-kembar-{n}"));
    eprintln!("N = {n}: kembar");
    let (t, pages) = full_builds(o.runs, &out, &|| kembar_build(o, &site, &out))?;
    rows.push(row("kembar build", Some(t), pages, String::new()));
    let mut times = Vec::new();
    let mut written = String::new();
    for _ in 0..o.runs {
        let (t, stderr) = timed_output(&mut kembar_build(o, &site, &out))?;
        times.push(t);
        written = what_was_written(&stderr);
    }
    rows.push(row(
        "kembar rebuild, nothing changed",
        median(times),
        pages,
        written,
    ));
    rows.push(one_changed(o, n, &site, &out, pages)?);
    let times: Result<Vec<_>, _> = (0..o.runs)
        .map(|_| {
            let mut c = Command::new(&o.kembar);
            c.arg("check").arg("--root").arg(&site);
            timed(&mut c)
        })
        .collect();
    rows.push(row("kembar check", median(times?), pages, String::new()));
    let floor = super::floor::measure(
        &site.join("content"),
        &out,
        &outs.join(format!("out-floor-{n}")),
        o.runs,
    )?;
    rows.push(row(super::floor::NAME, Some(floor), pages, String::new()));
    clear(&out);
    for (name, bin) in [("hugo", &o.hugo), ("zola", &o.zola)] {
        let Some(bin) = bin else {
            rows.push(row(name, None, 0, format!("skipped: no {name} binary")));
            continue;
        };
        eprintln!("N = {n}: {name}");
        let src = corpus.join(name);
        let out = outs.join(format!("out-{name}-{n}"));
        let make = || {
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
            c
        };
        match full_builds(o.runs, &out, &make) {
            Ok((t, pages)) => rows.push(row(name, Some(t), pages, String::new())),
            Err(e) => rows.push(row(
                name,
                None,
                0,
                format!("failed: {}", e.lines().next().unwrap_or("")),
            )),
        }
        clear(&out);
    }
    Ok(rows)
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

/// Edits one sentence of one partnership's history, times the rebuild, and restores it.
fn one_changed(
    o: &Options,
    n: usize,
    site: &Path,
    out: &Path,
    pages: usize,
) -> Result<Row, String> {
    let dir = site.join("content/partnerships");
    let file = fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .min()
        .ok_or("no partnerships")?;
    let original = fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    let mut note = String::new();
    for run in 0..o.runs {
        let mut edited = original.clone();
        let _ = write!(
            edited,
            "\nSuntingan nomor {run} untuk uji kecepatan. [@s1]\n"
        );
        fs::write(&file, edited).map_err(|e| e.to_string())?;
        let (t, stderr) = timed_output(&mut kembar_build(o, site, out))?;
        times.push(t);
        note = what_was_written(&stderr);
        fs::write(&file, &original).map_err(|e| e.to_string())?;
        // Back to the unchanged site, so every run changes the same files.
        timed(&mut kembar_build(o, site, out))?;
    }
    Ok(Row {
        n,
        what: "kembar rebuild, one entry changed".into(),
        timing: median(times),
        pages,
        note,
    })
}
