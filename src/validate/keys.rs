//! The keys each kind of entry may have, what each holds and whether it is required:
//! the one definition validation reads its allowed keys from, and that `kembar schema`
//! (JSON Schema) and `kembar new` (commented templates) describe, so none can drift.

use crate::model::{Confidence, DocumentKind, Kind, PartnerLevel, RegionLevel, Status};

/// One key of an entry.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub name: &'static str,
    pub need: Need,
    pub value: Shape,
    /// What the key means, for editors (one sentence).
    pub about: &'static str,
    /// A value as it would be written, for comments and schema `examples`.
    pub example: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
    /// Required when `level` is one of these values, and not allowed otherwise.
    WhenLevel(&'static [&'static str]),
}

/// What a value must look like, as validation reads it.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// Text; a number is kept as typed.
    Text,
    Slug,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// An absolute http(s) address.
    Url,
    /// A Kemendagri code: `32` or `32.73`.
    Code,
    /// `Q` and digits.
    Wikidata,
    /// `<country>/<slug>` of a partner.
    PartnerId,
    /// Letters, digits, `-` and `_`.
    SourceKey,
    /// One word of a closed vocabulary.
    Choice(&'static [&'static str]),
    /// `{ lat, lon }` in decimal degrees.
    Coordinates,
    /// A number from `-max` to `max` (degrees).
    Degrees(f64),
    /// A list of slugs.
    Slugs,
    /// A list of mappings with these keys; `true`: at least one.
    List(&'static [Key], bool),
}

const fn key(
    name: &'static str,
    need: Need,
    value: Shape,
    about: &'static str,
    example: &'static str,
) -> Key {
    Key {
        name,
        need,
        value,
        about,
        example,
    }
}

use Need::{Optional, Required};

pub const COORDINATES: &[Key] = &[
    key(
        "lat",
        Required,
        Shape::Degrees(90.0),
        "Latitude in decimal degrees, -90 (south) to 90 (north).",
        "-6.9147",
    ),
    key(
        "lon",
        Required,
        Shape::Degrees(180.0),
        "Longitude in decimal degrees, -180 (west) to 180 (east).",
        "107.6098",
    ),
];

pub const FIELD: &[Key] = &[
    key(
        "name",
        Required,
        Shape::Text,
        "The field's name in Indonesian.",
        "Pendidikan",
    ),
    key(
        "name_en",
        Required,
        Shape::Text,
        "The field's name in English.",
        "Education",
    ),
    key(
        "description",
        Required,
        Shape::Text,
        "One line in Indonesian on what the field covers.",
        "Pertukaran pelajar, guru dan beasiswa.",
    ),
    key(
        "description_en",
        Optional,
        Shape::Text,
        "The same line in English.",
        "Exchanges of students and teachers, scholarships.",
    ),
];

pub const REGION: &[Key] = &[
    key(
        "name",
        Required,
        Shape::Text,
        "The official name, with Kota/Kabupaten/Provinsi as the Kemendagri list writes it.",
        "Kota Bandung",
    ),
    key(
        "name_en",
        Optional,
        Shape::Text,
        "The English name, if an English source uses one.",
        "Bandung City",
    ),
    key(
        "level",
        Required,
        Shape::Choice(RegionLevel::NAMES),
        "What kind of region it is.",
        "kota",
    ),
    key(
        "province",
        Need::WhenLevel(&["kota", "kabupaten"]),
        Shape::Slug,
        "For a kota or kabupaten: the slug of its province's entry (a province has none).",
        "jawa-barat",
    ),
    key(
        "code",
        Required,
        Shape::Code,
        "The Kemendagri code, quoted: two digits for a province, `province.regency` otherwise.",
        "\"32.73\"",
    ),
    key(
        "coordinates",
        Required,
        Shape::Coordinates,
        "Where the region's seat is, in decimal degrees, from a gazetteer.",
        "{ lat: -6.9107, lon: 107.6099 }",
    ),
    key(
        "website",
        Optional,
        Shape::Url,
        "The region's official website.",
        "https://bandung.go.id",
    ),
    key(
        "wikidata",
        Optional,
        Shape::Wikidata,
        "The region's Wikidata item id.",
        "Q10389",
    ),
];

pub const PARTNER: &[Key] = &[
    key(
        "name",
        Required,
        Shape::Text,
        "The partner's name in English.",
        "Shizuoka Prefecture",
    ),
    key(
        "name_local",
        Optional,
        Shape::Text,
        "The name in the local language and script.",
        "静岡県",
    ),
    key(
        "country",
        Optional,
        Shape::Text,
        "The ISO 3166-1 alpha-2 code; must match the partner's folder if given.",
        "jp",
    ),
    key(
        "level",
        Required,
        Shape::Choice(PartnerLevel::NAMES),
        "What kind of place or body the partner is (`institution` for a bank, an agency or a programme).",
        "prefecture",
    ),
    key(
        "coordinates",
        Optional,
        Shape::Coordinates,
        "Only from a gazetteer (tools/gazetteer), never guessed; leave empty otherwise.",
        "{ lat: 34.97, lon: 138.38 }",
    ),
    key(
        "website",
        Optional,
        Shape::Url,
        "The partner's official website.",
        "https://www.pref.shizuoka.jp",
    ),
    key(
        "wikidata",
        Optional,
        Shape::Wikidata,
        "The partner's Wikidata item id.",
        "Q131320",
    ),
];

