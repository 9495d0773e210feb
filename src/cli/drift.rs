//! `pzr drift`: for cron. Exit 0 in sync, 2 drift, 1 error; no prompts.

use std::path::PathBuf;

use clap::Args;

use super::plan::{compute, load_spec, use_color};
use super::session::Session;
use super::{Failure, Format, GlobalArgs};
use crate::plan::{drift, PlanOptions};
use crate::render;

#[derive(Debug, Args)]
pub struct DriftArgs {
    /// The spec file.
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub async fn run(global: &GlobalArgs, args: DriftArgs) -> Result<u8, Failure> {
    let spec = load_spec(&args.file)?;
    let session = Session::open(global, spec.file.region.as_deref()).await?;
    let result = compute(&session.client, &spec, PlanOptions::default()).await;
    session.close().await;
    let (plan, live) = result?;
    super::plan::check_conflicts(&plan)?;
    let report = drift::report(&plan, &live);
    match args.format {
        Format::Text => print!(
            "{}",
            render::text::drift(
                &plan,
                &report,
                render::text::Style {
                    color: use_color(global)
                }
            )
        ),
        Format::Json => println!("{:#}", render::json::drift(&plan, &report)),
        Format::Markdown => print!("{}", render::markdown::drift(&plan, &report)),
    }
    Ok(if report.in_sync { 0 } else { 2 })
}
