//! Detector for ADDRESS: street + house number ("Lindenstraße 5",
//! "Hauptstr. 12a", "Frankfurter Straße 12-14", "Am Markt 5", "An der
//! Alster 12", Swiss "Bahnhofstrasse 1"), postcode + city ("04109 Leipzig",
//! "A-1010 Wien", "CH-8001 Zürich", "60311 Frankfurt am Main", "06108 Halle
//! (Saale)") and "Postfach 1234".
//!
//! Every address contains a number, so the detector scans for ASCII digit
//! runs first (a cheap byte loop) and only then looks at the words around
//! each run. Amounts, years, times, decimals and keyword-led numbers
//! ("Bestellung 12345") are rejected. All hits are [`HitKind::Pattern`].

use std::collections::HashSet;

use super::lexicon::{char_at, char_before};
use super::Detector;
use crate::types::{Hit, HitKind, Label};

/// Street name + house number.
pub(crate) const SCORE_STREET: f32 = 0.9;
/// Postcode + city, city known from the place lexicon.
pub(crate) const SCORE_PLZ_KNOWN_CITY: f32 = 0.9;
/// Postcode + a capitalised word not in the place lexicon.
pub(crate) const SCORE_PLZ_CITY: f32 = 0.85;
/// "Postfach" + number.
pub(crate) const SCORE_POSTFACH: f32 = 0.9;

/// Endings of one-word street names ("Lindenstraße", "Hauptstr.").
const STREET_SUFFIXES: &[&str] = &[
    "straße",
    "strasse",
    "str.",
    "weg",
    "gasse",
    "platz",
    "allee",
    "ring",
    "damm",
    "ufer",
    "chaussee",
    "steig",
    "pfad",
    "markt",
    "hof",
    "berg",
    "graben",
    "kai",
    "promenade",
    "zeile",
    "steg",
    "stieg",
    "anger",
    "wall",
    "brücke",
    "feld",
    "garten",
    "park",
    "höhe",
    "grund",
    "winkel",
    "bogen",
    "tor",
    "gässli",
    "gässle",
    "rain",
    "halde",
    "acker",
    "siedlung",
    "hang",
    "kamp",
    "horst",
    "heide",
    "wiese",
    "straat",
    "gässchen",
    "stiege",
    "lände",
    "zeil",
    "hain",
];

/// Suffixes short or common enough that the stem must be at least three
/// letters ("Bahnhof" yes, "Hof" alone no).
const MIN_STEM: usize = 3;

/// Prepositional street names ("Am Markt 5", "An der Alster 12").
const PREPOSITIONS: &[&str] = &[
    "Am",
    "An der",
    "An den",
    "An dem",
    "Auf der",
    "Auf dem",
    "Auf den",
    "Im",
    "In der",
    "In den",
    "Zum",
    "Zur",
    "Unter den",
    "Hinter der",
    "Hinter dem",
    "Vor dem",
    "Vor der",
    "Bei der",
    "Beim",
    "Alt",
    "Alte",
    "Alter",
    "Neue",
    "Neuer",
    "Große",
    "Kleine",
    "Obere",
    "Untere",
    "Lange",
];

/// Words that may precede a separate street word ("Frankfurter Straße")
/// but are not street names themselves.
const NOT_STREET_NAME: &[&str] = &[
    "Der", "Die", "Das", "Den", "Dem", "Auf", "In", "Im", "Am", "An", "Zur", "Zum", "Bei", "Von",
    "Mit", "Für", "Und", "Ihre", "Unsere", "Meine", "Seite", "Nr",
];

/// Month and weekday names: never a street after "Am".
const CALENDAR: &[&str] = &[
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
    "Wochenende",
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
    "Anfang",
    "Ende",
    "Tag",
    "Ort",
    "Telefon",
    "Stück",
    "Platz",
];

/// Words after a number that make it a quantity, not a house number or
/// postcode.
const UNITS: &[&str] = &[
    "Euro",
    "EUR",
    "Eur",
    "€",
    "CHF",
    "Franken",
    "Dollar",
    "USD",
    "%",
    "Prozent",
    "Stück",
    "Stk",
    "Tage",
    "Tagen",
    "Wochen",
    "Monate",
    "Monaten",
    "Jahre",
    "Jahren",
    "Jahr",
    "Minuten",
    "Stunden",
    "Sekunden",
    "Uhr",
    "Mal",
    "mal",
    "km",
    "m",
    "kg",
    "g",
    "l",
    "x",
    "Punkte",
    "Kunden",
    "Einwohner",
    "Menschen",
    "Personen",
    "Mitarbeiter",
    "Mitarbeitende",
    "Artikel",
    "Bestellungen",
    "Exemplare",
    "Seiten",
    "Zeichen",
    "Meter",
    "Kilometer",
    "Kilo",
    "Gramm",
    "Liter",
    "Teilnehmer",
    "Anrufe",
    "Tickets",
    "Fälle",
    "Stimmen",
    "Sterne",
    "Bewertungen",
    "Pakete",
    "Fragen",
];

