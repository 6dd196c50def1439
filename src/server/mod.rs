//! The gRPC daemon (`ampel serve`) — stub until the server branch lands.

use std::sync::Arc;

/// `ampel serve` flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {}

/// `ampel bench` flags.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {}

/// Validated server config.
pub struct ServeConfig {}

/// Server errors.
#[derive(Debug, thiserror::Error)]
#[error("server error: {0}")]
pub struct ServerError(String);

impl ServeArgs {
    /// Resolve flags.
    pub fn resolve(&self) -> Result<ServeConfig, ServerError> {
        Ok(ServeConfig {})
    }
}

/// Run the server.
pub async fn run(_cfg: ServeConfig, _a: Arc<crate::Analyzer>) -> Result<(), ServerError> {
    Err(ServerError("not implemented".into()))
}

/// Run the load generator.
pub async fn bench(_a: &BenchArgs) -> Result<String, ServerError> {
    Err(ServerError("not implemented".into()))
}
