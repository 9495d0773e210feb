//! Metric attributions: the metrics CreateMetricAttribution and
//! UpdateMetricAttribution take, what an update does, and which datasets one
//! references (which DeleteDataset then refuses).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::record::{Resource, Update};
use super::Model;
use crate::clock::Millis;
use crate::error::{ApiError, ErrorCode};
use personalize_facts::resource::{DatasetType, Kind, Status};
use personalize_facts::rules::filter::DatasetSchema;
use personalize_facts::rules::metrics::{self, Expression, MAX_METRICS};

/// An UpdateMetricAttribution request, its members as sent.
pub struct MetricsUpdate {
    pub add: Vec<Value>,
    pub remove: Vec<String>,
    pub output: Option<Value>,
}

fn text<'a>(metric: &'a Value, member: &str) -> &'a str {
    metric
        .get(member)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

impl Model {
    /// A metric attribution's `metrics`: at most `MAX_METRICS`, each with an
    /// expression of `rules::metrics` summing a numeric field of the group's
    /// datasets as they are now, names unique (undocumented: a choice, since
    /// removeMetrics names metrics by `metricName`).
    pub(super) fn check_metrics(
        &self,
        now: Millis,
        group_arn: &str,
        metrics: &Value,
    ) -> Result<(), ApiError> {
        let list = metrics.as_array().map(Vec::as_slice).unwrap_or_default();
        if list.len() > MAX_METRICS {
            return Err(ApiError::invalid_input(format!(
                "A metric attribution can have at most {MAX_METRICS} metrics, not {}",
                list.len()
            )));
        }
        let schemas = self.group_schemas(now, group_arn);
        let mut names = BTreeSet::new();
        for metric in list {
            for member in ["eventType", "metricName", "expression"] {
                if metric.get(member).and_then(Value::as_str).is_none() {
                    return Err(ApiError::invalid_input(format!(
                        "Every metric needs {member}"
                    )));
                }
            }
            let name = text(metric, "metricName");
            if !names.insert(name) {
                return Err(ApiError::invalid_input(format!(
                    "The metric name {name} is used twice"
                )));
            }
            let invalid = |e: metrics::ExpressionError| {
                ApiError::invalid_input(format!("Invalid metric expression: {e}"))
            };
            if let Expression::Sum { dataset, field } =
                metrics::parse(text(metric, "expression")).map_err(invalid)?
            {
                let schema = match schemas.get(&dataset) {
                    None => DatasetSchema::Absent,
                    Some(None) => DatasetSchema::Unknown,
                    Some(Some(s)) => DatasetSchema::Known(s),
                };
                metrics::check_sum_field(dataset, &field, schema).map_err(invalid)?;
            }
        }
        Ok(())
    }

    /// UpdateMetricAttribution: "When you update a metric attribution, you
    /// can add and remove metrics and modify its output configuration"
    /// (https://docs.aws.amazon.com/personalize/latest/dg/updating-metric-attribution.html).
    /// It needs an ACTIVE metric attribution, as every update does. Removed
    /// names must exist (InvalidInputException), an added name must not
    /// (ResourceAlreadyExistsException, which the operation declares); the
    /// result keeps the metric rules. The pages give no states for an
    /// update, and Describe has no `latestMetricAttributionUpdate`: as
    /// UpdateDataset does, it runs through UPDATE PENDING > UPDATE
    /// IN_PROGRESS > ACTIVE over the create delay, keeping what it had
    /// until then.
    pub fn update_metric_attribution(
        &mut self,
        now: Millis,
        arn: &str,
        request: MetricsUpdate,
    ) -> Result<&Resource, ApiError> {
        let lc = self.lc();
        let resource = self.describe(now, Kind::MetricAttribution, arn)?;
        let status = resource.status(now, lc);
        if status != Some(Status::Active) {
            return Err(ApiError::in_use(format!(
                "The metric attribution {arn} cannot be updated while its status is {}",
                status.as_ref().map_or("none", Status::as_str)
            )));
        }
        let current = resource.current_attrs(now, lc);
        let mut kept: Vec<Value> = current
            .get("metrics")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for name in &request.remove {
            let at = kept.iter().position(|m| text(m, "metricName") == name);
            let at = at.ok_or_else(|| {
                ApiError::invalid_input(format!("The metric attribution has no metric {name}"))
            })?;
            kept.remove(at);
        }
        for metric in &request.add {
            let name = text(metric, "metricName");
            if kept.iter().any(|m| text(m, "metricName") == name) {
                return Err(ApiError::new(
                    ErrorCode::ResourceAlreadyExists,
                    format!("The metric attribution already has a metric {name}"),
                ));
            }
            kept.push(metric.clone());
        }
        let metrics = Value::from(kept);
        let group = resource.parent.clone().unwrap_or_default();
        self.check_metrics(now, &group, &metrics)?;
        let mut changes = Map::from_iter([("metrics".to_string(), metrics)]);
        changes.extend(
            request
                .output
                .map(|o| ("metricsOutputConfig".to_string(), o)),
        );
        let resource = self
            .account
            .resources
            .get_mut(arn)
            .ok_or_else(|| ApiError::not_found(arn))?;
        // The previous update has settled: its outcome becomes the resource's.
        resource.attrs = current;
        resource.update = Some(Update {
            schema_arn: None,
            summary: changes.clone(),
            changes,
            started: now,
            failure_reason: None,
        });
        Ok(resource)
    }

    /// ListMetricAttributionMetrics: the metrics as they are at `now`.
    pub fn metric_attribution_metrics(
        &self,
        now: Millis,
        arn: &str,
    ) -> Result<Vec<Value>, ApiError> {
        // The operation declares no ResourceNotFoundException: an unknown
        // ARN is invalid input.
        let resource = self
            .describe(now, Kind::MetricAttribution, arn)
            .map_err(|_| ApiError::invalid_input(format!("No metric attribution {arn}")))?;
        let attrs = resource.current_attrs(now, self.lc());
        Ok(attrs
            .get("metrics")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }

    /// Whether the metric attribution `ma` references a dataset of type
    /// `t` at `now` (`metrics::references`).
    pub(super) fn metrics_reference(&self, now: Millis, ma: &Resource, t: DatasetType) -> bool {
        let attrs = ma.current_attrs(now, self.lc());
        let metrics = attrs.get("metrics").and_then(Value::as_array);
        let expressions = metrics.into_iter().flatten().map(|m| text(m, "expression"));
        metrics::references(expressions, t)
    }
}
