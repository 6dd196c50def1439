//! ID_NUMBER: identifiers of a person or of their case.
//!
//! Three sources, all emitted as [`Label::IdNumber`]:
//! 1. **Keyword-led identifiers** ([`HitKind::Pattern`]): one Aho-Corasick
//!    pass over the keywords of `lexicons/ids_keywords.txt` ("Kundennr.",
//!    "Bestellung", "Aktenzeichen", "Personalausweis" …), then a small
//!    parser reads the identifier after the keyword (or before it, as in
//!    "4711 (Kundennummer)"). The span is the identifier only, never the
//!    keyword; a leading `#` is part of it ("#98765"). Any other
//!    "…nummer"/"…nr" compound counts too ("Schadennr.", "KV-Nr."), unless
//!    its head numbers a thing (`lexicons/ids_tail_stop.txt`: "Hausnummer",
//!    "Artikelnr.").
//! 2. **Checksummed German IDs anywhere** ([`HitKind::Validated`]):
//!    Steuer-ID, Rentenversicherungsnummer, Krankenversichertennummer and
//!    ID card / passport numbers with their 7-3-1 check digit, found from
//!    digit runs and validated with [`super::checksum`].
//! 3. **Licence plates**, only after a keyword such as "Kennzeichen".
//!
//! A keyword in a chat turn that asks for the identifier ("Können Sie mir
//! Ihre Kundennummer nennen?") also marks the identifiers that open the next
//! turn ("Kunde: 596-73921"), see [`answers`].
//!
//! [`is_id_header`] tells the table pass of `fields.rs` which header cells
//! ("Kundennr", "Rechnungsnummer", "Kunden-ID") name an identifier column.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

use super::checksum::{id_card, is_id_card_char, kvnr, rvnr, steuer_id};
use super::contact::{digit_runs, next_char, number_continues, prev_char, word_end, word_start};
use super::Detector;
use crate::types::{Hit, HitKind, Label};

/// Score of an identifier introduced by a keyword.
pub const SCORE_ID_KEYWORD: f32 = 0.9;
/// Score of an identifier written before its keyword ("4711 (Kundennummer)").
pub const SCORE_ID_KEYWORD_BEFORE: f32 = 0.85;
/// Score of a Steuer-ID, RV-Nummer or KV-Nummer with a valid check digit.
pub const SCORE_ID_CHECKSUM: f32 = 0.97;
/// Score of an ID card / passport number with a valid 7-3-1 check digit
/// but no keyword (the check digit alone is weaker: one in ten passes).
pub const SCORE_ID_CARD: f32 = 0.9;
/// Score of a licence plate after a keyword.
pub const SCORE_PLATE: f32 = 0.9;

/// How far before a digit run a keyword may start (keyword, fillers and a
/// letter prefix of the identifier).
const KEYWORD_LOOKBACK: usize = 72;
/// How far after a digit run a keyword may end ("4711 (Kundennummer)").
const KEYWORD_LOOKAHEAD: usize = 40;

/// The keyword list, one per line, `#` comments, optional `|flag`.
const KEYWORDS: &str = include_str!("lexicons/ids_keywords.txt");
/// Heads of "…nummer"/"…nr" compounds that number no person or case
/// ("Hausnummer", "Artikelnr."), matched as word endings.
const TAIL_STOP: &str = include_str!("lexicons/ids_tail_stop.txt");

/// What follows a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// An identifier without spaces.
    Plain,
    /// An identifier that may contain single spaces ("3 O 123/24").
    Spaced,
    /// A licence plate.
    Plate,
}

/// Detector for ID_NUMBER.
#[derive(Debug)]
pub(crate) struct Ids {
    keywords: AhoCorasick,
    /// Per pattern, in pattern order.
    meta: Vec<Keyword>,
}

/// What the keyword list says about one pattern.
#[derive(Debug, Clone, Copy)]
struct Keyword {
    flavor: Flavor,
    /// May end a compound word ("Neukundennummer").
    compound: bool,
    /// A generic compound tail ("nummer", "nr") that counts only after a
    /// head word not in [`TAIL_STOP`] ("Schadennr.", "KV-Nr.").
    tail: bool,
    /// A bank account keyword ("Kontonummer", "Kto."): an all-digit value
    /// is a bank account identifier, IBAN in the SPEC ("IBAN or other bank
    /// account identifier"); one with letters ("Kto. K-55812") stays an ID.
    account: bool,
}

