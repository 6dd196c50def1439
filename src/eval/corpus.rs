//! Gold corpora: the three readers (GermEval 2014 TSV, CoNLL columns, gold
//! JSON lines) and the deterministic detokeniser for token corpora.
//!
//! Every reader turns a file into [`GoldDoc`]s whose entity offsets are
//! **Unicode code points** into the document text (end exclusive), labels
//! still in the corpus' own vocabulary (mapping happens in
//! [`crate::eval::labels`]). A bad line never aborts a read: it is counted,
//! its record (sentence or JSON line) is skipped, and the first
//! [`MAX_PROBLEMS`] problems are kept with their line numbers. Problem
//! reasons never quote the input.
//!
//! # Token corpora
//!
//! One sentence (tokens up to a blank line) is one document. Tokens are
//! joined by single spaces, except that no space goes *before* `, . ; : ! ?
//! ) ] “` and none *after* `( [ „`. Nothing else is guessed, so the same
//! tokens always give the same text. Tags are BIO; one decoder reads both
//! IOB1 (`I-` starts an entity, `B-` only separates two adjacent ones of the
//! same type) and IOB2 (`B-` starts every entity), and the corpus records
//! which of the two it saw.
//!
//! * **GermEval 2014**: tab-separated `index token outer [inner]`; lines
//!   starting with `#` are comments. `--inner` adds the inner column's
//!   (nested) entities to the gold spans.
//! * **CoNLL**: two or more columns separated by tabs (or, in a line
//!   without tabs, by spaces), the token first and the tag in the **last**
//!   column; `-DOCSTART-` lines separate documents; a line starting with `#`
//!   is a comment unless it is a token `#` with a valid tag.
//! * **JSON lines**: the SPEC gold format. `text[start:end]` must equal an
//!   entity's `text` where one is given; otherwise the line is malformed.
//!
//! CRLF line ends, a UTF-8 byte order mark and missing trailing blank lines
//! are all accepted.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::types::Ampel;

/// At most this many problems are kept with their line numbers (all are
/// counted).
pub const MAX_PROBLEMS: usize = 20;

/// The three supported input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// GermEval 2014 TSV.
    Germeval,
    /// CoNLL-style columns, tag in the last column.
    Conll,
    /// SPEC gold JSON lines.
    Jsonl,
}

impl Format {
    /// `germeval`, `conll` or `jsonl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Germeval => "germeval",
            Format::Conll => "conll",
            Format::Jsonl => "jsonl",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "germeval" => Ok(Format::Germeval),
            "conll" => Ok(Format::Conll),
            "jsonl" => Ok(Format::Jsonl),
            other => Err(format!(
                "unknown format {other:?} (expected germeval, conll or jsonl)"
            )),
        }
    }
}

/// One `--data FORMAT:PATH` argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSpec {
    /// How to read it.
    pub format: Format,
    /// Where it is.
    pub path: PathBuf,
}

impl FromStr for DataSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (fmt, path) = s
            .split_once(':')
            .ok_or_else(|| format!("expected FORMAT:PATH, got {s:?}"))?;
        if path.is_empty() {
            return Err(format!("missing path in {s:?}"));
        }
        Ok(DataSpec {
            format: fmt.parse()?,
            path: PathBuf::from(path),
        })
    }
}

/// One gold entity: code point offsets into [`GoldDoc::text`], corpus label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldEntity {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The corpus' own label (e.g. `PER`, `LOCderiv`, `PERSON`).
    pub label: String,
}

/// One gold document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldDoc {
    /// The record's id (JSON `id`, or `L<line>` for token corpora).
    pub id: String,
    /// The document text.
    pub text: String,
    /// Gold entities sorted by start, then end.
    pub entities: Vec<GoldEntity>,
    /// The gold verdict, when the corpus has one.
    pub ampel: Option<Ampel>,
}

/// A bad line: where and why (never what it said).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub reason: String,
}

/// Which BIO flavour a token corpus used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Scheme {
    /// Every entity starts with `B-`.
    #[serde(rename = "IOB2")]
    Iob2,
    /// Some entity started with `I-`.
    #[serde(rename = "IOB1")]
    Iob1,
}

