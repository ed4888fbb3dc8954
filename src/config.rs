//! `kembar.toml`: the site's title, base URL, language and theme.

use crate::diag::{Diagnostic, Source};
use crate::lang::Lang;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

#[derive(Debug, Clone, Hash)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL the site is published at; used only where a URL must be absolute
    /// (sitemap, feed, canonical links). Always ends with `/`.
    pub base_url: String,
    pub default_language: String,
    /// Languages the site is published in, the default (Indonesian) first.
    pub languages: Vec<Lang>,
    pub theme: String,
    /// Prefix that, followed by an entry's path, edits that entry (e.g. a repository's
    /// edit link).
    pub edit_url: Option<String>,
}

/// The file as written, with spans for the values that are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: String,
    #[serde(default)]
    description: String,
    base_url: Option<Spanned<String>>,
    default_language: Option<Spanned<String>>,
    languages: Option<Spanned<Vec<Spanned<String>>>>,
    theme: Option<Spanned<String>>,
    edit_url: Option<Spanned<String>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Atlas Kota Kembar".into(),
            description: String::new(),
            base_url: "/".into(),
            default_language: "id".into(),
            languages: Lang::ALL.to_vec(),
            theme: "default".into(),
            edit_url: None,
        }
    }
}

const KEYS_HELP: &str = "kembar.toml takes `title`, `description`, `base_url`, `default_language`, `languages`, `theme` and `edit_url`";

impl Config {
    /// Reads `root/kembar.toml`; a site without one gets the defaults.
    pub fn load(root: &Path, shown_root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("kembar.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                let msg = format!(
                    "cannot read {}: {e}",
                    shown_root.join("kembar.toml").display()
                );
                return Err(vec![
                    Diagnostic::error(msg).help("kembar.toml must be a UTF-8 text file"),
                ]);
            }
        };
        let source = Source::new(shown_root.join("kembar.toml"), text.as_str());
        let raw: Raw = toml::from_str(&text).map_err(|e| {
            let help =
                if e.message().contains("unknown field") || e.message().contains("missing field") {
                    KEYS_HELP
                } else {
                    "check the TOML syntax: one `key = value` per line, text in double quotes"
                };
            vec![
                Diagnostic::error(format!("invalid kembar.toml: {}", e.message().trim()))
                    .at(&source, e.span().unwrap_or(0..0))
                    .help(help),
            ]
        })?;
        check(raw, root, &source)
    }
}

fn check(raw: Raw, root: &Path, source: &Source) -> Result<Config, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut config = Config {
        title: raw.title,
        description: raw.description,
        ..Config::default()
    };
    if let Some(lang) = raw.default_language
        && lang.get_ref() != "id"
    {
        let d = Diagnostic::error(format!(
            "default language `{}` is not supported",
            lang.get_ref()
        ))
        .at(source, lang.span())
        .help("the atlas is Indonesian first: use `default_language = \"id\"`");
        errors.push(d);
    }
    if let Some(langs) = raw.languages {
        config.languages = languages(langs, source, &mut errors);
    }
    if let Some(url) = raw.base_url {
        match base_url_problem(url.get_ref()) {
            Some(problem) => errors.push(Diagnostic::error(format!("`base_url` {problem}")).at(source, url.span()).help("write the address the site is published at, e.g. `https://example.org/atlas/`, or `/`")),
            None => config.base_url = normalize_base_url(url.get_ref()),
        }
    }
    if let Some(theme) = raw.theme {
        let name = theme.get_ref();
        if name != "default" && !root.join("themes").join(name).is_dir() {
            let d = Diagnostic::error(format!("theme `{name}` not found"))
                .at(source, theme.span())
                .help(format!("use the built-in `default` theme, or create the folder `themes/{name}/` in the site"));
            errors.push(d);
        }
        config.theme = name.clone();
    }
    if let Some(edit) = raw.edit_url {
        match base_url_problem(edit.get_ref()).filter(|_| !edit.get_ref().is_empty()) {
            Some(problem) => errors.push(Diagnostic::error(format!("`edit_url` {problem}")).at(source, edit.span()).help("give the prefix of your repository's edit links, e.g. `https://github.com/OWNER/REPO/edit/main/`")),
            None => config.edit_url = Some(edit.into_inner()),
        }
    }
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

/// The languages listed, the default first whatever the order written.
fn languages(
    list: Spanned<Vec<Spanned<String>>>,
    source: &Source,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Lang> {
    let mut out = vec![Lang::Id];
    for code in list.into_inner() {
        match Lang::parse(code.get_ref()) {
            Some(l) if !out.contains(&l) => out.push(l),
            Some(_) if code.get_ref() != "id" => {
                errors.push(
                    Diagnostic::error(format!("language `{}` is listed twice", code.get_ref()))
                        .at(source, code.span())
                        .help("list each language once"),
                );
            }
            Some(_) => {}
            None => errors.push(
                Diagnostic::error(format!("language `{}` is not supported", code.get_ref()))
                    .at(source, code.span())
                    .help("kembar publishes in `id` (at the site root) and `en` (under `en/`)"),
            ),
        }
    }
    out.sort();
    out
}

/// Why `url` cannot be a base URL, if it cannot: it must be absolute (http or https)
/// or a path from the host's root.
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    let ok = url.starts_with('/') && !url.starts_with("//")
        || url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    (!ok || url.contains(char::is_whitespace))
        .then_some("must be an absolute http(s) address or a path starting with `/`")
}

/// Ends with exactly one `/`, so `base_url + path` is a URL.
pub fn normalize_base_url(url: &str) -> String {
    format!("{}/", url.trim_end_matches('/'))
}
