//! Command-line arguments (clap) and their translation into validated `Settings`.

use crate::build::Settings;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Builds the Atlas Kota Kembar — or any site in its content model — into a static website.
#[derive(Debug, Parser)]
#[command(name = "kembar", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: <root>/public)
    Build {
        #[command(flatten)]
        common: Common,
        /// Where to write the site; replaced as a whole on success
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Absolute URL the site is published at (for sitemap, feed and canonical links)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Check the content and theme without writing anything
    Check {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, clap::Args)]
pub struct Common {
    /// The site folder, containing kembar.toml and content/
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line and a caret
    Human,
    /// one line per diagnostic: `path:line:col: error: message`
    Short,
    /// GitHub Actions annotations (`::error file=…,line=…`)
    Github,
}

pub struct Run {
    pub settings: Settings,
    pub strict: bool,
    pub format: Format,
}

impl Cli {
    pub fn into_run(self) -> Result<Run, String> {
        let (common, output, base_url, write) = match self.command {
            Command::Build {
                common,
                output,
                base_url,
            } => (common, output, base_url, true),
            Command::Check { common } => (common, None, None, false),
        };
        if let Some(problem) = base_url
            .as_deref()
            .and_then(crate::config::base_url_problem)
        {
            return Err(format!("--base-url {problem}"));
        }
        let shown_root = if common.root == std::path::Path::new(".") {
            PathBuf::new()
        } else {
            common.root.clone()
        };
        let output = write.then(|| output.unwrap_or_else(|| common.root.join("public")));
        Ok(Run {
            settings: Settings {
                root: common.root,
                shown_root,
                output,
                base_url,
            },
            strict: common.strict,
            format: common.format,
        })
    }
}
