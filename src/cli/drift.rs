//! `pzr drift`: for cron. Exit 0 in sync, 2 drift, 1 error; no prompts.

use std::path::PathBuf;

use clap::Args;

use super::plan::{plan_file, text_style};
use super::{Failure, Format, GlobalArgs};
use crate::plan::{drift, PlanOptions, Refusal};
use crate::render;

#[derive(Debug, Args)]
#[command(after_help = DRIFT_EXAMPLES)]
pub struct DriftArgs {
    /// The spec file.
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub async fn run(global: &GlobalArgs, args: DriftArgs) -> Result<u8, Failure> {
    let (plan, live) = plan_file(global, &args.file, PlanOptions::default()).await?;
    // Drift is reported whatever is protected or blocked; a conflict means
    // there is no managed state to compare.
    if let Some(conflict) = plan
        .refusals(true)
        .into_iter()
        .find(|r| matches!(r, Refusal::Conflict(_)))
    {
        return Err(Failure::refused(conflict, &plan));
    }
    let report = drift::report(&plan, &live);
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
