//! The synthetic atlas: a seeded, deterministic corpus of regions, partners and
//! partnerships, held in memory so that each site writer (kembar, Hugo, Zola) renders the
//! same entries. Every name, date and coordinate in it is made up; it exists only to be
//! built, never to be read as fact.

/// splitmix64: a stable stream for a given seed, whatever the Rust or crate versions.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi` (`hi` excluded).
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo) as u64) as usize
    }

    pub fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len())]
    }
}

pub struct Field {
    pub id: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
}

pub struct Region {
    pub slug: String,
    pub name: String,
    /// `provinsi`, `kota` or `kabupaten`.
    pub level: &'static str,
    /// Index of the province in `Corpus::regions`; `None` for a province.
    pub province: Option<usize>,
    pub code: String,
    pub lat: f64,
    pub lon: f64,
    pub body: String,
}

pub struct Partner {
    /// Lowercase ISO 3166-1 alpha-2.
    pub country: &'static str,
    pub slug: String,
    pub name: String,
    pub level: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub body: String,
}

pub struct Event {
    pub date: String,
    pub title: String,
    pub source: String,
}

pub struct Source {
    pub key: String,
    pub title: String,
    pub publisher: String,
    pub url: String,
}

pub struct Partnership {
    pub slug: String,
    pub region: usize,
    pub partner: usize,
    pub kind: &'static str,
    pub status: &'static str,
    pub confidence: &'static str,
    /// `YYYY-MM-DD`.
    pub signed: String,
    pub fields: Vec<usize>,
    pub events: Vec<Event>,
    pub sources: Vec<Source>,
    /// Markdown with `[@key]` citations of `sources`.
    pub history: String,
}

pub struct Corpus {
    pub fields: Vec<Field>,
    pub regions: Vec<Region>,
    pub partners: Vec<Partner>,
    pub partnerships: Vec<Partnership>,
}

impl Corpus {
    pub fn year<'a>(&self, p: &'a Partnership) -> &'a str {
        &p.signed[..4]
    }
}

pub const FIELDS: [Field; 14] = [
    f("education", "Pendidikan", "Education"),
    f("health", "Kesehatan", "Health"),
    f(
        "trade-investment",
        "Perdagangan dan Investasi",
        "Trade and Investment",
    ),
    f("tourism", "Pariwisata", "Tourism"),
    f("culture", "Kebudayaan", "Culture"),
    f("environment", "Lingkungan Hidup", "Environment"),
    f("agriculture", "Pertanian", "Agriculture"),
    f("industry", "Industri", "Industry"),
    f(
        "science-technology",
        "Ilmu Pengetahuan dan Teknologi",
        "Science and Technology",
    ),
    f("youth-sport", "Kepemudaan dan Olahraga", "Youth and Sport"),
    f(
        "urban-planning-infrastructure",
        "Tata Kota dan Prasarana",
        "Urban Planning",
    ),
    f(
        "disaster-management",
        "Penanggulangan Bencana",
        "Disaster Management",
    ),
    f(
        "governance-capacity-building",
        "Tata Kelola Pemerintahan",
        "Governance",
    ),
    f("transport", "Perhubungan", "Transport"),
];

const fn f(id: &'static str, name: &'static str, name_en: &'static str) -> Field {
    Field { id, name, name_en }
}

/// 60 countries with a rough centre to scatter synthetic partners around.
const COUNTRIES: [(&str, f64, f64); 60] = [
    ("jp", 36.0, 138.0),
    ("cn", 34.0, 110.0),
    ("kr", 36.5, 127.8),
    ("au", -25.0, 134.0),
    ("nl", 52.2, 5.5),
    ("de", 51.0, 10.0),
    ("fr", 46.5, 2.5),
    ("gb", 53.0, -1.5),
    ("us", 39.0, -98.0),
    ("ca", 56.0, -100.0),
    ("my", 4.0, 102.0),
    ("sg", 1.35, 103.8),
    ("th", 15.0, 101.0),
    ("vn", 16.0, 107.0),
    ("ph", 12.0, 122.0),
    ("in", 22.0, 79.0),
    ("pk", 30.0, 70.0),
    ("sa", 24.0, 45.0),
    ("tr", 39.0, 35.0),
    ("eg", 26.5, 30.0),
    ("ma", 32.0, -6.0),
    ("za", -29.0, 25.0),
    ("br", -10.0, -52.0),
    ("ar", -35.0, -65.0),
    ("mx", 23.0, -102.0),
    ("ru", 56.0, 50.0),
    ("ua", 49.0, 31.0),
    ("pl", 52.0, 19.5),
    ("it", 42.5, 12.5),
    ("es", 40.0, -3.7),
    ("pt", 39.5, -8.0),
    ("be", 50.6, 4.5),
    ("ch", 46.8, 8.2),
    ("at", 47.5, 14.5),
    ("hu", 47.2, 19.5),
    ("ro", 45.9, 25.0),
    ("bg", 42.7, 25.5),
    ("gr", 39.0, 22.0),
    ("se", 62.0, 15.0),
    ("no", 61.0, 9.0),
    ("fi", 63.0, 26.0),
    ("dk", 56.0, 9.5),
    ("cz", 49.8, 15.5),
    ("sk", 48.7, 19.5),
    ("nz", -41.0, 174.0),
    ("pg", -6.5, 145.0),
    ("tl", -8.8, 125.8),
    ("bn", 4.5, 114.7),
    ("kh", 12.5, 105.0),
    ("la", 18.0, 103.0),
    ("mm", 21.0, 96.0),
    ("bd", 23.7, 90.3),
    ("lk", 7.8, 80.7),
    ("ir", 32.0, 53.0),
    ("ae", 24.0, 54.0),
    ("qa", 25.3, 51.2),
    ("ng", 9.0, 8.0),
    ("ke", 0.5, 38.0),
    ("cl", -33.0, -71.0),
    ("pe", -9.5, -75.0),
];

