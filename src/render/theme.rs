//! Themes: the default theme is embedded in the binary, so `kembar build` works on any
//! content folder; a file of the same path in the site's `themes/<name>/` replaces it.
//! Another theme lives wholly in the site's `themes/<name>/`, declares its template
//! engine in `theme.toml`, and borrows from the built-in default the files that do not
//! depend on the engine: `static/` files it does not have itself, and interface strings
//! (`i18n/<lang>.yaml`, merged key by key). See `themes/README.md`.

use crate::diag::{Diagnostic, Source};
use include_dir::{Dir, include_dir};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    name: String,
    /// Theme-relative path (`templates/base.html`) → the file.
    files: BTreeMap<String, File>,
}

/// Everything a page can read from the theme: a rebuild that finds the same theme
/// need not render pages again for it.
impl std::hash::Hash for Theme {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        for (path, file) in &self.files {
            path.hash(state);
            file.bytes.hash(state);
        }
    }
}

struct File {
    /// The path shown in messages.
    shown: PathBuf,
    bytes: Vec<u8>,
    /// Embedded in the binary rather than read from the site.
    built_in: bool,
}

/// The template engines a theme can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    MiniJinja,
    Tera,
}

impl EngineKind {
    pub const ALL: [EngineKind; 2] = [EngineKind::MiniJinja, EngineKind::Tera];

    /// The name written in `theme.toml`.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::MiniJinja => "minijinja",
            EngineKind::Tera => "tera",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("theme `{0}` not found: there is no folder themes/{0}/ in the site")]
    NotFound(String),
    #[error("cannot read theme file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("theme file {0} is not valid UTF-8")]
    Utf8(PathBuf),
}

/// `theme.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[expect(
        dead_code,
        reason = "documented for people; kembar knows the theme by its folder"
    )]
    name: Option<String>,
    engine: Option<Spanned<String>>,
    #[expect(dead_code, reason = "documented for people; nothing shows it yet")]
    description: Option<String>,
}

const MANIFEST_HELP: &str =
    "theme.toml takes `name`, `engine` (`minijinja` or `tera`) and `description`";

impl Theme {
    pub fn load(root: &Path, shown_root: &Path, name: &str) -> Result<Theme, ThemeError> {
        let mut files = BTreeMap::new();
        // Templates are written for one engine, so another theme takes none of the
        // default's; its scripts and assets work with any theme that keeps their DOM.
        let inherit = |rel: &str| name == "default" || rel.starts_with("static/");
        add_embedded(&DEFAULT, &inherit, &mut files);
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            add_folder(&dir, &shown_root.join("themes").join(name), &mut files)?;
        } else if name != "default" {
            return Err(ThemeError::NotFound(name.to_string()));
        }
        for (rel, f) in &files {
            let text = rel.starts_with("templates/") || rel == "theme.toml";
            if text && std::str::from_utf8(&f.bytes).is_err() {
                return Err(ThemeError::Utf8(f.shown.clone()));
            }
        }
        Ok(Theme {
            name: name.to_string(),
            files,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The engine the theme's templates are written for: `engine` in `theme.toml`, and
    /// minijinja for a theme without one (or without the key).
    pub fn engine(&self) -> Result<EngineKind, Vec<Diagnostic>> {
        let Some(f) = self.files.get("theme.toml") else {
            return Ok(EngineKind::MiniJinja);
        };
        let text = String::from_utf8_lossy(&f.bytes);
        let source = Source::new(f.shown.clone(), text.as_ref());
        let manifest: Manifest = toml::from_str(&text).map_err(|e| {
            vec![
                Diagnostic::error(format!("invalid theme.toml: {}", e.message().trim()))
                    .at(&source, e.span().unwrap_or(0..0))
                    .help(MANIFEST_HELP),
            ]
        })?;
        let Some(engine) = manifest.engine else {
            return Ok(EngineKind::MiniJinja);
        };
        let written = engine.get_ref().as_str();
        if let Some(kind) = EngineKind::ALL.into_iter().find(|k| k.name() == written) {
            return Ok(kind);
        }
        let names = EngineKind::ALL.map(EngineKind::name);
        let help = match crate::diag::did_you_mean(written, names) {
            Some(dym) => format!("{dym} kembar has the engines {}", crate::diag::list(names)),
            None => format!("kembar has the engines {}", crate::diag::list(names)),
        };
        Err(vec![
            Diagnostic::error(format!("unknown template engine `{written}`"))
                .at(&source, engine.span())
                .label("not an engine kembar has")
                .help(help),
        ])
    }

    /// Template name (path under `templates/`) and source.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|(rel, f)| {
            let name = rel.strip_prefix("templates/")?;
            Some((name, std::str::from_utf8(&f.bytes).ok()?))
        })
    }

    /// Where a template came from and its text, for error messages.
    pub fn template_file(&self, name: &str) -> Option<(PathBuf, String)> {
        let f = self.files.get(&format!("templates/{name}"))?;
        Some((
            f.shown.clone(),
            String::from_utf8_lossy(&f.bytes).into_owned(),
        ))
    }

    /// Files under `static/`, copied to the output as they are.
    pub fn statics(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter(|(rel, _)| rel.starts_with("static/"))
            .map(|(rel, f)| (rel.as_str(), f.bytes.as_slice()))
    }

    /// Interface strings for a language, as a JSON-like value: the built-in default's
    /// `i18n/<lang>.yaml`, with the theme's own file of that name merged over it key by
    /// key, so a theme (or a site's override of the default) changes or adds only the
    /// strings it needs and gets new ones of the default as they come.
    pub fn strings(&self, lang: &str) -> Result<serde_json::Value, Box<Diagnostic>> {
        let rel = format!("i18n/{lang}.yaml");
        let mut strings = match DEFAULT.get_file(&rel) {
            Some(f) => parse_strings(&built_in_path(&rel), f.contents())?,
            None => serde_json::Value::Object(Default::default()),
        };
        if let Some(f) = self.files.get(&rel).filter(|f| !f.built_in) {
            merge(&mut strings, parse_strings(&f.shown, &f.bytes)?);
        }
        Ok(strings)
    }
}

