//! Shouted lines: what case-reading detectors see instead of an ALL-CAPS
//! line.
//!
//! On a line in capitals ("BITTE RUFEN SIE MICH AN, HILDBURG FUCHS") letter
//! case says nothing, yet two detectors read it: the model learned German
//! from ordinarily cased text and misses names and health terms there, and
//! the name rules take a capital for "a name may go on here" and run
//! "HERR KOCH AUS DER LINDENSTRASSE" into one name. Both get a copy of the
//! text in which German function words — articles, prepositions, pronouns,
//! auxiliaries, a closed class — of shouted lines are lower case, as they
//! are in ordinary text:
//! - [`unshout`], for the model, also writes every other word with an
//!   initial capital only ("Bitte Rufen sie mich an, Hildburg Fuchs");
//! - [`quiet_function_words`], for the name rules, leaves the other words in
//!   capitals ("HERR KOCH aus der LINDENSTRASSE"): an initial capital on
//!   every verb would make each one a name candidate.
//!
//! The copy has the same bytes at the same offsets except for letters whose
//! lower case has the same UTF-8 length, so every span found in it is the
//! same span of the original. Lines with ordinary casing, acronyms among
//! them ("die AOK hat …"), are left as they are.

use std::borrow::Cow;

/// A line is shouted when it has at least this many words of two or more
/// letters…
const MIN_WORDS: usize = 2;
/// …and at least this share of them has no lower-case letter.
const MIN_SHOUTED_SHARE: f32 = 0.75;

/// Function words (lower case), written in lower case inside a shouted line
/// unless they start it.
const FUNCTION_WORDS: &[&str] = &[
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "beim", "bin", "bis", "bist", "da",
    "dann", "das", "dass", "dem", "den", "denn", "der", "des", "die", "dies", "diese", "diesem",
    "diesen", "dieser", "dieses", "doch", "du", "durch", "ein", "eine", "einem", "einen", "einer",
    "eines", "er", "es", "für", "gegen", "habe", "haben", "hat", "hatte", "ich", "ihm", "ihn",
    "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "im", "in", "ins", "ist", "ja", "kann",
    "kein", "keine", "mein", "meine", "meinem", "meinen", "meiner", "mich", "mir", "mit", "muss",
    "nach", "nicht", "noch", "nur", "ob", "oder", "ohne", "schon", "sehr", "sein", "seine",
    "seinem", "seinen", "seiner", "seit", "sich", "sie", "sind", "so", "um", "und", "uns", "unser",
    "unsere", "unter", "vom", "von", "vor", "war", "waren", "was", "weil", "wenn", "wer", "wie",
    "wir", "wird", "wurde", "zu", "zum", "zur", "über",
];

/// `text` with its shouted lines re-cased for the model (see the module
/// doc); borrowed when there is none.
pub fn unshout(text: &str) -> Cow<'_, str> {
    view(text, Style::Initials)
}

/// `text` with only the function words of its shouted lines lower-cased
/// ("HERR KOCH aus der LINDENSTRASSE"): what the name rules read; borrowed
/// when there is none.
pub fn quiet_function_words(text: &str) -> Cow<'_, str> {
    view(text, Style::FunctionWords)
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// Function words lower case, every other word with an initial capital.
    Initials,
    /// Function words lower case, every other word as it is.
    FunctionWords,
}

fn view(text: &str, style: Style) -> Cow<'_, str> {
    if !text.lines().any(is_shouted) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if is_shouted(line) {
            recase(line, style, &mut out);
        } else {
            out.push_str(line);
        }
    }
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

/// A line is shouted when, among its words (maximal runs of alphabetic
/// characters) of two or more letters, there are [`MIN_WORDS`] and the
/// share without a lower-case letter reaches [`MIN_SHOUTED_SHARE`]. One pass
/// over the characters: every text goes through here, shouted or not.
fn is_shouted(line: &str) -> bool {
    let (mut words_2, mut shouted) = (0usize, 0usize);
    let (mut letters, mut lower) = (0usize, false);
    for c in line.chars().chain(std::iter::once(' ')) {
        if c.is_alphabetic() {
            letters += 1;
            lower |= c.is_lowercase();
            continue;
        }
        if letters >= 2 {
            words_2 += 1;
            shouted += usize::from(!lower);
        }
        (letters, lower) = (0, false);
    }
    words_2 >= MIN_WORDS && shouted as f32 >= MIN_SHOUTED_SHARE * words_2 as f32
}