impl Ids {
    pub(crate) fn new() -> Self {
        LazyLock::force(&TAIL_STOP_HEADS);
        let mut pats = Vec::new();
        let mut meta = Vec::new();
        for (kw, flag) in keyword_lines() {
            let flavor = match flag {
                "spaced" => Flavor::Spaced,
                "plate" => Flavor::Plate,
                _ => Flavor::Plain,
            };
            let lower = kw.to_lowercase();
            let compound = lower.ends_with("nummer") || lower.ends_with("nr");
            pats.push(kw.to_string());
            meta.push(Keyword {
                flavor,
                compound,
                tail: flag == "tail",
                account: flag == "account",
            });
        }
        let keywords = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            // A full DFA: ~1/3 faster than the default NFA for this many
            // case-insensitive keywords, a few hundred KiB of memory.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&pats)
            .expect("ID keywords form a valid automaton. This is a bug.");
        Ids { keywords, meta }
    }

    /// For a generic tail at `ks`: true when the word it ends has a head
    /// of at least two letters that is not a stop head ("Schaden" in
    /// "Schadennr.", "KV" in "KV-Nr."; not "Haus" in "Hausnummer", not a
    /// bare "Nr. 5").
    fn tail_has_case_head(&self, text: &str, ks: usize) -> bool {
        let before = text.get(..ks).unwrap_or("");
        let word_len: usize = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic() || matches!(c, '.' | '-'))
            .map(char::len_utf8)
            .sum();
        let head = before
            .get(ks - word_len..)
            .unwrap_or("")
            .trim_end_matches(['.', '-'])
            .to_lowercase();
        head.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !TAIL_STOP_HEADS.iter().any(|s| head.ends_with(s.as_str()))
    }

    /// Keyword-led identifiers. Every identifier contains a digit, so the
    /// keyword automaton runs only over windows around digit runs
    /// ([`KEYWORD_LOOKBACK`] bytes before, [`KEYWORD_LOOKAHEAD`] after),
    /// merged; prose without digits is never searched.
    fn detect_keyword_led(&self, text: &str, out: &mut Vec<Hit>) {
        let mut window: Option<(usize, usize)> = None;
        for (ds, de) in digit_runs(text) {
            let ws = ds.saturating_sub(KEYWORD_LOOKBACK);
            let we = (de + KEYWORD_LOOKAHEAD).min(text.len());
            match window {
                Some((a, z)) if ws <= z => window = Some((a, we.max(z))),
                Some((a, z)) => {
                    self.keyword_window(text, a, z, out);
                    window = Some((ws, we));
                }
                None => window = Some((ws, we)),
            }
        }
        if let Some((a, z)) = window {
            self.keyword_window(text, a, z, out);
        }
    }

    fn keyword_window(&self, text: &str, ws: usize, we: usize, out: &mut Vec<Hit>) {
        for m in self.keywords.find_iter(Input::new(text).range(ws..we)) {
            let Some(&Keyword {
                flavor,
                compound,
                tail,
                account,
            }) = self.meta.get(m.pattern().as_usize())
            else {
                continue;
            };
            let (ks, ke) = (m.start(), m.end());
            if !compound && !word_start(text, ks)
                || after_vat_prefix(text.as_bytes(), ks)
                || tail && !self.tail_has_case_head(text, ks)
            {
                continue;
            }
            // The keyword must end its word ("Bestellungen" is no keyword),
            // unless it ends in punctuation itself ("Kd.-Nr.").
            let ends_in_punct = text
                .as_bytes()
                .get(ke - 1)
                .is_some_and(|c| !c.is_ascii_alphanumeric());
            if !ends_in_punct && next_char(text, ke).is_some_and(char::is_alphabetic) {
                continue;
            }
            let found = match flavor {
                Flavor::Plate => parse_plate(text, skip_fillers(text, ke))
                    .map(|(s, e)| Hit::new(s, e, Label::IdNumber, SCORE_PLATE, HitKind::Pattern)),
                Flavor::Plain | Flavor::Spaced => {
                    parse_identifier(text, skip_fillers(text, ke), flavor == Flavor::Spaced)
                        // "Vertrag 2023 abgeschlossen": after a plain noun
                        // (not "…nummer"/"…nr"), a bare year is no identifier.
                        .filter(|&(s, e)| compound || !is_year(text.get(s..e).unwrap_or("")))
                        .map(|(s, e)| {
                            Hit::new(s, e, Label::IdNumber, SCORE_ID_KEYWORD, HitKind::Pattern)
                        })
                        .or_else(|| {
                            identifier_before(text, ks).map(|(s, e)| {
                                Hit::new(
                                    s,
                                    e,
                                    Label::IdNumber,
                                    SCORE_ID_KEYWORD_BEFORE,
                                    HitKind::Pattern,
                                )
                            })
                        })
                }
            };
            match found {
                Some(mut h) => {
                    let digits_only = text
                        .get(h.span.start..h.span.end)
                        .is_some_and(|v| v.bytes().all(|c| c.is_ascii_digit() || c == b' '));
                    if account && digits_only {
                        h.label = Label::Iban;
                    }
                    out.push(h);
                }
                None if flavor != Flavor::Plate => {
                    out.extend(answers(text, ks, ke).into_iter().map(|(s, e)| {
                        Hit::new(
                            s,
                            e,
                            Label::IdNumber,
                            SCORE_ID_KEYWORD_BEFORE,
                            HitKind::Pattern,
                        )
                    }));
                }
                None => {}
            }
        }
    }
}

