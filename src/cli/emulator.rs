//! `pzr emulator` (issue 2).

use clap::Args;

use super::{Failure, GlobalArgs};

#[derive(Debug, Args)]
pub struct EmulatorArgs {}

pub async fn run(_global: &GlobalArgs, _args: EmulatorArgs) -> Result<u8, Failure> {
    todo!("issue 2")
}
