//! Markdown to safe HTML: CommonMark plus tables, footnotes, strikethrough and heading
//! ids; `[@key]` citations become numbered links to the source list; whatever HTML an
//! author wrote is cleaned by ammonia so an entry can never inject script.

use crate::model::Body;
use pulldown_cmark::{
    BrokenLink, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

/// A `[@key]` found in a body, with its byte range in the file.
#[derive(Debug, Clone)]
pub struct Citation {
    pub key: String,
    pub span: Range<usize>,
}

const CITE_PREFIX: &str = "kembar-cite:";

/// Whether a body's HTML is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Html {
    /// Always: the site is built from it.
    Always,
    /// Only when `check` reads something in it: a link to a path of the site, or HTML
    /// the author wrote; otherwise the body's plain text as one paragraph. `check`
    /// reads a body's HTML for nothing else (its text and citations come from the
    /// Markdown), and writing the HTML of bodies that link only outside the site and
    /// to their own sources was a tenth of a `check` (callgrind).
    WhenLinked,
}

/// Renders `md`, which starts at byte `offset` of its file. Ids it makes (headings,
/// footnotes) start with `id_prefix`, so two bodies can share a page.
pub fn render(md: &str, offset: usize, id_prefix: &str, want: Html) -> (Body, Vec<Citation>) {
    let mut callback = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        let r = link.reference.trim();
        let is_cite = r.starts_with('@')
            && r.split(';')
                .all(|k| is_key(k.trim().trim_start_matches('@')) && k.trim().starts_with('@'));
        (is_cite && link.link_type == LinkType::Shortcut)
            .then(|| (format!("{CITE_PREFIX}{r}").into(), "".into()))
    };
    let parser = Parser::new_with_broken_link_callback(md, options(), Some(&mut callback))
        .into_offset_iter();
    // `check` keeps no events: most bodies need no HTML there, and the few that do
    // are parsed again below. Keeping them was a third of reading a body in `check`.
    let keep = want == Html::Always;
    let mut events: Vec<Event> = Vec::with_capacity(if keep { md.len() / 16 } else { 0 });
    let mut citations = Vec::new();
    let mut cited: Vec<String> = Vec::new();
    let mut text = Squash::new(crate::model::SUMMARY_CHARS);
    let mut skip_until_link_end = false;
    // Only what the author wrote can be unsafe: raw HTML, or a link to another scheme
    // than the web's. Without either, the renderer's own HTML needs no cleaning.
    let mut trusted = true;
    // A link to a path of the site, which `check` resolves from the entry's page.
    let mut linked = false;
    let mut notes: Vec<String> = Vec::new();
    let mut note_number = |label: &str| match notes.iter().position(|l| l == label) {
        Some(i) => i + 1,
        None => {
            notes.push(label.to_string());
            notes.len()
        }
    };
    for (event, range) in parser {
        match &event {
            Event::Html(_) | Event::InlineHtml(_) => trusted = false,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !dest_url.starts_with(CITE_PREFIX) =>
            {
                trusted &= safe_url(dest_url);
                linked |= !(dest_url.is_empty()
                    || dest_url.starts_with('#')
                    || crate::urls::is_external(dest_url));
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::Link { ref dest_url, .. }) if dest_url.starts_with(CITE_PREFIX) => {
                let mut html = String::new();
                if keep {
                    html.push_str("<sup class=\"cite\">");
                }
                let written = &md[range.clone()];
                for key in dest_url[CITE_PREFIX.len()..]
                    .split(';')
                    .map(|k| k.trim().trim_start_matches('@'))
                {
                    // Point at `@key` itself, so a group `[@a; @b]` shows which key is wrong.
                    let at = written
                        .match_indices(key)
                        .find(|&(i, _)| i > 0 && written.as_bytes()[i - 1] == b'@')
                        .map_or(range.clone(), |(i, _)| {
                            range.start + i - 1..range.start + i + key.len()
                        });
                    citations.push(Citation {
                        key: key.to_string(),
                        span: offset + at.start..offset + at.end,
                    });
                    let n = match cited.iter().position(|k| k == key) {
                        Some(i) => i + 1,
                        None => {
                            cited.push(key.to_string());
                            cited.len()
                        }
                    };
                    if keep {
                        html.push_str("<a href=\"#source-");
                        html.push_str(key);
                        html.push_str("\">[");
                        html.push_str(itoa::Buffer::new().format(n));
                        html.push_str("]</a>");
                    }
                }
                if keep {
                    html.push_str("</sup>");
                    events.push(Event::InlineHtml(html.into()));
                }
                skip_until_link_end = true;
            }
            Event::End(TagEnd::Link) if skip_until_link_end => skip_until_link_end = false,
            // The sanitiser drops the `language-…` class a fence's info string gives,
            // so it is never written: trusted and cleaned text render alike.
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(_))) => {
                if keep {
                    events.push(Event::Start(Tag::CodeBlock(
                        pulldown_cmark::CodeBlockKind::Indented,
                    )));
                }
            }
            _ if skip_until_link_end => {}
            _ => {
                match &event {
                    Event::Text(t) | Event::Code(t) => text.push(t),
                    Event::SoftBreak
                    | Event::HardBreak
                    | Event::End(TagEnd::Paragraph)
                    | Event::End(TagEnd::Heading(_)) => text.gap = true,
                    _ => {}
                }
                if !keep {
                    continue;
                }
                match event {
                    Event::FootnoteReference(label) => {
                        let (n, id) = (note_number(&label), note_id(id_prefix, &label));
                        let html = format!(
                            "<sup class=\"footnote-reference\"><a href=\"#{id}\">{n}</a></sup>"
                        );
                        events.push(Event::InlineHtml(html.into()));
                    }
                    Event::Start(Tag::FootnoteDefinition(label)) => {
                        let (n, id) = (note_number(&label), note_id(id_prefix, &label));
                        let html = format!(
                            "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{n}</sup>\n"
                        );
                        events.push(Event::Html(html.into()));
                    }
                    Event::End(TagEnd::FootnoteDefinition) => {
                        events.push(Event::Html("</div>\n".into()))
                    }
                    _ => events.push(event),
                }
            }
        }
    }
    if !keep && (!trusted || linked) {
        return render(md, offset, id_prefix, Html::Always);
    }
    let html = if !keep {
        // A stand-in, so that the pages `check` renders to prove the theme's templates
        // still take the branches a body with text takes.
        let mut p = String::from("<p>");
        let _ = pulldown_cmark_escape::escape_html(&mut p, &text.out);
        p.push_str("</p>");
        p
    } else {
        add_heading_ids(&mut events, id_prefix);
        let mut html = String::with_capacity(md.len() + md.len() / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if trusted {
            html
        } else {
            SANITIZER.clean(&html).to_string()
        }
    };
    let body = Body {
        html: html.into(),
        cited,
        text: text.out,
    };
    (body, citations)
}