pub const DOCUMENT: &[Key] = &[
    key(
        "kind",
        Required,
        Shape::Choice(DocumentKind::NAMES),
        "What was signed: a letter of intent, a memorandum, an agreement or a renewal.",
        "mou",
    ),
    key(
        "date",
        Required,
        Shape::Date,
        "When it was signed, only as precisely as the source says.",
        "2017-11-08",
    ),
    key(
        "title",
        Required,
        Shape::Text,
        "The document's title.",
        "Memorandum of Understanding",
    ),
    key(
        "place",
        Optional,
        Shape::Text,
        "Where it was signed.",
        "Shizuoka",
    ),
];

pub const EVENT: &[Key] = &[
    key(
        "date",
        Required,
        Shape::Date,
        "When it happened, only as precisely as the source says.",
        "2017-11",
    ),
    key(
        "title",
        Required,
        Shape::Text,
        "What happened, in one line.",
        "Kedua kepala daerah menyepakati kerja sama",
    ),
    key(
        "source",
        Optional,
        Shape::SourceKey,
        "The key of the source (under `sources`) that reports it.",
        "tempo",
    ),
    key(
        "status",
        Optional,
        Shape::Choice(Status::NAMES),
        "The status the partnership entered with this event.",
        "active",
    ),
];

pub const SOURCE: &[Key] = &[
    key(
        "key",
        Required,
        Shape::SourceKey,
        "A short name for the source, cited in the text as `[@key]`.",
        "tempo",
    ),
    key(
        "title",
        Optional,
        Shape::Text,
        "The page's or document's title, only if known.",
        "Kemitraan Multisektor Kerjasama Paradiplomasi",
    ),
    key(
        "publisher",
        Required,
        Shape::Text,
        "Who published it.",
        "Indonesiana (Tempo)",
    ),
    key(
        "url",
        Required,
        Shape::Url,
        "Where it can be read: the full address, starting with https://.",
        "https://www.indonesiana.id/read/…",
    ),
    key(
        "date",
        Optional,
        Shape::Date,
        "When it was published.",
        "2021-01-27",
    ),
    key(
        "accessed",
        Optional,
        Shape::Date,
        "When you read it.",
        "2026-11-20",
    ),
];

pub const PARTNERSHIP: &[Key] = &[
    key(
        "title",
        Optional,
        Shape::Text,
        "A title for the page; by default \"<region name> – <partner name>\".",
        "Jawa Barat – Shizuoka",
    ),
    key(
        "region",
        Required,
        Shape::Slug,
        "The slug of the Indonesian region's entry (its file name under content/regions/).",
        "jawa-barat",
    ),
    key(
        "partner",
        Required,
        Shape::PartnerId,
        "`<country>/<slug>` of the foreign partner's entry under content/partners/.",
        "jp/shizuoka",
    ),
    key(
        "kind",
        Required,
        Shape::Choice(Kind::NAMES),
        "What the sources call the partnership.",
        "sister-province",
    ),
    key(
        "status",
        Required,
        Shape::Choice(Status::NAMES),
        "`planned` while only a letter of intent, a proposal or a first meeting is reported; `dormant` or `ended` when a source says so; otherwise `active`.",
        "active",
    ),
    key(
        "confidence",
        Optional,
        Shape::Choice(Confidence::NAMES),
        "`confirmed` when a source is an official publication of a party or a government body; `reported` for news, research or blogs; `unverified` when only a dataset or a forum lists the pair.",
        "confirmed",
    ),
    key(
        "signed",
        Optional,
        Shape::Date,
        "When it was signed; leave empty if no source gives it.",
        "2017-11",
    ),
    key(
        "until",
        Optional,
        Shape::Date,
        "When it ended or ends, not before `signed`.",
        "2022",
    ),
    key(
        "fields",
        Optional,
        Shape::Slugs,
        "The fields of cooperation, by their ids in content/fields.yaml.",
        "[education, tourism]",
    ),
    key(
        "documents",
        Optional,
        Shape::List(DOCUMENT, false),
        "What was signed.",
        "",
    ),
    key(
        "events",
        Optional,
        Shape::List(EVENT, false),
        "The timeline.",
        "",
    ),
    key(
        "sources",
        Required,
        Shape::List(SOURCE, true),
        "Where every fact of this entry was read; at least one.",
        "",
    ),
    key(
        "last_verified",
        Optional,
        Shape::Date,
        "When an editor last checked the entry against its sources.",
        "2026-11-20",
    ),
];

pub const PAGE: &[Key] = &[
    key(
        "title",
        Required,
        Shape::Text,
        "The page's title.",
        "Tentang atlas",
    ),
    key(
        "sources",
        Optional,
        Shape::List(SOURCE, true),
        "The sources the page cites, as in a partnership.",
        "",
    ),
];

pub const TRANSLATION: &[Key] = &[key(
    "title",
    Optional,
    Shape::Text,
    "The English title of the page.",
    "West Java – Shizuoka Prefecture",
)];

/// The key names, in order, for `Map::new` and messages.
pub fn names(keys: &[Key]) -> impl Iterator<Item = &'static str> + Clone + '_ {
    keys.iter().map(|k| k.name)
}
