//! The command line.

use std::process::ExitCode;

/// Parse arguments, run, and map the outcome to an exit status.
pub fn main() -> ExitCode {
    ExitCode::SUCCESS
}
