//! Detector for ORGANIZATION (legal forms such as "GmbH", "AG", "e.V.";
//! well-known insurers, banks, carriers and authorities from
//! `lexicons/orgs_known.txt`) and LOCATION (cities, states, regions and
//! countries from `lexicons/places.txt`).
//!
//! Legal-form organisations are structural [`HitKind::Pattern`] hits: the
//! capitalised words before the legal form ("Müller Logistik GmbH"). Known
//! organisations and places are [`HitKind::Lexicon`] hits, so the NER model
//! wins wherever it disagrees. Place names that are also ordinary words
//! ("Essen", "Halle", "Hof") only count after a place preposition.

use super::lexicon::{char_at, char_before, Flags, LexMatch, Lexicon, Source, Variants};
use super::Detector;
use crate::types::{Hit, HitKind, Label};

/// Capitalised words followed by a legal form.
pub(crate) const SCORE_LEGAL_FORM: f32 = 0.9;
/// A known organisation with a region or place ("AOK Bayern").
pub(crate) const SCORE_ORG_WITH_PLACE: f32 = 0.85;
/// A known organisation on its own.
pub(crate) const SCORE_KNOWN_ORG: f32 = 0.75;
/// A place name from the lexicon.
pub(crate) const SCORE_PLACE: f32 = 0.7;
/// A place name that is also a common word, after a place preposition.
pub(crate) const SCORE_AMBIGUOUS_PLACE: f32 = 0.65;
/// A news dateline: a place in capitals opening a line ("BOCHUM Dass …",
/// "MÜNCHEN (dpa) –").
pub(crate) const SCORE_DATELINE: f32 = 0.8;

const G_ORG: u8 = 0;
const G_LEGAL: u8 = 1;
const G_PLACE: u8 = 2;
const G_PRESS: u8 = 3;

/// A newspaper whose name is a place adjective and a press noun
/// ("Leipziger Volkszeitung", "Eichsfelder Tageblatt", "Sächsische Zeitung").
pub(crate) const SCORE_PRESS: f32 = 0.7;

/// Nouns that end a newspaper's name.
const PRESS_NOUNS: &str = "Zeitung\nTageblatt\nTagblatt\nAnzeiger\nGeneral-Anzeiger\nKurier\n\
Rundschau\nNachrichten\nAllgemeine\nVolksstimme\nVolkszeitung\nAbendzeitung\nMorgenpost\n\
Abendblatt\nTagespost\nLandeszeitung\nNeueste Nachrichten\nStadt-Anzeiger\nKreiszeitung\n";

/// Adjectives ending in -e that start newspaper names; other names start
/// with a place adjective in -er ("Kölner").
const PRESS_ADJECTIVES: &[&str] = &[
    "Süddeutsche",
    "Westdeutsche",
    "Mitteldeutsche",
    "Norddeutsche",
    "Sächsische",
    "Märkische",
    "Badische",
    "Hessische",
    "Rheinische",
    "Schwäbische",
    "Fränkische",
    "Bayerische",
    "Ostfriesische",
    "Nordbayerische",
    "Thüringische",
    "Allgemeine",
];

/// Words in -er before a press noun that are not place adjectives.
const NOT_PLACE_ADJECTIVES: &[&str] = &[
    "Der",
    "Unser",
    "Ihrer",
    "Dieser",
    "Jeder",
    "Einer",
    "Keiner",
    "Aber",
    "Oder",
    "Über",
    "Unter",
    "Hinter",
    "Weiter",
    "Neuer",
    "Guter",
    "Alter",
    "Großer",
    "Kleiner",
    "Anderer",
    "Weiterer",
    "Letzter",
    "Erster",
    "Zweiter",
    "Schneller",
    "Bester",
    "Später",
    "Immer",
];

/// Legal forms, longest variants included so the longest match wins.
const LEGAL_FORMS: &str = "GmbH\ngGmbH\nmbH\nAG\nKG\nKGaA\nOHG\nGbR\nUG\nUG (haftungsbeschränkt)\n\
e.V.\ne. V.\neV\ne.K.\neG\nSE\nGmbH & Co. KG\nGmbH & Co KG\nAG & Co. KG\nCo. KG\nGesmbH\nGes.m.b.H.\n\
Ltd\nLtd.\nInc.\nLLC\nSàrl\nS.à r.l.\nStiftung\n";

