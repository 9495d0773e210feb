//! `pzr apply`: a fresh plan of a spec, or a saved plan if it is not stale,
//! approved by the rules below and executed.

use std::path::Path;

use tokio::sync::watch;

use super::plan::{checked, unless};
use super::session::Place;
use super::{load, read, session, Error, Target};
use crate::apply::{execute, progress::Progress, ApplyOptions, Report};
use crate::live::LimitRetry;
use crate::plan::{Plan, PlanOptions};
use crate::spec::Spec;

/// What `pzr apply` is asked to do.
pub struct ApplyOpts<'a> {
    /// The spec: planned now, or, with `saved`, the spec the saved plan
    /// must have been made from.
    pub file: Option<&'a Path>,
    /// A plan saved with `pzr plan -o`: applied exactly, or refused if stale.
    pub saved: Option<&'a Path>,
    /// Do not ask the person at the console.
    pub auto_approve: bool,
    /// Deleting or replacing what holds data goes ahead without the typed count.
    pub allow_destroy: bool,
    /// How a fresh plan is made.
    pub plan: PlanOptions,
    pub execution: ApplyOptions,
    /// How apply's own requests are retried under limits (`--limit-backoff`).
    pub limit_retry: LimitRetry,
}

/// The person running apply, as ops needs them: the CLI's is a terminal.
pub trait Console {
    /// Shows the plan about to be applied, or refused.
    fn review(&self, plan: &Plan);
    /// Asks them to type `expected` to go ahead: what they typed, or `None`
    /// when no one can be asked.
    fn confirm(&self, expected: &str) -> std::io::Result<Option<String>>;
    /// Where the steps' progress is shown.
    fn progress(&self) -> &Progress;
    /// Their requests to stop, from the moment the steps start.
    fn stops(&self) -> watch::Receiver<bool>;
}

/// An apply that ran to its end (it may have failed steps).
pub struct Applied {
    pub plan: Plan,
    /// What the steps did; `None` when the plan had none to run.
    pub report: Option<Report>,
}

/// What to apply.
enum Source {
    /// A saved plan, and the spec it must have been made from, when given.
    Saved(Box<Plan>, Option<Spec>),
    /// A spec to plan now.
    Spec(Spec),
}

/// Applies a saved plan if it is fresh, or plans a spec now and applies that.
pub async fn apply(
    target: &Target,
    opts: &ApplyOpts<'_>,
    console: &impl Console,
) -> Result<Applied, Error> {
    // Everything offline first: a bad plan file or spec makes no network call.
    let spec = opts.file.map(load::spec).transpose()?;
    let source = match (opts.saved.map(load::saved_plan).transpose()?, spec) {
        (Some(plan), spec) => Source::Saved(Box::new(plan), spec),
        (None, Some(spec)) => Source::Spec(spec),
        (None, None) => return Err(Error::NothingToApply),
    };
    // A saved plan runs in its region; the sandbox serves the spec's
    // buckets when the spec is given.
    let place = match &source {
        Source::Saved(plan, spec) => Place {
            region: Some(plan.region.clone()),
            buckets: spec
                .as_ref()
                .map(|s| s.sandbox_buckets.clone())
                .unwrap_or_default(),
        },
        Source::Spec(spec) => Place::of(spec),
    };
    session::run(target, place, async |client| {
        let plan = match source {
            Source::Saved(plan, spec) => {
                read::check_saved(target, client, &plan, spec.as_ref()).await?;
                *plan
            }
            Source::Spec(spec) => read::plan_spec(client, &spec, &opts.plan).await?.0,
        };
        console.review(&plan);
        let plan = checked(plan)?;
        if plan.steps.is_empty() {
            return Ok(Applied { plan, report: None });
        }
        // A plan without changes can still have steps: waits for resources an
        // interrupted apply left being created. Those change nothing: no approval.
        let plan = if plan.has_changes() {
            approve(opts, plan, console)?
        } else {
            plan
        };
        let report = execute(
            &client.with_retry(opts.limit_retry),
            &plan,
            &opts.execution,
            console.progress(),
            console.stops(),
        )
        .await;
        Ok(Applied {
            plan,
            report: Some(report),
        })
    })
    .await
}

/// Refuses blocked or (without --allow-destroy) destructive plans, and asks
/// for confirmation unless --auto-approve.
fn approve(opts: &ApplyOpts<'_>, plan: Plan, console: &impl Console) -> Result<Plan, Error> {
    // Interactively, a destructive plan is confirmed by typing its count instead.
    let allow_destroy = opts.allow_destroy || !opts.auto_approve;
    let refusal = plan.refusals(allow_destroy).into_iter().next();
    let plan = unless(refusal, plan)?;
    if !opts.auto_approve {
        confirm(console, plan.destructive(), opts.allow_destroy)?;
    }
    Ok(plan)
}

/// Asks for `yes`, or `destroy N` when the plan destroys data and
/// --allow-destroy was not given.
fn confirm(console: &impl Console, destructive: usize, allow_destroy: bool) -> Result<(), Error> {
    let expected = if destructive > 0 && !allow_destroy {
        format!("destroy {destructive}")
    } else {
        "yes".to_string()
    };
    match console.confirm(&expected).map_err(Error::Prompt)? {
        None => Err(Error::NoOneToAsk),
        Some(answer) if answer.trim() == expected => Ok(()),
        Some(answer) => Err(Error::Cancelled {
            expected,
            answer: answer.trim().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Someone who answers `answer` to every question.
    struct Answers {
        answer: &'static str,
        progress: Progress,
    }

    impl Console for Answers {
        fn review(&self, _: &Plan) {}
        fn confirm(&self, _: &str) -> std::io::Result<Option<String>> {
            Ok(Some(format!("{}\n", self.answer)))
        }
        fn progress(&self) -> &Progress {
            &self.progress
        }
        fn stops(&self) -> watch::Receiver<bool> {
            watch::channel(false).1
        }
    }

    fn answering(answer: &'static str) -> Answers {
        let progress = Progress::new(false, true);
        Answers { answer, progress }
    }

    #[test]
    fn the_expected_answer_goes_ahead() {
        assert!(confirm(&answering("yes"), 0, false).is_ok());
        assert!(confirm(&answering("destroy 2"), 2, false).is_ok());
        assert!(confirm(&answering("yes"), 2, true).is_ok());
    }

    #[test]
    fn another_answer_says_what_was_expected() {
        let err = confirm(&answering("yes"), 2, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "apply cancelled: the answer was `yes`, not `destroy 2`; nothing was changed"
        );
        assert_eq!(err.code(), "NOT_CONFIRMED");
    }
}
