//! Lexicons: term lists embedded with `include_str!` from `lexicons/*.txt`,
//! compiled into one Aho-Corasick automaton per lexicon group, and matched
//! with whole-word boundaries plus German inflection and compound handling.
//!
//! This module owns the data-file format and the matching semantics; what a
//! match *means* (which label, which score, which extra context it needs) is
//! up to the detector that owns the lexicon (`art9.rs`, `names.rs`,
//! `orgs.rs`).
//!
//! # File format
//!
//! One term per line. `#` starts a comment, blank lines are ignored. A line
//! is `TERM`, `TERM<TAB>CATEGORY` or `TERM<TAB>CATEGORY<TAB>FLAGS`:
//!
//! * `CATEGORY` is free text the owning detector interprets (`-` or empty
//!   for none), e.g. `diagnosis`, `city`, `amb` (ambiguous word).
//! * `FLAGS`, when present, *replaces* the file's default flags for that
//!   term. Letters: `i` inflection suffixes (`-e`, `-en`, `-er`, `-es`, `-n`,
//!   `-s`, `-ern`, `-in`, `-innen` …), `h` the term may be the head (end) of
//!   a closed compound (`Lungen|krebs`), `m` the term may be the modifier
//!   (start) of a closed compound (`Krebs|erkrankung`), `y` hyphenated
//!   compounds (`Knie-|OP`, `AfD-|Mitglied`), `c` case-sensitive, `x` none of
//!   these (whole word only). A term written entirely in upper case (`HIV`,
//!   `ADHS`) is always case-sensitive.
//!
//! Head and modifier compounds apply only to terms of at least
//! [`MIN_COMPOUND_LEN`] characters, so short terms cannot fire inside
//! unrelated words (`op` in `Shop`).
//!
//! # Matching
//!
//! Case-insensitivity is implemented by adding case variants of every term
//! (as written, lower case, capitalised, upper case) to a case-sensitive
//! automaton, so umlauts and `ß` fold correctly without copying or
//! lower-casing the haystack (which would shift byte offsets). Candidates
//! are found with an overlapping search and each is then checked against
//! the word boundaries its flags allow. When no term may end a closed
//! compound (no `h` flag: names, places, organisations), a match can only
//! start where the previous character is not a word character, so the
//! automaton is run *anchored* at those positions only (and only where the
//! first byte can start some term) instead of over every byte; lexicons with
//! compound heads (Art. 9) scan the whole text. Words are runs of alphanumeric
//! characters; a hyphen between two alphanumeric characters joins words into
//! one compound token.

use std::collections::HashMap;

use aho_corasick::automaton::OverlappingState;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::types::Span;

/// Shortest term (in characters) allowed to match inside a closed compound.
pub(crate) const MIN_COMPOUND_LEN: usize = 4;

/// Inflection endings accepted after a stem when the `i` flag is set.
const SUFFIXES: &[&str] = &[
    "e", "en", "er", "es", "em", "n", "s", "ern", "ens", "in", "innen", "nen", "se", "sen",
];

/// Shortest rest (in characters) after a modifier that counts as a compound
/// head rather than noise.
const MIN_HEAD_LEN: usize = 3;

/// Matching flags of one term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    /// Inflection suffixes allowed.
    pub inflect: bool,
    /// May end a closed compound.
    pub head: bool,
    /// May start a closed compound.
    pub modifier: bool,
    /// May be part of a hyphenated compound.
    pub hyphen: bool,
    /// Case-sensitive.
    pub case_sensitive: bool,
}

impl Flags {
    /// Whole word only, case-insensitive.
    pub const EXACT: Flags = Flags {
        inflect: false,
        head: false,
        modifier: false,
        hyphen: false,
        case_sensitive: false,
    };

    /// Parse a flag string such as `"ihmy"`.
    fn parse(s: &str) -> Flags {
        let mut f = Flags::EXACT;
        for c in s.chars() {
            match c {
                'i' => f.inflect = true,
                'h' => f.head = true,
                'm' => f.modifier = true,
                'y' => f.hyphen = true,
                'c' => f.case_sensitive = true,
                _ => {}
            }
        }
        f
    }
}

