//! The serving side's steps beyond create and update: a recommender stopped
//! or started, a version trained, trainings stopped before a delete.

use super::super::wait::{self, Verdict};
use super::{StepError, StepRun};
use crate::live::{Actions, LiveError, LiveStatus, SolutionVersion};
use crate::resource::{Kind, Status};

/// Which version a training step makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Training {
    /// The solution's first (for a campaign waiting on it).
    First,
    /// A new one beside those it has (new data, or `--train`).
    New,
}

impl<A: Actions> StepRun<'_, A> {
    /// Stops or starts recommender `arn` and waits until it is INACTIVE or
    /// ACTIVE. Looks first: one already there, or getting there (an
    /// interrupted apply asked), is only waited for.
    pub(super) async fn set_recommender_state(
        &self,
        arn: &str,
        running: bool,
    ) -> Result<(), StepError> {
        let target = move |s: Option<&LiveStatus>| wait::recommender_in(running, s);
        self.wait(Kind::Recommender, arn, wait::no_update_running)
            .await?;
        let now = self.cx.actions.status(Kind::Recommender, arn).await?;
        if target(now.as_ref()) != Verdict::Done {
            self.cx.actions.set_recommender_state(arn, running).await?;
        }
        self.wait(Kind::Recommender, arn, target).await
    }

    /// Starts training a version of solution `arn`, unless one is being
    /// trained (an interrupted apply, or automatic training, started one)
    /// or, for its first, one exists already. Training takes hours on AWS:
    /// the step does not wait for it.
    pub(super) async fn train(&self, arn: &str, training: Training) -> Result<(), StepError> {
        let actions = self.cx.actions;
        self.wait(Kind::Solution, arn, wait::active).await?;
        let versions = actions.solution_versions(arn).await?;
        let usable = |v: &SolutionVersion| {
            v.status.is_settling() || (training == Training::First && v.status == Status::Active)
        };
        if versions.iter().any(usable) {
            return Ok(());
        }
        match actions.create_solution_version(arn).await {
            // The one quota CreateSolutionVersion meets: solution versions in
            // training per Region (limits.html). It frees only as trainings
            // end, hours away on AWS, so no retry within this apply helps.
            Err(LiveError::LimitExceeded { error, .. }) => Err(StepError::Deferred(format!(
                "Personalize did not start the training: {error}; a later apply starts it once a training in progress ends"
            ))),
            other => {
                other?;
                Ok(())
            }
        }
    }

    /// Stops the versions of solution `arn` being created and waits until
    /// none is: Personalize refuses `DeleteSolution` while one is, and
    /// automatic training (the API's default) starts them on its own
    /// (https://docs.aws.amazon.com/personalize/latest/dg/API_StopSolutionVersionCreation.html).
    pub(super) async fn stop_training(&self, arn: &str) -> Result<(), StepError> {
        let actions = self.cx.actions;
        let versions = actions.solution_versions(arn).await?;
        let training = versions
            .iter()
            .filter(|v| matches!(v.status, Status::CreatePending | Status::CreateInProgress));
        for v in training {
            match actions.stop_solution_version_creation(&v.arn).await {
                // It ended meanwhile: nothing left to stop.
                Err(err) if err.is_in_use() => {}
                other => other?,
            }
        }
        if wait::no_training(&versions) == Verdict::Done {
            return Ok(());
        }
        self.watch(
            || actions.solution_versions(arn),
            |v: &Vec<SolutionVersion>| wait::no_training(v),
        )
        .await
    }
}
