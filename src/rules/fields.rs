//! Labelled fields and table columns: values that only their field name
//! marks.
//!
//! - key–value: `Konfession: rk`, `Diagnose = F32.1`, `GdB: 50` — HEALTH and
//!   SPECIAL_CATEGORY values; the value runs to the end of the line or the
//!   next `;`, `|`, `,` or sentence end (identifiers after a keyword are
//!   `ids.rs`'s);
//! - table columns: a pasted export whose header row (`;`, tab, `|`, or `,`
//!   without a space after it) names a column — every following row with the
//!   same number of cells contributes its cell in that column, until a blank
//!   line or a row of another shape. Columns:
//!   - an Art. 9 field (`Name;Geburtsdatum;Diagnose`): any value;
//!   - an identifier (`Kundennr`, `Rechnungsnummer`, `Kunden-ID`, see
//!     [`is_id_header`]): ID_NUMBER when the cell looks like one (three
//!     digits or more, no spaces or commas, not a date);
//!   - `PLZ`/`Postleitzahl`: ADDRESS for 4–5 digits, and then also the
//!     `Ort`/`Stadt`/`Wohnort` cells of the same rows (a city that is part
//!     of a postal address is ADDRESS in the SPEC);
//!   - `Vorname`/`Nachname`/`Familienname` (and `Name` beside a `Vorname`
//!     column): PERSON for cells of letters, spaces, `-`, `'` and `.`.
//!
//! The same header scan also names, for the analyzer ([`table_vetoes`]),
//! the cells that hold no person (columns such as `Tarif`, `Produkt`,
//! `Status`, listed in `lexicons/columns_impersonal.txt`): it drops any
//! PERSON found inside one, from the model or a rule; and the header cells
//! themselves: it drops any entity found in one (`Diagnose` above a column
//! of diagnoses is a label, not health data).
//!
//! The Art. 9 field names live in `lexicons/fields.txt`. Whether such a value
//! concerns a person is decided later by the policy layer, as for `art9.rs`.

use std::sync::LazyLock;

use super::ids::is_id_header;
use super::Detector;
use crate::types::{Hit, HitKind, Label, Span};

/// Score of a labelled value: the label is explicit, the value unchecked.
pub(crate) const SCORE_FIELD: f32 = 0.85;

/// Longest key–value value in bytes; longer runs are prose, not a field.
const MAX_VALUE: usize = 80;

/// Longest header cell in bytes; longer cells are prose, not a header.
const MAX_HEADER_CELL: usize = 40;

/// Values that say "no information".
const EMPTY_VALUES: &[&str] = &["-", "–", "—", "n/a", "k.a.", "k. a.", "?", "/"];

const SEPARATORS: &[char] = &[';', '\t', '|', ','];

/// Header cells of a postcode column.
const POSTCODE_HEADERS: &[&str] = &["plz", "postleitzahl"];

/// Header cells of a city column (ADDRESS only beside a postcode column).
const CITY_HEADERS: &[&str] = &["ort", "stadt", "wohnort", "ortschaft"];

/// Header cells of a name column.
const NAME_HEADERS: &[&str] = &[
    "vorname",
    "nachname",
    "familienname",
    "zuname",
    "geburtsname",
];

/// What else the header row holds, for the columns that depend on it.
#[derive(Debug, Clone, Copy, Default)]
struct HeaderContext {
    /// A postcode column: "Ort" holds the cities of postal addresses.
    postcodes: bool,
    /// A given-name column: "Name" holds surnames.
    given_names: bool,
}

impl HeaderContext {
    fn of(cells: impl Iterator<Item = impl AsRef<str>>) -> Self {
        let mut ctx = HeaderContext::default();
        for cell in cells {
            let lower = cell.as_ref().trim().to_lowercase();
            ctx.postcodes |= POSTCODE_HEADERS.contains(&lower.as_str());
            ctx.given_names |= lower == "vorname";
        }
        ctx
    }
}