/// Which case variants of each term go into the automaton.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Variants {
    /// As written and upper case (names, places, organisations): `anna`
    /// never matches `Anna`.
    Cased,
    /// As written, lower case, capitalised and upper case.
    AnyCase,
}

/// One embedded data file and how its terms match.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Source {
    /// The file's text (from `include_str!`).
    pub text: &'static str,
    /// Caller-defined group number (e.g. which label the file feeds).
    pub group: u8,
    /// Flags for terms without a `FLAGS` column.
    pub defaults: Flags,
}

/// One term after parsing.
#[derive(Clone, Debug)]
pub(crate) struct Term {
    /// The term as written in the file.
    pub text: String,
    /// The `CATEGORY` column (empty when absent).
    pub category: String,
    /// The group of the file it came from.
    pub group: u8,
    /// Effective flags.
    pub flags: Flags,
}

/// How a match relates to the word it sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// The whole word is the term, possibly with an inflection suffix.
    Word,
    /// The term ends a closed compound (`Lungenkrebs`).
    Head,
    /// The term starts a closed compound (`Krebserkrankung`).
    Modifier,
    /// The term is one part of a hyphenated compound (`Knie-OP`).
    Hyphen,
}

/// A validated lexicon match.
#[derive(Clone, Debug)]
pub(crate) struct LexMatch {
    /// Index into [`Lexicon::term`].
    pub term: usize,
    /// The bytes the term itself matched.
    pub term_span: Span,
    /// The term plus an accepted inflection suffix.
    pub inflected: Span,
    /// The whole (possibly hyphenated) word the term sits in.
    pub word: Span,
    /// How the term sits in the word.
    pub form: Form,
}

/// A compiled lexicon group.
#[derive(Debug)]
pub(crate) struct Lexicon {
    ac: AhoCorasick,
    /// Pattern id → term index.
    pattern_term: Vec<u32>,
    terms: Vec<Term>,
    /// `Some(first bytes)` when no term may start inside a word: the
    /// automaton is then anchored, and `first[b]` says whether some pattern
    /// starts with byte `b`.
    anchored: Option<Box<[bool; 256]>>,
}

