//! `pzr export`: write a spec from live groups.

use std::path::PathBuf;

use clap::Args;
use regex::Regex;

use super::session::{aws_failure, Session};
use super::{Failure, GlobalArgs};
use crate::export;
use crate::live::{self, ExtraReads, LiveGroup};

#[derive(Debug, Args)]
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
    let session = Session::open(global, None).await?;
    let result = read(&session, &args).await;
    session.close().await;
    let spec = result?;
    let yaml = export::to_yaml(&spec).map_err(anyhow::Error::from)?;
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

async fn read(session: &Session, args: &ExportArgs) -> Result<crate::spec::SpecFile, Failure> {
    let stack = args.stack.as_str();
    let selected = |g: &LiveGroup| match &args.pattern {
        Some(re) => g.stack() != Some(stack) && re.is_match(&g.name),
        None => g.stack() == Some(stack),
    };
    let mut state = live::read(&session.client, selected)
        .await
        .map_err(aws_failure)?;
    let schema_definitions = state
        .groups
        .iter()
        .filter(|g| selected(g))
        .flat_map(|g| g.datasets.iter().map(|d| d.schema_arn.clone()))
        .collect();
    live::read_extra(
        &session.client,
        &mut state,
        &ExtraReads {
            schema_definitions,
            ..Default::default()
        },
    )
    .await
    .map_err(aws_failure)?;
    let groups: Vec<&LiveGroup> = state.groups.iter().filter(|g| selected(g)).collect();
    Ok(export::spec_for(stack, &state, &groups))
}