/// What a table column holds, read off its header cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// An Art. 9 field: any value, with this label.
    Field(Label),
    /// Identifiers.
    Id,
    /// Postcodes.
    Postcode,
    /// Cities of postal addresses.
    City,
    /// Given names or surnames.
    Person,
}

impl Column {
    /// The column named by header `cell` in a header row with `ctx`.
    fn of(cell: &str, ctx: HeaderContext) -> Option<Column> {
        if let Some(label) = field_label(cell) {
            return Some(Column::Field(label));
        }
        let lower = cell.to_lowercase();
        if POSTCODE_HEADERS.contains(&lower.as_str()) {
            Some(Column::Postcode)
        } else if ctx.postcodes && CITY_HEADERS.contains(&lower.as_str()) {
            Some(Column::City)
        } else if NAME_HEADERS.contains(&lower.as_str()) || (ctx.given_names && lower == "name") {
            Some(Column::Person)
        } else if is_id_header(cell) {
            Some(Column::Id)
        } else {
            None
        }
    }

    fn label(self) -> Label {
        match self {
            Column::Field(label) => label,
            Column::Id => Label::IdNumber,
            Column::Postcode | Column::City => Label::Address,
            Column::Person => Label::Person,
        }
    }

    /// Whether `value` (trimmed, non-empty) fits the column.
    fn accepts(self, value: &str) -> bool {
        match self {
            Column::Field(_) => true,
            Column::Id => looks_like_id(value),
            Column::Postcode => {
                (4..=5).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
            }
            Column::City => {
                value.len() <= MAX_HEADER_CELL
                    && value.chars().next().is_some_and(char::is_uppercase)
                    && !value.chars().any(|c| c.is_ascii_digit())
            }
            Column::Person => {
                value.len() <= MAX_HEADER_CELL
                    && value.chars().next().is_some_and(char::is_alphabetic)
                    && value
                        .chars()
                        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'))
            }
        }
    }
}

/// An identifier cell: 4–40 bytes of letters, digits and `-/_.#`, with at
/// least three digits, and not a date ("14.02.2024", "2024-02-14").
fn looks_like_id(value: &str) -> bool {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let date = |sep: u8| {
        value.bytes().all(|b| b.is_ascii_digit() || b == sep)
            && value.bytes().filter(|&b| b == sep).count() == 2
    };
    (4..=40).contains(&value.len())
        && digits >= 3
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '_' | '.' | '#'))
        && !date(b'.')
        && !date(b'-')
}

/// The field names of `lexicons/fields.txt` with their labels, parsed once.
static NAMES: LazyLock<Vec<(&'static str, Label)>> =
    LazyLock::new(|| parse(include_str!("lexicons/fields.txt")));

/// The label of field name `word` (ASCII case-insensitive), if it is one.
/// The policy layer uses the same names as record words.
pub(crate) fn field_label(word: &str) -> Option<Label> {
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(word))
        .map(|&(_, l)| l)
}

/// Detector for Art. 9 field values and table columns.
#[derive(Debug)]
pub(crate) struct Fields;

impl Fields {
    pub(crate) fn new() -> Self {
        LazyLock::force(&NAMES);
        Fields
    }
}

/// `name<TAB>LABEL` lines; comments and unknown labels are skipped (a unit
/// test checks that every line parses).
fn parse(data: &'static str) -> Vec<(&'static str, Label)> {
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (name, label) = l.split_once('\t')?;
            let label = match label.trim() {
                "HEALTH" => Label::Health,
                "SPECIAL_CATEGORY" => Label::SpecialCategory,
                _ => return None,
            };
            Some((name.trim(), label))
        })
        .collect()
}

