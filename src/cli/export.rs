//! `pzr export`: write a spec from live groups.

use std::path::PathBuf;

use clap::Args;
use regex::Regex;

use super::{Failure, GlobalArgs};
use crate::ops::{self, export::to_yaml, ExportSelection};

#[derive(Debug, Args)]
#[command(after_help = EXPORT_EXAMPLES)]
pub struct ExportArgs {
    /// The stack: its groups are exported, or it adopts the --match groups.
    #[arg(long, value_parser = stack_name)]
    pub stack: String,
    /// Export the groups NOT owned by the stack whose name matches, marked `adopt: true`.
    #[arg(long = "match")]
    pub pattern: Option<Regex>,
    /// Write the spec here (default: stdout).
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
}

fn stack_name(s: &str) -> Result<String, String> {
    let pattern = crate::spec::patterns::STACK;
    match Regex::new(pattern) {
        Ok(re) if re.is_match(s) => Ok(s.to_string()),
        _ => Err(format!("a stack name must match {pattern}")),
    }
}

pub async fn run(global: &GlobalArgs, args: ExportArgs) -> Result<u8, Failure> {
    let selection = match &args.pattern {
        Some(re) => ExportSelection::Matching(re.clone()),
        None => ExportSelection::Owned,
    };
    let spec = ops::export(&global.target(), &args.stack, &selection).await?;
    let yaml = to_yaml(&spec).map_err(anyhow::Error::from)?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, yaml)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            eprintln!(
                "Wrote {} dataset group(s) to {}.",
                spec.dataset_groups.len(),
                path.display()
            );
        }
        None => print!("{yaml}"),
    }
    Ok(0)
}

const EXPORT_EXAMPLES: &str = "Examples:
  pzr export --stack retail-prod -o pzr.yaml            # the stack's groups as a spec
  pzr export --stack retail-prod --match '^legacy-'     # take over groups pzr did not create";
