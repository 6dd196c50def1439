//! The verdict policy: fused entities (+ the text they came from) → a
//! traffic-light colour and the reasons that drove it.
//!
//! The rules, from the SPEC:
//! - **RED** when Art. 9 data (health, religion, politics …) concerns a
//!   person, or when the text is a bulk export about customers: a forwarded
//!   thread with several `Von:`/`An:` headers, pasted CRM/CSV rows, or many
//!   identifiers of several people;
//! - **YELLOW** when anything identifies someone (names, contact data,
//!   customer numbers, addresses, bank data, IPs);
//! - **GREEN** otherwise. Organisations, places, URLs and dates alone
//!   identify nobody.
//!
//! Art. 9 terms count only when they concern a person ("Ich bin schwanger",
//! "Herr Koch … nach seiner Knie-OP"), not in general statements or product
//! names ("Diabetes ist eine Volkskrankheit", "Allergiker-Bettwäsche"):
//! [`Policy::about_person`] decides that from the sentence around the term.
//!
//! The thresholds live in a TOML file; [`Policy::default`] is the embedded
//! `policy.toml`, and `--policy FILE` replaces it.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::types::{Ampel, Entity, Label, Source, Span};

/// The embedded default policy.
pub const DEFAULT_POLICY_TOML: &str = include_str!("policy.toml");

/// A policy file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("cannot read policy file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The TOML is malformed or names an unknown label.
    #[error("invalid policy: {0}")]
    Invalid(String),
}

/// Thresholds and label sets of the verdict, as read from TOML.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Free-form version string, reported by `Info`.
    pub version: String,
    /// Labels that make a text at least YELLOW.
    pub identifying: BTreeSet<Label>,
    /// Require a person reference near an Art. 9 term for RED.
    #[serde(default = "yes")]
    pub art9_requires_person: bool,
    /// How sure the model alone (no rule or lexicon agreeing) must be of an
    /// Art. 9 span for it to make a text RED; a less certain span is still
    /// redacted.
    #[serde(default = "art9_model_min_score")]
    pub art9_model_min_score: f32,
    /// Bulk-export thresholds (RED).
    pub bulk: Bulk,
}

fn yes() -> bool {
    true
}

fn art9_model_min_score() -> f32 {
    0.9
}

/// When a text counts as a bulk export about customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bulk {
    /// Distinct persons named, together with `min_identifiers`, make RED.
    pub min_persons: usize,
    /// Distinct identifying values (names, e-mails, phones, IDs …).
    pub min_identifiers: usize,
    /// Mail headers (`Von:`, `An:`, `From:`, `Gesendet:` …) that mark a
    /// forwarded thread; RED together with `min_thread_persons` persons.
    pub min_thread_headers: usize,
    /// Distinct persons or e-mail addresses needed in a thread.
    pub min_thread_persons: usize,
    /// Delimited rows (CSV, TSV, `;`, `|`) that each hold an identifier.
    pub min_rows: usize,
}

/// Why a text got its colour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Stable machine code, e.g. `art9_about_person`.
    pub code: String,
    /// Human-readable explanation (English; UIs translate by code).
    pub message: String,
}

impl Reason {
    fn new(code: &str, message: String) -> Self {
        Reason {
            code: code.to_string(),
            message,
        }
    }
}

/// The colour and the reasons that drove it (strongest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// GREEN, YELLOW or RED.
    pub ampel: Ampel,
    /// Reasons, strongest first; empty for GREEN without findings.
    pub reasons: Vec<Reason>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::from_toml(DEFAULT_POLICY_TOML)
            .expect("the embedded policy.toml is valid. This is a bug.")
    }
}

impl Policy {
    /// Parse a policy from TOML text.
    pub fn from_toml(s: &str) -> Result<Self, PolicyError> {
        toml::from_str(s).map_err(|e| PolicyError::Invalid(e.message().to_string()))
    }

    /// Read a policy file.
    pub fn from_file(path: &Path) -> Result<Self, PolicyError> {
        let s = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_toml(&s)
    }

    /// Does the Art. 9 entity `e` concern a person? Looks at the sentence
    /// around it: a first-person word ("ich", "meine") or a detected name
    /// there is enough; a third-person word ("seiner", "sie") or a person
    /// noun ("Kundin", "Patient") counts only when the text also names or
    /// addresses someone (a name, "Herr", "Frau", a singular person noun),
    /// so generic advice ("Versicherte stellen den Antrag bei ihrer
    /// Pflegekasse") stays general. Company voice ("wir", "unsere") is not a
    /// person.
    ///
    /// For many terms in one text use [`Policy::about_nobody`], which looks
    /// at the whole text once instead of once per term.
    pub fn about_person(&self, text: &str, e: &Entity, entities: &[Entity]) -> bool {
        self.about_person_in(&People::new(text, entities), e)
    }

