//! The status life cycle, derived from a resource's timestamps and the time
//! asked about, so a restart (or an advanced clock) continues where it was.
//! Every step that takes time is pending for the first third of its delay and
//! in progress for the rest:
//! - create: CREATE PENDING → CREATE IN_PROGRESS → ACTIVE (or CREATE FAILED);
//! - UpdateDataset: UPDATE PENDING → UPDATE IN_PROGRESS → ACTIVE, over the
//!   create delay, its own progress in `latestDatasetUpdate`; UpdateMetricAttribution
//!   the same;
//! - StopSolutionVersionCreation: CREATE STOPPED at once from CREATE PENDING,
//!   CREATE STOPPING → CREATE STOPPED (over the delete delay) from
//!   CREATE IN_PROGRESS;
//! - delete: DELETE PENDING (→ DELETE IN_PROGRESS for the kinds whose Status
//!   docs list it) → gone after the delete delay.

use serde_json::{Map, Value};

use super::noun::Noun;
use super::record::Resource;
use crate::clock::Millis;
use personalize_facts::resource::{Kind, Status};

/// How long the status life cycle takes.
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle {
    pub create_delay: Millis,
    pub delete_delay: Millis,
    /// From a solution turning ACTIVE to its automatic training starting.
    pub training_delay: Millis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Pending,
    InProgress,
    Done,
}

/// Where a step that takes `delay` from `start` is at `now`, and since when.
fn phase(start: Millis, delay: Millis, now: Millis) -> (Phase, Millis) {
    let elapsed = now.saturating_sub(start);
    if elapsed >= delay {
        (Phase::Done, start.saturating_add(delay))
    } else if elapsed < delay / 3 {
        (Phase::Pending, start)
    } else {
        (Phase::InProgress, start + delay / 3)
    }
}

/// Whether a delete of this noun passes through DELETE IN_PROGRESS. The API
/// model's Status docs list `DELETE PENDING > DELETE IN_PROGRESS` for
/// datasets, event trackers, solutions, campaigns and recommenders, and only
/// `DELETE PENDING` for dataset groups
/// (https://docs.aws.amazon.com/personalize/latest/dg/API_DatasetGroup.html).
/// Filters' Status docs list no states: they are given the children's.
fn deletes_in_progress(noun: Noun) -> bool {
    match noun {
        Noun::Kind(kind) => !matches!(
            kind,
            Kind::Schema | Kind::DatasetGroup | Kind::DatasetImportJob
        ),
        Noun::SolutionVersion => false,
    }
}

impl Resource {
    /// Status at `now`; `None` for schemas, which have none.
    pub fn status(&self, now: Millis, lc: Lifecycle) -> Option<Status> {
        self.state(now, lc).map(|(status, _)| status)
    }

    /// Time of the last change visible through the API (a status transition).
    pub fn last_updated(&self, now: Millis, lc: Lifecycle) -> Millis {
        self.state(now, lc).map_or(self.created, |(_, since)| since)
    }

    /// Status at `now` and since when.
    fn state(&self, now: Millis, lc: Lifecycle) -> Option<(Status, Millis)> {
        if self.kind == Kind::Schema {
            return None;
        }
        if let Some(since) = self.deleting_since {
            let (phase, at) = phase(since, lc.delete_delay, now);
            return Some(
                if phase == Phase::Pending || !deletes_in_progress(self.kind) {
                    (Status::DeletePending, since)
                } else {
                    (Status::DeleteInProgress, at)
                },
            );
        }
        if let Some(stopped) = self.stopped_since {
            if self.kind != Kind::Recommender {
                return Some(self.stop_state(stopped, now, lc));
            }
            if let Some(paused) = self.pause_state(stopped, now, lc) {
                return Some(paused);
            }
        }
        let (created, at) = phase(self.created, lc.create_delay, now);
        Some(match created {
            Phase::Pending => (Status::CreatePending, at),
            Phase::InProgress => (Status::CreateInProgress, at),
            Phase::Done if self.failure_reason.is_some() => (Status::CreateFailed, at),
            // Only a dataset and a metric attribution (whose Describe has no
            // `latestMetricAttributionUpdate`) leave ACTIVE while updated: the
            // other kinds keep serving and show the update in
            // `latest<Kind>Update` (API_UpdateCampaign.html,
            // API_UpdateRecommender.html, API_UpdateSolution.html).
            Phase::Done
                if !matches!(
                    self.kind,
                    Noun::Kind(Kind::Dataset | Kind::MetricAttribution)
                ) =>
            {
                (Status::Active, self.active_changed(at, now, lc))
            }
            Phase::Done => match self.update_phase(now, lc) {
                None => (Status::Active, at),
                Some((Phase::Done, t)) => (Status::Active, t),
                Some((Phase::Pending, t)) => (Status::UpdatePending, t),
                Some((Phase::InProgress, t)) => (Status::UpdateInProgress, t),
            },
        })
    }

    /// A stopped creation: StopSolutionVersionCreation's docs give
    /// `CREATE_PENDING > CREATE_STOPPED` and
    /// `CREATE_IN_PROGRESS > CREATE_STOPPING > CREATE_STOPPED`
    /// (https://docs.aws.amazon.com/personalize/latest/dg/API_StopSolutionVersionCreation.html);
    /// the status names are spelled as the SolutionVersion Status docs spell
    /// them. Stopping takes the delete delay (undocumented: a choice).
    fn stop_state(&self, stopped: Millis, now: Millis, lc: Lifecycle) -> (Status, Millis) {
        let (at_stop, _) = phase(self.created, lc.create_delay, stopped);
        let done = stopped.saturating_add(lc.delete_delay);
        if at_stop == Phase::Pending {
            (Status::CreateStopped, stopped)
        } else if now < done {
            (Status::CreateStopping, stopped)
        } else {
            (Status::CreateStopped, done)
        }
    }

