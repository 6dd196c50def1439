//! What a run found, and its three text forms: the terminal table, the JSON
//! file (`eval.json`, the serde form of [`EvalReport`]) and the Markdown
//! report (`eval.md`) next to the SVG charts from [`crate::eval::svg`].
//!
//! The terminal table carries numbers, labels and counts only. The report
//! files additionally list fully missed gold spans with their text: they are
//! local files for the person running the benchmark.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::corpus::{Format, Problem, Scheme};
use super::metrics::{Metrics, Prf};
use super::speed::Speed;
use super::{svg, EvalError, Mode};
use crate::analyzer::Analyzer;
use crate::types::{Ampel, Label};

/// Everything one run measured.
#[derive(Clone, Debug, Serialize)]
pub struct EvalReport {
    /// `CARGO_PKG_VERSION` of the ampel that ran.
    pub ampel_version: String,
    /// The command line that reproduces the run.
    pub command: String,
    /// The model, if any.
    pub model: ModelReport,
    /// The ablation modes that ran.
    pub modes: Vec<Mode>,
    /// Documents per analyzer call.
    pub batch_size: usize,
    /// `--limit`.
    pub limit: Option<usize>,
    /// `--sample` seed.
    pub sample: Option<u64>,
    /// Peak resident set size of the process in bytes (Linux only).
    pub peak_rss_bytes: Option<u64>,
    /// One entry per `--data`.
    pub corpora: Vec<CorpusReport>,
}

/// The model the run used.
#[derive(Clone, Debug, Serialize)]
pub struct ModelReport {
    /// True when a model was loaded.
    pub available: bool,
    /// Folder name or hub repo.
    pub name: Option<String>,
    /// Revision or weights hash.
    pub revision: Option<String>,
    /// Device in words.
    pub device: Option<String>,
    /// How long loading took, in milliseconds, when the caller measured it.
    pub load_ms: Option<f64>,
    /// A sentence for readers.
    pub note: String,
}

impl ModelReport {
    /// Describe `analyzer`'s model.
    pub fn new(analyzer: &Analyzer, load: Option<std::time::Duration>) -> Self {
        match analyzer.model_info() {
            Some(info) => ModelReport {
                available: true,
                name: Some(info.name.clone()),
                revision: Some(info.revision.clone()),
                device: Some(info.device.clone()),
                load_ms: load.map(|d| d.as_secs_f64() * 1e3),
                note: format!("model {} on {}", info.name, info.device),
            },
            None => ModelReport {
                available: false,
                name: None,
                revision: None,
                device: None,
                load_ms: None,
                note: "model not available: only the rules ran".to_string(),
            },
        }
    }
}

/// One corpus.
#[derive(Clone, Debug, Serialize)]
pub struct CorpusReport {
    /// Short name, e.g. `germeval2014/dev`.
    pub name: String,
    /// Input format.
    pub format: Format,
    /// The file.
    pub path: String,
    /// Label mapping used (preset name, `+ mapping file`).
    pub mapping: String,
    /// BIO flavour of token corpora.
    pub scheme: Option<Scheme>,
    /// Documents read cleanly.
    pub docs_read: usize,
    /// Documents evaluated (after `--limit`/`--sample`).
    pub docs_evaluated: usize,
    /// Whitespace tokens in the evaluated documents.
    pub tokens: usize,
    /// Code points in the evaluated documents.
    pub chars: usize,
    /// Lines that could not be read.
    pub malformed_lines: usize,
    /// Records skipped because of them.
    pub skipped_records: usize,
    /// The first problems, by line.
    pub problems: Vec<Problem>,
    /// Evaluated documents with a gold verdict.
    pub gold_ampel_docs: usize,
    /// Scored gold spans per SPEC label.
    pub gold_by_label: BTreeMap<Label, usize>,
    /// Gold spans whose corpus label maps to `ignore`.
    pub ignored_labels: BTreeMap<String, usize>,
    /// Gold spans whose corpus label has no mapping (treated as ignored).
    pub unmapped_labels: BTreeMap<String, usize>,
    /// The labels scored.
    pub evaluated_labels: Vec<Label>,
    /// One entry per mode.
    pub modes: Vec<ModeReport>,
}