/// A read corpus.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// The documents that read cleanly.
    pub docs: Vec<GoldDoc>,
    /// Lines that could not be read.
    pub malformed_lines: usize,
    /// Records (sentences, JSON lines) skipped because of a malformed line.
    pub skipped_records: usize,
    /// The first [`MAX_PROBLEMS`] problems.
    pub problems: Vec<Problem>,
    /// The BIO flavour seen (token corpora with entities only).
    pub scheme: Option<Scheme>,
}

impl Corpus {
    fn problem(&mut self, line: usize, reason: impl Into<String>) {
        self.malformed_lines += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem {
                line,
                reason: reason.into(),
            });
        }
    }
}

/// Read one `--data` source. Only an unreadable file is an error; bad lines
/// are counted in the returned corpus.
pub fn read(spec: &DataSpec, inner: bool) -> std::io::Result<Corpus> {
    let bytes = std::fs::read(&spec.path)?;
    Ok(read_bytes(spec.format, &bytes, inner))
}

/// Read a corpus from memory.
pub fn read_bytes(format: Format, bytes: &[u8], inner: bool) -> Corpus {
    match format {
        Format::Germeval => read_tokens(bytes, Columns::Germeval { inner }),
        Format::Conll => read_tokens(bytes, Columns::Conll),
        Format::Jsonl => read_jsonl(bytes),
    }
}

/// Lines as `(1-based number, text or None when not UTF-8)`, without line
/// ends (LF or CRLF) and without a leading byte order mark.
fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, Option<&str>)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let trimmed = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let empty = bytes.is_empty();
    trimmed
        .split(|&b| b == b'\n')
        .filter(move |_| !empty)
        .enumerate()
        .map(|(i, l)| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            (i + 1, std::str::from_utf8(l).ok())
        })
}

#[derive(Clone, Copy)]
enum Columns {
    Germeval { inner: bool },
    Conll,
}

/// A token row: token, outer tag, optional inner tag.
struct Row<'a> {
    token: &'a str,
    tag: &'a str,
    inner: Option<&'a str>,
}

/// A valid BIO tag: `O`, `B-X` or `I-X`.
fn valid_tag(tag: &str) -> bool {
    tag == "O"
        || tag
            .strip_prefix("B-")
            .or_else(|| tag.strip_prefix("I-"))
            .is_some_and(|t| !t.is_empty())
}

/// What a non-blank line of a token corpus is.
enum Line<'a> {
    Comment,
    DocBreak,
    Row(Row<'a>),
    Bad(&'static str),
}

fn classify(line: &str, cols: Columns) -> Line<'_> {
    match cols {
        Columns::Germeval { inner } => {
            if line.starts_with('#') {
                return Line::Comment;
            }
            let f: Vec<&str> = line.split('\t').map(str::trim).collect();
            if f.len() < 3 {
                return Line::Bad("fewer than 3 tab-separated columns");
            }
            if f[0].parse::<usize>().is_err() {
                return Line::Bad("first column is not a token index");
            }
            if f[1].is_empty() {
                return Line::Bad("empty token");
            }
            if !valid_tag(f[2]) {
                return Line::Bad("outer tag is not O, B-X or I-X");
            }
            let inner_tag = if inner {
                let t = f.get(3).copied().unwrap_or("O");
                if !valid_tag(t) {
                    return Line::Bad("inner tag is not O, B-X or I-X");
                }
                Some(t)
            } else {
                None
            };
            Line::Row(Row {
                token: f[1],
                tag: f[2],
                inner: inner_tag,
            })
        }
        Columns::Conll => {
            let f: Vec<&str> = if line.contains('\t') {
                line.split('\t')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect()
            } else {
                line.split_whitespace().collect()
            };
            if f.first() == Some(&"-DOCSTART-") {
                return Line::DocBreak;
            }
            let last = f.last().copied().unwrap_or("");
            let tagged = f.len() >= 2 && valid_tag(last);
            if line.starts_with('#') && !(tagged && f.first() == Some(&"#")) {
                return Line::Comment;
            }
            if f.len() < 2 {
                return Line::Bad("fewer than 2 columns");
            }
            if !tagged {
                return Line::Bad("last column is not O, B-X or I-X");
            }
            Line::Row(Row {
                token: f[0],
                tag: last,
                inner: None,
            })
        }
    }
}

