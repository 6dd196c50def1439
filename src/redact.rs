//! Redaction and restore.
//!
//! [`redact`] replaces every entity with a placeholder `[LABEL_N]` (the same
//! surface string gets the same N within one text, numbered per label in
//! order of first appearance), or masks it, or writes only its category.
//! The [`Mapping`] from placeholder to original is the user's data: it is
//! returned to the caller and never logged.
//!
//! [`restore`] puts the originals back into an AI answer. It tolerates
//! placeholders that were moved, repeated, re-cased (`[person_1]`), spaced
//! (`[Person 1]`), markdown-escaped (`\[PERSON_1\]`) or dropped, and leaves
//! placeholders it does not know untouched.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::types::{Entity, Label};

/// How entities are replaced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RedactMode {
    /// `[PERSON_1]` — numbered, reversible with the mapping.
    #[default]
    Placeholder,
    /// `[PERSON]` — category only, not reversible.
    Category,
    /// `█████` — one block per character, not reversible.
    Mask,
}

impl FromStr for RedactMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "placeholder" => Ok(RedactMode::Placeholder),
            "category" => Ok(RedactMode::Category),
            "mask" => Ok(RedactMode::Mask),
            _ => Err(format!(
                "unknown redaction mode {s:?} (placeholder, category or mask)"
            )),
        }
    }
}

impl fmt::Display for RedactMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RedactMode::Placeholder => "placeholder",
            RedactMode::Category => "category",
            RedactMode::Mask => "mask",
        })
    }
}

/// One placeholder and the original it stands for.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingEntry {
    /// E.g. `[PERSON_1]`.
    pub placeholder: String,
    /// The entity label.
    pub label: Label,
    /// The original surface text.
    pub original: String,
}

// Never print originals, not even in debug output.
impl fmt::Debug for MappingEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MappingEntry")
            .field("placeholder", &self.placeholder)
            .field("label", &self.label)
            .field("original", &format_args!("<{} bytes>", self.original.len()))
            .finish()
    }
}

/// Placeholder → original, as written to `--map` files and sealed handles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// Format version of the mapping file.
    #[serde(default = "mapping_version")]
    pub version: u32,
    /// Entries in order of first appearance.
    pub entries: Vec<MappingEntry>,
}

fn mapping_version() -> u32 {
    1
}

impl Mapping {
    /// True when nothing was replaced.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn lookup(&self) -> HashMap<(Label, u32), &str> {
        let mut m = HashMap::new();
        for e in &self.entries {
            if let Some((label, n)) = parse_placeholder(&e.placeholder) {
                m.insert((label, n), e.original.as_str());
            }
        }
        m
    }
}

/// A redacted text and the mapping to undo it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Redaction {
    /// The text with every entity replaced.
    pub text: String,
    /// Placeholder → original (empty for mask and category modes).
    pub mapping: Mapping,
}

/// Replace `entities` (sorted, non-overlapping byte spans into `text`).
pub fn redact(text: &str, entities: &[Entity], mode: RedactMode) -> Redaction {
    let mut out = String::with_capacity(text.len());
    let mut mapping = Mapping {
        version: 1,
        entries: Vec::new(),
    };
    let mut numbers: HashMap<(Label, &str), u32> = HashMap::new();
    let mut next: HashMap<Label, u32> = HashMap::new();
    let mut pos = 0;
    for e in entities {
        let (Some(before), Some(surface)) = (
            text.get(pos..e.span.start),
            text.get(e.span.start..e.span.end),
        ) else {
            // Overlapping or invalid span: skip it rather than corrupt text.
            continue;
        };
        out.push_str(before);
        match mode {
            RedactMode::Placeholder => {
                let n = *numbers.entry((e.label, surface)).or_insert_with(|| {
                    let c = next.entry(e.label).or_insert(0);
                    *c += 1;
                    mapping.entries.push(MappingEntry {
                        placeholder: format!("[{}_{}]", e.label, *c),
                        label: e.label,
                        original: surface.to_string(),
                    });
                    *c
                });
                out.push_str(&format!("[{}_{}]", e.label, n));
            }
            RedactMode::Category => out.push_str(&format!("[{}]", e.label)),
            RedactMode::Mask => out.extend(surface.chars().map(|_| '█')),
        }
        pos = e.span.end;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    Redaction { text: out, mapping }
}

fn placeholder_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // [PERSON_1], [person 1], [Person-1], \[PERSON_1\], [ PERSON_1 ],
        // [ID_NUMBER_2], [ID NUMBER 2]
        Regex::new(r"(?i)\\?\[\s*([a-z]+(?:[ _-][a-z]+)*)[ _-]?(\d{1,6})\s*\\?\]")
            .expect("placeholder regex is valid. This is a bug.")
    })
}