/// Words right before a number that make it an identifier.
const ID_KEYWORDS: &[&str] = &[
    "nr",
    "nummer",
    "bestell",
    "auftrag",
    "rechnung",
    "ticket",
    "vorgang",
    "kunden",
    "kd",
    "id",
    "az",
    "aktenzeichen",
    "vertrag",
    "referenz",
    "ref",
    "sendung",
    "tracking",
    "konto",
    "blz",
    "artikel",
    "art",
    "seite",
    "kapitel",
    "zimmer",
    "raum",
    "gleis",
    "bus",
    "linie",
    "tel",
    "telefon",
    "fax",
    "version",
    "v",
    "iso",
    "din",
    "paragraph",
    "abs",
    "absatz",
    "band",
];

/// City continuations after the first city word.
const CITY_LINKS: &[&str] = &[
    "am", "an der", "an dem", "im", "in der", "in", "ob der", "bei", "vor der", "a.", "a. d.",
];

const PLACES: &str = include_str!("lexicons/places.txt");

/// Detector for ADDRESS.
#[derive(Debug)]
pub(crate) struct Address {
    /// Known city names (from the shared place lexicon), to accept Austrian
    /// and Swiss four-digit postcodes without a country prefix.
    cities: HashSet<&'static str>,
}

impl Address {
    pub(crate) fn new() -> Self {
        let cities = PLACES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut c = l.split('\t');
                let name = c.next()?.trim();
                let cat = c.next().unwrap_or("");
                cat.starts_with("city").then_some(name)
            })
            .collect();
        Address { cities }
    }
}

/// The word (letters, hyphens, dots, apostrophes) ending at `end`.
fn word_before(text: &str, end: usize) -> (usize, &str) {
    let mut s = end;
    while let Some(c) = char_before(text, s) {
        if c.is_alphabetic() || matches!(c, '-' | '.' | '\'') {
            s -= c.len_utf8();
        } else {
            break;
        }
    }
    // A leading dot or hyphen is not part of the word.
    while text.get(s..end).is_some_and(|w| w.starts_with(['.', '-'])) {
        s += 1;
    }
    (s, text.get(s..end).unwrap_or(""))
}

/// Position before 1–2 spaces ending at `i`; `None` if there are none.
fn before_spaces(text: &str, i: usize) -> Option<usize> {
    let mut j = i;
    let mut n = 0;
    while let Some(c @ (' ' | '\u{a0}' | '\t')) = char_before(text, j) {
        j -= c.len_utf8();
        n += 1;
    }
    (1..=2).contains(&n).then_some(j)
}

fn capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// The next word after `i` (skipping spaces).
fn next_word(text: &str, i: usize) -> &str {
    let rest = text
        .get(i..)
        .unwrap_or("")
        .trim_start_matches([' ', '\u{a0}']);
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '.' | ')' | '(' | '!' | '?'))
        .unwrap_or(rest.len());
    let w = &rest[..end];
    if w.is_empty() {
        // A symbol such as "€" or "%".
        rest.get(..rest.chars().next().map_or(0, char::len_utf8))
            .unwrap_or("")
    } else {
        w
    }
}

/// A number directly followed by a unit or a decimal/time part is a
/// quantity.
fn is_quantity(text: &str, end: usize) -> bool {
    if matches!(char_at(text, end), Some('.' | ',' | ':'))
        && char_at(text, end + 1).is_some_and(|c| c.is_ascii_digit())
    {
        return true;
    }
    if matches!(char_at(text, end), Some('%' | '€' | '$')) {
        return true;
    }
    UNITS.contains(&next_word(text, end))
}

/// Is the number at `ds` led by an identifier keyword ("Bestellung 12345",
/// "Nr. 4711", "#98765")?
fn id_led(text: &str, ds: usize) -> bool {
    let before = text.get(..ds).unwrap_or("");
    let trimmed = before.trim_end_matches([' ', ':', '.', '\u{a0}']);
    if trimmed.ends_with(['#', '/', '-', '+', '€', '$']) || before.ends_with(['#', '.', ',']) {
        return true;
    }
    let w = trimmed
        .rsplit(|c: char| !c.is_alphanumeric() && c != '-')
        .next()
        .unwrap_or("")
        .to_lowercase();
    ID_KEYWORDS.iter().any(|k| w.starts_with(k))
}