    /// The Art. 9 entities among `entities` that concern nobody (in text
    /// order): they are no personal data.
    pub fn about_nobody<'e>(&self, text: &str, entities: &'e [Entity]) -> Vec<&'e Entity> {
        let people = People::new(text, entities);
        entities
            .iter()
            .filter(|e| e.label.is_art9() && !self.about_person_in(&people, e))
            .collect()
    }

    fn about_person_in(&self, people: &People<'_>, e: &Entity) -> bool {
        if !self.art9_requires_person {
            return true;
        }
        let text = people.text;
        let (s, end) = sentence_around(text, e.span.start, e.span.end);
        let s = s + speaker_label_len(text, s, end, people);
        let raw = text.get(s..end).unwrap_or("");
        let sentence = person_cue_words(raw);
        // An animal's illness is no person's health data ("Unser Hund hat
        // Diabetes", "Die Katze von Familie Berger … beim Tierarzt"),
        // unless the writer says "ich" or it is an allergy, which only
        // people have to animals ("Mein Sohn ist allergisch gegen Katzen").
        let term = text
            .get(e.span.start..e.span.end)
            .unwrap_or("")
            .to_lowercase();
        if sentence.iter().any(|w| is_animal_word(w))
            && !term.contains("allerg")
            && !sentence
                .iter()
                .any(|w| matches!(w.as_str(), "ich" | "mir" | "mich"))
        {
            return false;
        }
        if people.any_within(s, end) {
            return true;
        }
        if sentence.iter().any(|w| FIRST_PERSON.contains(&w.as_str())) {
            return true;
        }
        let third = sentence.iter().any(|w| {
            THIRD_PERSON.contains(&w.as_str())
                || PERSON_NOUNS.contains(&w.as_str())
                || is_record_word(w)
        }) || subject_left_out(text, raw, end);
        third && (!people.spans.is_empty() || people.someone_addressed())
    }

    /// Decide the colour of `text` given its fused entities.
    pub fn verdict(&self, text: &str, entities: &[Entity]) -> Verdict {
        let mut red = Vec::new();
        let mut yellow = Vec::new();

        // Art. 9 about a person.
        let mut art9: BTreeMap<Label, usize> = BTreeMap::new();
        let sure = |e: &Entity| e.source != Source::Model || e.score >= self.art9_model_min_score;
        let people = People::new(text, entities);
        for e in entities.iter().filter(|e| e.label.is_art9() && sure(e)) {
            if self.about_person_in(&people, e) {
                *art9.entry(e.label).or_default() += 1;
            }
        }
        for (label, n) in &art9 {
            let what = if *label == Label::Health {
                "health data"
            } else {
                "special-category data"
            };
            red.push(Reason::new(
                "art9_about_person",
                format!("{label} about a person: {n} mention(s) of {what} (Art. 9 GDPR)"),
            ));
        }

        // Bulk exports.
        let persons = distinct_persons(text, entities);
        let emails = distinct(text, entities, |l| l == Label::Email);
        let headers = count_mail_headers(text);
        if headers >= self.bulk.min_thread_headers
            && persons.max(emails) >= self.bulk.min_thread_persons
        {
            red.push(Reason::new(
                "thread",
                format!(
                    "forwarded e-mail thread: {headers} mail headers, {} persons or addresses",
                    persons.max(emails)
                ),
            ));
        }
        let rows = count_identifying_rows(text, entities, &self.identifying);
        if rows >= self.bulk.min_rows {
            red.push(Reason::new(
                "bulk_rows",
                format!("pasted table or export: {rows} rows with personal data"),
            ));
        }
        // Many people: the writer's own signature block (name, company,
        // imprint with managing directors, phone, fax) is one sender, not
        // an export, so it is left out of this count.
        let body_end = crate::rules::signature_start(text).unwrap_or(text.len());
        let body: Vec<Entity> = entities
            .iter()
            .filter(|e| e.span.start < body_end)
            .cloned()
            .collect();
        let persons = distinct_persons(text, &body);
        let identifiers = distinct(text, &body, |l| self.identifying.contains(&l));
        if persons >= self.bulk.min_persons && identifiers >= self.bulk.min_identifiers {
            red.push(Reason::new(
                "many_persons",
                format!("{persons} persons with {identifiers} identifying values"),
            ));
        }

        // Anything identifying.
        let mut counts: BTreeMap<Label, usize> = BTreeMap::new();
        for e in entities
            .iter()
            .filter(|e| self.identifying.contains(&e.label))
        {
            *counts.entry(e.label).or_default() += 1;
        }
        if !counts.is_empty() {
            let list: Vec<String> = counts.iter().map(|(l, n)| format!("{n} {l}")).collect();
            yellow.push(Reason::new(
                "identifying",
                format!("identifies a person: {}", list.join(", ")),
            ));
        }

        if !red.is_empty() {
            red.extend(yellow);
            Verdict {
                ampel: Ampel::Red,
                reasons: red,
            }
        } else if !yellow.is_empty() {
            Verdict {
                ampel: Ampel::Yellow,
                reasons: yellow,
            }
        } else {
            Verdict {
                ampel: Ampel::Green,
                reasons: Vec::new(),
            }
        }
    }
}

/// Animals and their doctors (lower case, also as the head of a compound:
/// "Hofhund", "Kleintierpraxis").
const ANIMALS: &[&str] = &[
    "hund",
    "hunde",
    "hundes",
    "hündin",
    "welpe",
    "welpen",
    "katze",
    "katzen",
    "kater",
    "kätzchen",
    "pferd",
    "pferde",
    "pferdes",
    "pony",
    "kaninchen",
    "meerschweinchen",
    "hamster",
    "wellensittich",
    "papagei",
    "tierarzt",
    "tierärztin",
    "tierarztes",
    "tierklinik",
    "tierpraxis",
    "kleintierpraxis",
];