impl Detector for Ids {
    fn name(&self) -> &'static str {
        "ids"
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        let mut hits = Vec::new();
        self.detect_keyword_led(text, &mut hits);
        detect_checksummed(text, &mut hits);
        // A value found both after a keyword and by its check digit ("ID:
        // 86 095 742 719") is reported once, as the validated hit.
        hits.sort_by(|a, b| {
            (a.span.start, a.span.end)
                .cmp(&(b.span.start, b.span.end))
                .then((b.kind == HitKind::Validated).cmp(&(a.kind == HitKind::Validated)))
        });
        hits.dedup_by(|later, kept| later.span == kept.span && later.label == kept.label);
        out.extend(hits);
    }
}

// ----- identifier columns in tables ----------------------------------------

/// The heads of [`TAIL_STOP`], lower case.
static TAIL_STOP_HEADS: LazyLock<Vec<String>> = LazyLock::new(|| {
    TAIL_STOP
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// The keywords of [`KEYWORDS`] that are whole words (not generic tails),
/// lower case, without a trailing '.'.
static HEADER_KEYWORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    keyword_lines()
        .filter(|&(_, flag)| flag != "tail")
        .map(|(kw, _)| kw.trim_end_matches('.').to_lowercase())
        .collect()
});

/// `(keyword, flag)` of each line of [`KEYWORDS`], trimmed; the flag is ""
/// when the line has none.
fn keyword_lines() -> impl Iterator<Item = (&'static str, &'static str)> {
    KEYWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (kw, flag) = l.split_once('|').unwrap_or((l, ""));
            (kw.trim(), flag.trim())
        })
}

/// Whether a table header cell names a column of identifiers: a keyword of
/// `lexicons/ids_keywords.txt` as the whole cell ("Kundennr", "Bestellung"),
/// a bare "ID", or a "…nummer" / "…nr" / "…-ID" compound whose head has two
/// letters or more and is not a stop head ("Mitgliedsnummer", "Vers.-Nr.";
/// not "Hausnummer", "Telefonnr.").
pub(crate) fn is_id_header(cell: &str) -> bool {
    let c = cell.trim().trim_end_matches(['.', ':']).to_lowercase();
    if c == "id" || HEADER_KEYWORDS.contains(&c) {
        return true;
    }
    ["nummer", "nr", "-id"].iter().any(|tail| {
        let Some(head) = c.strip_suffix(tail) else {
            return false;
        };
        let head = head.trim_end_matches(['.', '-', ' ']);
        head.chars().filter(|ch| ch.is_alphabetic()).count() >= 2
            && !head.contains(' ')
            && !TAIL_STOP_HEADS.iter().any(|s| head.ends_with(s.as_str()))
    })
}

// ----- keyword-led identifiers ---------------------------------------------

/// True when the keyword at `ks` is part of a VAT number label
/// ("USt-IdNr.", "Umsatzsteuer-Identifikationsnummer"): that identifies a
/// company, not a person.
fn after_vat_prefix(b: &[u8], ks: usize) -> bool {
    let mut i = ks;
    while i > 0 && matches!(b[i - 1], b'-' | b'.' | b' ') && ks - i < 3 {
        i -= 1;
    }
    let before = &b[..i];
    [&b"ust"[..], b"umsatzsteuer", b"mwst"].iter().any(|p| {
        before.len() >= p.len() && before[before.len() - p.len()..].eq_ignore_ascii_case(p)
    })
}

/// Filler words between a keyword and its identifier (lower-case).
const FILLERS: &[&str] = &[
    "nr", "no", "nummer", "number", "id", "lautet", "lautend", "ist",
];

/// Skip punctuation, spaces (at most one line break) and filler words after
/// a keyword; returns where the identifier may start.
fn skip_fillers(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    for _ in 0..3 {
        let mut newlines = 0;
        let mut n = 0;
        while let Some(&c) = b.get(i) {
            match c {
                b' ' | b'\t' | b':' | b'.' | b'-' | b'=' => {}
                b'\n' | b'\r' if newlines == 0 => newlines += 1,
                _ => break,
            }
            i += 1;
            n += 1;
            if n > 8 {
                return i;
            }
        }
        // A filler word?
        let we = i + b.get(i..).map_or(0, |r| {
            r.iter().take_while(|c| c.is_ascii_alphabetic()).count()
        });
        let word = text.get(i..we).unwrap_or("");
        if we > i
            && FILLERS.iter().any(|f| f.eq_ignore_ascii_case(word))
            && !next_char(text, we).is_some_and(char::is_alphanumeric)
        {
            // "Nr" directly followed by digits would be an identifier
            // start for "ID" only when separated; keep it simple.
            i = we;
            continue;
        }
        break;
    }
    i
}

