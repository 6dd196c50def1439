//! The benchmark harness (`ampel eval`) — stub until the eval branch lands.

use std::path::PathBuf;
use std::time::Duration;

/// `ampel eval` flags.
#[derive(Debug, Clone, clap::Args)]
pub struct EvalArgs {
    /// FORMAT:PATH
    #[arg(long = "data")]
    pub data: Vec<String>,
}

/// Result of an eval run.
pub struct EvalOutcome {
    /// Terminal table.
    pub table: String,
    /// Files written.
    pub files: Vec<PathBuf>,
}

/// Eval errors.
#[derive(Debug, thiserror::Error)]
#[error("eval error: {0}")]
pub struct EvalError(String);

/// Run an evaluation.
pub fn run(
    _args: &EvalArgs,
    _analyzer: &crate::Analyzer,
    _load: Option<Duration>,
) -> Result<EvalOutcome, EvalError> {
    Err(EvalError("not implemented".into()))
}
