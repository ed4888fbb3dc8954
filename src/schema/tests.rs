//! The schemas and validation agree: an entry made of every schema key (with the schema's
//! examples) validates; removing a key is an error exactly when the schema requires it;
//! every enum value is accepted and nothing else; validation's list of keys is the schema's.

use super::all;
use crate::diag::Severity;
use serde_json::{Value, json};
use std::path::Path;

/// Where each schema's complete example goes in a copy of the fixture site, replacing an
/// entry whose references the examples satisfy. `None`: appended to fields.yaml.
const PLACES: &[(&str, Option<&str>)] = &[
    ("fields.schema.json", None),
    ("region.schema.json", Some("regions/bandung.md")),
    ("partner.schema.json", Some("partners/jp/shizuoka.yaml")),
    (
        "partnership.schema.json",
        Some("partnerships/jawa-barat-shizuoka.md"),
    ),
    ("page.schema.json", Some("pages/about.md")),
    ("translation.schema.json", Some("pages/about.en.md")),
];

fn schema(name: &str) -> Value {
    all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| s)
        .expect("schema written")
}

/// A value with every property, from the schema's examples.
fn complete(s: &Value) -> Value {
    if let Some(any) = s.get("anyOf") {
        return complete(&any[0]);
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        return props
            .iter()
            .map(|(k, v)| (k.clone(), complete(v)))
            .collect::<serde_json::Map<_, _>>()
            .into();
    }
    if let Some(ex) = s.get("examples") {
        return ex[0].clone();
    }
    match s.get("items") {
        Some(items) => json!([complete(items)]),
        None => panic!("no example for {s}"),
    }
}

/// The errors of validating the fixture site with `entry` in place of the file of `name`.
fn errors(name: &str, entry: &Value) -> Vec<String> {
    let dir = crate::testing::copy_of(&["tests/fixtures/site/."]);
    let content = dir.path().join("content");
    // JSON is YAML (flow style), so the example is written as the language server sees it.
    let json = serde_json::to_string(entry).expect("json");
    match PLACES
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, p)| *p)
    {
        Some(p) if p.ends_with(".yaml") => std::fs::write(content.join(p), json),
        Some(p) => std::fs::write(content.join(p), format!("---\n{json}\n---\nTeks.\n")),
        None => {
            let mut fields = std::fs::read_to_string(content.join("fields.yaml")).expect("read");
            fields.push_str(&format!("zz-test: {json}\n"));
            std::fs::write(content.join("fields.yaml"), fields)
        }
    }
    .expect("write entry");
    let (_, diags) = crate::build::atlas(dir.path(), Path::new("")).expect("load");
    diags
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} (help: {})", d.message, d.help.unwrap_or_default()))
        .collect()
}

/// The schema of the entry itself (fields.yaml: of one field).
fn entry_schema(name: &str) -> Value {
    let s = schema(name);
    s.get("additionalProperties")
        .filter(|a| a.is_object())
        .cloned()
        .unwrap_or(s)
}

fn required(s: &Value) -> Vec<String> {
    let mut out: Vec<String> = serde_json::from_value(s["required"].clone()).expect("required");
    // Conditional keys: every example is a kota, for which they are required.
    for c in s
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(
            serde_json::from_value::<Vec<String>>(c["then"]["required"].clone()).expect("then"),
        );
    }
    out
}

#[test]
fn an_entry_of_every_schema_key_validates() {
    for (name, _) in PLACES {
        let entry = complete(&entry_schema(name));
        assert_eq!(
            errors(name, &entry),
            Vec::<String>::new(),
            "{name}: {entry}"
        );
    }
}

#[test]
fn removing_a_key_fails_exactly_when_the_schema_requires_it() {
    for (name, _) in PLACES {
        let s = entry_schema(name);
        let required = required(&s);
        let full = complete(&s);
        for key in full.as_object().expect("object").keys() {
            let mut entry = full.clone();
            entry.as_object_mut().expect("object").remove(key);
            let errs = errors(name, &entry);
            let missing = errs
                .iter()
                .any(|e| e.contains(&format!("missing required key `{key}`")));
            assert_eq!(missing, required.contains(key), "{name}: `{key}`: {errs:?}");
            if !required.contains(key) {
                assert_eq!(errs, Vec::<String>::new(), "{name} without `{key}`");
            }
        }
    }
}

#[test]
fn validation_lists_exactly_the_schema_keys() {
    for (name, _) in PLACES {
        let s = entry_schema(name);
        let mut entry = complete(&s);
        entry["qqqqqqqqqqqq"] = json!("x");
        let errs = errors(name, &entry);
        let listed = errs
            .iter()
            .find_map(|e| e.split_once(" are ").map(|(_, l)| l.to_string()))
            .unwrap_or_else(|| panic!("{name}: no list of keys in {errs:?}"));
        let mut listed: Vec<&str> = listed
            .split(", ")
            .map(|k| k.trim_matches(['`', ')']))
            .collect();
        let mut keys: Vec<&str> = s["properties"]
            .as_object()
            .expect("props")
            .keys()
            .map(String::as_str)
            .collect();
        listed.sort_unstable();
        keys.sort_unstable();
        assert_eq!(listed, keys, "{name}");
    }
}

/// Paths (keys, with `0` for the first list item) to every `enum` in the schema.
fn enums(s: &Value, path: Vec<String>, out: &mut Vec<(Vec<String>, Vec<String>)>) {
    if let Some(any) = s.get("anyOf") {
        return enums(&any[0], path, out);
    }
    if let Some(values) = s.get("enum") {
        out.push((
            path.clone(),
            serde_json::from_value(values.clone()).expect("enum"),
        ));
    }
    for (k, v) in s
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let mut p = path.clone();
        p.push(k.clone());
        enums(v, p, out);
    }
    if let Some(items) = s.get("items") {
        let mut p = path;
        p.push("0".into());
        enums(items, p, out);
    }
}

fn set(v: &mut Value, path: &[String], to: &str) {
    let mut at = v;
    for p in path {
        at = match p.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[p.as_str()],
        };
    }
    *at = to.into();
}

#[test]
fn every_enum_value_is_accepted_and_nothing_else() {
    let mut checked = 0;
    for (name, _) in PLACES {
        let s = entry_schema(name);
        let full = complete(&s);
        let mut found = Vec::new();
        enums(&s, Vec::new(), &mut found);
        for (path, values) in found {
            for v in &values {
                let mut entry = full.clone();
                set(&mut entry, &path, v);
                // A status must agree with the timeline's; the example's event is `active`.
                if path == ["status"] {
                    entry["events"][0]["status"] = v.as_str().into();
                }
                if path == ["events", "0", "status"] {
                    entry["status"] = v.as_str().into();
                }
                let errs = errors(name, &entry);
                // Values that need other keys (a province has no `province`) may fail
                // for that reason only, never because the value is refused.
                assert!(
                    !errs.iter().any(|e| e.contains("is not a valid")),
                    "{name} {path:?} = {v}: {errs:?}"
                );
                checked += 1;
            }
            let mut entry = full.clone();
            set(&mut entry, &path, "zzz");
            let errs = errors(name, &entry);
            let listed = errs
                .iter()
                .find(|e| e.contains("`zzz` is not a valid"))
                .expect("refused");
            for v in &values {
                assert!(
                    listed.contains(&format!("`{v}`")),
                    "{name} {path:?}: {listed}"
                );
            }
        }
    }
    assert!(checked > 30, "only {checked} enum values checked");
}