/// One mode on one corpus.
#[derive(Clone, Debug, Serialize)]
pub struct ModeReport {
    /// Which.
    pub mode: Mode,
    /// Documents the analyzer refused (e.g. too large); not scored.
    pub failed_docs: usize,
    /// Accuracy.
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Speed.
    pub speed: Speed,
}

fn pct(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

fn ms(x: f64) -> String {
    if x < 1.0 {
        format!("{x:.3}")
    } else if x < 100.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.0}")
    }
}

fn per_s(x: f64) -> String {
    if x < 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.0}")
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Render rows as aligned columns; the first column is left-aligned, the
/// others right-aligned.
fn columns(header: &[String], rows: &[Vec<String>]) -> String {
    let n = header.len();
    let mut w = vec![0; n];
    for r in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate().take(n) {
            let pad = w[i].saturating_sub(c.chars().count());
            if i == 0 {
                line.push_str(c);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(c);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn summary_header() -> Vec<String> {
    [
        "mode",
        "strict P",
        "strict R",
        "strict F1",
        "overlap F1",
        "leak recall",
        "over-redact",
        "missed",
        "ampel acc",
        "docs/s",
        "tokens/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
    ]
    .map(String::from)
    .to_vec()
}

fn summary_row(m: &ModeReport) -> Vec<String> {
    let x = &m.metrics;
    vec![
        m.mode.as_str().to_string(),
        pct(x.strict.micro.precision),
        pct(x.strict.micro.recall),
        pct(x.strict.micro.f1),
        pct(x.overlap.micro.f1),
        pct(x.leak.recall),
        pct(x.over_redaction.rate),
        x.leak.fully_missed.to_string(),
        x.ampel
            .as_ref()
            .map_or_else(|| "–".to_string(), |a| pct(a.accuracy)),
        per_s(m.speed.docs_per_s),
        per_s(m.speed.tokens_per_s),
        ms(m.speed.p50_ms),
        ms(m.speed.p95_ms),
        ms(m.speed.p99_ms),
    ]
}

fn counts_line(map: &BTreeMap<String, usize>) -> String {
    if map.is_empty() {
        return "none".to_string();
    }
    map.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn corpus_line(c: &CorpusReport) -> String {
    let mut s = format!("{} · {} · mapping {}", c.name, c.format, c.mapping);
    if let Some(sch) = c.scheme {
        s.push_str(match sch {
            Scheme::Iob1 => " · IOB1",
            Scheme::Iob2 => " · IOB2",
        });
    }
    let _ = write!(
        s,
        " · {} of {} docs · {} tokens · {} malformed lines",
        c.docs_evaluated, c.docs_read, c.tokens, c.malformed_lines
    );
    s
}

/// The terminal summary: per corpus one row per mode, then F1 per label.
/// All rates are percentages; latency is per document.
pub fn table(r: &EvalReport) -> String {
    let mut out = String::new();
    for c in &r.corpora {
        let _ = writeln!(out, "{}", corpus_line(c));
        let labels: Vec<&str> = c.evaluated_labels.iter().map(|l| l.as_str()).collect();
        let _ = writeln!(
            out,
            "scored labels: {} · ignored: {} · unmapped: {}",
            if labels.is_empty() {
                "none".to_string()
            } else {
                labels.join(", ")
            },
            counts_line(&c.ignored_labels),
            counts_line(&c.unmapped_labels)
        );
        out.push('\n');
        let rows: Vec<Vec<String>> = c.modes.iter().map(summary_row).collect();
        out.push_str(&columns(&summary_header(), &rows));
        out.push('\n');
        let mut header = vec!["F1 % strict / overlap".to_string(), "gold".to_string()];
        header.extend(c.modes.iter().map(|m| m.mode.as_str().to_string()));
        let rows: Vec<Vec<String>> = c
            .evaluated_labels
            .iter()
            .map(|l| {
                let mut row = vec![
                    l.as_str().to_string(),
                    c.gold_by_label.get(l).copied().unwrap_or(0).to_string(),
                ];
                for m in &c.modes {
                    let s = m.metrics.strict.per_label.get(l).map_or(0.0, |p| p.f1);
                    let o = m.metrics.overlap.per_label.get(l).map_or(0.0, |p| p.f1);
                    row.push(format!("{} / {}", pct(s), pct(o)));
                }
                row
            })
            .collect();
        out.push_str(&columns(&header, &rows));
        for m in &c.modes {
            if m.failed_docs > 0 {
                let _ = writeln!(
                    out,
                    "{}: {} documents could not be analysed",
                    m.mode.as_str(),
                    m.failed_docs
                );
            }
        }
        out.push('\n');
    }
    let _ = write!(out, "{}", r.model.note);
    if let Some(l) = r.model.load_ms {
        let _ = write!(out, " · model load {} ms", ms(l));
    }
    let _ = write!(
        out,
        " · peak RSS {}",
        r.peak_rss_bytes.map_or_else(|| "n/a".to_string(), mib)
    );
    let _ = writeln!(out, " · rates in %, latency per document");
    out
}

/// Lower-case, `-`-separated file name part for a corpus name.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "corpus".to_string()
    } else {
        s
    }
}

/// Unique slugs, one per corpus, in order.
fn slugs(r: &EvalReport) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    r.corpora
        .iter()
        .map(|c| {
            let base = slug(&c.name);
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}-{n}")
            }
        })
        .collect()
}