impl Detector for Fields {
    fn name(&self) -> &'static str {
        "fields"
    }

    /// Driven by the cheap characters, not the names: every ':' or '=' is
    /// checked for a field name right before it, and every line holding a
    /// separator for a header cell that is a field name.
    fn detect(&self, text: &str, out: &mut Vec<Hit>) {
        // Two single-byte searches (memchr) are much faster than one search
        // for either character.
        let seps = text.match_indices(':').chain(text.match_indices('='));
        for (i, _) in seps {
            let key = text[..i].trim_end_matches([' ', '\t']);
            let word_start = key
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_alphanumeric() || c == '-')
                .last()
                .map_or(key.len(), |(j, _)| j);
            if let Some(label) = field_label(&key[word_start..]) {
                if let Some(hit) = key_value(text, i, label) {
                    out.push(hit);
                }
            }
        }
        if !may_hold_table(text) {
            return;
        }
        for header in header_rows(text) {
            let ctx = HeaderContext::of(header.cells.iter());
            let columns: Vec<(usize, Column)> = (header.cells.iter().enumerate())
                .filter_map(|(index, cell)| Column::of(cell.trim(), ctx).map(|c| (index, c)))
                .collect();
            if columns.is_empty() {
                continue;
            }
            for row in rows_below(text, &header) {
                for &(index, column) in &columns {
                    let Some(&(start, end)) = row.get(index) else {
                        continue;
                    };
                    let hit = cell_hit(text, start, end, column.label())
                        .filter(|h| column.accepts(&text[h.span.start..h.span.end]));
                    out.extend(hit);
                }
            }
        }
    }
}

/// A line that reads as the header row of a pasted table.
struct HeaderRow<'t> {
    /// Byte offset of the line's start.
    start: usize,
    /// Byte offset of the line's end (its '\n' or the end of the text).
    end: usize,
    /// The separator between its cells.
    sep: char,
    /// Its cells, untrimmed.
    cells: Vec<&'t str>,
}

/// Every line of `text` that can be a header row, once per separator it
/// holds: no cell longer than [`MAX_HEADER_CELL`], no prose ", ".
fn header_rows(text: &str) -> Vec<HeaderRow<'_>> {
    let mut rows = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let start = line_start;
        line_start += line.len() + 1;
        for sep in SEPARATORS.iter().copied().filter(|&c| line.contains(c)) {
            // Prose has ", " and long stretches between separators; a
            // header has neither. The first such cell rejects the line.
            let prose = |c: &str| {
                c.len() > MAX_HEADER_CELL + 2
                    || c.trim().len() > MAX_HEADER_CELL
                    || (sep == ',' && c.starts_with(' '))
            };
            if line.split(sep).any(prose) {
                continue;
            }
            rows.push(HeaderRow {
                start,
                end: start + line.len(),
                sep,
                cells: line.split(sep).collect(),
            });
        }
    }
    rows
}

