//! The `kembar` binary: parse arguments, run, print diagnostics, map to an exit code.

use clap::Parser;
use kembar::cli::{Cli, Format};
use kembar::diag::{self, Diagnostic, Severity};
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let run = match Cli::parse().into_run() {
        Ok(r) => r,
        Err(msg) => {
            anstream::eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    let report = match kembar::build::run(&run.settings) {
        Ok(r) => r,
        Err(fatal) => {
            anstream::eprintln!("error: {fatal}");
            return ExitCode::from(2);
        }
    };
    print(&report.diagnostics, run.format);
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let failed = errors > 0 || (run.strict && !report.diagnostics.is_empty());
    if let Some(stats) = report.stats.as_ref().filter(|_| !failed) {
        let what = match &run.settings.output {
            Some(out) => format!(
                "built {} pages ({} files, {} KiB) into {}",
                stats.pages,
                stats.files,
                stats.bytes / 1024,
                out.display()
            ),
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
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print(diags: &[Diagnostic], format: Format) {
    let color = std::io::stderr().is_terminal();
    for d in diags {
        match format {
            Format::Human => anstream::eprintln!("{}\n", diag::render_human(d, color)),
            Format::Short => anstream::eprintln!("{}", diag::render_short(d)),
            Format::Github => println!("{}", diag::render_github(d)),
        }
    }
    if let (Format::Human, Some(summary)) = (format, diag::summary(diags)) {
        let sev = if diags.iter().any(|d| d.severity == Severity::Error) {
            "error"
        } else {
            "warning"
        };
        anstream::eprintln!("{sev}: {summary}");
    }
}
