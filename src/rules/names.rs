//! Detector for PERSON by rules: honorifics and roles ("Herr", "Frau Dr.",
//! "Familie", "Kundin"), greetings ("Liebe Anna,", "Hallo Herr Özdemir"),
//! signatures (the name line after "Mit freundlichen Grüßen", "LG" …), mail
//! and form headers ("Von: Anna Schulz <…>", "Ansprechpartner: …",
//! "Name: …") and a given-name lexicon followed by a capitalised surname.
//!
//! Triggers, given names (`lexicons/names_given.txt`) and surnames
//! (`lexicons/names_surnames.txt`) share one case-sensitive Aho-Corasick
//! automaton, so the text is scanned once. The span never includes the
//! title ("Frau", "Dr."). Surnames that are also nouns (Koch, Vogel, Wolf,
//! Klein …) count only after a trigger or a given name; a given name alone
//! is a weak [`HitKind::Lexicon`] hit that never overrides the NER model.
//!
//! Lower-case chat sign-offs ("lg hakan", "danke, lea") and introductions
//! ("ich bin anna schmidt") hang off closers and introductions in the same
//! automaton ([`Names::lowercase_signoffs`], [`Names::lowercase_intro`]): a
//! known given name written in lower case; a sign-off may also end the text
//! after a comma.

use std::collections::HashSet;

use super::lexicon::{char_at, char_before, Flags, LexMatch, Lexicon, Source, Variants};
use super::Detector;
use crate::roles::{role_noun, Role};
use crate::types::{Hit, HitKind, Label};

/// A name after an honorific or role ("Herr Koch", "Frau Dr. Weber").
pub(crate) const SCORE_HONORIFIC: f32 = 0.9;
/// A name in a mail or form header ("Von: Anna Schulz").
pub(crate) const SCORE_HEADER: f32 = 0.85;
/// A name after a greeting, followed by a comma or line end ("Liebe Anna,").
pub(crate) const SCORE_GREETING: f32 = 0.85;
/// A name on the signature line after a closing formula.
pub(crate) const SCORE_SIGNATURE: f32 = 0.8;
/// A known given name followed by a capitalised surname ("Anna Schulz").
pub(crate) const SCORE_FULL_NAME: f32 = 0.8;
/// A known name right after a role noun ("Verteidiger Bauer", "der
/// Techniker Klein", "Bundeskanzler Olaf Scholz").
pub(crate) const SCORE_ROLE_NAME: f32 = 0.8;
/// A known, unambiguous given name on its own (lexicon hit).
pub(crate) const SCORE_GIVEN_ALONE: f32 = 0.6;
/// A known, unambiguous surname on its own (lexicon hit).
pub(crate) const SCORE_SURNAME_ALONE: f32 = 0.5;

const G_HONORIFIC: u8 = 0;
const G_GREETING: u8 = 1;
const G_CLOSER: u8 = 2;
const G_HEADER: u8 = 3;
const G_GIVEN: u8 = 4;
const G_SURNAME: u8 = 5;
const G_INTRO: u8 = 6;
const G_LOWER_CLOSER: u8 = 7;

/// Honorifics and roles that precede a name.
const HONORIFICS: &str = "Herr\nHerrn\nHERR\nHERRN\nFrau\nFRAU\nHr.\nHrn.\nFr.\nFrl.\nDr.\nProf.\n\
Familie\nFam.\nKunde\nKundin\nPatient\nPatientin\nMandant\nMandantin\nSachbearbeiter\n\
Sachbearbeiterin\nKollege\nKollegin\nMr.\nMrs.\nMs.\nMonsieur\nMadame\nSignora\nSignor\n";

/// The [`HONORIFICS`] that name a role, not a form of address: no name
/// particle may follow them.
const ROLE_NOUNS: &[&str] = &[
    "Kunde",
    "Kundin",
    "Patient",
    "Patientin",
    "Mandant",
    "Mandantin",
    "Sachbearbeiter",
    "Sachbearbeiterin",
    "Kollege",
    "Kollegin",
];

/// Greetings that precede a name and a comma or line end.
const GREETINGS: &str = "Hallo\nHi\nHey\nMoin\nServus\nGrüezi\nGrüß Gott\nLiebe\nLieber\nLiebes\n\
Guten Tag\nGuten Morgen\nGuten Abend\nSehr geehrte\nSehr geehrter\nDear\nHello\nSalut\nCiao\n";

/// Closing formulas followed by a signature.
const CLOSERS: &str = "Mit freundlichen Grüßen\nMit freundlichen Grüssen\nMit freundlichem Gruß\n\
Mit freundlichem Gruss\nFreundliche Grüße\nFreundliche Grüsse\nViele Grüße\nViele Grüsse\n\
Beste Grüße\nBeste Grüsse\nLiebe Grüße\nLiebe Grüsse\nHerzliche Grüße\nHerzliche Grüsse\n\
Schöne Grüße\nSonnige Grüße\nMit besten Grüßen\nGruß\nGruss\nGrüße\nGrüsse\nMfG\nmfG\nMFG\nLG\n\
VG\nLg\nVg\nBest regards\nKind regards\nRegards\nCheers\nHochachtungsvoll\nHerzlichst\nBis bald\n\
Danke und Gruß\nDanke und viele Grüße\n";

/// Byte offset of the last line that opens with a closing formula ("Mit
/// freundlichen Grüßen", "Viele Grüße, Dragan", "LG"): where the writer's
/// own signature block (name, role, company, imprint) begins. `None`
/// without one. A closer followed by more than a short name on its line
/// ("Viele Grüße an das ganze Team") opens nothing.
pub(crate) fn signature_start(text: &str) -> Option<usize> {
    let mut found = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start_matches([' ', '\t']);
        let opens = CLOSERS.lines().filter(|c| !c.is_empty()).any(|c| {
            t.strip_prefix(c).is_some_and(|rest| {
                let rest = rest.trim_end();
                let rest = rest.trim_end_matches(['.', '!', ',']);
                rest.is_empty()
                    || rest.strip_prefix(',').is_some_and(|name| {
                        let words = name.split_whitespace().count();
                        (1..=3).contains(&words) && !name.contains(|c: char| c.is_ascii_digit())
                    })
            })
        });
        if opens {
            found = Some(offset);
        }
        offset += line.len();
    }
    found
}

