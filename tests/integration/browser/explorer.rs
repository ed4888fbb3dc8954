//! Driving the explorer (`explorer.html`): its filters, its search, and what the list
//! shows — compared with `data/partnerships.json`, not with the page's own numbers.

use super::chrome::{Page, js_string};
use super::session::Atlas;
use std::collections::BTreeMap;

/// A field and a country to filter by, and the partnerships the data says match both.
pub struct Filter {
    field: String,
    /// Lower-case, as in the checkbox values and the address.
    country: String,
    slugs: Vec<String>,
}

impl Filter {
    /// Education with Japan when the data has at least two such partnerships (so the
    /// filter has something to narrow), otherwise the most common field–country pair.
    pub fn pick(atlas: &Atlas) -> Filter {
        let mut pairs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for p in &atlas.partnerships {
            let country = p["country"]["code"].as_str().expect("country code");
            for field in p["fields"].as_array().into_iter().flatten() {
                let key = (
                    field.as_str().expect("field id").into(),
                    country.to_lowercase(),
                );
                let slug = p["slug"].as_str().expect("slug").to_owned();
                pairs.entry(key).or_default().push(slug);
            }
        }
        let preferred = ("education".to_owned(), "jp".to_owned());
        let ((field, country), mut slugs) = match pairs.remove_entry(&preferred) {
            Some(pair) if pair.1.len() >= 2 => pair,
            _ => pairs
                .into_iter()
                .max_by_key(|(_, slugs)| slugs.len())
                .expect("a partnership with a field"),
        };
        slugs.sort();
        Filter {
            field,
            country,
            slugs,
        }
    }

    /// The explorer's address fragment for this filter.
    pub fn hash(&self) -> String {
        format!("field={}&country={}", self.field, self.country)
    }

    /// Whether an address fragment holds this filter (in any order, among others).
    pub fn in_hash(&self, hash: &str) -> bool {
        let parts: Vec<&str> = hash.trim_start_matches('#').split('&').collect();
        [
            format!("field={}", self.field),
            format!("country={}", self.country),
        ]
        .iter()
        .all(|want| parts.contains(&want.as_str()))
    }

    fn boxes(&self) -> [String; 2] {
        [
            format!("input[name=field][value=\"{}\"]", self.field),
            format!("input[name=country][value=\"{}\"]", self.country),
        ]
    }

    /// Ticks the field and the country on the explorer shown, then checks the list
    /// and the count.
    pub fn apply_and_check(&self, page: &Page) {
        wait_ready(page);
        for selector in self.boxes() {
            page.click(&selector);
        }
        let what = format!(
            "filtering by field {} and country {}",
            self.field, self.country
        );
        wait_for_visible(page, &self.slugs, &what);
        let count: String = page.value("document.getElementById('explorer-count').textContent");
        assert_eq!(
            first_number(&count),
            Some(self.slugs.len()),
            "#explorer-count says {count:?} after {what}"
        );
    }

    /// Checks that the explorer, loaded with this filter in its address, shows it.
    pub fn check_restored(&self, page: &Page) {
        for selector in self.boxes() {
            let checked: Option<bool> = page.value(&format!(
                "document.querySelector({})?.checked",
                js_string(&selector)
            ));
            assert_eq!(checked, Some(true), "{selector} not ticked after reload");
        }
        wait_for_visible(
            page,
            &self.slugs,
            "reloading with the filter in the address",
        );
    }
}

/// Waits until the explorer's script has shown its form.
pub fn wait_ready(page: &Page) {
    page.wait_until(
        "the explorer's form (form#explorer) to be shown",
        "document.getElementById('explorer')?.hidden === false",
    );
}

/// Waits until exactly the partnerships `slugs` (sorted) are listed, then fails with
/// the difference if they never are.
pub fn wait_for_visible(page: &Page, slugs: &[String], after: &str) {
    let want = serde_json::to_string(slugs).expect("slugs to JSON");
    let shown = "JSON.stringify([...document.querySelectorAll('#explorer-results > li[data-slug]')]
        .filter(li => !li.hidden).map(li => li.dataset.slug).sort())";
    if !page.poll(&format!("{shown} === {}", js_string(&want))) {
        let got: String = page.value(shown);
        assert_eq!(got, want, "partnerships listed after {after}");
    }
}

/// A place name that only one partnership mentions anywhere in its record (so no other
/// can match it, whatever the search looks at), with that partnership's slug: the
/// shortest such partner name of five letters or more, since every key typed is a
/// round trip to the browser.
pub fn unique_place(atlas: &Atlas) -> (String, String) {
    let records: Vec<String> = atlas
        .partnerships
        .iter()
        .map(|p| p.to_string().to_lowercase())
        .collect();
    atlas
        .partnerships
        .iter()
        .filter_map(|p| Some((p["partner"]["name"].as_str()?, p["slug"].as_str()?)))
        .filter(|(name, _)| name.len() >= 5 && name.is_ascii() && !name.contains(['"', '\\']))
        .filter(|(name, _)| {
            let needle = name.to_lowercase();
            records.iter().filter(|r| r.contains(&needle)).count() == 1
        })
        .min_by_key(|(name, _)| name.len())
        .map(|(name, slug)| (name.to_owned(), slug.to_owned()))
        .expect("a partner named in only one partnership")
}

fn first_number(text: &str) -> Option<usize> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}