fn read_tokens(bytes: &[u8], cols: Columns) -> Corpus {
    let mut corpus = Corpus::default();
    let mut rows: Vec<(String, String, Option<String>)> = Vec::new();
    let mut start_line = 0;
    let mut bad = false;
    let mut iob1 = false;
    let mut any_entity = false;

    let mut flush = |rows: &mut Vec<(String, String, Option<String>)>,
                     bad: &mut bool,
                     start_line: usize,
                     corpus: &mut Corpus| {
        if *bad {
            corpus.skipped_records += 1;
        } else if !rows.is_empty() {
            let tokens: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
            let (text, offsets) = detokenize(&tokens);
            let outer: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
            let mut entities = Vec::new();
            let mut add = |tags: &[&str], entities: &mut Vec<GoldEntity>| {
                let (spans, started_with_i) = decode_bio(tags);
                iob1 |= started_with_i;
                for (a, b, label) in spans {
                    if let (Some(s), Some(e)) = (offsets.get(a), offsets.get(b - 1)) {
                        entities.push(GoldEntity {
                            start: s.0,
                            end: e.1,
                            label,
                        });
                    }
                }
            };
            add(&outer, &mut entities);
            if rows.iter().any(|r| r.2.is_some()) {
                let inner: Vec<&str> = rows.iter().map(|r| r.2.as_deref().unwrap_or("O")).collect();
                add(&inner, &mut entities);
            }
            entities.sort_by_key(|e| (e.start, e.end));
            any_entity |= !entities.is_empty();
            corpus.docs.push(GoldDoc {
                id: format!("L{start_line}"),
                text,
                entities,
                ampel: None,
            });
        }
        rows.clear();
        *bad = false;
    };

    for (no, line) in lines(bytes) {
        let Some(line) = line else {
            corpus.problem(no, "not valid UTF-8");
            bad = true;
            continue;
        };
        if line.trim().is_empty() {
            flush(&mut rows, &mut bad, start_line, &mut corpus);
            continue;
        }
        match classify(line, cols) {
            Line::Comment => {}
            Line::DocBreak => flush(&mut rows, &mut bad, start_line, &mut corpus),
            Line::Bad(reason) => {
                corpus.problem(no, reason);
                bad = true;
            }
            Line::Row(r) => {
                if rows.is_empty() {
                    start_line = no;
                }
                rows.push((
                    r.token.to_string(),
                    r.tag.to_string(),
                    r.inner.map(str::to_string),
                ));
            }
        }
    }
    flush(&mut rows, &mut bad, start_line, &mut corpus);
    if any_entity {
        corpus.scheme = Some(if iob1 { Scheme::Iob1 } else { Scheme::Iob2 });
    }
    corpus
}

/// Decode BIO tags (IOB1 or IOB2) into token ranges `[a, b)` with their
/// types. The flag says whether any entity started with `I-` (IOB1).
/// Anything but `B-X` and `I-X` counts as `O`.
pub fn decode_bio(tags: &[&str]) -> (Vec<(usize, usize, String)>, bool) {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    let mut started_with_i = false;
    for (i, tag) in tags.iter().enumerate() {
        let (begin, ty) = if let Some(t) = tag.strip_prefix("B-") {
            (true, t)
        } else if let Some(t) = tag.strip_prefix("I-") {
            (false, t)
        } else {
            if let Some((s, t)) = open.take() {
                out.push((s, i, t.to_string()));
            }
            continue;
        };
        match open {
            Some((_, t)) if !begin && t == ty => {}
            _ => {
                if let Some((s, t)) = open.take() {
                    out.push((s, i, t.to_string()));
                }
                started_with_i |= !begin;
                open = Some((i, ty));
            }
        }
    }
    if let Some((s, t)) = open {
        out.push((s, tags.len(), t.to_string()));
    }
    (out, started_with_i)
}

