//! Contact data: EMAIL, URL, IP_ADDRESS (v4 and v6) and PHONE.
//!
//! Nothing here runs a regex over the whole text. Each family starts from a
//! cheap prefilter — `@` for e-mail, substring search for `://` and `www.`, digit runs for IPv4 and phones, `:` for IPv6 —
//! and then parses the candidate by hand or with `std::net`. The module
//! also owns the small byte-level scanning helpers that the other detector
//! families of this crate (bank, ids, dates) share.
//!
//! Phones are validated structurally rather than with the `phonenumber`
//! crate: a German, Austrian or Swiss number needs a trunk `0` or a country
//! code, a plausible digit count and separators that phone numbers use; a
//! keyword such as `Tel.:` or `Mobil:` raises the score and admits weaker
//! forms. Dates, times, postcodes, amounts, IBAN groups and numbers led by
//! an order/customer keyword never become phones.

use super::Detector;
use crate::types::{Hit, HitKind, Label};

/// Score of an e-mail address (strict syntax, validated).
pub const SCORE_EMAIL: f32 = 0.99;
/// Score of a URL with scheme or `www.` and a dotted host.
pub const SCORE_URL: f32 = 0.97;
/// Score of a bare domain (`mies-shop.de`): a known top-level domain, but no
/// scheme or `www.` to confirm it.
pub const SCORE_DOMAIN: f32 = 0.85;
/// Score of an IP address parsed by `std::net`.
pub const SCORE_IP: f32 = 0.95;
/// Score of a phone number introduced by a keyword (`Tel.:`, `Fax:` …).
pub const SCORE_PHONE_KEYWORD: f32 = 0.95;
/// Score of an international phone number (`+49 …`, `0043 …`).
pub const SCORE_PHONE_INTL: f32 = 0.9;
/// Score of a national phone number with separators (`030 1234567`).
pub const SCORE_PHONE_NATIONAL: f32 = 0.85;
/// Score of an unseparated national digit run without keyword
/// (`01711234567`).
pub const SCORE_PHONE_BARE: f32 = 0.7;
/// Score of a local number without area code after a keyword
/// (`Tel. 12 34 56`).
pub const SCORE_PHONE_LOCAL: f32 = 0.75;

// ---------------------------------------------------------------------------
// Scanning helpers shared with bank.rs, ids.rs and dates.rs.
// ---------------------------------------------------------------------------

/// The character that ends right before byte `i` (which must be a char
/// boundary), if any.
pub(super) fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// The character that starts at byte `i` (a char boundary), if any.
pub(super) fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// True when no alphanumeric character ends right before byte `i`.
pub(super) fn word_start(text: &str, i: usize) -> bool {
    !prev_char(text, i).is_some_and(char::is_alphanumeric)
}

/// True when no alphanumeric character starts at byte `i`.
pub(super) fn word_end(text: &str, i: usize) -> bool {
    !next_char(text, i).is_some_and(char::is_alphanumeric)
}

/// Iterator over maximal runs of ASCII digits as `(start, end)` byte ranges.
pub(super) fn digit_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let start = i + b.get(i..)?.iter().position(u8::is_ascii_digit)?;
        let end = start
            + b.get(start..)
                .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
        i = end;
        Some((start, end))
    })
}

/// Up to 16 byte ranges on the stack: digit groups of a phone or card
/// candidate, collected without allocating.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ranges {
    items: [(usize, usize); 16],
    len: usize,
}

impl Ranges {
    /// No ranges.
    pub(super) fn new() -> Self {
        Ranges {
            items: [(0, 0); 16],
            len: 0,
        }
    }

    /// Append a range; `false` (and nothing appended) when full.
    pub(super) fn push(&mut self, r: (usize, usize)) -> bool {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = r;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// Drop the last range.
    pub(super) fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }

    /// The ranges pushed so far.
    pub(super) fn as_slice(&self) -> &[(usize, usize)] {
        &self.items[..self.len]
    }

    /// Sum of the range lengths.
    pub(super) fn total(&self) -> usize {
        self.as_slice().iter().map(|(s, e)| e - s).sum()
    }
}

/// Index of the first byte after the ASCII digits starting at `i`.
pub(super) fn skip_digits(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// True when a digit continues a number right after byte `i`: `i` holds a
/// `.`, `,` or `:` followed by a digit (amounts, times, versions, dates).
pub(super) fn number_continues(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), Some(b'.' | b',' | b':')) && b.get(i + 1).is_some_and(u8::is_ascii_digit)
}

/// The word (ASCII letters only, lower-cased into `buf`) that ends right
/// before byte `end`, skipping at most `max_gap` bytes of spaces and
/// `.:#-` first. Returns the byte where the word starts.
pub(super) fn word_before<'b>(
    b: &[u8],
    end: usize,
    max_gap: usize,
    buf: &'b mut [u8; 24],
) -> Option<(usize, &'b str)> {
    let mut i = end;
    let mut gap = 0;
    while i > 0 && matches!(b[i - 1], b' ' | b'\t' | b'.' | b':' | b'#' | b'-') {
        i -= 1;
        gap += 1;
        if gap > max_gap {
            return None;
        }
    }
    let we = i;
    while i > 0 && b[i - 1].is_ascii_alphabetic() && we - i < buf.len() {
        i -= 1;
    }
    if i == we || (i > 0 && b[i - 1] >= 0x80) {
        return None;
    }
    let n = we - i;
    for (d, s) in buf.iter_mut().zip(&b[i..we]) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..n]).ok().map(|w| (i, w))
}

