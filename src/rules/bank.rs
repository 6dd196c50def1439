//! Bank data: IBAN and CREDIT_CARD.
//!
//! Both start from digit runs. An IBAN candidate is two letters right before
//! a two-digit run at a word start; the detector then reads exactly as many
//! characters as the country's IBAN length demands (single spaces between
//! groups allowed, upper or lower case) and keeps it only when the mod-97
//! check passes. A card candidate is 13–19 digits in one run or in the usual
//! groups (4-4-4-4, 4-6-5, 4-6-4) separated by single spaces or dashes, with
//! a known issuer prefix and a valid Luhn digit. Both are
//! [`HitKind::Validated`].

use super::checksum::{iban_mod97, luhn};
use super::contact::{digit_runs, number_continues, skip_digits, word_end, word_start, Ranges};
use super::Detector;
use crate::types::{Hit, HitKind, Label};

/// Score of an IBAN with a valid mod-97 check.
pub const SCORE_IBAN: f32 = 0.99;
/// Score of a payment card number with a known prefix and valid Luhn digit.
pub const SCORE_CARD: f32 = 0.97;

/// IBAN length per country (ISO 13616 registry).
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

/// IBAN length for a country code (any case), `None` for unknown countries.
fn iban_length(cc: [u8; 2]) -> Option<usize> {
    let up = [cc[0].to_ascii_uppercase(), cc[1].to_ascii_uppercase()];
    IBAN_LENGTHS
        .binary_search_by(|(c, _)| (**c).cmp(&up))
        .ok()
        .map(|i| IBAN_LENGTHS[i].1)
}

/// Detector for IBAN and CREDIT_CARD.
#[derive(Debug, Default)]
pub(crate) struct Bank {}

impl Bank {
    pub(crate) fn new() -> Self {
        Bank {}
    }
}

impl Detector for Bank {
    fn name(&self) -> &'static str {
        "bank"
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        let mut next_free = 0;
        for (ds, de) in digit_runs(text) {
            if ds < next_free {
                continue;
            }
            if let Some(e) = parse_iban(text, ds, de) {
                out.push(Hit::new(
                    ds - 2,
                    e,
                    Label::Iban,
                    SCORE_IBAN,
                    HitKind::Validated,
                ));
                next_free = e;
                continue;
            }
            if let Some(e) = parse_card(text, ds) {
                out.push(Hit::new(
                    ds,
                    e,
                    Label::CreditCard,
                    SCORE_CARD,
                    HitKind::Validated,
                ));
                next_free = e;
            }
        }
    }
}

/// Parse an IBAN whose check digits start the digit run `ds..de`; the
/// country code is the two bytes before `ds`. Returns the end byte.
fn parse_iban(text: &str, ds: usize, de: usize) -> Option<usize> {
    let b = text.as_bytes();
    if ds < 2 || de - ds < 2 {
        return None;
    }
    let cc = [b[ds - 2], b[ds - 1]];
    if !cc.iter().all(u8::is_ascii_alphabetic) || !word_start(text, ds - 2) {
        return None;
    }
    let len = iban_length(cc)?;
    let mut compact = String::with_capacity(len);
    compact.push(char::from(cc[0].to_ascii_uppercase()));
    compact.push(char::from(cc[1].to_ascii_uppercase()));
    let mut i = ds;
    while compact.len() < len {
        let c = *b.get(i)?;
        if c.is_ascii_alphanumeric() {
            compact.push(char::from(c.to_ascii_uppercase()));
            i += 1;
        } else if c == b' '
            && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
            && compact.len() >= 4
        {
            i += 1;
        } else {
            return None;
        }
    }
    // No `number_continues` check: a fixed-length, mod-97-checked IBAN is
    // never the start of a decimal, and in CSV rows a field follows right
    // after the comma ("…5277 79,205,33").
    if !word_end(text, i) {
        return None;
    }
    iban_mod97(&compact).then_some(i)
}

/// Card lengths allowed for an issuer prefix (a deliberately short list of
/// the networks seen in Germany, Austria and Switzerland).
fn card_prefix_ok(d: &[u8]) -> bool {
    let n = d.len();
    let p = |k: usize| -> u32 {
        d.iter()
            .take(k)
            .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'))
    };
    match d.first() {
        // Visa
        Some(b'4') => matches!(n, 13 | 16 | 19),
        // Mastercard 51–55, 2221–2720; Maestro/Diners handled below
        Some(b'5') if (51..=55).contains(&p(2)) => n == 16,
        Some(b'2') if (2221..=2720).contains(&p(4)) => n == 16,
        // Amex
        Some(b'3') if matches!(p(2), 34 | 37) => n == 15,
        // JCB 3528–3589
        Some(b'3') if (3528..=3589).contains(&p(4)) => (16..=19).contains(&n),
        // Diners Club 300–305, 36, 38, 39
        Some(b'3') if (300..=305).contains(&p(3)) || matches!(p(2), 36 | 38 | 39) => {
            (14..=19).contains(&n)
        }
        // Discover 6011, 644–649, 65; UnionPay 62
        Some(b'6') if p(4) == 6011 || (644..=649).contains(&p(3)) || matches!(p(2), 65 | 62) => {
            (16..=19).contains(&n)
        }
        // Maestro 50, 56–69
        Some(b'5') if p(2) == 50 || (56..=58).contains(&p(2)) => (12..=19).contains(&n),
        Some(b'6') => (12..=19).contains(&n) && n >= 13,
        _ => false,
    }
}

