//! JSON documents for machines (see `schemas/plan.schema.json`).

use serde_json::{json, Value};

use crate::plan::Plan;

/// The plan document of DESIGN.md "Plan and drift JSON".
pub fn plan(plan: &Plan) -> Value {
    let mut doc = json!({
        "formatVersion": plan.format_version,
        "stack": plan.stack,
        "region": plan.region,
        "changes": plan.changes,
        "summary": plan.summary(),
    });
    if !plan.errors.is_empty() {
        doc["errors"] = json!(plan.errors);
    }
    doc
}

/// A saved plan: the plan document plus what apply needs.
pub fn saved_plan(plan: &Plan) -> Value {
    let mut doc = self::plan(plan);
    doc["specDigest"] = json!(plan.spec_digest);
    doc["observed"] = json!(plan.observed);
    doc["steps"] = json!(plan.steps);
    doc
}

/// The drift report: the plan document plus `inSync`, per-field drift,
/// the unmanaged groups and the coverage.
pub fn drift(plan: &Plan, report: &crate::plan::drift::DriftReport) -> Value {
    let mut doc = self::plan(plan);
    doc["inSync"] = json!(report.in_sync);
    doc["drift"] = json!(report.drift);
    doc["unmanaged"] = json!(report.unmanaged);
    doc["coverage"] = json!(report.coverage);
    doc
}
