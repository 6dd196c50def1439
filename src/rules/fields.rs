//! Labelled fields: HEALTH and SPECIAL_CATEGORY values that only their field
//! name marks as Art. 9 data.
//!
//! - key–value: `Konfession: rk`, `Diagnose = F32.1`, `GdB: 50` — the value
//!   runs to the end of the line or the next `;`, `|`, `,` or sentence end;
//! - table columns: a pasted export whose header row names such a field
//!   (`Name;Geburtsdatum;Diagnose`, also tab, `|` or `,` without a space
//!   after it) — every
//!   following row with the same number of cells contributes its cell in
//!   that column, until a blank line or a row of another shape.
//!
//! The field names live in `lexicons/fields.txt`. Whether the value concerns
//! a person is decided later by the policy layer, as for `art9.rs`.

use std::sync::LazyLock;

use super::Detector;
use crate::types::{Hit, HitKind, Label};

/// Score of a labelled value: the label is explicit, the value unchecked.
pub(crate) const SCORE_FIELD: f32 = 0.85;

/// Longest key–value value in bytes; longer runs are prose, not a field.
const MAX_VALUE: usize = 80;

/// Longest header cell in bytes; longer cells are prose, not a header.
const MAX_HEADER_CELL: usize = 40;

/// Values that say "no information".
const EMPTY_VALUES: &[&str] = &["-", "–", "—", "n/a", "k.a.", "k. a.", "?", "/"];

const SEPARATORS: &[char] = &[';', '\t', '|', ','];

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
        // Tables need a separator; a ',' only counts before a letter (not in
        // "89,90" or prose ", "). Most texts have none: skip the line pass.
        let b = text.as_bytes();
        let maybe_table = text.contains(';')
            || text.contains('\t')
            || text.contains('|')
            || text
                .match_indices(',')
                .any(|(i, _)| b.get(i + 1).is_some_and(u8::is_ascii_alphabetic));
        if !maybe_table {
            return;
        }
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
                let width = line.split(sep).count();
                for (column, cell) in line.split(sep).enumerate() {
                    if let Some(label) = field_label(cell.trim()) {
                        table_column(text, start + line.len(), sep, width, column, label, out);
                    }
                }
            }
        }
    }
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

/// The header row ending at byte `header_end` has `width` cells split by
/// `sep` and names a field in cell `column`: add that column's cells of the
/// rows below it.
fn table_column(
    text: &str,
    header_end: usize,
    sep: char,
    width: usize,
    column: usize,
    label: Label,
    out: &mut Vec<Hit>,
) {
    let mut pos = header_end;
    while pos < text.len() {
        let row_start = pos + 1;
        let row_end = text[row_start..]
            .find('\n')
            .map_or(text.len(), |i| row_start + i);
        let row = &text[row_start..row_end];
        if row.trim().is_empty() || row.split(sep).count() != width {
            break;
        }
        let mut cell_start = row_start;
        for (i, cell) in row.split(sep).enumerate() {
            if i == column {
                if let Some(hit) = cell_hit(text, cell_start, cell_start + cell.len(), label) {
                    out.push(hit);
                }
                break;
            }
            cell_start += cell.len() + sep.len_utf8();
        }
        pos = row_end;
    }
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
        assert_eq!(found(tsv), vec![("ev", SpecialCategory)]);
        let crlf = "Name;Diagnose\r\nAnna Weber;Asthma\r\nOtto Rau;Gicht\r\n";
        assert_eq!(found(crlf), vec![("Asthma", Health), ("Gicht", Health)]);
        // Not a header: the name is not a whole cell.
        assert_eq!(found("Name;Diagnose folgt;x\nA;B;C"), vec![]);
    }
}
