//! Detector for Art. 9 GDPR terms: HEALTH (diagnoses, symptoms, pregnancy,
//! disabilities and aids, care levels, medication, treatments, psychiatric
//! conditions) and SPECIAL_CATEGORY (religion, political opinion, union
//! membership, sexual orientation, ethnic origin, biometric and genetic
//! data).
//!
//! The terms live in `lexicons/health_*.txt` and `lexicons/special_*.txt`
//! and are matched by [`super::lexicon`] with inflections and compounds, so
//! "Diabetikerin", "Knie-OP", "Lungenkrebs" and "Krebserkrankung" all hit.
//! The span is the whole (hyphenated) word the term sits in.
//!
//! This module only finds accurate term spans. Whether a mention concerns a
//! person ("Diabetes ist eine Volkskrankheit" does not) is decided later by
//! the policy layer, so general statements still produce hits here.
//!
//! What it deliberately does *not* emit:
//! * Art. 9 terms that modify a product or accessibility compound
//!   ("Allergiker-Bettwäsche", "Diabetiker-Schokolade", "rollstuhlgerecht",
//!   "Rollstuhlrampe": they describe goods or places, not a person), listed
//!   in `lexicons/art9_not_person_heads.txt`;
//! * words in `lexicons/art9_exclude_words.txt` ("Flusskrebs", "Blindtext");
//! * a bare "OP" without a clinical context ("nach der OP" counts, "OP"
//!   in "OP-Saal"-free prose like "siehe OP" does not); hyphenated "Knie-OP"
//!   always counts.

use std::collections::HashSet;

use super::lexicon::{char_at, char_before, Flags, Form, LexMatch, Lexicon, Source, Variants};
use super::Detector;
use crate::types::{Hit, HitKind, Label};

/// Score of a term that is the whole word (possibly inflected).
pub(crate) const SCORE_WORD: f32 = 0.85;
/// Score of a term found inside a compound (head, modifier or hyphenated):
/// slightly less certain than a standalone word.
pub(crate) const SCORE_COMPOUND: f32 = 0.8;

const GROUP_HEALTH: u8 = 0;
const GROUP_SPECIAL: u8 = 1;

const IHMY: Flags = Flags {
    inflect: true,
    head: true,
    modifier: true,
    hyphen: true,
    case_sensitive: false,
};
const IY: Flags = Flags {
    inflect: true,
    head: false,
    modifier: false,
    hyphen: true,
    case_sensitive: false,
};

const SOURCES: &[Source] = &[
    Source {
        text: include_str!("lexicons/health_diagnoses.txt"),
        group: GROUP_HEALTH,
        defaults: IHMY,
    },
    Source {
        text: include_str!("lexicons/health_symptoms.txt"),
        group: GROUP_HEALTH,
        defaults: IHMY,
    },
    Source {
        text: include_str!("lexicons/health_pregnancy.txt"),
        group: GROUP_HEALTH,
        defaults: IHMY,
    },
    Source {
        text: include_str!("lexicons/health_disability.txt"),
        group: GROUP_HEALTH,
        defaults: IHMY,
    },
    Source {
        text: include_str!("lexicons/health_psych.txt"),
        group: GROUP_HEALTH,
        defaults: IHMY,
    },
    Source {
        text: include_str!("lexicons/health_treatment.txt"),
        group: GROUP_HEALTH,
        defaults: IHMY,
    },
    Source {
        text: include_str!("lexicons/health_medication.txt"),
        group: GROUP_HEALTH,
        defaults: IY,
    },
    Source {
        text: include_str!("lexicons/special_religion.txt"),
        group: GROUP_SPECIAL,
        defaults: IHMY,
    },
    Source {
        text: include_str!("lexicons/special_politics.txt"),
        group: GROUP_SPECIAL,
        defaults: IY,
    },
    Source {
        text: include_str!("lexicons/special_union.txt"),
        group: GROUP_SPECIAL,
        defaults: IHMY,
    },
    Source {
        text: include_str!("lexicons/special_orientation.txt"),
        group: GROUP_SPECIAL,
        defaults: IY,
    },
    Source {
        text: include_str!("lexicons/special_ethnic.txt"),
        group: GROUP_SPECIAL,
        defaults: IY,
    },
    Source {
        text: include_str!("lexicons/special_biometric.txt"),
        group: GROUP_SPECIAL,
        defaults: IHMY,
    },
];

const NOT_PERSON_HEADS: &str = include_str!("lexicons/art9_not_person_heads.txt");
const EXCLUDE_WORDS: &str = include_str!("lexicons/art9_exclude_words.txt");

/// Words right before a bare "OP" that make it the operation.
const OP_CONTEXT: &[&str] = &[
    "der",
    "die",
    "einer",
    "eine",
    "meiner",
    "meine",
    "seiner",
    "seine",
    "ihrer",
    "ihre",
    "deiner",
    "unserer",
    "nach",
    "vor",
    "zur",
    "geplante",
    "geplanten",
    "anstehende",
    "anstehenden",
    "ambulante",
    "ambulanten",
    "nächste",
    "nächsten",
    "letzte",
    "letzten",
    "wegen",
    "seit",
];