impl Address {
    /// Street + house number for the digit run `[ds, de)`.
    fn street(&self, text: &str, ds: usize, de: usize) -> Option<Hit> {
        if de - ds > 4
            || !text
                .get(ds..de)
                .is_some_and(|d| d.bytes().any(|b| b != b'0'))
        {
            return None;
        }
        // House-number extras: "12a", "12-14", "5/2", "12 a" is left out.
        let mut end = de;
        if let Some(c) = char_at(text, end) {
            if c.is_ascii_alphabetic() && !char_at(text, end + 1).is_some_and(char::is_alphanumeric)
            {
                end += 1;
            }
        }
        if let Some(c @ ('-' | '–' | '/')) = char_at(text, end) {
            let j = end + c.len_utf8();
            let n = text
                .get(j..)
                .map_or(0, |r| r.bytes().take_while(u8::is_ascii_digit).count());
            if (1..=4).contains(&n) {
                end = j + n;
                if char_at(text, end).is_some_and(|c| c.is_ascii_alphabetic())
                    && !char_at(text, end + 1).is_some_and(char::is_alphanumeric)
                {
                    end += 1;
                }
            }
        }
        if char_at(text, end).is_some_and(char::is_alphanumeric) || is_quantity(text, end) {
            return None;
        }
        let we = before_spaces(text, ds)?;
        let (ws, w1) = word_before(text, we);
        if w1.is_empty() || !capitalized(w1) {
            return None;
        }
        let lower = w1.to_lowercase();
        let suffix = STREET_SUFFIXES.iter().find(|s| lower.ends_with(**s));
        if let Some(suf) = suffix {
            let stem = lower.chars().count() - suf.chars().count();
            if stem >= MIN_STEM {
                return Some(Hit::new(
                    ws,
                    end,
                    Label::Address,
                    SCORE_STREET,
                    HitKind::Pattern,
                ));
            }
            if stem == 0 {
                // A separate street word: "Frankfurter Straße 12", "Alter Markt 5".
                let w0e = before_spaces(text, ws).filter(|&j| ws - j == 1)?;
                let (w0s, w0) = word_before(text, w0e);
                if capitalized(w0) && !NOT_STREET_NAME.contains(&w0) && w0.len() > 2 {
                    return Some(Hit::new(
                        w0s,
                        end,
                        Label::Address,
                        SCORE_STREET,
                        HitKind::Pattern,
                    ));
                }
            }
        }
        // Prepositional names: "Am Markt 5", "An der Alten Mühle 3".
        if CALENDAR.contains(&w1) || !address_ends(text, end) {
            return None;
        }
        let mut name_start = ws;
        for _ in 0..2 {
            let Some(pe) = before_spaces(text, name_start).filter(|&j| name_start - j == 1) else {
                break;
            };
            let head = text.get(..pe).unwrap_or("");
            if let Some(p) = PREPOSITIONS.iter().find(|p| {
                head.ends_with(**p)
                    && !char_before(text, pe - p.len()).is_some_and(char::is_alphanumeric)
            }) {
                return Some(Hit::new(
                    pe - p.len(),
                    end,
                    Label::Address,
                    SCORE_STREET,
                    HitKind::Pattern,
                ));
            }
            let (s0, w0) = word_before(text, pe);
            if !capitalized(w0) && !matches!(w0, "der" | "dem" | "den") {
                break;
            }
            name_start = s0;
        }
        None
    }