/// Markdown cell text: no pipes, no line breaks.
fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

fn md_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut s = format!("| {} |\n", header.join(" | "));
    s.push('|');
    for i in 0..header.len() {
        s.push_str(if i == 0 { " --- |" } else { " ---: |" });
    }
    s.push('\n');
    for r in rows {
        let _ = writeln!(s, "| {} |", r.join(" | "));
    }
    s
}

/// At most this many missed spans per mode go into the Markdown report
/// (all of them are in `eval.json`).
pub const MD_MISSED: usize = 50;

/// The Markdown report; chart files are referenced by their names.
pub fn markdown(r: &EvalReport) -> String {
    let mut s = String::from("# ampel eval\n\n");
    let _ = writeln!(s, "```sh\n{}\n```\n", r.command);
    let _ = writeln!(s, "- ampel {}", r.ampel_version);
    let _ = write!(s, "- {}", r.model.note);
    if let Some(l) = r.model.load_ms {
        let _ = write!(s, ", loaded in {} ms", ms(l));
    }
    s.push('\n');
    let modes: Vec<&str> = r.modes.iter().map(|m| m.as_str()).collect();
    let _ = writeln!(
        s,
        "- modes: {} · batch size {} · peak RSS {}",
        modes.join(", "),
        r.batch_size,
        r.peak_rss_bytes.map_or_else(|| "n/a".to_string(), mib)
    );
    if r.limit.is_some() || r.sample.is_some() {
        let _ = writeln!(
            s,
            "- subset: {}{}",
            r.limit
                .map_or_else(|| "all documents".to_string(), |n| format!("{n} documents")),
            r.sample
                .map_or_else(String::new, |seed| format!(", seeded sample (seed {seed})"))
        );
    }
    s.push('\n');

    for (c, sl) in r.corpora.iter().zip(slugs(r)) {
        let _ = writeln!(s, "## {}\n", md_cell(&c.name));
        let _ = writeln!(
            s,
            "- file `{}` ({}), label mapping **{}**{}",
            c.path,
            c.format,
            c.mapping,
            c.scheme.map_or("", |sc| match sc {
                Scheme::Iob1 => ", IOB1 tags",
                Scheme::Iob2 => ", IOB2 tags",
            })
        );
        let _ = writeln!(
            s,
            "- {} of {} documents, {} tokens, {} characters",
            c.docs_evaluated, c.docs_read, c.tokens, c.chars
        );
        let gold: Vec<String> = c
            .gold_by_label
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        let _ = writeln!(
            s,
            "- scored gold spans: {}",
            if gold.is_empty() {
                "none".to_string()
            } else {
                gold.join(", ")
            }
        );
        let _ = writeln!(
            s,
            "- scored labels: {}",
            c.evaluated_labels
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            s,
            "- ignored gold spans (neither reward nor penalty): {}",
            counts_line(&c.ignored_labels)
        );
        let _ = writeln!(
            s,
            "- unmapped corpus labels (treated as ignored): {}",
            counts_line(&c.unmapped_labels)
        );
        let _ = writeln!(
            s,
            "- malformed lines: {}, skipped records: {}",
            c.malformed_lines, c.skipped_records
        );
        for p in &c.problems {
            let _ = writeln!(s, "  - line {}: {}", p.line, md_cell(&p.reason));
        }
        s.push('\n');

        let _ = writeln!(s, "### Summary (rates in %)\n");
        let rows: Vec<Vec<String>> = c.modes.iter().map(summary_row).collect();
        s.push_str(&md_table(&summary_header(), &rows));
        s.push('\n');
        let _ = writeln!(
            s,
            "![F1 per label](f1-{sl}.svg)\n\n![Latency per document](latency-{sl}.svg)\n"
        );

        for m in &c.modes {
            let x = &m.metrics;
            let _ = writeln!(s, "### Mode `{}`\n", m.mode.as_str());
            let header: Vec<String> = [
                "label",
                "gold",
                "strict P",
                "strict R",
                "strict F1",
                "overlap P",
                "overlap R",
                "overlap F1",
                "leak recall",
            ]
            .map(String::from)
            .to_vec();
            let prf = |p: Option<&Prf>| {
                let p = p.copied().unwrap_or_default();
                [pct(p.precision), pct(p.recall), pct(p.f1)]
            };
            let mut rows: Vec<Vec<String>> = c
                .evaluated_labels
                .iter()
                .map(|l| {
                    let mut row = vec![
                        l.as_str().to_string(),
                        c.gold_by_label.get(l).copied().unwrap_or(0).to_string(),
                    ];
                    row.extend(prf(x.strict.per_label.get(l)));
                    row.extend(prf(x.overlap.per_label.get(l)));
                    row.push(
                        x.leak
                            .per_label
                            .get(l)
                            .map_or("–".into(), |k| pct(k.recall)),
                    );
                    row
                })
                .collect();
            let mut micro = vec!["**micro**".to_string(), String::new()];
            micro.extend(prf(Some(&x.strict.micro)));
            micro.extend(prf(Some(&x.overlap.micro)));
            micro.push(pct(x.leak.recall));
            rows.push(micro);
            let mut mac = vec!["**macro**".to_string(), String::new()];
            for sc in [&x.strict, &x.overlap] {
                mac.extend([
                    pct(sc.macro_.precision),
                    pct(sc.macro_.recall),
                    pct(sc.macro_.f1),
                ]);
            }
            mac.push(String::new());
            rows.push(mac);
            s.push_str(&md_table(&header, &rows));
            s.push('\n');
            let _ = writeln!(
                s,
                "- leak recall: {} of {} gold characters covered ({} %); {} gold spans fully missed",
                x.leak.covered_chars,
                x.leak.gold_chars,
                pct(x.leak.recall),
                x.leak.fully_missed
            );
            let _ = writeln!(
                s,
                "- over-redaction: {} of {} redacted characters outside gold spans ({} %)",
                x.over_redaction.outside_gold_chars,
                x.over_redaction.redacted_chars,
                pct(x.over_redaction.rate)
            );
            let other: BTreeMap<String, usize> = x
                .predictions
                .other_labels
                .iter()
                .map(|(l, n)| (l.to_string(), *n))
                .collect();
            let _ = writeln!(
                s,
                "- predictions: {} in all, {} scored, {} neutral (only on ignored gold), not scored because the corpus does not annotate the label: {}",
                x.predictions.total,
                x.predictions.scored,
                x.predictions.neutral,
                counts_line(&other)
            );
            let sp = &m.speed;
            let _ = writeln!(
                s,
                "- speed: {} docs in {:.2} s: {} docs/s, {} tokens/s; latency p50 {} ms, p95 {} ms, p99 {} ms, max {} ms",
                sp.docs,
                sp.seconds,
                per_s(sp.docs_per_s),
                per_s(sp.tokens_per_s),
                ms(sp.p50_ms),
                ms(sp.p95_ms),
                ms(sp.p99_ms),
                ms(sp.max_ms)
            );
            if m.failed_docs > 0 {
                let _ = writeln!(s, "- {} documents could not be analysed", m.failed_docs);
            }
            if let Some(a) = &x.ampel {
                let _ = writeln!(
                    s,
                    "\nAmpel accuracy {} % over {} documents (rows gold, columns predicted):\n",
                    pct(a.accuracy),
                    a.docs
                );
                let colours = [Ampel::Green, Ampel::Yellow, Ampel::Red];
                let mut header = vec!["gold \\ predicted".to_string()];
                header.extend(colours.iter().map(|c| c.to_string()));
                let rows: Vec<Vec<String>> = colours
                    .iter()
                    .zip(a.confusion.iter())
                    .map(|(c, row)| {
                        let mut v = vec![c.to_string()];
                        v.extend(row.iter().map(|n| n.to_string()));
                        v
                    })
                    .collect();
                s.push_str(&md_table(&header, &rows));
            }
            if !x.missed.is_empty() {
                let _ = writeln!(
                    s,
                    "\n<details><summary>Fully missed gold spans ({}; first {} shown, all in eval.json)</summary>\n",
                    x.missed.len(),
                    MD_MISSED.min(x.missed.len())
                );
                let header: Vec<String> = ["doc", "label", "length", "text"]
                    .map(String::from)
                    .to_vec();
                let rows: Vec<Vec<String>> = x
                    .missed
                    .iter()
                    .take(MD_MISSED)
                    .map(|mi| {
                        vec![
                            md_cell(&mi.doc),
                            mi.label.to_string(),
                            mi.len.to_string(),
                            format!("`{}`", md_cell(&mi.text).replace('`', "'")),
                        ]
                    })
                    .collect();
                s.push_str(&md_table(&header, &rows));
                s.push_str("\n</details>\n");
            }
            s.push('\n');
        }
    }
    s.push_str(METHOD);
    s
}