/// Whether `text` may hold a table at all. Tables need a separator; a ','
/// only counts before a letter (not in "89,90" or prose ", "). Most texts
/// have none, which saves the line pass.
fn may_hold_table(text: &str) -> bool {
    let b = text.as_bytes();
    text.contains(';')
        || text.contains('\t')
        || text.contains('|')
        || text
            .match_indices(',')
            .any(|(i, _)| b.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
}

/// Header cells of columns that never hold a person (`lexicons/columns_impersonal.txt`),
/// lower-cased, parsed once.
static IMPERSONAL: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("lexicons/columns_impersonal.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// Whether header `cell` names a column that never holds a person: one of
/// `lexicons/columns_impersonal.txt`, an identifier, postcode or city
/// column (the headers [`Column::of`] already knows).
fn is_impersonal_header(cell: &str) -> bool {
    let lower = cell.trim().trim_matches('"').to_lowercase();
    IMPERSONAL.contains(&lower)
        || POSTCODE_HEADERS.contains(&lower.as_str())
        || CITY_HEADERS.contains(&lower.as_str())
        || is_id_header(&lower)
}

/// What the header rows of a text's tables rule out. Both lists are sorted
/// and disjoint, so a caller can binary-search them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableVetoes {
    /// Cells whose column header names something that is not a person
    /// (`Tarif`, `Produkt`, `Status`, `PLZ` …): a PERSON read inside one is
    /// a misreading ("Familie Plus" under "Tarif").
    pub no_person: Vec<Span>,
    /// Header cells that name a column ampel knows (`Diagnose`,
    /// `Nachname`, `Kundennr`, `Tarif` …) above at least one row: a column
    /// label, never an entity ("Diagnose" is no diagnosis there).
    pub headers: Vec<Span>,
}

/// The [`TableVetoes`] of `text`. Rows as for the table columns of
/// [`Fields`]; cells that two readings of a line share are merged.
pub(crate) fn table_vetoes(text: &str) -> TableVetoes {
    if !may_hold_table(text) {
        return TableVetoes::default();
    }
    let (mut no_person, mut headers) = (Vec::new(), Vec::new());
    for header in header_rows(text) {
        let ctx = HeaderContext::of(header.cells.iter());
        // (index, header cell's label span, impersonal) of the known columns
        let mut known = Vec::new();
        let mut cell_start = header.start;
        for (index, cell) in header.cells.iter().enumerate() {
            let impersonal = is_impersonal_header(cell);
            if impersonal || Column::of(cell.trim(), ctx).is_some() {
                let label = cell.trim_start_matches(|c: char| c.is_whitespace() || c == '"');
                let s = cell_start + (cell.len() - label.len());
                let label = label.trim_end_matches(|c: char| c.is_whitespace() || c == '"');
                known.push((index, Span::new(s, s + label.len()), impersonal));
            }
            cell_start += cell.len() + header.sep.len_utf8();
        }
        let mut rows = rows_below(text, &header).peekable();
        if known.is_empty() || rows.peek().is_none() {
            continue;
        }
        headers.extend(known.iter().map(|&(_, span, _)| span));
        let impersonal: Vec<usize> = (known.iter())
            .filter(|&&(_, _, impersonal)| impersonal)
            .map(|&(index, _, _)| index)
            .collect();
        if impersonal.is_empty() {
            continue;
        }
        for row in rows {
            no_person.extend(
                (impersonal.iter())
                    .filter_map(|&index| row.get(index))
                    .map(|&(s, e)| Span::new(s, e)),
            );
        }
    }
    TableVetoes {
        no_person: merged(no_person),
        headers: merged(headers),
    }
}

/// `spans` sorted, overlapping ones merged.
fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for c in spans {
        match out.last_mut() {
            Some(last) if c.start < last.end => last.end = last.end.max(c.end),
            _ => out.push(c),
        }
    }
    out
}

/// The value of `name: value` / `name = value`, the ':' or '=' at byte `sep`.
fn key_value(text: &str, sep: usize, label: Label) -> Option<Hit> {
    let vstart = sep + 1;
    let body = text.get(vstart..)?;
    let mut vend = vstart + body.len();
    for (i, c) in body.char_indices() {
        let stop = matches!(c, '\n' | '\r' | ';' | '|' | ',')
            || (c == '.' && body[i + 1..].chars().next().is_none_or(char::is_whitespace));
        if stop {
            vend = vstart + i;
            break;
        }
    }
    cell_hit(text, vstart, vend, label).filter(|h| h.span.len() <= MAX_VALUE)
}

/// Byte ranges (untrimmed) of the cells of each row below `header`: every
/// following row with the same number of cells, until a blank line or a row
/// of another shape. Each row is split once, whatever number of columns
/// its readers want.
fn rows_below<'a>(
    text: &'a str,
    header: &HeaderRow<'_>,
) -> impl Iterator<Item = Vec<(usize, usize)>> + 'a {
    let (sep, width) = (header.sep, header.cells.len());
    let mut pos = header.end;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let row_start = pos + 1;
        let rest = text.get(row_start..)?;
        let row_end = rest.find('\n').map_or(text.len(), |i| row_start + i);
        let row = &text[row_start..row_end];
        if row.trim().is_empty() {
            return None;
        }
        let mut cells = Vec::with_capacity(width);
        let mut cell_start = row_start;
        for cell in row.split(sep) {
            cells.push((cell_start, cell_start + cell.len()));
            cell_start += cell.len() + sep.len_utf8();
        }
        if cells.len() != width {
            return None;
        }
        pos = row_end;
        Some(cells)
    })
}