fn is_animal_word(w: &str) -> bool {
    ANIMALS.contains(&w)
        || ["hund", "katze", "tierarzt", "tierklinik", "tierpraxis"]
            .iter()
            .any(|head| w.len() > head.len() + 2 && w.ends_with(head))
}

/// First-person words: the writer speaks about themselves.
const FIRST_PERSON: &[&str] = &[
    "ich", "mir", "mich", "mein", "meine", "meiner", "meinem", "meinen", "meines",
];

/// Third-person and addressed-person words.
const THIRD_PERSON: &[&str] = &[
    "er", "sie", "ihm", "ihn", "ihr", "ihre", "ihrer", "ihrem", "ihren", "sein", "seine", "seiner",
    "seinem", "seinen", "seines", "dessen", "deren", "du", "dir", "dich", "dein", "deine",
    "deiner", "deinem", "deinen", "ihnen",
];

/// Nouns for people (singular and plural).
const PERSON_NOUNS: &[&str] = &[
    "herr",
    "herrn",
    "frau",
    "hr",
    "fr",
    "kunde",
    "kunden",
    "kundin",
    "patient",
    "patientin",
    "patienten",
    "mitarbeiter",
    "mitarbeiterin",
    "kollege",
    "kollegin",
    "sohn",
    "tochter",
    "kind",
    "mann",
    "ehemann",
    "ehefrau",
    "partner",
    "partnerin",
    "mutter",
    "vater",
    "bruder",
    "schwester",
    "versicherte",
    "versicherter",
    "bewerber",
    "bewerberin",
    "antragsteller",
    "antragstellerin",
    "mieter",
    "mieterin",
    "schüler",
    "schülerin",
    "gast",
    "nutzer",
    "nutzerin",
    "käufer",
    "käuferin",
    "absender",
    "absenderin",
    "anruferin",
    "anrufer",
    // CRM shorthand: "Kd. nimmt Insulin", "Pat. ist schwanger".
    "kd",
    "kdin",
    "pat",
];

/// Words of a personal record: an Art. 9 term next to them is about the
/// record's subject ("Laut Attest HIV", a "Diagnose" column), as long as the
/// text names someone. The field names of `rules/lexicons/fields.txt`
/// ("Konfession", "GdB" …) count too, see [`is_record_word`].
const RECORD_WORDS: &[&str] = &[
    "attest",
    "diagnostiziert",
    "krankgeschrieben",
    "krankschreibung",
    "arbeitsunfähig",
    "arbeitsunfähigkeit",
];

/// Finite verbs that open a note's sentence whose subject is left out
/// ("Nimmt dauerhaft Marcumar.", "Hat seit 2019 Diabetes."): the subject is
/// the person the note is about, so such a sentence counts like one with a
/// third-person word. Questions ("Ist Diabetes heilbar?") do not count.
const NOTE_VERBS: &[&str] = &[
    "hat",
    "hatte",
    "nimmt",
    "nahm",
    "ist",
    "war",
    "wurde",
    "leidet",
    "litt",
    "bekommt",
    "bekam",
    "erhält",
    "erhielt",
    "braucht",
    "benötigt",
    "befindet",
    "klagt",
    "klagte",
    "trägt",
    "muss",
    "musste",
    "kann",
    "konnte",
    "darf",
    "möchte",
    "wünscht",
    "meldet",
    "meldete",
    "berichtet",
    "berichtete",
    "erwähnt",
    "erwähnte",
    "gibt",
    "gab",
];

/// A record word or an Art. 9 field name (`w` is lower case).
/// The words of `t`, lower case, for the person cues. "Hr"/"Fr" count
/// only as the abbreviations "Hr."/"Fr.": "HR-07" or "HR-Abteilung" is the
/// department, no person.
fn person_cue_words(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(i) = rest.find(char::is_alphanumeric) {
        let r = &rest[i..];
        let n = r.find(|c: char| !c.is_alphanumeric()).unwrap_or(r.len());
        let w = r[..n].to_lowercase();
        rest = &r[n..];
        if matches!(w.as_str(), "hr" | "fr") && !rest.starts_with('.') {
            continue;
        }
        out.push(w);
    }
    out
}