/// Parse the lines of one source into terms.
fn parse_source(src: &Source, out: &mut Vec<Term>) {
    for line in src.text.lines() {
        let line = match line.find('#') {
            Some(i) => &line[..i],
            None => line,
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let term = cols.next().unwrap_or("").trim();
        if term.is_empty() {
            continue;
        }
        let category = cols.next().map(str::trim).unwrap_or("");
        let category = if category == "-" { "" } else { category };
        let mut flags = match cols.next().map(str::trim) {
            Some(f) if !f.is_empty() => Flags::parse(f),
            _ => src.defaults,
        };
        let letters = term.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 2 && !term.chars().any(char::is_lowercase) {
            flags.case_sensitive = true;
        }
        if term.chars().count() < MIN_COMPOUND_LEN {
            flags.head = false;
            flags.modifier = false;
        }
        out.push(Term {
            text: term.to_string(),
            category: category.to_string(),
            group: src.group,
            flags,
        });
    }
}

/// `s` with its first character upper-cased and the rest unchanged.
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Lexicon {
    /// Parse and compile the given sources into one automaton.
    pub(crate) fn new(sources: &[Source], variants: Variants) -> Lexicon {
        Lexicon::build(sources, variants, true)
    }

    /// Like [`Lexicon::new`], but `allow_anchored: false` forces the
    /// whole-text scan even where word-start search would do (tests compare
    /// the two).
    fn build(sources: &[Source], variants: Variants, allow_anchored: bool) -> Lexicon {
        let mut terms = Vec::new();
        for s in sources {
            parse_source(s, &mut terms);
        }
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_term = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            let mut vs = vec![t.text.clone()];
            if !t.flags.case_sensitive {
                vs.push(t.text.to_uppercase());
                if variants == Variants::AnyCase {
                    let lower = t.text.to_lowercase();
                    vs.push(capitalize(&lower));
                    vs.push(lower);
                }
            }
            for v in vs {
                if v.is_empty() || seen.contains_key(&v) {
                    continue;
                }
                let idx = u32::try_from(i).expect("lexicon has < 2^32 terms. This is a bug.");
                seen.insert(v.clone(), idx);
                patterns.push(v);
                pattern_term.push(idx);
            }
        }
        let anchored = if allow_anchored && terms.iter().all(|t| !t.flags.head) {
            let mut first = Box::new([false; 256]);
            for p in &patterns {
                if let Some(&b) = p.as_bytes().first() {
                    first[usize::from(b)] = true;
                }
            }
            Some(first)
        } else {
            None
        };
        let start_kind = if anchored.is_some() {
            StartKind::Anchored
        } else {
            StartKind::Unanchored
        };
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .start_kind(start_kind)
            .build(&patterns)
            .expect("embedded lexicons compile. This is a bug.");
        Lexicon {
            ac,
            pattern_term,
            terms,
            anchored,
        }
    }

    /// The term with index `i`.
    pub(crate) fn term(&self, i: usize) -> &Term {
        &self.terms[i]
    }

    /// All terms, in file order.
    pub(crate) fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Number of terms.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.terms.len()
    }

    /// Every validated match in `text`: ordered by start offset for
    /// word-start lexicons, by end offset for the others (callers that need
    /// an order sort their hits themselves).
    pub(crate) fn find(&self, text: &str, out: &mut Vec<LexMatch>) {
        let Some(first) = &self.anchored else {
            for m in self.ac.find_overlapping_iter(text) {
                self.check(text, m, out);
            }
            return;
        };
        let bytes = text.as_bytes();
        let mut from = 0;
        // Patterns are strings, so `first` never holds a UTF-8
        // continuation byte: every hit of this scan is a char boundary.
        while let Some(off) = bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| first[usize::from(b)]))
        {
            let i = from + off;
            from = i + 1;
            if char_before(text, i).is_some_and(is_word_char) {
                continue;
            }
            let input = Input::new(text).span(i..text.len()).anchored(Anchored::Yes);
            let mut state = OverlappingState::start();
            // Cannot fail: the automaton was built for anchored searches.
            while self
                .ac
                .try_find_overlapping(input.clone(), &mut state)
                .is_ok()
            {
                let Some(m) = state.get_match() else { break };
                // Suffix matches inherited from failure states start later.
                if m.start() == i {
                    self.check(text, m, out);
                }
            }
        }
    }

    /// Validate one automaton match and keep it if its boundaries fit.
    fn check(&self, text: &str, m: aho_corasick::Match, out: &mut Vec<LexMatch>) {
        let Some(&ti) = self.pattern_term.get(m.pattern().as_usize()) else {
            return;
        };
        let ti = ti as usize;
        let Some(term) = self.terms.get(ti) else {
            return;
        };
        if let Some(lm) = validate(text, ti, term, m.start(), m.end()) {
            out.push(lm);
        }
    }
}

/// A character that makes up words.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The character just before byte `i` (on a char boundary).
#[inline]
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// The character starting at byte `i` (on a char boundary).
#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// Start of the hyphen-joined word containing byte `i`.
pub(crate) fn word_start(text: &str, mut i: usize) -> usize {
    loop {
        match char_before(text, i) {
            Some(c) if is_word_char(c) => i -= c.len_utf8(),
            Some('-') if char_before(text, i - 1).is_some_and(is_word_char) => i -= 1,
            _ => return i,
        }
    }
}

/// End of the hyphen-joined word containing byte `i`.
pub(crate) fn word_end(text: &str, mut i: usize) -> usize {
    loop {
        match char_at(text, i) {
            Some(c) if is_word_char(c) => i += c.len_utf8(),
            Some('-') if char_at(text, i + 1).is_some_and(is_word_char) => i += 1,
            _ => return i,
        }
    }
}

/// End of the run of letters starting at byte `i`.
fn letters_end(text: &str, i: usize) -> usize {
    let rest = text.get(i..).unwrap_or("");
    i + rest
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(j, _)| j)
}

