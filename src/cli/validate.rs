//! `pzr validate` (issue 3).

use std::path::PathBuf;

use clap::Args;

use super::{Failure, Format, GlobalArgs};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The spec file.
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(_global: &GlobalArgs, _args: ValidateArgs) -> Result<u8, Failure> {
    todo!("issue 3")
}