/// `text` with short quotations (three words or fewer) blanked out: a menu
/// or button label („Meine Daten“, „Mein Vertrag“) is nobody.
fn without_short_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('„') {
        out.push_str(&rest[..i]);
        let inner = &rest[i + '„'.len_utf8()..];
        match inner.find(['“', '\n']) {
            Some(j)
                if inner[j..].starts_with('“') && inner[..j].split_whitespace().count() <= 3 =>
            {
                out.push(' ');
                rest = &inner[j + '“'.len_utf8()..];
            }
            _ => {
                out.push('„');
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_record_word(w: &str) -> bool {
    RECORD_WORDS.contains(&w) || crate::rules::field_label(w).is_some()
}

/// Abbreviations whose '.' does not end a sentence ("Kd. nimmt Insulin",
/// "Hr. Weber", "geb. 1975", "Kto. 4711"), lower case, without the dot.
/// Single letters ("z.B.", "Stefan W.") never end one either.
const ABBREVIATIONS: &[&str] = &[
    "kd", "kdin", "pat", "hr", "fr", "hrn", "dr", "prof", "nr", "tel", "geb", "ca", "bzw", "vgl",
    "inkl", "ggf", "evtl", "zzgl", "bzgl", "str", "usw", "mind", "max", "min", "kto", "abt", "abs",
    "az", "fa", "lt", "sog", "bspw", "mio", "mrd", "std", "dipl", "ing", "st", "vers",
];

/// Words that show a text is about someone in particular.
const SOMEONE: &[&str] = &[
    "herr",
    "herrn",
    "frau",
    "hr",
    "fr",
    "kundin",
    "patientin",
    "mitarbeiterin",
    "kollegin",
    "sohn",
    "tochter",
    "ehemann",
    "ehefrau",
    "partnerin",
    "mutter",
    "vater",
    "bruder",
    "schwester",
    "versicherter",
    "bewerberin",
    "antragstellerin",
    "mieterin",
    "schülerin",
    "nutzerin",
    "käuferin",
    "absenderin",
    "anruferin",
    "anrufer",
    "ich",
    "mein",
    "meine",
];

/// The people a text names, looked up once per verdict rather than once
/// per Art. 9 term: a long export with thousands of diagnoses stays linear.
struct People<'a> {
    text: &'a str,
    /// Person spans, sorted by start.
    spans: Vec<Span>,
    /// `reach[i]`: the furthest end among `spans[..=i]`.
    reach: Vec<usize>,
    /// Whether the text addresses someone ("Herr", "Frau", "Kundin" …);
    /// found on first use.
    someone: OnceCell<bool>,
}

impl<'a> People<'a> {
    fn new(text: &'a str, entities: &[Entity]) -> Self {
        let mut spans: Vec<Span> = entities
            .iter()
            .filter(|e| e.label == Label::Person)
            .map(|e| e.span)
            .collect();
        spans.sort_unstable();
        let reach = spans
            .iter()
            .scan(0, |far, sp| {
                *far = sp.end.max(*far);
                Some(*far)
            })
            .collect();
        People {
            text,
            spans,
            reach,
            someone: OnceCell::new(),
        }
    }

    /// Whether a person span overlaps `[s, end)`.
    fn any_within(&self, s: usize, end: usize) -> bool {
        let k = self.spans.partition_point(|sp| sp.start < end);
        k > 0 && self.reach[k - 1] > s
    }

    /// Whether `[s, end)` is exactly a person span.
    fn is_name(&self, s: usize, end: usize) -> bool {
        self.spans.binary_search(&Span::new(s, end)).is_ok()
    }

    fn someone_addressed(&self) -> bool {
        *self.someone.get_or_init(|| {
            person_cue_words(&without_short_quotes(self.text))
                .iter()
                .any(|w| SOMEONE.contains(&w.as_str()))
        })
    }
}

/// Whether the sentence `raw`, ending at byte `end` of `text`, opens with a
/// capitalised [`NOTE_VERBS`] verb and is no question.
fn subject_left_out(text: &str, raw: &str, end: usize) -> bool {
    let first = raw
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    first.chars().next().is_some_and(char::is_uppercase)
        && NOTE_VERBS.contains(&first.to_lowercase().as_str())
        && !text.get(end..).is_some_and(|t| t.starts_with('?'))
}

/// Length of a chat speaker label that opens the sentence at `s` ("Kunde:
/// ", "Biljana: "): a person noun or a detected name at the start of a
/// line, a colon, and a sentence of at least four words after it. The
/// label says who speaks, not whom the sentence is about: "Kunde: Diabetes
/// ist eine Volkskrankheit." is a general statement, "Kunde: Ich habe
/// Diabetes." still says "ich". 0 when there is none.
fn speaker_label_len(text: &str, s: usize, end: usize, people: &People<'_>) -> usize {
    let raw = text.get(s..end).unwrap_or("");
    let at_line_start = text
        .get(..s)
        .is_none_or(|b| b.is_empty() || b.ends_with('\n'));
    let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
    let Some(colon) = raw.find(':') else {
        return 0;
    };
    let label = raw.get(lead..colon).unwrap_or("");
    let rest = raw.get(colon + 1..).unwrap_or("");
    let is_speaker = !label.is_empty()
        && label.chars().all(char::is_alphabetic)
        && (PERSON_NOUNS.contains(&label.to_lowercase().as_str())
            || people.is_name(s + lead, s + colon));
    let sentence_words = rest
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic));
    if at_line_start && is_speaker && rest.starts_with(' ') && sentence_words.count() >= 4 {
        colon + 1
    } else {
        0
    }
}

/// How far a sentence reaches either side of a term, in bytes. Past that
/// the "sentence" is a list or a one-line export without full stops, and a
/// cue word so far away says nothing about this term; the cap also keeps a
/// megabyte on one line from costing a megabyte per term.
const SENTENCE_REACH: usize = 400;