/// Tokens that take no space before them.
pub const NO_SPACE_BEFORE: [&str; 9] = [",", ".", ";", ":", "!", "?", ")", "]", "“"];
/// Tokens that take no space after them.
pub const NO_SPACE_AFTER: [&str; 3] = ["(", "[", "„"];

/// Join tokens into a text (see the module docs for the spacing rule) and
/// return each token's code point range in it.
pub fn detokenize(tokens: &[&str]) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut offsets = Vec::with_capacity(tokens.len());
    let mut chars = 0;
    let mut prev: Option<&str> = None;
    for &tok in tokens {
        if let Some(p) = prev {
            if !NO_SPACE_BEFORE.contains(&tok) && !NO_SPACE_AFTER.contains(&p) {
                text.push(' ');
                chars += 1;
            }
        }
        let n = tok.chars().count();
        offsets.push((chars, chars + n));
        text.push_str(tok);
        chars += n;
        prev = Some(tok);
    }
    (text, offsets)
}

#[derive(Deserialize)]
struct RawDoc {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default)]
    entities: Vec<RawEntity>,
    #[serde(default)]
    ampel: Option<String>,
}

#[derive(Deserialize)]
struct RawEntity {
    start: usize,
    end: usize,
    label: String,
    #[serde(default)]
    text: Option<String>,
}

fn read_jsonl(bytes: &[u8]) -> Corpus {
    let mut corpus = Corpus::default();
    for (no, line) in lines(bytes) {
        let Some(line) = line else {
            corpus.problem(no, "not valid UTF-8");
            corpus.skipped_records += 1;
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        match jsonl_doc(no, line) {
            Ok(doc) => corpus.docs.push(doc),
            Err(reason) => {
                corpus.problem(no, reason);
                corpus.skipped_records += 1;
            }
        }
    }
    corpus
}

fn jsonl_doc(no: usize, line: &str) -> Result<GoldDoc, String> {
    use serde_json::error::Category;
    let raw: RawDoc = serde_json::from_str(line).map_err(|e| match e.classify() {
        Category::Data => {
            "not a gold record (needs text, entities with start/end/label)".to_string()
        }
        _ => format!("invalid JSON at column {}", e.column()),
    })?;
    let id = match raw.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => format!("L{no}"),
    };
    let ampel = match raw.ampel.as_deref() {
        None => None,
        Some(a) => Some(
            a.parse::<Ampel>()
                .map_err(|_| "ampel is not GREEN, YELLOW or RED".to_string())?,
        ),
    };
    let chars: Vec<(usize, char)> = raw.text.char_indices().collect();
    let n = chars.len();
    let byte_at = |cp: usize| chars.get(cp).map_or(raw.text.len(), |c| c.0);
    let mut entities = Vec::with_capacity(raw.entities.len());
    for (k, e) in raw.entities.into_iter().enumerate() {
        if e.start >= e.end || e.end > n {
            return Err(format!(
                "entity {k}: offsets {}..{} not inside the text ({n} code points)",
                e.start, e.end
            ));
        }
        if e.label.trim().is_empty() {
            return Err(format!("entity {k}: empty label"));
        }
        if let Some(t) = &e.text {
            if raw.text.get(byte_at(e.start)..byte_at(e.end)) != Some(t.as_str()) {
                return Err(format!(
                    "entity {k}: text[start:end] differs from the entity's text"
                ));
            }
        }
        entities.push(GoldEntity {
            start: e.start,
            end: e.end,
            label: e.label.trim().to_string(),
        });
    }
    entities.sort_by_key(|e| (e.start, e.end));
    Ok(GoldDoc {
        id,
        text: raw.text,
        entities,
        ampel,
    })
}

/// File stems too generic to name a corpus on their own.
const GENERIC_STEMS: [&str; 9] = [
    "dev",
    "test",
    "train",
    "valid",
    "validation",
    "val",
    "data",
    "gold",
    "eval",
];