fn is_id_char(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// True when `s` looks like a date ("15.01.", "15.01.2024", "2024-01-15").
fn looks_like_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['.', '-', '/']).collect();
    let nums = parts
        .iter()
        .all(|p| p.is_empty() || p.bytes().all(|c| c.is_ascii_digit()));
    if !nums {
        return false;
    }
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    matches!(
        lens.as_slice(),
        [1 | 2, 1 | 2, 0 | 2 | 4] | [4, 2, 2] | [1 | 2, 1 | 2]
    ) && s.contains(['.', '-', '/'])
}

/// True for a bare four-digit year 1900–2099.
fn is_year(s: &str) -> bool {
    s.len() == 4
        && s.bytes().all(|c| c.is_ascii_digit())
        && (s.starts_with("19") || s.starts_with("20"))
}

/// True when an amount unit follows byte `e` ("120 €", "12 EUR", "5 %").
fn unit_follows(text: &str, e: usize) -> bool {
    let rest = text.get(e..).unwrap_or("");
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    [
        "€", "EUR", "Euro", "CHF", "%", "Stück", "Stk", "Tage", "Wochen", "Monate", "Jahre",
    ]
    .iter()
    .any(|u| {
        rest.starts_with(u)
            && !rest[u.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic)
    })
}

/// Parse an identifier at `s`: optional `#`, then alphanumerics with inner
/// `-`, `/`, `.` (and single spaces when `spaced`). It must contain a digit.
fn parse_identifier(text: &str, s: usize, spaced: bool) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = s;
    let hash = b.get(i) == Some(&b'#');
    if hash {
        i += 1;
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    if !b.get(i).is_some_and(|&c| is_id_char(c)) || !word_start(text, i) && !hash {
        return None;
    }
    // The first token.
    let mut e = i;
    while b.get(e).is_some_and(|&c| is_id_char(c))
        || matches!(b.get(e), Some(b'-' | b'/' | b'.' | b'_'))
            && b.get(e + 1).is_some_and(|&c| is_id_char(c))
    {
        e += 1;
    }
    let mut ts = i;
    let mut tokens = 1;
    loop {
        let tok = text.get(ts..e)?;
        let tok_digits = tok.bytes().all(|c| c.is_ascii_digit());
        // Possibly join the next token.
        if b.get(e) != Some(&b' ') || tokens >= 5 {
            break;
        }
        let ns = e + 1;
        let mut ne = ns;
        while b.get(ne).is_some_and(|&c| is_id_char(c))
            || matches!(b.get(ne), Some(b'-' | b'/' | b'.'))
                && b.get(ne + 1).is_some_and(|&c| is_id_char(c))
        {
            ne += 1;
        }
        let Some(next) = text.get(ns..ne) else { break };
        if next.is_empty() || !word_end(text, ne) {
            break;
        }
        let next_has_digit = next.bytes().any(|c| c.is_ascii_digit());
        let next_digits = next.bytes().all(|c| c.is_ascii_digit());
        let join = if spaced {
            // "3 O 123/24": digit tokens and short upper-case register
            // letters that are followed by another digit token.
            next_has_digit && !looks_like_date(next)
                || next.len() <= 4
                    && next.bytes().all(|c| c.is_ascii_alphabetic())
                    && next.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                    && b.get(ne) == Some(&b' ')
                    && b.get(ne + 1).is_some_and(u8::is_ascii_digit)
        } else {
            // "12 345 678": groups of digits only; a last group of two
            // digits after two or more groups ("4402 1187 30") when no word
            // follows it ("4711 1234 12 Stück" keeps its count apart).
            tok_digits
                && next_digits
                && tok.len() >= 2
                && (next.len() >= 3 || next.len() == 2 && tokens >= 2 && b.get(ne) != Some(&b' '))
        };
        if !join {
            break;
        }
        ts = ns;
        e = ne;
        tokens += 1;
    }
    // Trim trailing punctuation.
    while e > i && matches!(b[e - 1], b'.' | b'-' | b'/' | b'_') {
        e -= 1;
    }
    let id = text.get(i..e)?;
    let alnum = id.bytes().filter(u8::is_ascii_alphanumeric).count();
    if !id.bytes().any(|c| c.is_ascii_digit())
        || id.len() > 40
        || alnum < if hash { 2 } else { 3 }
        || looks_like_date(id)
        || !word_end(text, e)
        || number_continues(b, e)
        || unit_follows(text, e)
    {
        return None;
    }
    Some((s, e))
}

