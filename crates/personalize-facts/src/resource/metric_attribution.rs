//! A metric attribution's settings, as the spec states them and as
//! Describe/ListMetricAttributionMetrics tell them: botocore's
//! `MetricAttribute` and `MetricAttributionOutput` (the S3 path and role;
//! pzr sets no `kmsKeyArn`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One metric: "an event type to track and a function"
/// (https://docs.aws.amazon.com/personalize/latest/dg/API_MetricAttribute.html).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metric {
    /// The interactions' `EVENT_TYPE` it counts.
    #[schemars(length(min = 1, max = 256))]
    pub event_type: String,
    /// Its name in CloudWatch and S3; unique in the metric attribution.
    #[schemars(length(min = 1, max = 256))]
    pub metric_name: String,
    /// `SAMPLECOUNT()` or `SUM(Items.<FIELD>)` (a numeric field).
    #[schemars(length(min = 1, max = 256))]
    pub expression: String,
}

/// Where reports go (`metricsOutputConfig`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricsOutput {
    /// `s3://bucket/prefix` reports are written under
    /// (`s3DataDestination.path`).
    #[schemars(length(min = 1, max = 256))]
    pub s3: String,
    /// IAM role Personalize assumes to write to S3 and CloudWatch.
    #[schemars(
        regex = "crate::patterns::ROLE_ARN",
        length(max = "crate::patterns::MAX_ROLE_ARN_CHARS")
    )]
    pub role_arn: String,
}
