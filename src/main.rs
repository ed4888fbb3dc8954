//! The `kembar` binary: parse arguments, run, print diagnostics, map to an exit code.

use clap::Parser;
use kembar::cli::{Action, Cli, Format, Run};
use kembar::diag::{self, Diagnostic, Severity};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

// A build makes millions of small, short-lived allocations on several threads at once;
// mimalloc's thread-local heaps serve them faster than glibc's arenas, and give memory
// back with less fragmentation (see bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let action = Cli::parse().into_action();
    match &action {
        Ok(Action::Run(_)) => keep_freed_memory(),
        _ => no_huge_pages(),
    }
    match action {
        Ok(Action::Run(run)) => leave(build(run)),
        Ok(Action::Serve(args)) => kembar::serve::run(args),
        Ok(Action::New(args)) => kembar::scaffold::run(args),
        Ok(Action::Schema(args)) => kembar::schema::run(args),
        Ok(Action::Import {
            root,
            shown_root,
            file,
        }) => import(root, shown_root, file),
        Err(msg) => {
            anstream::eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// mimalloc gives pages freed a second ago back to the kernel, and a build, which frees
/// and allocates all the time, then faults them in again, zeroed. A build is short and
/// its peak is what it keeps anyway, so freed pages stay with the process. Then each
/// page is zeroed once, and transparent huge pages (which mimalloc asks for) pay: at
/// N = 50,000 a build took 380,000 page faults with 4 KiB pages and 1,500 with huge
/// ones, and 0.9 s less kernel time (`/usr/bin/time`, bench/README.md). While freed
/// pages were given back, huge pages cost more than they saved (zeroing 2 MiB at each
/// touch of a purged page), and the process opted out of them: it still does for the
/// long-running `serve`, which gives back what one rebuild freed before the next.
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc v3's `mi_option_t`; the bindings name no
    // constant for it. The option's default (1000 ms) confirms the number before it is
    // set, so another mimalloc leaves every option as it was.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: options are plain integers read by mimalloc's own code; no other thread
    // runs yet (the functions are not thread-safe).
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == 1000 {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        }
    }
}

/// mimalloc asks the kernel for transparent huge pages, and gives freed pages back to it:
/// the kernel then zeroes 2 MiB at the next touch of any of them. In a process that
/// gives memory back (`serve`), that zeroing took a quarter of a `check` and a fifth of
/// a build at N = 50,000 (measured with `perf`, bench/README.md), so it opts out.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches only this process's
    // memory policy; a kernel without it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Ends the process at once. A build leaves millions of allocations behind; freeing them
/// one by one at exit, as mimalloc does, took a tenth of a `check` at N = 50,000
/// (`perf`), and the kernel takes the memory back anyway. Everything has been written by
/// now: output files are closed and renamed, and the streams are flushed here.
fn leave(code: u8) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` only ends the process; no Rust code runs after it, so no
    // destructor is skipped that anything outside this process depends on.
    unsafe { libc::_exit(i32::from(code)) }
}

fn build(run: Run) -> u8 {
    let report = match kembar::build::run(&run.settings) {
        Ok(r) => r,
        Err(fatal) => {
            anstream::eprintln!("error: {fatal}");
            return 2;
        }
    };
    let mut report = report;
    if let Some(options) = run.external.as_ref().filter(|_| report.stats.is_some()) {
        match kembar::external::check(&run.settings.root, &run.settings.shown_root, options) {
            Ok(found) => {
                report.diagnostics.extend(found.diagnostics);
                anstream::eprintln!(
                    "checked {} source URLs ({} from the cache)",
                    found.checked,
                    found.cached
                );
            }
            Err(e) => {
                anstream::eprintln!("error: {e}");
                return 2;
            }
        }
    }
    print(&report.diagnostics, run.format);
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let failed = errors > 0 || (run.strict && !report.diagnostics.is_empty());
    if let Some(coverage) = &report.coverage {
        print!("{coverage}");
    }
    if let Some(stats) = report.stats.as_ref().filter(|_| !failed) {
        let what = match &run.settings.output {
            Some(out) => {
                let w = stats.written.unwrap_or_default();
                format!(
                    "built {} pages ({} files, {} KiB) into {}: {} written, {} unchanged, {} removed",
                    stats.pages,
                    stats.files,
                    stats.bytes / 1024,
                    out.display(),
                    w.written,
                    w.unchanged,
                    w.removed
                )
            }
            None => format!(
                "checked {} partnerships: {} pages would be built",
                stats.partnerships, stats.pages
            ),
        };
        anstream::eprintln!("{what} in {} ms", stats.millis);
    }
    if failed {
        if errors == 0 {
            anstream::eprintln!("error: warnings are errors under --strict");
        }
        1
    } else {
        0
    }
}

fn import(root: PathBuf, shown_root: PathBuf, file: Option<PathBuf>) -> ExitCode {
    let result = match &file {
        Some(f) => kembar::import::csv(&root, &shown_root, f),
        None => kembar::import::provinces(&root, &shown_root),
    };
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            anstream::eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for path in &outcome.created {
        println!("created {}", path.display());
    }
    let csv = file.as_ref().map(|f| f.display().to_string());
    for s in &outcome.skipped {
        println!(
            "skipped {}:{}: {}",
            csv.as_deref().unwrap_or("?"),
            s.line,
            s.reason
        );
    }
    print(&outcome.diagnostics, Format::Human);
    if outcome.has_errors() {
        anstream::eprintln!("error: nothing was imported");
        return ExitCode::from(1);
    }
    let others = outcome.created.len() - outcome.partnerships;
    anstream::eprintln!(
        "imported {} partnership{} and {others} other entr{}; skipped {} row{}",
        outcome.partnerships,
        if outcome.partnerships == 1 { "" } else { "s" },
        if others == 1 { "y" } else { "ies" },
        outcome.skipped.len(),
        if outcome.skipped.len() == 1 { "" } else { "s" },
    );
    ExitCode::SUCCESS
}

fn print(diags: &[Diagnostic], format: Format) {
    let color = std::io::stderr().is_terminal();
    for d in diags {
        match format {
            Format::Human => anstream::eprintln!("{}\n", diag::render_human(d, color)),
            Format::Short => anstream::eprintln!("{}", diag::render_short(d)),
            Format::Github => println!("{}", diag::render_github(d)),
            Format::Json => println!("{}", diag::render_json(d)),
        }
    }
    // `short` is for scripts reading stderr line by line; the others keep the summary.
    if let (Format::Human | Format::Github | Format::Json, Some(summary)) =
        (format, diag::summary(diags))
    {
        let sev = if diags.iter().any(|d| d.severity == Severity::Error) {
            "error"
        } else {
            "warning"
        };
        anstream::eprintln!("{sev}: {summary}");
    }
}