/// Words of a line that asks for something ("Bitte nennen Sie …", "gib
/// deine Kundennummer ein."), lower case.
const REQUESTS: &[&str] = &[
    "nennen",
    "angeben",
    "eingeben",
    " ein.",
    "mitteilen",
    "durchgeben",
    "schicken",
    "senden",
    "brauche",
    "bräuchte",
    "benötige",
];

/// Longest speaker name before the ':' of a chat turn, in bytes.
const MAX_SPEAKER: usize = 30;

/// At most this many identifiers are read from one answer.
const MAX_ANSWER_IDS: usize = 3;

/// Identifiers answering a request: the line of the keyword at `ks..ke`
/// asks for it (it ends with '?' or holds a [`REQUESTS`] word), and the next
/// line is a chat turn ("Kunde: …", "[14:03] Kundin: …") whose first words
/// hold identifiers ("die 4410293, die andere 4410294"). Phone numbers
/// (a leading '+', or '0' and nine digits or more) are left to the phone rule.
fn answers(text: &str, ks: usize, ke: usize) -> Vec<(usize, usize)> {
    let Some(line_end) = text[ke..].find('\n').map(|i| ke + i) else {
        return Vec::new();
    };
    // The next line must be a chat turn; checked before the (costlier)
    // request words.
    let reply_start = line_end + 1;
    let reply_end = text[reply_start..]
        .find('\n')
        .map_or(text.len(), |i| reply_start + i);
    let reply = &text[reply_start..reply_end];
    // "[14:03] " before the speaker.
    let mut body = 0;
    if reply.starts_with('[') {
        match reply.find(']') {
            Some(i) if i < 12 => body = i + 1,
            _ => return Vec::new(),
        }
    }
    let Some(colon) = reply[body..]
        .char_indices()
        .take_while(|&(i, _)| i <= MAX_SPEAKER + 2)
        .find(|&(_, c)| c == ':')
        .map(|(i, _)| body + i)
    else {
        return Vec::new();
    };
    let speaker = reply[body..colon].trim();
    if speaker.is_empty()
        || speaker.len() > MAX_SPEAKER
        || !speaker
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '.'))
    {
        return Vec::new();
    }
    let line_start = text[..ks].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..line_end].trim_end().to_lowercase();
    if !(line.ends_with('?') || REQUESTS.iter().any(|r| line.contains(r))) {
        return Vec::new();
    }
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = reply_start + colon + 1;
    let mut words = 0;
    while i < reply_end && words < 8 && found.len() < MAX_ANSWER_IDS {
        while i < reply_end && matches!(b[i], b' ' | b'\t' | b',' | b';') {
            i += 1;
        }
        if i >= reply_end {
            break;
        }
        let phone_chars = |c: &u8| c.is_ascii_digit() || matches!(c, b' ' | b'+' | b'/' | b'-');
        let phone_len = text[i..reply_end].bytes().take_while(phone_chars).count();
        let phone_digits = text[i..i + phone_len]
            .bytes()
            .filter(u8::is_ascii_digit)
            .count();
        if matches!(b[i], b'+' | b'0') && phone_digits >= 9 {
            i += phone_len;
        } else {
            match parse_identifier(text, i, false) {
                Some((s, e)) if !is_year(&text[s..e]) && e <= reply_end => {
                    found.push((s, e));
                    i = e;
                }
                _ => {
                    i += text[i..reply_end]
                        .find([' ', '\t', ',', ';'])
                        .unwrap_or(reply_end - i);
                }
            }
        }
        words += 1;
    }
    found
}

/// "4711 (Kundennummer)": an identifier right before `(keyword`.
fn identifier_before(text: &str, ks: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = ks;
    if i == 0 || b[i - 1] != b'(' {
        return None;
    }
    i -= 1;
    while i > 0 && b[i - 1] == b' ' {
        i -= 1;
    }
    let e = i;
    while i > 0
        && (is_id_char(b[i - 1])
            || matches!(b[i - 1], b'-' | b'/' | b'.') && i >= 2 && is_id_char(b[i - 2]))
    {
        i -= 1;
    }
    if i > 0 && b[i - 1] == b'#' {
        i -= 1;
    }
    if i == e || prev_char(text, i).is_some_and(char::is_alphanumeric) {
        return None;
    }
    let (s, pe) = parse_identifier(text, i, false)?;
    (pe == e).then_some((s, e))
}

