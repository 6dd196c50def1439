//! The SPEC's JSON line format: wire structs and the line loop behind
//! `ampel analyze --jsonl`.
//!
//! One object in, one object out, same order. Offsets on the wire are
//! Unicode code points (end exclusive); byte offsets ride along as extra
//! fields. A line that is not valid UTF-8 or JSON, lacks `text`, or is too
//! large gets `{"id": …, "error": …}` and the loop goes on with the next
//! line. Lines are analysed in batches so the model sees several texts per
//! forward pass.

use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::analyzer::{Analysis, AnalyzeOptions, Analyzer};
use crate::policy::Reason;
use crate::text::Text;
use crate::types::{Ampel, Label, Source};

/// One entity on the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireEntity {
    /// Code point offset of the first character.
    pub start: usize,
    /// Code point offset one past the last character.
    pub end: usize,
    /// SPEC label.
    pub label: Label,
    /// Confidence in `[0, 1]`.
    pub score: f32,
    /// `model`, `rule` or `model+rule`.
    pub source: Source,
    /// Byte offset of the first byte (UTF-8).
    pub byte_start: usize,
    /// Byte offset one past the last byte (UTF-8).
    pub byte_end: usize,
}

/// One output line for a text that was analysed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireResult {
    /// The input's id.
    pub id: serde_json::Value,
    /// GREEN, YELLOW or RED.
    pub ampel: Ampel,
    /// Sorted, non-overlapping entities.
    pub entities: Vec<WireEntity>,
    /// The text with every entity replaced by `[LABEL_N]`.
    pub redacted: String,
    /// Why the text got its colour.
    pub reasons: Vec<Reason>,
}

impl WireResult {
    /// Convert an analysis of `text` into its wire form.
    pub fn new(id: serde_json::Value, text: &str, a: &Analysis) -> Self {
        let t = Text::new(text);
        WireResult {
            id,
            ampel: a.verdict.ampel,
            entities: a
                .entities
                .iter()
                .map(|e| {
                    let (start, end) = t.char_span(e.span);
                    WireEntity {
                        start,
                        end,
                        label: e.label,
                        score: (e.score * 10_000.0).round() / 10_000.0,
                        source: e.source,
                        byte_start: e.span.start,
                        byte_end: e.span.end,
                    }
                })
                .collect(),
            redacted: a.redaction.text.clone(),
            reasons: a.verdict.reasons.clone(),
        }
    }
}

/// One output line for an input line that could not be analysed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireError {
    /// The input's id when it could be read, else `null`.
    pub id: serde_json::Value,
    /// What went wrong.
    pub error: String,
}

#[derive(Deserialize)]
struct WireInput {
    #[serde(default)]
    id: serde_json::Value,
    text: Option<serde_json::Value>,
}

/// Counters of a finished run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read.
    pub lines: usize,
    /// Lines answered with an `error` object.
    pub errors: usize,
}

/// One raw input line, already split off the stream.
enum Line {
    /// Bytes of the line without its line terminator.
    Data(Vec<u8>),
    /// The line was longer than the limit; its bytes were skipped.
    TooLong(usize),
}

/// Read one line, keeping at most `max` bytes. `None` at end of input.
fn read_line(r: &mut impl BufRead, max: usize) -> io::Result<Option<Line>> {
    let mut buf = Vec::new();
    let mut total = 0usize;
    let mut seen_any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        seen_any = true;
        let (take, done) = match memchr_newline(chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        total += take;
        if buf.len() < max.saturating_add(2) {
            let room = (max + 2 - buf.len()).min(take);
            buf.extend_from_slice(&chunk[..room]);
        }
        r.consume(take);
        if done {
            break;
        }
    }
    if !seen_any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        total -= 1;
        if buf.last() == Some(&b'\r') {
            buf.pop();
            total -= 1;
        }
    }
    if total > max {
        return Ok(Some(Line::TooLong(total)));
    }
    Ok(Some(Line::Data(buf)))
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

/// Parse one line into (id, text) or an error object.
fn parse_line(line: Line, max_line: usize) -> Result<(serde_json::Value, String), WireError> {
    let bytes = match line {
        Line::TooLong(n) => {
            return Err(WireError {
                id: serde_json::Value::Null,
                error: format!("line too large: {n} bytes, the limit is {max_line} bytes"),
            })
        }
        Line::Data(b) => b,
    };
    let s = std::str::from_utf8(&bytes).map_err(|e| WireError {
        id: serde_json::Value::Null,
        error: format!("line is not valid UTF-8 (at byte {})", e.valid_up_to()),
    })?;
    if s.trim().is_empty() {
        return Err(WireError {
            id: serde_json::Value::Null,
            error: "empty line".to_string(),
        });
    }
    let input: WireInput = serde_json::from_str(s).map_err(|e| WireError {
        id: serde_json::Value::Null,
        error: format!("invalid JSON: {e}"),
    })?;
    match input.text {
        Some(serde_json::Value::String(t)) => Ok((input.id, t)),
        Some(_) => Err(WireError {
            id: input.id,
            error: "field \"text\" must be a string".to_string(),
        }),
        None => Err(WireError {
            id: input.id,
            error: "missing field \"text\"".to_string(),
        }),
    }
}

