//! The command line (clap derive; doc comments are the `--help` text).
//!
//! This is the only module that prints to stdout, owns `anyhow`, and decides
//! exit statuses:
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success (for `check --exit-code`: GREEN) |
//! | 1 | runtime failure (I/O, model inference, server) |
//! | 2 | usage error or unusable input (invalid UTF-8, empty, too large, bad policy or map) |
//! | 3 | no model found, or the model could not be loaded |
//! | 10 / 20 | `check --exit-code` only: YELLOW / RED |

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::analyzer::{Analysis, AnalyzeOptions, Analyzer, DEFAULT_MAX_TEXT_BYTES};
use crate::model::{DeviceChoice, NerModel};
use crate::policy::Policy;
use crate::redact::{restore, Mapping, RedactMode};
use crate::rules::RuleSet;
use crate::text::Text;
use crate::types::{Ampel, Label};

/// Folder of the default model, relative to the repository (or to the
/// current directory, or next to the executable).
pub const DEFAULT_MODEL_DIR: &str = "models/ampel-ner-de";

/// ampel — decides whether a German text may go to a cloud AI assistant
/// (GREEN / YELLOW / RED), redacts it with placeholders, and restores the
/// originals in the AI's answer. Everything runs locally; nothing is sent
/// anywhere.
#[derive(Debug, Parser)]
#[command(name = "ampel", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the verdict, reasons and highlighted spans of one text.
    Check(CheckArgs),
    /// Replace personal data with placeholders; optionally write the mapping.
    Redact(RedactArgs),
    /// Put the originals back into an AI answer, using a mapping file.
    Restore(RestoreArgs),
    /// Analyse JSON lines (the SPEC format): stdin → stdout, one line per line.
    Analyze(AnalyzeArgs),
    /// Run the gRPC daemon.
    Serve(ServeCmd),
    /// Drive a running daemon with load and report requests/s and latency.
    Bench(crate::server::BenchArgs),
    /// Measure detector accuracy and speed on annotated corpora.
    Eval(EvalCmd),
    /// Inspect or download models.
    Model(ModelCmd),
}

/// Flags that choose the detectors and the policy.
#[derive(Debug, Clone, Args)]
pub struct EngineArgs {
    /// Model folder (config.json, tokenizer.json, model.safetensors) or
    /// `hf:owner/name[@revision]` from the local Hugging Face cache.
    /// Default: the shipped model in `models/`.
    #[arg(long, env = "AMPEL_MODEL", value_name = "DIR|hf:REPO")]
    pub model: Option<String>,
    /// Use only the deterministic rules (no model needed).
    #[arg(long, env = "AMPEL_RULES_ONLY", conflicts_with = "model_only")]
    pub rules_only: bool,
    /// Use only the NER model, no rules or lexicons (to see what the model
    /// contributes; the shipped system is rules and model fused).
    #[arg(long)]
    pub model_only: bool,
    /// Device for the model: auto, cpu, cuda[:N] or metal.
    #[arg(long, env = "AMPEL_DEVICE", default_value = "auto")]
    pub device: String,
    /// Verdict policy TOML (default: the embedded policy).
    #[arg(long, env = "AMPEL_POLICY", value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Report only these labels (comma-separated SPEC labels).
    #[arg(long, value_delimiter = ',', value_name = "LABEL,…")]
    pub labels: Vec<String>,
    /// Maximum size of one text in bytes.
    #[arg(long, env = "AMPEL_MAX_TEXT_BYTES", default_value_t = DEFAULT_MAX_TEXT_BYTES)]
    pub max_text_bytes: usize,
}

/// `ampel check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Input file, or `-` for stdin.
    #[arg(default_value = "-")]
    pub input: String,
    /// Print the analysis as one JSON object (SPEC format plus reasons).
    #[arg(long)]
    pub json: bool,
    /// Colours: auto, always or never.
    #[arg(long, default_value = "auto")]
    pub color: String,
    /// Exit with 0 for GREEN, 10 for YELLOW, 20 for RED.
    #[arg(long)]
    pub exit_code: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub engine: EngineArgs,
}