/// `text` with each run of white space made one space, and none at either end.
#[cfg(test)]
fn squash(text: &str) -> String {
    let mut s = Squash::new(usize::MAX);
    s.push(text);
    s.out
}

/// The plain text of a body, squashed as it is written: each run of white space made
/// one space, none at either end. Copied a word at a time rather than a character at
/// a time, which was a sixth of rendering. Words stop being added once `limit`
/// characters are there: only the start is ever shown.
struct Squash {
    out: String,
    /// White space since the last word.
    gap: bool,
    chars: usize,
    limit: usize,
}

impl Squash {
    fn new(limit: usize) -> Self {
        Squash {
            out: String::with_capacity(limit.min(1024) + 64),
            gap: false,
            chars: 0,
            limit,
        }
    }

    fn push(&mut self, text: &str) {
        if self.chars >= self.limit {
            return;
        }
        if text.is_ascii() {
            self.push_ascii(text);
        } else {
            self.push_chars(text);
        }
    }

    fn push_chars(&mut self, text: &str) {
        let mut rest = text;
        while self.chars < self.limit {
            let word = rest.trim_start();
            self.gap |= word.len() != rest.len();
            if word.is_empty() {
                return;
            }
            let end = word.find(char::is_whitespace).unwrap_or(word.len());
            if self.gap && !self.out.is_empty() {
                self.out.push(' ');
                self.chars += 1;
            }
            self.gap = false;
            self.out.push_str(&word[..end]);
            self.chars += word[..end].chars().count();
            rest = &word[end..];
        }
    }

