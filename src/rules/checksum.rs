//! Pure checksum validators for structured identifiers: IBAN (ISO 13616
//! mod 97), payment cards (Luhn), the German Steuer-ID (ISO 7064 mod 11,10
//! plus the digit-frequency rule), the Rentenversicherungsnummer, the
//! Krankenversichertennummer and the 7-3-1 check digit of German ID cards
//! and passports.
//!
//! Every function takes the *compact* value (no spaces or dashes; callers
//! strip separators), never panics, and answers `false` for anything that is
//! not well-formed. Nothing here scans text or knows about spans.

/// Numeric value of an alphanumeric character in ISO 13616 / ICAO 9303
/// style: `0`–`9` → 0–9, `A`/`a` → 10 … `Z`/`z` → 35.
fn alnum_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 10),
        _ => None,
    }
}

/// Cross sum (digit sum) of a small number.
fn cross_sum(mut n: u32) -> u32 {
    let mut s = 0;
    while n > 0 {
        s += n % 10;
        n /= 10;
    }
    s
}

/// ISO 13616 mod-97 check of a compact IBAN (`"DE89370400440532013000"`).
///
/// Letters may be upper- or lower-case. The country code must be two
/// letters and the check digits two digits; the length is *not* checked
/// against the country table here (see the bank detector). Returns `true`
/// when the rearranged number is congruent to 1 mod 97.
///
/// ```
/// use ampel::rules::checksum::iban_mod97;
/// assert!(iban_mod97("DE89370400440532013000"));
/// assert!(!iban_mod97("DE88370400440532013000"));
/// ```
pub fn iban_mod97(iban: &str) -> bool {
    let b = iban.as_bytes();
    if b.len() < 5 || b.len() > 34 {
        return false;
    }
    if !b[0].is_ascii_alphabetic()
        || !b[1].is_ascii_alphabetic()
        || !b[2].is_ascii_digit()
        || !b[3].is_ascii_digit()
    {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in b[4..].iter().chain(b[..4].iter()) {
        let Some(v) = alnum_value(c) else {
            return false;
        };
        rem = if v < 10 {
            (rem * 10 + v) % 97
        } else {
            (rem * 100 + v) % 97
        };
    }
    rem == 1
}

/// Luhn (mod 10) check over a string of ASCII digits, as used by payment
/// cards. Returns `false` for an empty string or any non-digit.
///
/// ```
/// use ampel::rules::checksum::luhn;
/// assert!(luhn("4111111111111111"));
/// assert!(!luhn("4111111111111112"));
/// ```
pub fn luhn(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in b.iter().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// German Steuerliche Identifikationsnummer (Steuer-ID, 11 digits).
///
/// Checks: exactly 11 ASCII digits; first digit not 0; among the first ten
/// digits exactly one digit occurs two or three times (three times never as
/// three neighbours) and every other digit at most once; the eleventh digit
/// is the ISO 7064 MOD 11,10 check digit of the first ten.
///
/// ```
/// use ampel::rules::checksum::steuer_id;
/// assert!(steuer_id("86095742719"));
/// assert!(!steuer_id("86095742718"));
/// ```
pub fn steuer_id(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.len() != 11 || !b.iter().all(u8::is_ascii_digit) || b[0] == b'0' {
        return false;
    }
    let mut counts = [0u8; 10];
    for &c in &b[..10] {
        counts[usize::from(c - b'0')] += 1;
    }
    let multi: Vec<usize> = (0..10).filter(|&d| counts[d] > 1).collect();
    if multi.len() != 1 {
        return false;
    }
    let d = multi[0];
    match counts[d] {
        2 => {}
        3 => {
            let dc = b'0' + d as u8;
            if b[..10].windows(3).any(|w| w.iter().all(|&x| x == dc)) {
                return false;
            }
        }
        _ => return false,
    }
    let mut product: u32 = 10;
    for &c in &b[..10] {
        let mut sum = (u32::from(c - b'0') + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let mut check = 11 - product;
    if check == 10 {
        check = 0;
    }
    u32::from(b[10] - b'0') == check
}

/// Deutsche Rentenversicherungsnummer (12 characters, compact:
/// `"15070649C103"`).
///
/// Layout: two-digit area number, birth date `DDMMYY` (day 01–31, month
/// 01–12), the initial of the birth name (`A`–`Z`, case-insensitive), a
/// two-digit serial number and the check digit. The letter is replaced by
/// its two-digit position in the alphabet (A = 01 … Z = 26); the resulting
/// twelve digits are weighted 2,1,2,5,7,1,2,1,2,1,2,1, the cross sums of the
/// products are added, and the sum mod 10 is the check digit.
///
/// ```
/// use ampel::rules::checksum::rvnr;
/// assert!(rvnr("15070649C103"));
/// assert!(!rvnr("15070649C104"));
/// ```
pub fn rvnr(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 12 {
        return false;
    }
    let digits_ok = b[..8].iter().all(u8::is_ascii_digit) && b[9..].iter().all(u8::is_ascii_digit);
    if !digits_ok || !b[8].is_ascii_alphabetic() {
        return false;
    }
    let num = |i: usize| u32::from(b[i] - b'0');
    let day = num(2) * 10 + num(3);
    let month = num(4) * 10 + num(5);
    if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
        return false;
    }
    let letter = u32::from(b[8].to_ascii_uppercase() - b'A') + 1;
    let seq: [u32; 12] = [
        num(0),
        num(1),
        num(2),
        num(3),
        num(4),
        num(5),
        num(6),
        num(7),
        letter / 10,
        letter % 10,
        num(9),
        num(10),
    ];
    const WEIGHTS: [u32; 12] = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
    let sum: u32 = seq.iter().zip(WEIGHTS).map(|(d, w)| cross_sum(d * w)).sum();
    sum % 10 == num(11)
}

/// Krankenversichertennummer of the German statutory health insurance
/// (unveränderbarer Teil, 10 characters: `"A123456780"`).
///
/// Layout: an upper-case letter, eight digits and a check digit. The letter
/// becomes its two-digit alphabet position (A = 01 … Z = 26); together with
/// the eight digits that gives ten digits, weighted alternately 1,2,1,2…;
/// products above 9 are replaced by their cross sum; the sum mod 10 is the
/// check digit.
///
/// ```
/// use ampel::rules::checksum::kvnr;
/// assert!(kvnr("A123456780"));
/// assert!(!kvnr("A123456781"));
/// ```
pub fn kvnr(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 10 || !b[0].is_ascii_uppercase() || !b[1..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let letter = u32::from(b[0] - b'A') + 1;
    let mut seq = [0u32; 10];
    seq[0] = letter / 10;
    seq[1] = letter % 10;
    for i in 0..8 {
        seq[i + 2] = u32::from(b[i + 1] - b'0');
    }
    let sum: u32 = seq
        .iter()
        .enumerate()
        .map(|(i, &d)| cross_sum(d * if i % 2 == 0 { 1 } else { 2 }))
        .sum();
    sum % 10 == u32::from(b[9] - b'0')
}

/// Characters allowed in the serial number of German ID cards
/// (Personalausweis since 2010) and passports: digits and the consonants
/// `C F G H J K L M N P R T V W X Y Z`.
pub fn is_id_card_char(c: u8) -> bool {
    matches!(
        c,
        b'0'..=b'9'
            | b'C'
            | b'F'
            | b'G'
            | b'H'
            | b'J'
            | b'K'
            | b'L'
            | b'M'
            | b'N'
            | b'P'
            | b'R'
            | b'T'
            | b'V'
            | b'W'
            | b'X'
            | b'Y'
            | b'Z'
    )
}

/// ICAO 9303 7-3-1 check digit over `value` (digits, `A`–`Z` = 10–35).
/// `None` for any other character.
pub fn check_digit_731(value: &str) -> Option<u32> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (i, &c) in value.as_bytes().iter().enumerate() {
        if c.is_ascii_lowercase() {
            return None;
        }
        sum += alnum_value(c)? * WEIGHTS[i % 3];
    }
    Some(sum % 10)
}

/// German ID card or passport number *with* check digit (10 characters:
/// `"T220001293"`): nine serial characters from [`is_id_card_char`] followed
/// by their 7-3-1 check digit.
///
/// ```
/// use ampel::rules::checksum::id_card;
/// assert!(id_card("T220001293"));
/// assert!(!id_card("T220001294"));
/// ```
pub fn id_card(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 10 || !b[..9].iter().all(|&c| is_id_card_char(c)) || !b[9].is_ascii_digit() {
        return false;
    }
    match value.get(..9).and_then(check_digit_731) {
        Some(check) => check == u32::from(b[9] - b'0'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iban_real_and_near_misses() {
        for ok in [
            "DE89370400440532013000",
            "de89370400440532013000",
            "AT611904300234573201",
            "CH9300762011623852957",
            "GB82WEST12345698765432",
            "FR1420041010050500013M02606",
            "NL91ABNA0417164300",
        ] {
            assert!(iban_mod97(ok), "{ok}");
        }
        for bad in [
            "DE89370400440532013001",
            "DE98370400440532013000",
            "AT611904300234573210",
            "DE8937040044053201300",
            "D989370400440532013000",
            "DE89 370400440532013000",
            "",
            "DE89",
        ] {
            assert!(!iban_mod97(bad), "{bad}");
        }
    }

    #[test]
    fn luhn_real_and_near_misses() {
        for ok in [
            "4111111111111111",
            "5500000000000004",
            "340000000000009",
            "6011000000000004",
            "79927398713",
        ] {
            assert!(luhn(ok), "{ok}");
        }
        for bad in ["4111111111111121", "79927398710", "", "4111-1111"] {
            assert!(!luhn(bad), "{bad}");
        }
    }

    #[test]
    fn steuer_id_real_and_near_misses() {
        for ok in ["86095742719", "65929970489", "57549285017", "25768131411"] {
            assert!(steuer_id(ok), "{ok}");
        }
        for bad in [
            "86095742718", // wrong check digit
            "06095742719", // leading zero
            "12345678903", // all first ten digits distinct
            "11111111116", // one digit ten times
            "8609574271",  // too short
            "8609574271a",
        ] {
            assert!(!steuer_id(bad), "{bad}");
        }
    }

    #[test]
    fn rvnr_real_and_near_misses() {
        assert!(rvnr("15070649C103"));
        assert!(rvnr("15070649c103"));
        assert!(!rvnr("15070649C104"));
        assert!(!rvnr("15073249C103"), "day 32 is not a date");
        assert!(!rvnr("15071349C103"), "month 13 is not a date");
        assert!(!rvnr("150706491103"));
        assert!(!rvnr("15070649C10"));
    }

    #[test]
    fn kvnr_real_and_near_misses() {
        assert!(kvnr("A123456780"));
        assert!(!kvnr("A123456781"));
        assert!(!kvnr("a123456780"));
        assert!(!kvnr("1123456780"));
        assert!(!kvnr("A12345678"));
    }

    #[test]
    fn id_card_real_and_near_misses() {
        // The specimen ID card ("Erika Mustermann") and specimen passport.
        assert!(id_card("T220001293"));
        assert!(id_card("C01X00T478"));
        assert!(!id_card("T220001294"));
        assert!(!id_card("C01X00T477"));
        assert!(!id_card("A220001293"), "A is not in the ID card alphabet");
        assert!(!id_card("t220001293"));
        assert_eq!(check_digit_731("T22000129"), Some(3));
        assert_eq!(check_digit_731("T2200012ä"), None);
    }
}
