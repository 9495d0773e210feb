//! The plan's JSON forms: the document people and CI read (DESIGN.md "Plan
//! and drift JSON", with its JSON Schema generated from `PlanDocument`), and
//! the saved plan (`pzr plan -o`): that document plus what apply needs.
//! A `Plan` serialises as a saved plan and is read back only through
//! `SavedPlan`'s checks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model::{
    Change, InvalidSteps, Observed, Plan, PlanError, Step, Summary, FORMAT_VERSION,
};

/// The plan document of DESIGN.md "Plan and drift JSON".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanDocument {
    pub format_version: u32,
    pub stack: String,
    pub region: String,
    /// Changes in plan order; no-op resources are not listed.
    pub changes: Vec<Change>,
    pub summary: Summary,
    /// Ownership conflicts that make the plan impossible.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<PlanError>,
}

/// A saved plan as written to disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedPlan {
    #[serde(flatten)]
    pub document: PlanDocument,
    /// SHA-256 of the spec the plan was computed from.
    pub spec_digest: String,
    pub observed: Vec<Observed>,
    pub steps: Vec<Step>,
}

/// A saved plan pzr cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SavedPlanError {
    #[error("it has plan format {0}; this pzr reads format {FORMAT_VERSION}")]
    Format(u32),
    #[error("its step graph is invalid: {0}")]
    Steps(#[from] InvalidSteps),
    #[error("its summary does not match its changes (was it edited?)")]
    Summary,
}

impl Plan {
    pub fn document(&self) -> PlanDocument {
        PlanDocument {
            format_version: self.format_version,
            stack: self.stack.clone(),
            region: self.region.clone(),
            changes: self.changes.clone(),
            summary: self.summary(),
            errors: self.errors.clone(),
        }
    }
}

impl From<Plan> for SavedPlan {
    fn from(plan: Plan) -> SavedPlan {
        SavedPlan {
            document: plan.document(),
            spec_digest: plan.spec_digest,
            observed: plan.observed,
            steps: plan.steps,
        }
    }
}

impl TryFrom<SavedPlan> for Plan {
    type Error = SavedPlanError;

    fn try_from(saved: SavedPlan) -> Result<Plan, SavedPlanError> {
        let d = saved.document;
        if d.format_version != FORMAT_VERSION {
            return Err(SavedPlanError::Format(d.format_version));
        }
        let plan = Plan {
            format_version: d.format_version,
            stack: d.stack,
            region: d.region,
            changes: d.changes,
            errors: d.errors,
            spec_digest: saved.spec_digest,
            observed: saved.observed,
            steps: saved.steps,
        };
        if plan.summary() != d.summary {
            return Err(SavedPlanError::Summary);
        }
        plan.check_steps()?;
        Ok(plan)
    }
}