const SYLLABLES: [&str; 24] = [
    "ba", "ran", "ti", "ma", "su", "lang", "ka", "ro", "pa", "nge", "wi", "da", "sa", "lo", "jan",
    "me", "ru", "ta", "go", "ni", "bu", "kar", "te", "mu",
];

const WORDS: [&str; 48] = [
    "kerja",
    "sama",
    "kota",
    "kembar",
    "pemerintah",
    "daerah",
    "pertukaran",
    "pelajar",
    "budaya",
    "delegasi",
    "kunjungan",
    "perjanjian",
    "bidang",
    "pendidikan",
    "ekonomi",
    "program",
    "masyarakat",
    "wali",
    "kota",
    "gubernur",
    "tahun",
    "pelatihan",
    "pejabat",
    "sekolah",
    "universitas",
    "festival",
    "investasi",
    "pelabuhan",
    "pariwisata",
    "teknologi",
    "lingkungan",
    "sampah",
    "air",
    "bersih",
    "kesehatan",
    "rumah",
    "sakit",
    "beasiswa",
    "seni",
    "tari",
    "musik",
    "promosi",
    "produk",
    "usaha",
    "kecil",
    "menengah",
    "nota",
    "kesepahaman",
];

const KINDS: [&str; 4] = [
    "sister-city",
    "sister-province",
    "friendship",
    "cooperation",
];
const STATUSES: [&str; 4] = ["active", "active", "dormant", "ended"];
const CONFIDENCE: [&str; 3] = ["confirmed", "reported", "unverified"];
const PARTNER_LEVELS: [&str; 4] = ["city", "city", "prefecture", "state"];

fn name(rng: &mut Rng, syllables: usize) -> String {
    let mut s = String::new();
    for _ in 0..syllables {
        s.push_str(rng.pick(&SYLLABLES));
    }
    let mut c = s.chars();
    let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or('X');
    std::iter::once(first).chain(c).collect()
}

fn slugify(s: &str) -> String {
    s.to_ascii_lowercase().replace(' ', "-")
}

/// A name not yet taken, made unique with a number when the syllables repeat.
fn unique(taken: &mut std::collections::HashSet<String>, base: String) -> String {
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(slugify(&candidate)) {
        candidate = format!("{base} {n}");
        n += 1;
    }
    candidate
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(&WORDS));
    }
    let mut c = s.chars();
    let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or('X');
    std::iter::once(first).chain(c).collect::<String>() + "."
}

fn paragraph(rng: &mut Rng, sentences: usize, cite: &str) -> String {
    let mut p = Vec::new();
    for i in 0..sentences {
        let words = rng.range(9, 16);
        let mut s = sentence(rng, words);
        if i == 1 {
            // Emphasis and a link inside the running text, as real histories have.
            s = s.replacen(' ', " *sister city* ", 1);
            s.pop();
            s.push_str(" menurut [laman resmi](https://example.org/berita).");
        }
        p.push(s);
    }
    format!("{} [@{cite}]", p.join(" "))
}

fn date(rng: &mut Rng, year: usize) -> String {
    format!("{year}-{:02}-{:02}", rng.range(1, 13), rng.range(1, 29))
}

