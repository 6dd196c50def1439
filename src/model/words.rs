//! Word splitting for models trained on pre-split words (the shipped
//! `ampel-ner-de` declares this in its `config.json` `ampel.words` block).
//!
//! A word is a maximal run of word characters — alphanumerics, `_` and
//! combining marks (so a decomposed "Mu\u{308}ller" stays one word) — or any
//! single other non-whitespace character: `Knie-OP,` is `Knie`, `-`, `OP`,
//! `,`. This must match `training/data/wordsplit.py` exactly; the parity test
//! against `golden.jsonl` checks it.

use unicode_normalization::char::is_combining_mark;

use crate::types::Span;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining_mark(c)
}

/// Byte spans of the words of `text`, in order.
pub fn split(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut run: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            run.get_or_insert(i);
            continue;
        }
        if let Some(s) = run.take() {
            out.push(Span::new(s, i));
        }
        if !c.is_whitespace() {
            out.push(Span::new(i, i + c.len_utf8()));
        }
    }
    if let Some(s) = run {
        out.push(Span::new(s, text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<&str> {
        split(t).into_iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn splits_like_the_training_code() {
        assert_eq!(
            words("Knie-OP, bitte!"),
            ["Knie", "-", "OP", ",", "bitte", "!"]
        );
        assert_eq!(
            words("Mu\u{308}ller  15.01."),
            ["Mu\u{308}ller", "15", ".", "01", "."]
        );
        assert_eq!(words("a_b 👋🏽x"), ["a_b", "👋", "🏽", "x"]);
        assert!(words(" \t\n").is_empty());
    }
}
