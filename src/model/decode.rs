//! From per-token probabilities to [`Hit`]s: model label → SPEC [`Label`],
//! sub-tokens → words, BIO(ES) tags → entity spans.
//!
//! Aggregation is Hugging Face's "first" strategy: a word takes the scores of
//! its first sub-token that covers visible text. The words' labels are the
//! most probable *valid* BIO sequence (constrained Viterbi, [`best_path`]),
//! not each word's argmax, and a word whose argmax is personal data by
//! itself (PERSON, ADDRESS, HEALTH …) keeps that label. With SentencePiece
//! (Metaspace) a word may start with a bare `▁` piece whose offsets cover the
//! preceding space or nothing; such pieces never decide. A word's score is
//! the probability of its winning label, an entity's score the mean over its
//! words. Spans are trimmed of whitespace and of punctuation the model tends
//! to attach (SentencePiece words keep trailing commas), snapped to `char`
//! boundaries, and always lie inside the original text.

use crate::roles::{role_noun, Role};
use crate::text::snap_to_chars;
use crate::types::{Hit, HitKind, Label, Span};

/// A model label split into its position prefix and SPEC label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// Outside any entity, or an entity type ampel does not use (MISC …).
    Outside,
    /// `B-` (also `S-`/`U-` single-token entities when `single` is set).
    Begin {
        /// The SPEC label.
        label: Label,
        /// True for `S-`/`U-`: the entity ends with this word.
        single: bool,
    },
    /// `I-` or an unprefixed type (also `E-`/`L-` when `last` is set).
    Inside {
        /// The SPEC label.
        label: Label,
        /// True for `E-`/`L-`: the entity ends with this word.
        last: bool,
    },
}

/// Map an entity type name (without BIO prefix) to a SPEC label; `None` for
/// types ampel ignores (`MISC`, `OTH`, GermEval's `…deriv`/`…part` …).
pub fn map_entity_type(name: &str) -> Option<Label> {
    let up = name.trim().to_ascii_uppercase().replace(['-', ' '], "_");
    let label = match up.as_str() {
        "PER" | "PERS" | "PERSON" | "NAME" | "PER_NAME" => Label::Person,
        "ORG" | "ORGANIZATION" | "ORGANISATION" | "COMPANY" => Label::Organization,
        "LOC" | "LOCATION" | "GPE" | "CITY" | "COUNTRY" => Label::Location,
        "ADDRESS" | "ADR" | "ADDR" | "STR" | "STREET" | "STREET_ADDRESS" => Label::Address,
        "EMAIL" | "E_MAIL" | "MAIL" => Label::Email,
        "PHONE" | "TEL" | "TELEPHONE" | "PHONE_NUMBER" | "FAX" => Label::Phone,
        "IP" | "IP_ADDRESS" | "IPADDRESS" => Label::IpAddress,
        "ID" | "ID_NUMBER" | "IDNUMBER" => Label::IdNumber,
        "DATE" | "DOB" | "BIRTHDATE" => Label::Date,
        "HEALTH" | "MEDICAL" => Label::Health,
        "SPECIAL_CATEGORY" | "SPECIAL" => Label::SpecialCategory,
        "CREDITCARD" | "CREDIT_CARD" | "CARD" => Label::CreditCard,
        _ => return up.parse().ok(),
    };
    Some(label)
}

/// Parse a model label such as `B-PER`, `I-LOC`, `E-ORG`, `S-PERSON`,
/// `PER` (no prefix: inside) or `O`.
pub fn parse_tag(model_label: &str) -> Tag {
    let s = model_label.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("O") {
        return Tag::Outside;
    }
    // A full-name match first, so `E-MAIL` is an e-mail, not the end of MAIL.
    if let Some(label) = map_entity_type(s) {
        return Tag::Inside { label, last: false };
    }
    let bytes = s.as_bytes();
    if bytes.len() > 2 && matches!(bytes[1], b'-' | b'_') {
        let rest = &s[2..];
        if let Some(label) = map_entity_type(rest) {
            return match bytes[0].to_ascii_uppercase() {
                b'B' => Tag::Begin {
                    label,
                    single: false,
                },
                b'S' | b'U' => Tag::Begin {
                    label,
                    single: true,
                },
                b'I' => Tag::Inside { label, last: false },
                b'E' | b'L' => Tag::Inside { label, last: true },
                _ => Tag::Outside,
            };
        }
    }
    Tag::Outside
}

/// One token of a text: byte offsets into the original text and its word id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// First byte (as reported by the tokenizer).
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The tokenizer's word id; `None` makes the token its own word.
    pub word: Option<u32>,
}

/// A word: its visible span and the token whose scores decide its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte span with surrounding whitespace removed.
    pub span: Span,
    /// Index of the deciding token.
    pub token: usize,
}

/// Group tokens into words; tokens covering only whitespace (bare `▁`,
/// empty offsets) never decide and never widen a word.
pub fn words(text: &str, tokens: &[Token]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut current: Option<(Option<u32>, Word)> = None;
    for (i, t) in tokens.iter().enumerate() {
        let span = trim_ws(text, snap_to_chars(text, t.start, t.end.max(t.start)));
        let same = matches!(&current, Some((w, _)) if w.is_some() && *w == t.word);
        if !same {
            if let Some((_, w)) = current.take() {
                out.push(w);
            }
        }
        if span.is_empty() {
            if current.is_none() {
                // Remember the word id so later pieces join it; no span yet.
                current = Some((
                    t.word,
                    Word {
                        span,
                        token: usize::MAX,
                    },
                ));
            }
            continue;
        }
        match &mut current {
            Some((_, w)) if w.token != usize::MAX => {
                w.span = Span::new(w.span.start.min(span.start), w.span.end.max(span.end));
            }
            Some((_, w)) => *w = Word { span, token: i },
            None => current = Some((t.word, Word { span, token: i })),
        }
    }
    if let Some((_, w)) = current {
        out.push(w);
    }
    out.retain(|w| w.token != usize::MAX);
    out
}

/// Decode words into hits. `probs` holds one row of `tags.len()` floats per
/// token (row-major); `tags[k]` is the parsed model label `k`.
pub fn decode(text: &str, words: &[Word], probs: &[f32], tags: &[Tag]) -> Vec<Hit> {
    let mut hits = Vec::new();
    // (label, first word, last word, score sum, word count)
    let mut open: Option<(Label, usize, usize, f32, usize)> = None;
    let close = |open: &mut Option<(Label, usize, usize, f32, usize)>, hits: &mut Vec<Hit>| {
        if let Some((label, a, b, sum, n)) = open.take() {
            if let (Some(wa), Some(wb)) = (words.get(a), words.get(b)) {
                let span = trim_entity(text, Span::new(wa.span.start, wb.span.end), label);
                if !span.is_empty() {
                    let score = (sum / n.max(1) as f32).clamp(0.0, 1.0);
                    hits.push(Hit {
                        span,
                        label,
                        score,
                        kind: HitKind::Model,
                    });
                }
            }
        }
    };
    for (wi, choice) in best_path(text, words, probs, tags).into_iter().enumerate() {
        let (tag, p) = match choice {
            Some((k, p)) => (tags.get(k).copied().unwrap_or(Tag::Outside), p),
            None => (Tag::Outside, 0.0),
        };
        match tag {
            Tag::Outside => close(&mut open, &mut hits),
            Tag::Begin { label, single } => {
                close(&mut open, &mut hits);
                open = Some((label, wi, wi, p, 1));
                if single {
                    close(&mut open, &mut hits);
                }
            }
            Tag::Inside { label, last } => {
                match &mut open {
                    // An entity never runs over a line break ("Brandl\n\nHi
                    // Kerstin", a signature line and the next greeting).
                    Some((l, _, b, sum, n))
                        if *l == label && !line_break_between(text, words, *b, wi) =>
                    {
                        *b = wi;
                        *sum += p;
                        *n += 1;
                    }
                    _ => {
                        close(&mut open, &mut hits);
                        open = Some((label, wi, wi, p, 1));
                    }
                }
                if last {
                    close(&mut open, &mut hits);
                }
            }
        }
    }
    close(&mut open, &mut hits);
    let hits = named_after_people(
        text,
        mend_particles(
            text,
            given_after_role(text, strip_titles(text, join_adjacent(text, hits))),
        ),
    );
    drop_generic_nouns(text, hits)
}

