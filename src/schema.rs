//! `kembar schema`: JSON Schemas (draft 2020-12) of the entry files, generated from the
//! key tables validation reads (`validate::keys`), for editors with a YAML language server.

use crate::validate::keys::{self, Key, Need, Shape};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Where to write the schemas (created if missing; files of the same name are replaced)
    #[arg(long, value_name = "DIR", default_value = "schemas")]
    pub out: PathBuf,
}

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// Every schema kembar writes: file name and schema.
pub fn all() -> Vec<(&'static str, Value)> {
    vec![
        ("fields.schema.json", fields()),
        (
            "region.schema.json",
            entry(
                "A region of the Atlas Kota Kembar (content/regions/<slug>.md)",
                keys::REGION,
            ),
        ),
        (
            "partner.schema.json",
            entry(
                "A foreign partner (content/partners/<country>/<slug>.md or .yaml)",
                keys::PARTNER,
            ),
        ),
        (
            "partnership.schema.json",
            entry(
                "A partnership's front matter (content/partnerships/<slug>.md)",
                keys::PARTNERSHIP,
            ),
        ),
        (
            "page.schema.json",
            entry(
                "A standalone page's front matter (content/pages/<slug>.md)",
                keys::PAGE,
            ),
        ),
        (
            "translation.schema.json",
            entry(
                "The front matter of an English translation (<slug>.en.md)",
                keys::TRANSLATION,
            ),
        ),
    ]
}

pub fn run(args: SchemaArgs) -> ExitCode {
    match write(&args.out) {
        Ok(paths) => {
            for p in paths {
                println!("wrote {}", p.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            anstream::eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn write(out: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut written = Vec::new();
    for (name, schema) in all() {
        let path = out.join(name);
        let mut text = serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// `content/fields.yaml`: field ids (slugs) mapped to their names.
fn fields() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "The fields of cooperation (content/fields.yaml)",
        "type": "object",
        "propertyNames": { "pattern": SLUG },
        "additionalProperties": object(keys::FIELD),
    })
}

fn entry(title: &str, keys: &[Key]) -> Value {
    let mut schema = object(keys);
    if let Value::Object(m) = &mut schema {
        m.insert("$schema".into(), DRAFT.into());
        m.insert("title".into(), title.into());
        // Empty front matter reads as no keys; required keys then make it invalid.
        m.insert("type".into(), json!(["object", "null"]));
    }
    schema
}

/// A mapping with exactly these keys. An optional key may be left empty (`key:`), which
/// validation reads as absent; a required one may not.
fn object(keys: &[Key]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut conditions = Vec::new();
    for k in keys {
        let mut v = value(k.value);
        if let Value::Object(m) = &mut v {
            m.insert("description".into(), k.about.into());
            if !k.example.is_empty() {
                m.insert("examples".into(), json!([example(k)]));
            }
        }
        match k.need {
            Need::Required => required.push(k.name),
            Need::Optional => v = json!({ "anyOf": [v, { "type": "null" }] }),
            Need::WhenLevel(levels) => {
                conditions.push(when_level(k.name, levels));
                v = json!({ "anyOf": [v, { "type": "null" }] });
            }
        }
        properties.insert(k.name.into(), v);
    }
    let mut m = Map::new();
    m.insert("type".into(), "object".into());
    m.insert("properties".into(), properties.into());
    m.insert("required".into(), json!(required));
    m.insert("additionalProperties".into(), false.into());
    if !conditions.is_empty() {
        m.insert("allOf".into(), conditions.into());
    }
    m.into()
}

/// `key` must be given for these levels and must not be for the others.
fn when_level(key: &str, levels: &[&str]) -> Value {
    json!({
        "if": { "properties": { "level": { "enum": levels } }, "required": ["level"] },
        "then": { "required": [key], "properties": { key: { "not": { "type": "null" } } } },
        "else": { "not": { "required": [key], "properties": { key: { "not": { "type": "null" } } } } },
    })
}

/// The example as a JSON value: numbers and mappings as YAML would read them.
fn example(k: &Key) -> Value {
    match k.value {
        Shape::Degrees(_) => k.example.parse::<f64>().map_or(Value::Null, Value::from),
        Shape::Coordinates => {
            let nums: Vec<f64> = k
                .example
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter_map(|s| s.parse().ok())
                .collect();
            match nums.as_slice() {
                [lat, lon] => json!({ "lat": lat, "lon": lon }),
                _ => Value::Null,
            }
        }
        Shape::Slugs => json!(
            k.example
                .trim_matches(['[', ']'])
                .split(", ")
                .collect::<Vec<_>>()
        ),
        _ => k.example.trim_matches('"').into(),
    }
}

fn value(shape: Shape) -> Value {
    // Validation reads a number where text is expected as the text typed (`code: 32`).
    let text = json!(["string", "number"]);
    match shape {
        Shape::Text => json!({ "type": text, "minLength": 1 }),
        Shape::Slug => json!({ "type": "string", "pattern": SLUG }),
        Shape::Date => json!({
            "type": ["string", "integer"],
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
            "minimum": 1000, "maximum": 9999,
        }),
        Shape::Url => {
            json!({ "type": "string", "pattern": "^\\s*[Hh][Tt][Tt][Pp][Ss]?://[^/\\s]\\S*\\s*$" })
        }
        Shape::Code => json!({ "type": text, "pattern": "^[0-9]{2}(\\.[0-9]{2})?$" }),
        Shape::Wikidata => json!({ "type": "string", "pattern": "^Q[1-9][0-9]*$" }),
        Shape::PartnerId => {
            json!({ "type": "string", "pattern": "^[^/\\s]+/[a-z0-9]+(-[a-z0-9]+)*$" })
        }
        Shape::SourceKey => json!({ "type": text, "pattern": "^[A-Za-z0-9_-]+$" }),
        Shape::Choice(names) => json!({ "type": "string", "enum": names }),
        Shape::Degrees(max) => json!({ "type": "number", "minimum": -max, "maximum": max }),
        Shape::Coordinates => object(keys::COORDINATES),
        Shape::Slugs => json!({ "type": "array", "items": value(Shape::Slug) }),
        Shape::List(keys, non_empty) => json!({
            "type": "array",
            "items": object(keys),
            "minItems": usize::from(non_empty),
        }),
    }
}

#[cfg(test)]
mod tests;
