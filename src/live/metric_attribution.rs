//! Metric attributions through the SDK: the `ChildConfig` from their
//! Describe and ListMetricAttributionMetrics, Create, and the
//! UpdateMetricAttribution that moves the live metrics to the wanted ones
//! (`addMetrics`, `removeMetrics`, `metricsOutputConfig`). They cannot be
//! tagged, so no tags are sent or read.

use aws_sdk_personalize::types::{MetricAttribute, MetricAttributionOutput, S3DataConfig};

use super::error::{found, LiveError};
use super::request::Personalize;
use crate::resource::{Metric, MetricsOutput};
use crate::state::{ChildConfig, ChildDetails};

// The builders fail only for a missing required member, and every one is
// set: as `api_tags`, `ok()`.
fn api_metrics<'a>(metrics: impl IntoIterator<Item = &'a Metric>) -> Vec<MetricAttribute> {
    metrics
        .into_iter()
        .filter_map(|m| {
            MetricAttribute::builder()
                .event_type(&m.event_type)
                .metric_name(&m.metric_name)
                .expression(&m.expression)
                .build()
                .ok()
        })
        .collect()
}

fn api_output(o: &MetricsOutput) -> Option<MetricAttributionOutput> {
    let s3 = S3DataConfig::builder().path(&o.s3).build().ok()?;
    MetricAttributionOutput::builder()
        .role_arn(&o.role_arn)
        .s3_data_destination(s3)
        .build()
        .ok()
}

/// Its metrics, sorted (`ChildConfig`'s order). One page holds them all:
/// a metric attribution has at most 10.
async fn metrics(client: &Personalize, arn: &str) -> Result<Option<Vec<Metric>>, LiveError> {
    let listed = client
        .send("ListMetricAttributionMetrics", arn, |c| {
            c.list_metric_attribution_metrics()
                .metric_attribution_arn(arn)
                .max_results(100)
                .send()
        })
        .await;
    Ok(found(listed)?.map(|out| {
        let mut metrics: Vec<Metric> = out
            .metrics()
            .iter()
            .map(|m| Metric {
                event_type: m.event_type().to_string(),
                metric_name: m.metric_name().to_string(),
                expression: m.expression().to_string(),
            })
            .collect();
        metrics.sort();
        metrics
    }))
}

/// What Describe and ListMetricAttributionMetrics tell; `None` when gone.
pub(super) async fn details(
    client: &Personalize,
    arn: &str,
) -> Result<Option<ChildDetails>, LiveError> {
    let (described, metrics) = tokio::join!(
        client.send("DescribeMetricAttribution", arn, |c| {
            c.describe_metric_attribution()
                .metric_attribution_arn(arn)
                .send()
        }),
        metrics(client, arn)
    );
    let (Some(described), Some(metrics)) = (found(described)?, metrics?) else {
        return Ok(None);
    };
    let Some(m) = described.metric_attribution() else {
        return Ok(None);
    };
    let output = m.metrics_output_config();
    Ok(Some(ChildDetails {
        failure_reason: m.failure_reason().map(str::to_string),
        served: Some(ChildConfig::MetricAttribution {
            metrics,
            output: MetricsOutput {
                s3: output
                    .and_then(|o| o.s3_data_destination())
                    .map(|d| d.path().to_string())
                    .unwrap_or_default(),
                role_arn: output.map(|o| o.role_arn().to_string()).unwrap_or_default(),
            },
        }),
        ..ChildDetails::default()
    }))
}

pub(super) async fn create(
    client: &Personalize,
    name: &str,
    group_arn: &str,
    metrics: &[Metric],
    output: &MetricsOutput,
) -> Result<String, LiveError> {
    let metrics = api_metrics(metrics);
    let output = api_output(output);
    let created = client
        .send("CreateMetricAttribution", name, |c| {
            c.create_metric_attribution()
                .name(name)
                .dataset_group_arn(group_arn)
                .set_metrics(Some(metrics.clone()))
                .set_metrics_output_config(output.clone())
                .send()
        })
        .await?;
    Ok(created
        .metric_attribution_arn()
        .unwrap_or_default()
        .to_string())
}

/// Moves the live metric attribution to `metrics` and `output`: removes
/// what differs, adds what is missing (a changed metric is both), and sets
/// the output when it differs. Read first, so a step run again after an
/// interruption asks for nothing already done.
pub(super) async fn update(
    client: &Personalize,
    arn: &str,
    metrics: &[Metric],
    output: &MetricsOutput,
) -> Result<(), LiveError> {
    let Some(ChildConfig::MetricAttribution {
        metrics: live,
        output: live_output,
    }) = details(client, arn).await?.and_then(|d| d.served)
    else {
        return Ok(()); // gone: the wait after says so
    };
    let remove: Vec<String> = live
        .iter()
        .filter(|m| !metrics.contains(m))
        .map(|m| m.metric_name.clone())
        .collect();
    let add = api_metrics(metrics.iter().filter(|m| !live.contains(m)));
    let new_output = (live_output != *output)
        .then(|| api_output(output))
        .flatten();
    if remove.is_empty() && add.is_empty() && new_output.is_none() {
        return Ok(());
    }
    client
        .send("UpdateMetricAttribution", arn, |c| {
            c.update_metric_attribution()
                .metric_attribution_arn(arn)
                .set_add_metrics(Some(add.clone()).filter(|a| !a.is_empty()))
                .set_remove_metrics(Some(remove.clone()).filter(|r| !r.is_empty()))
                .set_metrics_output_config(new_output.clone())
                .send()
        })
        .await
        .map(|_| ())
}