/// Nouns for a kind of institution, not its name ("die Pflegekasse", "das
/// Bürgeramt", "unsere Buchhaltung"). The SPEC and GermEval annotate named
/// organisations only (GermEval's training sentences tag "Polizei",
/// "Gericht", "Gemeinde", "Verwaltung" … as O); the model now and then tags
/// them alone. "Sparkasse" and "Universität" are left out: GermEval tags
/// them as names.
const GENERIC_ORGS: &[&str] = &[
    "Krankenkasse",
    "Pflegekasse",
    "Versicherung",
    "Finanzamt",
    "Bürgeramt",
    "Einwohnermeldeamt",
    "Ordnungsamt",
    "Jugendamt",
    "Sozialamt",
    "Standesamt",
    "Gesundheitsamt",
    "Arbeitsamt",
    "Jobcenter",
    "Behörde",
    "Polizei",
    "Feuerwehr",
    "Gericht",
    "Amtsgericht",
    "Landgericht",
    "Staatsanwaltschaft",
    "Ministerium",
    "Rathaus",
    "Stadtverwaltung",
    "Gemeinde",
    "Regierung",
    "Bundesregierung",
    "Kundenservice",
    "Kundendienst",
    "Hotline",
    "Buchhaltung",
    "Geschäftsleitung",
    "Geschäftsführung",
    "Serviceleitung",
    "Personalabteilung",
    "Rechtsabteilung",
    "Leistungsabteilung",
    "Abteilung",
    "Vertrieb",
    "Verwaltung",
    "Hausverwaltung",
    "Fitnessstudio",
    "Abendkasse",
    "Praxis",
    "Arztpraxis",
    "Klinik",
    "Krankenhaus",
    "Apotheke",
    "Schule",
    "Kita",
    "Kindergarten",
    "Firma",
    "Unternehmen",
    "Konzern",
    "Verein",
];

/// Nouns that are health data only with a qualifier ("psychische
/// Störung", "Herzrhythmusstörung"); alone, in customer service, they are a
/// fault or a complaint ("meldet Störung DSL", "meine Beschwerde").
const GENERIC_HEALTH: &[&str] = &["Störung", "Störungen", "Beschwerde", "Ausfall", "Ausfälle"];

/// Template placeholders the model may read as a name ("Sehr geehrte/r
/// Herr/Frau XY", "Hallo Herr X"); the SPEC's generic templates are GREEN.
const PLACEHOLDER_NAMES: &[&str] = &[
    "X", "XX", "XY", "XYZ", "NN", "N.N.", "NAME", "Name", "Vorname", "Nachname",
];

/// Whether a PERSON span is a template placeholder: a [`PLACEHOLDER_NAMES`]
/// entry, or any name ending in "Mustermann"/"Musterfrau" ("Mustermann",
/// "Erika Mustermann").
fn placeholder_name(s: &str) -> bool {
    PLACEHOLDER_NAMES.contains(&s)
        || matches!(s.rsplit(' ').next(), Some("Mustermann" | "Musterfrau"))
}

/// Whether the span is a job title in an advert: followed by a gender
/// marker ("Koch (m/w/d)", "Koch / Köchin (m/w/d)") or by a slash and the
/// female form ("Koch / Köchin").
fn job_title(text: &str, span: Span) -> bool {
    let after = text.get(span.end..).unwrap_or("").trim_start_matches(' ');
    let gender_marker = |t: &str| {
        t.strip_prefix('(')
            .and_then(|r| r.split_once(')'))
            .is_some_and(|(inner, _)| {
                inner.len() >= 3
                    && inner
                        .split('/')
                        .all(|x| matches!(x.trim(), "m" | "w" | "d" | "f" | "x" | "i"))
            })
    };
    if gender_marker(after) {
        return true;
    }
    let Some(rest) = after.strip_prefix('/') else {
        return false;
    };
    // The female form of the same noun: "Koch / Köchin", "Arzt / Ärztin",
    // not "Koch / Martin".
    let fold = |w: &str| -> String {
        w.to_lowercase()
            .chars()
            .map(|c| match c {
                'ä' => 'a',
                'ö' => 'o',
                'ü' => 'u',
                c => c,
            })
            .collect()
    };
    let title = text
        .get(span.start..span.end)
        .and_then(|t| t.rsplit(' ').next())
        .map(fold)
        .unwrap_or_default();
    let stem: String = title.chars().take(3).collect();
    let female: String = rest
        .trim_start_matches(' ')
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    stem.chars().count() == 3 && female.ends_with("in") && fold(&female).starts_with(&stem)
}

/// Form field names the model may read as an address or place in a
/// template ("an der Adresse [Straße Hausnr.], [PLZ Ort]"): a span of
/// nothing else is no address.
const FIELD_WORDS: &[&str] = &[
    "Straße",
    "Strasse",
    "Str.",
    "Hausnr",
    "Hausnr.",
    "Hausnummer",
    "Nr.",
    "PLZ",
    "Postleitzahl",
    "Ort",
    "Wohnort",
    "Stadt",
    "Anschrift",
    "Adresse",
    "Land",
];

/// Whether every word of `s` is a [`FIELD_WORDS`] entry.
fn field_words_only(s: &str) -> bool {
    s.split([' ', ',', '/'])
        .filter(|w| !w.is_empty())
        .all(|w| FIELD_WORDS.contains(&w))
}

/// Drop ORGANIZATION spans that are only a [`GENERIC_ORGS`] noun, HEALTH
/// spans that are only a [`GENERIC_HEALTH`] noun, PERSON spans that are
/// a [`placeholder_name`] or a [`job_title`] and ADDRESS or LOCATION spans
/// of [`FIELD_WORDS`] only.
fn drop_generic_nouns(text: &str, hits: Vec<Hit>) -> Vec<Hit> {
    hits.into_iter()
        .filter(|h| {
            let Some(s) = text.get(h.span.start..h.span.end) else {
                return true;
            };
            match h.label {
                Label::Organization => !GENERIC_ORGS.contains(&s),
                Label::Health => !GENERIC_HEALTH.contains(&s),
                Label::Person => !placeholder_name(s) && !job_title(text, h.span),
                Label::Address | Label::Location => !field_words_only(s),
                _ => true,
            }
        })
        .collect()
}

/// Whether a line break separates words `a` and `b` (`a < b`).
fn line_break_between(text: &str, words: &[Word], a: usize, b: usize) -> bool {
    match (words.get(a), words.get(b)) {
        (Some(wa), Some(wb)) => text
            .get(wa.span.end..wb.span.start)
            .is_some_and(|gap| gap.contains(['\n', '\r'])),
        _ => false,
    }
}

