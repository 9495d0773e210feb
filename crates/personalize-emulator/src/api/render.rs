//! A resource as Describe and List show it.

use serde_json::Value;

use crate::clock::Millis;
use crate::model::{epoch_seconds, Model, Noun, Resource};
use personalize_facts::resource::{Kind, Status};

/// Whether a List summary of `noun` (or a summary nested in a Describe)
/// carries `member`: the ARN, status and times always; `name` (`jobName`)
/// everywhere but in SolutionVersionSummary; `failureReason` only where the
/// summary shape declares it (DatasetGroupSummary, FilterSummary,
/// CampaignSummary, SolutionVersionSummary, DatasetImportJobSummary,
/// MetricAttributionSummary in
/// botocore's model); the rest as
/// `KindInfo::summary_members` lists them.
fn in_summary(noun: Noun, member: &str) -> bool {
    let info = noun.info();
    match member {
        "status" | "creationDateTime" | "lastUpdatedDateTime" => true,
        "name" | "jobName" => noun != Noun::SolutionVersion,
        "failureReason" => matches!(
            noun,
            Noun::Kind(
                Kind::DatasetGroup | Kind::Filter | Kind::Campaign | Kind::MetricAttribution
            ) | Noun::SolutionVersion
                | Noun::DATASET_IMPORT_JOB
        ),
        _ => member == info.arn_member || info.summary_members.contains(&member),
    }
}

/// A resource as Describe (`summary` false) or List shows it. Times are
/// epoch seconds, as the AWS JSON protocol sends them.
pub(super) fn render(model: &Model, now: Millis, r: &Resource, summary: bool) -> Value {
    let lc = model.rules.lifecycle;
    let mut out = r.current_attrs(now, lc);
    if let Some(version) = model.synced_version(now, r) {
        out.insert("solutionVersionArn".into(), Value::from(version));
    }
    if !r.name.is_empty() {
        out.insert(r.kind.name_member().into(), Value::from(r.name.clone()));
    }
    out.insert(r.kind.info().arn_member.into(), Value::from(r.arn.clone()));
    out.insert(
        "creationDateTime".into(),
        Value::from(epoch_seconds(r.created)),
    );
    out.insert(
        "lastUpdatedDateTime".into(),
        Value::from(epoch_seconds(r.last_updated(now, lc))),
    );
    if let Some(status) = r.status(now, lc) {
        out.insert("status".into(), Value::from(status.as_str()));
        if let Some(reason) = r
            .failure_reason
            .as_ref()
            .filter(|_| status == Status::CreateFailed)
        {
            out.insert("failureReason".into(), Value::from(reason.clone()));
        }
    }
    if let Some(schema) = r.schema_arn(now, lc).filter(|_| r.kind == Kind::Dataset) {
        out.insert("schemaArn".into(), Value::from(schema));
    }
    // A metric attribution's Describe has neither its metrics
    // (ListMetricAttributionMetrics lists them) nor a latest update.
    let metric_attribution = r.kind == Kind::MetricAttribution;
    if metric_attribution {
        out.remove("metrics");
    }
    let latest = r.update.as_ref().filter(|_| !metric_attribution);
    if let (Some(update), Some((status, since))) = (latest, r.update_status(now, lc)) {
        // `latestDatasetUpdate`, `latestSolutionUpdate`, `latestCampaignUpdate`,
        // `latestRecommenderUpdate`: the request's members, status and times.
        let mut latest = update.summary.clone();
        latest.insert("status".into(), Value::from(status.as_str()));
        latest.insert(
            "creationDateTime".into(),
            Value::from(epoch_seconds(update.started)),
        );
        latest.insert(
            "lastUpdatedDateTime".into(),
            Value::from(epoch_seconds(since)),
        );
        if let Some(reason) = update
            .failure_reason
            .as_ref()
            .filter(|_| status == Status::CreateFailed)
        {
            latest.insert("failureReason".into(), Value::from(reason.clone()));
        }
        out.insert(
            format!("latest{}Update", r.kind.info().api_noun),
            Value::Object(latest),
        );
    }
    if r.kind == Kind::Solution {
        let mut versions = model.list(now, Noun::SolutionVersion, Some(&r.arn), None);
        if let Some(latest) = versions.next_back() {
            out.insert(
                "latestSolutionVersion".into(),
                render(model, now, latest, true),
            );
        }
    }
    if summary {
        out.retain(|member, _| in_summary(r.kind, member));
    }
    Value::Object(out)
}