/// A German licence plate at `s`: district (1–3 letters, umlauts allowed),
/// `-` or space, 1–2 letters, optional space, 1–4 digits, optional `E`/`H`.
fn parse_plate(text: &str, s: usize) -> Option<(usize, usize)> {
    let mut it = text.get(s..)?.char_indices().peekable();
    let mut district = 0;
    let mut end_district = 0;
    while let Some(&(o, c)) = it.peek() {
        if c.is_uppercase() && c.is_alphabetic() && district < 3 {
            district += 1;
            end_district = o + c.len_utf8();
            it.next();
        } else {
            break;
        }
    }
    if district == 0 {
        return None;
    }
    let b = text.as_bytes();
    let mut i = s + end_district;
    if !matches!(b.get(i), Some(b'-' | b' ')) {
        return None;
    }
    i += 1;
    let ls = i;
    while b.get(i).is_some_and(u8::is_ascii_uppercase) && i - ls < 2 {
        i += 1;
    }
    if i == ls || b.get(i).is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    if matches!(b.get(i), Some(b' ' | b'-')) {
        i += 1;
    }
    let ds = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) && i - ds < 4 {
        i += 1;
    }
    if i == ds {
        return None;
    }
    if matches!(b.get(i), Some(b'E' | b'H')) {
        i += 1;
    }
    if !word_end(text, i) || b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((s, i))
}

// ----- checksummed IDs anywhere ----------------------------------------------

fn detect_checksummed(text: &str, out: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut next_free = 0;
    for (ds, de) in digit_runs(text) {
        if ds < next_free {
            continue;
        }
        // The enclosing ASCII alphanumeric token.
        let mut ts = ds;
        while ts > 0 && b[ts - 1].is_ascii_alphanumeric() {
            ts -= 1;
        }
        let mut te = de;
        while te < b.len() && b[te].is_ascii_alphanumeric() {
            te += 1;
        }
        next_free = te;
        if !word_start(text, ts) || !word_end(text, te) || number_continues(b, te) {
            continue;
        }
        if ts > 0 && matches!(b[ts - 1], b'.' | b',' | b'-' | b'/' | b'+') {
            continue;
        }
        let Some(tok) = text.get(ts..te) else {
            continue;
        };
        if let Some((e, score)) = checksummed_token(tok)
            .map(|s| (te, s))
            .or_else(|| spaced_checksummed(text, ts))
        {
            out.push(Hit::new(ts, e, Label::IdNumber, score, HitKind::Validated));
            next_free = e;
        }
    }
}

/// Score of a compact token that is a checksummed German ID.
fn checksummed_token(tok: &str) -> Option<f32> {
    let b = tok.as_bytes();
    match b.len() {
        11 if steuer_id(tok) => Some(SCORE_ID_CHECKSUM),
        12 if b[8].is_ascii_uppercase() && rvnr(tok) => Some(SCORE_ID_CHECKSUM),
        10 if b[0].is_ascii_uppercase() && kvnr(tok) => Some(SCORE_ID_CHECKSUM),
        10 if b[0].is_ascii_uppercase()
            && is_id_card_char(b[0])
            && b[1..9].iter().any(u8::is_ascii_digit)
            && id_card(tok) =>
        {
            Some(SCORE_ID_CARD)
        }
        _ => None,
    }
}

