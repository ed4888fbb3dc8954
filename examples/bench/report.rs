//! `bench/RESULTS.md`: the machine, one table of every measurement, and each target of
//! the benchmark checked against the numbers of the same run.

use super::run::{Options, Row, Timing};
use std::fmt::Write as _;
use std::process::Command;

fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn machine(o: &Options) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "unknown".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or("unknown".into(), |kb| {
            format!("{:.1} GiB", kb as f64 / 1048576.0)
        });
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let tool = |p: &Option<std::path::PathBuf>, arg: &str| {
        p.as_ref().map_or("not found".into(), |p| {
            first_line(&p.to_string_lossy(), &[arg])
        })
    };
    format!(
        "- CPU: {cpu}, {cores} cores; memory {mem}\n- kernel: {}\n- rustc: {}\n- kembar: {}\n- Hugo: {}\n- Zola: {}\n- output on: `{}` (tmpfs)\n",
        first_line("uname", &["-sr"]),
        first_line("rustc", &["--version"]),
        o.kembar.display(),
        tool(&o.hugo, "version"),
        tool(&o.zola, "--version"),
        o.work.display(),
    )
}

fn table(rows: &[Row]) -> String {
    let mut s = String::from(
        "| N | what | median wall (s) | pages/s | peak RSS (MiB) | note |\n|---:|---|---:|---:|---:|---|\n",
    );
    for r in rows {
        let (secs, rate, rss) = match r.timing {
            Some(t) => (
                format!("{:.2}", t.secs),
                if t.secs > 0.0 && r.pages > 0 {
                    format!("{:.0}", r.pages as f64 / t.secs)
                } else {
                    "–".into()
                },
                if t.rss_kib > 0 {
                    format!("{:.0}", t.rss_kib as f64 / 1024.0)
                } else {
                    "–".into()
                },
            ),
            None => ("–".into(), "–".into(), "–".into()),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {secs} | {rate} | {rss} | {} |",
            r.n, r.what, r.note
        );
    }
    s
}

fn find(rows: &[Row], n: usize, what: &str) -> Option<Timing> {
    rows.iter()
        .find(|r| r.n == n && r.what == what)
        .and_then(|r| r.timing)
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "**met**",
        Some(false) => "**not met**",
        None => "not measured",
    }
}

fn targets(rows: &[Row]) -> String {
    let mut s = String::new();
    let k = |n| find(rows, n, "kembar build");
    for n in [10_000, 50_000] {
        let others: Vec<Timing> = ["hugo", "zola"]
            .iter()
            .filter_map(|w| find(rows, n, w))
            .collect();
        let fastest = others.iter().map(|t| t.secs).fold(f64::INFINITY, f64::min);
        let leanest = others.iter().map(|t| t.rss_kib).min();
        let time_ok = k(n)
            .filter(|_| !others.is_empty())
            .map(|t| t.secs * 3.0 <= fastest);
        let _ = writeln!(
            s,
            "- N = {n}: full build at most ⅓ of the faster of Hugo and Zola: {} (kembar {}, fastest other {})",
            verdict(time_ok),
            k(n).map_or("–".into(), |t| format!("{:.2} s", t.secs)),
            if others.is_empty() {
                "–".into()
            } else {
                format!("{fastest:.2} s")
            },
        );
        let rss_ok = k(n).zip(leanest).map(|(t, l)| t.rss_kib * 3 <= l);
        let _ = writeln!(
            s,
            "- N = {n}: peak RSS at most ⅓ of the leaner: {} (kembar {}, leanest other {})",
            verdict(rss_ok),
            k(n).map_or("–".into(), |t| format!(
                "{:.0} MiB",
                t.rss_kib as f64 / 1024.0
            )),
            leanest.map_or("–".into(), |l| format!("{:.0} MiB", l as f64 / 1024.0)),
        );
    }
    let floor = find(rows, 50_000, super::floor::NAME);
    let ratio = k(50_000).zip(floor).map(|(t, f)| t.secs / f.secs);
    let _ = writeln!(
        s,
        "- N = 50,000: within 4× of the floor: {} ({})",
        verdict(ratio.map(|r| r <= 4.0)),
        ratio.map_or("–".into(), |r| format!("{r:.2}×")),
    );
    let growth = k(50_000).zip(k(10_000)).map(|(a, b)| a.secs / b.secs);
    let _ = writeln!(
        s,
        "- linear growth, t(50k)/t(10k) ≤ 5.5: {} ({})",
        verdict(growth.map(|g| g <= 5.5)),
        growth.map_or("–".into(), |g| format!("{g:.2}")),
    );
    let check = find(rows, 50_000, "kembar check")
        .zip(k(50_000))
        .map(|(c, b)| c.secs / b.secs);
    let _ = writeln!(
        s,
        "- N = 50,000: `kembar check` under ¼ of the full build: {} ({})",
        verdict(check.map(|c| c < 0.25)),
        check.map_or("–".into(), |c| format!("{:.0} %", c * 100.0)),
    );
    let skipped = rows
        .iter()
        .filter(|r| r.what == "kembar rebuild, nothing changed")
        .all(|r| r.note.starts_with("0 written"));
    let _ = writeln!(
        s,
        "- a no-change rebuild skips unchanged output files: {} (see the notes: files written)",
        verdict(Some(skipped)),
    );
    s
}

pub fn render(o: &Options, rows: &[Row], disk: &[Row]) -> String {
    let mut s = String::from(
        "# Benchmark results\n\nWritten by `bench/run` (see `bench/README.md`); every number below comes from one run of it.\n\n## Machine\n\n",
    );
    s.push_str(&machine(o));
    let _ = write!(
        s,
        "\n## Builds\n\nMedian of {} runs each, taken in rounds (every command on every size once per round); peak RSS is the largest of the runs (`/usr/bin/time -v`). A full build starts from an empty output folder. Pages are the HTML files in the output.\n\n",
        o.runs
    );
    s.push_str(&table(rows));
    if !disk.is_empty() {
        s.push_str("\n## Output on disk\n\nOne run each, output on the machine's disk instead of tmpfs; disk timings vary several-fold from run to run on these machines.\n\n");
        s.push_str(&table(disk));
    }
    s.push_str("\n## Targets\n\n");
    s.push_str(&targets(rows));
    s
}
