//! The daemon's two error types: [`ServerError`] ends `ampel serve` (bad
//! configuration, a port in use, a transport failure), [`ServiceError`] ends
//! one request and becomes a gRPC status in exactly one `From` impl
//! (`convert.rs`) — and, later, an HTTP status in one more. Messages never
//! contain input text.

use super::seal::SealError;

/// Why the daemon (or the load generator) could not start or run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// Invalid flags, environment or config file.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A file or socket operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The gRPC transport failed.
    #[error("gRPC transport error: {0}")]
    Transport(#[from] tonic::transport::Error),
    /// A call of the load generator failed.
    #[error("request failed: {0}")]
    Rpc(String),
    /// A broken invariant inside the daemon.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Why one request failed. Converted to a `tonic::Status` in `convert.rs`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ServiceError {
    /// The request is malformed (bad options, bad policy TOML …).
    #[error("{0}")]
    InvalidArgument(String),
    /// The text is larger than the limit.
    #[error("text too large: {len} bytes, the limit is {max} bytes")]
    TextTooLarge { len: usize, max: usize },
    /// The queue is full; retry later.
    #[error("the analysis queue is full ({capacity} texts); retry with backoff")]
    QueueFull { capacity: usize },
    /// The request's deadline passed before the analysis finished.
    #[error("deadline exceeded before the analysis finished")]
    DeadlineExceeded,
    /// The daemon is shutting down or its worker is gone.
    #[error("{0}")]
    Unavailable(String),
    /// A restore handle could not be opened.
    #[error(transparent)]
    Handle(#[from] SealError),
    /// A broken invariant; details are logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}
