use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ExitCode::from(pzr::cli::main(pzr::cli::Cli::parse()))
}
