//! Why a create waits for a later apply (`Deferral`): a campaign needs its
//! solution's latest ACTIVE version, which may not exist yet.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a campaign's create is left to a later apply; `solution` is its
/// solution's name.
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
}

impl Deferral {
    pub fn code(&self) -> &'static str {
        match self {
            Deferral::SolutionUnusable { .. } => "solution_unusable",
            Deferral::AwaitingAutomaticTraining { .. } => "awaiting_automatic_training",
            Deferral::AwaitingTraining { .. } => "awaiting_training",
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
        }
    }
}