/// Append `line` with its function words lower-cased (not the line's first
/// word) and, in [`Style::Initials`], every other word too except its first
/// letter — each letter only where its lower case is one character of the
/// same length.
fn recase(line: &str, style: Style, out: &mut String) {
    let mut first_word = true;
    let mut rest = line;
    while let Some(start) = rest.find(char::is_alphabetic) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let (word, tail) = rest.split_at(end);
        let lower = word.to_lowercase();
        let function_word = !first_word && FUNCTION_WORDS.contains(&lower.as_str());
        let keep_initial = !function_word;
        if style == Style::FunctionWords && keep_initial {
            out.push_str(word);
        } else {
            recase_word(word, keep_initial, out);
        }
        first_word = false;
        rest = tail;
    }
    out.push_str(rest);
}

/// Append `word` lower-cased, its first letter kept when `keep_initial`;
/// a letter whose lower case has another length stays as it is.
fn recase_word(word: &str, keep_initial: bool, out: &mut String) {
    for (i, c) in word.chars().enumerate() {
        let mut l = c.to_lowercase();
        match (l.next(), l.next()) {
            (Some(l), None) if (i > 0 || !keep_initial) && l.len_utf8() == c.len_utf8() => {
                out.push(l)
            }
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shouted_lines_get_initial_capitals() {
        assert_eq!(
            unshout("BITTE RUFEN SIE MICH AN, HILDBURG FUCHS"),
            "Bitte Rufen sie mich an, Hildburg Fuchs"
        );
        assert_eq!(
            unshout("Hallo,\nICH HABE SEIT DER OP SCHMERZEN.\nGruß Anna"),
            "Hallo,\nIch habe seit der Op Schmerzen.\nGruß Anna"
        );
        // Umlauts keep their length; a hyphen separates two words.
        assert_eq!(unshout("FRAU ÖZTÜRK-MÜLLER"), "Frau Öztürk-Müller");
        assert_eq!(
            unshout("HERR KOCH AUS DER LINDENSTRASSE 5"),
            "Herr Koch aus der Lindenstrasse 5"
        );
        assert_eq!(unshout("DIE KUNDIN IST SAUER"), "Die Kundin ist Sauer");
    }

    #[test]
    fn ordinary_lines_and_acronyms_stay() {
        for t in [
            "Die AOK hat den Antrag abgelehnt.",
            "IBAN DE89 3704 0044 0532 0130 00 bei der Sparkasse",
            "GmbH",
            "OK",
            "",
            "Herr MÜLLER hat angerufen, bitte zurückrufen.",
        ] {
            assert!(matches!(unshout(t), Cow::Borrowed(_)), "{t:?}");
        }
    }

    #[test]
    fn byte_offsets_never_move() {
        // 'ẞ' lower-cases to 'ß' (3 → 2 bytes) and 'İ' to two characters:
        // both stay as they are.
        for t in [
            "STRAẞE UND WEG",
            "İSTANBUL İZMİR ANKARA",
            "ÄRGER MIT DER ÜBERWEISUNG\r\n",
        ] {
            let u = unshout(t);
            assert_eq!(u.len(), t.len(), "{t:?}");
            for ((i, a), (j, b)) in t.char_indices().zip(u.char_indices()) {
                assert_eq!(i, j);
                assert_eq!(a.len_utf8(), b.len_utf8());
            }
        }
        assert_eq!(unshout("STRAẞE UND WEG"), "Straẞe und Weg");
    }

    #[test]
    fn the_name_rules_view_only_quiets_function_words() {
        assert_eq!(
            quiet_function_words("HERR KOCH AUS DER LINDENSTRASSE 5 HAT ANGERUFEN"),
            "HERR KOCH aus der LINDENSTRASSE 5 hat ANGERUFEN"
        );
        // The first word of a line keeps its capitals; ordinary lines stay.
        assert_eq!(
            quiet_function_words("Gruß\nDIE KUNDIN IST SAUER"),
            "Gruß\nDIE KUNDIN ist SAUER"
        );
        let t = "Herr MÜLLER hat angerufen.";
        assert!(matches!(quiet_function_words(t), Cow::Borrowed(b) if b == t));
    }
}
