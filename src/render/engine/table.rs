//! A map from names to template values, sorted by name and searched by the names' text:
//! a page's whole context (its own keys, `root` and the like, and `site`, `lang`, `t`)
//! as one table, and the interface strings. Every name a template reads outside a loop
//! is looked up in the page's context; layered maps (minijinja's `merge_maps`) asked
//! each layer in turn, and one table made partnership pages render about 5 % faster.

use minijinja::value::{Enumerator, Object, ObjectExt, Value};
use std::sync::Arc;

#[derive(Debug)]
pub struct Table(Vec<(Box<str>, Value)>);

impl Table {
    /// A table of `entries`; of two entries with one name the last is kept, as in a map.
    pub fn new(mut entries: Vec<(Box<str>, Value)>) -> Table {
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        Table(entries)
    }

    /// The entries of `maps` in one table; of two with one name, the later map's wins.
    pub fn merged(maps: &[&Value]) -> Value {
        let mut entries = Vec::new();
        for m in maps {
            let Ok(keys) = m.try_iter() else { continue };
            for k in keys {
                let Some(name) = k.as_str() else { continue };
                if let Ok(v) = m.get_item(&k) {
                    entries.push((Box::from(name), v));
                }
            }
        }
        Value::from_object(Table::new(entries))
    }

    /// JSON data as template values, every object a table.
    pub fn from_json(v: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match v {
            J::Object(map) => Value::from_object(Table::new(
                map.iter()
                    .map(|(k, v)| (k.as_str().into(), Table::from_json(v)))
                    .collect(),
            )),
            J::Array(items) => items.iter().map(Table::from_json).collect(),
            J::String(s) => Value::from(s.as_str()),
            J::Bool(b) => Value::from(*b),
            J::Null => Value::from(()),
            J::Number(n) => Value::from(minijinja::value::Serde(n)),
        }
    }
}

impl Object for Table {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        // Most probes are settled by the first byte; comparing it here spares a call
        // to `memcmp` for each (templates read some million names per build).
        let first = key.as_bytes().first();
        let i = self
            .0
            .binary_search_by(|(k, _)| match (k.as_bytes().first(), first) {
                (Some(a), Some(b)) if a != b => a.cmp(b),
                _ => (**k).cmp(key),
            })
            .ok()?;
        Some(self.0[i].1.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.mapped_enumerator(|this| Box::new(this.0.iter().map(|(k, _)| Value::from(&**k))))
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_like_the_json_it_was_made_from() {
        let v = Table::from_json(&json!({ "b": { "x": "y" }, "a": [1, true, null], "c": 2.5 }));
        assert_eq!(
            v.get_attr("b").unwrap().get_attr("x").unwrap().as_str(),
            Some("y")
        );
        assert_eq!(v.get_attr("a").unwrap().len(), Some(3));
        assert!(v.get_attr("missing").unwrap().is_undefined());
        let keys: Vec<String> = v.try_iter().unwrap().map(|k| k.to_string()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(
            serde_json::to_value(&v).unwrap(),
            json!({ "a": [1, true, null], "b": { "x": "y" }, "c": 2.5 })
        );
    }

    #[test]
    fn finds_every_name_among_shared_prefixes() {
        let names = [
            "",
            "a",
            "ab",
            "abcdefgh",
            "abcdefghi",
            "abcdefghij",
            "abcdefgi",
            "b",
            "ba",
            "confidence",
            "confidence_help",
            "é",
            "éa",
            "z",
        ];
        let t = Table::new(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (Box::from(*n), Value::from(i)))
                .collect(),
        );
        let v = Value::from_object(t);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(v.get_attr(n).unwrap(), Value::from(i), "{n:?}");
        }
        for missing in ["abc", "abcdefghh", "abcdefghijk", "c", "confidence_", "e"] {
            assert!(v.get_attr(missing).unwrap().is_undefined(), "{missing:?}");
        }
    }

    #[test]
    fn the_last_of_two_entries_with_one_name_wins() {
        let t = Table::new(vec![
            ("k".into(), Value::from(1)),
            ("k".into(), Value::from(2)),
        ]);
        let v = Value::from_object(t);
        assert_eq!(v.get_attr("k").unwrap(), Value::from(2));
    }
}