    /// `push` for ASCII text, a byte at a time rather than a character at a time:
    /// the same words and gaps, for what most text is.
    fn push_ascii(&mut self, text: &str) {
        // The ASCII characters `char::is_whitespace` takes (with vertical tab, which
        // `u8::is_ascii_whitespace` leaves out).
        let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
        let bytes = text.as_bytes();
        let mut i = 0;
        while self.chars < self.limit {
            let gap_start = i;
            while i < bytes.len() && space(bytes[i]) {
                i += 1;
            }
            self.gap |= i != gap_start;
            if i == bytes.len() {
                return;
            }
            let word = i;
            while i < bytes.len() && !space(bytes[i]) {
                i += 1;
            }
            if self.gap && !self.out.is_empty() {
                self.out.push(' ');
                self.chars += 1;
            }
            self.gap = false;
            self.out.push_str(&text[word..i]);
            self.chars += i - word;
        }
    }
}

/// A relative URL, a fragment, or http(s)/mailto: what ammonia would keep as written.
fn safe_url(url: &str) -> bool {
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end.map(|i| (&url[..i], &url[i..])) {
        Some((scheme, rest)) if rest.starts_with(':') => {
            matches!(
                scheme.to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto"
            )
        }
        _ => true,
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Headings without `{#id}` get one from their text, unique within the body.
fn note_id(prefix: &str, label: &str) -> String {
    format!("{prefix}fn-{}", crate::model::Slug::suggest(label))
}

fn add_heading_ids(events: &mut [Event], prefix: &str) {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = crate::model::Slug::suggest(&text);
            let base = if base.is_empty() {
                "section".to_string()
            } else {
                base
            };
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 {
                format!("{prefix}{base}")
            } else {
                format!("{prefix}{base}-{n}")
            };
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(id.into());
            }
            i = j;
        }
        i += 1;
    }
}

/// The allow-list is ammonia's default plus exactly what the renderer itself emits
/// (heading and footnote ids, citation and footnote classes, table alignment).
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    let headings = [
        HeadingLevel::H1,
        HeadingLevel::H2,
        HeadingLevel::H3,
        HeadingLevel::H4,
        HeadingLevel::H5,
        HeadingLevel::H6,
    ];
    for h in headings {
        b.add_tag_attributes(heading_tag(h), &["id"]);
    }
    b.add_tag_attributes("div", &["id"])
        .add_tag_attributes("li", &["id"])
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .add_allowed_classes(
            "sup",
            &["cite", "footnote-reference", "footnote-definition-label"],
        )
        .add_allowed_classes("div", &["footnote-definition"])
        .add_allowed_classes("section", &["footnotes"])
        .add_tags(&["section"])
        .link_rel(None);
    b
});