/// Join entities that the model split although they name one thing:
/// - parts that only a hyphen or dash separates ("Köln-Wahn", "Hans-Peter
///   Müller"): a compound written as one word names one thing; when the
///   parts disagree on the label, the longer part's label wins;
/// - parts of the same label that only one space separates ("Ezechiel" +
///   "Zivier"): two different people, places or firms are written with a
///   comma or "und" between them. In the GermEval 2014 training sentences,
///   2 of 1,399 PER/LOC/ORG entities start right after one of the same type.
fn join_adjacent(text: &str, hits: Vec<Hit>) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        if let Some(prev) = out.last_mut() {
            let gap = text.get(prev.span.end..h.span.start).unwrap_or("");
            let dash = matches!(gap, "-" | "\u{2010}" | "\u{2011}" | "\u{2013}");
            let space = matches!(gap, " " | "\u{a0}") && prev.label == h.label;
            if dash || space {
                if h.span.len() > prev.span.len() {
                    prev.label = h.label;
                }
                prev.score = prev.score.min(h.score);
                prev.span = Span::new(prev.span.start, h.span.end);
                continue;
            }
        }
        out.push(h);
    }
    out
}

/// "On behalf of" before a signature name ("i. A. Dennis Kaczmarek").
const SIGNING_FOR: &[&str] = &[
    "i. A.", "I. A.", "i.A.", "I.A.", "i. V.", "I. V.", "i.V.", "I.V.",
];

/// Titles and forms of address that the SPEC keeps out of a PERSON span
/// ("Frau Dr. **Özdemir**", "Miss **Parker**").
const TITLES: &[&str] = &[
    "Herr",
    "Herrn",
    "Hr.",
    "Frau",
    "Fr.",
    "Fräulein",
    "Frl.",
    "Dr.",
    "Prof.",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Miss",
    "Sir",
    "Dame",
];

/// Greetings and courtesy words that the model now and then reads as a
/// name at the start of a chat line or e-mail ("Moin", "Grüezi", "Gerne"):
/// like titles, they leave PERSON spans. Compared case-insensitively.
const GREETINGS: &[&str] = &[
    "hallo",
    "hallöchen",
    "hi",
    "hey",
    "moin",
    "moinsen",
    "servus",
    "grüezi",
    "grüß",
    "gott",
    "huhu",
    "tach",
    "gerne",
    "danke",
    "dankeschön",
    "tschüss",
    "tschüs",
    "ciao",
    "liebe",
    "lieber",
    "liebes",
];

/// Field names of mail headers ("Von: Anna Roth"): before a ':' they are
/// no names, though the model sometimes runs the name of the line above
/// into them.
const MAIL_HEADERS: &[&str] = &[
    "Von", "An", "Cc", "Bcc", "Betreff", "Gesendet", "Datum", "From", "To", "Sent", "Subject",
];

/// Whether `word` is a title or a greeting that leaves a PERSON span.
fn not_a_name(word: &str) -> bool {
    TITLES.contains(&word) || GREETINGS.contains(&word.to_lowercase().as_str())
}

/// Whether the first word of a PERSON span `s` leaves it: a title or a
/// greeting always, a role noun when a name remains after it (two name
/// words after one that is also a surname: "Schäfer Heinrich Wolf", while
/// "Meister Eder" stays whole).
fn leaves_person_span(first: &str, rest: &str) -> bool {
    if not_a_name(first) {
        return true;
    }
    let rest_words = rest
        .split([' ', '\u{a0}'])
        .filter(|w| !w.is_empty())
        .count();
    match role_noun(first) {
        Some(Role::Only | Role::Demonym) => rest_words >= 1,
        Some(Role::AlsoSurname) => rest_words >= 2,
        None => false,
    }
}

/// Drop leading titles, greetings and role nouns from PERSON spans; a span
/// that is only titles, greetings or a demonym goes ("ein 28-jähriger
/// Syrer"; GermEval: LOCderiv). ("Chr." of "v. Chr." stays: the
/// NoSta-D guidelines, and so GermEval 2014, tag it PER.)
fn strip_titles(text: &str, hits: Vec<Hit>) -> Vec<Hit> {
    hits.into_iter()
        .filter_map(|mut h| {
            if h.label != Label::Person {
                return Some(h);
            }
            while let Some(s) = text.get(h.span.start..h.span.end) {
                // "i. A." / "i. V." before a signature: on behalf of.
                if let Some(rest) = SIGNING_FOR.iter().find_map(|p| {
                    s.strip_prefix(*p)
                        .filter(|r| r.starts_with(' ') && r.trim().len() > 1)
                }) {
                    let rest = rest.trim_start_matches([' ', '\u{a0}']);
                    h.span = Span::new(h.span.end - rest.len(), h.span.end);
                    continue;
                }
                let first = s.split([' ', '\u{a0}']).next().unwrap_or("");
                let rest = s[first.len()..].trim_start_matches([' ', '\u{a0}']);
                if !leaves_person_span(first, rest) {
                    break;
                }
                h.span = Span::new(h.span.end - rest.len(), h.span.end);
            }
            let span_text = text.get(h.span.start..h.span.end).unwrap_or("");
            let header = MAIL_HEADERS.contains(&span_text) && text[h.span.end..].starts_with(':');
            let demonym = role_noun(span_text) == Some(Role::Demonym);
            (!h.span.is_empty() && !header && !demonym).then_some(h)
        })
        .collect()
}

/// The capitalised word before a PERSON span is a given name when a role
/// noun or demonym comes before it ("Der Inder Gukesh Dommaraju" with only
/// "Dommaraju" found): a role stands right before the name it introduces.
fn given_after_role(text: &str, hits: Vec<Hit>) -> Vec<Hit> {
    let spans: Vec<Span> = hits.iter().map(|h| h.span).collect();
    hits.into_iter()
        .map(|mut h| {
            if h.label != Label::Person {
                return h;
            }
            let before = text.get(..h.span.start).unwrap_or("");
            let Some(b) = before.strip_suffix(' ') else {
                return h;
            };
            let w_start = b
                .rfind(|c: char| !(c.is_alphabetic() || c == '-'))
                .map_or(0, |i| i + b[i..].chars().next().map_or(1, char::len_utf8));
            let w = &b[w_start..];
            let Some(r_text) = b[..w_start].strip_suffix(' ') else {
                return h;
            };
            let r = r_text
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("");
            let capitalised = w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).any(char::is_lowercase);
            let role = matches!(role_noun(r), Some(Role::Only | Role::Demonym));
            let taken = spans.iter().any(|s| s.start <= w_start && s.end > w_start);
            if capitalised && role && role_noun(w).is_none() && !not_a_name(w) && !taken {
                h.span = Span::new(w_start, h.span.end);
            }
            h
        })
        .collect()
}

/// Lower-case particles inside a name ("Vasco da Gama", "Abu Ali ibn Sina",
/// "Petra von Arnim").
const NAME_PARTICLES: &[&str] = &[
    "von", "zu", "van", "de", "da", "di", "del", "della", "dos", "das", "du", "ibn", "bin", "bint",
    "ben", "al", "el", "ter", "ten",
];

/// Articles after a particle ("von der Leyen"); never alone inside a name.
const ARTICLE_PARTICLES: &[&str] = &["der", "den", "dem", "des"];

/// Particles that are also German prepositions: a span ending in them
/// takes the next word only when the model tagged it ("Petra Vogel von der
/// Vogelwarte" is not one name).
const GERMAN_PARTICLES: &[&str] = &["von", "zu", "van", "ter", "ten"];

/// Capitalised words that open an Arabic name before the part the model
/// tags ("Ibn Sina", "Abu Bakr").
const NAME_OPENERS: &[&str] = &["Ibn", "Abu", "Bin", "Bint", "Umm", "Abd"];

