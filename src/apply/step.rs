//! What each step does: its calls, and its wait until the resource is ACTIVE
//! or gone. The scheduler decides when a step runs; this only does what the
//! plan says.

use std::collections::HashMap;

use tokio::sync::watch;
use tokio::time::Instant;

use super::executor::ApplyOptions;
use super::failure::StepFailure;
use super::progress::{Event, Progress};
use super::wait::{self, UpdateNeed, Verdict, WaitError};
use crate::live::{Actions, LiveError, LiveStatus};
use crate::plan::{ArnRef, Op, Step};
use crate::resource::{self, Kind, Status, Tags};

mod delete;
mod import;
mod serving;

use import::ImportOf;
use serving::Training;

/// Why a step did not finish.
#[derive(Debug)]
pub(super) enum StepError {
    Failed(StepFailure),
    /// Ctrl-C: its call returned, its wait was abandoned.
    Interrupted,
    /// Refused for a quota that only time frees (the region's trainings in
    /// progress): not a failure, a later apply does it. Why, for the report.
    Deferred(String),
}

impl From<StepFailure> for StepError {
    fn from(e: StepFailure) -> StepError {
        StepError::Failed(e)
    }
}

impl From<LiveError> for StepError {
    fn from(e: LiveError) -> StepError {
        StepError::Failed(e.into())
    }
}

/// What every step runs with.
pub(super) struct Context<'a, A> {
    pub actions: &'a A,
    pub stack: &'a str,
    pub options: &'a ApplyOptions,
    pub progress: &'a Progress,
    /// Turns true on Ctrl-C: waits stop, calls in flight do not.
    pub stop: &'a watch::Receiver<bool>,
    /// The status the plan saw each resource in, by ARN.
    pub seen: &'a HashMap<String, Status>,
    /// This run's waits, hearing each other end.
    pub siblings: &'a wait::Siblings,
}

/// The ARNs created by earlier steps that a step refers to, copied when it
/// starts (the scheduler goes on collecting ARNs while it runs).
pub(super) struct Created(HashMap<usize, String>);

impl Created {
    pub(super) fn for_step(step: &Step, all: &HashMap<usize, String>) -> Created {
        let ids = step
            .op
            .arn_refs()
            .into_iter()
            .filter_map(ArnRef::created_by);
        Created(
            ids.filter_map(|id| Some((id, all.get(&id)?.clone())))
                .collect(),
        )
    }

    fn arn<'a>(&'a self, arn: &'a ArnRef) -> Result<&'a str, StepFailure> {
        match arn {
            ArnRef::Known(arn) => Ok(arn),
            ArnRef::CreatedBy(step) => self
                .0
                .get(step)
                .map(String::as_str)
                .ok_or(StepFailure::NoArn { step: *step }),
        }
    }
}

/// Runs `step`; the ARN of the resource it created, if it created one.
pub(super) async fn run<A: Actions>(
    cx: &Context<'_, A>,
    step: &Step,
    created: &Created,
) -> Result<Option<String>, StepError> {
    StepRun { cx, step }.op(created).await
}

struct StepRun<'a, A> {
    cx: &'a Context<'a, A>,
    step: &'a Step,
}

