//! A map from names to template values, sorted by name and searched by the names' text:
//! a page's whole context (its own keys, `root` and the like, and `site`, `lang`, `t`)
//! as one table, and the interface strings. Every name a template reads outside a loop
//! is looked up in the page's context; layered maps (minijinja's `merge_maps`) asked
//! each layer in turn, and one table made partnership pages render about 5 % faster.
//! Names are found through a small hash table of their first bytes and length: a
//! binary search cost some 170 instructions a lookup (callgrind).

use minijinja::value::{Enumerator, Object, ObjectExt, Value};
use std::sync::Arc;

#[derive(Debug)]
pub struct Table {
    /// Sorted by name, the order templates iterate them in.
    entries: Vec<(Box<str>, Value)>,
    /// The first eight bytes of each entry's name: compared before the name itself,
    /// whose text lies elsewhere in memory (templates look up some million names per
    /// build).
    prefixes: Vec<u64>,
    /// Open addressing: each slot holds an index into `entries`, or `EMPTY`; a name
    /// starts looking at the slot of its hash and goes on to the next.
    slots: Vec<u32>,
}

const EMPTY: u32 = u32::MAX;

/// The first eight bytes of `name`, zero-padded.
fn prefix(name: &str) -> u64 {
    let bytes = name.as_bytes();
    match bytes.first_chunk::<8>() {
        Some(first) => u64::from_le_bytes(*first),
        None => bytes
            .iter()
            .rev()
            .fold(0, |acc, &b| (acc << 8) | u64::from(b)),
    }
}

fn slot(prefix: u64, len: usize, mask: usize) -> usize {
    let h = (prefix ^ (len as u64).rotate_left(56)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 32) as usize & mask
}

impl Table {
    /// A table of `entries`; of two entries with one name the last is kept, as in a map.
    pub fn new(mut entries: Vec<(Box<str>, Value)>) -> Table {
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        let prefixes: Vec<u64> = entries.iter().map(|(k, _)| prefix(k)).collect();
        // At most half full, so a search ends within a few slots.
        let mask = (entries.len() * 2).next_power_of_two().max(4) - 1;
        let mut slots = vec![EMPTY; mask + 1];
        for (i, ((k, _), &p)) in entries.iter().zip(&prefixes).enumerate() {
            let mut at = slot(p, k.len(), mask);
            while slots[at] != EMPTY {
                at = (at + 1) & mask;
            }
            slots[at] = i as u32;
        }
        Table {
            entries,
            prefixes,
            slots,
        }
    }

    /// A table of named values, as a template value.
    pub fn of<const N: usize>(entries: [(&str, Value); N]) -> Value {
        let entries = entries.into_iter().map(|(k, v)| (Box::from(k), v));
        Value::from_object(Table::new(entries.collect()))
    }

    /// Adds the entries of the map `m` to `entries`, for a table made of layers (given
    /// to `new`, a later layer's entry wins): a table's as they are, any other map's in
    /// one pass over its pairs.
    pub fn extend(entries: &mut Vec<(Box<str>, Value)>, m: &Value) {
        if let Some(t) = m.downcast_object_ref::<Table>() {
            entries.extend(t.entries.iter().cloned());
        } else if let Some(pairs) = m.as_object().and_then(|o| o.try_iter_pairs()) {
            entries.extend(pairs.filter_map(|(k, v)| Some((Box::from(k.as_str()?), v))));
        }
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
        let want = prefix(key);
        let mask = self.slots.len() - 1;
        let mut at = slot(want, key.len(), mask);
        loop {
            let i = self.slots[at];
            if i == EMPTY {
                return None;
            }
            let i = i as usize;
            if self.prefixes[i] == want && *self.entries[i].0 == *key {
                return Some(self.entries[i].1.clone());
            }
            at = (at + 1) & mask;
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.mapped_enumerator(|this| Box::new(this.entries.iter().map(|(k, _)| Value::from(&**k))))
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.entries.len())
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
            "a\0",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
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