/// Check the boundaries of one candidate against the term's flags.
fn validate(text: &str, ti: usize, term: &Term, s: usize, e: usize) -> Option<LexMatch> {
    let f = term.flags;
    let matched = text.get(s..e)?;
    if f.case_sensitive && matched != term.text {
        return None;
    }
    // Left boundary.
    let mut form = Form::Word;
    match char_before(text, s) {
        Some(c) if is_word_char(c) => {
            if !f.head || !matched.starts_with(|c: char| c.is_lowercase()) {
                return None;
            }
            form = Form::Head;
        }
        Some('-') if char_before(text, s - 1).is_some_and(is_word_char) => {
            if !(f.hyphen || f.head) {
                return None;
            }
            form = Form::Hyphen;
        }
        _ => {}
    }
    // A term that itself ends in a non-word character ("Str.", "e.V.")
    // carries its own right boundary.
    let ends_in_word = matched.chars().next_back().is_some_and(is_word_char);
    let mut inflected = e;
    if ends_in_word {
        let le = letters_end(text, e);
        if le > e {
            let rest = &text[e..le];
            let is_suffix = f.inflect && SUFFIXES.iter().any(|x| rest.eq_ignore_ascii_case(x));
            if is_suffix {
                inflected = le;
            } else if f.modifier && rest.chars().count() >= MIN_HEAD_LEN {
                if form == Form::Word {
                    form = Form::Modifier;
                }
            } else {
                return None;
            }
        } else if char_at(text, e).is_some_and(|c| c.is_numeric()) {
            return None;
        }
        if char_at(text, inflected) == Some('-')
            && char_at(text, inflected + 1).is_some_and(is_word_char)
        {
            if !(f.hyphen || f.modifier) {
                return None;
            }
            if form == Form::Word {
                form = Form::Hyphen;
            }
        }
    }
    let word = if ends_in_word {
        Span::new(word_start(text, s), word_end(text, e))
    } else {
        Span::new(word_start(text, s), e)
    };
    Some(LexMatch {
        term: ti,
        term_span: Span::new(s, e),
        inflected: Span::new(s, inflected),
        word,
        form,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = "# comment\n\nKrebs\tdiagnosis\nOP\ttreatment\ty\nschwanger\npregnancy\nBerlin\tcity\tc\nHIV\n";

    fn lex() -> Lexicon {
        Lexicon::new(
            &[Source {
                text: DATA,
                group: 0,
                defaults: Flags::parse("ihmy"),
            }],
            Variants::AnyCase,
        )
    }

    fn words(l: &Lexicon, text: &str) -> Vec<String> {
        let mut v = Vec::new();
        l.find(text, &mut v);
        v.iter()
            .map(|m| text[m.word.start..m.word.end].to_string())
            .collect()
    }

    #[test]
    fn parses_comments_categories_and_flags() {
        let l = lex();
        assert_eq!(l.len(), 6);
        assert_eq!(l.term(0).category, "diagnosis");
        assert!(l.term(1).flags.hyphen && !l.term(1).flags.inflect);
        assert!(l.term(4).flags.case_sensitive);
        assert!(
            l.term(5).flags.case_sensitive,
            "upper-case terms are case-sensitive"
        );
    }

    #[test]
    fn inflection_and_compounds() {
        let l = lex();
        assert_eq!(words(&l, "Sie ist Schwangere."), vec!["Schwangere"]);
        assert_eq!(
            words(&l, "Lungenkrebs und KREBS"),
            vec!["Lungenkrebs", "KREBS"]
        );
        assert_eq!(words(&l, "eine Krebserkrankung"), vec!["Krebserkrankung"]);
        assert_eq!(words(&l, "nach der Knie-OP."), vec!["Knie-OP"]);
        assert_eq!(
            words(&l, "im Shop, die Oper, der OPA"),
            Vec::<String>::new()
        );
        assert_eq!(words(&l, "Kreb krebsx"), Vec::<String>::new());
        assert_eq!(words(&l, "berlin, hiv"), Vec::<String>::new());
        assert_eq!(words(&l, "Berlin, HIV"), vec!["Berlin", "HIV"]);
    }

    /// Names-like data: no term may end a compound, so `find` runs anchored
    /// at word starts.
    const NAMES: &str = "Anna\nAnnalena\nJo\nvon Weber\nWeber\nKoch\t-\ti\nÖzdemir\nAl-Hassan\nDr. Jo\nSt. Gallen\tcity\ty\n";

    fn names(allow_anchored: bool) -> Lexicon {
        Lexicon::build(
            &[Source {
                text: NAMES,
                group: 0,
                defaults: Flags::parse("y"),
            }],
            Variants::Cased,
            allow_anchored,
        )
    }

    fn all(l: &Lexicon, text: &str) -> Vec<(usize, usize, usize, usize, usize)> {
        let mut v = Vec::new();
        l.find(text, &mut v);
        let mut v: Vec<_> = v
            .iter()
            .map(|m| {
                (
                    m.term_span.start,
                    m.term_span.end,
                    m.inflected.end,
                    m.word.start,
                    m.term,
                )
            })
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn word_start_search_is_used_only_without_compound_heads() {
        assert!(names(true).anchored.is_some());
        assert!(names(false).anchored.is_none());
        assert!(
            lex().anchored.is_none(),
            "Art. 9-style terms may end compounds"
        );
    }

    #[test]
    fn word_start_search_finds_what_the_full_scan_finds() {
        let (a, b) = (names(true), names(false));
        for t in [
            "Anna, Annalena und Jo von Weber trafen Herrn Kochs Nachbarn in St. Gallen.",
            "JoAnna Weberei Ökoch ANNA Özdemir-Weber Al-Hassan (Dr. Jo) x-Anna 3Anna",
            "",
        ] {
            assert_eq!(all(&a, t), all(&b, t), "{t}");
        }
        assert!(!all(&a, "Anna und von Weber").is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn word_start_search_equals_full_scan(s in "(Anna|Jo|von|Weber|Koch|Özdemir|Al|Hassan|Dr\\.|St\\.|Gallen|lena|[a-zäöüA-Z0-9 .,\\-_()😀]){0,30}") {
            let (a, b) = (names(true), names(false));
            proptest::prop_assert_eq!(all(&a, &s), all(&b, &s));
        }
    }

    #[test]
    fn umlaut_boundaries() {
        let l = lex();
        assert!(words(&l, "Krebsä").is_empty() || words(&l, "Krebsä") == vec!["Krebsä"]);
        assert!(words(&l, "äKrebs").is_empty());
        assert_eq!(words(&l, "🙂Krebs🙂"), vec!["Krebs"]);
    }
}

/// Tests across the four text detectors of this branch (address, names,
/// orgs, art9) through the public [`super::RuleSet`].
#[cfg(test)]
mod ruleset_tests {
    use crate::rules::RuleSet;
    use crate::types::Label;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    /// Compiled once: building the automata is the slow part in debug builds.
    static RULES: LazyLock<RuleSet> = LazyLock::new(RuleSet::new);

    fn labelled(rs: &RuleSet, text: &str) -> Vec<(String, Label)> {
        let mut v: Vec<(usize, String, Label)> = rs
            .detect(text)
            .into_iter()
            .map(|h| {
                (
                    h.span.start,
                    text[h.span.start..h.span.end].to_string(),
                    h.label,
                )
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        v.into_iter().map(|(_, s, l)| (s, l)).collect()
    }

    #[test]
    fn koch_sentence() {
        let rs = &*RULES;
        let t = "Herr Koch aus der Lindenstraße 5 in Leipzig hat nach seiner Knie-OP angerufen.";
        let got = labelled(rs, t);
        for want in [
            ("Koch", Label::Person),
            ("Lindenstraße 5", Label::Address),
            ("Leipzig", Label::Location),
            ("Knie-OP", Label::Health),
        ] {
            assert!(
                got.contains(&(want.0.to_string(), want.1)),
                "missing {want:?} in {got:?}"
            );
        }
        assert!(!got
            .iter()
            .any(|(_, l)| *l == Label::Person && got.len() > 10));
    }

    #[test]
    fn shouted_names_stop_at_function_words() {
        let people = |t: &str| -> Vec<String> {
            labelled(&RULES, t)
                .into_iter()
                .filter(|(_, l)| *l == Label::Person)
                .map(|(s, _)| s)
                .collect()
        };
        let t = "HERR KOCH AUS DER LINDENSTRASSE 5 IN LEIPZIG HAT NACH SEINER KNIE-OP ANGERUFEN.";
        assert_eq!(people(t), ["KOCH"]);
        let found = people("FRAU WINKLER RIEF AN UND WOLLTE DEN TERMIN");
        assert!(found.iter().all(|p| !p.contains(" AN")), "{found:?}");
    }

    #[test]
    fn no_person_for_the_cook() {
        let rs = &*RULES;
        let got = labelled(rs, "Der Koch hat gekocht.");
        assert!(!got.iter().any(|(_, l)| *l == Label::Person), "{got:?}");
    }

    #[test]
    fn spec_example() {
        let rs = &*RULES;
        let t = "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: \"Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend.\"";
        let got = labelled(rs, t);
        assert!(
            got.contains(&("Weber".to_string(), Label::Person)),
            "{got:?}"
        );
        assert!(
            got.contains(&("schwanger".to_string(), Label::Health)),
            "{got:?}"
        );
        assert!(!got.iter().any(|(_, l)| *l == Label::Address), "{got:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn never_panics_and_spans_on_char_boundaries(s in "\\PC{0,200}") {
            let rs = &*RULES;
            for h in rs.detect(&s) {
                prop_assert!(h.span.start <= h.span.end && h.span.end <= s.len());
                prop_assert!(s.is_char_boundary(h.span.start) && s.is_char_boundary(h.span.end));
            }
        }

        #[test]
        fn german_like_text_never_panics(s in "[A-Za-zÄÖÜäöüß0-9 .,:;\\-/()\\n😀]{0,200}") {
            let rs = &*RULES;
            for h in rs.detect(&s) {
                prop_assert!(s.is_char_boundary(h.span.start) && s.is_char_boundary(h.span.end));
            }
        }
    }

    /// Throughput of the whole RuleSet on German customer-like text.
    /// Not a timed test: run it by hand with
    /// `cargo test --release --lib rules::lexicon::ruleset_tests::throughput -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn throughput() {
        let sample = "Sehr geehrte Frau Dr. Weber,\nvielen Dank für Ihre Nachricht vom 15.01. \
Ihre Bestellung #98765 wurde an die Lindenstraße 5, 04109 Leipzig verschickt. Herr Koch \
aus unserem Team (Müller Logistik GmbH) meldet sich nach seiner Knie-OP bei Ihnen. \
Die Kundin ist schwanger und Diabetikerin, Pflegegrad 2. Bitte rufen Sie an: 0341 1234567.\n\
Mit freundlichen Grüßen\nAnna-Lena Schulz\nKundenservice, AOK Bayern, München\n\n\
Der Durchschnittliche Warenkorbwert lag bei 85 Euro, der NPS bei 72. Lieferungen nach \
Österreich und in die Schweiz dauern 3 Tage. 😀 Danke für Ihr Verständnis!\n";
        let text: String = sample.repeat(2000);
        let t0 = std::time::Instant::now();
        let rs = RuleSet::new();
        println!("build: {:.2}s", t0.elapsed().as_secs_f64());
        let mut n = 0;
        let mut secs = f64::MAX;
        for _ in 0..5 {
            let t0 = std::time::Instant::now();
            n = rs.detect(&text).len();
            secs = secs.min(t0.elapsed().as_secs_f64());
        }
        let mb = text.len() as f64 / 1e6;
        println!(
            "RuleSet: {:.1} MB/s best of 5 ({} hits, {:.1} MB)",
            mb / secs,
            n,
            mb
        );
        use crate::rules::Detector;
        let dets: Vec<(&str, Box<dyn Detector>)> = vec![
            ("address", Box::new(crate::rules::address::Address::new())),
            ("names", Box::new(crate::rules::names::Names::new())),
            ("orgs", Box::new(crate::rules::orgs::Orgs::new())),
            ("art9", Box::new(crate::rules::art9::Art9::new())),
        ];
        for (name, d) in dets {
            let mut best = f64::MAX;
            for _ in 0..7 {
                let t0 = std::time::Instant::now();
                let mut out = Vec::new();
                d.detect(&text, &mut out);
                best = best.min(t0.elapsed().as_secs_f64());
            }
            println!(
                "{name}: {:.1} MB/s (best of 7)",
                text.len() as f64 / 1e6 / best
            );
        }
    }
}
