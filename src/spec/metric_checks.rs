//! Offline checks of a group's metric attribution: its name (the API's
//! pattern, unique in the spec), at most 10 metrics with unique names, each
//! expression `SAMPLECOUNT()` or `SUM()` of a numeric field of the group's
//! dataset (the rulebook's `rules::metrics`), and where reports go: an
//! `s3://` location and an IAM role ARN.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::checks::{check_arn, check_child_name, ROLE_ARN};
use super::locate::{child_index, child_key, Issue};
use super::resolve::Parsed;
use super::tracker_filter_checks::{dataset_schema, unique};
use super::{metric_attribution_name, MetricAttributionSpec, S3Uri, SpecFile};
use crate::rules::metrics::{self, Expression, ExpressionError, EXPRESSION_PAGE, MAX_METRICS};

/// Where "at most one per group" and "at most 10 metrics" come from.
const REQUIREMENTS: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/metric-attribution-requirements.html";

/// Findings about every group's metric attribution.
pub fn check(spec: &SpecFile, schemas: &BTreeMap<String, Parsed>) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut names: HashMap<String, String> = HashMap::new();
    for (i, group) in spec.dataset_groups.iter().enumerate() {
        let Some(attribution) = &group.metric_attribution else {
            continue;
        };
        let path = child_key(&child_index("datasetGroups", i), "metricAttribution");
        let name = metric_attribution_name(&group.name, attribution);
        let what = "metric attribution";
        check_child_name(attribution.name.as_deref(), &name, &path, what, &mut issues);
        unique(&mut names, name, &path, what, &mut issues);
        check_metrics(attribution, &path, &mut issues, |e| match e {
            Expression::SampleCount => Ok(()),
            Expression::Sum { dataset, field } => {
                let schema = dataset_schema(group, spec, schemas, *dataset);
                metrics::check_sum_field(*dataset, field, schema)
            }
        });
        check_output(attribution, &path, &mut issues);
    }
    issues
}

/// The metrics: how many, unique names, expressions of the rulebook's form
/// that `fits` the group's datasets.
fn check_metrics(
    attribution: &MetricAttributionSpec,
    path: &str,
    issues: &mut Vec<Issue>,
    fits: impl Fn(&Expression) -> Result<(), ExpressionError>,
) {
    let metrics_path = child_key(path, "metrics");
    let count = attribution.metrics.len();
    if count > MAX_METRICS {
        issues.push(Issue::key(
            &metrics_path,
            format!("{count} metrics, but a metric attribution has at most {MAX_METRICS}"),
            format!("keep at most {MAX_METRICS} metrics (rule: {REQUIREMENTS})"),
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, metric) in attribution.metrics.iter().enumerate() {
        let metric_path = child_index(&metrics_path, i);
        if !seen.insert(metric.metric_name.as_str()) {
            issues.push(Issue::value(
                child_key(&metric_path, "metricName"),
                format!("metric name `{}` is used twice", metric.metric_name),
                "give each metric its own metricName: updates remove metrics by name",
            ));
        }
        let expression_path = child_key(&metric_path, "expression");
        let rule = |hint: String| format!("{hint} (rule: {EXPRESSION_PAGE})");
        if let Err(e) = metrics::parse(&metric.expression).and_then(|e| fits(&e)) {
            issues.push(Issue::value(&expression_path, e.message, rule(e.hint)));
        }
    }
}

/// `output.s3` an `s3://` location, `output.roleArn` an IAM role ARN.
fn check_output(attribution: &MetricAttributionSpec, path: &str, issues: &mut Vec<Issue>) {
    let output_path = child_key(path, "output");
    let output = &attribution.output;
    if let Err(e) = S3Uri::parse(&output.s3) {
        issues.push(Issue::value(
            child_key(&output_path, "s3"),
            e.to_string(),
            "write the bucket and prefix reports go under, as `s3://bucket/prefix/`",
        ));
    }
    let role_path = child_key(&output_path, "roleArn");
    check_arn(&output.role_arn, &ROLE_ARN, &role_path, issues);
}
