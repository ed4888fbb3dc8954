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
        /// Also print the editors' to-do list: provinces without partnerships, and
        /// partnerships without a year, fields, coordinates or a verified source
        #[arg(long)]
        coverage: bool,
        /// Also check that every source URL answers (needs the network; results are
        /// kept a day in .kembar-external-cache.json in the site folder)
        #[arg(long)]
        external: bool,
        /// Seconds to wait for each source URL under --external
        #[arg(
            long,
            value_name = "SECONDS",
            default_value_t = 15,
            requires = "external"
        )]
        external_timeout: u64,
    },
    /// Serve the site on localhost, rebuilding it and reloading the browser as files change
    Serve(crate::serve::ServeArgs),
    /// Write a new entry, every field in place and commented; never overwrites a file
    New(crate::scaffold::NewArgs),
    /// Write JSON Schemas of the entry files, for editors with a YAML language server
    Schema(crate::schema::SchemaArgs),
    /// Create entries from other data; never overwrites a file
    Import {
        #[command(subcommand)]
        what: Import,
    },
}

#[derive(Debug, Subcommand)]
pub enum Import {
    /// Create an entry for each row of a partnerships spreadsheet not yet in the site,
    /// with the regions and partners it needs. Columns: region, region_level,
    /// region_province, partner, partner_level, partner_country, since, kind,
    /// source_url, note (optional: status, confidence, fields)
    Csv {
        /// The spreadsheet, saved as CSV (UTF-8, comma-separated, one header row)
        file: PathBuf,
        /// The site folder, containing kembar.toml and content/
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    /// Create an entry for every Indonesian province that has none, from the embedded
    /// Kemendagri gazetteer
    Provinces {
        /// The site folder, containing kembar.toml and content/
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
}

/// What the command line asks for.
pub enum Action {
    Run(Run),
    Serve(crate::serve::ServeArgs),
    New(crate::scaffold::NewArgs),
    Schema(crate::schema::SchemaArgs),
    /// `file` is `None` for `import provinces`.
    Import {
        root: PathBuf,
        shown_root: PathBuf,
        file: Option<PathBuf>,
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
    /// one JSON object per line: severity, message, file, line, column, labels, help
    Json,
}

pub struct Run {
    pub settings: Settings,
    pub strict: bool,
    pub format: Format,
    pub coverage: bool,
    /// `check --external`: how to check source URLs once the content is valid.
    pub external: Option<crate::external::Options>,
}

fn shown(root: &std::path::Path) -> PathBuf {
    if root == std::path::Path::new(".") {
        PathBuf::new()
    } else {
        root.to_path_buf()
    }
}

impl Cli {
    pub fn into_action(self) -> Result<Action, String> {
        let mut external = None;
        let (common, output, base_url, write, coverage) = match self.command {
            Command::Build {
                common,
                output,
                base_url,
            } => (common, output, base_url, true, false),
            Command::Check {
                common,
                coverage,
                external: ext,
                external_timeout,
            } => {
                external = ext.then(|| crate::external::Options {
                    timeout: std::time::Duration::from_secs(external_timeout.max(1)),
                    ..crate::external::Options::default()
                });
                (common, None, None, false, coverage)
            }
            Command::Serve(args) => return Ok(Action::Serve(args)),
            Command::New(args) => return Ok(Action::New(args)),
            Command::Schema(args) => return Ok(Action::Schema(args)),
            Command::Import { what } => {
                let (root, file) = match what {
                    Import::Csv { file, root } => (root, Some(file)),
                    Import::Provinces { root } => (root, None),
                };
                return Ok(Action::Import {
                    shown_root: shown(&root),
                    root,
                    file,
                });
            }
        };
        if let Some(problem) = base_url
            .as_deref()
            .and_then(crate::config::base_url_problem)
        {
            return Err(format!("--base-url {problem}"));
        }
        let shown_root = shown(&common.root);
        let output = write.then(|| output.unwrap_or_else(|| common.root.join("public")));
        Ok(Action::Run(Run {
            settings: Settings {
                root: common.root,
                shown_root,
                output,
                base_url,
                coverage,
            },
            strict: common.strict,
            format: common.format,
            coverage,
            external,
        }))
    }
}
