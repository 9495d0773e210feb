//! `pzr apply -f SPEC` and `pzr apply PLAN.json`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::plan::{check_plan, load_spec, read_saved, render};
use super::session::{aws_failure, Session};
use super::{Failure, Format, GlobalArgs};
use crate::apply::{self, progress::Progress, wait::PollPolicy, ApplyOptions, Report};
use crate::live::LimitRetry;
use crate::plan::{Plan, PlanOptions, Step};
use crate::reconcile::{self, ReconcileError, StalePlan};
use crate::spec::Spec;

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

/// What to apply.
enum Source {
    /// A saved plan, and the spec it must have been made from, when given.
    Saved(Plan, Option<Spec>),
    /// A spec to plan now.
    Spec(Spec),
}

pub async fn run(global: &GlobalArgs, args: ApplyArgs) -> Result<u8, Failure> {
    // Everything offline first: a bad plan file or spec makes no network call.
    let spec = args.file.as_deref().map(load_spec).transpose()?;
    let source = match (args.plan.as_deref().map(read_saved).transpose()?, spec) {
        (Some(plan), spec) => Source::Saved(plan, spec),
        (None, Some(spec)) => Source::Spec(spec),
        (None, None) => {
            return Err(Failure::new(
                "ERROR",
                anyhow::anyhow!("give a spec (-f SPEC) or a saved plan (PLAN.json)"),
            ))
        }
    };
    let region = match &source {
        Source::Saved(plan, _) => Some(plan.region.as_str()),
        Source::Spec(spec) => spec.file.region.as_deref(),
    };
    let session = Session::open(global, region).await?;
    let result = plan_and_apply(global, &args, source, &session).await;
    session.close().await;
    result
}

/// Applies a saved plan if it is fresh, or plans a spec now and applies that.
async fn plan_and_apply(
    global: &GlobalArgs,
    args: &ApplyArgs,
    source: Source,
    session: &Session,
) -> Result<u8, Failure> {
    let plan = match source {
        Source::Saved(plan, spec) => {
            reconcile::check_saved(&session.client, &plan, spec.as_ref())
                .await
                .map_err(|e| match e {
                    ReconcileError::Live(e) => aws_failure(e, &session.endpoint),
                    ReconcileError::Stale(stale) => stale_failure(stale),
                })?;
            plan
        }
        Source::Spec(spec) => {
            let options = PlanOptions {
                cascade: args.cascade,
            };
            reconcile::plan_spec(&session.client, &spec, options)
                .await
                .map_err(|e| aws_failure(e, &session.endpoint))?
                .0
        }
    };
    apply_plan(global, args, &plan, session).await
}

fn stale_failure(stale: StalePlan) -> Failure {
    let details = match &stale {
        StalePlan::SpecChanged => Vec::new(),
        StalePlan::AccountMoved(moved) => moved
            .iter()
            .map(|m| serde_json::json!({"message": m}))
            .collect(),
    };
    Failure {
        code: "STALE_PLAN",
        error: anyhow::Error::new(stale),
        details,
        plan: None,
    }
}

async fn apply_plan(
    global: &GlobalArgs,
    args: &ApplyArgs,
    plan: &Plan,
    session: &Session,
) -> Result<u8, Failure> {
    print!("{}", render(plan, Format::Text, global));
    check_plan(plan)?;
    if plan.steps.is_empty() {
        print_deferred(plan);
        return Ok(0);
    }
    // A plan without changes can still have steps: waits for resources an
    // interrupted apply left being created. Those change nothing: no approval.
    if plan.has_changes() {
        approve(args, plan)?;
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!(
                "\ninterrupted: finishing the calls in flight; press Ctrl-C again to exit now"
            );
            let _ = stop_tx.send(true);
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    let options = ApplyOptions {
        parallelism: usize::from(args.parallelism),
        timeout: args.timeout,
        poll: PollPolicy {
            min_interval: args.poll_interval,
            ..PollPolicy::default()
        },
    };
    let progress = Progress::new(std::io::stderr().is_terminal(), global.quiet);
    let actions = session
        .client
        .with_retry(LimitRetry::scaled(args.limit_backoff));
    let report = apply::execute(&actions, plan, &options, &progress, stop_rx).await;
    print_report(plan, &report);
    Ok(if report.interrupted {
        130
    } else if report.succeeded() {
        0
    } else {
        1
    })
}

/// Refuses blocked or (without --allow-destroy) destructive plans, and asks
/// for confirmation unless --auto-approve.
fn approve(args: &ApplyArgs, plan: &Plan) -> Result<(), Failure> {
    // Interactively, a destructive plan is confirmed by typing its count instead.
    let allow_destroy = args.allow_destroy || !args.auto_approve;
    if let Some(refusal) = plan.refusals(allow_destroy).into_iter().next() {
        return Err(Failure::refused(refusal, plan));
    }
    if !args.auto_approve {
        confirm(plan.destructive(), args.allow_destroy)?;
    }
    Ok(())
}

/// Asks on the terminal: `yes`, or `destroy N` when the plan destroys data
/// and --allow-destroy was not given.
fn confirm(destructive: usize, allow_destroy: bool) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::new(
            "NOT_CONFIRMED",
            anyhow::anyhow!(
                "apply needs confirmation and stdin is not a terminal; pass --auto-approve"
            ),
        ));
    }
    let expected = if destructive > 0 && !allow_destroy {
        format!("destroy {destructive}")
    } else {
        "yes".to_string()
    };
    eprint!("\nDo you want to perform these actions? Only '{expected}' will be accepted: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(anyhow::Error::from)?;
    if answer.trim() == expected {
        Ok(())
    } else {
        Err(Failure::new(
            "NOT_CONFIRMED",
            anyhow::anyhow!("apply cancelled"),
        ))
    }
}

fn print_report(plan: &Plan, report: &Report) {
    let label = |id: &usize| plan.steps.get(*id).map(Step::label).unwrap_or_default();
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
    print_deferred(plan);
    for (id, why) in &report.deferred {
        eprintln!("deferred: {}: {why}", label(id));
    }
    let verdict = if report.interrupted {
        "Apply interrupted; run it again to finish"
    } else if report.succeeded() {
        "Apply complete"
    } else {
        "Apply failed"
    };
    let deferred = match report.deferred.len() {
        0 => String::new(),
        n => format!(", {n} deferred"),
    };
    eprintln!(
        "{verdict}: {} done, {} failed, {} skipped, {} stopped, {} not started{deferred} in {:.1}s.",
        report.done.len(),
        report.failed.len(),
        report.skipped.len(),
        report.stopped.len(),
        report.not_started.len(),
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