/// `ampel redact`.
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Input file, or `-` for stdin.
    #[arg(default_value = "-")]
    pub input: String,
    /// Write the placeholder → original mapping here (JSON; keep it private).
    #[arg(long, value_name = "MAP.json")]
    pub map: Option<PathBuf>,
    /// placeholder (`[PERSON_1]`), category (`[PERSON]`) or mask (`█████`).
    #[arg(long, default_value = "placeholder")]
    pub mode: RedactMode,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub engine: EngineArgs,
}

/// `ampel restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The mapping written by `ampel redact --map`.
    #[arg(long, value_name = "MAP.json")]
    pub map: PathBuf,
    /// The AI answer, a file or `-` for stdin.
    #[arg(default_value = "-")]
    pub input: String,
}

/// `ampel analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Read and write JSON lines (the only mode; kept explicit for scripts).
    #[arg(long, required = true)]
    pub jsonl: bool,
    /// Texts per model batch.
    #[arg(long, default_value_t = 16)]
    pub batch_size: usize,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub engine: EngineArgs,
}

/// `ampel serve`.
#[derive(Debug, Args)]
pub struct ServeCmd {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub serve: crate::server::ServeArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub engine: EngineArgs,
}

/// `ampel eval`.
#[derive(Debug, Args)]
pub struct EvalCmd {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub eval: crate::eval::EvalArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub engine: EngineArgs,
}

/// `ampel model`.
#[derive(Debug, Args)]
pub struct ModelCmd {
    #[command(subcommand)]
    #[allow(missing_docs)]
    pub action: ModelAction,
}

/// `ampel model info|fetch`.
#[derive(Debug, Subcommand)]
pub enum ModelAction {
    /// Load a model and describe it (default: the shipped model).
    Info {
        /// Model folder or `hf:owner/name[@revision]`.
        #[arg(long, env = "AMPEL_MODEL")]
        model: Option<String>,
        /// Device: auto, cpu, cuda[:N] or metal.
        #[arg(long, default_value = "auto")]
        device: String,
    },
    /// Download `hf:owner/name[@revision]` into the Hugging Face cache (the
    /// only command that uses the network).
    Fetch {
        /// `hf:owner/name[@revision]` or `owner/name[@revision]`.
        repo: String,
    },
}

/// A failure with its exit status.
#[derive(Debug)]
struct Failure {
    code: u8,
    err: anyhow::Error,
}

fn fail<E: Into<anyhow::Error>>(code: u8) -> impl FnOnce(E) -> Failure {
    move |e| Failure {
        code,
        err: e.into(),
    }
}

/// Parse arguments, run, and map the outcome to an exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(matches!(cli.command, Command::Serve(_)));
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            // Errors carry paths, sizes and causes, never input text.
            eprintln!("ampel: error: {:#}", f.err);
            ExitCode::from(f.code)
        }
    }
}

fn init_logging(serving: bool) {
    let default = if serving { "info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("AMPEL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(io::stderr().is_terminal())
        .with_writer(io::stderr)
        .try_init();
}

fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Check(a) => check(a),
        Command::Redact(a) => redact_cmd(a),
        Command::Restore(a) => restore_cmd(a),
        Command::Analyze(a) => analyze_cmd(a),
        Command::Serve(a) => serve_cmd(a),
        Command::Bench(a) => bench_cmd(a),
        Command::Eval(a) => eval_cmd(a),
        Command::Model(m) => model_cmd(m.action),
    }
}

// ---------------------------------------------------------------- engine

/// Where the default model lives: next to the sources when run from a
/// checkout, else relative to the current directory or the executable.
pub fn default_model_dir() -> PathBuf {
    let candidates = [
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_MODEL_DIR)),
        Some(PathBuf::from(DEFAULT_MODEL_DIR)),
        std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join(DEFAULT_MODEL_DIR))),
    ];
    candidates
        .iter()
        .flatten()
        .find(|p| p.join("config.json").is_file())
        .cloned()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_MODEL_DIR))
}