/// How to read the numbers (appended to every Markdown report).
const METHOD: &str = "## How to read these numbers

- **strict**: a prediction counts only with the exact gold start, end and label.
- **overlap**: same label and at least one shared character; each gold span matches at most one prediction and vice versa.
- **leak recall**: share of gold characters covered by any prediction, whatever its label — what still leaks is 100 % minus this.
- **over-redaction**: share of characters redacted by scored predictions that lie outside every gold span.
- Only labels the corpus annotates are scored. Predictions of other labels (for example DATE on GermEval) are left out of precision and over-redaction, but still count for leak recall.
- Gold spans mapped to `ignore` (GermEval OTH, `*deriv`, `*part`; legal citations; Europarl MISC) and unmapped labels neither reward nor penalise: a prediction that only hits them is left out.
- Token corpora are detokenised with single spaces, without a space before `, . ; : ! ? ) ] “` and after `( [ „`.
- Latency is the wall time of a batch shared among its documents by length; `--batch-size 1` measures single calls. One untimed warm-up batch precedes each mode. Tokens are whitespace-separated words; peak RSS is the whole process' high-water mark.
- 0/0 counts as 0. Macro averages are unweighted means over labels with gold spans or predictions.
";

fn write_file(path: PathBuf, contents: &str, files: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    std::fs::write(&path, contents).map_err(|source| EvalError::Write {
        path: path.clone(),
        source,
    })?;
    files.push(path);
    Ok(())
}

