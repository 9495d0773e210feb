//! `pzr plan` and `pzr show`, and how plans are printed.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::{Failure, Format, GlobalArgs};
use crate::ops;
use crate::plan::{Plan, PlanOptions};
use crate::render;
use crate::resource::Address;

#[derive(Debug, Args)]
#[command(after_help = PLAN_EXAMPLES)]
pub struct PlanArgs {
    /// The spec file.
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    /// Save the plan, for `pzr apply PLAN.json` or `pzr show`.
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// How to print it (text, json or markdown).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 2 when there are changes (0: none, 1: error).
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Plan the deletion of unmanaged resources inside groups being deleted.
    #[arg(long)]
    pub cascade: bool,
    /// Do ADDRESS again though nothing changed (repeatable): an import
    /// (`datasetImportJob.<group>.<type>`), or an event tracker, filter,
    /// recommender, solution or campaign, replaced (a recommender held back
    /// after it failed is retried so).
    #[arg(long, value_name = "ADDRESS")]
    pub replace: Vec<Address>,
    /// Train a new version of the solution at ADDRESS now
    /// (`solution.<group>.<key>`, repeatable), new data or not.
    #[arg(long, value_name = "ADDRESS")]
    pub train: Vec<Address>,
}

#[derive(Debug, Args)]
#[command(after_help = SHOW_EXAMPLES)]
pub struct ShowArgs {
    /// A plan saved with `pzr plan -o`.
    pub plan: PathBuf,
    /// How to print it (text, json or markdown).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How text output looks: colour per `--color`, `NO_COLOR` and whether stdout is a terminal.
pub fn text_style(global: &GlobalArgs) -> render::text::Style {
    render::text::Style {
        color: global.color.on(std::io::stdout().is_terminal()),
    }
}

pub fn render(plan: &Plan, format: Format, global: &GlobalArgs) -> String {
    match format {
        Format::Text => render::text::plan(plan, text_style(global)),
        Format::Json => format!("{:#}\n", render::json::plan(plan)),
        Format::Markdown => render::markdown::plan(plan),
    }
}

pub async fn run(global: &GlobalArgs, args: PlanArgs) -> Result<u8, Failure> {
    let options = PlanOptions {
        cascade: args.cascade,
        replace: args.replace.into_iter().collect(),
        train: args.train.into_iter().collect(),
    };
    let plan = match ops::plan(&global.target(), &args.file, &options).await {
        // People read a refused plan before the refusal; JSON has it in the envelope.
        Err(ops::Error::Refused { refusal, plan }) if args.format != Format::Json => {
            print!("{}", render(&plan, args.format, global));
            return Err(ops::Error::Refused { refusal, plan }.into());
        }
        planned => planned?,
    };
    print!("{}", render(&plan, args.format, global));
    let destructive = plan.destructive();
    if destructive > 0 && !global.quiet {
        // Said now, not first when apply refuses.
        eprintln!(
            "{destructive} of these changes delete or replace what holds data: \
             apply them with `pzr apply --allow-destroy`, or by typing `destroy {destructive}` \
             when apply asks."
        );
    }
    if let Some(out) = &args.out {
        let text = serde_json::to_string_pretty(&plan).map_err(anyhow::Error::from)?;
        std::fs::write(out, text + "\n")
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
        eprintln!(
            "Saved the plan to {}; apply it with `pzr {} apply {}`.",
            out.display(),
            plan.origin.flags(&plan.region),
            out.display()
        );
    }
    Ok(if args.detailed_exitcode && plan.has_changes() {
        2
    } else {
        0
    })
}

pub fn show(global: &GlobalArgs, args: ShowArgs) -> Result<u8, Failure> {
    let plan = ops::saved_plan(&args.plan)?;
    print!("{}", render(&plan, args.format, global));
    Ok(0)
}

const PLAN_EXAMPLES: &str = "Examples:
  pzr plan -f pzr.yaml
  pzr plan -f pzr.yaml -o plan.json --format markdown > plan.md   # a pull-request comment
  pzr plan -f pzr.yaml --detailed-exitcode                       # exit 2 when there are changes
  pzr --sandbox plan -f examples/retail.yaml                     # no AWS account needed";

const SHOW_EXAMPLES: &str = "Examples:
  pzr show plan.json
  pzr show plan.json --format markdown      # the comment a pull request got
  pzr show plan.json --format json";