const CASED: Flags = Flags {
    inflect: false,
    head: false,
    modifier: false,
    hyphen: false,
    case_sensitive: true,
};
const PLACE_FLAGS: Flags = Flags {
    inflect: false,
    head: false,
    modifier: false,
    hyphen: true,
    case_sensitive: false,
};

const SOURCES: &[Source] = &[
    Source {
        text: include_str!("lexicons/orgs_known.txt"),
        group: G_ORG,
        defaults: CASED,
    },
    Source {
        text: LEGAL_FORMS,
        group: G_LEGAL,
        defaults: CASED,
    },
    Source {
        text: include_str!("lexicons/places.txt"),
        group: G_PLACE,
        defaults: PLACE_FLAGS,
    },
    Source {
        text: PRESS_NOUNS,
        group: G_PRESS,
        defaults: CASED,
    },
];

/// Words that end the name part walking back from a legal form.
const ORG_STOP: &[&str] = &[
    "Die",
    "Der",
    "Das",
    "Den",
    "Dem",
    "Des",
    "Bei",
    "Von",
    "Vom",
    "Mit",
    "Für",
    "Und",
    "Ihre",
    "Ihrer",
    "Unsere",
    "Unserer",
    "Meine",
    "Meiner",
    "Eine",
    "Einer",
    "An",
    "Am",
    "Im",
    "In",
    "Auf",
    "Aus",
    "Zur",
    "Zum",
    "Als",
    "Ich",
    "Wir",
    "Sie",
    "Firma",
    "Fa.",
    "Hallo",
    "Liebe",
    // What a company is to the writer, before its name ("bei Subunternehmer
    // Schnell-Kurier Rhein GmbH").
    "Subunternehmer",
    "Dienstleister",
    "Lieferant",
    "Lieferanten",
    "Anbieter",
    "Vermieter",
    "Vermieterin",
    "Arbeitgeber",
    "Auftraggeber",
    "Auftragnehmer",
    "Hersteller",
    "Händler",
    "Gläubiger",
    "Forderung",
    "Rechnung",
    "Vertrag",
    "Registergericht",
    // Register abbreviations after a court ("Amtsgericht Bremen HRB 31887").
    "HRB",
    "HRA",
    "VR",
    "GnR",
    "PR",
];

/// Words before an ambiguous place name that make it a place.
const PLACE_PREPOSITIONS: &[&str] = &[
    "in",
    "aus",
    "nach",
    "bei",
    "von",
    "ab",
    "bis",
    "über",
    "Raum",
    "Region",
    "Stadt",
    "Großraum",
    "Nähe",
    "nahe",
    "Richtung",
    "Standort",
    "Filiale",
];

/// Detector for ORGANIZATION and LOCATION.
#[derive(Debug)]
pub(crate) struct Orgs {
    lexicon: Lexicon,
}

impl Orgs {
    pub(crate) fn new() -> Self {
        Orgs {
            lexicon: Lexicon::new(SOURCES, Variants::Cased),
        }
    }

    fn handle(&self, text: &str, m: &LexMatch, out: &mut Vec<Hit>) {
        let term = self.lexicon.term(m.term);
        let (s, e) = (m.term_span.start, m.term_span.end);
        match term.group {
            G_LEGAL => {
                if let Some(start) = name_before(text, s) {
                    out.push(Hit::new(
                        start,
                        e,
                        Label::Organization,
                        SCORE_LEGAL_FORM,
                        HitKind::Pattern,
                    ));
                }
            }
            G_ORG => {
                if m.form != super::lexicon::Form::Word {
                    return;
                }
                if term.category == "prefix" {
                    let end = capitalized_after(text, e, 2);
                    if end > e {
                        out.push(Hit::new(
                            s,
                            end,
                            Label::Organization,
                            SCORE_ORG_WITH_PLACE,
                            HitKind::Pattern,
                        ));
                    } else if matches!(term.text.as_str(), "AOK" | "Sparkasse" | "Volksbank") {
                        out.push(Hit::new(
                            s,
                            e,
                            Label::Organization,
                            SCORE_KNOWN_ORG,
                            HitKind::Lexicon,
                        ));
                    }
                } else {
                    // With its genitive ending: "des Handelsblatts".
                    out.push(Hit::new(
                        s,
                        m.inflected.end,
                        Label::Organization,
                        SCORE_KNOWN_ORG,
                        HitKind::Lexicon,
                    ));
                }
            }
            G_PLACE => {
                // The upper-case form of a short name is an acronym as often
                // as a place ("CD-ROM", "ULM" as a part number).
                if term.text.chars().count() <= 3 && text.get(s..e) != Some(term.text.as_str()) {
                    return;
                }
                if term.category != "city-amb"
                    && m.form == super::lexicon::Form::Word
                    && is_dateline(text, s, e)
                {
                    out.push(Hit::new(
                        s,
                        e,
                        Label::Location,
                        SCORE_DATELINE,
                        HitKind::Pattern,
                    ));
                    return;
                }
                // "Berlin-Mitte" yes, "Berlin" in "Neu-Berlin" only as a part.
                if term.category == "city-amb" {
                    if m.form != super::lexicon::Form::Word || !after_preposition(text, s) {
                        return;
                    }
                    out.push(Hit::new(
                        s,
                        e,
                        Label::Location,
                        SCORE_AMBIGUOUS_PLACE,
                        HitKind::Lexicon,
                    ));
                } else {
                    out.push(Hit::new(
                        s,
                        e,
                        Label::Location,
                        SCORE_PLACE,
                        HitKind::Lexicon,
                    ));
                }
            }
            G_PRESS => {
                if let Some(start) = press_name_before(text, s) {
                    out.push(Hit::new(
                        start,
                        m.inflected.end,
                        Label::Organization,
                        SCORE_PRESS,
                        HitKind::Lexicon,
                    ));
                }
            }
            _ => {}
        }
    }
}