/// Mend names the model cut at a particle:
/// - two PERSON parts with only a particle between them are one name
///   ("Abu Ali" + "ibn" + "Sina");
/// - a PERSON span that ends in particles takes the capitalised word after
///   them ("Vasco da" + "Gama", also when the model read that word as
///   another label), or else loses them ("Petra Vogel von der Vogelwarte");
/// - an Arabic opener right before a PERSON span joins it ("Ibn Sina").
fn mend_particles(text: &str, hits: Vec<Hit>) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    let mut iter = hits.into_iter().peekable();
    while let Some(mut h) = iter.next() {
        if h.label != Label::Person {
            out.push(h);
            continue;
        }
        let before = text.get(..h.span.start).unwrap_or("");
        if let Some(head) = before.strip_suffix(' ') {
            let word = head
                .rsplit([' ', '\n', '\t', '(', '"'])
                .next()
                .unwrap_or("");
            let taken = out
                .last()
                .is_some_and(|p| p.span.end > head.len() - word.len());
            if NAME_OPENERS.contains(&word) && !taken {
                h.span = Span::new(head.len() - word.len(), h.span.end);
            }
        }
        loop {
            let s = text.get(h.span.start..h.span.end).unwrap_or("");
            let mut words: Vec<&str> = s.split(' ').collect();
            let mut cut = 0;
            while words.len() > 1
                && words
                    .last()
                    .is_some_and(|w| NAME_PARTICLES.contains(w) || ARTICLE_PARTICLES.contains(w))
            {
                cut += words.pop().map_or(0, |w| w.len() + 1);
            }
            if cut == 0 {
                // A particle after the span and another PERSON after it.
                let rest = text.get(h.span.end..).unwrap_or("");
                let joined = rest.strip_prefix(' ').and_then(|r| {
                    let (p, tail) = r.split_once(' ')?;
                    let next = iter.peek()?;
                    (NAME_PARTICLES.contains(&p)
                        && next.label == Label::Person
                        && next.span.start == h.span.end + 2 + p.len()
                        && !tail.is_empty())
                    .then_some(next.span.end)
                });
                match joined {
                    Some(end) => {
                        let next = iter.next();
                        h.score = next.map_or(h.score, |n| h.score.min(n.score));
                        h.span = Span::new(h.span.start, end);
                        continue;
                    }
                    None => break,
                }
            }
            // The span ended in particles: take the capitalised word that
            // follows them, or drop them.
            let rest = text.get(h.span.end..).unwrap_or("");
            let next_word = rest
                .strip_prefix(' ')
                .map(|r| {
                    r.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | ')' | '"'))
                        .next()
                        .unwrap_or("")
                })
                .unwrap_or("");
            let next_word = next_word.trim_end_matches(['.', '!', '?']);
            let end = h.span.end + 1 + next_word.len();
            let tagged = iter
                .peek()
                .filter(|n| n.span.start == h.span.end + 1 && n.span.end <= end);
            let german = s[s.len() - cut..]
                .split(' ')
                .any(|w| GERMAN_PARTICLES.contains(&w) || ARTICLE_PARTICLES.contains(&w));
            // After a German particle only another name part continues the
            // name ("Eric Cantona zu United" is a move to a club).
            let takes = if german {
                tagged.is_some_and(|n| n.label == Label::Person)
            } else {
                tagged.is_some() || next_word.starts_with(char::is_uppercase)
            };
            if next_word.starts_with(char::is_uppercase) && takes {
                while iter.peek().is_some_and(|n| n.span.start < end) {
                    if let Some(n) = iter.next() {
                        h.score = h.score.min(n.score);
                    }
                }
                h.span = Span::new(h.span.start, end);
            } else {
                h.span = Span::new(h.span.start, h.span.end - cut);
            }
            break;
        }
        out.push(h);
    }
    out
}

/// Nouns that make a person's name the name of an organisation when they
/// follow it: "Dave Matthews Band", "Robert Bosch Stiftung", "Carl Hanser
/// Verlag", "Max Planck Institut".
const ORG_HEADS: &[&str] = &[
    "Band",
    "Orchester",
    "Quartett",
    "Quintett",
    "Trio",
    "Ensemble",
    "Chor",
    "Stiftung",
    "Verlag",
    "Institut",
    "Gymnasium",
    "Schule",
    "Realschule",
    "Gesamtschule",
    "Grundschule",
    "Klinik",
    "Klinikum",
    "Krankenhaus",
    "Museum",
    "Universität",
    "Akademie",
    "Foundation",
    "Group",
    "Company",
    "Orchestra",
];

/// A PERSON span followed by (or ending in) an organisation noun names the
/// organisation: extend it over the noun and label it ORGANIZATION. The
/// nouns are ones that do not follow a person in a sentence ("Gesellschaft"
/// does: "wir leisten Frau Müller Gesellschaft"), since an organisation alone
/// does not make a text YELLOW.
fn named_after_people(text: &str, hits: Vec<Hit>) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    let mut iter = hits.into_iter().peekable();
    while let Some(mut h) = iter.next() {
        if h.label == Label::Person {
            let rest = text.get(h.span.end..).unwrap_or("");
            let next_word = rest
                .strip_prefix(' ')
                .map(|r| r.split(|c: char| !c.is_alphanumeric()).next().unwrap_or(""))
                .unwrap_or("");
            let last_word = text
                .get(h.span.start..h.span.end)
                .and_then(|s| s.rsplit(' ').next())
                .unwrap_or("");
            if !next_word.is_empty() && ORG_HEADS.contains(&next_word) {
                let end = h.span.end + 1 + next_word.len();
                // Only when the noun is not already part of the next entity.
                if iter.peek().is_none_or(|n| n.span.start >= end) {
                    h.span = Span::new(h.span.start, end);
                    h.label = Label::Organization;
                }
            } else if h.span.len() > last_word.len() && ORG_HEADS.contains(&last_word) {
                h.label = Label::Organization;
            }
        }
        out.push(h);
    }
    out
}

/// Whether tag `next` may follow tag `prev` (`None`: the first word, or the
/// first after a line break) in a decoded sequence. An inside tag continues
/// an open entity of its own label; after no entity, an inside tag of a
/// [kept label](kept_label) also starts one, as the greedy reading always
/// did (the model often tags the first word of a name or a diagnosis `I-`),
/// so the constraint never bridges an `O` word into a person or a
/// diagnosis. `unprefixed`: the label set has no begin tag for `next`'s
/// label (an IO-tagged model's bare `PER`, `LOC`), so every such tag may
/// start an entity anywhere.
fn may_follow(prev: Option<Tag>, next: Tag, unprefixed: bool) -> bool {
    let Tag::Inside { label, .. } = next else {
        return true;
    };
    if unprefixed {
        return true;
    }
    match prev {
        Some(Tag::Begin {
            label: l,
            single: false,
        })
        | Some(Tag::Inside {
            label: l,
            last: false,
        }) => l == label,
        _ => kept_label(next).is_some(),
    }
}