/// Care-level and disability-degree terms that take a number ("Pflegegrad
/// 3", "GdB 50", "Grad der Behinderung von 70").
const GRADED: &[&str] = &["pflegegrad", "pflegestufe", "gdb", "grad der behinderung"];

fn data_lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

/// Detector for HEALTH and SPECIAL_CATEGORY.
#[derive(Debug)]
pub(crate) struct Art9 {
    lexicon: Lexicon,
    not_person_heads: Vec<String>,
    exclude: HashSet<String>,
}

impl Art9 {
    pub(crate) fn new() -> Self {
        Art9 {
            lexicon: Lexicon::new(SOURCES, Variants::AnyCase),
            not_person_heads: data_lines(NOT_PERSON_HEADS)
                .map(str::to_lowercase)
                .collect(),
            exclude: data_lines(EXCLUDE_WORDS).map(str::to_lowercase).collect(),
        }
    }

    /// Is the rest of the word after the term a product/place head?
    fn modifies_non_person(&self, text: &str, m: &LexMatch) -> bool {
        let tail = text.get(m.inflected.end..m.word.end).unwrap_or("");
        if tail.is_empty() {
            return false;
        }
        let tail = tail.trim_start_matches('-').to_lowercase();
        // Skip a linking element ("Allergiker|s|…", "Behinderte|n|…").
        let cands = [
            tail.as_str(),
            tail.get(1..).unwrap_or(""),
            tail.get(2..).unwrap_or(""),
        ];
        cands.iter().any(|t| {
            !t.is_empty()
                && self
                    .not_person_heads
                    .iter()
                    .any(|h| t.starts_with(h.as_str()))
        })
    }

    fn accept(&self, text: &str, m: &LexMatch) -> Option<Hit> {
        let term = self.lexicon.term(m.term);
        let word = text.get(m.word.start..m.word.end)?;
        if self.exclude.contains(&word.to_lowercase()) {
            return None;
        }
        if matches!(m.form, Form::Modifier | Form::Hyphen) && self.modifies_non_person(text, m) {
            return None;
        }
        if term.text == "OP" && m.form == Form::Word && !op_context(text, m.term_span.start) {
            return None;
        }
        let mut end = m.word.end;
        if GRADED.contains(&term.text.to_lowercase().as_str()) {
            end = grade_end(text, end);
        }
        let label = if term.group == GROUP_SPECIAL {
            Label::SpecialCategory
        } else {
            Label::Health
        };
        let score = if m.form == Form::Word {
            SCORE_WORD
        } else {
            SCORE_COMPOUND
        };
        Some(Hit::new(m.word.start, end, label, score, HitKind::Lexicon))
    }
}

/// Is the word before byte `s` one that makes a bare "OP" an operation?
fn op_context(text: &str, s: usize) -> bool {
    let before = text.get(..s).unwrap_or("").trim_end();
    let prev = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let prev = prev.to_lowercase();
    OP_CONTEXT.contains(&prev.as_str())
}