/// Start of the capitalised name before a legal form at `s`, if any.
fn name_before(text: &str, s: usize) -> Option<usize> {
    let mut start = None;
    let mut i = s;
    for _ in 0..5 {
        // Exactly one space (or a non-breaking space) between words.
        let sp = match char_before(text, i) {
            Some(c @ (' ' | '\u{a0}')) => c.len_utf8(),
            _ => break,
        };
        let we = i - sp;
        let mut ws = we;
        while let Some(c) = char_before(text, ws) {
            if c.is_alphanumeric() || matches!(c, '-' | '&' | '.' | '\'' | '+') {
                ws -= c.len_utf8();
            } else {
                break;
            }
        }
        let w = text.get(ws..we).unwrap_or("");
        if w.is_empty() {
            break;
        }
        if w == "&" || w == "und" || w == "+" {
            // Connector: only when a capitalised word precedes it.
            i = ws;
            continue;
        }
        let first = w.chars().next();
        let capital = first.is_some_and(|c| c.is_uppercase() || c.is_numeric());
        if !capital || ORG_STOP.contains(&w) || w.ends_with('.') && w.len() <= 3 {
            break;
        }
        start = Some(ws);
        i = ws;
    }
    // A trailing connector without a word before it does not count.
    start
}

/// End of up to `max` capitalised words after `e` ("AOK Bayern",
/// "Sparkasse KölnBonn"); `e` itself when there are none.
fn capitalized_after(text: &str, e: usize, max: usize) -> usize {
    let mut end = e;
    for _ in 0..max {
        if char_at(text, end) != Some(' ') {
            break;
        }
        let ws = end + 1;
        let Some(first) = char_at(text, ws) else {
            break;
        };
        if !first.is_uppercase() {
            break;
        }
        let rest = text.get(ws..).unwrap_or("");
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        let w = &rest[..len];
        if len < 2 || ORG_STOP.contains(&w) {
            break;
        }
        end = ws + len;
    }
    end
}

/// Start of the place adjective right before a press noun at `s`
/// ("Eichsfelder " before "Tageblatt"), if there is one.
fn press_name_before(text: &str, s: usize) -> Option<usize> {
    let before = text.get(..s)?.strip_suffix(' ')?;
    let word = before
        .rsplit(|c: char| !(c.is_alphabetic() || c == '-'))
        .next()
        .unwrap_or("");
    let place_adjective = word.chars().count() >= 5
        && word.ends_with("er")
        && word.starts_with(char::is_uppercase)
        && !NOT_PLACE_ADJECTIVES.contains(&word);
    // "Sächsische Zeitung", also inflected: "der Sächsischen Zeitung".
    let adjective = PRESS_ADJECTIVES.contains(&word)
        || word
            .strip_suffix('n')
            .is_some_and(|w| PRESS_ADJECTIVES.contains(&w));
    (place_adjective || adjective).then(|| before.len() - word.len())
}

