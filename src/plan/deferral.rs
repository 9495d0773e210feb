//! Why a create waits for a later apply (`Deferral`): a campaign needs its
//! solution's latest ACTIVE version, which may not exist yet; serving needs
//! data; and what failed for want of data is not paid for again.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a create is left to a later apply; `solution` is a campaign's
/// solution's name, `replace` the address `--replace` takes to force it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Deferral {
    /// The solution is not one this plan may deploy on (another stack's).
    SolutionUnusable { solution: String },
    /// No ACTIVE version yet; the solution's automatic training makes one.
    AwaitingAutomaticTraining { solution: String },
    /// No ACTIVE version yet; this apply starts training one.
    AwaitingTraining { solution: String },
    /// The group has no interactions data and declares none: Personalize
    /// would fail it (and bill it) for want of data.
    NoInteractionsData,
    /// Its creation (a recommender) or its solution's training failed and
    /// nothing changed since: doing it again would fail again, billed.
    FailedForData {
        failure_reason: String,
        replace: String,
    },
    /// The import's location holds no object: the job would fail.
    NoObjects { location: String },
    /// The latest import from this location failed and no object changed
    /// since.
    ImportFailed {
        failure_reason: String,
        replace: String,
    },
}

impl Deferral {
    pub fn code(&self) -> &'static str {
        match self {
            Deferral::SolutionUnusable { .. } => "solution_unusable",
            Deferral::AwaitingAutomaticTraining { .. } => "awaiting_automatic_training",
            Deferral::AwaitingTraining { .. } => "awaiting_training",
            Deferral::NoInteractionsData => "no_interactions_data",
            Deferral::FailedForData { .. } => "failed_for_data",
            Deferral::NoObjects { .. } => "no_objects",
            Deferral::ImportFailed { .. } => "import_failed",
        }
    }
}

impl fmt::Display for Deferral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deferral::SolutionUnusable { solution } => {
                write!(f, "its solution {solution} cannot be used")
            }
            Deferral::AwaitingAutomaticTraining { solution } => write!(
                f,
                "solution {solution} has no ACTIVE version yet: its automatic training makes one; apply again once it is ACTIVE"
            ),
            Deferral::AwaitingTraining { solution } => write!(
                f,
                "solution {solution} has no ACTIVE version yet: this apply starts training one; apply again once it is ACTIVE"
            ),
            Deferral::NoInteractionsData => f.write_str(
                "no interactions data: declare datasets.interactions.import or mark it streamed",
            ),
            Deferral::FailedForData {
                failure_reason,
                replace,
            } => write!(
                f,
                "it failed: {failure_reason}; held back until new data is imported or its spec changes (or `--replace {replace}`)"
            ),
            Deferral::NoObjects { location } => write!(
                f,
                "{location} holds no object: Personalize would fail the import (\"Invalid Data location.\"); put the data there first"
            ),
            Deferral::ImportFailed {
                failure_reason,
                replace,
            } => write!(
                f,
                "the last import failed: {failure_reason}; held back until an object under the location changes (or `--replace {replace}`)"
            ),
        }
    }
}
