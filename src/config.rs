//! `kembar.toml`: the site's title, base URL, language and theme.

use crate::diag::{Diagnostic, Source};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is published at; used only where a URL must be absolute
    /// (sitemap, feed, canonical links).
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Prefix that, followed by an entry's path, edits that entry (e.g. a repository's
    /// edit link). Optional.
    #[serde(default)]
    pub edit_url: Option<String>,
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "id".into()
}
fn default_theme() -> String {
    "default".into()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Atlas Kota Kembar".into(),
            description: String::new(),
            base_url: default_base_url(),
            default_language: default_language(),
            theme: default_theme(),
            edit_url: None,
        }
    }
}

impl Config {
    /// Reads `root/kembar.toml`; a site without one gets the defaults.
    pub fn load(root: &Path, shown_root: &Path) -> Result<Config, Box<Diagnostic>> {
        let path = root.join("kembar.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(Box::new(Diagnostic::error(format!(
                    "cannot read {}: {e}",
                    shown_root.join("kembar.toml").display()
                ))));
            }
        };
        let source = Source::new(shown_root.join("kembar.toml"), text.as_str());
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            Box::new(
                Diagnostic::error(format!("invalid kembar.toml: {}", e.message()))
                    .at(&source, span)
                    .help("kembar.toml takes `title`, `description`, `base_url`, `default_language`, `theme` and `edit_url`"),
            )
        })?;
        if config.default_language != "id" {
            let span = text.find("default_language").unwrap_or(0);
            return Err(Box::new(
                Diagnostic::error(format!(
                    "default language `{}` is not supported",
                    config.default_language
                ))
                .at(&source, span..span + 16)
                .help("the atlas is Indonesian first: use `default_language = \"id\"`"),
            ));
        }
        config.base_url = normalize_base_url(&config.base_url);
        Ok(config)
    }
}

/// Ends with exactly one `/`, so `base_url + path` is a URL.
pub fn normalize_base_url(url: &str) -> String {
    format!("{}/", url.trim_end_matches('/'))
}