impl<A: Actions> StepRun<'_, A> {
    async fn op(&self, created: &Created) -> Result<Option<String>, StepError> {
        let actions = self.cx.actions;
        match &self.step.op {
            Op::CreateSchema {
                name,
                definition,
                domain,
            } => Ok(Some(
                actions.create_schema(name, definition, *domain).await?,
            )),
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
                if existing.is_some_and(|t| !self.owned(&t)) {
                    return Err(StepFailure::GroupNotOwned {
                        name: name.clone(),
                        stack: self.cx.stack.to_string(),
                    }
                    .into());
                }
                self.until_active(Kind::DatasetGroup, arn).await
            }
            Op::WaitDatasetGroupActive { arn } => {
                self.wait(Kind::DatasetGroup, arn, wait::active).await?;
                Ok(None)
            }
            Op::WaitDatasetActive { arn } => {
                self.wait(Kind::Dataset, arn, wait::active).await?;
                Ok(None)
            }
            Op::CreateDataset {
                name,
                dataset_type,
                group,
                schema,
                tags,
            } => {
                let (group_arn, schema_arn) = (created.arn(group)?, created.arn(schema)?);
                let (arn, existing) = actions
                    .create_dataset(name, *dataset_type, group_arn, schema_arn, tags)
                    .await?;
                if let Some((existing_name, existing_tags)) = existing {
                    if existing_name != *name || !self.owned(&existing_tags) {
                        return Err(StepFailure::UnexpectedDataset {
                            dataset_type: *dataset_type,
                            existing: existing_name,
                        }
                        .into());
                    }
                }
                self.until_active(Kind::Dataset, arn).await
            }
            Op::CreateChild {
                name,
                parent,
                config,
                tags,
            } => {
                let (arn, existing) = actions
                    .create_child(name, created.arn(parent)?, config, tags)
                    .await?;
                if let Some(e) = existing {
                    let same = e.name == *name && e.config.as_ref().is_none_or(|c| c == config);
                    if !same || !self.owned(&e.tags) {
                        return Err(StepFailure::UnexpectedChild {
                            kind: config.kind(),
                            existing: e.name,
                        }
                        .into());
                    }
                }
                self.until_active(config.kind(), arn).await
            }
            Op::WaitChildActive { kind, arn } => {
                self.wait(*kind, arn, wait::active).await?;
                Ok(None)
            }
            Op::UpdateChild {
                kind,
                arn,
                config,
                solution_version,
            } => {
                // Refused while a previous update runs; one this step asked
                // for before an interruption is simply asked for again.
                self.wait(*kind, arn, wait::no_update_running).await?;
                actions
                    .update_child(arn, config, solution_version.as_deref())
                    .await?;
                // A metric attribution shows its update in its status (it
                // has no `latestMetricAttributionUpdate`).
                let done = match kind {
                    Kind::MetricAttribution => wait::active,
                    _ => wait::update_done,
                };
                self.wait(*kind, arn, done).await?;
                Ok(None)
            }
            Op::SetRecommenderState { arn, running } => {
                self.set_recommender_state(created.arn(arn)?, *running)
                    .await?;
                Ok(None)
            }
            Op::TrainSolution { solution } => {
                self.train(created.arn(solution)?, Training::First).await?;
                Ok(None)
            }
            Op::RetrainSolution { solution } => {
                self.train(created.arn(solution)?, Training::New).await?;
                Ok(None)
            }
            Op::ImportData {
                dataset,
                dataset_name,
                location,
                role_arn,
                mode,
                tags,
            } => {
                let import = ImportOf {
                    dataset_name,
                    location,
                    role_arn: role_arn.as_deref(),
                    mode: *mode,
                    tags,
                };
                self.import_data(created.arn(dataset)?, &import).await
            }
            Op::WaitImportActive { arn } => {
                self.wait(Kind::DatasetImportJob, arn, wait::active).await?;
                Ok(None)
            }
            Op::UpdateDataset { arn, schema } => {
                self.update_dataset(arn, created.arn(schema)?).await?;
                Ok(None)
            }
            Op::TagResource { arn, tags } => {
                actions.tag(arn, tags).await?;
                Ok(None)
            }
            Op::UntagResource { arn, keys } => {
                actions.untag(arn, keys).await?;
                Ok(None)
            }
            Op::StopTraining { arn } => {
                self.stop_training(arn).await?;
                Ok(None)
            }
            Op::DeleteChild { kind, arn } => match self.delete_and_wait(*kind, arn).await {
                // A training began after the solution's StopTraining step
                // (an automatic one, due meanwhile): stop it too, ask again.
                Err(StepError::Failed(StepFailure::Live(e)))
                    if *kind == Kind::Solution && e.is_in_use() =>
                {
                    self.stop_training(arn).await?;
                    self.delete_and_wait(*kind, arn).await
                }
                other => other,
            },
            Op::DeleteDataset { arn } => self.delete_and_wait(Kind::Dataset, arn).await,
            Op::DeleteDatasetGroup { arn } => self.delete_and_wait(Kind::DatasetGroup, arn).await,
            // Schemas have no life cycle: once the delete is accepted they are gone.
            Op::DeleteSchema { arn } => {
                self.request_delete(Kind::Schema, arn).await?;
                Ok(None)
            }
        }
    }

    fn owned(&self, tags: &Tags) -> bool {
        resource::owns(tags, self.cx.stack)
    }

    /// Waits for what the step created, and hands on its ARN.
    async fn until_active(&self, kind: Kind, arn: String) -> Result<Option<String>, StepError> {
        self.wait(kind, &arn, wait::active).await?;
        Ok(Some(arn))
    }

    /// Moves dataset `arn` to schema `target` and waits until the update is
    /// ACTIVE; a failed update fails the step with Personalize's reason.
    /// Looks first, so that a step run again after an interruption waits for
    /// the update it already asked for. An update refused because another
    /// one runs is asked for again once that one has settled.
    async fn update_dataset(&self, arn: &str, target: &str) -> Result<(), StepError> {
        let actions = self.cx.actions;
        let mut refused_in_use = false;
        loop {
            let now = actions.status(Kind::Dataset, arn).await?;
            match wait::update_need(target, now.as_ref()) {
                UpdateNeed::Nothing => return Ok(()),
                UpdateNeed::Wait => break,
                UpdateNeed::Call => match actions.update_dataset(arn, target).await {
                    Ok(()) => break,
                    Err(err) if err.is_in_use() && !refused_in_use => {
                        refused_in_use = true;
                        self.wait(Kind::Dataset, arn, wait::settled).await?;
                    }
                    Err(err) => return Err(err.into()),
                },
            }
        }
        self.wait(Kind::Dataset, arn, |s| wait::updated_to(target, s))
            .await
    }

    /// Polls `arn` until `verdict` says done, telling progress each new status.
    async fn wait(
        &self,
        kind: Kind,
        arn: &str,
        verdict: impl Fn(Option<&LiveStatus>) -> Verdict,
    ) -> Result<(), StepError> {
        let probe = || self.cx.actions.status(kind, arn);
        self.watch(probe, |s: &Option<LiveStatus>| verdict(s.as_ref()))
            .await
    }

    /// Polls `probe` until `verdict` says done, telling progress each new
    /// status, within the step's timeout.
    async fn watch<T, Fut>(
        &self,
        probe: impl FnMut() -> Fut,
        verdict: impl Fn(&T) -> Verdict,
    ) -> Result<(), StepError>
    where
        Fut: std::future::Future<Output = Result<T, LiveError>>,
    {
        let (options, step) = (self.cx.options, self.step);
        let t0 = Instant::now();
        let on_status = |s: &str| {
            let status = Event::Status(s.to_string());
            self.cx
                .progress
                .event(step.id, &step.label(), &status, t0.elapsed())
        };
        let deadline = t0 + options.timeout;
        wait::poll(
            options.poll,
            self.cx.siblings,
            deadline,
            self.cx.stop,
            probe,
            verdict,
            on_status,
        )
        .await
        .map_err(|e| match e {
            WaitError::Interrupted => StepError::Interrupted,
            e => StepError::Failed(StepFailure::Wait(e)),
        })
    }
}