struct Engine {
    analyzer: Analyzer,
    opts: AnalyzeOptions,
    load_time: Option<Duration>,
}

fn load_model(spec: Option<&str>, device: &str) -> Result<(NerModel, Duration), Failure> {
    let device: DeviceChoice = device
        .parse()
        .map_err(fail::<crate::model::UnknownDevice>(2))?;
    let dir = match spec {
        Some(s) => crate::model::resolve(s).map_err(fail(3))?,
        None => {
            let dir = default_model_dir();
            if !dir.join("config.json").is_file() {
                return Err(fail(3)(anyhow::anyhow!(
                    "no model installed (looked for {}). Run with --rules-only, pass --model DIR, \
                     or download one with `ampel model fetch hf:owner/name`",
                    dir.display()
                )));
            }
            dir
        }
    };
    let t = Instant::now();
    let model = NerModel::load(&dir, device)
        .with_context(|| format!("cannot load model from {}", dir.display()))
        .map_err(fail(3))?;
    Ok((model, t.elapsed()))
}

fn engine(a: &EngineArgs) -> Result<Engine, Failure> {
    let policy = match &a.policy {
        Some(p) => Policy::from_file(p).map_err(fail(2))?,
        None => Policy::default(),
    };
    let labels = if a.labels.is_empty() {
        None
    } else {
        Some(
            a.labels
                .iter()
                .map(|l| l.parse::<Label>())
                .collect::<Result<BTreeSet<_>, _>>()
                .map_err(fail(2))?,
        )
    };
    let (model, load_time) = if a.rules_only {
        (None, None)
    } else {
        let (m, t) = load_model(a.model.as_deref(), &a.device)?;
        (Some(m), Some(t))
    };
    let analyzer =
        Analyzer::new(RuleSet::new(), model, policy).with_max_text_bytes(a.max_text_bytes);
    Ok(Engine {
        analyzer,
        opts: AnalyzeOptions {
            labels,
            rules: !a.model_only,
            ..AnalyzeOptions::default()
        },
        load_time,
    })
}

