//! `pzr apply -f SPEC` and `pzr apply PLAN.json`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::console::Terminal;
use super::{Failure, GlobalArgs};
use crate::apply::{wait::PollPolicy, ApplyOptions, Report};
use crate::live::LimitRetry;
use crate::ops::{self, ApplyOpts};
use crate::plan::{Plan, PlanOptions, Step};
use crate::resource::Address;

#[derive(Debug, Args)]
#[command(after_help = APPLY_EXAMPLES)]
// Both together: apply the saved plan, refusing it if the spec changed since.
#[command(group = clap::ArgGroup::new("source").required(true).multiple(true).args(["file", "plan"]))]
pub struct ApplyArgs {
    /// The spec file: plan it now, then apply.
    #[arg(short = 'f', long = "file")]
    pub file: Option<PathBuf>,
    /// A plan saved with `pzr plan -o`: apply exactly it, or refuse if stale
    /// (with `-f`, also if the spec changed since).
    pub plan: Option<PathBuf>,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Allow deleting or replacing dataset groups and datasets (their data is lost).
    #[arg(long)]
    pub allow_destroy: bool,
    /// Delete unmanaged resources (solutions, trackers, ...) inside groups being deleted.
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
    /// Dataset groups (with their datasets) worked on at once.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub parallelism: u16,
    /// Longest wait for one resource to become ACTIVE or gone (e.g. 30m, 90s).
    #[arg(long, default_value = "30m", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
    /// Shortest pause between two status polls of a resource.
    #[arg(long, env = "PZR_POLL_INTERVAL", default_value = "300ms", value_parser = humantime::parse_duration, hide = true)]
    pub poll_interval: Duration,
    /// First pause before retrying a call refused with
    /// LimitExceededException; the later pauses, the cap and the total time
    /// scale with it.
    #[arg(long, env = "PZR_LIMIT_BACKOFF", default_value = "500ms", value_parser = humantime::parse_duration, hide = true)]
    pub limit_backoff: Duration,
}

pub async fn run(global: &GlobalArgs, args: ApplyArgs) -> Result<u8, Failure> {
    let opts = ApplyOpts {
        file: args.file.as_deref(),
        saved: args.plan.as_deref(),
        auto_approve: args.auto_approve,
        allow_destroy: args.allow_destroy,
        plan: PlanOptions {
            cascade: args.cascade,
            replace: args.replace.into_iter().collect(),
            train: args.train.into_iter().collect(),
        },
        execution: ApplyOptions {
            parallelism: usize::from(args.parallelism),
            timeout: args.timeout,
            poll: PollPolicy {
                min_interval: args.poll_interval,
                ..PollPolicy::default()
            },
        },
        limit_retry: LimitRetry::scaled(args.limit_backoff),
    };
    let applied = ops::apply(&global.target(), &opts, &Terminal::new(global)).await?;
    let Some(report) = &applied.report else {
        if !global.quiet {
            print_deferred(&applied.plan);
        }
        return Ok(0);
    };
    print_report(&applied.plan, report, global.quiet);
    Ok(if report.interrupted {
        130
    } else if report.succeeded() {
        0
    } else {
        1
    })
}

/// What the steps did. `quiet` (-q: only errors) leaves out deferrals and
/// the summary of an apply that succeeded.
fn print_report(plan: &Plan, report: &Report, quiet: bool) {
    let label = |id: &usize| plan.steps.get(*id).map(Step::label).unwrap_or_default();
    if quiet && report.succeeded() && !report.interrupted {
        return;
    }
    eprintln!();
    for (id, why) in &report.failed {
        eprintln!("failed: {}: {why}", label(id));
    }
    for id in &report.skipped {
        eprintln!("skipped: {} (a step it depends on failed)", label(id));
    }
    for id in &report.stopped {
        eprintln!(
            "stopped waiting: {} (its call was made; the next apply finishes it)",
            label(id)
        );
    }
    for id in &report.not_started {
        eprintln!("not started: {}", label(id));
    }
    if !quiet {
        print_deferred(plan);
        for (id, why) in &report.deferred {
            eprintln!("deferred: {}: {why}", label(id));
        }
    }
    let verdict = if report.interrupted {
        "Apply interrupted; run it again to finish"
    } else if report.succeeded() {
        "Apply complete"
    } else {
        "Apply failed"
    };
    // Per resource, as the plan counts its changes.
    let tally = report.tally(&plan.steps);
    let deferred = match tally.deferred {
        0 => String::new(),
        n => format!(", {n} deferred"),
    };
    eprintln!(
        "{verdict}: {} done, {} failed, {} skipped, {} stopped, {} not started{deferred} in {:.1}s.",
        tally.done,
        tally.failed,
        tally.skipped,
        tally.stopped,
        tally.not_started,
        report.elapsed.as_secs_f64()
    );
}

/// The creates this apply leaves to a later one, and why.
fn print_deferred(plan: &Plan) {
    for c in &plan.changes {
        if let Some(why) = &c.deferred {
            eprintln!("deferred: create {}: {why}", c.address);
        }
    }
}

const APPLY_EXAMPLES: &str = "Examples:
  pzr apply -f pzr.yaml                      # shows the plan, asks for 'yes'
  pzr apply plan.json                        # exactly the saved plan, or refuse it if stale
  pzr apply -f pzr.yaml --auto-approve       # in CI: no prompt
  pzr apply -f pzr.yaml --allow-destroy --cascade   # deletes, unowned children first
  pzr --sandbox apply -f examples/retail.yaml --auto-approve";
