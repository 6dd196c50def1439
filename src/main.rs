//! The `ampel` binary: parse the command line, run, map the outcome to an
//! exit status. Everything else lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    ampel::cli::main()
}