/// Byte range of the sentence (or line) that holds `[start, end)`, at most
/// [`SENTENCE_REACH`] bytes either side of it, cut after a space (at the
/// term when the cut would fall inside a 400-byte "word").
fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    // ';' does not end a sentence: it joins clauses in prose and separates
    // the cells of one record in pasted exports ("Anna Weber;Parkinson").
    let is_break = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    let reach = crate::text::snap_to_chars(
        text,
        start.saturating_sub(SENTENCE_REACH),
        end.saturating_add(SENTENCE_REACH),
    );
    let (lo, hi) = (reach.start, reach.end);
    let before = text.get(lo..start).unwrap_or("");
    let mut s = if lo == 0 {
        0
    } else {
        lo + before.find(' ').map_or(before.len(), |i| i + 1)
    };
    for (i, c) in before.char_indices().rev() {
        if is_break(c) && !(c == '.' && dot_continues(&text[..lo + i])) {
            s = lo + i + c.len_utf8();
            break;
        }
    }
    let after = text.get(end..hi).unwrap_or("");
    let mut e = if hi >= text.len() {
        text.len()
    } else {
        end + after.rfind(' ').unwrap_or(0)
    };
    for (i, c) in after.char_indices() {
        if is_break(c) && !(c == '.' && dot_continues(&text[..end + i])) {
            e = end + i;
            break;
        }
    }
    (s, e)
}

/// Whether a '.' after `before` leaves the sentence open: after one or two
/// digits (an ordinal or a date: "3.", "15.01."; not a phone number or a
/// year: "… 4650181. Der Ratgeber …"), after a known abbreviation ("Kd.", "geb.") or
/// after a compound abbreviated to "…nr." / "…str." ("Mitgliedsnr.",
/// "Reichenbachstr.").
fn dot_continues(before: &str) -> bool {
    let digits = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        return digits <= 2;
    }
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
        || lower.chars().count() == 1
        || (lower.len() > 3 && (lower.ends_with("nr") || lower.ends_with("str")))
}

/// Distinct persons: like [`distinct`], but given name and surname in two
/// neighbouring cells of a pasted table ("Benedikt;Sauer", "Anna\tWeber")
/// are one person, not two.
fn distinct_persons(text: &str, entities: &[Entity]) -> usize {
    let mut persons: Vec<&Entity> = entities
        .iter()
        .filter(|e| e.label == Label::Person)
        .collect();
    persons.sort_by_key(|e| e.span.start);
    let mut names = BTreeSet::new();
    let mut i = 0;
    while i < persons.len() {
        let mut name = text
            .get(persons[i].span.start..persons[i].span.end)
            .unwrap_or("")
            .to_lowercase();
        while let Some(next) = persons.get(i + 1) {
            let gap = text.get(persons[i].span.end..next.span.start).unwrap_or("");
            if !matches!(gap, ";" | "\t" | "|" | " | " | ",") {
                break;
            }
            name.push(' ');
            name.push_str(
                &text
                    .get(next.span.start..next.span.end)
                    .unwrap_or("")
                    .to_lowercase(),
            );
            i += 1;
        }
        names.insert(name);
        i += 1;
    }
    names.len()
}

fn distinct(text: &str, entities: &[Entity], want: impl Fn(Label) -> bool) -> usize {
    entities
        .iter()
        .filter(|e| want(e.label))
        .filter_map(|e| text.get(e.span.start..e.span.end))
        .map(|s| s.to_lowercase())
        .collect::<BTreeSet<_>>()
        .len()
}

const MAIL_HEADERS: &[&str] = &[
    "von:",
    "an:",
    "cc:",
    "from:",
    "to:",
    "gesendet:",
    "sent:",
    "betreff:",
    "subject:",
    "datum:",
    "date:",
];

fn count_mail_headers(text: &str) -> usize {
    text.lines()
        .map(|l| l.trim_start_matches(['>', ' ', '\t']).to_lowercase())
        .filter(|l| MAIL_HEADERS.iter().any(|h| l.starts_with(h)))
        .count()
        + text.matches("-----Original Message-----").count()
        + text.matches("-----Ursprüngliche Nachricht-----").count()
}