fn heading_tag(h: HeadingLevel) -> &'static str {
    match h {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_joins_words_with_single_spaces() {
        assert_eq!(squash("  a \n\t b\u{a0}c  "), "a b c");
        assert_eq!(squash(""), "");
        assert_eq!(squash(" \n "), "");
        let mut s = Squash::new(usize::MAX);
        for part in ["", " a", "b ", "", "c", "\u{2003}", "d"] {
            s.push(part);
        }
        assert_eq!(s.out, "ab c d");
        // A summary: whole words until the limit is reached, counted in characters.
        let mut s = Squash::new(5);
        for part in ["é b", " cd", " efgh ", "ij"] {
            s.push(part);
        }
        assert_eq!(s.out, "é b cd");
    }

    #[test]
    fn ascii_text_is_squashed_as_any_text_is() {
        let parts = [
            "",
            " ",
            "a",
            "ab cd",
            " x\ty\n",
            "\x0bv\x0cw\r",
            "end ",
            "  ",
            "z",
            "q r s t u",
        ];
        for limit in [0, 1, 3, 7, 12, usize::MAX] {
            for start in 0..parts.len() {
                let (mut fast, mut slow) = (Squash::new(limit), Squash::new(limit));
                for p in parts.iter().cycle().skip(start).take(parts.len()) {
                    fast.push_ascii(p);
                    slow.push_chars(p);
                    assert_eq!(
                        (&fast.out, fast.gap, fast.chars),
                        (&slow.out, slow.gap, slow.chars)
                    );
                }
            }
        }
    }

    #[test]
    fn citations_are_numbered_by_first_use_and_located() {
        let (body, cites) = render(
            "Signed in 2017 [@jabar]. Renewed [@pikiran; @jabar].\n",
            10,
            "",
            Html::Always,
        );
        assert!(
            body.html
                .contains("<sup class=\"cite\"><a href=\"#source-jabar\">[1]</a></sup>"),
            "{}",
            body.html
        );
        assert!(
            body.html
                .contains("<a href=\"#source-pikiran\">[2]</a><a href=\"#source-jabar\">[1]</a>")
        );
        assert_eq!(body.cited, ["jabar", "pikiran"]);
        assert_eq!(cites[0].span, 26..32, "points at `@jabar`");
        assert_eq!(
            cites[1].span,
            44..52,
            "points at `@pikiran` inside the group"
        );
        assert_eq!(cites.len(), 3);
    }

    #[test]
    fn author_script_is_removed_but_our_markup_kept() {
        let md = "## Sejarah\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n| a |\n|:-:|\n| b |\n\nNote[^1].\n\n[^1]: Foot.\n";
        let (body, _) = render(md, 0, "", Html::Always);
        assert!(!body.html.contains("<script"), "{}", body.html);
        assert!(!body.html.contains("onerror"));
        assert!(body.html.contains("<h2 id=\"sejarah\">"));
        assert!(body.html.contains("text-align"));
        assert!(body.html.contains("footnote-reference"));
    }

    #[test]
    fn translations_get_their_own_heading_and_footnote_ids() {
        let md = "## Awal\n\nA[^1].\n\n[^1]: B.\n";
        let (body, _) = render(md, 0, "en-", Html::Always);
        assert!(body.html.contains("<h2 id=\"en-awal\">"), "{}", body.html);
        assert!(body.html.contains("href=\"#en-fn-1\">1</a>"));
        assert!(body.html.contains("id=\"en-fn-1\""));
    }

    #[test]
    fn check_gets_the_html_of_a_body_only_when_it_links_within_the_site() {
        let cases = [
            (
                "Signed [@jabar]. See [the news](https://example.org/x).[^1]\n\n[^1]: N.\n",
                false,
            ),
            ("See [the mayor](../regions/kota-bandung.html).\n", true),
            ("See [the top](#awal) and ![map](map.png).\n", true),
            ("See <a href=\"https://example.org\">this</a>.\n", true),
            (
                "Write to [us](mailto:a@example.org) or [there](//example.org/).\n",
                false,
            ),
        ];
        for (md, kept) in cases {
            let (full, full_cites) = render(md, 0, "", Html::Always);
            let (light, light_cites) = render(md, 0, "", Html::WhenLinked);
            assert_eq!(light.html == full.html, kept, "{md}");
            if !kept {
                assert!(light.html.starts_with("<p>") && !light.html.contains("href"));
            }
            // What `check` reads besides the HTML is the same either way.
            assert_eq!((light.text, light.cited), (full.text, full.cited), "{md}");
            let spans =
                |c: Vec<Citation>| c.into_iter().map(|c| (c.key, c.span)).collect::<Vec<_>>();
            assert_eq!(spans(light_cites), spans(full_cites), "{md}");
        }
    }

    #[test]
    fn ordinary_brackets_stay_text() {
        let (body, cites) = render("See [note] and [@] here.", 0, "", Html::Always);
        assert!(cites.is_empty());
        assert!(body.html.contains("[note]"));
    }
}
