//! `pzr plan` and `pzr show`, and the read-then-plan wiring apply and drift share.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;

use super::session::{aws_failure, Session};
use super::{Failure, Format, GlobalArgs};
use crate::live::LiveState;
use crate::plan::{Plan, PlanOptions, Refusal};
use crate::spec::{self, Spec};
use crate::{reconcile, render};

#[derive(Debug, Args)]
#[command(after_help = PLAN_EXAMPLES)]
pub struct PlanArgs {
    /// The spec file.
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    /// Save the plan, for `pzr apply PLAN.json` or `pzr show`.
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 2 when there are changes (0: none, 1: error).
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Plan the deletion of unmanaged resources inside groups being deleted.
    #[arg(long)]
    pub cascade: bool,
}

#[derive(Debug, Args)]
#[command(after_help = SHOW_EXAMPLES)]
pub struct ShowArgs {
    /// A plan saved with `pzr plan -o`.
    pub plan: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Loads the spec; a spec that fails validation fails here, before any network call.
pub fn load_spec(path: &Path) -> Result<Spec, Failure> {
    spec::load(path).map_err(|e| Failure {
        code: "VALIDATION_ERROR",
        details: e.details(),
        error: anyhow::Error::new(e),
        plan: None,
    })
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

/// Refuses plans with ownership conflicts or protected changes; the plan
/// itself has been shown already (or goes into the JSON failure).
pub fn check_plan(plan: &Plan) -> Result<(), Failure> {
    match plan.refusals(true).into_iter().find(Refusal::refuses_plan) {
        Some(refusal) => Err(Failure::refused(refusal, plan)),
        None => Ok(()),
    }
}

/// Loads the spec at `path` (offline, first), connects, reads and plans.
pub async fn plan_file(
    global: &GlobalArgs,
    path: &Path,
    options: PlanOptions,
) -> Result<(Plan, LiveState), Failure> {
    let spec = load_spec(path)?;
    let session = Session::open(global, spec.file.region.as_deref()).await?;
    let result = reconcile::plan_spec(&session.client, &spec, options).await;
    let endpoint = session.endpoint.clone();
    session.close().await;
    result.map_err(|e| aws_failure(e, &endpoint))
}

pub async fn run(global: &GlobalArgs, args: PlanArgs) -> Result<u8, Failure> {
    let options = PlanOptions {
        cascade: args.cascade,
    };
    let (plan, _) = plan_file(global, &args.file, options).await?;
    let checked = check_plan(&plan);
    if args.format == Format::Json && checked.is_err() {
        return checked.map(|_| 1);
    }
    print!("{}", render(&plan, args.format, global));
    checked?;
    if let Some(out) = &args.out {
        let text = serde_json::to_string_pretty(&plan).map_err(anyhow::Error::from)?;
        std::fs::write(out, text + "\n")
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
        eprintln!(
            "Saved the plan to {}; apply it with `pzr apply {}`.",
            out.display(),
            out.display()
        );
    }
    Ok(if args.detailed_exitcode && plan.has_changes() {
        2
    } else {
        0
    })
}

/// Reads a saved plan; one that is not a plan pzr can apply (another
/// format, an edited step graph) is refused here, before any network call.
pub fn read_saved(path: &Path) -> Result<Plan, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        Failure::new(
            "VALIDATION_ERROR",
            anyhow::anyhow!("{} is not a plan pzr can apply: {e}", path.display()),
        )
    })
}

pub fn show(global: &GlobalArgs, args: ShowArgs) -> Result<u8, Failure> {
    let plan = read_saved(&args.plan)?;
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