/// Lines that look like delimited rows (≥ 2 separators) and hold an
/// identifying entity.
fn count_identifying_rows(text: &str, entities: &[Entity], identifying: &BTreeSet<Label>) -> usize {
    let mut spans: Vec<Span> = entities
        .iter()
        .filter(|x| identifying.contains(&x.label))
        .map(|x| x.span)
        .collect();
    spans.sort_unstable();
    let mut rows = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let (s, e) = (offset, offset + line.len());
        offset = e;
        let seps = line.matches([';', '\t', '|', ',']).count();
        if seps < 2 {
            continue;
        }
        let first = spans.partition_point(|x| x.start < s);
        if spans[first..]
            .iter()
            .take_while(|x| x.start <= e)
            .any(|x| x.end <= e)
        {
            rows += 1;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Source, Span};

    fn ent(text: &str, needle: &str, label: Label) -> Entity {
        let s = text.find(needle).expect("needle in text");
        Entity {
            span: Span::new(s, s + needle.len()),
            label,
            score: 1.0,
            source: Source::Rule,
        }
    }

    /// The sentence around the first `needle` in `t`.
    fn sentence_of<'a>(t: &'a str, needle: &str) -> &'a str {
        let s = t.find(needle).expect("needle in text");
        let (a, b) = sentence_around(t, s, s + needle.len());
        &t[a..b]
    }

    #[test]
    fn embedded_policy_parses() {
        let p = Policy::default();
        assert!(p.identifying.contains(&Label::Person));
        assert!(!p.identifying.contains(&Label::Location));
    }

    #[test]
    fn unknown_label_is_a_clear_error() {
        let bad = DEFAULT_POLICY_TOML.replace("\"PERSON\"", "\"NAME\"");
        let err = Policy::from_toml(&bad).unwrap_err().to_string();
        assert!(err.contains("NAME"), "{err}");
    }

    #[test]
    fn health_about_a_person_is_red() {
        let p = Policy::default();
        let t = "Ich bin schwanger und brauche die Babyausstattung.";
        let v = p.verdict(t, &[ent(t, "schwanger", Label::Health)]);
        assert_eq!(v.ampel, Ampel::Red);
        assert_eq!(v.reasons[0].code, "art9_about_person");
    }

    #[test]
    fn unsure_model_art9_spans_do_not_make_red() {
        let p = Policy::default();
        let t = "Kd. Wagner meldet Störung DSL seit gestern.";
        let mut es = vec![
            ent(t, "Wagner", Label::Person),
            ent(t, "Störung", Label::Health),
        ];
        es[1].source = Source::Model;
        es[1].score = 0.85;
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Yellow);
        es[1].score = 0.95;
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Red);
        // A rule (or rule and model together) needs no score.
        es[1].source = Source::ModelRule;
        es[1].score = 0.5;
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Red);
        // Older policy files without the key get the default.
        let old = DEFAULT_POLICY_TOML.replace("art9_model_min_score = 0.9", "");
        let q = Policy::from_toml(&old).expect("policy without the key");
        assert!((q.art9_model_min_score - 0.9).abs() < f32::EPSILON);
    }

    #[test]
    fn name_cells_of_one_row_are_one_person() {
        let t = "Vorname;Nachname\nBenedikt;Sauer\nMirela;Popescu\nAnna, Tom";
        let es: Vec<Entity> = ["Benedikt", "Sauer", "Mirela", "Popescu", "Anna", "Tom"]
            .iter()
            .map(|n| ent(t, n, Label::Person))
            .collect();
        // Two table rows, and two people in a prose list.
        assert_eq!(distinct_persons(t, &es), 4);
    }

    #[test]
    fn department_names_and_menu_labels_are_nobody() {
        let p = Policy::default();
        // "HR-07" is the department, not "Hr." (Herr).
        let t = "Prozessbeschreibung HR-07 „Arbeitsunfähigkeit“ (gültig ab Januar)";
        let v = p.verdict(t, &[ent(t, "Arbeitsunfähigkeit", Label::Health)]);
        assert_eq!(v.ampel, Ampel::Green);
        let t = "Hr. Weber meldet Arbeitsunfähigkeit.";
        let v = p.verdict(t, &[ent(t, "Arbeitsunfähigkeit", Label::Health)]);
        assert_eq!(v.ampel, Ampel::Red);
        // A menu label („Meine Daten“) is no first person.
        let t = "Im Bereich „Meine Daten“ lässt sich die IBAN ändern.\nNeues Pflichtfeld „Pflegegrad“ in der Antragsstrecke.";
        let v = p.verdict(t, &[ent(t, "Pflegegrad", Label::Health)]);
        assert_eq!(v.ampel, Ampel::Green);
        assert_eq!(
            without_short_quotes("a „Meine Daten“ b „ein ganz langes Zitat hier“"),
            "a   b „ein ganz langes Zitat hier“"
        );
    }

    #[test]
    fn general_health_statement_is_not_red() {
        let p = Policy::default();
        let t = "Diabetes ist eine Volkskrankheit.";
        let v = p.verdict(t, &[ent(t, "Diabetes", Label::Health)]);
        assert_eq!(v.ampel, Ampel::Green);
    }

    #[test]
    fn name_alone_is_yellow_and_place_alone_is_green() {
        let p = Policy::default();
        let t = "Gruß aus Leipzig, Anna Schulz";
        let v = p.verdict(t, &[ent(t, "Anna Schulz", Label::Person)]);
        assert_eq!(v.ampel, Ampel::Yellow);
        let v = p.verdict(t, &[ent(t, "Leipzig", Label::Location)]);
        assert_eq!(v.ampel, Ampel::Green);
    }

    #[test]
    fn forwarded_thread_is_red() {
        let p = Policy::default();
        let t = "Von: Anna Schulz <a@x.de>\nAn: Jan Roth <j@x.de>\nBetreff: Rechnung\n\n> Von: Jan Roth\n> An: Anna Schulz";
        let es = vec![
            ent(t, "Anna Schulz", Label::Person),
            ent(t, "a@x.de", Label::Email),
            ent(t, "Jan Roth", Label::Person),
            ent(t, "j@x.de", Label::Email),
        ];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Red);
    }

    #[test]
    fn sentence_bounds_skip_abbreviations() {
        let t = "Rückruf erbeten. Kd. nimmt Insulin, fragt nach. Danke.";
        let sentence = sentence_of(t, "Insulin");
        assert_eq!(sentence, " Kd. nimmt Insulin, fragt nach");
    }

    #[test]
    fn many_people_make_an_export_but_a_signature_block_is_one_sender() {
        let p = Policy::default();
        let people = [
            "Anna Roth",
            "Uwe Schmied",
            "Katrin Holm",
            "Dennis Kaczmarek",
        ];
        let values = [
            "030 4212 883-0",
            "030 4212 883-99",
            "a@x.de",
            "b@x.de",
            "c@x.de",
            "d@x.de",
            "Storkower Str. 158",
        ];
        let ents = |t: &str| -> Vec<Entity> {
            let mut es: Vec<Entity> = people.iter().map(|n| ent(t, n, Label::Person)).collect();
            es.extend(values.iter().map(|v| ent(t, v, Label::Phone)));
            es.sort_by_key(|e| e.span.start);
            es
        };
        let list = format!(
            "{}\n{}\n\nViele Grüße",
            people.join(", "),
            values.join(", ")
        );
        let v = p.verdict(&list, &ents(&list));
        assert_eq!(v.ampel, Ampel::Red);
        assert!(v.reasons.iter().any(|r| r.code == "many_persons"));
        let letter = format!(
            "Sehr geehrte Frau Anna Roth,\nanbei das Angebot.\n\nMit freundlichen Grüßen\n\n\
             Dennis Kaczmarek\n{}\nGeschäftsführer: Uwe Schmied, Katrin Holm",
            values.join(" · ")
        );
        let v = p.verdict(&letter, &ents(&letter));
        assert_eq!(v.ampel, Ampel::Yellow);
    }

    #[test]
    fn crm_shorthand_refers_to_a_person() {
        let p = Policy::default();
        let t = "Anrufer Bui, Duong (KdNr KD5896409). Kd. nimmt Insulin, bitte Rückruf.";
        let es = [
            ent(t, "Bui, Duong", Label::Person),
            ent(t, "Insulin", Label::Health),
        ];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Red);
        let t = "Insulin ist im Kühlschrank zu lagern.";
        let es = [ent(t, "Insulin", Label::Health)];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Green);
    }

    #[test]
    fn sentence_bounds_skip_ordinals() {
        let t = "Am 3. März war ich krank. Danach nicht.";
        let sentence = sentence_of(t, "krank");
        assert_eq!(sentence, "Am 3. März war ich krank");
        // A phone number or a year before the dot ends the sentence.
        let t =
            "Anruf von Ada Roth, Tel. 0662 4650181. Der Ratgeber Parkinson erscheint 2025. Gut.";
        let sentence = sentence_of(t, "Parkinson");
        assert_eq!(sentence, " Der Ratgeber Parkinson erscheint 2025");
    }

    #[test]
    fn sentence_bounds_skip_number_compounds() {
        let t = "Mitglied Ana Iwanowa, Mitgliedsnr. FS-30872, pausiert wegen Schwangerschaft. Gut.";
        let sentence = sentence_of(t, "Schwangerschaft");
        assert!(sentence.starts_with("Mitglied Ana Iwanowa"), "{}", sentence);
        let t = "Kunde Milan Horváth, Kto. K-55812, z.B. Stefan W.: Fingerabdruck. Gut.";
        let sentence = sentence_of(t, "Fingerabdruck");
        assert!(sentence.starts_with("Kunde Milan"), "{}", sentence);
        let t = "Post an Reichenbachstr. 9 geschickt. Hat Asthma.";
        let sentence = sentence_of(t, "geschickt");
        assert_eq!(sentence, "Post an Reichenbachstr. 9 geschickt");
    }

    #[test]
    fn note_sentences_without_subject_refer_to_the_person() {
        let p = Policy::default();
        let t = "Call-Notiz: Versicherter Nguyen Van Minh fragt nach Befreiung. Nimmt dauerhaft Marcumar.";
        let es = [
            ent(t, "Nguyen Van Minh", Label::Person),
            ent(t, "Marcumar", Label::Health),
        ];
        assert!(p.about_person(t, &es[1], &es));
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Red);
        // Without anyone named, or as a question, it stays general.
        let t = "Hilft bei Migräne. Ist Migräne erblich?";
        let es = [ent(t, "Migräne", Label::Health)];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Green);
        let t = "Frau Roth hat angerufen. Ist Migräne erblich?";
        let es = [
            ent(t, "Roth", Label::Person),
            ent(t, "Migräne", Label::Health),
        ];
        assert!(!p.about_person(t, &es[1], &es));
        let t = "Frau Roth hat angerufen. Hat Migräne seit Jahren.";
        let es = [
            ent(t, "Roth", Label::Person),
            ent(t, "Migräne", Label::Health),
        ];
        assert!(p.about_person(t, &es[1], &es));
    }

    #[test]
    fn an_animals_illness_is_no_health_data_about_a_person() {
        let p = Policy::default();
        let t = "Unser Hund Bello hat Diabetes und braucht Insulin. Halterin: Frau Kaya.";
        let es = [
            ent(t, "Diabetes", Label::Health),
            ent(t, "Insulin", Label::Health),
            ent(t, "Kaya", Label::Person),
        ];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Yellow);
        let t = "Die Katze von Familie Berger hat Epilepsie, Termin beim Tierarzt.";
        let es = [
            ent(t, "Berger", Label::Person),
            ent(t, "Epilepsie", Label::Health),
        ];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Yellow);
        // The writer's own allergy is still theirs, a son's too.
        let t = "Ich bin allergisch gegen Katzen, Frau Kaya.";
        let es = [
            ent(t, "allergisch", Label::Health),
            ent(t, "Kaya", Label::Person),
        ];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Red);
        let t = "Mein Sohn hat eine Allergie gegen Hunde.";
        let es = [ent(t, "Allergie", Label::Health)];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Red);
    }

    #[test]
    fn a_chat_speaker_label_is_not_the_subject() {
        let p = Policy::default();
        let t = "Agent: Wie kann ich helfen?\nKunde: Diabetes ist eine Volkskrankheit.\nKunde: Danke Anna";
        let es = [
            ent(t, "Diabetes", Label::Health),
            ent(t, "Anna", Label::Person),
        ];
        assert!(!p.about_person(t, &es[0], &es));
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Yellow);
        // The speaker still speaks for herself, and a field value is no sentence.
        let t = "Anna: Ich habe seit Jahren Diabetes.";
        let es = [
            ent(t, "Anna", Label::Person),
            ent(t, "Diabetes", Label::Health),
        ];
        assert!(p.about_person(t, &es[1], &es));
        let t = "Frau Roth hat angerufen.\nPatientin: Diabetes Typ 2";
        let es = [
            ent(t, "Roth", Label::Person),
            ent(t, "Diabetes", Label::Health),
        ];
        assert!(p.about_person(t, &es[1], &es));
        let t = "Frau Roth hat angerufen.\nKundin: Nimmt dauerhaft Marcumar.";
        let es = [
            ent(t, "Roth", Label::Person),
            ent(t, "Marcumar", Label::Health),
        ];
        assert!(p.about_person(t, &es[1], &es));
    }

    #[test]
    fn record_words_and_table_rows_refer_to_a_person() {
        let p = Policy::default();
        let t = "Anrufer Sergei Kramer hat angerufen. Laut Attest HIV, Kündigung akzeptiert.";
        let es = [
            ent(t, "Sergei Kramer", Label::Person),
            ent(t, "HIV", Label::Health),
        ];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Red);
        // A record word alone, with nobody named, stays general.
        let t = "Ein Attest über Migräne reicht nicht.";
        let es = [ent(t, "Migräne", Label::Health)];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Green);
        // ';' separates the cells of one row, not sentences.
        let t = "Name;Diagnose\nSilvia Milanesi;Parkinson";
        let es = [
            ent(t, "Silvia Milanesi", Label::Person),
            ent(t, "Parkinson", Label::Health),
        ];
        assert_eq!(p.verdict(t, &es).ampel, Ampel::Red);
    }

    #[test]
    fn a_sentence_without_full_stops_reaches_400_bytes_each_way() {
        let p = Policy::default();
        // "Ich" close by on the same line concerns the term …
        let near = format!("Ich {}Diabetes ist häufig", "und ".repeat(20));
        let es = [ent(&near, "Diabetes", Label::Health)];
        assert!(p.about_person(&near, &es[0], &es));
        // … 600 bytes away, on a line with no full stop, it does not.
        let far = format!("Ich {}Diabetes ist häufig", "und ".repeat(150));
        let es = [ent(&far, "Diabetes", Label::Health)];
        assert!(!p.about_person(&far, &es[0], &es));
        // The cut falls on a space, never inside a word or a character.
        let t = format!("{}Diabetes{}", "ä".repeat(300), " äö".repeat(300));
        let got = sentence_of(&t, "Diabetes");
        assert!(got.starts_with("Diabetes"), "{got:?}");
        assert!(got.ends_with("äö"), "{got:?}");
        assert!(got.len() <= "Diabetes".len() + 2 * SENTENCE_REACH);
        let t = format!("Diabetes{} ich", "ö".repeat(400));
        assert_eq!(sentence_of(&t, "Diabetes"), "Diabetes");
    }

    #[test]
    fn rows_are_counted_whatever_order_the_entities_come_in() {
        let p = Policy::default();
        let t = "Name;Ort;Tarif\nAnna Weber;Köln;Basis\nPeter Koch;Bonn;Plus\nLea Berg;Ulm;Basis";
        let mut es = vec![
            ent(t, "Anna Weber", Label::Person),
            ent(t, "Peter Koch", Label::Person),
            ent(t, "Lea Berg", Label::Person),
        ];
        let sorted = p.verdict(t, &es);
        assert!(sorted.reasons.iter().any(|r| r.code == "bulk_rows"));
        es.reverse();
        assert_eq!(p.verdict(t, &es), sorted);
    }

    #[test]
    fn about_nobody_lists_the_general_terms_only() {
        let p = Policy::default();
        let t = "Diabetes ist eine Volkskrankheit. Ich habe Asthma.";
        let es = [
            ent(t, "Diabetes", Label::Health),
            ent(t, "Asthma", Label::Health),
        ];
        let nobody: Vec<_> = p.about_nobody(t, &es).iter().map(|e| e.span).collect();
        assert_eq!(nobody, [es[0].span]);
    }
}