fn parse_strings(path: &Path, bytes: &[u8]) -> Result<serde_json::Value, Box<Diagnostic>> {
    let text = String::from_utf8_lossy(bytes);
    let source = Source::new(path, text.as_ref());
    serde_saphyr::from_str(&text).map_err(|e| {
        let e = crate::load::yaml::error(&e, &text, 0);
        Box::new(
            Diagnostic::error(format!(
                "invalid YAML in the theme's strings: {}",
                e.message
            ))
            .at(&source, e.span)
            .help(e.help),
        )
    })
}

/// Maps merge key by key; anything else in `over` replaces what was there.
fn merge(base: &mut serde_json::Value, over: serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

fn built_in_path(rel: &str) -> PathBuf {
    PathBuf::from(format!("themes/default/{rel} (built in)"))
}

fn add_embedded(
    dir: &Dir<'static>,
    keep: &dyn Fn(&str) -> bool,
    files: &mut BTreeMap<String, File>,
) {
    for f in dir.files() {
        let rel = f.path().to_string_lossy().replace('\\', "/");
        if keep(&rel) {
            let file = File {
                shown: built_in_path(&rel),
                bytes: f.contents().to_vec(),
                built_in: true,
            };
            files.insert(rel, file);
        }
    }
    for d in dir.dirs() {
        add_embedded(d, keep, files);
    }
}

/// Every file under `dir`, replacing any of the same theme-relative path.
fn add_folder(
    dir: &Path,
    shown_dir: &Path,
    files: &mut BTreeMap<String, File>,
) -> Result<(), ThemeError> {
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| ThemeError::Io {
            path: dir.to_path_buf(),
            source: e.into(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(entry.path()).map_err(|source| ThemeError::Io {
            path: entry.path().to_path_buf(),
            source,
        })?;
        let file = File {
            shown: shown_dir.join(&rel),
            bytes,
            built_in: false,
        };
        files.insert(rel, file);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_theme(files: &[(&str, &str)]) -> (tempfile::TempDir, Theme) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join("themes/t").join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let theme = Theme::load(dir.path(), Path::new(""), "t").unwrap();
        (dir, theme)
    }

    #[test]
    fn the_default_theme_is_written_for_minijinja() {
        let theme = Theme::load(Path::new("/nonexistent"), Path::new(""), "default").unwrap();
        assert_eq!(theme.engine().unwrap(), EngineKind::MiniJinja);
        assert!(theme.templates().any(|(n, _)| n == "base.html"));
    }

    #[test]
    fn a_theme_without_theme_toml_is_minijinja() {
        let (_dir, theme) = site_theme(&[("templates/index.html", "x")]);
        assert_eq!(theme.engine().unwrap(), EngineKind::MiniJinja);
    }

    #[test]
    fn engine_is_read_from_theme_toml() {
        let (_dir, theme) = site_theme(&[("theme.toml", "name = \"t\"\nengine = \"tera\"\n")]);
        assert_eq!(theme.engine().unwrap(), EngineKind::Tera);
    }

    #[test]
    fn unknown_engine_points_at_the_value_and_suggests() {
        let (_dir, theme) = site_theme(&[("theme.toml", "name = \"t\"\nengine = \"terra\"\n")]);
        let errors = theme.engine().unwrap_err();
        let d = &errors[0];
        assert_eq!(d.line_col(), Some((2, 10)));
        assert!(d.help.as_deref().unwrap().contains("did you mean `tera`?"));
        assert_eq!(d.file(), Some(Path::new("themes/t/theme.toml")));
    }

    #[test]
    fn unknown_key_in_theme_toml_is_located() {
        let (_dir, theme) = site_theme(&[("theme.toml", "engin = \"tera\"\n")]);
        let errors = theme.engine().unwrap_err();
        assert_eq!(errors[0].line_col(), Some((1, 1)));
    }

    #[test]
    fn another_theme_takes_the_defaults_statics_but_not_its_templates() {
        let (_dir, theme) = site_theme(&[("static/style.css", "own")]);
        assert_eq!(theme.templates().count(), 0);
        let statics: BTreeMap<_, _> = theme.statics().collect();
        assert_eq!(statics["static/style.css"], b"own");
        assert!(statics.contains_key("static/explorer.js"));
    }

    #[test]
    fn theme_strings_merge_over_the_defaults_key_by_key() {
        let (_dir, theme) = site_theme(&[("i18n/en.yaml", "nav:\n  partners: Twins\nextra: x\n")]);
        let default = Theme::load(Path::new("/nonexistent"), Path::new(""), "default").unwrap();
        let base = default.strings("en").unwrap();
        let s = theme.strings("en").unwrap();
        assert_eq!(s["nav"]["partners"], "Twins");
        assert_eq!(s["extra"], "x");
        assert_eq!(s["nav"]["regions"], base["nav"]["regions"]);
    }
}
