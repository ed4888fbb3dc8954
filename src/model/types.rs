//! Newtypes that are valid by construction: slugs, country codes, field ids, partial
//! dates, coordinates, and the closed vocabularies (levels, kinds, statuses).

use serde::Serialize;
use std::fmt;

/// Lowercase ASCII letters, digits and single inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Slug, String> {
        let ok = !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(Slug(s.to_string()))
        } else {
            Err(format!("`{s}` is not a valid slug"))
        }
    }

    /// The slug an editor probably meant: ASCII-folded, lowercased, hyphenated.
    pub fn suggest(s: &str) -> String {
        let folded = deunicode::deunicode(s).to_lowercase();
        let mut out = String::new();
        for c in folded.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ISO 3166-1 alpha-2 code known to the country table, lowercase.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CountryCode(String);

impl CountryCode {
    /// Only `model::Countries` makes these, after looking the code up.
    pub(crate) fn new_checked(code: &str) -> CountryCode {
        CountryCode(code.to_ascii_lowercase())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn upper(&self) -> String {
        self.0.to_ascii_uppercase()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An id declared in `content/fields.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct FieldId(Slug);

impl FieldId {
    pub fn new(slug: Slug) -> Self {
        FieldId(slug)
    }
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// `country/slug`, the way partnerships name a partner.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartnerId {
    pub country: CountryCode,
    pub slug: Slug,
}

impl fmt::Display for PartnerId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/{}", self.country, self.slug)
    }
}

impl Serialize for PartnerId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A date known to the year, the month or the day: `2017`, `2017-11`, `2017-11-08`.
/// Ordered by what is known, so `2017` sorts before `2017-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let shape = "write dates as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, e.g. `2017`, `2017-11` or `2017-11-08`";
        let parts: Vec<&str> = s.split('-').collect();
        let widths_ok = matches!(parts.as_slice(), [y] | [y, _] | [y, _, _] if y.len() == 4)
            && parts.iter().skip(1).all(|p| p.len() == 2)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !widths_ok {
            return Err(format!("`{s}` is not a date; {shape}"));
        }
        let num = |p: &str| p.parse::<u16>().unwrap_or(0);
        let year = num(parts[0]);
        let month = parts.get(1).map(|m| num(m) as u8);
        let day = parts.get(2).map(|d| num(d) as u8);
        if year < 1000 {
            return Err(format!("`{s}`: the year {year} is not plausible"));
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(format!(
                    "`{s}`: there is no month {m}; months run from 01 to 12"
                ));
            }
            if let Some(d) = day {
                let last = days_in_month(year, m);
                if d == 0 || d > last {
                    return Err(format!(
                        "`{s}`: {} {year} has {last} days",
                        MONTHS_EN[m as usize - 1]
                    ));
                }
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// True when `self` is certainly earlier than `other` at the precision both have.
    pub fn definitely_before(&self, other: &PartialDate) -> bool {
        let a = (self.year, self.month, self.day);
        let b = (other.year, other.month, other.day);
        match (a, b) {
            ((y1, Some(m1), Some(d1)), (y2, Some(m2), Some(d2))) => (y1, m1, d1) < (y2, m2, d2),
            ((y1, Some(m1), _), (y2, Some(m2), _)) => (y1, m1) < (y2, m2),
            _ => self.year < other.year,
        }
    }

    /// ISO form with only what is known: `2017-11`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The first day the date can mean, for feeds and sitemaps that need a full date.
    pub fn first_day(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }

    /// Orders dates as their [`first_day`](Self::first_day)s do, without writing them
    /// out: every partnership page compares its dates to find its latest.
    pub fn first_day_key(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Written out the way a language writes dates: `8 November 2017`.
    pub fn long(&self, months: &[&str; 12]) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", months[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", months[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

/// By their bits: for fingerprints of entries, where two spellings of one number that
/// parse the same are the same.
impl std::hash::Hash for Coordinates {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.lat.to_bits().hash(state);
        self.lon.to_bits().hash(state);
    }
}

/// Closed vocabularies: each variant has the one spelling editors write.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Level of an Indonesian region.
    RegionLevel { Provinsi = "provinsi", Kota = "kota", Kabupaten = "kabupaten" }
);
vocabulary!(
    /// Level of a foreign partner.
    PartnerLevel {
        City = "city", Municipality = "municipality", Town = "town", District = "district",
        County = "county", Prefecture = "prefecture", Province = "province", State = "state",
        Region = "region", AutonomousRegion = "autonomous-region", Voivodeship = "voivodeship",
        Metropolis = "metropolis", MetropolitanCity = "metropolitan-city", CityState = "city-state",
        Institution = "institution",
    }
);
vocabulary!(
    Kind { SisterCity = "sister-city", SisterProvince = "sister-province", Friendship = "friendship", Cooperation = "cooperation" }
);
vocabulary!(
    Status { Active = "active", Dormant = "dormant", Ended = "ended", Planned = "planned" }
);
vocabulary!(
    /// How well a partnership is attested: `confirmed` by an official source of a party,
    /// `reported` by news or research, `unverified` when only a dataset or forum lists it.
    Confidence { Confirmed = "confirmed", Reported = "reported", Unverified = "unverified" }
);
vocabulary!(
    /// Kind of a signed document in a partnership's history.
    DocumentKind { Loi = "loi", Mou = "mou", Agreement = "agreement", Renewal = "renewal" }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_reject_impossible_days() {
        assert!(
            PartialDate::parse("2017-02-30")
                .unwrap_err()
                .contains("28 days")
        );
        assert!(PartialDate::parse("2016-02-29").is_ok());
        assert!(
            PartialDate::parse("2017-13")
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(PartialDate::parse("17-11-08").is_err());
        assert!(PartialDate::parse("2017-1-8").is_err());
    }

    #[test]
    fn before_compares_at_the_common_precision() {
        let d = |s| PartialDate::parse(s).unwrap();
        assert!(d("2016").definitely_before(&d("2017-11")));
        assert!(!d("2017").definitely_before(&d("2017-11")));
        assert!(d("2017-10").definitely_before(&d("2017-11-08")));
    }

    #[test]
    fn slugs_are_strict_and_suggested() {
        assert!(Slug::parse("jawa-barat").is_ok());
        assert!(Slug::parse("Jawa-Barat").is_err());
        assert!(Slug::parse("jawa--barat").is_err());
        assert_eq!(Slug::suggest("Fès Boulemane"), "fes-boulemane");
    }
}