/// Write `eval.json`, `eval.md` and per corpus `f1-<name>.svg` and
/// `latency-<name>.svg` into `dir` (created if needed).
pub fn write_all(dir: &Path, r: &EvalReport) -> Result<Vec<PathBuf>, EvalError> {
    std::fs::create_dir_all(dir).map_err(|source| EvalError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    let json_path = dir.join("eval.json");
    let json = serde_json::to_string_pretty(r).map_err(|e| EvalError::Write {
        path: json_path.clone(),
        source: std::io::Error::other(e),
    })?;
    write_file(json_path, &json, &mut files)?;
    write_file(dir.join("eval.md"), &markdown(r), &mut files)?;
    for (c, sl) in r.corpora.iter().zip(slugs(r)) {
        write_file(
            dir.join(format!("f1-{sl}.svg")),
            &svg::f1_chart(c),
            &mut files,
        )?;
        write_file(
            dir.join(format!("latency-{sl}.svg")),
            &svg::latency_chart(c),
            &mut files,
        )?;
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align() {
        let t = columns(
            &["a".into(), "bb".into()],
            &[vec!["long".into(), "1".into()]],
        );
        assert_eq!(t, "a     bb\nlong   1\n");
    }

    #[test]
    fn slugs_are_file_safe() {
        assert_eq!(slug("germeval2014/dev.tsv"), "germeval2014-dev-tsv");
        assert_eq!(slug("Ä//x y"), "x-y");
        assert_eq!(slug("///"), "corpus");
    }

    #[test]
    fn markdown_cells_cannot_break_tables() {
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
    }
}
