//! The engine's error type. Libraries return precise errors; `anyhow` lives
//! only in the CLI. Each wire mapping (gRPC status, JSON line `error`) is one
//! conversion from this type.

use crate::model::ModelError;
use crate::policy::PolicyError;

/// Everything that can go wrong while analysing a text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input exceeds the configured size limit.
    #[error("text too large: {len} bytes, the limit is {max} bytes")]
    TextTooLarge {
        /// Input size in bytes.
        len: usize,
        /// Configured limit in bytes.
        max: usize,
    },
    /// The model failed to load or run.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The policy file is invalid.
    #[error(transparent)]
    Policy(#[from] PolicyError),
}