/// Run the line loop: read JSON lines from `input`, write one result or
/// error object per line to `output`, in order. `on_progress` is called with
/// the number of lines done so far after every batch.
pub fn run(
    analyzer: &Analyzer,
    opts: &AnalyzeOptions,
    input: &mut impl BufRead,
    output: &mut impl Write,
    batch_size: usize,
    mut on_progress: impl FnMut(usize),
) -> io::Result<Summary> {
    // A JSON line may escape every byte (\uXXXX = 6 bytes for 1–3 bytes of
    // text); allow generous headroom over the text limit.
    let max_line = analyzer
        .max_text_bytes()
        .saturating_mul(6)
        .saturating_add(64 * 1024);
    let batch_size = batch_size.max(1);
    let mut summary = Summary::default();
    loop {
        let mut parsed = Vec::with_capacity(batch_size);
        while parsed.len() < batch_size {
            match read_line(input, max_line)? {
                Some(line) => parsed.push(parse_line(line, max_line)),
                None => break,
            }
        }
        if parsed.is_empty() {
            break;
        }
        let texts: Vec<&str> = parsed
            .iter()
            .filter_map(|p| p.as_ref().ok().map(|(_, t)| t.as_str()))
            .collect();
        let mut results = analyzer.analyze_batch(&texts, opts).into_iter();
        for p in &parsed {
            summary.lines += 1;
            let line = match p {
                Err(e) => {
                    summary.errors += 1;
                    serde_json::to_string(e)
                }
                Ok((id, text)) => match results.next() {
                    Some(Ok(a)) => serde_json::to_string(&WireResult::new(id.clone(), text, &a)),
                    Some(Err(e)) => {
                        summary.errors += 1;
                        serde_json::to_string(&WireError {
                            id: id.clone(),
                            error: e.to_string(),
                        })
                    }
                    None => unreachable!("one result per text. This is a bug."),
                },
            }
            .map_err(io::Error::other)?;
            output.write_all(line.as_bytes())?;
            output.write_all(b"\n")?;
        }
        output.flush()?;
        on_progress(summary.lines);
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_str(input: &[u8]) -> (Vec<serde_json::Value>, Summary) {
        let a = Analyzer::rules_only().with_max_text_bytes(100);
        let mut out = Vec::new();
        let s = run(
            &a,
            &AnalyzeOptions::default(),
            &mut io::Cursor::new(input),
            &mut out,
            4,
            |_| {},
        )
        .unwrap();
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (lines, s)
    }

    #[test]
    fn one_output_per_line_in_order_with_errors() {
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"id\":\"a\",\"text\":\"Hallo\"}\r\n");
        input.extend_from_slice(b"not json\n");
        input.extend_from_slice(b"{\"id\":\"c\"}\n");
        input.extend_from_slice(b"{\"id\":\"d\",\"text\":\"\xff\"}\n");
        input.extend_from_slice(b"\xff\xfe\n");
        input.extend_from_slice(b"\n");
        let big = format!("{{\"id\":\"g\",\"text\":\"{}\"}}\n", "x".repeat(200));
        input.extend_from_slice(big.as_bytes());
        let huge = format!("{{\"id\":\"h\",\"text\":\"{}\"}}\n", "x".repeat(70_000));
        input.extend_from_slice(huge.as_bytes());
        input.extend_from_slice(b"{\"id\":\"i\",\"text\":\"\"}");
        let (out, s) = run_str(&input);
        assert_eq!(out.len(), 9);
        assert_eq!(s.lines, 9);
        assert_eq!(s.errors, 7);
        assert_eq!(out[0]["id"], "a");
        assert_eq!(out[0]["ampel"], "GREEN");
        assert!(out[1]["error"].as_str().unwrap().contains("invalid JSON"));
        assert_eq!(out[2]["id"], "c");
        assert!(out[2]["error"].as_str().unwrap().contains("text"));
        assert!(out[3]["error"].is_string(), "lone \\xff inside JSON");
        assert!(out[4]["error"].as_str().unwrap().contains("UTF-8"));
        assert_eq!(out[5]["error"], "empty line");
        assert_eq!(out[6]["id"], "g");
        assert!(out[6]["error"].as_str().unwrap().contains("too large"));
        assert!(out[7]["error"].as_str().unwrap().contains("line too large"));
        assert_eq!(out[8]["id"], "i");
        assert_eq!(out[8]["ampel"], "GREEN");
    }
}