fn parse_placeholder(s: &str) -> Option<(Label, u32)> {
    let c = placeholder_re().captures(s)?;
    let label = c[1].replace([' ', '-'], "_").parse::<Label>().ok()?;
    let n = c[2].parse().ok()?;
    Some((label, n))
}

/// Put the originals from `mapping` back into `answer`.
pub fn restore(answer: &str, mapping: &Mapping) -> String {
    let lookup = mapping.lookup();
    placeholder_re()
        .replace_all(answer, |c: &regex::Captures<'_>| {
            let whole = &c[0];
            parse_placeholder(whole)
                .and_then(|k| lookup.get(&k).map(|s| s.to_string()))
                .unwrap_or_else(|| whole.to_string())
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Source, Span};

    fn ent(s: usize, e: usize, l: Label) -> Entity {
        Entity {
            span: Span::new(s, e),
            label: l,
            score: 1.0,
            source: Source::Rule,
        }
    }

    #[test]
    fn same_surface_same_number() {
        let t = "Weber und Weber und Schulz";
        let r = redact(
            t,
            &[
                ent(0, 5, Label::Person),
                ent(10, 15, Label::Person),
                ent(20, 26, Label::Person),
            ],
            RedactMode::Placeholder,
        );
        assert_eq!(r.text, "[PERSON_1] und [PERSON_1] und [PERSON_2]");
        assert_eq!(r.mapping.entries.len(), 2);
        assert_eq!(restore(&r.text, &r.mapping), t);
    }

    #[test]
    fn restore_is_tolerant() {
        let t = "Frau Weber, weber@example.com";
        let r = redact(
            t,
            &[ent(5, 10, Label::Person), ent(12, 29, Label::Email)],
            RedactMode::Placeholder,
        );
        let answer =
            "Liebe [person_1], wir schreiben an \\[EMAIL_1\\]. [Person 1]! [PERSON_9] [ORT_1]";
        assert_eq!(
            restore(answer, &r.mapping),
            "Liebe Weber, wir schreiben an weber@example.com. Weber! [PERSON_9] [ORT_1]"
        );
    }

    #[test]
    fn multiword_labels_parse() {
        assert_eq!(
            parse_placeholder("[ID NUMBER 3]"),
            Some((Label::IdNumber, 3))
        );
        assert_eq!(
            parse_placeholder("[special_category_1]"),
            Some((Label::SpecialCategory, 1))
        );
    }

    #[test]
    fn mask_and_category() {
        let t = "Hallo Jörg!";
        let e = [ent(6, 11, Label::Person)];
        assert_eq!(redact(t, &e, RedactMode::Mask).text, "Hallo ████!");
        assert_eq!(redact(t, &e, RedactMode::Category).text, "Hallo [PERSON]!");
        assert!(redact(t, &e, RedactMode::Mask).mapping.is_empty());
    }

    #[test]
    fn debug_never_shows_originals() {
        let r = redact("Anna", &[ent(0, 4, Label::Person)], RedactMode::Placeholder);
        assert!(!format!("{:?}", r.mapping).contains("Anna"));
    }
}