/// Self-introductions before a name written in lower case ("hallo, ich bin
/// anna schmidt"), where the model sometimes reads the name as Art. 9 data
/// ("ich bin katholisch").
const INTROS: &str = "ich bin\nIch bin\nmein name ist\nMein Name ist\nMein name ist\nhier ist\n\
Hier ist\nhier spricht\nHier spricht\nich heiße\nIch heiße\nich heisse\nIch heisse\n";

/// Lower-case chat closers before a lower-case signature ("lg hakan").
const LOWER_CLOSERS: &str =
    "lg\nvg\nmfg\ngruß\ngruss\ngrüße\ngrüsse\ndanke\ndankeschön\nbye\nciao\ntschüss\ntschüs\ncu\n";

/// Header keys followed by one or more names.
const HEADERS: &str = "Von:\nAn:\nFrom:\nTo:\nCc:\nCC:\nBcc:\nAbsender:\nEmpfänger:\n\
Ansprechpartner:\nAnsprechpartnerin:\nName:\nVorname:\nNachname:\nKontakt:\nKontaktperson:\n\
Bearbeiter:\nBearbeiterin:\nSachbearbeiter:\nSachbearbeiterin:\nVerfasser:\nKunde:\nKundin:\n\
Inhaber:\nKontoinhaber:\nAntragsteller:\nAntragstellerin:\nPatient:\nPatientin:\n";

const CASED: Flags = Flags {
    inflect: false,
    head: false,
    modifier: false,
    hyphen: false,
    case_sensitive: true,
};
const NAME_FLAGS: Flags = Flags {
    inflect: false,
    head: false,
    modifier: false,
    hyphen: false,
    case_sensitive: false,
};

const SOURCES: &[Source] = &[
    Source {
        text: HONORIFICS,
        group: G_HONORIFIC,
        defaults: CASED,
    },
    Source {
        text: GREETINGS,
        group: G_GREETING,
        defaults: CASED,
    },
    Source {
        text: CLOSERS,
        group: G_CLOSER,
        defaults: CASED,
    },
    Source {
        text: HEADERS,
        group: G_HEADER,
        defaults: CASED,
    },
    Source {
        text: include_str!("lexicons/names_given.txt"),
        group: G_GIVEN,
        defaults: NAME_FLAGS,
    },
    Source {
        text: include_str!("lexicons/names_surnames.txt"),
        group: G_SURNAME,
        defaults: NAME_FLAGS,
    },
    Source {
        text: INTROS,
        group: G_INTRO,
        defaults: CASED,
    },
    Source {
        text: LOWER_CLOSERS,
        group: G_LOWER_CLOSER,
        defaults: CASED,
    },
];

const STOP: &str = include_str!("lexicons/names_stop.txt");

/// Titles skipped between a trigger and the name; never part of the span.
const TITLES: &[&str] = &[
    "Dr.",
    "Prof.",
    "med.",
    "dent.",
    "vet.",
    "jur.",
    "rer.",
    "nat.",
    "phil.",
    "h.c.",
    "Dipl.-Ing.",
    "Dipl.",
    "Ing.",
    "Mag.",
    "Frau",
    "Herr",
    "Herrn",
    "Hr.",
    "Fr.",
    "Doktor",
];

/// [`PARTICLES`] that are also German prepositions ("Vogel von der
/// Vogelwarte"): a name rule without a trigger does not cross them.
const GERMAN_PARTICLES: &[&str] = &["von", "vom", "zu", "van", "ter", "ten"];

/// Arabic articles joined to a surname by a hyphen ("ar-Raschid", "al-Assad").
const ARABIC_ARTICLES: &[&str] = &[
    "al-", "el-", "ar-", "as-", "asch-", "ad-", "at-", "an-", "az-",
];

/// Lower-case particles inside names ("Hans von Weber", "Ursula van der Leyen").
const PARTICLES: &[&str] = &[
    "von", "zu", "vom", "van", "der", "den", "de", "da", "di", "del", "della", "dos", "du", "le",
    "la", "ten", "ter", "bin", "ibn", "al", "el",
];

/// Articles inside names: only right after another particle ("von der
/// Leyen", "van den Berg"), never after a name word ("Neil Armstrong den
/// Mond", "Keller vom Institut").
const ARTICLE_PARTICLES: &[&str] = &["der", "den", "dem", "des", "vom"];

/// Particles that may open a surname right after a trigger ("Herr von Weber").
const LEADING_PARTICLES: &[&str] = &["von", "zu", "van", "de", "da", "di", "del", "al", "el"];

/// Endings of German abstract nouns: a capitalised word with one of these
/// after a given name is not a surname ("Maria Bestellung").
const NOUN_ENDINGS: &[&str] = &[
    "ung", "heit", "keit", "schaft", "tion", "tät", "nis", "ment", "ismus", "ungen", "ei",
];

/// How a name is delimited after its trigger.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    /// Anything may follow.
    Any,
    /// Only a comma, "!", ":" or the end of the line may follow (greetings,
    /// signatures).
    LineEnd,
}

/// Which further name words [`Names::parse_name`] accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extra {
    /// Any capitalised word that is not a stop word (after a trigger such
    /// as "Herr" or a greeting, the context already says "name").
    Any,
    /// After the first word only lexicon names or particle-led surnames
    /// (after a bare given name, where nothing else says "name").
    Known,
}

/// Detector for PERSON.
#[derive(Debug)]
pub(crate) struct Names {
    lexicon: Lexicon,
    stop: HashSet<&'static str>,
    /// Given names and surnames of the lexicon, as written.
    known: HashSet<String>,
    /// Given names of the lexicon, lower case, with whether they are also
    /// ordinary words (category `amb`: "rosa", "mark").
    given_lower: std::collections::HashMap<String, bool>,
    /// Surnames of the lexicon, lower case.
    surnames_lower: HashSet<String>,
    /// Given names that are neither ordinary words nor surnames, as written:
    /// such a word after a surname starts the next person ("Nico
    /// Schlotterbeck Jamal Musiala").
    given_only: HashSet<String>,
}

