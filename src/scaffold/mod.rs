//! `kembar new`: writes a new region, partner or partnership entry with every key in place
//! and commented, filled only with what the editor gave; asks for what is missing when
//! run on a terminal; never overwrites a file.

mod ask;
mod template;

use crate::diag::did_you_mean;
use crate::model::{Countries, PartnerLevel, RegionLevel, Slug};
use crate::validate::keys::{self, Key, Need};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EntryKind {
    Partnership,
    Region,
    Partner,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// What to create (asked on a terminal when left out)
    #[arg(value_enum)]
    pub kind: Option<EntryKind>,
    /// The new entry's name: `bandung` for a region, `us/fort-worth` for a partner; for a
    /// partnership `<region>-<partner>` unless given
    pub slug: Option<String>,
    /// For a partnership: the region's slug
    #[arg(long, value_name = "SLUG")]
    pub region: Option<String>,
    /// For a partnership: the partner as `<country>/<slug>`
    #[arg(long, value_name = "COUNTRY/SLUG")]
    pub partner: Option<String>,
    /// For a region or partner: its level, if you know it from a source
    #[arg(long)]
    pub level: Option<String>,
    /// For a kota or kabupaten: the slug of its province
    #[arg(long, value_name = "SLUG")]
    pub province: Option<String>,
    /// The site folder, containing kembar.toml and content/
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// Why nothing was written; exit code 2.
#[derive(Debug)]
pub struct Refusal {
    pub message: String,
    pub help: Option<String>,
}

fn refuse(message: impl Into<String>, help: impl Into<Option<String>>) -> Refusal {
    Refusal {
        message: message.into(),
        help: help.into(),
    }
}

/// A new entry, ready to be written.
pub struct Planned {
    /// Path relative to the site root.
    pub rel: PathBuf,
    pub text: String,
    /// Required keys left empty, for the next steps.
    pub empty: Vec<&'static str>,
}

pub fn run(args: NewArgs) -> ExitCode {
    let interactive = std::io::stdin().is_terminal();
    let stdin = std::io::stdin();
    let mut asker = interactive.then(|| ask::Asker::new(stdin.lock(), std::io::stderr()));
    let result = plan(&args, asker.as_mut()).and_then(|p| write(&args.root, &p).map(|_| p));
    match result {
        Ok(p) => {
            next_steps(&p, &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Err(r) => {
            anstream::eprintln!("error: {}", r.message);
            if let Some(h) = r.help {
                anstream::eprintln!("  = help: {h}");
            }
            ExitCode::from(2)
        }
    }
}

/// Decides what to write, asking `asker` for what the arguments leave out (if there is one).
pub fn plan<R: std::io::BufRead, W: Write>(
    args: &NewArgs,
    mut asker: Option<&mut ask::Asker<R, W>>,
) -> Result<Planned, Refusal> {
    let content = args.root.join("content");
    if !content.is_dir() {
        return Err(refuse(
            format!("no content folder at {}", content.display()),
            Some("run kembar in the site folder, or give it with `--root DIR`".into()),
        ));
    }
    let existing = Existing::read(&content);
    let kind = match (args.kind, asker.as_deref_mut()) {
        (Some(k), _) => k,
        (None, Some(a)) => a.kind()?,
        (None, None) => {
            return Err(not_a_terminal(
                "the kind of entry (partnership, region or partner)",
            ));
        }
    };
    match kind {
        EntryKind::Partnership => partnership(args, &existing, asker),
        EntryKind::Region => region(args, &existing, asker),
        EntryKind::Partner => partner(args, asker),
    }
}

fn not_a_terminal(what: &str) -> Refusal {
    refuse(
        format!("`kembar new` needs {what}, and cannot ask for it: input is not a terminal"),
        Some("give it on the command line, e.g. `kembar new partnership --region bandung --partner us/fort-worth`, `kembar new region bandung` or `kembar new partner us/fort-worth`".into()),
    )
}

/// The slugs of the entries already in the site, read from file names alone, so that a
/// site with errors can still get new entries.
pub struct Existing {
    pub regions: Vec<String>,
    pub partners: Vec<String>,
}

impl Existing {
    fn read(content: &Path) -> Existing {
        let stems = |dir: &Path| -> Vec<String> {
            let mut out: Vec<String> = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter_map(|n| {
                    n.strip_suffix(".md")
                        .or_else(|| n.strip_suffix(".yaml"))
                        .map(str::to_string)
                })
                .filter(|s| !s.contains('.') && !s.starts_with('_'))
                .collect();
            out.sort();
            out
        };
        let partners_dir = content.join("partners");
        let mut partners = Vec::new();
        for cc in stems_of_dirs(&partners_dir) {
            partners.extend(
                stems(&partners_dir.join(&cc))
                    .into_iter()
                    .map(|s| format!("{cc}/{s}")),
            );
        }
        Existing {
            regions: stems(&content.join("regions")),
            partners,
        }
    }
}

fn stems_of_dirs(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    out.sort();
    out
}

/// `value` if it is one of `known`; otherwise a refusal with the closest one.
pub fn known(what: &str, value: &str, known: &[String], create: &str) -> Result<(), Refusal> {
    if known.iter().any(|k| k == value) {
        return Ok(());
    }
    let help = did_you_mean(value, known.iter().map(String::as_str))
        .unwrap_or_else(|| format!("create it first with `kembar new {create} {value}`"));
    Err(refuse(
        format!("no {what} `{value}` in this site"),
        Some(help),
    ))
}

fn partnership<R: std::io::BufRead, W: Write>(
    args: &NewArgs,
    existing: &Existing,
    mut asker: Option<&mut ask::Asker<R, W>>,
) -> Result<Planned, Refusal> {
    let region = match (&args.region, asker.as_deref_mut()) {
        (Some(r), _) => r.clone(),
        (None, Some(a)) => a.existing("region", &existing.regions)?,
        (None, None) => return Err(not_a_terminal("`--region`")),
    };
    known("region", &region, &existing.regions, "region")?;
    let partner = match (&args.partner, asker) {
        (Some(p), _) => p.clone(),
        (None, Some(a)) => a.existing("partner", &existing.partners)?,
        (None, None) => return Err(not_a_terminal("`--partner COUNTRY/SLUG`")),
    };
    known("partner", &partner, &existing.partners, "partner")?;
    let partner_slug = partner.split_once('/').map_or(partner.as_str(), |(_, s)| s);
    let slug = args
        .slug
        .clone()
        .unwrap_or_else(|| format!("{region}-{partner_slug}"));
    let slug = valid_slug(&slug)?;
    let given = [("region", region), ("partner", partner)];
    // Markdown inside an HTML comment is not read, so the example citation is no citation.
    let body = "\n<!-- Write the history of the partnership here, in Indonesian. After each fact,\n     cite its source by its key, e.g. [@tempo]. Remove this comment when done. -->\n";
    Ok(planned(
        PathBuf::from("content/partnerships").join(format!("{slug}.md")),
        keys::PARTNERSHIP,
        &given,
        body,
        &args.root,
        "partnership",
    ))
}

fn region<R: std::io::BufRead, W: Write>(
    args: &NewArgs,
    existing: &Existing,
    asker: Option<&mut ask::Asker<R, W>>,
) -> Result<Planned, Refusal> {
    let slug = match (&args.slug, asker) {
        (Some(s), _) => s.clone(),
        (None, Some(a)) => a.new_name(
            "region slug (the file name, e.g. `kota-bandung` → bandung)",
            "bandung",
        )?,
        (None, None) => {
            return Err(not_a_terminal(
                "the region's slug, e.g. `kembar new region bandung`",
            ));
        }
    };
    let slug = valid_slug(&slug)?;
    let mut given = Vec::new();
    if let Some(level) = &args.level {
        given.push(("level", choice("level", level, RegionLevel::NAMES)?));
    }
    if let Some(p) = &args.province {
        known("province", p, &existing.regions, "region")?;
        given.push(("province", p.clone()));
    }
    Ok(planned(
        PathBuf::from("content/regions").join(format!("{slug}.md")),
        keys::REGION,
        &given,
        "\n<!-- A short profile of the region, in Indonesian Markdown. -->\n",
        &args.root,
        "region",
    ))
}

fn partner<R: std::io::BufRead, W: Write>(
    args: &NewArgs,
    asker: Option<&mut ask::Asker<R, W>>,
) -> Result<Planned, Refusal> {
    let id = match (&args.slug, asker) {
        (Some(s), _) => s.clone(),
        (None, Some(a)) => a.new_name("partner as <country>/<slug>", "us/fort-worth")?,
        (None, None) => {
            return Err(not_a_terminal(
                "the partner as `<country>/<slug>`, e.g. `kembar new partner us/fort-worth`",
            ));
        }
    };
    let Some((cc, slug)) = id.split_once('/') else {
        return Err(refuse(
            format!("`{id}` is not `<country>/<slug>`"),
            Some(
                "write the ISO 3166-1 alpha-2 code, a slash and the slug, e.g. `us/fort-worth`"
                    .into(),
            ),
        ));
    };
    let countries = Countries::builtin();
    if countries.get(cc).is_none() || cc != cc.to_ascii_lowercase() {
        let help = match countries.by_alpha3(&cc.to_ascii_lowercase()) {
            Some(c) => format!(
                "`{cc}` is the alpha-3 code of {}: use `{}`",
                c.name_en, c.code
            ),
            None => "use the lowercase ISO 3166-1 alpha-2 code, e.g. `jp`, `kr`, `us`".into(),
        };
        return Err(refuse(format!("unknown country code `{cc}`"), Some(help)));
    }
    let slug = valid_slug(slug)?;
    let mut given = vec![("country", cc.to_string())];
    if let Some(level) = &args.level {
        given.push(("level", choice("level", level, PartnerLevel::NAMES)?));
    }
    Ok(planned(
        PathBuf::from("content/partners")
            .join(cc)
            .join(format!("{slug}.md")),
        keys::PARTNER,
        &given,
        "\n<!-- A short note on the partner, in Indonesian Markdown. -->\n",
        &args.root,
        "partner",
    ))
}

fn valid_slug(s: &str) -> Result<Slug, Refusal> {
    Slug::parse(s).map_err(|m| {
        refuse(
            m,
            Some(format!(
                "names are slugs: lowercase letters, digits and single hyphens, e.g. `{}`",
                Slug::suggest(s)
            )),
        )
    })
}

fn choice(key: &str, value: &str, names: &[&str]) -> Result<String, Refusal> {
    if names.contains(&value) {
        return Ok(value.to_string());
    }
    let allowed = format!("allowed values are {}", crate::diag::list(names));
    let help = match did_you_mean(value, names.iter().copied()) {
        Some(s) => format!("{s} ({allowed})"),
        None => allowed,
    };
    Err(refuse(
        format!("`{value}` is not a valid `{key}`"),
        Some(help),
    ))
}

fn planned(
    rel: PathBuf,
    keys: &[Key],
    given: &[(&str, String)],
    body: &str,
    root: &Path,
    schema: &str,
) -> Planned {
    // The modeline only where `kembar schema` has written the schemas into the site.
    let depth = rel.components().count() - 1;
    let schema_file = format!("schemas/{schema}.schema.json");
    let modeline = root
        .join(&schema_file)
        .is_file()
        .then(|| format!("{}{schema_file}", "../".repeat(depth)));
    let empty = keys
        .iter()
        .filter(|k| k.need == Need::Required && !given.iter().any(|(n, _)| *n == k.name))
        .map(|k| k.name)
        .collect();
    Planned {
        text: template::entry(keys, given, modeline.as_deref(), body),
        rel,
        empty,
    }
}

/// Writes the entry, refusing to replace anything (also a file made meanwhile).
pub fn write(root: &Path, p: &Planned) -> Result<(), Refusal> {
    let path = root.join(&p.rel);
    let shown = p.rel.display();
    if path.exists() {
        return Err(refuse(
            format!("{shown} already exists; kembar new never overwrites a file"),
            Some("edit that file, or give the new entry another name".into()),
        ));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| refuse(format!("cannot create {}: {e}", dir.display()), None))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| refuse(format!("cannot create {shown}: {e}"), None))?;
    file.write_all(p.text.as_bytes())
        .map_err(|e| refuse(format!("cannot write {shown}: {e}"), None))
}

fn next_steps(p: &Planned, out: &mut impl Write) {
    let required = crate::diag::list(&p.empty);
    let text = format!(
        "created {}\n\nnext:\n  1. open it and fill in what your sources say; leave a value empty when no source\n     gives it (never guess), and list every source you used under `sources`\n  2. run `kembar check`: it reports the required keys still empty ({required})\n     as errors until you fill them in; that is expected\n  3. run `kembar serve` to see the page, then commit and open a pull request\n     (see CONTRIBUTING.md)\n",
        p.rel.display().to_string().replace('\\', "/"),
    );
    // A closed stdout (a pipe to `head`) is no reason to fail after the file was written.
    let _ = out.write_all(text.as_bytes());
}
