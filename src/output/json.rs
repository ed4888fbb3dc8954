//! Writing pretty-printed JSON by hand, for the open-data records: their layout is
//! serde_json's, and long text (a partnership's history as HTML) is escaped eight bytes
//! at a time. serde_json looks every byte up in a table and hands each run between two
//! escapes to its writer on its own: on HTML, where every attribute has quotes and
//! every line ends in `\n`, that is about ten instructions a byte, and escaping the
//! histories (twice per partnership: its own record and `data/partnerships.json`) was
//! a tenth of a 1,000-partnership build (callgrind, bench/README.md).

use serde::Serialize;

/// A pretty-printed JSON document written by hand: objects and arrays laid out as
/// `serde_json::to_writer_pretty` lays them out (two spaces a level), scalars printed
/// by serde_json, long text by [`escape_into`].
pub struct Pretty {
    pub out: Vec<u8>,
    depth: usize,
    /// Nothing written yet in the object or array just opened.
    empty: bool,
}

impl Pretty {
    /// A writer whose first value sits `depth` levels deep (1 for an array's items).
    pub fn new(capacity: usize, depth: usize) -> Pretty {
        Pretty {
            out: Vec::with_capacity(capacity),
            depth,
            empty: false,
        }
    }

    pub fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    pub fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.empty {
            self.newline();
        }
        self.out.push(bracket);
        self.empty = false;
    }

    /// Starts the next item of an array.
    pub fn item(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.newline();
        self.empty = false;
    }

    /// Starts the value of `key` (a name of the schema: plain ASCII) in an object.
    pub fn key(&mut self, key: &str) {
        self.item();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// A scalar (string, number, name of a vocabulary, date), as serde_json prints it.
    pub fn scalar<T: Serialize + ?Sized>(&mut self, v: &T) {
        let _ = serde_json::to_writer(&mut self.out, v);
    }

    /// `key` and its scalar value.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) {
        self.key(key);
        self.scalar(v);
    }

    /// An object whose fields `fields` writes.
    pub fn object(&mut self, fields: impl FnOnce(&mut Pretty)) {
        self.open(b'{');
        fields(self);
        self.close(b'}');
    }

    /// `key` and the object `fields` writes for `v`, or `null`.
    pub fn object_or_null<T>(
        &mut self,
        key: &str,
        v: Option<T>,
        fields: impl FnOnce(&mut Pretty, T),
    ) {
        self.key(key);
        match v {
            Some(v) => self.object(|w| fields(w, v)),
            None => self.scalar(&()),
        }
    }

    /// `key` and an array of `items`, each written by `each`.
    pub fn array<T>(
        &mut self,
        key: &str,
        items: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Pretty, T),
    ) {
        self.key(key);
        self.open(b'[');
        for item in items {
            self.item();
            each(self, item);
        }
        self.close(b']');
    }

    /// `key` and long text.
    pub fn text(&mut self, key: &str, v: Option<&str>) {
        self.key(key);
        match v {
            Some(v) => escape_into(&mut self.out, v),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    pub fn newline(&mut self) {
        self.out.push(b'\n');
        for _ in 0..self.depth {
            self.out.extend_from_slice(b"  ");
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that JSON escapes (`"`, `\`, controls), and maybe
/// of some bytes after the first such one; never of one before it, so the lowest bit
/// set finds the first byte to escape.
fn special(w: u64) -> u64 {
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    control | zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\')))
}

fn is_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// `s` as a JSON string token, quotes included, at the end of `out`.
pub fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + bytes.len() / 8 + 2);
    out.push(b'"');
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        let at = match bytes.get(i..i + 8) {
            Some(chunk) => {
                let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
                match special(w) {
                    0 => {
                        i += 8;
                        continue;
                    }
                    m => i + (m.trailing_zeros() / 8) as usize,
                }
            }
            None if is_special(bytes[i]) => i,
            None => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[run..at]);
        push_escaped(out, bytes[at]);
        i = at + 1;
        run = i;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

fn push_escaped(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]];
            out.extend_from_slice(b"\\u00");
            out.extend_from_slice(&hex);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_serde(s: &str) {
        let mut out = b"x".to_vec();
        escape_into(&mut out, s);
        assert_eq!(out[1..], serde_json::to_vec(s).unwrap(), "{s:?}");
    }

    #[test]
    fn escapes_every_byte_as_serde_json_does() {
        for b in 0..0x80u8 {
            let c = char::from(b);
            for s in [
                format!("{c}"),
                format!("abcdefg{c}"),
                format!("abcdefgh{c}xyz"),
                format!("{c}{c}abcdefghijklmno{c}"),
            ] {
                same_as_serde(&s);
            }
        }
    }

    #[test]
    fn leaves_text_between_escapes_and_other_scripts_whole() {
        for s in [
            "",
            "plain text longer than eight bytes",
            "<p class=\"lead\">Kerja sama\n</p>\n<ul>\n<li>a</li>\n</ul>\n",
            "é漢字 \u{7f} \u{80} ü\"\\\u{1}\u{1f} ½",
            "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"",
            "ééééééé\"ééééééé\n",
            "\u{20}\u{21}\u{23}\u{5b}\u{5d}\u{1f}",
        ] {
            same_as_serde(s);
        }
    }

    #[test]
    fn finds_every_escape_wherever_it_falls_in_a_word() {
        // Every position in a 24-byte text, for each kind of escape, also next to
        // bytes whose subtraction borrows (0x20, 0x21, 0x80, 0xff in UTF-8 text).
        for special in ['"', '\\', '\n', '\u{0}', '\u{1f}'] {
            for pos in 0..24 {
                let mut s: Vec<char> = "a !ÿ a !ÿ a !ÿ a !ÿ a !ÿ".chars().take(24).collect();
                s[pos] = special;
                same_as_serde(&s.into_iter().collect::<String>());
            }
        }
    }

    #[test]
    fn lays_out_documents_as_serde_json_pretty_does() {
        let v = serde_json::json!({
            "a": [],
            "b": {},
            "c": [1, { "x": null, "y": [true] }, "z"],
            "d": "<p class=\"x\">\n",
        });
        for depth in [0, 1, 2] {
            let mut w = Pretty::new(0, depth);
            w.open(b'{');
            w.key("a");
            w.open(b'[');
            w.close(b']');
            w.key("b");
            w.open(b'{');
            w.close(b'}');
            w.key("c");
            w.open(b'[');
            w.item();
            w.scalar(&1);
            w.item();
            w.open(b'{');
            w.field("x", &());
            w.key("y");
            w.open(b'[');
            w.item();
            w.scalar(&true);
            w.close(b']');
            w.close(b'}');
            w.item();
            w.scalar("z");
            w.close(b']');
            w.text("d", Some("<p class=\"x\">\n"));
            w.close(b'}');
            let expected = serde_json::to_string_pretty(&v)
                .unwrap()
                .replace('\n', &format!("\n{}", "  ".repeat(depth)));
            assert_eq!(String::from_utf8(w.out).unwrap(), expected);
        }
    }
}