/// The corpus for `n` partnerships: `max(38, n/4)` regions (38 provinces first),
/// `n/2` partners in 60 countries, 14 fields.
pub fn generate(n: usize, seed: u64) -> Corpus {
    let mut rng = Rng::new(seed);
    let mut taken = std::collections::HashSet::new();
    let n_regions = (n / 4).max(38);
    let mut regions = Vec::with_capacity(n_regions);
    for i in 0..n_regions {
        let is_province = i < 38;
        let base = name(&mut rng, 3);
        let (level, full) = match (is_province, rng.range(0, 3)) {
            (true, _) => ("provinsi", format!("Provinsi {base}")),
            (false, 0) => ("kota", format!("Kota {base}")),
            (false, _) => ("kabupaten", format!("Kabupaten {base}")),
        };
        let full = unique(&mut taken, full);
        let province = (!is_province).then(|| rng.range(0, 38));
        let code = match province {
            None => format!("{}", 11 + i * 2),
            Some(p) => format!("{}.{:02}", 11 + p * 2, rng.range(1, 100)),
        };
        let body = format!(
            "{full} adalah daerah sintetis untuk uji kecepatan; kode wilayahnya {code} dan \
             pusat pemerintahannya di {base}."
        );
        regions.push(Region {
            slug: slugify(&full),
            name: full,
            level,
            province,
            code,
            lat: (rng.float(-10.0, 5.5) * 1e4).round() / 1e4,
            lon: (rng.float(95.0, 141.0) * 1e4).round() / 1e4,
            body,
        });
    }
    let n_partners = (n / 2).max(1);
    let mut partners = Vec::with_capacity(n_partners);
    let mut partner_slugs = std::collections::HashSet::new();
    for i in 0..n_partners {
        let (country, clat, clon) = COUNTRIES[i % COUNTRIES.len()];
        let base = name(&mut rng, 3);
        let mut slug = slugify(&base);
        let mut k = 2;
        while !partner_slugs.insert(format!("{country}/{slug}")) {
            slug = format!("{}-{k}", slugify(&base));
            k += 1;
        }
        partners.push(Partner {
            country,
            name: base.clone(),
            slug,
            level: rng.pick(&PARTNER_LEVELS),
            lat: ((clat + rng.float(-2.0, 2.0)).clamp(-85.0, 85.0) * 1e4).round() / 1e4,
            lon: (((clon + rng.float(-2.0, 2.0) + 540.0) % 360.0 - 180.0) * 1e4).round() / 1e4,
            body: format!("{base} adalah mitra sintetis untuk uji kecepatan."),
        });
    }
    let mut pairs = std::collections::HashSet::new();
    let mut slugs = std::collections::HashSet::new();
    let mut partnerships = Vec::with_capacity(n);
    for i in 0..n {
        // Every partner gets two partnerships; regions are drawn at random.
        let partner = i % n_partners;
        let mut region = rng.range(0, n_regions);
        while !pairs.insert((region, partner)) {
            region = rng.range(0, n_regions);
        }
        let base = format!("{}-{}", regions[region].slug, partners[partner].slug);
        let mut slug = base.clone();
        let mut k = 2;
        while !slugs.insert(slug.clone()) {
            slug = format!("{base}-{k}");
            k += 1;
        }
        partnerships.push(partnership(&mut rng, i, slug, region, partner));
    }
    Corpus {
        fields: FIELDS.into_iter().collect(),
        regions,
        partners,
        partnerships,
    }
}

fn partnership(
    rng: &mut Rng,
    i: usize,
    slug: String,
    region: usize,
    partner: usize,
) -> Partnership {
    let year = rng.range(1960, 2021);
    let sources: Vec<Source> = (0..rng.range(1, 4))
        .map(|k| Source {
            key: format!("s{}", k + 1),
            title: sentence(rng, 6),
            publisher: format!("Harian {}", name(rng, 2)),
            url: format!("https://example.org/{slug}/{}", k + 1),
        })
        .collect();
    let events: Vec<Event> = (0..rng.range(2, 6))
        .map(|k| Event {
            date: date(rng, (year + k * 2).min(2025)),
            title: sentence(rng, 5),
            source: sources[k % sources.len()].key.clone(),
        })
        .collect();
    let mut fields: Vec<usize> = (0..rng.range(1, 4)).map(|_| rng.range(0, 14)).collect();
    fields.sort_unstable();
    fields.dedup();
    let history = history(rng, i, &sources);
    Partnership {
        slug,
        region,
        partner,
        kind: rng.pick(&KINDS),
        status: rng.pick(&STATUSES),
        confidence: rng.pick(&CONFIDENCE),
        signed: date(rng, year),
        fields,
        events,
        sources,
        history,
    }
}

/// About 600 words: headings, a list, emphasis, links, a table every fifth entry, and a
/// citation of every source.
fn history(rng: &mut Rng, i: usize, sources: &[Source]) -> String {
    let cite = |k: usize| sources[k % sources.len()].key.as_str();
    let mut md = String::new();
    md.push_str(&paragraph(rng, 5, cite(0)));
    md.push_str("\n\n## Latar belakang\n\n");
    md.push_str(&paragraph(rng, 6, cite(1)));
    md.push_str("\n\n");
    md.push_str(&paragraph(rng, 5, cite(2)));
    md.push_str("\n\n## Kegiatan\n\n");
    for _ in 0..rng.range(4, 7) {
        md.push_str(&format!("- **{}** {}\n", name(rng, 2), sentence(rng, 8)));
    }
    if i.is_multiple_of(5) {
        md.push_str("\n| Tahun | Kegiatan |\n|---|---|\n");
        for k in 0..4 {
            md.push_str(&format!("| {} | {} |\n", 2000 + k * 3, sentence(rng, 4)));
        }
    }
    md.push_str("\n## Perkembangan\n\n");
    md.push_str(&paragraph(rng, 6, cite(0)));
    md.push_str("\n\n");
    md.push_str(&paragraph(rng, 5, cite(1)));
    md.push('\n');
    md
}