impl Names {
    pub(crate) fn new() -> Self {
        let lexicon = Lexicon::new(SOURCES, Variants::Cased);
        let known = lexicon
            .terms()
            .iter()
            .filter(|t| matches!(t.group, G_GIVEN | G_SURNAME))
            .map(|t| t.text.clone())
            .collect();
        let given_lower = lexicon
            .terms()
            .iter()
            .filter(|t| t.group == G_GIVEN)
            .map(|t| (t.text.to_lowercase(), t.category == "amb"))
            .collect();
        let surnames_lower: HashSet<String> = lexicon
            .terms()
            .iter()
            .filter(|t| t.group == G_SURNAME)
            .map(|t| t.text.to_lowercase())
            .collect();
        let given_only = lexicon
            .terms()
            .iter()
            .filter(|t| {
                t.group == G_GIVEN
                    && t.category != "amb"
                    && !surnames_lower.contains(&t.text.to_lowercase())
            })
            .map(|t| t.text.clone())
            .collect();
        Names {
            lexicon,
            known,
            given_lower,
            surnames_lower,
            given_only,
            stop: STOP
                .lines()
                .map(|l| l.split('#').next().unwrap_or("").trim())
                .filter(|l| !l.is_empty())
                .collect(),
        }
    }

    fn is_stop(&self, word: &str) -> bool {
        self.stop.contains(word)
            || word
                .rsplit('-')
                .next()
                .is_some_and(|last| last != word && self.stop.contains(last))
    }

    /// Lower-case sign-offs of chat messages: a known given name in lower
    /// case ("hakan", "laura-erika") right after a lower-case closer
    /// ("lg hakan", "danke, lea") or on the line after it ("lg\nhakan"),
    /// with nothing but punctuation or emoji after it on its line; or — on
    /// the text's last line, for a name that is no ordinary word
    /// ("…DE-5561203, hakan"; not "schwarz, rosa") — after a comma. The
    /// closers come from the shared automaton's `matches`.
    fn lowercase_signoffs(&self, text: &str, matches: &[LexMatch], out: &mut Vec<Hit>) {
        let signoff =
            |s: usize, e: usize| Hit::new(s, e, Label::Person, SCORE_SIGNATURE, HitKind::Pattern);
        for m in matches {
            if self.lexicon.term(m.term).group != G_LOWER_CLOSER {
                continue;
            }
            let rest = text.get(m.term_span.end..).unwrap_or("");
            let mut i = m.term_span.end + rest.len()
                - rest.trim_start_matches([',', ' ', '\t', '!', '.']).len();
            let line_break = text.get(i..).unwrap_or("");
            let after_break = line_break
                .strip_prefix("\r\n")
                .or_else(|| line_break.strip_prefix('\n'));
            if let Some(next_line) = after_break {
                i = text.len() - next_line.trim_start_matches([' ', '\t']).len();
            }
            if let Some((s, e)) = self.lowercase_name_ending_line(text, i) {
                if self.given_name_ambiguity(&text[s..e]).is_some() {
                    out.push(signoff(s, e));
                }
            }
        }
        // ", name" at the end of the text.
        let last_line = text.rsplit('\n').next().unwrap_or("");
        let body = last_line.trim_end_matches(|c: char| !c.is_alphabetic());
        let word_start = body
            .trim_end_matches(|c: char| c.is_lowercase() || c == '-')
            .len();
        let start = text.len() - last_line.len() + word_start;
        if body[..word_start].trim_end().ends_with(',') {
            if let Some((s, e)) = self.lowercase_name_ending_line(text, start) {
                if self.given_name_ambiguity(&text[s..e]) == Some(false) {
                    out.push(signoff(s, e));
                }
            }
        }
    }