/// Is the place at `s..e` a dateline? The place is written in capitals, opens
/// the text or a line, and is followed by "(" (the agency), a dash, a slash
/// or a word in ordinary case ("BOCHUM Dass er …"), never by more capitals
/// (a shouted sentence). Two-word places in capitals ("BAD HOMBURG") are
/// matched whole by the lexicon.
fn is_dateline(text: &str, s: usize, e: usize) -> bool {
    let Some(place) = text.get(s..e) else {
        return false;
    };
    let capitals = place.chars().any(char::is_alphabetic)
        && place.chars().all(|c| !c.is_lowercase())
        && place.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    if !capitals || !matches!(char_before(text, s), None | Some('\n')) {
        return false;
    }
    let mut next = text.get(e..).unwrap_or("").chars();
    match (next.next(), next.next(), next.next()) {
        (Some(' '), Some('(' | '–' | '—' | '-' | '/'), _) => true,
        (Some(' '), Some(a), Some(b)) => a.is_uppercase() && b.is_lowercase(),
        _ => false,
    }
}

/// Is the word before `s` a place preposition?
fn after_preposition(text: &str, s: usize) -> bool {
    let before = text.get(..s).unwrap_or("").trim_end();
    let prev = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    PLACE_PREPOSITIONS.contains(&prev)
}