/// True when the word before byte `start` says that a dotted number is a
/// version, build or release rather than an address or a date.
pub(super) fn after_version_word(b: &[u8], start: usize) -> bool {
    let mut buf = [0u8; 24];
    matches!(
        word_before(b, start, 3, &mut buf),
        Some((
            _,
            "version"
                | "vers"
                | "ver"
                | "v"
                | "build"
                | "release"
                | "firmware"
                | "update"
                | "patch"
                | "software"
                | "app"
                | "os"
                | "kernel"
                | "java"
                | "python"
                | "node"
                | "chrome"
                | "firefox"
                | "windows"
                | "android"
                | "ios"
                | "macos"
        ))
    )
}

/// Top-level domains a bare domain may end in (German-speaking countries,
/// neighbours, generic ones common in customer texts).
const BARE_TLDS: &[&str] = &[
    "de", "at", "ch", "li", "lu", "eu", "com", "net", "org", "info", "biz", "io", "shop", "online",
    "store", "app", "nl", "be", "fr", "it", "pl", "cz", "dk", "se", "uk", "tr",
];

// ---------------------------------------------------------------------------
// The detector.
// ---------------------------------------------------------------------------

/// Detector for EMAIL, URL, IP_ADDRESS and PHONE.
#[derive(Debug, Default)]
pub(crate) struct Contact {}

impl Contact {
    pub(crate) fn new() -> Self {
        Contact {}
    }
}

impl Detector for Contact {
    fn name(&self) -> &'static str {
        "contact"
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        detect_emails(text, out);
        self.detect_urls(text, out);
        detect_ipv4_and_phones(text, out);
        detect_ipv6(text, out);
    }
}

// ----- EMAIL ---------------------------------------------------------------

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

fn detect_emails(text: &str, out: &mut Vec<Hit>) {
    let mut from = 0;
    while let Some(rel) = text.get(from..).and_then(|s| s.find('@')) {
        let at = from + rel;
        from = at + 1;
        if let Some((s, e)) = parse_email(text, at) {
            out.push(Hit::new(
                s,
                e,
                Label::Email,
                SCORE_EMAIL,
                HitKind::Validated,
            ));
            from = from.max(e);
        }
    }
}

/// Parse an e-mail address around the `@` at byte `at`.
fn parse_email(text: &str, at: usize) -> Option<(usize, usize)> {
    // Local part: walk left.
    let mut s = at;
    for (i, c) in text.get(..at)?.char_indices().rev() {
        if !is_local_char(c) || at - i > 64 {
            break;
        }
        s = i;
    }
    while text.as_bytes().get(s) == Some(&b'.') {
        s += 1;
    }
    if let Some(p) = text.get(s..at).and_then(|l| l.rfind("..")) {
        s += p + 2;
    }
    let local = text.get(s..at)?;
    if local.is_empty() || local.ends_with('.') || local.contains("..") {
        return None;
    }
    // Domain: walk right.
    let mut e = at + 1;
    for (i, c) in text.get(at + 1..)?.char_indices() {
        if !is_domain_char(c) || i > 253 {
            break;
        }
        e = at + 1 + i + c.len_utf8();
    }
    // No trailing dot or dash.
    while e > at + 1 && matches!(text.as_bytes().get(e - 1), Some(b'.' | b'-')) {
        e -= 1;
    }
    let domain = text.get(at + 1..e)?;
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return None;
    }
    for l in &labels {
        if l.is_empty() || l.starts_with('-') || l.ends_with('-') || l.len() > 63 {
            return None;
        }
    }
    let tld = labels.last()?;
    if tld.chars().count() < 2 || !tld.chars().all(char::is_alphabetic) {
        return None;
    }
    Some((s, e))
}

// ----- URL -----------------------------------------------------------------

impl Contact {
    /// URLs start at `http://`, `https://` or `www.` (any case). The text is
    /// searched with SIMD substring search for `://` and `.`-led `www`,
    /// and the prefix is checked around each find.
    fn detect_urls(&self, text: &str, out: &mut Vec<Hit>) {
        let b = text.as_bytes();
        let mut starts: Vec<(usize, usize)> = Vec::new();
        for (i, _) in text.match_indices("://") {
            for scheme in [&b"https"[..], b"http"] {
                if i >= scheme.len() && b[i - scheme.len()..i].eq_ignore_ascii_case(scheme) {
                    starts.push((i - scheme.len(), i + 3));
                    break;
                }
            }
        }
        for pat in ["www.", "WWW.", "Www."] {
            starts.extend(text.match_indices(pat).map(|(i, _)| (i, i + 4)));
        }
        starts.sort_unstable();
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (s, pe) in starts {
            if found.last().is_some_and(|&(_, e)| s < e) || !word_start(text, s) {
                continue;
            }
            if let Some(e) = parse_url(text, s, pe) {
                out.push(Hit::new(s, e, Label::Url, SCORE_URL, HitKind::Validated));
                found.push((s, e));
            }
        }
        detect_bare_domains(text, &found, out);
    }
}