    /// The lower-case word (letters and `-`) at `i` when nothing but
    /// punctuation or emoji follows it on its line.
    fn lowercase_name_ending_line(&self, text: &str, i: usize) -> Option<(usize, usize)> {
        let rest = text.get(i..)?;
        let len = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_lowercase() || c == '-')
                .len();
        let line_rest = rest[len..].split('\n').next().unwrap_or("");
        (len > 0 && !line_rest.chars().any(char::is_alphabetic)).then_some((i, i + len))
    }

    /// For a lower-case given name of the lexicon (a hyphenated one when each
    /// part is one): whether it is also an ordinary word (category `amb`).
    fn given_name_ambiguity(&self, word: &str) -> Option<bool> {
        self.given_lower.get(word).copied().or_else(|| {
            word.split('-')
                .map(|p| self.given_lower.get(p).copied())
                .collect::<Option<Vec<bool>>>()
                .filter(|parts| parts.len() > 1)
                .map(|parts| parts.iter().all(|&amb| amb))
        })
    }

    /// A lower-case name after a self-introduction ending at `e` ("ich bin
    /// anna schmidt"): a given name that is no ordinary word, and a known
    /// surname after it if there is one.
    fn lowercase_intro(&self, text: &str, e: usize) -> Option<(usize, usize)> {
        let lower_word = |i: usize| -> (usize, usize) {
            let s = skip_inline_spaces(text, i);
            let len: usize = text
                .get(s..)
                .unwrap_or("")
                .chars()
                .take_while(|c| c.is_lowercase() || *c == '-')
                .map(char::len_utf8)
                .sum();
            (s, s + len)
        };
        let (s1, e1) = lower_word(e);
        if s1 == e || e1 == s1 || char_at(text, e1).is_some_and(char::is_alphanumeric) {
            return None;
        }
        if self.given_lower.get(&text[s1..e1]) != Some(&false) {
            return None;
        }
        let (s2, e2) = lower_word(e1);
        let surname = s2 > e1
            && e2 > s2
            && !char_at(text, e2).is_some_and(char::is_alphanumeric)
            && self.surnames_lower.contains(&text[s2..e2]);
        Some((s1, if surname { e2 } else { e1 }))
    }

    /// A name word of the lexicon (for hyphenated words: any part).
    fn is_known(&self, word: &str) -> bool {
        word.split('-').any(|p| self.known.contains(p))
    }

    /// End of the surname right after a name ending at `e` (one space
    /// between): a capitalised word that is no stop word, role noun or
    /// abstract noun ("Olaf| Scholz", "Harald| Strutz"), or an Arabic name
    /// with its article ("Harun| ar-Raschid", "Baschar| al-Assad"). No
    /// particles: "Petra Vogel von der Vogelwarte" is a person and a place.
    fn surname_after(&self, text: &str, e: usize) -> Option<usize> {
        let rest = text.get(e..)?.strip_prefix(' ')?;
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        let word = rest.get(..len)?.trim_end_matches('-');
        let arabic = ARABIC_ARTICLES.iter().any(|a| {
            word.strip_prefix(a)
                .is_some_and(|n| n.starts_with(char::is_uppercase))
        });
        let surname = word.starts_with(char::is_uppercase)
            && word.chars().skip(1).any(char::is_lowercase)
            && role_noun(word).is_none()
            && !self.is_stop(word)
            && !NOUN_ENDINGS.iter().any(|x| word.ends_with(x));
        (arabic || surname).then_some(e + 1 + word.len())
    }

    /// Parse up to `max` name words starting at `i` (spaces and titles
    /// skipped first). Returns the span of the words, without titles.
    ///
    /// One particle group per name ("von der Leyen", not "von Scheffel zu
    /// Gast"). With [`Extra::Known`], words after the first that do not
    /// follow a particle must be lexicon names ("Anna Lena Schulz", not
    /// "Matthew Williams Liebeskummer").
    fn parse_name(
        &self,
        text: &str,
        i: usize,
        max: usize,
        after: After,
        extra: Extra,
    ) -> Option<(usize, usize)> {
        let mut i = skip_inline_spaces(text, i);
        // Skip titles.
        // Titles as written or shouted ("Dr.", "DR.").
        while let Some(t) = TITLES.iter().find(|t| {
            text.get(i..t.len() + i).is_some_and(|p| {
                p == **t || (p.eq_ignore_ascii_case(t) && !p.chars().any(char::is_lowercase))
            }) && !char_at(text, i + t.len()).is_some_and(char::is_alphanumeric)
        }) {
            i = skip_inline_spaces(text, i + t.len());
        }
        // Skip role nouns, as titles: "Herr Bürgermeister Meyer", and no
        // name at all in "Sehr geehrter Herr Bürgermeister,". Not those that
        // are also surnames ("Herr Koch").
        while let Some(we) = name_word(text, i) {
            if !matches!(role_noun(&text[i..we]), Some(Role::Only | Role::Demonym)) {
                break;
            }
            i = skip_inline_spaces(text, we);
        }
        let start = i;
        let mut end = i;
        let mut words = 0;
        let mut pending_particle = false;
        let mut had_particle = false;
        let mut prev_word = "";
        while words < max {
            if let Some(we) = name_word(text, i) {
                let w = &text[i..we];
                if self.is_stop(w) || looks_like_domain(text, we) {
                    break;
                }
                if extra == Extra::Known && words > 0 && !pending_particle && !self.is_known(w) {
                    break;
                }
                // A given name after a surname, itself followed by a name
                // word, is the next person: "Nico Schlotterbeck | Jamal
                // Musiala" (but "Anna Lena Schulz").
                if extra == Extra::Known
                    && words > 0
                    && !pending_particle
                    && self.given_only.contains(w)
                    && !self.given_only.contains(prev_word)
                    && name_word(text, skip_inline_spaces(text, we)).is_some()
                {
                    break;
                }
                // Shouted, every word is capitalised: after a first word
                // that is no given name, a further one must be a known name
                // ("FRAU PETRENKO BERICHTET" is "PETRENKO"; "FRAU OLGA
                // PETRENKO" stays whole).
                if words > 0
                    && !pending_particle
                    && is_shouted(w)
                    && !self.given_lower.contains_key(&prev_word.to_lowercase())
                    && !self.given_lower.contains_key(&w.to_lowercase())
                    && !self.surnames_lower.contains(&w.to_lowercase())
                {
                    break;
                }
                prev_word = w;
                had_particle |= pending_particle;
                words += 1;
                end = we;
                pending_particle = false;
                i = skip_inline_spaces(text, we);
                continue;
            }
            // A lower-case particle must be followed by a name word.
            let pe = text
                .get(i..)
                .and_then(|r| r.find(|c: char| !c.is_alphabetic()))
                .map_or(text.len(), |j| i + j);
            let p = text.get(i..pe).unwrap_or("");
            let allowed = if ARTICLE_PARTICLES.contains(&p) {
                pending_particle
            } else if had_particle {
                false
            } else if words == 0 {
                LEADING_PARTICLES.contains(&p)
            } else {
                PARTICLES.contains(&p)
            };
            if !allowed || pending_particle && p.is_empty() {
                break;
            }
            if !matches!(char_at(text, pe), Some(' ')) {
                break;
            }
            pending_particle = true;
            i = skip_inline_spaces(text, pe);
        }
        if words == 0 {
            return None;
        }
        if start == end {
            return None;
        }
        if after == After::LineEnd && !ends_line(text, end) {
            return None;
        }
        Some((start, end))
    }

    fn handle(&self, text: &str, m: &LexMatch, out: &mut Vec<Hit>) {
        let term = self.lexicon.term(m.term);
        let s = m.term_span.start;
        let e = m.term_span.end;
        let person = |(a, b): (usize, usize), score: f32, kind: HitKind| {
            Hit::new(a, b, Label::Person, score, kind)
        };
        match term.group {
            G_HONORIFIC => {
                // After a role noun "von" is a preposition ("der größte
                // Kunde von Spezstroi"); after "Herr"/"Frau" a name particle.
                let next = text.get(skip_inline_spaces(text, e)..).unwrap_or("");
                if ROLE_NOUNS.contains(&term.text.as_str()) && next.starts_with(char::is_lowercase)
                {
                    return;
                }
                if let Some(sp) = self.parse_name(text, e, 4, After::Any, Extra::Any) {
                    out.push(person(sp, SCORE_HONORIFIC, HitKind::Pattern));
                }
            }
            G_GREETING => {
                if let Some(sp) = self.parse_name(text, e, 3, After::LineEnd, Extra::Any) {
                    out.push(person(sp, SCORE_GREETING, HitKind::Pattern));
                }
            }
            G_CLOSER => {
                if !starts_line(text, s) {
                    return;
                }
                let mut i = e;
                let rest = text.get(i..).unwrap_or("");
                let trimmed = rest.trim_start_matches([',', ' ', '\t', '.', '!']);
                i += rest.len() - trimmed.len();
                if trimmed.starts_with(['\n', '\r']) {
                    let t2 = trimmed.trim_start_matches(['\n', '\r', ' ', '\t']);
                    let newlines = trimmed.len() - t2.len();
                    if trimmed[..newlines].matches('\n').count() > 2 {
                        return;
                    }
                    i += newlines;
                } else if i == e && !trimmed.is_empty() {
                    // "LGA" is no closer; a closer needs a separator.
                    return;
                }
                if let Some(sp) = self.parse_name(text, i, 3, After::LineEnd, Extra::Any) {
                    out.push(person(sp, SCORE_SIGNATURE, HitKind::Pattern));
                }
            }
            G_HEADER => self.header(text, e, out),
            G_GIVEN | G_SURNAME => self.lexicon_name(text, m, out),
            G_INTRO => {
                if let Some(sp) = self.lowercase_intro(text, e) {
                    out.push(person(sp, SCORE_FULL_NAME, HitKind::Pattern));
                }
            }
            _ => {}
        }
    }

    /// Names after a header key, up to the end of the line: several
    /// recipients, `<addr>` and `"Schulz, Anna"` forms.
    fn header(&self, text: &str, mut i: usize, out: &mut Vec<Hit>) {
        let line_end = text
            .get(i..)
            .and_then(|r| r.find('\n'))
            .map_or(text.len(), |j| i + j);
        for _ in 0..10 {
            i = skip_spaces(text, i);
            while let Some(c) = char_at(text, i) {
                if i < line_end && matches!(c, '"' | '\'' | ';' | ',' | ' ' | '>') {
                    i += c.len_utf8();
                } else {
                    break;
                }
            }
            if i >= line_end {
                return;
            }
            match self.parse_name(text, i, 4, After::Any, Extra::Any) {
                // A lower-case word after the name makes the value a
                // sentence, not a list of names: a chat turn ("Kundin: Laut
                // Krankenkassen-Report ist …").
                Some((_, b)) if continues_as_sentence(text, b, line_end) => return,
                Some((a, b)) => {
                    out.push(Hit::new(
                        a,
                        b,
                        Label::Person,
                        SCORE_HEADER,
                        HitKind::Pattern,
                    ));
                    i = b;
                }
                None => {
                    // Skip an address token ("<anna@example.com>", an
                    // e-mail); any other word ends the names: "Kunde: Die
                    // Zahlung wurde abgelehnt." is a chat turn, and
                    // "Zahlung" no name.
                    let next = text
                        .get(i..line_end)
                        .and_then(|r| r.find([' ', ';', ',']))
                        .map_or(line_end, |j| i + j);
                    let token = text.get(i..next).unwrap_or("");
                    let skippable = token.contains('@')
                        || token.starts_with('<')
                        || CONJUNCTIONS.contains(&token);
                    if next == i || !skippable {
                        return;
                    }
                    i = next;
                }
            }
            // Skip an address in angle brackets.
            let r = text.get(i..line_end).unwrap_or("").trim_start();
            if r.starts_with('<') {
                match r.find('>') {
                    Some(j) => i = line_end - r.len() + j + 1,
                    None => return,
                }
            }
        }
    }

    /// A given name (+ surname) or a lone unambiguous surname.
    fn lexicon_name(&self, text: &str, m: &LexMatch, out: &mut Vec<Hit>) {
        let term = self.lexicon.term(m.term);
        let s = m.term_span.start;
        let e = m.term_span.end;
        let exact_case = text.get(s..e) == Some(term.text.as_str());
        // After a role noun a known name is a person, also one that is an
        // ordinary word ("Verteidiger Bauer"): the role says who follows.
        // Not a given name that is mostly a word ("Präsident Mark"), nor a
        // second role before a name ("Vorsitzende Richter Wolfgang Braun").
        if exact_case && (term.group == G_SURNAME || term.category != "amb") && after_role(text, s)
        {
            let next = self.surname_after(text, e);
            let second_role = role_noun(&term.text).is_some()
                && next.is_some_and(|b| {
                    text.get(e..b)
                        .is_some_and(|w| self.known.contains(w.trim_start()))
                });
            // A given name takes its surname and what follows it as in a
            // full name ("Fernando Collor de Mello"), but no German particle:
            // "Petra Vogel von der Vogelwarte" is a person and a place. A
            // given name without a capitalised word after it is read below.
            let end = match (term.group, next) {
                (G_GIVEN, Some(b)) => {
                    let full = self
                        .parse_name(text, e, 3, After::Any, Extra::Known)
                        .map_or(b, |(_, f)| f.max(b));
                    let tail = text.get(b..full).unwrap_or("");
                    Some(if tail.split(' ').any(|w| GERMAN_PARTICLES.contains(&w)) {
                        b
                    } else {
                        full
                    })
                }
                (G_GIVEN, None) => None,
                _ => Some(e),
            };
            if let (false, Some(end)) = (second_role, end) {
                out.push(Hit::new(
                    s,
                    end,
                    Label::Person,
                    SCORE_ROLE_NAME,
                    HitKind::Pattern,
                ));
                return;
            }
        }
        if term.group == G_GIVEN {
            // Given name followed by a surname.
            let after = skip_inline_spaces(text, e);
            if after > e && after - e <= 2 {
                if let Some(se) = name_word(text, after) {
                    let w = &text[after..se];
                    let noun_like = NOUN_ENDINGS.iter().any(|x| w.ends_with(x));
                    if !self.is_stop(w) && !noun_like && !looks_like_domain(text, se) {
                        // Include a further surname word ("Anna Lena Schulz",
                        // "Hans von Weber").
                        let end = self
                            .parse_name(text, after, 3, After::Any, Extra::Known)
                            .map_or(se, |(_, b)| b);
                        // Lexicon kind: with a model loaded, the model has
                        // the last word on a bare "given name + capitalised
                        // word" ("San Juan", "Antonio Spurs"); rules-only,
                        // it still counts.
                        out.push(Hit::new(
                            s,
                            end,
                            Label::Person,
                            SCORE_FULL_NAME,
                            HitKind::Lexicon,
                        ));
                        return;
                    }
                }
            }
            if exact_case && term.category.is_empty() {
                out.push(Hit::new(
                    s,
                    e,
                    Label::Person,
                    SCORE_GIVEN_ALONE,
                    HitKind::Lexicon,
                ));
            }
        } else if exact_case && term.category.is_empty() {
            out.push(Hit::new(
                s,
                e,
                Label::Person,
                SCORE_SURNAME_ALONE,
                HitKind::Lexicon,
            ));
        }
    }
}

