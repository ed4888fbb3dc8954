//! The languages the site is published in. Indonesian is the default and lives at the
//! site root; every other language gets a folder of its own (`en/`).

use crate::model::{MONTHS_EN, MONTHS_ID, PartialDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// The folder of the language's pages, relative to the site root: empty for the
    /// default language, `en/` for English.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Id => "",
            Lang::En => "en/",
        }
    }

    pub fn is_default(self) -> bool {
        self == Lang::Id
    }

    /// A date written the way the language writes it: `8 November 2017`,
    /// `17 Agustus 1945` / `17 August 1945`.
    pub fn date(self, d: &PartialDate) -> String {
        d.long(match self {
            Lang::Id => &MONTHS_ID,
            Lang::En => &MONTHS_EN,
        })
    }

    /// Picks the text for this language: `en` in English when there is one.
    pub fn pick<'a>(self, id: &'a str, en: Option<&'a str>) -> &'a str {
        match (self, en) {
            (Lang::En, Some(en)) => en,
            _ => id,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