/// Bare domains without scheme or `www.`: `mies-shop.de`,
/// `kundenportal.example.com/login`. The top-level domain must be in
/// [`BARE_TLDS`] and written all lower or all upper case ("Anhang.Info" is a
/// missing space, not a domain); the host must start a word, not follow an
/// `@`, `/` or `.`, and its last label must hold a letter and at least two
/// characters. `urls` are the URLs already found; domains inside them are
/// skipped.
fn detect_bare_domains(text: &str, urls: &[(usize, usize)], out: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut last_end = 0;
    for (dot, _) in text.match_indices('.') {
        // Cheap rejections first: most dots end sentences or sit in numbers.
        let letter_after = b.get(dot + 1).is_some_and(u8::is_ascii_alphabetic);
        let alnum_before = dot > 0 && b[dot - 1].is_ascii_alphanumeric();
        if !letter_after || !alnum_before || dot < last_end {
            continue;
        }
        if urls.iter().any(|&(s, e)| s <= dot && dot < e) {
            continue;
        }
        let tld_end = dot
            + 1
            + b[dot + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
        let tld = &text[dot + 1..tld_end];
        let case_ok = tld.bytes().all(|c| c.is_ascii_lowercase())
            || tld.bytes().all(|c| c.is_ascii_uppercase());
        if !case_ok || !BARE_TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld)) {
            continue;
        }
        // What follows the TLD: the end, a path, or a boundary.
        let after = next_char(text, tld_end);
        let continues = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '@');
        if after.is_some_and(continues)
            || (after == Some('.')
                && next_char(text, tld_end + 1).is_some_and(char::is_alphanumeric))
        {
            continue;
        }
        // The host: labels of ASCII letters, digits and hyphens before the dot.
        let start = b[..dot]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.'))
            .count();
        let start = dot - start;
        let host = &text[start..dot];
        let last_label = host.rsplit('.').next().unwrap_or("");
        let labels_ok = host
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
        if !labels_ok
            || last_label.len() < 2
            || !last_label.bytes().any(|c| c.is_ascii_alphabetic())
            || !word_start(text, start)
            || matches!(prev_char(text, start), Some('@' | '/' | '.' | '-' | '_'))
        {
            continue;
        }
        let end = if after == Some('/') {
            url_end(text, start, tld_end).unwrap_or(tld_end)
        } else {
            tld_end
        };
        out.push(Hit::new(
            start,
            end,
            Label::Url,
            SCORE_DOMAIN,
            HitKind::Pattern,
        ));
        last_end = end;
    }
}

fn is_url_char(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c, '<' | '>' | '"' | '`' | '{' | '}' | '|' | '\\' | '^'))
}

/// End of the URL that starts at `start` when its characters are read from
/// `from` on, without trailing punctuation or unbalanced closing brackets;
/// `None` when nothing is left after `from`.
fn url_end(text: &str, start: usize, from: usize) -> Option<usize> {
    let mut e = from;
    for (i, c) in text.get(from..)?.char_indices() {
        if !is_url_char(c) {
            break;
        }
        e = from + i + c.len_utf8();
    }
    // Trim trailing punctuation and unbalanced closing brackets.
    loop {
        let url = text.get(start..e)?;
        let last = url.chars().next_back()?;
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '«' | '»' | '“' | '”' | '„' | '‘'
            | '’' => true,
            ')' => url.matches(')').count() > url.matches('(').count(),
            ']' => url.matches(']').count() > url.matches('[').count(),
            _ => false,
        };
        if !trim {
            break;
        }
        e -= last.len_utf8();
    }
    if e <= from {
        return None;
    }
    Some(e)
}

/// Parse a URL whose prefix (`http://`, `https://` or `www.`) spans
/// `start..prefix_end`; returns the end byte.
fn parse_url(text: &str, start: usize, prefix_end: usize) -> Option<usize> {
    let e = url_end(text, start, prefix_end)?;
    // Host: up to the first '/', '?', '#' or ':' (port).
    let rest = text.get(prefix_end..e)?;
    let host_end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    let host = rest.get(..host_end)?;
    let host = host.rsplit('@').next().unwrap_or(host);
    let dotted = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !host.contains("..");
    let ok = dotted || host.eq_ignore_ascii_case("localhost") || host.starts_with('[');
    if ok
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':' | '_'))
    {
        Some(e)
    } else {
        None
    }
}

// ----- IPv4 and PHONE (both start from digit runs) --------------------------