/// Whether the word right before `s` (one space between) is a role noun
/// that is no surname itself ("Verteidiger", "Bundeskanzler"; not "Koch",
/// "Kanzler").
fn after_role(text: &str, s: usize) -> bool {
    let Some(before) = text.get(..s).and_then(|b| b.strip_suffix(' ')) else {
        return false;
    };
    let word = before
        .rsplit(|c: char| !(c.is_alphabetic() || c == '-'))
        .next()
        .unwrap_or("");
    role_noun(word) == Some(Role::Only)
}

/// Whether a lower-case word other than a [`CONJUNCTIONS`] entry
/// follows the name ending at `end` on its line (which ends at `line_end`).
fn continues_as_sentence(text: &str, end: usize, line_end: usize) -> bool {
    let rest = text
        .get(end..line_end)
        .unwrap_or("")
        .trim_start_matches([' ', '\u{a0}']);
    let word: &str = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    rest.starts_with(char::is_lowercase) && !CONJUNCTIONS.contains(&word)
}

/// Words that join the names of a header value ("An: Anna und Peter").
const CONJUNCTIONS: &[&str] = &["und", "and", "u", "u.", "&", "oder"];

/// Skip spaces inside a name (a tab is a column break, not a name gap).
fn skip_inline_spaces(text: &str, i: usize) -> usize {
    let rest = text.get(i..).unwrap_or("");
    i + (rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len())
}