/// Extend a graded term over a following number: "Pflegegrad 3", "GdB von
/// 50", "Pflegestufe II".
fn grade_end(text: &str, end: usize) -> usize {
    let rest = text.get(end..).unwrap_or("");
    let trimmed = rest.trim_start_matches([' ', ':']);
    let mut off = rest.len() - trimmed.len();
    let mut t = trimmed;
    if let Some(r) = t.strip_prefix("von ") {
        off += 4;
        t = r.trim_start();
        off += r.len() - t.len();
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let roman = t.bytes().take_while(|b| matches!(b, b'I' | b'V')).count();
    let n = if digits > 0 && digits <= 3 {
        digits
    } else if (1..=3).contains(&roman) {
        roman
    } else {
        return end;
    };
    if off == 0 {
        return end;
    }
    let new_end = end + off + n;
    // The number must end the token.
    if char_at(text, new_end).is_some_and(|c| c.is_alphanumeric()) {
        return end;
    }
    debug_assert!(char_before(text, new_end).is_some());
    new_end
}

impl Detector for Art9 {
    fn name(&self) -> &'static str {
        "art9"
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        let mut matches = Vec::new();
        self.lexicon.find(text, &mut matches);
        let mut hits: Vec<Hit> = matches
            .iter()
            .filter_map(|m| self.accept(text, m))
            .collect();
        // One hit per word: keep the longest of overlapping hits.
        hits.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(b.span.len().cmp(&a.span.len()))
        });
        let mut last_end = 0;
        for h in hits {
            if h.span.start < last_end {
                continue;
            }
            last_end = h.span.end;
            out.push(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> &'static Art9 {
        static D: std::sync::OnceLock<Art9> = std::sync::OnceLock::new();
        D.get_or_init(Art9::new)
    }

    fn found(text: &str) -> Vec<(String, Label)> {
        let mut out = Vec::new();
        shared().detect(text, &mut out);
        out.iter()
            .map(|h| (text[h.span.start..h.span.end].to_string(), h.label))
            .collect()
    }

    fn words(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(w, _)| w).collect()
    }

    #[test]
    fn spec_example_pregnancy() {
        let t = "Ich bin schwanger und brauche die Babyausstattung dringend.";
        assert_eq!(found(t), vec![("schwanger".to_string(), Label::Health)]);
    }

    #[test]
    fn general_statement_still_yields_span() {
        assert_eq!(
            words("Diabetes ist eine Volkskrankheit."),
            vec!["Diabetes", "Volkskrankheit"]
        );
    }

    #[test]
    fn inflections_and_compounds() {
        assert_eq!(words("Meine Frau ist Diabetikerin."), vec!["Diabetikerin"]);
        assert_eq!(words("nach seiner Knie-OP"), vec!["Knie-OP"]);
        assert_eq!(words("die Kniegelenk-OP ist vorbei"), vec!["Kniegelenk-OP"]);
        assert_eq!(
            words("wegen Bandscheibenvorfall"),
            vec!["Bandscheibenvorfall"]
        );
        assert_eq!(words("seine Krebserkrankung"), vec!["Krebserkrankung"]);
        assert_eq!(words("Lungenkrebs im Endstadium"), vec!["Lungenkrebs"]);
        assert_eq!(words("starke Kopfschmerzen"), vec!["Kopfschmerzen"]);
        assert_eq!(words("ihre Schwangerschaft"), vec!["Schwangerschaft"]);
        assert_eq!(words("die schwangere Kundin"), vec!["schwangere"]);
        assert_eq!(words("Ich nehme Ibuprofen 600."), vec!["Ibuprofen"]);
        assert_eq!(words("SPD-Mitglied seit 1990"), vec!["SPD-Mitglied"]);
        assert_eq!(
            words("Er ist Gewerkschaftsmitglied."),
            vec!["Gewerkschaftsmitglied"]
        );
        assert_eq!(words("bei ver.di organisiert"), vec!["ver.di"]);
        assert_eq!(words("Mitglied der IG Metall"), vec!["IG Metall"]);
        assert_eq!(words("DNA-Test bestellt"), vec!["DNA-Test"]);
        assert_eq!(words("Wir sind katholisch."), vec!["katholisch"]);
        assert_eq!(words("meinem schwulen Bruder"), vec!["schwulen"]);
    }

    #[test]
    fn graded_terms_take_their_number() {
        assert_eq!(words("Mutter hat Pflegegrad 3."), vec!["Pflegegrad 3"]);
        assert_eq!(words("GdB 50 anerkannt"), vec!["GdB 50"]);
        assert_eq!(words("Pflegestufe II"), vec!["Pflegestufe II"]);
        assert_eq!(words("Pflegegrad: 2024er"), vec!["Pflegegrad"]);
    }

    #[test]
    fn bare_op_needs_context() {
        assert_eq!(words("nach der OP bin ich"), vec!["OP"]);
        assert!(words("Siehe OP im Thread").is_empty());
        assert!(words("Im Shop gibt es Oper").is_empty());
    }

    #[test]
    fn product_and_accessibility_compounds_are_dropped() {
        assert!(words("Allergiker-Bettwäsche im Angebot").is_empty());
        assert!(words("Diabetiker-Schokolade").is_empty());
        assert!(words("Diabetikerschokolade").is_empty());
        assert!(words("Der Eingang ist rollstuhlgerecht.").is_empty());
        assert!(words("behindertengerechte Toilette").is_empty());
        assert_eq!(
            words("Mein Vater ist Rollstuhlfahrer."),
            vec!["Rollstuhlfahrer"]
        );
    }

    #[test]
    fn near_misses() {
        assert!(words("Flusskrebs mit Dill").is_empty());
        assert!(words("Er besucht uns, sie sucht etwas.").is_empty());
        assert!(words("Bitte Blindtext ersetzen.").is_empty());
        assert!(words("eine gute Kooperation").is_empty());
        assert!(words("Das Lithium-Akku-Pack").is_empty());
        assert!(words("die Taube auf dem Dach").is_empty());
    }

    #[test]
    fn keeps_zodiac_krebs() {
        assert_eq!(words("Sternzeichen Krebs"), vec!["Krebs"]);
    }

    #[test]
    fn umlauts_emoji_and_char_boundaries() {
        let t = "😷Migräne😷 und Übelkeit, ÜBELKEIT!";
        let f = words(t);
        assert_eq!(f, vec!["Migräne", "Übelkeit", "ÜBELKEIT"]);
    }
}