/// A hit for `start..end` trimmed of spaces and quotes, unless it is empty
/// or says "no information".
fn cell_hit(text: &str, start: usize, end: usize, label: Label) -> Option<Hit> {
    let raw = text.get(start..end)?;
    let trimmed_start = raw.trim_start_matches(|c: char| c.is_whitespace() || c == '"');
    let value = trimmed_start.trim_end_matches(|c: char| c.is_whitespace() || c == '"');
    if !value.chars().any(char::is_alphanumeric)
        || EMPTY_VALUES.iter().any(|v| v.eq_ignore_ascii_case(value))
    {
        return None;
    }
    let s = start + (raw.len() - trimmed_start.len());
    Some(Hit::new(
        s,
        s + value.len(),
        label,
        SCORE_FIELD,
        HitKind::Pattern,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, Label)> {
        let mut out = Vec::new();
        Fields::new().detect(text, &mut out);
        out.sort_by_key(|h| h.span.start);
        out.iter()
            .map(|h| (&text[h.span.start..h.span.end], h.label))
            .collect()
    }

    #[test]
    fn every_field_line_parses() {
        let data = include_str!("lexicons/fields.txt");
        let lines = data
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(parse(data).len(), lines);
    }

    #[test]
    fn key_values() {
        use Label::{Health, SpecialCategory};
        assert_eq!(
            found("Neue Bankverbindung hinterlegt. Konfession: rk"),
            vec![("rk", SpecialCategory)]
        );
        assert_eq!(
            found("Diagnose: Diabetes Typ 2, seit 2019 in Behandlung."),
            vec![("Diabetes Typ 2", Health)]
        );
        assert_eq!(
            found("GdB = 50\nKONFESSION:ev. Rest"),
            vec![("50", Health), ("ev", SpecialCategory)]
        );
        assert_eq!(found("Religion: – ; Diagnose:"), vec![]);
        // A field name in prose is not a field.
        assert_eq!(
            found("Die Diagnose kam spät. Religion ist Privatsache."),
            vec![]
        );
        assert_eq!(found("Vordiagnose: x, Diagnosen-Liste: y"), vec![]);
    }

    #[test]
    fn table_columns() {
        use Label::{Health, SpecialCategory};
        let csv =
            "Hier der Export:\nName;Geburtsdatum;Diagnose\nSilvia Milanesi;23.08.2005;Parkinson\n\
                   Karl Rogner;28.04.1992; Pflegegrad 3 \nOtto;-;-\n\nNachtrag;x;Asthma";
        assert_eq!(
            found(csv),
            vec![("Parkinson", Health), ("Pflegegrad 3", Health)]
        );
        let tsv = "Nachname\tVorname\tKonfession\tTelefon\nDavids\tRupert\tev\t030 1\nHahn\tPia";
        assert_eq!(
            found(tsv),
            vec![
                ("Davids", Label::Person),
                ("Rupert", Label::Person),
                ("ev", SpecialCategory)
            ]
        );
        let crlf = "Name;Diagnose\r\nAnna Weber;Asthma\r\nOtto Rau;Gicht\r\n";
        assert_eq!(found(crlf), vec![("Asthma", Health), ("Gicht", Health)]);
        // Not a header: the name is not a whole cell.
        assert_eq!(found("Name;Diagnose folgt;x\nA;B;C"), vec![]);
    }

    #[test]
    fn identifier_address_and_name_columns() {
        use Label::{Address, IdNumber, Person};
        let csv = "Kundennr;Name;Vorname;PLZ;Ort;Umsatz 2023\n100234;Meier;Claudia;80331;München;1.240,00";
        assert_eq!(
            found(csv),
            vec![
                ("100234", IdNumber),
                ("Meier", Person),
                ("Claudia", Person),
                ("80331", Address),
                ("München", Address)
            ]
        );
        let tsv =
            "Rechnungsnr\tDatum\tKunde\tBetrag\nR-88120\t14.02.2024\tBäckerei Lindner\t482,50";
        assert_eq!(found(tsv), vec![("R-88120", IdNumber)]);
        let commas = "Mitglieds-ID,Nachname,Telefonnummer\nKN-2021-05034,von Bredow,0201 77812";
        assert_eq!(
            found(commas),
            vec![("KN-2021-05034", IdNumber), ("von Bredow", Person)]
        );
    }

    fn impersonal(text: &str) -> Vec<&str> {
        table_vetoes(text)
            .no_person
            .iter()
            .map(|s| text[s.start..s.end].trim())
            .collect()
    }

    #[test]
    fn cells_of_impersonal_columns() {
        let csv = "Name;Tarif;Status\nJana Wolf;Familie Plus;aktiv\nTim Koch;Öko Klein;gekündigt\n\nTarif: Basis";
        assert_eq!(
            impersonal(csv),
            ["Familie Plus", "aktiv", "Öko Klein", "gekündigt"]
        );
        // Header cells are read trimmed and case-insensitively; a row of
        // another shape ends the table.
        assert_eq!(
            impersonal("Kunde\t PRODUKT \nMaria Vogel\tFön Comfort\nEnde"),
            ["Fön Comfort"]
        );
        // Identifier, postcode and city columns are known without the list;
        // the spans come sorted.
        assert_eq!(
            impersonal("Ort;Name;Kunden-Nr.;PLZ\nLich;Jana Wolf;K-4711;35423"),
            ["Lich", "K-4711", "35423"]
        );
        // Free-text and name columns are not impersonal; prose is no header.
        assert!(impersonal("Name;Notiz\nJana Wolf;Rückruf von Herrn Klein").is_empty());
        assert!(impersonal("Der Tarif, den Frau Klein wählte, heißt Plus.").is_empty());
        assert!(impersonal("").is_empty());
    }

    #[test]
    fn known_header_cells_above_rows() {
        let headers = |text: &str| -> Vec<String> {
            table_vetoes(text)
                .headers
                .iter()
                .map(|s| text[s.start..s.end].to_string())
                .collect()
        };
        // Art. 9 fields, identifiers, names and impersonal columns are
        // known, trimmed of spaces and quotes; a free-text column is not.
        assert_eq!(
            headers("\"Kundennr\"; Nachname ;Notiz;Diagnose;Tarif\n4711;Wolf;x;Asthma;Basis"),
            ["Kundennr", "Nachname", "Diagnose", "Tarif"]
        );
        // A line with no row of its shape below is no header.
        assert!(headers("Diagnose;Asthma").is_empty());
        assert!(headers("Diagnose;Asthma\nEnde").is_empty());
        assert!(headers("").is_empty());
    }

    #[test]
    fn every_impersonal_header_is_lower_case_and_single() {
        let mut seen = std::collections::HashSet::new();
        let data = include_str!("lexicons/columns_impersonal.txt");
        for h in data
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            assert!(seen.insert(h), "{h} twice");
            assert!(!h.contains(char::is_whitespace), "{h}");
            assert!(!h.chars().any(char::is_uppercase), "{h}");
        }
    }

    #[test]
    fn column_values_must_fit() {
        // Amounts, dates, short numbers and words are no identifiers; a
        // "Name" column without "Vorname" may hold companies; "Ort" without
        // a postcode column is a place, not an address; numbers of things
        // ("Artikelnr", "Hausnummer") are no identifier columns.
        let csv = "Rechnung;Datum;Name;Ort;Artikelnr;Hausnummer\n\
                   482,50;14.02.2024;Bäckerei Lindner;Essen;100234;12";
        assert_eq!(found(csv), vec![]);
        let csv = "PLZ;Ort\nD-451;12345\n123;Essen 1";
        assert_eq!(found(csv), vec![]);
        let csv = "Auftrag;Kundennr;Nachname\nneu;12;Koch 2\noffen;2024-02-14;-";
        assert_eq!(found(csv), vec![]);
    }
}