/// Parse a card number starting at the digit at `s`; returns the end byte.
fn parse_card(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    // Cheap exits first: issuer digit 2–6 and a first group of 4+ digits.
    if !matches!(b.get(s), Some(b'2'..=b'6')) || skip_digits(b, s) - s < 4 {
        return None;
    }
    if !word_start(text, s) || s > 0 && matches!(b[s - 1], b'.' | b',' | b'-' | b'/' | b'+') {
        return None;
    }
    let mut groups = Ranges::new();
    let mut i = s;
    let mut sep: Option<u8> = None;
    let mut total = 0;
    loop {
        let e = skip_digits(b, i);
        if !groups.push((i, e)) {
            break;
        }
        total += e - i;
        i = e;
        let Some(&c) = b.get(i) else { break };
        if !(c == b' ' || c == b'-') || sep.is_some_and(|x| x != c) {
            break;
        }
        if !b.get(i + 1).is_some_and(u8::is_ascii_digit) || total >= 19 {
            break;
        }
        let next_len = skip_digits(b, i + 1) - (i + 1);
        if total + next_len > 19 {
            break;
        }
        sep = Some(c);
        i += 1;
    }
    // Try the longest grouping first, then shorter prefixes.
    while let Some(&(_, e)) = groups.as_slice().last() {
        let gs = groups.as_slice();
        let total = groups.total();
        let mut lens = [0usize; 16];
        for (l, (a, z)) in lens.iter_mut().zip(gs) {
            *l = z - a;
        }
        let lens = &lens[..gs.len()];
        let grouping_ok = match lens.split_last() {
            Some((_, [])) => true,
            Some((last, init)) => {
                matches!(lens, [4, 6, 5] | [4, 6, 4])
                    || init.iter().all(|&l| l == 4) && (1..=4).contains(last)
            }
            None => false,
        };
        if (13..=19).contains(&total) && grouping_ok && word_end(text, e) && !number_continues(b, e)
        {
            let mut buf = [0u8; 19];
            let mut n = 0;
            for &(a, z) in gs {
                buf[n..n + (z - a)].copy_from_slice(&b[a..z]);
                n += z - a;
            }
            let digits = &buf[..n];
            if card_prefix_ok(digits) && std::str::from_utf8(digits).is_ok_and(luhn) {
                return Some(e);
            }
        }
        groups.pop();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str, label: Label) -> Vec<String> {
        let mut out = Vec::new();
        Bank::new().detect(text, &mut out);
        out.sort_by_key(|h| h.span.start);
        out.iter()
            .filter(|h| h.label == label)
            .map(|h| text[h.span.start..h.span.end].to_string())
            .collect()
    }

    #[test]
    fn length_table_is_sorted() {
        assert!(IBAN_LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(iban_length(*b"de"), Some(22));
        assert_eq!(iban_length(*b"ZZ"), None);
    }

    #[test]
    fn ibans() {
        let cases = [
            (
                "IBAN: DE89 3704 0044 0532 0130 00.",
                "DE89 3704 0044 0532 0130 00",
            ),
            ("iban de89370400440532013000", "de89370400440532013000"),
            ("AT61 1904 3002 3457 3201 bitte", "AT61 1904 3002 3457 3201"),
            ("CH93 0076 2011 6238 5295 7", "CH93 0076 2011 6238 5295 7"),
            (
                "Konto GB82 WEST 1234 5698 7654 32",
                "GB82 WEST 1234 5698 7654 32",
            ),
            ("🙂DE89370400440532013000🙂", "DE89370400440532013000"),
            // CSV rows: the amount field follows right after the comma.
            (
                "Nina Zic,DE89 3704 0044 0532 0130 00,205,33",
                "DE89 3704 0044 0532 0130 00",
            ),
            (
                "Gerber,DE89370400440532013000,243,94",
                "DE89370400440532013000",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(of(text, Label::Iban), [want], "{text}");
        }
    }

    #[test]
    fn iban_near_misses() {
        for text in [
            "DE89 3704 0044 0532 0130 01",  // wrong check digit
            "DE88 3704 0044 0532 0130 00",  // wrong check digits
            "DE89 3704 0044 0532 0130 0",   // too short
            "DE89 3704 0044 0532 0130 001", // too long
            "XDE89370400440532013000",      // not at a word start
            "ZZ89370400440532013000",       // unknown country
        ] {
            assert!(of(text, Label::Iban).is_empty(), "{text}");
        }
    }

    #[test]
    fn cards() {
        let cases = [
            ("Karte 4111 1111 1111 1111, gültig", "4111 1111 1111 1111"),
            ("MC 5500-0000-0000-0004", "5500-0000-0000-0004"),
            ("Amex 3400 000000 00009", "3400 000000 00009"),
            ("2221000000000009", "2221000000000009"),
            ("Discover 6011 0000 0000 0004", "6011 0000 0000 0004"),
            ("JCB 3530111333300000", "3530111333300000"),
        ];
        for (text, want) in cases {
            assert_eq!(of(text, Label::CreditCard), [want], "{text}");
        }
    }

    #[test]
    fn card_near_misses() {
        for text in [
            "4111 1111 1111 1112",           // Luhn fails
            "1111 1111 1111 1117",           // unknown prefix (Luhn ok)
            "Bestellung 4111111111111111.5", // part of a decimal
            "4111 11 1111 111111 1",         // odd grouping
            "0171 2345678",
        ] {
            assert!(of(text, Label::CreditCard).is_empty(), "{text}");
        }
    }

    #[test]
    fn card_not_swallowing_following_number() {
        assert_eq!(
            of("4111 1111 1111 1111 2024", Label::CreditCard),
            ["4111 1111 1111 1111"]
        );
    }
}