/// Skip spaces and tabs (not newlines).
fn skip_spaces(text: &str, i: usize) -> usize {
    let rest = text.get(i..).unwrap_or("");
    i + (rest.len() - rest.trim_start_matches([' ', '\t', '\u{a0}']).len())
}

/// Whether `w` is written in capitals only (two letters or more).
fn is_shouted(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
}

/// End of a capitalised name word starting at `i`: an upper-case letter,
/// then letters, with inner hyphens or apostrophes ("Anna-Lena",
/// "O'Brien", "Al-Hassan", "SCHULZ").
fn name_word(text: &str, i: usize) -> Option<usize> {
    if char_before(text, i).is_some_and(char::is_alphanumeric) {
        return None;
    }
    let rest = text.get(i..)?;
    let mut it = rest.char_indices().peekable();
    let (_, first) = it.next()?;
    if !first.is_uppercase() {
        return None;
    }
    let mut end = first.len_utf8();
    while let Some((j, c)) = it.next() {
        if c.is_alphabetic() {
            end = j + c.len_utf8();
        } else if matches!(c, '-' | '\'' | '’') && it.peek().is_some_and(|(_, n)| n.is_alphabetic())
        {
            continue;
        } else {
            break;
        }
    }
    let end = i + end;
    // A word glued to digits is no name ("A4", "Q3").
    if char_at(text, end).is_some_and(|c| c.is_numeric()) {
        return None;
    }
    // Single letters only as initials ("A. Schulz" is handled as title-less).
    if end - i == first.len_utf8() {
        return None;
    }
    Some(end)
}

/// "Amazon.de", "anna.schulz@": the word is part of a domain or address.
fn looks_like_domain(text: &str, end: usize) -> bool {
    matches!(char_at(text, end), Some('.' | '@'))
        && char_at(text, end + 1).is_some_and(char::is_alphanumeric)
}