impl Detector for Orgs {
    fn name(&self) -> &'static str {
        "orgs"
    }

    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        let mut matches = Vec::new();
        self.lexicon.find(text, &mut matches);
        let mut hits = Vec::new();
        for m in &matches {
            self.handle(text, m, &mut hits);
        }
        hits.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(b.span.len().cmp(&a.span.len()))
        });
        let mut last_end = 0;
        for h in hits {
            // Overlapping hits of the same label: keep the longest.
            if h.span.start < last_end
                && out
                    .last()
                    .is_some_and(|l: &Hit| l.label == h.label && l.span.overlaps(&h.span))
            {
                continue;
            }
            last_end = last_end.max(h.span.end);
            out.push(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> &'static Orgs {
        static D: std::sync::OnceLock<Orgs> = std::sync::OnceLock::new();
        D.get_or_init(Orgs::new)
    }

    fn found(text: &str) -> Vec<(String, Label)> {
        let mut out = Vec::new();
        shared().detect(text, &mut out);
        out.iter()
            .map(|h| (text[h.span.start..h.span.end].to_string(), h.label))
            .collect()
    }

    fn orgs(text: &str) -> Vec<String> {
        found(text)
            .into_iter()
            .filter(|(_, l)| *l == Label::Organization)
            .map(|(w, _)| w)
            .collect()
    }

    fn places(text: &str) -> Vec<String> {
        found(text)
            .into_iter()
            .filter(|(_, l)| *l == Label::Location)
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn legal_forms() {
        assert_eq!(
            orgs("bei der Müller Logistik GmbH bestellt"),
            vec!["Müller Logistik GmbH"]
        );
        assert_eq!(orgs("Die Siemens AG teilt mit"), vec!["Siemens AG"]);
        assert_eq!(
            orgs("Schmidt & Partner GmbH & Co. KG"),
            vec!["Schmidt & Partner GmbH & Co. KG"]
        );
        assert_eq!(
            orgs("der Förderverein Kita Sonnenschein e.V. lädt"),
            vec!["Förderverein Kita Sonnenschein e.V."]
        );
        assert_eq!(
            orgs("Beispiel UG (haftungsbeschränkt)"),
            vec!["Beispiel UG (haftungsbeschränkt)"]
        );
        assert!(orgs("eine GmbH gründen").is_empty());
        assert_eq!(
            orgs("wird bei Subunternehmer Schnell-Kurier Rhein GmbH angefragt"),
            vec!["Schnell-Kurier Rhein GmbH"]
        );
    }

    #[test]
    fn known_orgs() {
        assert_eq!(
            orgs("Ich bin bei der AOK Bayern versichert."),
            vec!["AOK Bayern"]
        );
        assert_eq!(
            orgs("Die Techniker Krankenkasse zahlt"),
            vec!["Techniker Krankenkasse"]
        );
        assert_eq!(
            orgs("Paket per DHL, Konto bei der Sparkasse"),
            vec!["DHL", "Sparkasse"]
        );
        assert!(orgs("Ergo, das war's. Netto 100 Euro.").is_empty());
        assert_eq!(
            orgs("Amtsgericht Bremen HRB 31887"),
            vec!["Amtsgericht Bremen"]
        );
    }

    #[test]
    fn places_and_ambiguous_places() {
        assert_eq!(places("Ich wohne in Leipzig."), vec!["Leipzig"]);
        assert_eq!(
            places("Umzug nach Österreich, Tirol"),
            vec!["Österreich", "Tirol"]
        );
        assert_eq!(
            places("Frankfurt am Main und Halle (Saale)"),
            vec!["Frankfurt am Main", "Halle (Saale)"]
        );
        assert_eq!(places("Filiale in Essen"), vec!["Essen"]);
        assert!(places("Das Essen war kalt.").is_empty());
        assert_eq!(places("🏠Berlin-Mitte🏠"), vec!["Berlin"]);
        assert!(places("Berliner Luft, leipziger").is_empty());
    }

    #[test]
    fn parties_media_regions_and_waters() {
        assert_eq!(
            orgs("Laut Reuters lehnt die CDU den Antrag im Bundestag ab."),
            vec!["Reuters", "CDU", "Bundestag"]
        );
        assert_eq!(
            orgs("ein Bericht im Handelsblatt und bei Spiegel Online"),
            vec!["Handelsblatt", "Spiegel Online"]
        );
        assert_eq!(
            orgs("laut Handelsblatts und des Bundestages, bei der TK"),
            vec!["Handelsblatts", "Bundestages", "TK"]
        );
        assert_eq!(
            places("Urlaub an der Ostsee, am Rhein und im Nahen Osten"),
            vec!["Ostsee", "Rhein", "Nahen Osten"]
        );
        // Ordinary words stay words: no river "Seine", no town "Waren"/"Bad".
        assert!(places("Seine Waren kamen ins Bad, das Porto zahlte er.").is_empty());
        // A short name's upper-case form is not a place when it is an acronym.
        assert!(places("eine CD-ROM und ROM-Module").is_empty());
        assert_eq!(places("Flug nach Rom"), vec!["Rom"]);
    }

    #[test]
    fn brands_customers_name() {
        assert_eq!(
            orgs("Mein Rowenta Bügeleisen und der Miele Trockner, bestellt bei Cyberport"),
            vec!["Rowenta", "Miele", "Cyberport"]
        );
        assert_eq!(
            orgs("Ein Laptop von Lenovo, ein Monitor von BenQ, Tchibo Kaffee"),
            vec!["Lenovo", "BenQ", "Tchibo"]
        );
        // Left out on purpose: given names, places and ordinary words.
        assert!(orgs("Melitta Penny kauft netto im Jura-Studium").is_empty());
    }

    fn datelines(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        shared().detect(text, &mut out);
        out.iter()
            .filter(|h| h.label == Label::Location && h.kind == HitKind::Pattern)
            .map(|h| text[h.span.start..h.span.end].to_string())
            .collect()
    }

    #[test]
    fn a_place_in_capitals_opening_a_line_is_a_dateline() {
        assert_eq!(
            datelines("BOCHUM Dass er nicht Intendant wurde"),
            vec!["BOCHUM"]
        );
        assert_eq!(
            datelines("Meldung:\nMÜNCHEN (dpa) – Der Streik geht weiter."),
            vec!["MÜNCHEN"]
        );
        assert_eq!(datelines("BAD HOMBURG / Die Stadt"), vec!["BAD HOMBURG"]);
        // Not at a line start, a shouted sentence, or the place as written.
        assert!(datelines("Heute in BERLIN Die Messe").is_empty());
        assert!(datelines("BERLIN IST TEUER").is_empty());
        assert!(datelines("Berlin Die Messe").is_empty());
        assert!(datelines("ESSEN Und Trinken").is_empty());
        // Still a place, with the weight of the lexicon.
        assert_eq!(places("BERLIN IST TEUER"), vec!["BERLIN"]);
    }

    #[test]
    fn newspapers_named_after_places() {
        assert_eq!(
            orgs("laut Eichsfelder Tageblatt und der Sächsischen Zeitung"),
            vec!["Eichsfelder Tageblatt", "Sächsischen Zeitung"]
        );
        assert_eq!(
            orgs("Die Leipziger Volkszeitung und die Süddeutsche Zeitung berichten"),
            vec!["Leipziger Volkszeitung", "Süddeutsche Zeitung"]
        );
        // A courier is not a newspaper; neither are good news.
        assert!(
            orgs("Der Kurier kam nicht. Unser Kurier auch nicht. Gute Nachrichten!").is_empty()
        );
    }
}
