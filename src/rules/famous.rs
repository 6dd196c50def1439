//! Detector for PERSON by a list of famous people (`lexicons/names_famous.txt`)
//! named by their surname alone in the genitive: "Bismarcks
//! Sozialgesetzgebung", "Heines Versepos", "Tsitsipas' neuer Trainer".
//!
//! The NER model finds such people by their full name and mostly alone, but
//! misses or over-extends the genitive of a bare surname at the start of a
//! sentence ("Heines Versepos" read as one name). The list leaves out
//! surnames that are German words ("Bach", "Kohl", "Mann"); the genitive is
//! matched only as written (name + "s", or name + apostrophe after s/x/z/ß)
//! and not after an article ("des Strauß'" is a bouquet's). So a hit is sure
//! enough to be a [`HitKind::Pattern`], and the analyzer also ends a longer
//! model name there ([`crate::rules::RuleSet::genitive_names`]).

use super::lexicon::{char_at, char_before, Flags, Form, LexMatch, Lexicon, Source, Variants};
use super::Detector;
use crate::types::{Hit, HitKind, Label, Span};

/// A famous surname in the genitive.
pub(crate) const SCORE_FAMOUS_GENITIVE: f32 = 0.8;

const FLAGS: Flags = Flags {
    inflect: true,
    head: false,
    modifier: false,
    hyphen: false,
    case_sensitive: true,
};

const SOURCES: &[Source] = &[Source {
    text: include_str!("lexicons/names_famous.txt"),
    group: 0,
    defaults: FLAGS,
}];

/// Words (lower-cased) before which a genitive "s" belongs to a noun, not
/// a name.
const ARTICLES: &[&str] = &[
    "der", "die", "das", "des", "dem", "den", "ein", "eines", "einer",
];

/// Detector for famous people in the genitive.
#[derive(Debug)]
pub(crate) struct Famous {
    lexicon: Lexicon,
}

impl Famous {
    pub(crate) fn new() -> Self {
        Famous {
            lexicon: Lexicon::new(SOURCES, Variants::Cased),
        }
    }

    /// End of the genitive at match `m` ("Bismarck|s", "Tsitsipas|'"), if
    /// it is one.
    fn genitive_end(&self, text: &str, m: &LexMatch) -> Option<usize> {
        let term = self.lexicon.term(m.term);
        let (s, e) = (m.term_span.start, m.term_span.end);
        if m.form != Form::Word || text.get(s..e) != Some(term.text.as_str()) {
            return None;
        }
        let sibilant = term.text.ends_with(['s', 'x', 'z', 'ß']);
        let end = match char_at(text, e) {
            Some('s') if !sibilant && m.inflected.end == e + 1 => e + 1,
            Some(c @ ('\'' | '’')) if sibilant && m.inflected.end == e => e + c.len_utf8(),
            _ => return None,
        };
        if char_at(text, end).is_some_and(char::is_alphanumeric) {
            return None;
        }
        // "(Bismarcks" is fine, "-Bismarcks" is part of a compound.
        match char_before(text, s) {
            None | Some('(' | '"' | '„' | '“' | '\'' | '»' | '«') => {}
            Some(c) if c.is_whitespace() => {}
            Some(_) => return None,
        }
        let previous = text
            .get(..s)?
            .trim_end()
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        (!ARTICLES.contains(&previous.to_lowercase().as_str())).then_some(end)
    }

    /// The famous surnames in the genitive in `text`, in text order.
    pub(crate) fn genitives(&self, text: &str) -> Vec<Span> {
        let mut matches = Vec::new();
        self.lexicon.find(text, &mut matches);
        let mut out: Vec<Span> = matches
            .iter()
            .filter_map(|m| {
                self.genitive_end(text, m)
                    .map(|end| Span::new(m.term_span.start, end))
            })
            .collect();
        out.sort_by_key(|s| (s.start, s.end));
        out.dedup();
        out
    }
}

impl Detector for Famous {
    fn name(&self) -> &'static str {
        "famous"
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        out.extend(self.genitives(text).into_iter().map(|g| {
            Hit::new(
                g.start,
                g.end,
                Label::Person,
                SCORE_FAMOUS_GENITIVE,
                HitKind::Pattern,
            )
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Famous::new().detect(text, &mut out);
        out.iter()
            .map(|h| text[h.span.start..h.span.end].to_string())
            .collect()
    }

    #[test]
    fn famous_surnames_in_the_genitive() {
        assert_eq!(
            found("Bismarcks Sozialgesetzgebung und Heines Versepos"),
            vec!["Bismarcks", "Heines"]
        );
        assert_eq!(
            found("Tsitsipas' neuer Trainer, (Marx’ Kapital), Linnés System"),
            vec!["Tsitsipas'", "Marx’", "Linnés"]
        );
    }

    #[test]
    fn no_name_without_the_genitive_or_after_an_article() {
        // The bare name is the model's to find; "s" after a sibilant, other
        // endings, compounds, capitals and articles are no genitive.
        assert!(found("Bismarck sprach. Marxs Kapital. Goethes-Preis").is_empty());
        assert!(found("die Goethen, Anti-Goethes, GOETHES Werk").is_empty());
        assert!(found("des Schmidts Werkstatt, die Wagners").is_empty());
        assert_eq!(found("Webers"), vec!["Webers"]);
    }
}
