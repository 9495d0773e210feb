//! `pzr drift`: for cron. Exit 0 in sync, 2 drift, 1 error; no prompts.

use std::path::PathBuf;

use clap::Args;

use super::plan::text_style;
use super::{Failure, Format, GlobalArgs};
use crate::ops::{self, Drift};
use crate::render;

#[derive(Debug, Args)]
#[command(after_help = DRIFT_EXAMPLES)]
pub struct DriftArgs {
    /// The spec file.
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    /// How to print it (text, json or markdown).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub async fn run(global: &GlobalArgs, args: DriftArgs) -> Result<u8, Failure> {
    let Drift { plan, report } = ops::drift(&global.target(), &args.file).await?;
    match args.format {
        Format::Text => print!(
            "{}",
            render::text::drift(&plan, &report, text_style(global))
        ),
        Format::Json => println!("{:#}", render::json::drift(&plan, &report)),
        Format::Markdown => print!("{}", render::markdown::drift(&plan, &report)),
    }
    Ok(if report.in_sync { 0 } else { 2 })
}

const DRIFT_EXAMPLES: &str = "Examples:
  pzr drift -f pzr.yaml                      # exit 0 in sync, 2 drift, 1 error
  pzr drift -f pzr.yaml --format json        # {\"inSync\": ..., \"unmanaged\": [...]}
  pzr drift -f pzr.yaml --format markdown    # for an issue";