/// Only `,`, `.`, `!`, `:`, spaces, or nothing up to the end of the line.
fn ends_line(text: &str, i: usize) -> bool {
    let rest = text.get(i..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    line.trim_start_matches([',', '!', ':', '.', ';', ' ', '\t', '\r', '\u{a0}'])
        .is_empty()
        || line.trim_start().starts_with(['(', '|'])
}

/// Only whitespace (or quoting `>`) between the line start and `i`.
fn starts_line(text: &str, i: usize) -> bool {
    let before = text.get(..i).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("");
    line.trim_matches([' ', '\t', '>', '\r', '\u{a0}'])
        .is_empty()
}

impl Detector for Names {
    fn name(&self) -> &'static str {
        "names"
    }

    fn reads_case(&self) -> bool {
        true
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        let mut matches = Vec::new();
        self.lexicon.find(text, &mut matches);
        let mut hits = Vec::new();
        for m in &matches {
            self.handle(text, m, &mut hits);
        }
        self.lowercase_signoffs(text, &matches, &mut hits);
        // Keep the longest (then strongest) of overlapping hits.
        hits.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(b.span.len().cmp(&a.span.len()))
                .then(b.score.total_cmp(&a.score))
        });
        let mut kept: Vec<Hit> = Vec::new();
        for h in hits {
            if let Some(last) = kept.last_mut() {
                if h.span.start < last.span.end {
                    // A pattern hit inside a lexicon-only hit upgrades it.
                    if h.kind == HitKind::Pattern && last.kind == HitKind::Lexicon {
                        last.kind = HitKind::Pattern;
                        last.score = last.score.max(h.score);
                    }
                    continue;
                }
            }
            kept.push(h);
        }
        out.extend(kept);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> &'static Names {
        static D: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
        D.get_or_init(Names::new)
    }

    fn people(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        shared().detect(text, &mut out);
        out.iter()
            .map(|h| {
                assert!(text.is_char_boundary(h.span.start) && text.is_char_boundary(h.span.end));
                text[h.span.start..h.span.end].to_string()
            })
            .collect()
    }

    #[test]
    fn honorifics_exclude_the_title() {
        assert_eq!(
            people("Herr Koch aus der Lindenstraße 5 in Leipzig hat angerufen."),
            vec!["Koch"]
        );
        assert_eq!(people("Sehr geehrte Frau Dr. Weber,"), vec!["Weber"]);
        assert_eq!(people("Hallo Herr Özdemir, danke!"), vec!["Özdemir"]);
        assert_eq!(
            people("Ticket von Frau Weber (weber@example.com)"),
            vec!["Weber"]
        );
        assert_eq!(
            people("Familie Müller-Lüdenscheidt"),
            vec!["Müller-Lüdenscheidt"]
        );
        assert_eq!(people("Herrn Hans von Weber"), vec!["Hans von Weber"]);
        assert_eq!(people("Hr. Al-Hassan meldet sich"), vec!["Al-Hassan"]);
        assert!(people("Der größte Kunde von Spezstroi ist das Amt.").is_empty());
        assert_eq!(people("Kundin Ana Iwanowa"), vec!["Ana Iwanowa"]);
        // Role nouns are skipped like titles; one that is also a surname is the name.
        assert_eq!(
            people("Sehr geehrter Herr Bürgermeister Meyer,"),
            vec!["Meyer"]
        );
        assert!(people("Sehr geehrter Herr Bürgermeister, vielen Dank.").is_empty());
        assert!(people("Liebe Frau Ministerin, wir danken Ihnen.").is_empty());
        assert_eq!(people("Guten Tag Herr Richter,"), vec!["Richter"]);
    }

    #[test]
    fn a_known_name_after_a_role_noun_is_a_person() {
        let pattern = |t: &str| -> Vec<String> {
            let mut out = Vec::new();
            shared().detect(t, &mut out);
            out.iter()
                .filter(|h| h.kind == HitKind::Pattern)
                .map(|h| t[h.span.start..h.span.end].to_string())
                .collect()
        };
        // A surname that is also a word, a full name, a customer-service role.
        assert_eq!(
            pattern("Der Regensburger Verteidiger Bauer lenkte den Ball ab."),
            vec!["Bauer"]
        );
        assert_eq!(
            pattern("Bundeskanzler Olaf Scholz sagte"),
            vec!["Olaf Scholz"]
        );
        assert_eq!(pattern("Der Techniker Klein kam um 10 Uhr."), vec!["Klein"]);
        assert_eq!(
            pattern("sagte Präsident Harald Strutz."),
            vec!["Harald Strutz"]
        );
        assert_eq!(
            pattern("der Präsident Fernando Collor de Mello"),
            vec!["Fernando Collor de Mello"]
        );
        // No role, a role that is a surname itself, or a given name that is
        // mostly a word: no pattern hit.
        assert_eq!(
            pattern(
                "Der Kalif Harun ar-Raschid und die Ornithologin Petra Vogel von der Vogelwarte"
            ),
            vec!["Harun ar-Raschid", "Petra Vogel"]
        );
        assert!(pattern("Der Bauer lenkte den Ball ab.").is_empty());
        assert!(pattern("Der Vorsitzende Richter Wolfgang Braun sprach.").is_empty());
        assert!(pattern("Der Koch Bauer kam.").is_empty());
        assert!(pattern("mit Hausarzt Rücksprache halten").is_empty());
    }

    #[test]
    fn near_misses_are_not_names() {
        assert!(people("Der Koch hat gekocht.").is_empty());
        assert!(people("die Frau am Telefon war nett").is_empty());
        assert!(people("Herr der Ringe ist ein Film").is_empty());
        assert!(people("Liebe Grüße aus dem Urlaub").is_empty());
        assert!(people("Hallo zusammen, Hallo Support-Team,").is_empty());
        assert!(people("Fr. 15.03. geschlossen").is_empty());
        assert!(people("Sehr geehrte/r Herr/Frau XY, Ihr Vertrag").is_empty());
        assert!(people("Sehr geehrte Frau NAME, Ihr Vertrag").is_empty());
    }

    #[test]
    fn lowercase_self_introductions() {
        let found = |t: &str| -> Vec<String> {
            let mut out = Vec::new();
            shared().detect(t, &mut out);
            out.iter()
                .map(|h| t[h.span.start..h.span.end].to_string())
                .collect()
        };
        assert_eq!(
            found("hallo, ich bin anna schmidt und wohne in leipzig"),
            ["anna schmidt"]
        );
        assert_eq!(found("hier ist mehmet, meine bestellung fehlt"), ["mehmet"]);
        // Ordinary words and ambiguous names are no introductions.
        assert!(found("ich bin froh, ich bin katholisch").is_empty());
        assert!(found("ich bin rosa gekleidet").is_empty());
    }

    #[test]
    fn lowercase_chat_signoffs() {
        let d = shared();
        let found = |t: &str| {
            let mut matches = Vec::new();
            d.lexicon.find(t, &mut matches);
            let mut out = Vec::new();
            d.lowercase_signoffs(t, &matches, &mut out);
            out.iter()
                .map(|h| t[h.span.start..h.span.end].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found("geht express? bestellnr #77120 lg hakan ✈️"),
            ["hakan"]
        );
        assert_eq!(found("danke!\nlg\nlaura-erika"), ["laura-erika"]);
        assert_eq!(found("bestellnr ist DE-5561203, hakan"), ["hakan"]);
        // Not at a line end, no closer or comma, an ordinary word after a
        // comma, a capitalised word (the main pass reads those).
        assert!(found("lg hakan und danke").is_empty());
        assert!(found("die schuhe in schwarz hakan").is_empty());
        assert!(found("bitte in schwarz, rosa").is_empty());
        assert!(found("lg Hakan").is_empty());
    }

    #[test]
    fn names_stop_before_articles_and_unknown_third_words() {
        assert_eq!(
            people("wie später Neil Armstrong den Mond betrat"),
            vec!["Neil Armstrong"]
        );
        assert_eq!(
            people("Das hatte Anna Keller vom Institut festgestellt."),
            vec!["Anna Keller"]
        );
        assert_eq!(
            people("Trennung von ihrem Freund Matthew Williams Liebeskummer."),
            vec!["Matthew Williams"]
        );
        assert_eq!(
            people("Er hatte Joseph Victor von Scheffel zu Gast."),
            vec!["Joseph Victor von Scheffel"]
        );
        assert_eq!(
            people("Termin mit Anna Lena Schulz und Frau von der Leyen."),
            vec!["Anna Lena Schulz", "von der Leyen"]
        );
        assert_eq!(people("Herr van den Berg rief an."), vec!["van den Berg"]);
    }

    #[test]
    fn greetings() {
        assert_eq!(people("Liebe Anna,\nwie geht's?"), vec!["Anna"]);
        assert_eq!(people("Hi Jan,\nkurze Frage"), vec!["Jan"]);
        assert_eq!(people("Guten Tag Frau Yılmaz!"), vec!["Yılmaz"]);
    }

    #[test]
    fn signatures() {
        assert_eq!(
            people("Danke.\n\nMit freundlichen Grüßen\nAnna-Lena Schulz\n"),
            vec!["Anna-Lena Schulz"]
        );
        assert_eq!(people("Viele Grüße, Dragan"), vec!["Dragan"]);
        assert_eq!(people("LG\nKevin"), vec!["Kevin"]);
        assert_eq!(people("MfG\nTHOMAS KRAUSE"), vec!["THOMAS KRAUSE"]);
        // Not a signature: more text on the line.
        assert!(people("Viele Grüße an das ganze Team").is_empty());
    }

    #[test]
    fn headers() {
        assert_eq!(
            people("Von: Anna Schulz <anna.schulz@example.com>\nAn: Kundenservice <s@x.de>"),
            vec!["Anna Schulz"]
        );
        assert_eq!(
            people("An: Meier, Peter; Nguyen Van Minh"),
            vec!["Meier", "Peter", "Nguyen Van Minh"]
        );
        assert_eq!(people("Ansprechpartner: Herr Vogel"), vec!["Vogel"]);
        assert_eq!(
            people("An: Anna und Peter Schulz"),
            vec!["Anna", "Peter Schulz"]
        );
        // Chat turns are sentences, not name lists.
        assert!(people("Kundin: Die Zahlung mit der Karte wurde abgelehnt.").is_empty());
        assert!(people("Kunde: hi, Mein Geburtsdatum ist falsch.").is_empty());
        assert!(people("Kundin: Laut Krankenkassen-Report ist das so.").is_empty());
        assert_eq!(
            people("Von: Amazon.de <noreply@amazon.de>"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_signature_block_starts_at_the_last_closer() {
        let t = "Hallo,\nbitte prüfen.\n\nViele Grüße, Anna\nMit freundlichen Grüßen\n\nDennis K.\nFirma GmbH";
        assert_eq!(signature_start(t), t.find("Mit freundlichen"));
        assert_eq!(
            signature_start("Viele Grüße an das ganze Team\nDanke"),
            None
        );
        assert_eq!(signature_start("LGA 12 ist ein Gate.\nLG\nKevin"), Some(21));
        assert_eq!(signature_start("Kein Gruß hier."), None);
    }

    #[test]
    fn given_name_lexicon() {
        assert_eq!(
            people("Gestern hat Mehmet Yilmaz angerufen."),
            vec!["Mehmet Yilmaz"]
        );
        assert_eq!(
            people("Laut Katarzyna Nowak ist alles ok."),
            vec!["Katarzyna Nowak"]
        );
        assert_eq!(people("Bitte Julia ausrichten."), vec!["Julia"]);
        // Given names of the wider Faker locales need a surname.
        assert_eq!(
            people("Der Schwede Armand Duplantis sprang."),
            vec!["Armand Duplantis"]
        );
        assert!(people("Armand sprang.").is_empty());
        // Two full names one after the other are two people.
        assert_eq!(
            people("nachdem Nico Schlotterbeck Jamal Musiala gelegt hatte"),
            vec!["Nico Schlotterbeck", "Jamal Musiala"]
        );
        assert_eq!(
            people("Gestern kam Anna Lena Schulz."),
            vec!["Anna Lena Schulz"]
        );
        // Shouted: a verb after the surname is no second name word.
        assert_eq!(people("FRAU PETRENKO BERICHTET"), vec!["PETRENKO"]);
        assert_eq!(people("FRAU OLGA PETRENKO"), vec!["OLGA PETRENKO"]);
        assert_eq!(people("FRAU DR. LINDQVIST-MAIER"), vec!["LINDQVIST-MAIER"]);
        // Tariff tiers and staff nouns after a trigger are no names.
        assert!(people("| Familie Plus | 12,50 € |").is_empty());
        assert!(people("bietet die Sachbearbeiterin Personal an").is_empty());
        assert_eq!(people("Schmidt hat sich gemeldet."), vec!["Schmidt"]);
        // Ambiguous given names and noun surnames need more context.
        assert!(people("Ernst nehmen wir das.").is_empty());
        assert!(people("Wolf im Wald").is_empty());
        assert_eq!(people("Anna Vogel war da"), vec!["Anna Vogel"]);
        assert_eq!(people("Maria Bestellung"), vec!["Maria"]);
    }

    #[test]
    fn a_tab_separates_table_columns_not_names() {
        assert!(people("Rechnungsnr\tDatum\tKunde\tBetrag\tStatus").is_empty());
        assert_eq!(people("Kunde Max Müller hat angerufen."), ["Max Müller"]);
        assert_eq!(people("4711\tAdrian\tAda\tBochum"), ["Adrian"]);
    }

    #[test]
    fn emoji_and_umlauts() {
        assert_eq!(people("🙂 Frau Müßig 🙂"), vec!["Müßig"]);
        assert_eq!(people("Grüße 👋\nJürgen"), vec!["Jürgen"]);
    }
}