/// Spaced forms: Steuer-ID "86 095 742 719", RV-Nummer "15 070649 C 103".
fn spaced_checksummed(text: &str, s: usize) -> Option<(usize, f32)> {
    let b = text.as_bytes();
    type Check = fn(&str) -> bool;
    let shapes: [(&[u8], Check); 3] = [
        (b"dd ddd ddd ddd", steuer_id),
        (b"dd dddddd L ddd", rvnr),
        (b"dd dddddd Lddd", rvnr),
    ];
    for (shape, check) in shapes {
        let Some(cand) = b.get(s..s + shape.len()) else {
            continue;
        };
        let fits = cand.iter().zip(shape).all(|(&c, &p)| match p {
            b'd' => c.is_ascii_digit(),
            b'L' => c.is_ascii_uppercase(),
            _ => c == b' ',
        });
        let e = s + shape.len();
        if !fits || !word_end(text, e) || number_continues(b, e) {
            continue;
        }
        let compact: String = cand
            .iter()
            .filter(|&&c| c != b' ')
            .map(|&c| char::from(c))
            .collect();
        if check(&compact) {
            return Some((e, SCORE_ID_CHECKSUM));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Ids::new().detect(text, &mut out);
        out.sort_by_key(|h| h.span.start);
        out.iter()
            .map(|h| text[h.span.start..h.span.end].to_string())
            .collect()
    }

    #[test]
    fn spec_example() {
        let text = "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: \"Meine Bestellung #98765 vom 15.01. ist nicht angekommen.\"";
        assert_eq!(of(text), ["4711", "#98765"]);
    }

    #[test]
    fn generic_number_compounds() {
        for (text, id) in [
            ("Schadennr. SN-24-0088123 vergeben", "SN-24-0088123"),
            (
                "Versicherter Nguyen, Vers.-Nr. N204518873, fragt",
                "N204518873",
            ),
            ("Tochter (KV-Nr. W482019336)", "W482019336"),
            ("MA: Jan Kowalski, Pers.-Nr. 20817, Lager", "20817"),
            ("Anmeldung (Schülernummer S-2024-1187)", "S-2024-1187"),
            ("an der Abendkasse (Reservierungsnr. KZ-0931).", "KZ-0931"),
            ("Sparplan (Depotnr. 4402118730) erhöhen", "4402118730"),
            ("Depotnummer: 88120", "88120"),
            ("Buchung BK-99120-AT stornieren", "BK-99120-AT"),
            ("Rahmenvertrag RV-2023-0412 läuft", "RV-2023-0412"),
        ] {
            assert_eq!(of(text), [id], "{text}");
        }
        // Numbers of things, not of a person or case; a bare "Nr." has no head.
        for text in [
            "Hausnummer 12 fehlt",
            "Hausnr. 12a",
            "Artikelnummer 4711-22",
            "Artikelnr. 88120",
            "Telefonnummer 030 1234567",
            "Zimmernummer 214",
            "Seriennummer 12345",
            "Seite Nr. 5",
            "Nr. 12345",
            "Henry 2024",
            "Heinr. 12",
        ] {
            assert!(of(text).is_empty(), "{text}: {:?}", of(text));
        }
    }

    #[test]
    fn keyword_led_forms() {
        let cases = [
            ("Kunden-Nr.: 4711", "4711"),
            ("Kundennummer 4711", "4711"),
            ("4711 (Kundennummer)", "4711"),
            ("Bestellnr 98765", "98765"),
            ("Auftrags-Nr. A-2024-0815.", "A-2024-0815"),
            ("Auftragsnummer: KD123456", "KD123456"),
            ("Versicherungsnummer 12 345 678", "12 345 678"),
            ("Policennummer: P-998877", "P-998877"),
            ("Ticket #123", "#123"),
            ("Ticket-ID: T-5566", "T-5566"),
            ("Rechnung Nr. RE-2024-001", "RE-2024-001"),
            ("Rechnungsnummer 2024/0042", "2024/0042"),
            ("Aktenzeichen 3 O 123/24 vom Landgericht", "3 O 123/24"),
            ("Az.: 12 C 345/23", "12 C 345/23"),
            ("Mitgliedsnummer 00815", "00815"),
            ("Vorgangsnummer VG-77", "VG-77"),
            (
                "Sendungsnummer 00340434161234567890",
                "00340434161234567890",
            ),
            ("Fallnummer: 2024-113", "2024-113"),
            ("Mandatsreferenz M-000123", "M-000123"),
            ("Personalnummer 5521", "5521"),
            ("Kundennummer 2001", "2001"),
            ("Bestellung #2024", "#2024"),
            ("Zählernummer 1ESY1160123456", "1ESY1160123456"),
            ("Neukundennummer 12345", "12345"),
            ("Personalausweis Nr. L01X00T47", "L01X00T47"),
            ("Kennzeichen B-AB 1234", "B-AB 1234"),
            ("amtl. Kennzeichen: M AB 123E", "M AB 123E"),
            ("Kfz-Kennzeichen HH-X 99", "HH-X 99"),
        ];
        for (text, want) in cases {
            assert_eq!(of(text), [want], "{text}");
        }
    }

    #[test]
    fn keyword_near_misses() {
        for text in [
            "Bestellung vom 15.01. ist nicht da",
            "Rechnung 120,50 € offen",
            "Rechnung 120 € offen",
            "Bestellungen 12345",
            "die Referenz ist gut",
            "Ticket 15.01.2024",
            "Kennzeichen unbekannt",
            "Vorgang 2 Tage",
            "USt-IdNr. DE123456789",
            "Vertrag 2023 abgeschlossen",
            "Rechnung 2024 folgt",
            "Umsatzsteuer-Identifikationsnummer: DE123456789",
            "der neue VW ID.3 und der ID. Buzz",
        ] {
            assert!(of(text).is_empty(), "{text}: {:?}", of(text));
        }
    }

    #[test]
    fn bare_id_keyword() {
        assert_eq!(
            of("Kundenhistorie Julia Engel (ID CR-00917):"),
            vec!["CR-00917"]
        );
        assert_eq!(of("Ihre ID: 4471-22"), vec!["4471-22"]);
    }

    #[test]
    fn bank_account_numbers_are_iban() {
        let t = "Mein Konto ist Kto. 0012345678 bei der Sparkasse. Kunde Horváth, Kto. K-55812. \
                 Kontonummer: 1234 5678 90, Kundenkonto 4711";
        let mut out = Vec::new();
        Ids::new().detect(t, &mut out);
        out.sort_by_key(|h| h.span.start);
        let got: Vec<(&str, Label)> = out
            .iter()
            .map(|h| (&t[h.span.start..h.span.end], h.label))
            .collect();
        assert_eq!(
            got,
            vec![
                ("0012345678", Label::Iban),
                ("K-55812", Label::IdNumber),
                ("1234 5678 90", Label::Iban),
                ("4711", Label::IdNumber)
            ]
        );
    }

    #[test]
    fn identifier_column_headers() {
        for h in [
            "Kundennr",
            "Kundennummer",
            "Kunden-Nr.",
            "Rechnungsnr",
            "Mitglieds-ID",
            "ID",
            "Vers.-Nr.",
            "Bestellung",
            "Aktenzeichen",
        ] {
            assert!(is_id_header(h), "{h}");
        }
        for h in [
            "Telefonnummer",
            "Hausnummer",
            "Artikelnr",
            "Name",
            "Datum",
            "Nr",
            "Betrag",
            "ID Karte",
        ] {
            assert!(!is_id_header(h), "{h}");
        }
    }

    #[test]
    fn chat_answers_to_a_request() {
        assert_eq!(
            of("Agent: Können Sie mir Ihre Kundennummer oder E-Mail nennen?\nKunde: 596-73921\nAgent: Danke."),
            vec!["596-73921"]
        );
        assert_eq!(
            of("Bot: Bitte gib deine Kundennummer ein.\nKunde: 1029384756\nBot: Danke."),
            vec!["1029384756"]
        );
        assert_eq!(
            of("[14:02] Agent: Welche Bestellnummer soll storniert werden?\n[14:03] Kundin: die 4410293, die andere 4410294 behalte ich"),
            vec!["4410293", "4410294"]
        );
        // No request, no chat turn, a phone number or a year: nothing.
        assert!(of("Agent: Ihre Kundennummer ist notiert.\nKunde: 596-73921 passt").is_empty());
        assert!(of("Wie lautet Ihre Kundennummer?\n596-73921").is_empty());
        assert!(of("Agent: Kundennummer oder Telefon?\nKunde: 0171 2345678").is_empty());
        assert!(of("Agent: Seit wann haben Sie die Kundennummer?\nKunde: seit 2019").is_empty());
    }

    #[test]
    fn checksummed_ids_anywhere() {
        assert_eq!(of("meine 86095742719 bitte"), ["86095742719"]);
        assert_eq!(of("ID: 86 095 742 719."), ["86 095 742 719"]);
        assert_eq!(of("RV 15070649C103"), ["15070649C103"]);
        assert_eq!(of("SV: 15 070649 C 103"), ["15 070649 C 103"]);
        assert_eq!(of("Karte A123456780 🙂"), ["A123456780"]);
        assert_eq!(of("Ausweis T220001293"), ["T220001293"]);
    }

    #[test]
    fn checksummed_near_misses() {
        for text in [
            "86095742718",        // Steuer-ID with bad check digit
            "06095742719",        // leading zero
            "15070649C104",       // RV-Nummer with bad check digit
            "A123456781",         // KV-Nummer with bad check digit
            "T220001294",         // ID card with bad check digit
            "1234567890",         // plain number
            "Preis 860957427,19", // amount
        ] {
            assert!(of(text).is_empty(), "{text}: {:?}", of(text));
        }
    }

    #[test]
    fn kinds_and_scores() {
        let mut out = Vec::new();
        Ids::new().detect("Kundennr. 4711, 86095742719", &mut out);
        out.sort_by_key(|h| h.span.start);
        assert_eq!(
            (out[0].kind, out[0].score),
            (HitKind::Pattern, SCORE_ID_KEYWORD)
        );
        assert_eq!(
            (out[1].kind, out[1].score),
            (HitKind::Validated, SCORE_ID_CHECKSUM)
        );
    }

    #[test]
    fn umlauts_and_emoji_around_values() {
        let text = "Grüße 🙂 Kundennr.: ÄÖ-4711 🙂 Zählernummer 🙂 4711 Steuer-ID 86095742719ü";
        let mut out = Vec::new();
        Ids::new().detect(text, &mut out);
        for h in &out {
            assert!(text.is_char_boundary(h.span.start) && text.is_char_boundary(h.span.end));
        }
    }
}
