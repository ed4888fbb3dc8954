//! Questions `kembar new` asks on a terminal, with suggestions from the site's own slugs.
//! Generic over input and output so tests can answer them.

use super::{EntryKind, Refusal, refuse};
use crate::diag::suggest;
use std::io::{BufRead, Write};

pub struct Asker<R, W> {
    input: R,
    out: W,
}

/// How many matching slugs to show under a question.
const SHOWN: usize = 8;

impl<R: BufRead, W: Write> Asker<R, W> {
    pub fn new(input: R, out: W) -> Self {
        Asker { input, out }
    }

    /// One answer, trimmed; an empty answer or the end of input stops `kembar new`.
    fn line(&mut self, question: &str) -> Result<String, Refusal> {
        let _ = write!(self.out, "{question}: ");
        let _ = self.out.flush();
        let mut answer = String::new();
        let read = self
            .input
            .read_line(&mut answer)
            .map_err(|e| refuse(format!("cannot read the answer: {e}"), None))?;
        let answer = answer.trim().to_string();
        if read == 0 || answer.is_empty() {
            return Err(refuse("no answer given; nothing was written", None));
        }
        Ok(answer)
    }

    fn say(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
    }

    pub fn kind(&mut self) -> Result<EntryKind, Refusal> {
        loop {
            let a = self.line("What do you want to add? (partnership, region or partner)")?;
            match a.to_lowercase().as_str() {
                "partnership" | "kemitraan" | "kerja sama" => return Ok(EntryKind::Partnership),
                "region" | "daerah" | "wilayah" => return Ok(EntryKind::Region),
                "partner" | "mitra" => return Ok(EntryKind::Partner),
                _ => self.say("  please answer `partnership`, `region` or `partner`"),
            }
        }
    }

    /// The slug of an existing `what`, asked until it is one; the slugs that contain the
    /// answer (or the closest one) are shown after a miss.
    pub fn existing(&mut self, what: &str, known: &[String]) -> Result<String, Refusal> {
        let example = known
            .first()
            .map_or(String::new(), |k| format!(", e.g. {k}"));
        loop {
            let a = self.line(&format!("Slug of the {what}{example}"))?;
            if known.contains(&a) {
                return Ok(a);
            }
            let matching: Vec<&str> = known
                .iter()
                .map(String::as_str)
                .filter(|k| k.contains(a.as_str()))
                .take(SHOWN)
                .collect();
            let close = suggest(&a, known.iter().map(String::as_str));
            let hint = match (matching.as_slice(), close) {
                ([], Some(c)) => format!("did you mean `{c}`?"),
                ([], None) => format!(
                    "no {what} in this site has a slug like that; create it first with `kembar new {what}`"
                ),
                (m, _) => format!("{what}s in this site: {}", m.join(", ")),
            };
            self.say(&format!("  no {what} `{a}`; {hint}"));
        }
    }

    pub fn new_name(&mut self, question: &str, example: &str) -> Result<String, Refusal> {
        self.line(&format!("The new {question}, e.g. {example}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asker(input: &str) -> Asker<&[u8], Vec<u8>> {
        Asker::new(input.as_bytes(), Vec::new())
    }

    #[test]
    fn a_missed_slug_is_asked_again_with_the_matching_ones() {
        let known = vec![
            "bandung".to_string(),
            "bandung-barat".into(),
            "bogor".into(),
        ];
        let mut a = asker("band\nbandug-barat\nbogor\n");
        assert_eq!(a.existing("region", &known).ok(), Some("bogor".to_string()));
        let shown = String::from_utf8(a.out).unwrap_or_default();
        assert!(
            shown.contains("no region `band`; regions in this site: bandung, bandung-barat"),
            "{shown}"
        );
        assert!(
            shown.contains("no region `bandug-barat`; did you mean `bandung-barat`?"),
            "{shown}"
        );
    }

    #[test]
    fn an_empty_answer_stops_without_writing() {
        let err = asker("\n").kind().err().map(|r| r.message);
        assert_eq!(err.as_deref(), Some("no answer given; nothing was written"));
        assert!(asker("").existing("partner", &[]).is_err());
    }

    #[test]
    fn the_kind_is_asked_until_it_is_one_of_three() {
        assert_eq!(asker("city\nMitra\n").kind().ok(), Some(EntryKind::Partner));
    }
}