    /// A stopped recommender, StopRecommender's and StartRecommender's
    /// states as the Recommender Status docs list them: `STOP PENDING > STOP
    /// IN_PROGRESS > INACTIVE > START PENDING > START IN_PROGRESS > ACTIVE`
    /// (https://docs.aws.amazon.com/personalize/latest/dg/API_Recommender.html),
    /// each step over the create delay (undocumented: a choice). `None` once
    /// it has started again.
    fn pause_state(&self, stopped: Millis, now: Millis, lc: Lifecycle) -> Option<(Status, Millis)> {
        let Some(restarted) = self.restarted_since else {
            return Some(match phase(stopped, lc.create_delay, now) {
                (Phase::Pending, t) => (Status::StopPending, t),
                (Phase::InProgress, t) => (Status::StopInProgress, t),
                (Phase::Done, t) => (Status::Inactive, t),
            });
        };
        match phase(restarted, lc.create_delay, now) {
            (Phase::Pending, t) => Some((Status::StartPending, t)),
            (Phase::InProgress, t) => Some((Status::StartInProgress, t)),
            (Phase::Done, _) => None,
        }
    }

    /// When an ACTIVE resource last changed visibly: it turned ACTIVE at
    /// `active_at`, then perhaps started again or finished an update.
    fn active_changed(&self, active_at: Millis, now: Millis, lc: Lifecycle) -> Millis {
        let restarted = self
            .restarted_since
            .map(|t| t.saturating_add(lc.create_delay));
        let updated = match self.update_phase(now, lc) {
            Some((Phase::Done, t)) => Some(t),
            _ => None,
        };
        [Some(active_at), restarted, updated]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(active_at)
    }

    fn update_phase(&self, now: Millis, lc: Lifecycle) -> Option<(Phase, Millis)> {
        let update = self.update.as_ref()?;
        Some(phase(update.started, lc.create_delay, now))
    }

    /// `latestDatasetUpdate.status` and since when: an update runs through
    /// the states every update summary of the API documents
    /// (`CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED`, as
    /// for SolutionUpdateSummary and CampaignUpdateSummary; the
    /// DatasetUpdateSummary docs name no states).
    pub fn update_status(&self, now: Millis, lc: Lifecycle) -> Option<(Status, Millis)> {
        let failed = self.update.as_ref()?.failure_reason.is_some();
        Some(match self.update_phase(now, lc)? {
            (Phase::Pending, t) => (Status::CreatePending, t),
            (Phase::InProgress, t) => (Status::CreateInProgress, t),
            (Phase::Done, t) if failed => (Status::CreateFailed, t),
            (Phase::Done, t) => (Status::Active, t),
        })
    }

    /// The dataset's schema at `now`: the one of its latest update once that
    /// succeeded, its previous one until then (and for good if it failed).
    pub fn schema_arn(&self, now: Millis, lc: Lifecycle) -> Option<&str> {
        match (&self.update, self.update_status(now, lc)) {
            (Some(update), Some((Status::Active, _))) => update
                .schema_arn
                .as_deref()
                .or_else(|| self.attr("schemaArn")),
            _ => self.attr("schemaArn"),
        }
    }

    /// Its Describe members at `now`: those it was created with, and those
    /// of its latest update once that succeeded.
    pub fn current_attrs(&self, now: Millis, lc: Lifecycle) -> Map<String, Value> {
        let mut attrs = self.attrs.clone();
        if let (Some(update), Some((Status::Active, _))) =
            (&self.update, self.update_status(now, lc))
        {
            attrs.extend(update.changes.clone());
        }
        attrs
    }

    /// Whether its latest update is still running.
    pub fn is_updating(&self, now: Millis, lc: Lifecycle) -> bool {
        matches!(
            self.update_status(now, lc),
            Some((Status::CreatePending | Status::CreateInProgress, _))
        )
    }

    /// Whether it is being created: CREATE PENDING or CREATE IN_PROGRESS.
    pub fn is_being_created(&self, now: Millis, lc: Lifecycle) -> bool {
        matches!(
            self.status(now, lc),
            Some(Status::CreatePending | Status::CreateInProgress)
        )
    }

    /// When it turned ACTIVE (a solution, an import job), if it did and
    /// stays so.
    pub fn active_since(&self, now: Millis, lc: Lifecycle) -> Option<Millis> {
        (self.status(now, lc) == Some(Status::Active))
            .then(|| self.created.saturating_add(lc.create_delay))
    }

    /// Whether its deletion has completed by `now`.
    pub(super) fn is_gone(&self, now: Millis, lc: Lifecycle) -> bool {
        self.deleting_since
            .is_some_and(|since| now >= since.saturating_add(lc.delete_delay))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_split_a_delay_in_thirds() {
        assert_eq!(phase(100, 30, 109), (Phase::Pending, 100));
        assert_eq!(phase(100, 30, 110), (Phase::InProgress, 110));
        assert_eq!(phase(100, 30, 130), (Phase::Done, 130));
        assert_eq!(phase(100, 0, 100), (Phase::Done, 100));
    }
}