/// A short name for a corpus file: its file name, prefixed with the
/// parent folder when the stem is a bare split name (`europarl/dev.tsv`,
/// but `ler_dev.conll`).
pub fn corpus_name(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "corpus".to_string());
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match path.parent().and_then(|p| p.file_name()) {
        Some(parent) if GENERIC_STEMS.contains(&stem.as_str()) => {
            format!("{}/{file}", parent.to_string_lossy())
        }
        _ => file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(doc: &GoldDoc) -> Vec<(String, String)> {
        doc.entities
            .iter()
            .map(|e| {
                let s: String = doc
                    .text
                    .chars()
                    .skip(e.start)
                    .take(e.end - e.start)
                    .collect();
                (e.label.clone(), s)
            })
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn detokenizer_spacing_rule() {
        let (t, o) = detokenize(&["Er", "sagte", "(", "laut", ")", ":", "„", "Ja", "“", "."]);
        assert_eq!(t, "Er sagte (laut): „Ja“.");
        assert_eq!(o[6], (17, 18));
        assert_eq!(o[7], (18, 20));
        let (t, o) = detokenize(&["Grüße", ",", "Jürgen"]);
        assert_eq!(t, "Grüße, Jürgen");
        assert_eq!(o, vec![(0, 5), (5, 6), (7, 13)]);
        assert_eq!(detokenize(&[]).0, "");
    }

    #[test]
    fn bio_decoder_reads_iob1_and_iob2() {
        let (s, i1) = decode_bio(&["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"]);
        assert_eq!(
            s,
            vec![
                (0, 2, "PER".into()),
                (3, 4, "LOC".into()),
                (4, 5, "LOC".into()),
                (5, 6, "ORG".into())
            ]
        );
        assert!(i1, "I-ORG after B-LOC starts a new entity");
        let (s, i1) = decode_bio(&["I-PER", "I-PER", "B-PER", "O", "I-LOC"]);
        assert_eq!(
            s,
            vec![
                (0, 2, "PER".into()),
                (2, 3, "PER".into()),
                (4, 5, "LOC".into())
            ]
        );
        assert!(i1);
        let (_, i1) = decode_bio(&["B-PER", "I-PER", "O"]);
        assert!(!i1);
    }

    #[test]
    fn germeval_outer_inner_comments_and_crlf() {
        let src = "#\thttp://x [2010]\r\n1\tBank\tB-ORG\tO\r\n2\tvon\tI-ORG\tO\r\n3\tEngland\tI-ORG\tB-LOC\r\n4\t.\tO\tO\r\n\r\n# c\n1\tdeutschen\tB-LOCderiv\tO\n";
        let c = read_bytes(Format::Germeval, src.as_bytes(), false);
        assert_eq!(c.docs.len(), 2);
        assert_eq!(c.docs[0].text, "Bank von England.");
        assert_eq!(c.docs[0].id, "L2");
        assert_eq!(spans(&c.docs[0]), pairs(&[("ORG", "Bank von England")]));
        assert_eq!(spans(&c.docs[1]), pairs(&[("LOCderiv", "deutschen")]));
        assert_eq!(c.scheme, Some(Scheme::Iob2));
        assert_eq!(c.malformed_lines, 0);
        let c = read_bytes(Format::Germeval, src.as_bytes(), true);
        assert_eq!(
            spans(&c.docs[0]),
            pairs(&[("ORG", "Bank von England"), ("LOC", "England")])
        );
    }

    #[test]
    fn germeval_malformed_line_skips_its_sentence_only() {
        let src = "1\tA\tB-PER\tO\n2\tB\tX-PER\tO\n\n1\tC\tO\tO\n2\tD\n\n1\tE\tB-LOC\tO\n\n\n";
        let c = read_bytes(Format::Germeval, src.as_bytes(), false);
        assert_eq!(c.docs.len(), 1);
        assert_eq!(c.docs[0].text, "E");
        assert_eq!(c.malformed_lines, 2);
        assert_eq!(c.skipped_records, 2);
        assert_eq!(c.problems[0].line, 2);
        assert_eq!(c.problems[1].line, 5);
    }

    #[test]
    fn conll_space_and_tab_columns_last_is_the_tag() {
        let legal = "Herr O\r\nMüller B-PER\r\nvom O\r\nBGH B-GRT\r\n\r\n";
        let c = read_bytes(Format::Conll, legal.as_bytes(), false);
        assert_eq!(c.docs.len(), 1);
        assert_eq!(c.docs[0].text, "Herr Müller vom BGH");
        assert_eq!(
            spans(&c.docs[0]),
            pairs(&[("PER", "Müller"), ("GRT", "BGH")])
        );
        let europarl = "-DOCSTART-\tO\n\nFrau\tFrau\tNN\tI-NC\tO\nRoth\tRoth\tNE\tI-NC\tI-PER\n,\t,\t$,\tO\tO\n# comment\n#\t#\tXY\tO\tO\n";
        let c = read_bytes(Format::Conll, europarl.as_bytes(), false);
        assert_eq!(c.docs.len(), 1);
        assert_eq!(c.docs[0].text, "Frau Roth, #");
        assert_eq!(spans(&c.docs[0]), pairs(&[("PER", "Roth")]));
        assert_eq!(c.scheme, Some(Scheme::Iob1));
        let bad = "a\nb O\n\nc X\n";
        let c = read_bytes(Format::Conll, bad.as_bytes(), false);
        assert_eq!(c.docs.len(), 0);
        assert_eq!(c.malformed_lines, 2);
    }

    #[test]
    fn jsonl_reader_checks_offsets_and_text() {
        let src = concat!(
            "{\"id\": \"a\", \"text\": \"Grüße von Jürgen\", \"entities\": [{\"start\": 10, \"end\": 16, \"label\": \"PER\", \"text\": \"Jürgen\"}], \"ampel\": \"YELLOW\"}\r\n",
            "{\"id\": 7, \"text\": \"x\", \"entities\": [{\"start\": 0, \"end\": 1, \"label\": \"PER\", \"text\": \"y\"}]}\n",
            "{\"text\": \"kein Eintrag\"}\n",
            "not json\n",
            "{\"id\": \"b\", \"text\": \"ab\", \"entities\": [{\"start\": 1, \"end\": 3, \"label\": \"PER\"}]}\n",
            "{\"id\": \"c\", \"text\": \"ab\", \"ampel\": \"BLUE\"}\n",
            "{\"id\": \"d\"}\n",
            "\n\n"
        );
        let c = read_bytes(Format::Jsonl, src.as_bytes(), false);
        assert_eq!(c.docs.len(), 2);
        assert_eq!(c.docs[0].id, "a");
        assert_eq!(c.docs[0].ampel, Some(Ampel::Yellow));
        assert_eq!(spans(&c.docs[0]), pairs(&[("PER", "Jürgen")]));
        assert_eq!(c.docs[1].id, "L3");
        assert_eq!(c.malformed_lines, 5);
        assert_eq!(c.skipped_records, 5);
        let lines: Vec<usize> = c.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 4, 5, 6, 7]);
        assert!(c.problems.iter().all(|p| !p.reason.contains("Jürgen")));
    }

    #[test]
    fn data_spec_parsing() {
        let d: DataSpec = "conll:C:/data/x.conll".parse().unwrap();
        assert_eq!(d.format, Format::Conll);
        assert_eq!(d.path, PathBuf::from("C:/data/x.conll"));
        assert!("xml:a".parse::<DataSpec>().is_err());
        assert!("jsonl:".parse::<DataSpec>().is_err());
        assert!("a.jsonl".parse::<DataSpec>().is_err());
        assert_eq!(
            corpus_name(Path::new("x/europarl/dev.tsv")),
            "europarl/dev.tsv"
        );
        assert_eq!(
            corpus_name(Path::new("legal/ler_dev.conll")),
            "ler_dev.conll"
        );
        assert_eq!(corpus_name(Path::new("dev.tsv")), "dev.tsv");
    }

    #[test]
    fn empty_input_is_an_empty_corpus() {
        for f in [Format::Germeval, Format::Conll, Format::Jsonl] {
            let c = read_bytes(f, b"", false);
            assert!(c.docs.is_empty() && c.malformed_lines == 0);
            let c = read_bytes(f, b"\n\n\r\n", false);
            assert!(c.docs.is_empty() && c.malformed_lines == 0);
        }
    }
}
