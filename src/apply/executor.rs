//! Executes a plan's steps as a dependency graph with bounded parallelism.
//! The plan decided everything; this only runs it, waits, and reports.

use std::collections::HashMap;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::watch;
use tokio::time::Instant;

use super::progress::{Event, Progress};
use super::slots::Slots;
use super::wait::{self, PollPolicy, WaitError};
use crate::live::{Actions, LiveError, LiveStatus};
use crate::plan::{ArnRef, Op, Plan, Step};
use crate::resource::{self, Kind};

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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub done: Vec<usize>,
    pub failed: Vec<(usize, String)>,
    /// Not run because a step they depend on failed.
    pub skipped: Vec<usize>,
    /// Not run because apply was interrupted.
    pub not_started: Vec<usize>,
    /// In flight when apply was interrupted: the call was made, the wait abandoned.
    pub stopped: Vec<usize>,
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

/// Why a step did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
enum StepError {
    Failed(String),
    /// Ctrl-C: its call returned, its wait was abandoned.
    Interrupted,
}

impl From<String> for StepError {
    fn from(e: String) -> StepError {
        StepError::Failed(e)
    }
}

impl From<LiveError> for StepError {
    fn from(e: LiveError) -> StepError {
        StepError::Failed(e.to_string())
    }
}