/// The most probable tag sequence that [may follow](may_follow) itself,
/// by Viterbi over the words' log-probabilities, with every word (that has
/// a letter or digit) of a [kept label](kept_label) held to that label: per
/// word, the chosen model label and its probability (`None` where the word
/// has no scores).
///
/// Greedy per-word argmax reads "B-LOC I-LOC I-PER" ("der Leipziger Assan
/// Ouédraogo") as a place "Leipziger Assan" and a person "Ouédraogo", and
/// "O I-ORG" + "B-ORG" splits "Rhein-Neckar Löwen"; the constrained path
/// makes one person and one club of them. A line break or a word without
/// scores starts a new sequence.
fn best_path(text: &str, words: &[Word], probs: &[f32], tags: &[Tag]) -> Vec<Option<(usize, f32)>> {
    let width = tags.len();
    let rows: Vec<Option<&[f32]>> = words
        .iter()
        .map(|w| probs.get(w.token * width..(w.token + 1) * width))
        .collect();
    // Only words with a letter or digit keep their label: punctuation holds
    // no personal data, and a "." tagged I-PER after a place must not be
    // forced into a near-zero B-PER that drags down the name after it.
    let wordy: Vec<bool> = words
        .iter()
        .map(|w| {
            text.get(w.span.start..w.span.end)
                .is_some_and(|s| s.chars().any(char::is_alphanumeric))
        })
        .collect();
    let mut path = vec![None; words.len()];
    let mut start = 0;
    while start < words.len() {
        if rows[start].is_none() {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < words.len()
            && rows[end].is_some()
            && !line_break_between(text, words, end - 1, end)
        {
            end += 1;
        }
        viterbi(
            &rows[start..end],
            &wordy[start..end],
            tags,
            &mut path[start..end],
        );
        start = end;
    }
    path
}

/// [`best_path`] for one sequence of words that all have scores: writes
/// each word's chosen label index and probability into `out`.
fn viterbi(
    rows: &[Option<&[f32]>],
    wordy: &[bool],
    tags: &[Tag],
    out: &mut [Option<(usize, f32)>],
) {
    let k = tags.len();
    let ln = |p: f32| {
        if p.is_nan() {
            f32::NEG_INFINITY
        } else {
            p.max(1e-12).ln()
        }
    };
    let unprefixed: Vec<bool> = tags
        .iter()
        .map(|&t| {
            let label = label_of(t);
            !tags
                .iter()
                .any(|&b| matches!(b, Tag::Begin { .. }) && label_of(b) == label)
        })
        .collect();
    let mut score: Vec<f32> = vec![f32::NEG_INFINITY; k];
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let Some(row) = row else { return };
        let mut next = vec![f32::NEG_INFINITY; k];
        let mut from = vec![usize::MAX; k];
        let kept = argmax(row)
            .and_then(|(j, _)| tags.get(j))
            .and_then(|t| kept_label(*t))
            .filter(|_| wordy.get(i).copied().unwrap_or(false));
        for (j, &tag) in tags.iter().enumerate() {
            if kept.is_some() && label_of(tag) != kept {
                continue;
            }
            let emit = ln(row.get(j).copied().unwrap_or(0.0));
            if i == 0 {
                if may_follow(None, tag, unprefixed[j]) {
                    next[j] = emit;
                }
                continue;
            }
            for (q, &prev) in tags.iter().enumerate() {
                let s = score[q] + emit;
                if s > next[j] && may_follow(Some(prev), tag, unprefixed[j]) {
                    next[j] = s;
                    from[j] = q;
                }
            }
        }
        if next.iter().all(|s| *s == f32::NEG_INFINITY) {
            // No valid sequence (a label set without outside or begin tags):
            // fall back to the words' own best labels.
            for (o, row) in out.iter_mut().zip(rows) {
                *o = row.and_then(argmax);
            }
            return;
        }
        score = next;
        back.push(from);
    }
    let Some((mut j, _)) = argmax(&score) else {
        return;
    };
    for i in (0..rows.len()).rev() {
        out[i] = rows[i].map(|row| (j, row.get(j).copied().unwrap_or(0.0)));
        if i > 0 {
            j = back[i][j];
            if j == usize::MAX {
                break;
            }
        }
    }
}

fn label_of(tag: Tag) -> Option<Label> {
    match tag {
        Tag::Outside => None,
        Tag::Begin { label, .. } | Tag::Inside { label, .. } => Some(label),
    }
}

/// The label a word keeps whatever the sequence around it: every label that
/// is personal data by itself (PERSON, ADDRESS, HEALTH …). Only
/// organisations and places may be relabelled to repair the BIO structure.
fn kept_label(tag: Tag) -> Option<Label> {
    label_of(tag).filter(|l| !matches!(l, Label::Organization | Label::Location))
}

fn argmax(row: &[f32]) -> Option<(usize, f32)> {
    row.iter()
        .copied()
        .enumerate()
        .fold(None, |best: Option<(usize, f32)>, (k, p)| match best {
            Some((_, bp)) if bp >= p || p.is_nan() => best,
            _ => Some((k, p)),
        })
}

fn trim_ws(text: &str, span: Span) -> Span {
    let s = text.get(span.start..span.end).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let body = s.trim();
    Span::new(span.start + lead, span.start + lead + body.len())
}

const LEADING: &[char] = &[
    '(', '[', '{', '"', '\'', '„', '“', '‚', '‘', '«', '‹', '»', '›', '¿', '¡', '*', '•', '-', '–',
    '—', '/', ',', ';', ':', '.',
];
const TRAILING: &[char] = &[
    '.', ',', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '“', '”', '‘', '’', '»', '«', '›', '‹',
    '…', '-', '–', '—', '/', '*',
];
/// Lower-case German articles that may open a model span.
const ARTICLES: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "einem", "einen", "eines",
];
/// Abbreviations whose final dot belongs to the entity.
const DOTTED: &[&str] = &[
    "str", "co", "inc", "ltd", "corp", "jr", "sr", "st", "nr", "gebr", "bros", "chr",
];

