//! DATE: calendar dates in German notation.
//!
//! Every candidate starts at a digit run (one pass over the bytes, no
//! whole-text regex) and is parsed by hand:
//! - numeric `15.01.2024`, `15.1.24`, `1.1.2000`, and without year only with
//!   the closing dot: `15.01.`, `am 3.3.`;
//! - ISO `2024-01-15`;
//! - textual `3. März 1982`, `3. Mär. 1982`, `03. März`, `3 Jänner 2020`
//!   (a day is required; "März 1982" alone is no date).
//!
//! Day and month are range-checked (day against the month length, leap
//! years included when the year is known), so `32.13.2024` is not a date.
//! Version numbers (`1.2.3.4`, "Version 2.0.1"), IP addresses, amounts
//! (`1.234,56`) and times (`14:30`) are left alone. Weekday names are not
//! part of the span. All hits are [`HitKind::Pattern`].

use super::contact::{after_version_word, digit_runs, skip_digits, word_end, word_start};
use super::Detector;
use crate::types::{Hit, HitKind, Label};

/// Score of a full numeric or ISO date with year.
pub const SCORE_DATE_FULL: f32 = 0.9;
/// Score of a date with a written month ("3. März 1982", "03. März").
pub const SCORE_DATE_TEXT: f32 = 0.9;
/// Score of a numeric date without year ("15.01.").
pub const SCORE_DATE_NO_YEAR: f32 = 0.8;

/// Month names and abbreviations (Germany, Austria, Switzerland) with their
/// number. Abbreviations may be followed by a dot.
const MONTHS: &[(&str, u32)] = &[
    ("Januar", 1),
    ("Jänner", 1),
    ("Jan", 1),
    ("Jän", 1),
    ("Februar", 2),
    ("Feber", 2),
    ("Feb", 2),
    ("März", 3),
    ("Mär", 3),
    ("Mrz", 3),
    ("Maerz", 3),
    ("April", 4),
    ("Apr", 4),
    ("Mai", 5),
    ("Juni", 6),
    ("Jun", 6),
    ("Juli", 7),
    ("Jul", 7),
    ("August", 8),
    ("Aug", 8),
    ("September", 9),
    ("Sept", 9),
    ("Sep", 9),
    ("Oktober", 10),
    ("Okt", 10),
    ("November", 11),
    ("Nov", 11),
    ("Dezember", 12),
    ("Dez", 12),
];

/// Detector for DATE.
#[derive(Debug, Default)]
pub(crate) struct Dates {}

impl Dates {
    pub(crate) fn new() -> Self {
        Dates {}
    }
}

impl Detector for Dates {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        let b = text.as_bytes();
        let mut next_free = 0;
        for (ds, de) in digit_runs(text) {
            if ds < next_free {
                continue;
            }
            // Not inside a longer token or dotted/colon number. After a ','
            // or ':' only when a digit precedes it ("1,28.04" is no date,
            // a CSV cell "Rogner,28.04.1992" or "Datum:15.01.2024" is).
            let digit_before = |i: usize| i > 0 && b[i - 1].is_ascii_digit();
            let range = day_range_start(text, ds);
            if !(word_start(text, ds) || range.is_some())
                || range.is_none() && ds > 0 && matches!(b[ds - 1], b'.' | b'/' | b'-' | b'+')
                || ds > 0 && matches!(b[ds - 1], b',' | b':') && digit_before(ds - 1)
            {
                continue;
            }
            let found = match de - ds {
                1 | 2 => parse_numeric(text, ds, de).or_else(|| parse_textual(text, ds, de)),
                4 => parse_iso(text, ds, de),
                _ => None,
            };
            if let Some((e, score)) = found {
                let start = range.unwrap_or(ds);
                out.push(Hit::new(start, e, Label::Date, score, HitKind::Pattern));
                next_free = e;
            }
        }
    }
}

/// Start of a day written before a date as one token ("14.–17.08.",
/// "3.-5. März"): one or two digits of a valid day, a dot and a dash right
/// before `ds`, at a word start.
fn day_range_start(text: &str, ds: usize) -> Option<usize> {
    let before = text.get(..ds)?;
    let before = before
        .strip_suffix('–')
        .or_else(|| before.strip_suffix('-'))?
        .strip_suffix('.')?;
    let digits = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    let start = before.len() - digits;
    let day = num(&before.as_bytes()[start..]);
    ((1..=2).contains(&digits) && (1..=31).contains(&day) && word_start(text, start))
        .then_some(start)
}

