//! Why a step failed, typed, so that what Personalize answered (its error
//! code) reaches the report instead of only a sentence.

use super::wait::WaitError;
use crate::live::LiveError;
use crate::resource::{DatasetType, Kind};

#[derive(Debug, thiserror::Error)]
pub enum StepFailure {
    /// Personalize refused the step's call, or could not be reached.
    #[error(transparent)]
    Live(#[from] LiveError),
    /// The resource did not become ACTIVE or gone: it failed, the wait timed
    /// out, or reading its status failed. Never `Interrupted`: a stop is not
    /// a failure.
    #[error(transparent)]
    Wait(WaitError),
    /// A dataset group of that name exists and another stack (or nobody) owns it.
    #[error("a dataset group named {name} already exists and is not owned by stack {stack}; it was left alone")]
    GroupNotOwned { name: String, stack: String },
    /// The group already has a dataset of that type that the plan did not see.
    #[error("the group already has a {dataset_type} dataset ({existing}) that this plan did not expect; plan again")]
    UnexpectedDataset {
        dataset_type: DatasetType,
        existing: String,
    },
    /// A child of that name (for an event tracker: the group's one) exists
    /// and is not the one the plan meant to create.
    #[error("the group already has a {kind} ({existing}) that this plan did not expect (another name or settings, or not owned by this stack); plan again")]
    UnexpectedChild { kind: Kind, existing: String },
    /// An ARN the step needs was to come from an earlier step that produced
    /// none (a saved plan can be edited).
    #[error("step {step} produced no ARN")]
    NoArn { step: usize },
}

impl StepFailure {
    /// Personalize's error code (`LimitExceededException`, ...), when it
    /// answered the failing call with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            StepFailure::Live(e) | StepFailure::Wait(WaitError::Probe(e)) => e.code(),
            _ => None,
        }
    }
}