/// Trim whitespace and attached punctuation; keep a final dot that belongs
/// to an abbreviation (`e.V.`, `Str.`) or a date (`15.01.`).
fn trim_entity(text: &str, span: Span, label: Label) -> Span {
    let span = snap_to_chars(text, span.start, span.end);
    let Some(s) = text.get(span.start..span.end) else {
        return Span::new(span.start, span.start);
    };
    let mut t = s.trim_start_matches(|c: char| c.is_whitespace() || LEADING.contains(&c));
    // A lower-case article is never part of a name ("an die
    // Bundesnetzagentur"; "Der Spiegel" keeps its capital one).
    if matches!(
        label,
        Label::Person | Label::Organization | Label::Location | Label::Address
    ) {
        if let Some((first, rest)) = t.split_once(' ') {
            if ARTICLES.contains(&first) && rest.starts_with(|c: char| !c.is_whitespace()) {
                t = rest;
            }
        }
    }
    let start = span.start + (s.len() - t.len());
    let mut body = t;
    loop {
        let trimmed = body
            .trim_end_matches(|c: char| c.is_whitespace() || (c != '.' && TRAILING.contains(&c)));
        let keep_dot = trimmed.ends_with('.') && dot_belongs(&trimmed[..trimmed.len() - 1], label);
        let next = if trimmed.ends_with('.') && !keep_dot {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if next.len() == body.len() {
            break;
        }
        body = next;
    }
    Span::new(start, start + body.len())
}

fn dot_belongs(before: &str, label: Label) -> bool {
    let last_chunk = before.rsplit(char::is_whitespace).next().unwrap_or("");
    if last_chunk.is_empty() {
        return false;
    }
    if label == Label::Date && last_chunk.ends_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    if last_chunk.contains('.') {
        return true;
    }
    // An initial ends an abbreviated name ("Nico G.", "Claudia B.") or is
    // one ("M. hatte gestanden").
    if label == Label::Person
        && last_chunk.chars().count() == 1
        && last_chunk.chars().all(char::is_uppercase)
    {
        return true;
    }
    // Regnal numbers are ordinals: "Ludwig XIV.", "Bernhard IV.".
    if label == Label::Person
        && before.contains(' ')
        && last_chunk.len() <= 5
        && last_chunk.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
    {
        return true;
    }
    let lower = last_chunk.to_lowercase();
    DOTTED
        .iter()
        .any(|a| lower == *a || (a.len() >= 3 && lower.ends_with(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_mapping() {
        assert_eq!(map_entity_type("PER"), Some(Label::Person));
        assert_eq!(map_entity_type("person"), Some(Label::Person));
        assert_eq!(map_entity_type("ORGANIZATION"), Some(Label::Organization));
        assert_eq!(map_entity_type("GPE"), Some(Label::Location));
        assert_eq!(map_entity_type("ADR"), Some(Label::Address));
        assert_eq!(map_entity_type("ID_NUMBER"), Some(Label::IdNumber));
        assert_eq!(
            map_entity_type("SPECIAL_CATEGORY"),
            Some(Label::SpecialCategory)
        );
        assert_eq!(map_entity_type("IBAN"), Some(Label::Iban));
        assert_eq!(map_entity_type("URL"), Some(Label::Url));
        for ignored in ["MISC", "OTH", "LOCderiv", "PERpart", ""] {
            assert_eq!(map_entity_type(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn tag_parsing() {
        use Tag::*;
        let p = Label::Person;
        assert_eq!(parse_tag("O"), Outside);
        assert_eq!(
            parse_tag("B-PER"),
            Begin {
                label: p,
                single: false
            }
        );
        assert_eq!(
            parse_tag("I-PERSON"),
            Inside {
                label: p,
                last: false
            }
        );
        assert_eq!(
            parse_tag("PER"),
            Inside {
                label: p,
                last: false
            }
        );
        assert_eq!(
            parse_tag("E-ORG"),
            Inside {
                label: Label::Organization,
                last: true
            }
        );
        assert_eq!(
            parse_tag("S-LOC"),
            Begin {
                label: Label::Location,
                single: true
            }
        );
        assert_eq!(
            parse_tag("B_DATE"),
            Begin {
                label: Label::Date,
                single: false
            }
        );
        assert_eq!(
            parse_tag("E-MAIL"),
            Inside {
                label: Label::Email,
                last: false
            }
        );
        assert_eq!(parse_tag("B-MISC"), Outside);
        assert_eq!(parse_tag("I-OTH"), Outside);
        assert_eq!(parse_tag("B-LOCderiv"), Outside);
    }

    /// Words of a whitespace-split text, one token each, and one-hot rows.
    fn setup(text: &str, tags: &[&str]) -> (Vec<Word>, Vec<f32>, Vec<Tag>) {
        let labels = [
            "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-MISC", "E-PER", "S-LOC",
        ];
        let parsed: Vec<Tag> = labels.iter().map(|l| parse_tag(l)).collect();
        let ws = space_words(text);
        let mut probs = Vec::new();
        for t in tags {
            let k = labels.iter().position(|l| l == t).unwrap();
            let mut row = vec![0.0; labels.len()];
            row[k] = 0.9;
            row[0] += 0.1;
            probs.extend(row);
        }
        (ws, probs, parsed)
    }

    fn spans<'a>(text: &'a str, hits: &[Hit]) -> Vec<(&'a str, Label)> {
        hits.iter()
            .map(|h| (&text[h.span.start..h.span.end], h.label))
            .collect()
    }

    #[test]
    fn bio_decoding() {
        let text = "Anna Maria Weber aus Hamburg Nord , Otto";
        let (w, p, t) = setup(
            text,
            &[
                "B-PER", "I-PER", "I-PER", "O", "B-LOC", "I-LOC", "O", "I-PER",
            ],
        );
        let hits = decode(text, &w, &p, &t);
        assert_eq!(
            spans(text, &hits),
            vec![
                ("Anna Maria Weber", Label::Person),
                ("Hamburg Nord", Label::Location),
                ("Otto", Label::Person)
            ]
        );
        assert!(hits
            .iter()
            .all(|h| (h.score - 0.9).abs() < 1e-6 && h.kind == HitKind::Model));
    }

    #[test]
    fn b_breaks_i_after_o_starts_and_type_change_splits() {
        let text = "Anna , Weber Otto Berlin , Köln X";
        let (w, p, t) = setup(
            text,
            &[
                "B-PER", "O", "B-PER", "I-PER", "B-LOC", "O", "S-LOC", "B-MISC",
            ],
        );
        let hits = decode(text, &w, &p, &t);
        assert_eq!(
            spans(text, &hits),
            vec![
                ("Anna", Label::Person),
                ("Weber Otto", Label::Person),
                ("Berlin", Label::Location),
                ("Köln", Label::Location)
            ]
        );
        let text = "Anna Weber , Otto";
        let (w, p, t) = setup(text, &["I-PER", "E-PER", "O", "I-PER"]);
        assert_eq!(
            spans(text, &decode(text, &w, &p, &t)),
            vec![("Anna Weber", Label::Person), ("Otto", Label::Person)]
        );
    }

    /// One token per space-separated word of `text`.
    fn space_words(text: &str) -> Vec<Word> {
        let mut tokens = Vec::new();
        let mut pos = 0;
        for (i, w) in text.split(' ').enumerate() {
            tokens.push(Token {
                start: pos,
                end: pos + w.len(),
                word: Some(i as u32),
            });
            pos += w.len() + 1;
        }
        words(text, &tokens)
    }

    #[test]
    fn the_decoded_sequence_is_valid_bio_and_keeps_personal_labels() {
        let labels = [
            "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-HEALTH", "I-HEALTH",
        ]
        .map(parse_tag);
        //                          O    B-PER I-PER B-LOC I-LOC B-ORG I-ORG B-HEA I-HEA
        const OUT: [f32; 9] = [0.9, 0.02, 0.02, 0.02, 0.02, 0.0, 0.0, 0.01, 0.01];
        // (text, rows, entities, lowest entity score)
        type Case = (
            &'static str,
            &'static [[f32; 9]],
            &'static [(&'static str, Label)],
            f32,
        );
        let cases: [Case; 5] = [
            // Greedy: place "Leipziger Assan" + person "Ouédraogo". An I-PER
            // cannot follow a place, and the person keeps its label.
            (
                "der Leipziger Assan Ouédraogo",
                &[
                    OUT,
                    [0.4, 0.0, 0.0, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0],
                    [0.2, 0.3, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0],
                    [0.0, 0.1, 0.8, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0],
                ],
                &[
                    ("Leipziger", Label::Location),
                    ("Assan Ouédraogo", Label::Person),
                ],
                0.5,
            ),
            // Greedy: O + I-ORG, an organisation "Rose"; the valid path names
            // the whole "Weißen Rose".
            (
                "der Weißen Rose",
                &[
                    OUT,
                    [0.55, 0.0, 0.0, 0.0, 0.0, 0.45, 0.0, 0.0, 0.0],
                    [0.05, 0.0, 0.0, 0.0, 0.0, 0.05, 0.9, 0.0, 0.0],
                ],
                &[("Weißen Rose", Label::Organization)],
                0.5,
            ),
            // A diagnosis tagged I- after an O word starts its own span: the
            // constraint never bridges "und" into one long, unsure mention.
            (
                "Diabetes und Asthma",
                &[
                    [0.05, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.9, 0.05],
                    [0.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2],
                    [0.2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.7],
                ],
                &[("Diabetes", Label::Health), ("Asthma", Label::Health)],
                0.5,
            ),
            // Punctuation keeps no label: a "." tagged I-PER after a place is
            // not forced into a zero-probability B-PER (which would also
            // halve the score of the person after it; checked below).
            (
                "Berlin . Weber",
                &[
                    [0.1, 0.0, 0.0, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0],
                    [0.1, 0.0, 0.5, 0.0, 0.4, 0.0, 0.0, 0.0, 0.0],
                    [0.05, 0.05, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                ],
                &[("Berlin", Label::Location), ("Weber", Label::Person)],
                0.85,
            ),
            // A line break starts a new sequence; a row of NaN decides nothing.
            (
                "Anna \nWeber",
                &[[f32::NAN; 9], [0.1, 0.0, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]],
                &[("Weber", Label::Person)],
                0.85,
            ),
        ];
        for (text, rows, want, min_score) in cases {
            let probs: Vec<f32> = rows.iter().flatten().copied().collect();
            let hits = decode(text, &space_words(text), &probs, &labels);
            assert_eq!(spans(text, &hits), want.to_vec(), "{text}");
            assert!(
                hits.iter().all(|h| h.score >= min_score),
                "{text}: {:?}",
                hits.iter().map(|h| h.score).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn an_io_tagged_model_keeps_every_entity() {
        // Labels without B-/I- prefixes read as inside tags; with no begin
        // tag to start them, each may start an entity anywhere.
        let labels = ["O", "PER", "LOC"].map(parse_tag);
        let text = "Anna in Berlin Köln";
        let rows = [
            [0.1, 0.9, 0.0],
            [0.9, 0.05, 0.05],
            [0.1, 0.0, 0.9],
            [0.1, 0.0, 0.9],
        ];
        let probs: Vec<f32> = rows.iter().flatten().copied().collect();
        assert_eq!(
            spans(text, &decode(text, &space_words(text), &probs, &labels)),
            vec![("Anna", Label::Person), ("Berlin Köln", Label::Location)]
        );
    }

    #[test]
    fn same_label_parts_one_space_apart_join_and_titles_go() {
        // B-PER B-PER one space apart: one person; different labels stay apart.
        let text = "Ezechiel Zivier Berlin";
        let (w, p, t) = setup(text, &["B-PER", "B-PER", "B-LOC"]);
        assert_eq!(
            spans(text, &decode(text, &w, &p, &t)),
            vec![
                ("Ezechiel Zivier", Label::Person),
                ("Berlin", Label::Location)
            ]
        );
        // Two spaces (a table gap) keep them apart.
        let text = "Anna  Otto";
        let (w, p, t) = setup(text, &["B-PER", "O", "B-PER"]);
        assert_eq!(
            spans(text, &decode(text, &w, &p, &t)),
            vec![("Anna", Label::Person), ("Otto", Label::Person)]
        );
        // A line break ends an entity even when the model continues it.
        let text = "Brandl \nKerstin";
        let (w, p, t) = setup(text, &["B-PER", "I-PER"]);
        assert_eq!(
            spans(text, &decode(text, &w, &p, &t)),
            vec![("Brandl", Label::Person), ("Kerstin", Label::Person)]
        );
        // Nor is a mail header field.
        let text = "Andi \nVon: x";
        let (w, p, t) = setup(text, &["B-PER", "I-PER", "O"]);
        assert_eq!(
            spans(text, &decode(text, &w, &p, &t)),
            vec![("Andi", Label::Person)]
        );
        // Greetings are no names.
        let text = "Moin Hi Kerstin";
        let (w, p, t) = setup(text, &["B-PER", "B-PER", "I-PER"]);
        assert_eq!(
            spans(text, &decode(text, &w, &p, &t)),
            vec![("Kerstin", Label::Person)]
        );
        // Titles are not part of the name; a title alone is no person.
        let text = "Frau Dr. Özdemir und Miss Parker und Herr";
        let (w, p, t) = setup(
            text,
            &[
                "B-PER", "I-PER", "I-PER", "O", "B-PER", "I-PER", "O", "B-PER",
            ],
        );
        assert_eq!(
            spans(text, &decode(text, &w, &p, &t)),
            vec![("Özdemir", Label::Person), ("Parker", Label::Person)]
        );
    }

    #[test]
    fn generic_nouns_are_no_organisations_or_health_data() {
        let text = "Die Pflegekasse und die AOK Bayern, Polizei-Sportverein";
        let org = |needle: &str| model_hit(text, needle, Label::Organization);
        let kept = drop_generic_nouns(
            text,
            vec![
                org("Pflegekasse"),
                org("AOK Bayern"),
                org("Polizei-Sportverein"),
            ],
        );
        assert_eq!(
            spans(text, &kept),
            vec![
                ("AOK Bayern", Label::Organization),
                ("Polizei-Sportverein", Label::Organization)
            ]
        );
        let text = "meldet Störung DSL, hat eine Angststörung";
        let health = |needle: &str| model_hit(text, needle, Label::Health);
        let kept = drop_generic_nouns(text, vec![health("Störung"), health("Angststörung")]);
        assert_eq!(spans(text, &kept), vec![("Angststörung", Label::Health)]);
        let text = "Sehr geehrte/r Herr/Frau XY, Herr Xaver, Erika Musterfrau";
        let person = |needle: &str| model_hit(text, needle, Label::Person);
        let kept = drop_generic_nouns(
            text,
            vec![person("XY"), person("Xaver"), person("Erika Musterfrau")],
        );
        assert_eq!(spans(text, &kept), vec![("Xaver", Label::Person)]);
        let text = "an der Adresse [Straße Hausnr.], [PLZ Ort] oder Hauptstraße 5";
        let addr = |needle: &str| model_hit(text, needle, Label::Address);
        let kept = drop_generic_nouns(
            text,
            vec![
                addr("Straße Hausnr."),
                addr("PLZ Ort"),
                addr("Hauptstraße 5"),
            ],
        );
        assert_eq!(spans(text, &kept), vec![("Hauptstraße 5", Label::Address)]);
        let text = "Wir suchen: Koch / Köchin (m/w/d), Fahrer (w/m/d) und Anna Koch / Martin";
        let person = |needle: &str| model_hit(text, needle, Label::Person);
        let kept = drop_generic_nouns(
            text,
            vec![person("Koch"), person("Fahrer"), person("Anna Koch")],
        );
        assert_eq!(spans(text, &kept), vec![("Anna Koch", Label::Person)]);
    }

    /// A model hit on the first `needle` in `text`.
    fn model_hit(text: &str, needle: &str, label: Label) -> Hit {
        let s = text.find(needle).expect("needle");
        Hit {
            span: Span::new(s, s + needle.len()),
            label,
            score: 0.9,
            kind: HitKind::Model,
        }
    }

    /// Like [`setup`] but with explicit pieces, found in order in `text`
    /// (so a piece need not be separated by a space).
    fn setup_pieces(text: &str, pieces: &[&str], tags: &[&str]) -> (Vec<Word>, Vec<f32>, Vec<Tag>) {
        let spaced = pieces.join(" ");
        let (_, probs, parsed) = setup(&spaced, tags);
        let mut tokens = Vec::new();
        let mut pos = 0;
        for (i, piece) in pieces.iter().enumerate() {
            let start = pos + text[pos..].find(piece).unwrap();
            pos = start + piece.len();
            tokens.push(Token {
                start,
                end: pos,
                word: Some(i as u32),
            });
        }
        (words(text, &tokens), probs, parsed)
    }

    #[test]
    fn parts_of_a_hyphenated_word_join() {
        let text = "Köln-Wahn und Erkki-Sven Tüürs, Köln - Bonn, Anna-Lena";
        let pieces = [
            "Köln", "-", "Wahn", "und", "Erkki", "-", "Sven", "Tüürs", ",", "Köln", "-", "Bonn",
            ",", "Anna", "-", "Lena",
        ];
        let tags = [
            "B-LOC", "O", "B-LOC", "O", "B-LOC", "O", "B-PER", "I-PER", "O", "B-LOC", "O", "B-LOC",
            "O", "B-PER", "O", "O",
        ];
        let (w, p, t) = setup_pieces(text, &pieces, &tags);
        assert_eq!(
            spans(text, &decode(text, &w, &p, &t)),
            vec![
                ("Köln-Wahn", Label::Location),
                ("Erkki-Sven Tüürs", Label::Person),
                ("Köln", Label::Location),
                ("Bonn", Label::Location),
                ("Anna", Label::Person),
            ]
        );
    }

    #[test]
    fn metaspace_bare_pieces_never_decide_or_widen() {
        // "▁" piece covering the space before "(Anna", then "(", "Anna".
        let text = "Hallo (Anna";
        let tokens = [
            Token {
                start: 0,
                end: 5,
                word: Some(0),
            },
            Token {
                start: 5,
                end: 6,
                word: Some(1),
            },
            Token {
                start: 6,
                end: 7,
                word: Some(1),
            },
            Token {
                start: 7,
                end: 11,
                word: Some(1),
            },
        ];
        let ws = words(text, &tokens);
        assert_eq!(ws.len(), 2);
        assert_eq!(
            ws[1],
            Word {
                span: Span::new(6, 11),
                token: 2
            }
        );
    }

    #[test]
    fn trimming_punctuation_and_keeping_meaningful_dots() {
        let t = |s: &str, l| {
            let sp = trim_entity(s, Span::new(0, s.len()), l);
            s[sp.start..sp.end].to_string()
        };
        assert_eq!(t(" „Weber“, ", Label::Person), "Weber");
        assert_eq!(t("Hamburg.", Label::Location), "Hamburg");
        assert_eq!(t("(Müller GmbH)", Label::Organization), "Müller GmbH");
        assert_eq!(
            t("Förderverein e.V.", Label::Organization),
            "Förderverein e.V."
        );
        assert_eq!(t("15.01.", Label::Date), "15.01.");
        assert_eq!(t("Hauptstr.", Label::Address), "Hauptstr.");
        assert_eq!(t("Weber!?).", Label::Person), "Weber");
        assert_eq!(t("...", Label::Person), "");
        assert_eq!(t("Ludwig XIV.", Label::Person), "Ludwig XIV.");
        assert_eq!(t("Bernhard IV.)", Label::Person), "Bernhard IV.");
        assert_eq!(t("VIII.", Label::Person), "VIII");
        assert_eq!(t("Nico G.", Label::Person), "Nico G.");
        assert_eq!(t("Anna K.,", Label::Person), "Anna K.");
        assert_eq!(t("Meyer.", Label::Person), "Meyer");
        // A lone initial is an abbreviated name too ("M. hatte gestanden").
        assert_eq!(t("G.", Label::Person), "G.");
        assert_eq!(t("Chr.", Label::Person), "Chr.");
        assert_eq!(
            t("die Bundesnetzagentur", Label::Organization),
            "Bundesnetzagentur"
        );
        assert_eq!(t("Der Spiegel", Label::Organization), "Der Spiegel");
        assert_eq!(t("von der Leyen", Label::Person), "von der Leyen");
        assert_eq!(t("der Kreis", Label::Health), "der Kreis");
    }

    #[test]
    fn a_name_before_an_organisation_noun_names_the_organisation() {
        let text = "Die Dave Matthews Band und die Robert Bosch Stiftung , Herr Weber";
        let (w, p, t) = setup(
            text,
            &[
                "O", "B-PER", "I-PER", "O", "O", "O", "B-PER", "I-PER", "I-PER", "O", "O", "B-PER",
            ],
        );
        assert_eq!(
            spans(text, &decode(text, &w, &p, &t)),
            vec![
                ("Dave Matthews Band", Label::Organization),
                ("Robert Bosch Stiftung", Label::Organization),
                ("Weber", Label::Person)
            ]
        );
    }

    #[test]
    fn role_nouns_leave_person_spans() {
        let text = "Philosoph Immanuel Kant, Schäfer Heinrich Wolf, Meister Eder, Trainer";
        let hits = vec![
            model_hit(text, "Philosoph Immanuel Kant", Label::Person),
            model_hit(text, "Schäfer Heinrich Wolf", Label::Person),
            model_hit(text, "Meister Eder", Label::Person),
            model_hit(text, "Trainer", Label::Person),
        ];
        assert_eq!(
            spans(text, &strip_titles(text, hits)),
            vec![
                ("Immanuel Kant", Label::Person),
                ("Heinrich Wolf", Label::Person),
                // "Meister" is also a surname: with one name word after it
                // the span stays whole; a role noun alone is no name but
                // stays for the policy (only titles and greetings go).
                ("Meister Eder", Label::Person),
                ("Trainer", Label::Person),
            ]
        );
        let text = "i. A. Dennis Kaczmarek, I. A.  DENNIS KACZMAREK";
        let hits = vec![
            model_hit(text, "i. A. Dennis Kaczmarek", Label::Person),
            model_hit(text, "I. A.  DENNIS KACZMAREK", Label::Person),
        ];
        assert_eq!(
            spans(text, &strip_titles(text, hits)),
            vec![
                ("Dennis Kaczmarek", Label::Person),
                ("DENNIS KACZMAREK", Label::Person)
            ]
        );
        // A nationality noun leaves the span, and alone it is no name.
        let text = "Der Chinese Fan Zhendong und ein 28-jähriger Syrer";
        let hits = vec![
            model_hit(text, "Chinese Fan Zhendong", Label::Person),
            model_hit(text, "Syrer", Label::Person),
        ];
        assert_eq!(
            spans(text, &strip_titles(text, hits)),
            vec![("Fan Zhendong", Label::Person)]
        );
    }

    #[test]
    fn a_given_name_after_a_role_joins_the_surname() {
        let text = "Der Inder Gukesh Dommaraju und Trainer Thomas Tuchel, der Schwede Armand";
        let hits = vec![
            model_hit(text, "Dommaraju", Label::Person),
            model_hit(text, "Thomas Tuchel", Label::Person),
            model_hit(text, "Armand", Label::Person),
        ];
        assert_eq!(
            spans(text, &given_after_role(text, hits)),
            vec![
                ("Gukesh Dommaraju", Label::Person),
                ("Thomas Tuchel", Label::Person),
                ("Armand", Label::Person),
            ]
        );
    }

    #[test]
    fn names_cut_at_a_particle_are_mended() {
        let text = "Abu Ali ibn Sina und Vasco da Gama, Ibn Battuta, Petra Vogel von der Vogelwarte, Eric Cantona zu United";
        let hits = vec![
            model_hit(text, "Abu Ali", Label::Person),
            model_hit(text, "Sina", Label::Person),
            model_hit(text, "Vasco da", Label::Person),
            model_hit(text, "Gama", Label::Location),
            model_hit(text, "Battuta", Label::Person),
            model_hit(text, "Petra Vogel von der", Label::Person),
            model_hit(text, "Eric Cantona zu", Label::Person),
            model_hit(text, "United", Label::Organization),
        ];
        assert_eq!(
            spans(text, &mend_particles(text, hits)),
            vec![
                ("Abu Ali ibn Sina", Label::Person),
                ("Vasco da Gama", Label::Person),
                ("Ibn Battuta", Label::Person),
                ("Petra Vogel", Label::Person),
                ("Eric Cantona", Label::Person),
                ("United", Label::Organization),
            ]
        );
    }

    #[test]
    fn a_lone_initial_keeps_its_dot() {
        let text = "M. hatte gestanden.";
        assert_eq!(
            trim_entity(text, Span::new(0, 2), Label::Person),
            Span::new(0, 2)
        );
    }
}