    /// Postcode + city for the digit run `[ds, de)`.
    fn plz(&self, text: &str, ds: usize, de: usize, after_street: bool) -> Option<Hit> {
        let n = de - ds;
        if n != 4 && n != 5 {
            return None;
        }
        let value: u32 = text.get(ds..de)?.parse().ok()?;
        // Country prefix "D-", "A-", "CH-".
        let mut start = ds;
        let mut prefixed = false;
        if char_before(text, ds) == Some('-') {
            let (ps, p) = word_before(text, ds - 1);
            if matches!(p, "D" | "DE" | "A" | "AT" | "CH" | "FL" | "L") {
                start = ps;
                prefixed = true;
            } else {
                return None;
            }
        } else if char_before(text, ds).is_some_and(|c| c.is_alphanumeric()) || id_led(text, ds) {
            return None;
        }
        if n == 5 && !(1001..=99998).contains(&value) {
            return None;
        }
        if n == 4 && value < 1000 {
            return None;
        }
        // The city: 1–2 spaces, then a capitalised word.
        let rest = text.get(de..)?;
        let sp = rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len();
        if !(1..=2).contains(&sp) {
            return None;
        }
        let cs = de + sp;
        let mut ce = city_word_end(text, cs)?;
        let mut city = text.get(cs..ce)?;
        if matches!(
            city,
            "Bad" | "St." | "Sankt" | "Neu" | "Markt" | "Bergisch" | "Schwäbisch"
        ) && char_at(text, ce) == Some(' ')
        {
            if let Some(e2) = city_word_end(text, ce + 1) {
                ce = e2;
                city = text.get(cs..ce)?;
            }
        }
        if UNITS.contains(&city) || CALENDAR.contains(&city) {
            return None;
        }
        let known = self.cities.contains(city);
        if n == 4 && !prefixed {
            let year_like = (1900..=2099).contains(&value);
            if !(after_street || known && !year_like) {
                return None;
            }
        }
        // Continuations: "am Main", "im Breisgau", "(Saale)", "a. M.".
        ce = city_continuation(text, ce);
        let score = if known {
            SCORE_PLZ_KNOWN_CITY
        } else {
            SCORE_PLZ_CITY
        };
        Some(Hit::new(start, ce, Label::Address, score, HitKind::Pattern))
    }
}

/// End of a capitalised city word at `i` ("Leipzig", "Baden-Baden", "St.").
fn city_word_end(text: &str, i: usize) -> Option<usize> {
    let rest = text.get(i..)?;
    if !rest.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let mut end = rest
        .find(|c: char| !(c.is_alphabetic() || c == '-'))
        .unwrap_or(rest.len());
    if end < 2 {
        return None;
    }
    if rest[..end].ends_with('-') {
        end -= 1;
    }
    if &rest[..end] == "St" && rest[end..].starts_with('.') {
        end += 1;
    }
    Some(i + end)
}

/// Extend a city over "am Main", "an der Oder", "im Breisgau", "(Saale)",
/// "a. M.", "ob der Tauber".
fn city_continuation(text: &str, ce: usize) -> usize {
    let rest = text.get(ce..).unwrap_or("");
    if let Some(r) = rest.strip_prefix(" (") {
        if let Some(close) = r.find(')') {
            let inner = &r[..close];
            if capitalized(inner) && inner.chars().all(|c| c.is_alphabetic() || c == ' ') {
                return ce + 2 + close + 1;
            }
        }
    }
    if rest.starts_with(" a. M.") || rest.starts_with(" a.M.") {
        return ce + if rest.starts_with(" a. M.") { 6 } else { 5 };
    }
    let Some(r) = rest.strip_prefix(' ') else {
        return ce;
    };
    for link in CITY_LINKS {
        let Some(after) = r.strip_prefix(link).and_then(|a| a.strip_prefix(' ')) else {
            continue;
        };
        let i = ce + 1 + link.len() + 1;
        let Some(we) = city_word_end(text, i) else {
            continue;
        };
        let w = &after[..we - i];
        let lw = w.to_lowercase();
        if CALENDAR.contains(&w) || STREET_SUFFIXES.iter().any(|s| lw.ends_with(s)) {
            return ce;
        }
        return we;
    }
    ce
}

/// After a prepositional street: end, punctuation, newline, or a postcode.
fn address_ends(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let r = rest.trim_start_matches([' ', '\u{a0}']);
    r.is_empty()
        || r.starts_with([',', ';', '\n', '\r', ')', '|', '/'])
        || r.starts_with('.') && !r[1..].starts_with(|c: char| c.is_alphanumeric())
        || r.starts_with(|c: char| c.is_ascii_digit())
        || r.starts_with("in ")
}

impl Detector for Address {
    fn name(&self) -> &'static str {
        "address"
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut last_street_end: Option<usize> = None;
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let ds = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let de = i;
            // Part of a longer number ("1.234", "12,50", "0171/2345")?
            let glued = ds > 0 && matches!(bytes[ds - 1], b'.' | b',' | b'/' | b'+' | b'_');
            if glued || char_before(text, ds).is_some_and(char::is_alphabetic) {
                continue;
            }
            // "Postfach 1234".
            let head = text.get(..ds).unwrap_or("");
            if let Some(h) = head.strip_suffix(' ') {
                if h.ends_with("Postfach") {
                    let mut end = de;
                    while text.get(end..).is_some_and(|r| {
                        r.starts_with(' ') && r[1..].starts_with(|c: char| c.is_ascii_digit())
                    }) {
                        end += 1;
                        end += text[end..].bytes().take_while(u8::is_ascii_digit).count();
                    }
                    i = end;
                    out.push(Hit::new(
                        ds - 9,
                        end,
                        Label::Address,
                        SCORE_POSTFACH,
                        HitKind::Pattern,
                    ));
                    continue;
                }
            }
            if let Some(h) = self.street(text, ds, de) {
                last_street_end = Some(h.span.end);
                out.push(h);
                continue;
            }
            let after_street = last_street_end.is_some_and(|e| {
                text.get(e..ds).is_some_and(|between| {
                    between.len() <= 4
                        && between
                            .chars()
                            .all(|c| matches!(c, ',' | ' ' | '\n' | '\r' | '\u{a0}'))
                })
            });
            if let Some(h) = self.plz(text, ds, de, after_street) {
                out.push(h);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> &'static Address {
        static D: std::sync::OnceLock<Address> = std::sync::OnceLock::new();
        D.get_or_init(Address::new)
    }