fn is_leap(y: u32) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// True when `day.month.year` exists; `year` `None` allows 29 February.
pub(super) fn valid_date(day: u32, month: u32, year: Option<u32>) -> bool {
    let max = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !is_leap(y) => 28,
            _ => 29,
        },
        _ => return false,
    };
    (1..=max).contains(&day)
}

fn num(b: &[u8]) -> u32 {
    b.iter().fold(0, |acc, &c| acc * 10 + u32::from(c - b'0'))
}

/// True when the byte at `e` ends a numeric date: not followed by a digit,
/// letter, or another `.digit` / `,digit` / `:digit` continuation.
fn clean_end(text: &str, e: usize) -> bool {
    let b = text.as_bytes();
    word_end(text, e)
        && !(matches!(b.get(e), Some(b'.' | b',' | b':' | b'-' | b'/'))
            && b.get(e + 1).is_some_and(u8::is_ascii_digit))
}

/// `15.01.2024`, `15.1.24`, `15.01.` (with closing dot).
fn parse_numeric(text: &str, ds: usize, de: usize) -> Option<(usize, f32)> {
    let b = text.as_bytes();
    if b.get(de) != Some(&b'.') {
        return None;
    }
    let ms = de + 1;
    let me = skip_digits(b, ms);
    if !(1..=2).contains(&(me - ms)) || b.get(me) != Some(&b'.') {
        return None;
    }
    let day = num(&b[ds..de]);
    let month = num(&b[ms..me]);
    let ys = me + 1;
    let ye = skip_digits(b, ys);
    let (end, year, score) = match ye - ys {
        4 => {
            let y = num(&b[ys..ye]);
            if !(1800..=2199).contains(&y) {
                return None;
            }
            (ye, Some(y), SCORE_DATE_FULL)
        }
        2 => (ye, Some(2000 + num(&b[ys..ye])), SCORE_DATE_FULL),
        0 => (ys, None, SCORE_DATE_NO_YEAR),
        _ => return None,
    };
    if !valid_date(day, month, year) {
        return None;
    }
    if year.is_some() {
        if !clean_end(text, end) {
            return None;
        }
    } else if b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
        // "15.01.x" — not a date without year.
        return None;
    }
    if after_version_word(b, ds) {
        return None;
    }
    Some((end, score))
}

/// `2024-01-15`.
fn parse_iso(text: &str, ds: usize, de: usize) -> Option<(usize, f32)> {
    let b = text.as_bytes();
    let shape_ok = b.get(de) == Some(&b'-')
        && b.get(de + 1..de + 3)
            .is_some_and(|r| r.iter().all(u8::is_ascii_digit))
        && b.get(de + 3) == Some(&b'-')
        && b.get(de + 4..de + 6)
            .is_some_and(|r| r.iter().all(u8::is_ascii_digit));
    if !shape_ok {
        return None;
    }
    let year = num(&b[ds..de]);
    let month = num(&b[de + 1..de + 3]);
    let day = num(&b[de + 4..de + 6]);
    let end = de + 6;
    if !(1800..=2199).contains(&year) || !valid_date(day, month, Some(year)) {
        return None;
    }
    // "2024-01-15T10:00" is still a date; "2024-01-150" is not.
    let next_t = b.get(end) == Some(&b'T') && b.get(end + 1).is_some_and(u8::is_ascii_digit);
    if !next_t && !clean_end(text, end) {
        return None;
    }
    Some((end, SCORE_DATE_FULL))
}

/// `3. März 1982`, `3. Mär. 1982`, `03. März`, `3 Mai 2020`.
fn parse_textual(text: &str, ds: usize, de: usize) -> Option<(usize, f32)> {
    let b = text.as_bytes();
    let day = num(&b[ds..de]);
    let mut i = de;
    if b.get(i) == Some(&b'.') {
        i += 1;
    }
    // One or two spaces (or a no-break space).
    let mut spaces = 0;
    loop {
        if b.get(i) == Some(&b' ') {
            i += 1;
        } else if b.get(i..i + 2) == Some(&[0xC2, 0xA0]) {
            i += 2;
        } else {
            break;
        }
        spaces += 1;
    }
    if !(1..=2).contains(&spaces) {
        return None;
    }
    let rest = text.get(i..)?;
    // Longest matching month name that ends a word (or an abbreviation dot),
    // in any case ("14. SEPTEMBER", "am 10. november").
    let mut best: Option<(usize, u32)> = None;
    for &(name, m) in MONTHS {
        if starts_with_any_case(rest, name) {
            let e = i + name.len();
            let ok = word_end(text, e);
            if ok && best.is_none_or(|(bl, _)| name.len() > bl) {
                best = Some((name.len(), m));
            }
        }
    }
    let (len, month) = best?;
    let mut e = i + len;
    if len <= 4 && b.get(e) == Some(&b'.') {
        e += 1;
    }
    // Optional year.
    let mut year = None;
    let mut j = e;
    if b.get(j) == Some(&b' ') {
        j += 1;
        let ye = skip_digits(b, j);
        if ye - j == 4 && clean_end(text, ye) {
            let y = num(&b[j..ye]);
            if (1800..=2199).contains(&y) {
                year = Some(y);
                e = ye;
            }
        }
    }
    if !valid_date(day, month, year) {
        return None;
    }
    Some((e, SCORE_DATE_TEXT))
}

