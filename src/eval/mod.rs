//! The benchmark harness (`ampel eval`): reads gold corpora, runs the
//! analyzer in each ablation mode, and reports accuracy and speed.
//!
//! Every accuracy claim about ampel comes from here, so each rule is written
//! down where it is applied:
//!
//! * [`corpus`]: the readers (GermEval 2014 TSV, CoNLL columns, SPEC gold
//!   JSON lines) and the detokeniser for token corpora;
//! * [`labels`]: corpus labels → SPEC labels (presets, mapping files);
//! * [`metrics`]: strict and overlap P/R/F1, leak recall, over-redaction,
//!   Ampel accuracy — and which predictions are scored at all;
//! * [`speed`]: throughput, latency percentiles, peak memory;
//! * [`report`] and [`svg`]: the terminal table, JSON, Markdown and charts.
//!
//! The ablation runs the same documents three times: `rules` (rules only),
//! `model` (model only) and `fused` (both, as in production). Without a
//! loaded model only `rules` runs and the report says so.
//!
//! Nothing here logs document text; the gold text of fully missed spans
//! appears only in the report files written to `--report DIR`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::Serialize;

use crate::analyzer::{AnalyzeOptions, Analyzer};
use crate::text::Text;
use crate::types::{Entity, Label};

pub mod corpus;
pub mod labels;
pub mod metrics;
pub mod report;
pub mod speed;
pub mod svg;

use corpus::{DataSpec, Format, GoldDoc};
use labels::{LabelMap, MappingFile, Preset, Target};
use metrics::{Accumulator, DocInput, Mention};
use report::{CorpusReport, EvalReport, ModeReport, ModelReport};
use speed::SpeedRecorder;

/// Default number of documents per `analyze_batch` call.
pub const DEFAULT_BATCH_SIZE: usize = 8;

/// Command-line arguments of `ampel eval` (clap derive; doc comments are the
/// --help text).
#[derive(Debug, Clone, clap::Args)]
pub struct EvalArgs {
    /// FORMAT:PATH, FORMAT is germeval, conll or jsonl; repeatable
    #[arg(long = "data", value_name = "FORMAT:PATH", required = true)]
    pub data: Vec<String>,
    /// TOML file mapping corpus labels to SPEC labels or "ignore"
    /// ([labels] PER = "PERSON"; optional preset = "germeval" to extend)
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Write eval.json, eval.md and SVG charts into this folder
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Evaluate at most N documents per corpus (the first N, or a sample
    /// with --sample)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Draw the --limit documents as a deterministic random sample with
    /// this seed
    #[arg(long, value_name = "SEED")]
    pub sample: Option<u64>,
    /// Ablation modes to run: rules, model, fused (default: all that are
    /// possible)
    #[arg(long, value_delimiter = ',', value_name = "MODE,...")]
    pub modes: Vec<Mode>,
    /// Documents per analyzer call; latency is the batch time shared by
    /// document length (1 = exact per-document latency)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_SIZE)]
    pub batch_size: usize,
    /// Also score GermEval's inner (nested) entity column
    #[arg(long)]
    pub inner: bool,
    /// Do not show a progress bar
    #[arg(long)]
    pub no_progress: bool,
}

impl EvalArgs {
    /// Arguments for `--data` sources with every other option at its
    /// default (handy for tests and library callers).
    pub fn new(data: impl IntoIterator<Item = impl Into<String>>) -> Self {
        EvalArgs {
            data: data.into_iter().map(Into::into).collect(),
            mapping: None,
            report: None,
            limit: None,
            sample: None,
            modes: Vec::new(),
            batch_size: DEFAULT_BATCH_SIZE,
            inner: false,
            no_progress: true,
        }
    }

