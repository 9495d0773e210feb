//! `pzr output`: each managed resource's ARN and status, and the event
//! tracker's trackingId, for wiring into applications.

use std::path::PathBuf;

use clap::Args;

use super::{Failure, GlobalArgs, ReportFormat};
use crate::ops::{self, output::to_text};

#[derive(Debug, Args)]
#[command(after_help = OUTPUT_EXAMPLES)]
pub struct OutputArgs {
    /// The spec file.
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    /// How to print it (text or json).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

pub async fn run(global: &GlobalArgs, args: OutputArgs) -> Result<u8, Failure> {
    let outputs = ops::output(&global.target(), &args.file).await?;
    match args.format {
        ReportFormat::Text => print!("{}", to_text(&outputs)),
        ReportFormat::Json => {
            let json = serde_json::to_value(&outputs).map_err(anyhow::Error::from)?;
            println!("{json:#}");
        }
    }
    Ok(0)
}

const OUTPUT_EXAMPLES: &str = "Examples:
  pzr output -f pzr.yaml                                  # address, status and ARN per line
  pzr output -f pzr.yaml --format json | jq -r '.resources[] | select(.trackingId) | .trackingId'
  pzr --sandbox output -f examples/retail.yaml            # against the local sandbox";