/// Whether `rest` starts with `name` in any letter case; the matched prefix
/// is `name.len()` bytes (German month names have no letter whose case
/// changes its UTF-8 length).
fn starts_with_any_case(rest: &str, name: &str) -> bool {
    // Month names start with an ASCII letter: most candidates fail here.
    let first = |s: &str| s.as_bytes().first().map(u8::to_ascii_lowercase);
    if first(rest) != first(name) {
        return false;
    }
    rest.starts_with(name)
        || rest.get(..name.len()).is_some_and(|p| {
            p.chars()
                .zip(name.chars())
                .all(|(a, b)| a == b || a.to_lowercase().eq(b.to_lowercase()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Dates::new().detect(text, &mut out);
        out.sort_by_key(|h| h.span.start);
        out.iter()
            .map(|h| text[h.span.start..h.span.end].to_string())
            .collect()
    }

    #[test]
    fn dates_real_formats() {
        let cases = [
            ("Bestellung vom 15.01. ist nicht da", "15.01."),
            ("Rogner,28.04.1992,Pflegegrad 3", "28.04.1992"),
            ("Datum:15.01.2024", "15.01.2024"),
            ("TELEFONNOTIZ 14. SEPTEMBER, 10:56 UHR", "14. SEPTEMBER"),
            ("der techniker war am 10. november da", "10. november"),
            ("am 15.01.2024 um 14:30", "15.01.2024"),
            ("geboren 15.1.24", "15.1.24"),
            ("am 3.3. geht es los", "3.3."),
            ("seit 1.1.2000.", "1.1.2000"),
            ("geboren am 3. März 1982 in Köln", "3. März 1982"),
            ("am 3. Mär. 1982", "3. Mär. 1982"),
            ("bis 03. März bitte", "03. März"),
            ("vom 14.–17.08. im Urlaub", "14.–17.08."),
            ("vom 3.-5. März", "3.-5. März"),
            ("am 3 Jänner 2020", "3 Jänner 2020"),
            ("Stand 2024-01-15.", "2024-01-15"),
            ("ts 2024-01-15T10:00", "2024-01-15"),
            ("Montag, 29.02.2024", "29.02.2024"),
            ("🙂15.01.2024🙂", "15.01.2024"),
        ];
        for (text, want) in cases {
            assert_eq!(of(text), [want], "{text}");
        }
    }

    #[test]
    fn date_near_misses() {
        for text in [
            "32.13.2024",
            "29.02.2023",
            "31.04.2024",
            "Version 2.0.1.3",
            "Version 1.2.24",
            "IP 192.168.1.1",
            "1.2.3.4",
            "1.234,56 €",
            "12.50 €",
            "15.01 Uhr",
            "um 14:30 Uhr",
            "März 1982",
            "Tel. 0171 2345678",
            "04109 Leipzig",
            "2024-13-01",
            "2024-01-15-3",
            "3 Maier",
            "Nr. 15.01.2024",
            "Wert 1,28.04",
            "um 14:15.01",
        ] {
            let got = of(text);
            if text == "Nr. 15.01.2024" {
                assert_eq!(got, ["15.01.2024"], "a date after Nr. is still a date");
                continue;
            }
            assert!(got.is_empty(), "{text}: {got:?}");
        }
    }

    #[test]
    fn leap_years() {
        assert!(valid_date(29, 2, Some(2024)));
        assert!(valid_date(29, 2, Some(2000)));
        assert!(!valid_date(29, 2, Some(1900)));
        assert!(valid_date(29, 2, None));
        assert!(!valid_date(0, 1, None));
        assert!(!valid_date(1, 0, None));
    }

    #[test]
    fn kinds_and_scores() {
        let mut out = Vec::new();
        Dates::new().detect("am 15.01. und 15.01.2024", &mut out);
        out.sort_by_key(|h| h.span.start);
        assert_eq!(out[0].score, SCORE_DATE_NO_YEAR);
        assert_eq!(out[1].score, SCORE_DATE_FULL);
        assert!(out.iter().all(|h| h.kind == HitKind::Pattern));
    }
}
