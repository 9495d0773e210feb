//! JSON documents for machines. Their JSON Schemas (`schemas/plan.schema.json`,
//! `schemas/drift.schema.json`) are generated from these types.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::plan::drift::{Coverage, DriftReport, DriftedResource, Unmanaged};
use crate::plan::{Plan, PlanDocument};

/// The drift report: the plan document plus the verdict, per-field drift,
/// the unmanaged groups and the coverage.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DriftDocument {
    #[serde(flatten)]
    pub plan: PlanDocument,
    pub in_sync: bool,
    pub drift: Vec<DriftedResource>,
    pub unmanaged: Vec<Unmanaged>,
    pub coverage: Coverage,
}

pub fn plan(plan: &Plan) -> Value {
    serde_json::to_value(plan.document()).unwrap_or_default()
}

pub fn drift(plan: &Plan, report: &DriftReport) -> Value {
    let doc = DriftDocument {
        plan: plan.document(),
        in_sync: report.in_sync,
        drift: report.drift.clone(),
        unmanaged: report.unmanaged.clone(),
        coverage: report.coverage,
    };
    serde_json::to_value(doc).unwrap_or_default()
}

/// `schemas/plan.schema.json`.
pub fn plan_schema_text() -> String {
    crate::spec::schema_text(schemars::schema_for!(PlanDocument))
}

/// `schemas/drift.schema.json`.
pub fn drift_schema_text() -> String {
    crate::spec::schema_text(schemars::schema_for!(DriftDocument))
}
