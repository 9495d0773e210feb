//! The plan's JSON forms: the document people and CI read (docs/plan-json.md,
//! with its JSON Schema generated from `PlanDocument`), and
//! the saved plan (`pzr plan -o`): that document plus what apply needs.
//! A `Plan` serialises as a saved plan and is read back only through
//! `SavedPlan`'s checks, its format version first.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::cost::Billing;
use super::model::{
    Change, InvalidSteps, Observed, Origin, Plan, PlanError, Step, Summary, FORMAT_VERSION,
};

/// The plan document people and CI read (docs/plan-json.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanDocument {
    pub format_version: u32,
    pub stack: String,
    pub region: String,
    /// Changes in plan order; no-op resources are not listed.
    pub changes: Vec<Change>,
    pub summary: Summary,
    /// What the plan does to the bill, its priced charges added up; absent
    /// when no change touches the bill. Made from the notes, so a saved
    /// plan's is not read back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<Billing>,
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
    /// What it was made against; every saved plan of this pzr has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// A saved plan pzr cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SavedPlanError {
    #[error("it was made by an older pzr (plan format {0}); plan again")]
    Older(u64),
    #[error(
        "it was made by a newer pzr (plan format {0}); this pzr reads format {FORMAT_VERSION}"
    )]
    Newer(u64),
    /// Not the shape of this format (serde's words).
    #[error("{0}")]
    Shape(String),
    #[error("its step graph is invalid: {0}")]
    Steps(#[from] InvalidSteps),
    #[error("its summary does not match its changes (was it edited?)")]
    Summary,
    #[error("it does not say what it was made against (made by an older pzr); plan again")]
    NoOrigin,
}

impl Plan {
    pub fn document(&self) -> PlanDocument {
        PlanDocument {
            format_version: self.format_version,
            stack: self.stack.clone(),
            region: self.region.clone(),
            changes: self.changes.clone(),
            summary: self.summary(),
            billing: Some(self.billing()).filter(Billing::any),
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
            origin: Some(plan.origin),
        }
    }
}

fn check_version(version: u64) -> Result<(), SavedPlanError> {
    let current = u64::from(FORMAT_VERSION);
    match version {
        older if older < current => Err(SavedPlanError::Older(older)),
        newer if newer > current => Err(SavedPlanError::Newer(newer)),
        _ => Ok(()),
    }
}

impl TryFrom<Value> for Plan {
    type Error = SavedPlanError;

    /// The format version is read first: another format's changes have
    /// another shape, and saying which pzr made it helps more than serde's
    /// account of the first field that differs.
    fn try_from(value: Value) -> Result<Plan, SavedPlanError> {
        if let Some(version) = value.get("formatVersion").and_then(Value::as_u64) {
            check_version(version)?;
        }
        let saved: SavedPlan =
            serde_json::from_value(value).map_err(|e| SavedPlanError::Shape(e.to_string()))?;
        Plan::try_from(saved)
    }
}

impl TryFrom<SavedPlan> for Plan {
    type Error = SavedPlanError;

    fn try_from(saved: SavedPlan) -> Result<Plan, SavedPlanError> {
        let d = saved.document;
        check_version(d.format_version.into())?;
        let plan = Plan {
            format_version: d.format_version,
            stack: d.stack,
            region: d.region,
            changes: d.changes,
            errors: d.errors,
            spec_digest: saved.spec_digest,
            observed: saved.observed,
            steps: saved.steps,
            origin: saved.origin.ok_or(SavedPlanError::NoOrigin)?,
        };
        if plan.summary() != d.summary {
            return Err(SavedPlanError::Summary);
        }
        plan.check_steps()?;
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, Blocker, Deferral, Note, PricedNote, Reason};
    use crate::resource::{Address, Kind};

    fn plan() -> Plan {
        let change = Change {
            address: Address::campaign("g", "s", "c"),
            action: Action::Create,
            reasons: vec![Reason::NotInSpec {
                kind: Kind::Campaign,
            }],
            blocked: vec![Blocker::ProtectedInGroup],
            destructive: false,
            before: None,
            after: None,
            notes: vec![PricedNote::new(Note::Hpo, "r")],
            deferred: Some(Deferral::AwaitingTraining {
                solution: "g-s".into(),
            }),
        };
        Plan {
            format_version: FORMAT_VERSION,
            stack: "s".into(),
            region: "r".into(),
            changes: vec![change],
            errors: Vec::new(),
            spec_digest: "d".into(),
            observed: Vec::new(),
            steps: Vec::new(),
            origin: Origin {
                sandbox: true,
                endpoint: None,
                account: Some("111122223333".into()),
            },
        }
    }

    #[test]
    fn a_saved_plan_reads_back_typed() {
        let text = serde_json::to_string(&plan()).expect("json");
        let back: Plan = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back, plan());
        let value: Value = serde_json::from_str(&text).expect("json");
        let reason = &value["changes"][0]["reasons"][0];
        assert_eq!(reason["code"], "not_in_spec");
        assert_eq!(reason["message"], "the campaign is no longer in the spec");
        assert_eq!(value["changes"][0]["deferred"]["code"], "awaiting_training");
    }

    #[test]
    fn another_format_is_refused_before_its_shape_is_read() {
        let mut value = serde_json::to_value(plan()).expect("json");
        // Format 1 wrote sentences where format 2 writes {code, message}.
        value["formatVersion"] = 1.into();
        value["changes"][0]["reasons"] =
            serde_json::json!(["the campaign is no longer in the spec"]);
        let err = serde_json::from_value::<Plan>(value.clone()).expect_err("refused");
        assert!(
            err.to_string()
                .contains("made by an older pzr (plan format 1); plan again"),
            "{err}"
        );
        value["formatVersion"] = 3.into();
        let err = serde_json::from_value::<Plan>(value).expect_err("refused");
        assert!(err.to_string().contains("made by a newer pzr"), "{err}");
    }
}