    fn addrs(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        shared().detect(text, &mut out);
        out.iter()
            .map(|h| text[h.span.start..h.span.end].to_string())
            .collect()
    }

    #[test]
    fn streets() {
        assert_eq!(
            addrs("Herr Koch aus der Lindenstraße 5 in Leipzig hat angerufen."),
            vec!["Lindenstraße 5"]
        );
        assert_eq!(addrs("Hauptstr. 12a, 2. OG"), vec!["Hauptstr. 12a"]);
        assert_eq!(addrs("Hauptstraße 12-14"), vec!["Hauptstraße 12-14"]);
        assert_eq!(addrs("Lindenstraße 5/2"), vec!["Lindenstraße 5/2"]);
        assert_eq!(
            addrs("Bahnhofstrasse 1, 8001 Zürich"),
            vec!["Bahnhofstrasse 1", "8001 Zürich"]
        );
        assert_eq!(
            addrs("Frankfurter Straße 12"),
            vec!["Frankfurter Straße 12"]
        );
        assert_eq!(addrs("Karl-Marx-Allee 90"), vec!["Karl-Marx-Allee 90"]);
        assert_eq!(addrs("Wohnhaft Am Markt 5, Leipzig"), vec!["Am Markt 5"]);
        assert_eq!(
            addrs("An der Alster 12\n20099 Hamburg"),
            vec!["An der Alster 12", "20099 Hamburg"]
        );
        assert_eq!(addrs("Auf dem Berg 3."), vec!["Auf dem Berg 3"]);
    }

    #[test]
    fn postcodes() {
        assert_eq!(addrs("04109 Leipzig"), vec!["04109 Leipzig"]);
        assert_eq!(addrs("A-1010 Wien"), vec!["A-1010 Wien"]);
        assert_eq!(addrs("CH-8001 Zürich"), vec!["CH-8001 Zürich"]);
        assert_eq!(addrs("D-04109 Leipzig"), vec!["D-04109 Leipzig"]);
        assert_eq!(
            addrs("60311 Frankfurt am Main"),
            vec!["60311 Frankfurt am Main"]
        );
        assert_eq!(addrs("06108 Halle (Saale)"), vec!["06108 Halle (Saale)"]);
        assert_eq!(
            addrs("79098 Freiburg im Breisgau"),
            vec!["79098 Freiburg im Breisgau"]
        );
        assert_eq!(addrs("1010 Wien"), vec!["1010 Wien"]);
        assert_eq!(addrs("Postfach 1234"), vec!["Postfach 1234"]);
    }

    #[test]
    fn near_misses() {
        assert!(addrs("Im Jahr 2024 Berlin besucht").is_empty());
        assert!(addrs("2024 Berlin").is_empty());
        assert!(addrs("Bestellung 12345 Versand").is_empty());
        assert!(addrs("Kundennr. 47110 Leipzig").is_empty());
        assert!(addrs("Das kostet 12345 Euro.").is_empty());
        assert!(addrs("auf Platz 3 gelandet").is_empty());
        assert!(addrs("Am Montag 5 Pakete").is_empty());
        assert!(addrs("Hauptstraße 12,50 €").is_empty());
        assert!(addrs("5000 Kunden in 12 Ländern").is_empty());
        assert!(addrs("Ab 12 Uhr, Weg 3 Stunden").is_empty());
        assert!(addrs("Windows 11 und iPhone 15").is_empty());
    }

    #[test]
    fn umlauts_and_emoji() {
        assert_eq!(addrs("📍Müllerstraße 7📍"), vec!["Müllerstraße 7"]);
        assert_eq!(
            addrs("Schloßallee 3 · 80331 München"),
            vec!["Schloßallee 3", "80331 München"]
        );
    }
}
