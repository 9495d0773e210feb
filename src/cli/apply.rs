//! `pzr apply -f SPEC` and `pzr apply PLAN.json`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::plan::{check_plan, compute, load_spec, read_saved, render};
use super::session::{aws_failure, Session};
use super::{Failure, Format, GlobalArgs};
use crate::apply::{self, progress::Progress, wait::PollPolicy, ApplyOptions, Report};
use crate::live;
use crate::plan::{self, Plan, PlanOptions};

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

pub async fn run(global: &GlobalArgs, args: ApplyArgs) -> Result<u8, Failure> {
    let (plan, session) = match &args.plan {
        Some(path) => {
            let plan = read_saved(path)?;
            apply::check_steps(&plan).map_err(|e| {
                Failure::new(
                    "VALIDATION_ERROR",
                    anyhow::anyhow!("{} is not a plan pzr can apply: {e}", path.display()),
                )
            })?;
            let session = Session::open(global, Some(&plan.region)).await?;
            if let Some(spec_path) = &args.file {
                let spec = load_spec(spec_path)?;
                if spec.digest != plan.spec_digest {
                    session.close().await;
                    return Err(Failure::new(
                        "STALE_PLAN",
                        anyhow::anyhow!(
                            "plan is stale: {} changed since the plan was made",
                            spec_path.display()
                        ),
                    ));
                }
            }
            if let Err(f) = check_fresh(&session.client, &plan).await {
                session.close().await;
                return Err(f);
            }
            (plan, session)
        }
        None => {
            let Some(file) = &args.file else {
                unreachable!("clap requires a source")
            };
            let spec = load_spec(file)?;
            let session = Session::open(global, spec.file.region.as_deref()).await?;
            match compute(
                &session.client,
                &spec,
                PlanOptions {
                    cascade: args.cascade,
                },
            )
            .await
            {
                Ok((plan, _)) => (plan, session),
                Err(f) => {
                    session.close().await;
                    return Err(f);
                }
            }
        }
    };
    let result = apply_plan(global, &args, &plan, &session).await;
    session.close().await;
    result
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