impl From<WaitError> for StepError {
    fn from(e: WaitError) -> StepError {
        match e {
            WaitError::Interrupted => StepError::Interrupted,
            other => StepError::Failed(other.to_string()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    Running,
    Done,
    Failed,
    /// Interrupted mid-wait: not a failure, so its dependents are not skipped
    /// but left for the next apply.
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
    let mut arns: HashMap<usize, String> = HashMap::new();
    let mut report = Report::default();
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
                let resolved = resolve(step, &arns);
                let stop = stop.clone();
                running.push(async move {
                    let t0 = Instant::now();
                    progress.event(step.id, &step.label(), &Event::Started, Duration::ZERO);
                    let result = match resolved {
                        Ok(r) => run(actions, &plan.stack, step, r, options, progress, &stop).await,
                        Err(e) => Err(StepError::Failed(e)),
                    };
                    let event = match &result {
                        Ok(_) => Event::Done,
                        Err(StepError::Failed(e)) => Event::Failed(e.clone()),
                        Err(StepError::Interrupted) => {
                            Event::Status("stopped waiting (interrupted)".into())
                        }
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

/// ARNs the step refers to, in order of appearance in its op.
fn resolve(step: &Step, arns: &HashMap<usize, String>) -> Result<Vec<String>, String> {
    step.op
        .arn_refs()
        .into_iter()
        .map(|r| match r {
            ArnRef::Known(arn) => Ok(arn.clone()),
            ArnRef::CreatedBy(id) => arns
                .get(id)
                .cloned()
                .ok_or_else(|| format!("step {id} produced no ARN")),
        })
        .collect()
}

async fn run<A: Actions>(
    actions: &A,
    stack: &str,
    step: &Step,
    resolved: Vec<String>,
    options: &ApplyOptions,
    progress: &Progress,
    stop: &watch::Receiver<bool>,
) -> Result<Option<String>, StepError> {
    let wait = |kind: Kind, arn: String, verdict: fn(Option<&LiveStatus>) -> wait::Verdict| async move {
        let deadline = Instant::now() + options.timeout;
        let t0 = Instant::now();
        let probe = || actions.status(kind, &arn);
        let on_status = |s: &str| {
            progress.event(
                step.id,
                &step.label(),
                &Event::Status(s.to_string()),
                t0.elapsed(),
            )
        };
        wait::poll(options.poll, deadline, stop, probe, verdict, on_status)
            .await
            .map_err(StepError::from)
    };
    let owned_by_us = |tags: &crate::live::Tags| resource::owns(tags, stack);
    match &step.op {
        Op::CreateSchema {
            name,
            definition,
            domain,
        } => actions
            .create_schema(name, definition, *domain)
            .await
            .map(Some)
            .map_err(StepError::from),
        Op::CreateDatasetGroup {
            name,
            domain,
            kms_key_arn,
            role_arn,
            tags,
        } => {
            let (arn, existing) = actions
                .create_dataset_group(
                    name,
                    *domain,
                    kms_key_arn.as_deref(),
                    role_arn.as_deref(),
                    tags,
                )
                .await?;
            if existing.is_some_and(|t| !owned_by_us(&t)) {
                return Err(format!("a dataset group named {name} already exists and is not owned by stack {stack}; it was left alone").into());
            }
            wait(Kind::DatasetGroup, arn.clone(), wait::active).await?;
            Ok(Some(arn))
        }
        Op::WaitDatasetGroupActive { arn } => wait(Kind::DatasetGroup, arn.clone(), wait::active)
            .await
            .map(|_| None),
        Op::WaitDatasetActive { arn } => wait(Kind::Dataset, arn.clone(), wait::active)
            .await
            .map(|_| None),
        Op::CreateDataset {
            name,
            dataset_type,
            tags,
            ..
        } => {
            let [group_arn, schema_arn] = resolved.as_slice() else {
                return Err(StepError::Failed("unresolved references".into()));
            };
            let (arn, existing) = actions
                .create_dataset(name, *dataset_type, group_arn, schema_arn, tags)
                .await?;
            if let Some((existing_name, existing_tags)) = existing {
                if existing_name != *name || !owned_by_us(&existing_tags) {
                    return Err(format!("the group already has a {dataset_type} dataset ({existing_name}) that this plan did not expect; plan again").into());
                }
            }
            wait(Kind::Dataset, arn.clone(), wait::active).await?;
            Ok(Some(arn))
        }
        Op::UpdateDataset { arn, .. } => {
            let [schema_arn] = resolved.as_slice() else {
                return Err(StepError::Failed("unresolved references".into()));
            };
            actions.update_dataset(arn, schema_arn).await?;
            wait(Kind::Dataset, arn.clone(), wait::active)
                .await
                .map(|_| None)
        }
        Op::TagResource { arn, tags } => actions
            .tag(arn, tags)
            .await
            .map(|_| None)
            .map_err(StepError::from),
        Op::UntagResource { arn, keys } => actions
            .untag(arn, keys)
            .await
            .map(|_| None)
            .map_err(StepError::from),
        Op::DeleteChild { kind, arn } => delete_and_wait(actions, *kind, arn, wait).await,
        Op::DeleteDataset { arn } => delete_and_wait(actions, Kind::Dataset, arn, wait).await,
        Op::DeleteDatasetGroup { arn } => {
            delete_and_wait(actions, Kind::DatasetGroup, arn, wait).await
        }
        Op::DeleteSchema { arn } => match actions.delete(Kind::Schema, arn).await {
            Ok(()) => Ok(None),
            Err(err) if err.code() == Some("ResourceInUseException") => {
                progress.line(&format!("note: schema {arn} is still used by a dataset pzr does not manage; it was kept"));
                Ok(None)
            }
            Err(err) => Err(err.into()),
        },
    }
}

/// Deletes and waits until gone. Looks first, so that what an earlier,
/// interrupted apply left behind is finished without a refused call: a
/// resource already being deleted is only waited for, one still being
/// created is waited for until it can be deleted.
async fn delete_and_wait<A: Actions, W, Fut>(
    actions: &A,
    kind: Kind,
    arn: &str,
    wait: W,
) -> Result<Option<String>, StepError>
where
    W: Fn(Kind, String, fn(Option<&LiveStatus>) -> wait::Verdict) -> Fut,
    Fut: std::future::Future<Output = Result<(), StepError>>,
{
    let deleting = |s: &Option<LiveStatus>| s.as_ref().is_some_and(|s| s.status.is_deleting());
    let status = actions.status(kind, arn).await?;
    if status.is_none() {
        return Ok(None);
    }
    if !deleting(&status) {
        if wait::settled(status.as_ref()) != wait::Verdict::Done {
            wait(kind, arn.to_string(), wait::settled).await?;
        }
        if let Err(err) = actions.delete(kind, arn).await {
            // Another apply may have started the delete meanwhile.
            let in_use = err.code() == Some("ResourceInUseException");
            if !(in_use && deleting(&actions.status(kind, arn).await?)) {
                return Err(err.into());
            }
        }
    }
    wait(kind, arn.to_string(), wait::gone).await.map(|_| None)
}
