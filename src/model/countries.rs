//! The country table: ISO 3166-1 alpha-2 codes with English and Indonesian names,
//! embedded from i18n-iso-countries (see `countries/README.md`).

use super::CountryCode;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Country {
    pub code: CountryCode,
    pub alpha3: String,
    /// ISO numeric code, as world maps key their shapes.
    pub numeric: String,
    pub name_en: String,
    pub name_id: String,
}

/// The code of the `partners/int/` folder.
pub const INTERNATIONAL: &str = "int";

#[derive(Debug)]
pub struct Countries {
    by_code: BTreeMap<String, Country>,
}

#[derive(Deserialize)]
struct Names {
    countries: BTreeMap<String, OneOrMany>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn first(self) -> String {
        match self {
            OneOrMany::One(s) => s,
            OneOrMany::Many(v) => v.into_iter().next().unwrap_or_default(),
        }
    }
}

impl Countries {
    /// The embedded table. Its files are part of the crate, so a parse failure is a
    /// packaging bug caught by the unit test below, not an input error.
    pub fn builtin() -> Countries {
        let codes: Vec<[String; 4]> =
            serde_json::from_str(include_str!("countries/codes.json")).unwrap_or_default();
        let en: Names = serde_json::from_str(include_str!("countries/en.json")).unwrap_or(Names {
            countries: BTreeMap::new(),
        });
        let id: Names = serde_json::from_str(include_str!("countries/id.json")).unwrap_or(Names {
            countries: BTreeMap::new(),
        });
        let mut en = en.countries;
        let mut id = id.countries;
        let by_code = codes
            .into_iter()
            .map(|[a2, a3, num, _]| {
                let name_en = en
                    .remove(&a2)
                    .map(OneOrMany::first)
                    .unwrap_or_else(|| a2.clone());
                let name_id = id
                    .remove(&a2)
                    .map(OneOrMany::first)
                    .unwrap_or_else(|| name_en.clone());
                let code = CountryCode::new_checked(&a2);
                (
                    code.as_str().to_string(),
                    Country {
                        code,
                        alpha3: a3,
                        numeric: num,
                        name_en,
                        name_id,
                    },
                )
            })
            .collect::<BTreeMap<_, _>>();
        let mut by_code = by_code;
        // Not an ISO country: the folder for international organisations such as the
        // Asian Development Bank, which have no single country of their own.
        let code = CountryCode::new_checked(INTERNATIONAL);
        by_code.insert(
            INTERNATIONAL.to_string(),
            Country {
                code,
                alpha3: String::new(),
                numeric: String::new(),
                name_en: "International organisations".into(),
                name_id: "Organisasi internasional".into(),
            },
        );
        Countries { by_code }
    }

    /// Looks up a lowercase alpha-2 code.
    pub fn get(&self, code: &str) -> Option<&Country> {
        self.by_code.get(code)
    }

    /// Looks up an alpha-3 code (`JPN`), as editors sometimes write.
    pub fn by_alpha3(&self, code: &str) -> Option<&Country> {
        self.by_code
            .values()
            .find(|c| c.alpha3.eq_ignore_ascii_case(code))
    }

    pub fn codes(&self) -> impl Iterator<Item = &str> + Clone {
        self.by_code.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_has_all_countries_with_both_names() {
        let c = Countries::builtin();
        assert!(c.codes().count() >= 249);
        let no = c.get("no").unwrap();
        assert_eq!(
            (
                no.name_en.as_str(),
                no.name_id.as_str(),
                no.numeric.as_str()
            ),
            ("Norway", "Norwegia", "578")
        );
        assert_eq!(c.get("kr").unwrap().name_en, "South Korea");
        assert_eq!(c.get("int").unwrap().name_id, "Organisasi internasional");
    }
}
