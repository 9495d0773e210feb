//! `pzr apply -f SPEC` and `pzr apply PLAN.json`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use super::plan::{check_plan, compute, load_spec, read_saved, render};
use super::session::{aws_failure, Session};
use super::{Failure, Format, GlobalArgs};
use crate::apply::{self, progress::Progress, wait::PollPolicy, ApplyOptions, Report};
use crate::live;
use crate::plan::{self, Plan, PlanOptions};
use crate::spec::Spec;

#[derive(Debug, Args)]
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
    let source = match (args.plan.as_deref().map(read_checked).transpose()?, spec) {
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

/// Reads a saved plan and checks its step graph, which apply relies on.
fn read_checked(path: &Path) -> Result<Plan, Failure> {
    let plan = read_saved(path)?;
    apply::check_steps(&plan).map_err(|e| {
        Failure::new(
            "VALIDATION_ERROR",
            anyhow::anyhow!("{} is not a plan pzr can apply: {e}", path.display()),
        )
    })?;
    Ok(plan)
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
            if spec.is_some_and(|s| s.digest != plan.spec_digest) {
                return Err(Failure::new(
                    "STALE_PLAN",
                    anyhow::anyhow!("plan is stale: the spec changed since the plan was made"),
                ));
            }
            check_fresh(&session.client, &plan).await?;
            plan
        }
        Source::Spec(spec) => {
            let options = PlanOptions {
                cascade: args.cascade,
            };
            compute(&session.client, &spec, options).await?.0
        }
    };
    apply_plan(global, args, &plan, session).await
}

/// Re-reads what the saved plan observed; refuses when anything moved.
async fn check_fresh(client: &aws_sdk_personalize::Client, plan: &Plan) -> Result<(), Failure> {
    let (detail, children_of) = plan::observed_groups(&plan.observed);
    let detailed =
        |g: &live::LiveGroup| g.stack() == Some(plan.stack.as_str()) || detail.contains(&g.name);
    let mut now = live::read(client, detailed).await.map_err(aws_failure)?;
    let extra = live::ExtraReads {
        children_of,
        ..Default::default()
    };
    live::read_extra(client, &mut now, &extra)
        .await
        .map_err(aws_failure)?;
    let moved = plan::stale(&plan.observed, &now);
    if moved.is_empty() {
        return Ok(());
    }
    let details = moved
        .iter()
        .map(|m| serde_json::json!({"message": m}))
        .collect();
    Err(Failure {
        code: "STALE_PLAN",
        error: anyhow::anyhow!("plan is stale: the account changed since the plan was made:\n  {}\nrun `pzr plan` again", moved.join("\n  ")),
        details,
        plan: None,
    })
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
    let report = apply::execute(&session.client, plan, &options, &progress, stop_rx).await;
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
    let blocked: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| !c.blocked.is_empty())
        .collect();
    if !blocked.is_empty() {
        let lines: Vec<_> = blocked
            .iter()
            .map(|c| format!("{}: {}", c.address, c.blocked.join("; ")))
            .collect();
        return Err(Failure::new(
            "BLOCKED",
            anyhow::anyhow!("apply refuses blocked changes:\n  {}", lines.join("\n  ")),
        ));
    }
    let destructive = plan.destructive();
    if args.auto_approve {
        if destructive > 0 && !args.allow_destroy {
            return Err(Failure::new(
                "DESTRUCTIVE",
                anyhow::anyhow!("the plan deletes or replaces {destructive} resource(s) holding data; re-run with --allow-destroy if that is intended"),
            ));
        }
    } else {
        confirm(destructive, args.allow_destroy)?;
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
    let label = |id: &usize| plan.steps.get(*id).map(apply::label).unwrap_or_default();
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
    let verdict = if report.interrupted {
        "Apply interrupted; run it again to finish"
    } else if report.succeeded() {
        "Apply complete"
    } else {
        "Apply failed"
    };
    eprintln!(
        "{verdict}: {} done, {} failed, {} skipped, {} stopped, {} not started in {:.1}s.",
        report.done.len(),
        report.failed.len(),
        report.skipped.len(),
        report.stopped.len(),
        report.not_started.len(),
        report.elapsed.as_secs_f64()
    );
}
