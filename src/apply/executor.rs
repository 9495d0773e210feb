//! Runs a plan's steps as a dependency graph with bounded parallelism.
//! The plan decided everything; this only starts each step when what it
//! follows is done and a slot is free, and reports how each ended.

use std::collections::HashMap;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::watch;
use tokio::time::Instant;

use super::failure::StepFailure;
use super::progress::{Event, Progress};
use super::slots::Slots;
use super::step::{self, Context, Created, StepError};
use super::wait::{PollPolicy, Siblings};
use crate::live::Actions;
use crate::plan::Plan;
use crate::resource::Status;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ApplyOptions {
    /// Dataset groups (with everything in them) worked on at once; each
    /// schema counts as one too.
    pub parallelism: usize,
    /// Longest wait for one resource to become ACTIVE or gone.
    pub timeout: Duration,
    pub poll: PollPolicy,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            parallelism: 10,
            timeout: Duration::from_secs(30 * 60),
            poll: PollPolicy::default(),
        }
    }
}

/// How an apply ended, step by step.
#[derive(Debug, Default)]
pub struct Report {
    pub done: Vec<usize>,
    pub failed: Vec<(usize, StepFailure)>,
    /// Not run because a step they depend on failed.
    pub skipped: Vec<usize>,
    /// Not run because apply was interrupted.
    pub not_started: Vec<usize>,
    /// In flight when apply was interrupted: the call was made, the wait abandoned.
    pub stopped: Vec<usize>,
    /// Left to a later apply, and why (a quota only time frees).
    pub deferred: Vec<(usize, String)>,
    pub interrupted: bool,
    pub elapsed: Duration,
}

impl Report {
    pub fn succeeded(&self) -> bool {
        self.failed.is_empty()
            && self.skipped.is_empty()
            && self.not_started.is_empty()
            && !self.interrupted
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    Running,
    Done,
    Failed,
    /// Interrupted mid-wait, or deferred: not a failure, so its dependents
    /// are not skipped but left for the next apply.
    Stopped,
}

/// Runs `plan` through `actions`. Turning `stop` true stops starting steps;
/// steps in flight finish their current call and stop waiting.
pub async fn execute<A: Actions>(
    actions: &A,
    plan: &Plan,
    options: &ApplyOptions,
    progress: &Progress,
    stop: watch::Receiver<bool>,
) -> Report {
    let started = Instant::now();
    let steps = &plan.steps;
    let mut state = vec![State::Pending; steps.len()];
    // ARNs of the resources steps created, by step.
    let mut arns: HashMap<usize, String> = HashMap::new();
    let mut report = Report::default();
    let seen: HashMap<String, Status> = plan
        .observed
        .iter()
        .filter_map(|o| Some((o.arn.clone()?, o.status.clone()?)))
        .collect();
    // Before `running`, whose steps borrow it.
    let cx = &Context {
        actions,
        stack: &plan.stack,
        options,
        progress,
        stop: &stop,
        seen: &seen,
        // This run's waits hear each other end, and no other run's.
        siblings: &Siblings::default(),
    };
    let mut running = FuturesUnordered::new();
    let mut stop_seen = stop.clone();
    let mut slots = Slots::new(options.parallelism);
    loop {
        report.interrupted = report.interrupted || *stop_seen.borrow();
        if !report.interrupted {
            for step in steps {
                let ready = state[step.id] == State::Pending
                    && step
                        .after
                        .iter()
                        .all(|a| state.get(*a) == Some(&State::Done));
                if !ready || !slots.take(&step.address) {
                    continue;
                }
                state[step.id] = State::Running;
                let created = Created::for_step(step, &arns);
                running.push(async move {
                    let t0 = Instant::now();
                    progress.event(step.id, &step.label(), &Event::Started, Duration::ZERO);
                    let result = step::run(cx, step, &created).await;
                    let event = match &result {
                        Ok(_) => Event::Done,
                        Err(StepError::Failed(e)) => Event::Failed(e.to_string()),
                        Err(StepError::Interrupted) => {
                            Event::Status("stopped waiting (interrupted)".into())
                        }
                        Err(StepError::Deferred(why)) => Event::Deferred(why.clone()),
                    };
                    progress.event(step.id, &step.label(), &event, t0.elapsed());
                    (step.id, result)
                });
            }
        }
        if running.is_empty() {
            break;
        }
        tokio::select! {
            Some((id, result)) = running.next() => {
                slots.release(&steps[id].address);
                match result {
                    Ok(arn) => {
                        state[id] = State::Done;
                        report.done.push(id);
                        if let Some(arn) = arn {
                            arns.insert(id, arn);
                        }
                    }
                    Err(StepError::Failed(e)) => {
                        state[id] = State::Failed;
                        report.failed.push((id, e));
                    }
                    Err(StepError::Interrupted) => {
                        state[id] = State::Stopped;
                        report.stopped.push(id);
                    }
                    Err(StepError::Deferred(why)) => {
                        state[id] = State::Stopped;
                        report.deferred.push((id, why));
                    }
                }
            }
            _ = stop_seen.wait_for(|s| *s), if !report.interrupted => report.interrupted = true,
        }
    }
    // Steps only follow earlier ones (`check_steps`), so one pass in order
    // finds every step a failure reaches, directly or through skipped steps.
    let mut doomed = vec![false; steps.len()];
    for step in steps {
        if state[step.id] != State::Pending {
            continue;
        }
        doomed[step.id] = step
            .after
            .iter()
            .any(|a| state[*a] == State::Failed || doomed[*a]);
        if doomed[step.id] {
            report.skipped.push(step.id);
            progress.event(
                step.id,
                &step.label(),
                &Event::Skipped("a step it depends on failed".into()),
                Duration::ZERO,
            );
        } else {
            report.not_started.push(step.id);
        }
    }
    report.elapsed = started.elapsed();
    report
}
