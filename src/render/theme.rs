//! Themes: the default theme is embedded in the binary, so `kembar build` works on any
//! content folder; a file of the same path in the site's `themes/<name>/` replaces it.

use crate::diag::{Diagnostic, Source};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    /// Theme-relative path (`templates/base.html`) → where it came from and its bytes.
    files: BTreeMap<String, (PathBuf, Vec<u8>)>,
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

impl Theme {
    pub fn load(root: &Path, shown_root: &Path, name: &str) -> Result<Theme, ThemeError> {
        let mut files = BTreeMap::new();
        if name == "default" {
            add_embedded(&DEFAULT, &mut files);
        }
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.map_err(|e| ThemeError::Io {
                    path: dir.clone(),
                    source: e.into(),
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(entry.path()).map_err(|source| ThemeError::Io {
                    path: entry.path().to_path_buf(),
                    source,
                })?;
                files.insert(
                    rel.clone(),
                    (shown_root.join("themes").join(name).join(&rel), bytes),
                );
            }
        } else if name != "default" {
            return Err(ThemeError::NotFound(name.to_string()));
        }
        let theme = Theme { files };
        for (rel, (path, bytes)) in &theme.files {
            if rel.starts_with("templates/") && std::str::from_utf8(bytes).is_err() {
                return Err(ThemeError::Utf8(path.clone()));
            }
        }
        Ok(theme)
    }

    /// Template name (path under `templates/`) and source.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|(rel, (_, bytes))| {
            let name = rel.strip_prefix("templates/")?;
            Some((name, std::str::from_utf8(bytes).ok()?))
        })
    }

    /// Where a template came from and its text, for error messages.
    pub fn template_file(&self, name: &str) -> Option<(PathBuf, String)> {
        let (path, bytes) = self.files.get(&format!("templates/{name}"))?;
        Some((path.clone(), String::from_utf8_lossy(bytes).into_owned()))
    }

    /// Files under `static/`, copied to the output as they are.
    pub fn statics(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter(|(rel, _)| rel.starts_with("static/"))
            .map(|(rel, (_, b))| (rel.as_str(), b.as_slice()))
    }

    /// Interface strings for a language (`i18n/<lang>.yaml`), as a JSON-like value.
    pub fn strings(&self, lang: &str) -> Result<serde_json::Value, Box<Diagnostic>> {
        let Some((path, bytes)) = self.files.get(&format!("i18n/{lang}.yaml")) else {
            return Ok(serde_json::Value::Object(Default::default()));
        };
        let text = String::from_utf8_lossy(bytes);
        let source = Source::new(path.clone(), text.as_ref());
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
}

fn add_embedded(dir: &Dir<'static>, files: &mut BTreeMap<String, (PathBuf, Vec<u8>)>) {
    for f in dir.files() {
        let rel = f.path().to_string_lossy().replace('\\', "/");
        files.insert(
            rel.clone(),
            (
                PathBuf::from(format!("themes/default/{rel} (built in)")),
                f.contents().to_vec(),
            ),
        );
    }
    for d in dir.dirs() {
        add_embedded(d, files);
    }
}