fn detect_ipv4_and_phones(text: &str, out: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut next_free = 0;
    for (ds, de) in digit_runs(text) {
        if ds < next_free {
            continue;
        }
        let maybe_ip = de - ds <= 3
            && b.get(de) == Some(&b'.')
            && b.get(de + 1).is_some_and(u8::is_ascii_digit);
        if let Some(e) = maybe_ip.then(|| parse_ipv4(text, ds)).flatten() {
            out.push(Hit::new(
                ds,
                e,
                Label::IpAddress,
                SCORE_IP,
                HitKind::Validated,
            ));
            next_free = e;
            continue;
        }
        // A phone may start one byte earlier with '+' or '('.
        let start = match ds.checked_sub(1).map(|i| b[i]) {
            Some(b'+') => ds - 1,
            Some(b'(') => ds - 1,
            _ => ds,
        };
        if let Some(p) = parse_phone(text, start) {
            out.push(Hit::new(
                p.start,
                p.end,
                Label::Phone,
                p.score,
                HitKind::Pattern,
            ));
            next_free = p.end;
        }
    }
}

/// Parse a dotted-quad IPv4 address starting at the digit at `s`.
fn parse_ipv4(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    if s > 0 && (b[s - 1] == b'.' || b[s - 1].is_ascii_alphanumeric()) || !word_start(text, s) {
        return None;
    }
    let mut e = s;
    let mut dots = 0;
    while e < b.len() && (b[e].is_ascii_digit() || b[e] == b'.') {
        if b[e] == b'.' {
            dots += 1;
        }
        e += 1;
    }
    // A sentence-final dot is not part of the address.
    if e > s && b[e - 1] == b'.' {
        e -= 1;
        dots -= 1;
    }
    if dots != 3 || !word_end(text, e) || b.get(e) == Some(&b'-') {
        return None;
    }
    if b.get(e) == Some(&b'.') && b.get(e + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    text.get(s..e)?.parse::<std::net::Ipv4Addr>().ok()?;
    if after_version_word(b, s) {
        return None;
    }
    Some(e)
}

/// A parsed phone candidate.
#[derive(Debug, Clone, Copy)]
struct Phone {
    start: usize,
    end: usize,
    score: f32,
}

/// Phone keywords (lower-case ASCII) that may directly precede a number.
fn is_phone_keyword(w: &str) -> bool {
    matches!(
        w,
        "tel"
            | "telefon"
            | "telefonnummer"
            | "telefonnr"
            | "telnr"
            | "fon"
            | "phone"
            | "fax"
            | "telefax"
            | "faxnummer"
            | "mobil"
            | "mobiltelefon"
            | "mobilnummer"
            | "handy"
            | "handynummer"
            | "rufnummer"
            | "ruf"
            | "durchwahl"
            | "zentrale"
            | "hotline"
            | "festnetz"
            | "mob"
            | "t"
            | "f"
            | "m"
            | "mobile"
            | "cell"
            | "whatsapp"
    )
}

/// Words that make a following number an identifier, never a phone.
fn is_non_phone_word(w: &str) -> bool {
    matches!(
        w,
        "nr" | "no"
            | "nummer"
            | "bestellung"
            | "bestellnummer"
            | "rechnung"
            | "rechnungsnummer"
            | "auftrag"
            | "auftragsnummer"
            | "kundennummer"
            | "kundennr"
            | "ticket"
            | "id"
            | "vorgang"
            | "referenz"
            | "ref"
            | "vertrag"
            | "vertragsnummer"
            | "plz"
            | "postleitzahl"
            | "konto"
            | "kontonummer"
            | "blz"
            | "iban"
            | "bic"
            | "az"
            | "aktenzeichen"
            | "order"
            | "sendung"
            | "sendungsnummer"
            | "artikel"
            | "art"
            | "artikelnummer"
            | "seriennummer"
            | "serial"
            | "police"
            | "policennummer"
    )
}

/// How strongly the text before `start` announces a phone number.
fn phone_keyword_before(b: &[u8], start: usize) -> Option<bool> {
    let mut buf = [0u8; 24];
    let (ws, w) = word_before(b, start, 4, &mut buf)?;
    // "Tel.-Nr.", "Telefon-Nr.": look one word further back.
    if matches!(w, "nr" | "nummer") {
        let mut buf2 = [0u8; 24];
        if let Some((_, w2)) = word_before(b, ws, 2, &mut buf2) {
            if is_phone_keyword(w2) {
                return Some(true);
            }
        }
    }
    if is_phone_keyword(w) {
        // Single letters ("T:", "F:") count only when followed by ':' or '.'.
        if w.len() == 1 {
            let gap = &b[ws + 1..start];
            return gap.iter().any(|&c| c == b':' || c == b'.').then_some(true);
        }
        return Some(true);
    }
    if is_non_phone_word(w) {
        return Some(false);
    }
    None
}

/// True when the token before `start` (across at most one space) contains a
/// digit: then `start` is inside a longer number (IBAN or card groups).
fn inside_number_sequence(b: &[u8], start: usize) -> bool {
    let mut i = start;
    if i > 0 && b[i - 1] == b' ' {
        i -= 1;
    } else {
        return false;
    }
    while i > 0 && b[i - 1].is_ascii_alphanumeric() {
        if b[i - 1].is_ascii_digit() {
            return true;
        }
        i -= 1;
    }
    false
}

/// Parse a phone number starting at `start` (a digit, `+` or `(`).
fn parse_phone(text: &str, start: usize) -> Option<Phone> {
    let b = text.as_bytes();
    if !word_start(text, start) {
        return None;
    }
    if start > 0 {
        match b[start - 1] {
            b'.' | b'/' | b'-' | b'_' | b'#' | b'@' | b'+' | b'=' => return None,
            // "12,0171…" is a decimal number; "Wels,0171…" is a CSV field.
            b',' | b':' if start >= 2 && b[start - 2].is_ascii_digit() => return None,
            _ => {}
        }
    }
    // Only '+', '(' and a trunk '0' start a number on their own; any
    // other digit needs a keyword ("Tel. 12 34 56").
    let self_starting = matches!(b[start], b'+' | b'(' | b'0');
    if !self_starting && start < 3 {
        return None;
    }
    if inside_number_sequence(b, start) {
        return None;
    }
    let keyword = phone_keyword_before(b, start);
    if keyword == Some(false) || !self_starting && keyword.is_none() {
        return None;
    }
    let has_keyword = keyword == Some(true);

    // Tokenise: digit groups and short separator runs.
    let mut i = start;
    let plus = b[i] == b'+';
    if plus {
        i += 1;
    }
    let mut groups = Ranges::new();
    let mut seps = Ranges::new();
    let mut depth = 0i32;
    // True right after a closing bracket: "(030)1234567" needs no space.
    let mut closed = false;
    loop {
        // Separator run before the next group.
        let mut j = i;
        let sep_start = j;
        let mut spaces = 0;
        let mut punct = 0;
        while j < b.len() && j - sep_start < 4 {
            match b[j] {
                b' ' => spaces += 1,
                b'/' | b'-' | b'\xE2' => {
                    // '–' (U+2013) is E2 80 93.
                    if b[j] == b'\xE2' {
                        if b.get(j + 1..j + 3) != Some(&[0x80, 0x93]) {
                            break;
                        }
                        j += 2;
                    }
                    punct += 1;
                }
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => break,
            }
            j += 1;
        }
        if groups.len == 0 {
            // First group: no separator before it except '(' or '+'.
            if j != i && !(j == i + 1 && b[i] == b'(') {
                return None;
            }
        } else if j == i && !closed || spaces > 2 || punct > 1 || !(0..=1).contains(&depth) {
            break;
        }
        if !b.get(j).is_some_and(u8::is_ascii_digit) {
            break;
        }
        let ge = skip_digits(b, j);
        if groups.len > 0 && !seps.push((i, j)) || !groups.push((j, ge)) {
            break;
        }
        i = ge;
        closed = false;
        // A closing bracket right after a group.
        if depth == 1 && b.get(i) == Some(&b')') {
            depth = 0;
            closed = true;
            i += 1;
            // The span ends at the last digit group, so a final bracket
            // is never part of it.
            if !matches!(b.get(i), Some(b' ' | b'/' | b'-' | b'0'..=b'9')) {
                break;
            }
        }
        if groups.total() > 20 {
            break;
        }
    }
    // Drop trailing groups that belong to something else (dates, times,
    // amounts, words) and groups past a sane length.
    loop {
        let &(_, ge) = groups.as_slice().last()?;
        let bad_end = number_continues(b, ge)
            || b.get(ge)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c >= 0x80)
                && !word_end(text, ge);
        if (bad_end || groups.total() > 15) && groups.len > 1 {
            groups.pop();
            seps.pop();
            continue;
        }
        if bad_end {
            return None;
        }
        break;
    }
    let gs = groups.as_slice();
    let total = groups.total();
    if total > 15 {
        return None;
    }
    let first = *gs.first()?;
    let &(_, end) = gs.last()?;
    let mut buf = [0u8; 16];
    let mut n = 0;
    for &(s, e) in gs {
        buf[n..n + (e - s)].copy_from_slice(&b[s..e]);
        n += e - s;
    }
    let digits = &buf[..n];
    let any_sep = seps.len > 0;
    let open_paren = b[start] == b'(';

    // ISO date shape "2024-01-15" and similar never are phones.
    if gs.len() == 3 && seps.as_slice().iter().all(|&(s, e)| &b[s..e] == b"-") {
        let lens = [gs[0].1 - gs[0].0, gs[1].1 - gs[1].0, gs[2].1 - gs[2].0];
        if lens == [4, 2, 2] || lens == [2, 2, 4] {
            return None;
        }
    }

    let (score, span_start) = if plus || first.1 - first.0 >= 2 && digits.starts_with(b"00") {
        // International: country code must not start with 0.
        let cc_digits = if plus { digits } else { &digits[2..] };
        if cc_digits.first() == Some(&b'0') {
            return None;
        }
        // "(0)" trunk after the country code does not count.
        let trunk = gs.len() > 1 && {
            let (s, e) = gs[1];
            e == s + 1 && b[s] == b'0' && s > 0 && b[s - 1] == b'(' && b.get(e) == Some(&b')')
        };
        let n = cc_digits.len().saturating_sub(usize::from(trunk));
        if !(8..=15).contains(&n) {
            return None;
        }
        // A first group longer than a country code without separators is
        // a plain number unless a keyword announces it.
        let first_len = (first.1 - first.0).saturating_sub(if plus { 0 } else { 2 });
        if !any_sep && !has_keyword && !plus {
            return None;
        }
        if first_len > 3 && any_sep && !has_keyword && !plus {
            return None;
        }
        let s = if has_keyword {
            SCORE_PHONE_KEYWORD
        } else {
            SCORE_PHONE_INTL
        };
        (s, start)
    } else if digits.first() == Some(&b'0') {
        // National with trunk 0.
        let n = digits.len();
        if !(7..=13).contains(&n) {
            return None;
        }
        let area_len = first.1 - first.0;
        if has_keyword {
            (SCORE_PHONE_KEYWORD, start)
        } else if any_sep || open_paren {
            // "0341 1234567", "(030) 123 456", "0171/2345678": the first
            // group is an area code (2–6 digits incl. the 0).
            if !(2..=6).contains(&area_len) {
                return None;
            }
            (SCORE_PHONE_NATIONAL, start)
        } else if (10..=12).contains(&n) {
            (SCORE_PHONE_BARE, start)
        } else {
            return None;
        }
    } else if has_keyword {
        // Local number without area code: "Tel. 12 34 56".
        if !(5..=12).contains(&digits.len()) || open_paren {
            return None;
        }
        (SCORE_PHONE_LOCAL, start)
    } else {
        return None;
    };
    let end = extend_extension(text, end);
    Some(Phone {
        start: span_start,
        end,
        score,
    })
}

