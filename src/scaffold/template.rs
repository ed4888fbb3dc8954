//! The text of a new entry: every key of its kind (from `validate::keys`) with a comment
//! saying what it means, whether it is required, the allowed values and an example.
//! Only the values the editor gave are filled in; everything else stays empty.

use crate::validate::keys::{Key, Need, Shape};

/// Front matter of `keys` with `given` values, between `---` lines, then `body`.
/// `schema` is the path of the JSON Schema relative to the file, for the modeline.
pub fn entry(keys: &[Key], given: &[(&str, String)], schema: Option<&str>, body: &str) -> String {
    let mut out = String::from("---\n");
    if let Some(s) = schema {
        out.push_str(&format!("# yaml-language-server: $schema={s}\n"));
    }
    for k in keys {
        let value = given
            .iter()
            .find(|(n, _)| *n == k.name)
            .map(|(_, v)| v.as_str());
        key(&mut out, k, value, "");
    }
    out.push_str("---\n");
    out.push_str(body);
    out
}

fn key(out: &mut String, k: &Key, value: Option<&str>, indent: &str) {
    comment(out, k, indent);
    match (k.value, value) {
        (_, Some(v)) => out.push_str(&format!("{indent}{}: {v}\n", k.name)),
        // A required list gets one item to fill in; an optional one an example in comments.
        (Shape::List(items, _), None) if k.need == Need::Required => {
            out.push_str(&format!("{indent}{}:\n", k.name));
            for (i, item) in items.iter().enumerate() {
                let (dash, inner) = if i == 0 { ("- ", "  ") } else { ("  ", "    ") };
                comment(out, item, &format!("{indent}{inner}"));
                out.push_str(&format!("{indent}  {dash}{}:\n", item.name));
            }
        }
        (Shape::List(items, _), None) => {
            out.push_str(&format!("{indent}{}:\n", k.name));
            out.push_str(&format!("{indent}  # one item each, e.g.:\n"));
            for (i, item) in items.iter().enumerate() {
                let dash = if i == 0 { "- " } else { "  " };
                let shown = format!("{}: {}", item.name, item.example);
                out.push_str(&format!("{indent}  # {dash}{shown:<34} # {}\n", need(item)));
            }
        }
        (_, None) => out.push_str(&format!("{indent}{}:\n", k.name)),
    }
}

fn comment(out: &mut String, k: &Key, indent: &str) {
    let mut line = format!("{} {}", need(k), k.about);
    if let Shape::Choice(names) = k.value {
        line.push_str(&format!(" One of: {}.", names.join(", ")));
    }
    if !k.example.is_empty() {
        line.push_str(&format!(" Example: {}", k.example));
    }
    for l in wrap(&line, 86 - indent.len()) {
        out.push_str(&format!("{indent}# {l}\n"));
    }
}

fn need(k: &Key) -> String {
    match k.need {
        Need::Required => "Required.".into(),
        Need::Optional => "Optional.".into(),
        Need::WhenLevel(levels) => format!(
            "Required for level {}; otherwise remove it.",
            levels.join(" or ")
        ),
    }
}

/// Words of `text` in lines of at most `width` characters (longer words on their own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::keys;

    #[test]
    fn every_key_is_written_once_with_its_comment() {
        let text = entry(keys::PARTNERSHIP, &[("region", "bandung".into())], None, "");
        for k in keys::PARTNERSHIP {
            let lines = text
                .lines()
                .filter(|l| l.starts_with(&format!("{}:", k.name)))
                .count();
            assert_eq!(lines, 1, "{}\n{text}", k.name);
        }
        assert!(text.contains("\nregion: bandung\n"));
        let comments = text.replace("\n# ", " ");
        assert!(
            comments.contains("One of: sister-city, sister-province, friendship, cooperation.")
        );
        assert!(text.contains("\n  - key:\n"));
        assert!(text.lines().all(|l| l.chars().count() <= 90), "{text}");
    }

    #[test]
    fn long_comments_wrap_between_words() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh ij", 4), ["abcdefgh", "ij"]);
    }
}
