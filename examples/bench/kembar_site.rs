//! Writes the synthetic corpus in kembar's own content format: the site the benchmark
//! builds, and the one the smoke test checks.

use crate::corpus::Corpus;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// `languages` as in `kembar.toml`; the benchmark builds one language, as the Hugo and
/// Zola sites do.
pub fn write(corpus: &Corpus, dir: &Path, languages: &[&str]) -> io::Result<()> {
    let content = dir.join("content");
    for sub in ["regions", "partners", "partnerships"] {
        fs::create_dir_all(content.join(sub))?;
    }
    let langs: Vec<String> = languages.iter().map(|l| format!("\"{l}\"")).collect();
    fs::write(
        dir.join("kembar.toml"),
        format!(
            "title = \"Atlas Sintetis\"\ndescription = \"Korpus sintetis untuk uji kecepatan.\"\n\
             base_url = \"https://bench.example.org/\"\ndefault_language = \"id\"\n\
             theme = \"default\"\nlanguages = [{}]\n",
            langs.join(", ")
        ),
    )?;
    let mut fields = String::new();
    for f in &corpus.fields {
        let _ = write!(
            fields,
            "{}:\n  name: {}\n  name_en: {}\n  description: Bidang {} dalam korpus sintetis.\n",
            f.id, f.name, f.name_en, f.name
        );
    }
    fs::write(content.join("fields.yaml"), fields)?;
    for r in &corpus.regions {
        let province = r
            .province
            .map(|p| format!("province: {}\n", corpus.regions[p].slug))
            .unwrap_or_default();
        let text = format!(
            "---\nname: {}\nlevel: {}\n{province}code: \"{}\"\ncoordinates: {{ lat: {}, lon: {} }}\n---\n{}\n",
            r.name, r.level, r.code, r.lat, r.lon, r.body
        );
        fs::write(content.join("regions").join(format!("{}.md", r.slug)), text)?;
    }
    for p in &corpus.partners {
        let folder = content.join("partners").join(p.country);
        fs::create_dir_all(&folder)?;
        let text = format!(
            "---\nname: {}\nlevel: {}\ncoordinates: {{ lat: {}, lon: {} }}\n---\n{}\n",
            p.name, p.level, p.lat, p.lon, p.body
        );
        fs::write(folder.join(format!("{}.md", p.slug)), text)?;
    }
    for p in &corpus.partnerships {
        fs::write(
            content.join("partnerships").join(format!("{}.md", p.slug)),
            partnership(corpus, p),
        )?;
    }
    Ok(())
}

fn partnership(corpus: &Corpus, p: &crate::corpus::Partnership) -> String {
    let partner = &corpus.partners[p.partner];
    let mut s = format!(
        "---\nregion: {}\npartner: {}/{}\nkind: {}\nstatus: {}\nconfidence: {}\nsigned: {}\n",
        corpus.regions[p.region].slug,
        partner.country,
        partner.slug,
        p.kind,
        p.status,
        p.confidence,
        p.signed
    );
    let fields: Vec<&str> = p.fields.iter().map(|&f| corpus.fields[f].id).collect();
    let _ = writeln!(s, "fields: [{}]", fields.join(", "));
    s.push_str("events:\n");
    for e in &p.events {
        let _ = write!(
            s,
            "  - date: {}\n    title: {}\n    source: {}\n",
            e.date, e.title, e.source
        );
    }
    s.push_str("sources:\n");
    for src in &p.sources {
        let _ = write!(
            s,
            "  - key: {}\n    title: {}\n    publisher: {}\n    url: {}\n",
            src.key, src.title, src.publisher, src.url
        );
    }
    s.push_str("---\n");
    s.push_str(&p.history);
    s
}