/// Extend a phone that ends at `end` with an extension written as
/// `Durchwahl 12`, `DW 12`, `Durchwahl: 12` or `App. 12`.
fn extend_extension(text: &str, end: usize) -> usize {
    let b = text.as_bytes();
    let rest = &b[end..];
    for kw in [
        &b" Durchwahl"[..],
        b" durchwahl",
        b" Durchw.",
        b" DW",
        b" Dw.",
        b" App.",
        b" Apparat",
        b" Nebenstelle",
    ] {
        if rest.len() > kw.len() && rest[..kw.len()] == *kw {
            let mut i = end + kw.len();
            if b.get(i) == Some(&b':') {
                i += 1;
            }
            if b.get(i) == Some(&b' ') {
                i += 1;
            }
            let e = skip_digits(b, i);
            if (1..=5).contains(&(e - i)) && word_end(text, e) && !number_continues(b, e) {
                return e;
            }
        }
    }
    end
}

// ----- IPv6 ----------------------------------------------------------------

fn is_v6_byte(c: u8) -> bool {
    c.is_ascii_hexdigit() || c == b':' || c == b'.'
}

fn detect_ipv6(text: &str, out: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(rel) = b
        .get(from..)
        .and_then(|r| r.iter().position(|&c| c == b':'))
    {
        let colon = from + rel;
        let mut s = colon;
        while s > 0 && is_v6_byte(b[s - 1]) {
            s -= 1;
        }
        let mut e = colon;
        while e < b.len() && is_v6_byte(b[e]) {
            e += 1;
        }
        from = e.max(colon + 1);
        // Trim trailing dots/colons that end a sentence ("… ::1.").
        while e > s && b[e - 1] == b'.' {
            e -= 1;
        }
        let cand = &b[s..e];
        let colons = cand.iter().filter(|&&c| c == b':').count();
        if colons < 2 || !cand.iter().any(u8::is_ascii_digit) {
            continue;
        }
        if !word_start(text, s) || !word_end(text, e) {
            continue;
        }
        let Some(cand) = text.get(s..e) else {
            continue;
        };
        if cand.parse::<std::net::Ipv6Addr>().is_ok() {
            out.push(Hit::new(
                s,
                e,
                Label::IpAddress,
                SCORE_IP,
                HitKind::Validated,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str) -> Vec<(Label, String)> {
        let mut out = Vec::new();
        Contact::new().detect(text, &mut out);
        out.sort_by_key(|h| h.span.start);
        out.iter()
            .map(|h| (h.label, text[h.span.start..h.span.end].to_string()))
            .collect()
    }

    fn of(text: &str, label: Label) -> Vec<String> {
        hits(text)
            .into_iter()
            .filter(|(l, _)| *l == label)
            .map(|(_, s)| s)
            .collect()
    }

    #[test]
    fn emails() {
        assert_eq!(
            of(
                "Frau Weber (weber@example.com), Kundennr. 4711",
                Label::Email
            ),
            ["weber@example.com"]
        );
        assert_eq!(
            of(
                "Schreiben Sie an anna.schulz+ticket@müller-logistik.de.",
                Label::Email
            ),
            ["anna.schulz+ticket@müller-logistik.de"]
        );
        assert_eq!(
            of("mailto:info@firma.co.at?subject=x", Label::Email),
            ["info@firma.co.at"]
        );
        assert_eq!(
            of("🙂jörg@bäckerei.de🙂", Label::Email),
            ["jörg@bäckerei.de"]
        );
        assert!(of("Treffen @ 10 Uhr, foo@bar, a@b.c1, @home", Label::Email).is_empty());
        assert!(of("x..y@example.com", Label::Email) == ["y@example.com"]);
    }

    #[test]
    fn urls() {
        assert_eq!(
            of("Siehe https://example.com/path?a=1&b=2.", Label::Url),
            ["https://example.com/path?a=1&b=2"]
        );
        assert_eq!(
            of("(siehe www.ampel-test.de/faq)", Label::Url),
            ["www.ampel-test.de/faq"]
        );
        assert_eq!(
            of(
                "Link: https://de.wikipedia.org/wiki/Ampel_(Verkehr), danke",
                Label::Url
            ),
            ["https://de.wikipedia.org/wiki/Ampel_(Verkehr)"]
        );
        assert_eq!(
            of("HTTP://BEISPIEL.DE!", Label::Url),
            ["HTTP://BEISPIEL.DE"]
        );
        assert!(of("das http:// Protokoll, www. und https://x", Label::Url).is_empty());
    }

    #[test]
    fn bare_domains() {
        assert_eq!(
            of("die Seite mies-shop.de zeigt nur einen Fehler.", Label::Url),
            ["mies-shop.de"]
        );
        assert_eq!(
            of(
                "Tel. 0316/8167851 | buchholz-shop.com | GF: Otmar",
                Label::Url
            ),
            ["buchholz-shop.com"]
        );
        assert_eq!(
            of(
                "Login: kundenportal.example.com/login?x=1. Danke",
                Label::Url
            ),
            ["kundenportal.example.com/login?x=1"]
        );
        assert_eq!(of("SIEHE SHOP.COM!", Label::Url), ["SHOP.COM"]);
        // Already a URL: found once, with its scheme.
        assert_eq!(
            of("https://mies-shop.de/faq", Label::Url),
            ["https://mies-shop.de/faq"]
        );
        for text in [
            "max@mies-shop.de",
            "siehe Anhang.Info folgt",
            "z.B. das, u.a. die, d.h. gut",
            "Version 3.de und rechnung.pdf",
            "anna.it@firma.de",
            "foo.dex und bar.de-x",
            "Müller-shop.de",
        ] {
            assert!(of(text, Label::Url).is_empty(), "{text}");
        }
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(of("Login von 192.0.2.7.", Label::IpAddress), ["192.0.2.7"]);
        assert_eq!(
            of("IPv6 2001:db8::8a2e:370:7334 und fe80::1", Label::IpAddress),
            ["2001:db8::8a2e:370:7334", "fe80::1"]
        );
        assert!(of("Version 2.0.1.3 installiert", Label::IpAddress).is_empty());
        assert!(of("1.2.3.4.5 und 256.1.1.1 und 01.02.2024", Label::IpAddress).is_empty());
        assert!(of("Termin um 14:30:00 Uhr, Bad::Cafe", Label::IpAddress).is_empty());
    }

    #[test]
    fn phones_real_formats() {
        let cases = [
            ("Tel.: +49 30 1234567", "+49 30 1234567"),
            ("Tel: +49 (0) 30 123456-12", "+49 (0) 30 123456-12"),
            ("Mobil: 0171/2345678", "0171/2345678"),
            ("Handy 0151 23456789", "0151 23456789"),
            ("Fax: 0049 341 9876543", "0049 341 9876543"),
            ("ruf mich an: (030) 123 456 78", "(030) 123 456 78"),
            ("Wien +43 1 5344 0", "+43 1 5344 0"),
            ("Zürich +41 44 668 18 00.", "+41 44 668 18 00"),
            (
                "erreichbar unter 0341 - 1234567 Durchwahl 12",
                "0341 - 1234567 Durchwahl 12",
            ),
            ("unter 01761234567 erreichbar", "01761234567"),
            ("T: 089 12345678", "089 12345678"),
            ("Tel. 12 34 56", "12 34 56"),
            ("Tel +49(0)30-1234567", "+49(0)30-1234567"),
            ("(030)1234567", "(030)1234567"),
            ("Telefonnummer: 0341 / 123 45 67", "0341 / 123 45 67"),
            ("Tel.-Nr.: 06221 54321", "06221 54321"),
            ("Festnetz 044 668 18 00", "044 668 18 00"),
            ("Mobil: +49 171 2345678", "+49 171 2345678"),
            ("Zentrale 030 123456 DW 12.", "030 123456 DW 12"),
            ("🙂0171 2345678🙂", "0171 2345678"),
            // CSV fields without spaces.
            ("Rachid,Wels,+41 41 111 41 97,r@x.de", "+41 41 111 41 97"),
            ("Anna;Schulz,017359379255,a@x.de", "017359379255"),
        ];
        for (text, want) in cases {
            assert_eq!(of(text, Label::Phone), [want], "{text}");
        }
    }

    #[test]
    fn phones_near_misses() {
        for text in [
            "am 15.01.2024 und am 01.02.2024",
            "Stand 2024-01-15",
            "Bestellung 1234567890",
            "Bestellung 0123456789",
            "Kundennr. 0815 4711",
            "04109 Leipzig",
            "Betrag 1.234,56 € bzw. 0,50 €",
            "Summe 12,0171234567",
            "IBAN DE89 3704 0044 0532 0130 00",
            "um 14:30 Uhr",
            "Karte 4111 1111 1111 1111",
            "Tel.: 2024-01-15",
            "PLZ 01234567",
        ] {
            assert!(
                of(text, Label::Phone).is_empty(),
                "{text}: {:?}",
                hits(text)
            );
        }
        // A phone keyword next to an order number: only the phone.
        assert_eq!(
            of("Bestellung 7654321, Tel. 030 9876543", Label::Phone),
            ["030 9876543"]
        );
        // A date after a phone is not swallowed.
        assert_eq!(
            of("Tel. 030 1234567 15.01.2024", Label::Phone),
            ["030 1234567"]
        );
    }

    #[test]
    fn spans_on_char_boundaries_with_umlauts_and_emoji() {
        let text = "Grüße 🙂 Tel.: 0171 2345678 🙂 — Mail ä@ö.de, www.münchen.de/ü 🙂 ::1";
        let mut out = Vec::new();
        Contact::new().detect(text, &mut out);
        assert!(out.len() >= 4, "{out:?}");
        for h in out {
            assert!(text.is_char_boundary(h.span.start) && text.is_char_boundary(h.span.end));
            assert!(h.span.start < h.span.end);
        }
    }

    #[test]
    fn scores_and_kinds() {
        let mut out = Vec::new();
        Contact::new().detect("a@b.de Tel. 030 1234567", &mut out);
        let e = out.iter().find(|h| h.label == Label::Email).unwrap();
        assert_eq!((e.kind, e.score), (HitKind::Validated, SCORE_EMAIL));
        let p = out.iter().find(|h| h.label == Label::Phone).unwrap();
        assert_eq!((p.kind, p.score), (HitKind::Pattern, SCORE_PHONE_KEYWORD));
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::super::{bank::Bank, dates::Dates, ids::Ids, Detector};
    use super::Contact;

    /// Strings built from the characters the detectors care about, so that
    /// near-valid candidates are generated often.
    fn tricky() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("0".to_string()),
                Just("1".to_string()),
                Just("4".to_string()),
                Just("9".to_string()),
                Just(" ".to_string()),
                Just(".".to_string()),
                Just(":".to_string()),
                Just("-".to_string()),
                Just("/".to_string()),
                Just("(".to_string()),
                Just(")".to_string()),
                Just("+".to_string()),
                Just("#".to_string()),
                Just("@".to_string()),
                Just("ä".to_string()),
                Just("🙂".to_string()),
                Just("\u{a0}".to_string()),
                Just("DE".to_string()),
                Just("Tel. ".to_string()),
                Just("Kundennr. ".to_string()),
                Just("Aktenzeichen ".to_string()),
                Just("Kennzeichen ".to_string()),
                Just(" März ".to_string()),
                Just("www.".to_string()),
                Just("https://".to_string()),
                Just("x".to_string()),
                Just("C".to_string()),
            ],
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    fn check(text: &str) {
        let dets: [Box<dyn Detector>; 4] = [
            Box::new(Contact::new()),
            Box::new(Bank::new()),
            Box::new(Ids::new()),
            Box::new(Dates::new()),
        ];
        let mut out = Vec::new();
        for d in &dets {
            d.detect(text, &mut out);
        }
        out.extend(crate::rules::shared_for_tests().detect(text));
        for h in out {
            assert!(h.span.start < h.span.end, "{h:?}");
            assert!(h.span.end <= text.len(), "{h:?}");
            assert!(text.is_char_boundary(h.span.start), "{h:?}");
            assert!(text.is_char_boundary(h.span.end), "{h:?}");
            assert!((0.0..=1.0).contains(&h.score));
        }
    }

    #[test]
    fn spec_example_through_the_rule_set() {
        let text = "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: \"Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend.\"";
        let hits = crate::rules::shared_for_tests().detect(text);
        let found: Vec<(crate::types::Label, &str)> = hits
            .iter()
            .map(|h| (h.label, &text[h.span.start..h.span.end]))
            .collect();
        use crate::types::Label::*;
        for want in [
            (Email, "weber@example.com"),
            (IdNumber, "4711"),
            (IdNumber, "#98765"),
            (Date, "15.01."),
        ] {
            assert!(found.contains(&want), "{want:?} missing in {found:?}");
        }
        assert!(!found.iter().any(|(l, _)| *l == Phone), "{found:?}");
    }

    proptest! {
        #[test]
        fn spans_are_valid_for_arbitrary_strings(s in any::<String>()) {
            check(&s);
        }

        #[test]
        fn spans_are_valid_for_tricky_strings(s in tricky()) {
            check(&s);
        }
    }
}