    /// The command line that reproduces this run.
    pub fn command_line(&self) -> String {
        let mut c = String::from("ampel eval");
        for d in &self.data {
            c.push_str(&format!(" --data {}", shell_word(d)));
        }
        if let Some(m) = &self.mapping {
            c.push_str(&format!(" --mapping {}", shell_word(&m.to_string_lossy())));
        }
        if let Some(r) = &self.report {
            c.push_str(&format!(" --report {}", shell_word(&r.to_string_lossy())));
        }
        if let Some(n) = self.limit {
            c.push_str(&format!(" --limit {n}"));
        }
        if let Some(s) = self.sample {
            c.push_str(&format!(" --sample {s}"));
        }
        if !self.modes.is_empty() {
            let m: Vec<&str> = self.modes.iter().map(|m| m.as_str()).collect();
            c.push_str(&format!(" --modes {}", m.join(",")));
        }
        if self.batch_size != DEFAULT_BATCH_SIZE {
            c.push_str(&format!(" --batch-size {}", self.batch_size));
        }
        if self.inner {
            c.push_str(" --inner");
        }
        c
    }
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// One ablation mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Deterministic rules and lexicons only.
    Rules,
    /// The NER model only.
    Model,
    /// Rules and model fused, as in production.
    Fused,
}

impl Mode {
    /// Every mode, in report order.
    pub const ALL: [Mode; 3] = [Mode::Rules, Mode::Model, Mode::Fused];

    /// `rules`, `model` or `fused`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Rules => "rules",
            Mode::Model => "model",
            Mode::Fused => "fused",
        }
    }

    /// The analyzer switches of this mode.
    pub fn options(self) -> AnalyzeOptions {
        AnalyzeOptions {
            rules: matches!(self, Mode::Rules | Mode::Fused),
            model: matches!(self, Mode::Model | Mode::Fused),
            ..AnalyzeOptions::default()
        }
    }
}

