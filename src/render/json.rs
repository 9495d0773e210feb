//! JSON documents for machines. Their JSON Schemas (`schemas/plan.schema.json`,
//! `schemas/drift.schema.json`) are generated from these types.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{json, Value};

use crate::plan::drift::{Coverage, DriftReport, DriftedResource, Unmanaged};
use crate::plan::{Change, Plan, PlanError, Summary};

/// The plan document of DESIGN.md "Plan and drift JSON".
#[derive(Debug, Clone, Serialize, JsonSchema)]
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

pub fn plan_document(plan: &Plan) -> PlanDocument {
    PlanDocument {
        format_version: plan.format_version,
        stack: plan.stack.clone(),
        region: plan.region.clone(),
        changes: plan.changes.clone(),
        summary: plan.summary(),
        errors: plan.errors.clone(),
    }
}

pub fn plan(plan: &Plan) -> Value {
    serde_json::to_value(plan_document(plan)).unwrap_or_default()
}

/// A saved plan: the plan document plus what apply needs.
pub fn saved_plan(plan: &Plan) -> Value {
    let mut doc = self::plan(plan);
    doc["specDigest"] = json!(plan.spec_digest);
    doc["observed"] = json!(plan.observed);
    doc["steps"] = json!(plan.steps);
    doc
}

pub fn drift(plan: &Plan, report: &DriftReport) -> Value {
    let doc = DriftDocument {
        plan: plan_document(plan),
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