/// Read a whole input (file or `-`) as UTF-8, with clear errors.
fn read_input(input: &str, max: usize) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    let what = if input == "-" {
        "standard input".to_string()
    } else {
        input.to_string()
    };
    let res = if input == "-" {
        io::stdin()
            .lock()
            .take(max as u64 + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(input).and_then(|f| f.take(max as u64 + 1).read_to_end(&mut bytes))
    };
    res.with_context(|| format!("cannot read {what}"))
        .map_err(fail(2))?;
    if bytes.len() > max {
        return Err(fail(2)(anyhow::anyhow!(
            "{what} is larger than the limit of {max} bytes (raise it with --max-text-bytes, \
             or split the text; `ampel analyze --jsonl` takes one text per line)"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(2)(anyhow::anyhow!(
            "{what} is not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(fail(2)(anyhow::anyhow!(
            "{what} is empty: nothing to check"
        )));
    }
    Ok(text)
}

fn analyze_one(e: &Engine, text: &str) -> Result<Analysis, Failure> {
    e.analyzer.analyze(text, &e.opts).map_err(|err| match err {
        crate::Error::TextTooLarge { .. } => fail(2)(err),
        other => fail(1)(other),
    })
}

// ---------------------------------------------------------------- check

fn check(a: CheckArgs) -> Result<u8, Failure> {
    let e = engine(&a.engine)?;
    let text = read_input(&a.input, a.engine.max_text_bytes)?;
    let analysis = analyze_one(&e, &text)?;
    let mut out = io::stdout().lock();
    let res = if a.json {
        let wire = crate::jsonl::WireResult::new(
            serde_json::Value::String(a.input.clone()),
            &text,
            &analysis,
        );
        serde_json::to_string_pretty(&wire)
            .map_err(io::Error::other)
            .and_then(|s| writeln!(out, "{s}"))
    } else {
        let color = match a.color.as_str() {
            "always" => true,
            "never" => false,
            _ => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        };
        render_check(&mut out, &text, &analysis, color)
    };
    res.context("cannot write to standard output")
        .map_err(fail(1))?;
    Ok(if a.exit_code {
        match analysis.verdict.ampel {
            Ampel::Green => 0,
            Ampel::Yellow => 10,
            Ampel::Red => 20,
        }
    } else {
        0
    })
}

fn label_color(l: Label) -> &'static str {
    match l {
        Label::Person => "45",
        Label::Organization | Label::Location => "44",
        Label::Address => "46",
        Label::Health | Label::SpecialCategory => "41",
        Label::Date => "100",
        _ => "43",
    }
}

fn render_check(out: &mut impl Write, text: &str, a: &Analysis, color: bool) -> io::Result<()> {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let (dot, meaning) = match a.verdict.ampel {
        Ampel::Green => ("1;32", "unbedenklich — may go to an AI tool as is"),
        Ampel::Yellow => ("1;33", "only after anonymisation — use the redacted text"),
        Ampel::Red => (
            "1;31",
            "not for a consumer AI tool — only with a data processing agreement (AVV)",
        ),
    };
    writeln!(
        out,
        "{} {}",
        paint(dot, &format!("● {}", a.verdict.ampel)),
        meaning
    )?;
    for r in &a.verdict.reasons {
        writeln!(out, "  - {}", r.message)?;
    }
    if a.entities.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let mut pos = 0;
    let mut body = String::new();
    for e in &a.entities {
        body.push_str(text.get(pos..e.span.start).unwrap_or(""));
        let surface = text.get(e.span.start..e.span.end).unwrap_or("");
        if color {
            body.push_str(&paint(&format!("{};97", label_color(e.label)), surface));
            body.push_str(&paint("2", &format!("[{}]", e.label)));
        } else {
            body.push_str(&format!("⟦{surface}|{}⟧", e.label));
        }
        pos = e.span.end;
    }
    body.push_str(text.get(pos..).unwrap_or(""));
    writeln!(out, "{}", body.trim_end())?;
    writeln!(out)?;
    let t = Text::new(text);
    for e in &a.entities {
        let (s, end) = t.char_span(e.span);
        writeln!(
            out,
            "  {:>5}..{:<5} {:<16} {:<10} {:.2}",
            s,
            end,
            e.label.as_str(),
            e.source.as_str(),
            e.score
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------- redact / restore

fn redact_cmd(a: RedactArgs) -> Result<u8, Failure> {
    let mut e = engine(&a.engine)?;
    e.opts.mode = a.mode;
    let text = read_input(&a.input, a.engine.max_text_bytes)?;
    let analysis = analyze_one(&e, &text)?;
    if let Some(path) = &a.map {
        let json = serde_json::to_string_pretty(&analysis.redaction.mapping).map_err(fail(1))?;
        write_private(path, json.as_bytes())
            .with_context(|| format!("cannot write mapping to {}", path.display()))
            .map_err(fail(1))?;
    } else if a.mode == RedactMode::Placeholder && !analysis.redaction.mapping.is_empty() {
        eprintln!("ampel: note: no --map given; the placeholders cannot be restored later");
    }
    let mut out = io::stdout().lock();
    out.write_all(analysis.redaction.text.as_bytes())
        .and_then(|_| out.flush())
        .context("cannot write to standard output")
        .map_err(fail(1))?;
    Ok(0)
}

/// Write a file readable only by its owner (the mapping is personal data).
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?.write_all(bytes)
}

fn restore_cmd(a: RestoreArgs) -> Result<u8, Failure> {
    let raw = std::fs::read_to_string(&a.map)
        .with_context(|| format!("cannot read mapping {}", a.map.display()))
        .map_err(fail(2))?;
    let mapping: Mapping = serde_json::from_str(&raw)
        .with_context(|| format!("{} is not an ampel mapping file", a.map.display()))
        .map_err(fail(2))?;
    let answer = read_input(&a.input, usize::MAX / 2)?;
    let mut out = io::stdout().lock();
    out.write_all(restore(&answer, &mapping).as_bytes())
        .and_then(|_| out.flush())
        .context("cannot write to standard output")
        .map_err(fail(1))?;
    Ok(0)
}

// ---------------------------------------------------------------- analyze --jsonl

fn analyze_cmd(a: AnalyzeArgs) -> Result<u8, Failure> {
    let e = engine(&a.engine)?;
    let show = !a.no_progress && io::stderr().is_terminal();
    let bar = if show {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} lines  {per_sec}  {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let stdout = io::stdout();
    let mut output = io::BufWriter::new(stdout.lock());
    let summary = crate::jsonl::run(
        &e.analyzer,
        &e.opts,
        &mut input,
        &mut output,
        a.batch_size,
        |n| bar.set_position(n as u64),
    )
    .context("I/O error in the JSON line loop")
    .map_err(fail(1))?;
    bar.finish_and_clear();
    if summary.errors > 0 {
        tracing::warn!(
            lines = summary.lines,
            errors = summary.errors,
            "some lines could not be analysed"
        );
    }
    Ok(0)
}

// ---------------------------------------------------------------- serve / bench / eval

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
        .map_err(fail(1))
}

/// `--model-only` is a per-call switch of check, redact and analyze; the
/// daemon takes it per request and eval per mode, so there it is refused.
fn refuse_model_only(e: &EngineArgs, instead: &str) -> Result<(), Failure> {
    if e.model_only {
        return Err(Failure {
            code: 2,
            err: anyhow::anyhow!("--model-only is not a flag of this command; {instead}"),
        });
    }
    Ok(())
}

fn serve_cmd(a: ServeCmd) -> Result<u8, Failure> {
    refuse_model_only(&a.engine, "clients choose the detectors per request")?;
    let cfg = a.serve.resolve().map_err(fail(2))?;
    let e = engine(&a.engine)?;
    runtime()?
        .block_on(crate::server::run(cfg, Arc::new(e.analyzer)))
        .map_err(fail(1))?;
    Ok(0)
}

fn bench_cmd(a: crate::server::BenchArgs) -> Result<u8, Failure> {
    let report = runtime()?
        .block_on(crate::server::bench(&a))
        .map_err(fail(1))?;
    println!("{report}");
    Ok(0)
}

fn eval_cmd(a: EvalCmd) -> Result<u8, Failure> {
    refuse_model_only(&a.engine, "use --modes model")?;
    let e = engine(&a.engine)?;
    let outcome = crate::eval::run(&a.eval, &e.analyzer, e.load_time).map_err(fail(1))?;
    println!("{}", outcome.table);
    for f in &outcome.files {
        eprintln!("ampel: wrote {}", f.display());
    }
    Ok(0)
}

// ---------------------------------------------------------------- model

fn model_cmd(a: ModelAction) -> Result<u8, Failure> {
    match a {
        ModelAction::Info { model, device } => {
            let (m, took) = load_model(model.as_deref(), &device)?;
            let info = m.info();
            println!("name:      {}", info.name);
            println!("revision:  {}", info.revision);
            println!("device:    {}", info.device);
            println!("labels:    {}", info.labels.join(" "));
            println!("load time: {:.0} ms", took.as_secs_f64() * 1e3);
            Ok(0)
        }
        ModelAction::Fetch { repo } => {
            let spec = repo.strip_prefix("hf:").unwrap_or(&repo);
            let (name, rev) = match spec.split_once('@') {
                Some((n, r)) => (n, Some(r)),
                None => (spec, None),
            };
            let dir = crate::model::fetch(name, rev).map_err(fail(1))?;
            println!("{}", dir.display());
            Ok(0)
        }
    }
}