/// What can stop a whole run (bad records never do).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A `--data` argument is not `FORMAT:PATH`.
    #[error("--data: {0}")]
    Data(String),
    /// A corpus file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The mapping file is unreadable or invalid.
    #[error("mapping file {path}: {reason}")]
    Mapping {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A mode that needs the model was asked for, but none is loaded.
    #[error("mode {0:?} needs a model, but none is loaded (use --modes rules)")]
    NoModel(&'static str),
    /// An invalid option value.
    #[error("{0}")]
    Invalid(String),
    /// A report file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Result of a run: the terminal table as text (the CLI prints it), the
/// files written, and the full report.
#[derive(Debug, Clone)]
pub struct EvalOutcome {
    /// The terminal summary.
    pub table: String,
    /// Files written under `--report` (empty without it).
    pub files: Vec<PathBuf>,
    /// Everything measured (what `eval.json` holds).
    pub report: EvalReport,
}

/// Run the evaluation described by `args` with `analyzer`. `model_load` is
/// how long loading the model took, if the caller loaded one.
pub fn run(
    args: &EvalArgs,
    analyzer: &Analyzer,
    model_load: Option<Duration>,
) -> Result<EvalOutcome, EvalError> {
    let specs: Vec<DataSpec> = args
        .data
        .iter()
        .map(|d| d.parse().map_err(EvalError::Data))
        .collect::<Result<_, _>>()?;
    if args.batch_size == 0 {
        return Err(EvalError::Invalid("--batch-size must be at least 1".into()));
    }
    if args.limit == Some(0) {
        return Err(EvalError::Invalid("--limit must be at least 1".into()));
    }
    let mapping = match &args.mapping {
        None => None,
        Some(path) => {
            let src = std::fs::read_to_string(path).map_err(|e| EvalError::Mapping {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            Some(
                MappingFile::parse(&src).map_err(|reason| EvalError::Mapping {
                    path: path.clone(),
                    reason,
                })?,
            )
        }
    };
    let modes = resolve_modes(&args.modes, analyzer.has_model())?;

    let mut loaded = Vec::with_capacity(specs.len());
    for spec in specs {
        let corpus = corpus::read(&spec, args.inner).map_err(|source| EvalError::Read {
            path: spec.path.clone(),
            source,
        })?;
        let preset = Preset::detect(spec.format == Format::Germeval, &spec.path);
        let map = match &mapping {
            Some(f) => LabelMap::with_file(preset, f),
            None => LabelMap::preset(preset),
        };
        loaded.push((spec, corpus, map));
    }
    let read_counts: Vec<usize> = loaded.iter().map(|(_, c, _)| c.docs.len()).collect();
    let selected: Vec<Vec<GoldDoc>> = loaded
        .iter_mut()
        .map(|(_, c, _)| select(std::mem::take(&mut c.docs), args.limit, args.sample))
        .collect();
    let total: usize = selected.iter().map(Vec::len).sum::<usize>() * modes.len();
    let progress = progress_bar(total as u64, args.no_progress);

    let mut corpora = Vec::with_capacity(loaded.len());
    for (((spec, corpus, map), docs), docs_read) in loaded.iter().zip(&selected).zip(read_counts) {
        let input = CorpusInput {
            spec,
            corpus,
            map,
            docs,
            docs_read,
        };
        corpora.push(evaluate_corpus(&input, &modes, analyzer, args, &progress));
    }
    progress.finish_and_clear();

    let report = EvalReport {
        ampel_version: env!("CARGO_PKG_VERSION").to_string(),
        command: args.command_line(),
        model: ModelReport::new(analyzer, model_load),
        modes: modes.clone(),
        batch_size: args.batch_size,
        limit: args.limit,
        sample: args.sample,
        peak_rss_bytes: speed::peak_rss_bytes(),
        corpora,
    };
    let table = report::table(&report);
    let files = match &args.report {
        Some(dir) => report::write_all(dir, &report)?,
        None => Vec::new(),
    };
    tracing::info!(
        corpora = report.corpora.len(),
        modes = modes.len(),
        files = files.len(),
        "eval finished"
    );
    Ok(EvalOutcome {
        table,
        files,
        report,
    })
}

/// The modes to run: the requested ones in report order, or every mode the
/// analyzer can run.
pub fn resolve_modes(requested: &[Mode], has_model: bool) -> Result<Vec<Mode>, EvalError> {
    if requested.is_empty() {
        return Ok(if has_model {
            Mode::ALL.to_vec()
        } else {
            vec![Mode::Rules]
        });
    }
    let set: BTreeSet<Mode> = requested.iter().copied().collect();
    if !has_model {
        if let Some(m) = set.iter().find(|m| **m != Mode::Rules) {
            return Err(EvalError::NoModel(m.as_str()));
        }
    }
    Ok(set.into_iter().collect())
}

/// `--limit` and `--sample`: the first `limit` documents, or with a seed a
/// seeded shuffle's first `limit` documents, kept in corpus order.
pub fn select(mut docs: Vec<GoldDoc>, limit: Option<usize>, seed: Option<u64>) -> Vec<GoldDoc> {
    let n = limit.unwrap_or(docs.len()).min(docs.len());
    match seed {
        None => {
            docs.truncate(n);
            docs
        }
        Some(seed) => {
            let mut idx: Vec<usize> = (0..docs.len()).collect();
            idx.shuffle(&mut StdRng::seed_from_u64(seed));
            idx.truncate(n);
            let keep: BTreeSet<usize> = idx.into_iter().collect();
            docs.into_iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(i))
                .map(|(_, d)| d)
                .collect()
        }
    }
}

fn progress_bar(total: u64, disabled: bool) -> ProgressBar {
    if disabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{msg:>28} [{bar:32.green/white}] {pos}/{len} docs · {per_sec} · eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("━╸ ");
    pb.set_style(style);
    pb
}

/// Entities (byte spans) as code point [`Mention`]s.
pub fn mentions(text: &str, entities: &[Entity]) -> Vec<Mention> {
    let t = Text::new(text);
    entities
        .iter()
        .map(|e| {
            let (start, end) = t.char_span(e.span);
            Mention::new(start, end, e.label)
        })
        .collect()
}

/// Gold spans of one document after label mapping.
struct MappedDoc {
    gold: Vec<Mention>,
    ignored: Vec<(usize, usize)>,
}

/// One corpus, read and selected.
struct CorpusInput<'a> {
    spec: &'a DataSpec,
    corpus: &'a corpus::Corpus,
    map: &'a LabelMap,
    docs: &'a [GoldDoc],
    docs_read: usize,
}

fn evaluate_corpus(
    input: &CorpusInput<'_>,
    modes: &[Mode],
    analyzer: &Analyzer,
    args: &EvalArgs,
    progress: &ProgressBar,
) -> CorpusReport {
    let CorpusInput {
        spec,
        corpus,
        map,
        docs,
        docs_read,
    } = *input;
    let name = corpus::corpus_name(&spec.path);
    let mut gold_by_label: BTreeMap<Label, usize> = BTreeMap::new();
    let mut ignored_labels: BTreeMap<String, usize> = BTreeMap::new();
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    let mapped: Vec<MappedDoc> = docs
        .iter()
        .map(|d| {
            let mut m = MappedDoc {
                gold: Vec::new(),
                ignored: Vec::new(),
            };
            for e in &d.entities {
                match map.resolve(&e.label) {
                    Some(Target::Label(l)) => {
                        *gold_by_label.entry(l).or_default() += 1;
                        m.gold.push(Mention::new(e.start, e.end, l));
                    }
                    Some(Target::Ignore) => {
                        *ignored_labels.entry(e.label.clone()).or_default() += 1;
                        m.ignored.push((e.start, e.end));
                    }
                    None => {
                        *unmapped.entry(e.label.clone()).or_default() += 1;
                        m.ignored.push((e.start, e.end));
                    }
                }
            }
            m
        })
        .collect();
    let mut evaluated: BTreeSet<Label> = map.annotated().clone();
    evaluated.extend(gold_by_label.keys().copied());
    if !unmapped.is_empty() {
        tracing::warn!(
            corpus = %name,
            labels = ?unmapped.keys().collect::<Vec<_>>(),
            "unmapped corpus labels are treated as ignored"
        );
    }

    let mut mode_reports = Vec::with_capacity(modes.len());
    for &mode in modes {
        progress.set_message(format!("{name} · {}", mode.as_str()));
        let opts = mode.options();
        // One untimed warm-up batch, so one-off start-up costs (first
        // forward pass, lazy allocations) do not land in the percentiles.
        if let Some(first) = docs.chunks(args.batch_size).next() {
            let texts: Vec<&str> = first.iter().map(|d| d.text.as_str()).collect();
            let _ = analyzer.analyze_batch(&texts, &opts);
        }
        let mut acc = Accumulator::new(evaluated.clone());
        let mut rec = SpeedRecorder::new();
        let mut failed = 0;
        for (chunk, mchunk) in docs
            .chunks(args.batch_size)
            .zip(mapped.chunks(args.batch_size))
        {
            let texts: Vec<&str> = chunk.iter().map(|d| d.text.as_str()).collect();
            let started = Instant::now();
            let results = analyzer.analyze_batch(&texts, &opts);
            rec.record(&texts, started.elapsed());
            for ((doc, m), result) in chunk.iter().zip(mchunk).zip(results) {
                let Ok(analysis) = result else {
                    failed += 1;
                    continue;
                };
                let predicted = mentions(&doc.text, &analysis.entities);
                acc.add(&DocInput {
                    id: &doc.id,
                    text: &doc.text,
                    gold: &m.gold,
                    ignored: &m.ignored,
                    predicted: &predicted,
                    gold_ampel: doc.ampel,
                    predicted_ampel: Some(analysis.verdict.ampel),
                });
            }
            progress.inc(chunk.len() as u64);
        }
        if failed > 0 {
            tracing::warn!(corpus = %name, mode = mode.as_str(), failed, "documents failed to analyse");
        }
        let speed = rec.finish();
        tracing::info!(
            corpus = %name,
            mode = mode.as_str(),
            docs = speed.docs,
            docs_per_s = speed.docs_per_s,
            "mode finished"
        );
        mode_reports.push(ModeReport {
            mode,
            failed_docs: failed,
            metrics: acc.finish(),
            speed,
        });
    }

    CorpusReport {
        name,
        format: spec.format,
        path: spec.path.to_string_lossy().into_owned(),
        mapping: map.name().to_string(),
        scheme: corpus.scheme,
        docs_read,
        docs_evaluated: docs.len(),
        tokens: docs.iter().map(|d| speed::whitespace_tokens(&d.text)).sum(),
        chars: docs.iter().map(|d| d.text.chars().count()).sum(),
        malformed_lines: corpus.malformed_lines,
        skipped_records: corpus.skipped_records,
        problems: corpus.problems.clone(),
        gold_ampel_docs: docs.iter().filter(|d| d.ampel.is_some()).count(),
        gold_by_label,
        ignored_labels,
        unmapped_labels: unmapped,
        evaluated_labels: evaluated.into_iter().collect(),
        modes: mode_reports,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(i: usize) -> GoldDoc {
        GoldDoc {
            id: i.to_string(),
            text: String::new(),
            entities: Vec::new(),
            ampel: None,
        }
    }

    #[test]
    fn modes_default_to_what_is_possible() {
        assert_eq!(resolve_modes(&[], false).unwrap(), vec![Mode::Rules]);
        assert_eq!(resolve_modes(&[], true).unwrap(), Mode::ALL.to_vec());
        assert!(matches!(
            resolve_modes(&[Mode::Fused], false),
            Err(EvalError::NoModel("fused"))
        ));
        assert_eq!(
            resolve_modes(&[Mode::Fused, Mode::Rules, Mode::Fused], true).unwrap(),
            vec![Mode::Rules, Mode::Fused]
        );
        let o = Mode::Model.options();
        assert!(o.model && !o.rules);
    }

    #[test]
    fn limit_and_seeded_sample_are_deterministic() {
        let docs: Vec<GoldDoc> = (0..50).map(doc).collect();
        let first = select(docs.clone(), Some(3), None);
        assert_eq!(
            first.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["0", "1", "2"]
        );
        let a = select(docs.clone(), Some(10), Some(7));
        let b = select(docs.clone(), Some(10), Some(7));
        let c = select(docs.clone(), Some(10), Some(8));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 10);
        let ids: Vec<usize> = a.iter().map(|d| d.id.parse().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "kept in corpus order");
        assert_eq!(select(docs.clone(), Some(99), Some(1)).len(), 50);
        assert_eq!(select(docs, None, None).len(), 50);
    }

    #[test]
    fn clap_parses_the_arguments() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            eval: EvalArgs,
        }
        let c = Cli::try_parse_from([
            "eval",
            "--data",
            "germeval:a.tsv",
            "--data",
            "jsonl:b.jsonl",
            "--modes",
            "rules,fused",
            "--limit",
            "5",
            "--sample",
            "3",
            "--batch-size",
            "1",
            "--inner",
            "--no-progress",
        ])
        .unwrap();
        assert_eq!(c.eval.data.len(), 2);
        assert_eq!(c.eval.modes, vec![Mode::Rules, Mode::Fused]);
        assert_eq!(
            (c.eval.limit, c.eval.sample, c.eval.batch_size),
            (Some(5), Some(3), 1)
        );
        assert!(c.eval.inner && c.eval.no_progress);
        assert!(Cli::try_parse_from(["eval"]).is_err(), "--data is required");
        let d = Cli::try_parse_from(["eval", "--data", "conll:x"]).unwrap();
        assert_eq!(d.eval.batch_size, DEFAULT_BATCH_SIZE);
        assert!(d.eval.modes.is_empty() && d.eval.report.is_none());
    }

    #[test]
    fn byte_spans_become_code_points() {
        use crate::types::{Source, Span};
        let text = "Grüße von Jürgen";
        let start = text.find("Jürgen").unwrap();
        let e = Entity {
            span: Span::new(start, text.len()),
            label: Label::Person,
            score: 1.0,
            source: Source::Rule,
        };
        assert_eq!(
            mentions(text, &[e]),
            vec![Mention::new(10, 16, Label::Person)]
        );
    }

    #[test]
    fn command_line_round_trips_the_options() {
        let mut a = EvalArgs::new(["germeval:data/dev.tsv", "jsonl:my file.jsonl"]);
        a.limit = Some(300);
        a.modes = vec![Mode::Rules];
        assert_eq!(
            a.command_line(),
            "ampel eval --data germeval:data/dev.tsv --data 'jsonl:my file.jsonl' --limit 300 --modes rules"
        );
    }
}
