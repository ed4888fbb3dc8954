//! The cache of `check --external`: when each URL last answered, so a rerun within a day
//! asks only the URLs not known to be good.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// File name, in the site folder.
pub const FILE: &str = ".kembar-external-cache.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    /// By URL: the last answer.
    pub urls: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// Seconds since the Unix epoch.
    pub checked: u64,
    pub ok: bool,
    /// The HTTP status, when there was one.
    pub status: Option<u16>,
    /// What went wrong, for URLs that are not `ok`.
    pub problem: Option<String>,
}

impl Cache {
    /// The cache in `path`; a missing or unreadable one is an empty cache (it is only a
    /// shortcut, and is rewritten at the end of the run).
    pub fn read(path: &Path) -> Cache {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(path, text + "\n")
    }

    /// True when `url` answered well less than `max_age` seconds before `now`.
    pub fn fresh(&self, url: &str, now: u64, max_age: u64) -> bool {
        self.urls
            .get(url)
            .is_some_and(|e| e.ok && now.saturating_sub(e.checked) < max_age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_recent_good_answers_are_fresh() {
        let mut c = Cache::default();
        let entry = |checked, ok| Entry {
            checked,
            ok,
            status: Some(200),
            problem: None,
        };
        c.urls.insert("https://a/".into(), entry(1000, true));
        c.urls.insert("https://b/".into(), entry(1000, false));
        assert!(c.fresh("https://a/", 1000 + 86_399, 86_400));
        assert!(!c.fresh("https://a/", 1000 + 86_400, 86_400));
        assert!(!c.fresh("https://b/", 1001, 86_400));
        assert!(!c.fresh("https://c/", 1001, 86_400));
    }

    #[test]
    fn the_cache_survives_a_round_trip_and_garbage_reads_as_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(FILE);
        let mut c = Cache::default();
        c.urls.insert(
            "https://a/".into(),
            Entry {
                checked: 5,
                ok: true,
                status: Some(200),
                problem: None,
            },
        );
        c.write(&path).expect("write");
        assert_eq!(Cache::read(&path).urls, c.urls);
        std::fs::write(&path, "{ not json").expect("write");
        assert!(Cache::read(&path).urls.is_empty());
    }
}
