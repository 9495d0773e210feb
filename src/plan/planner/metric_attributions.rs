//! Metric attributions: at most one per group, addressed by the group
//! (`metricAttribution.<group>`). UpdateMetricAttribution changes the
//! metrics and the output in place (same ARN); a new name replaces it,
//! which loses nothing already reported, but events in between are not
//! measured. Personalize cannot tag one: it is the group owner's.

use super::pairing::{Facts, Wanted};
use crate::plan::Reason;
use crate::resource::{Address, Kind, Tags};
use crate::spec::{metric_attribution_name, DatasetGroupSpec};
use crate::state::ChildConfig;

pub(super) static FACTS: Facts = Facts {
    destroys: None,
    gap: Some(Reason::MetricsNotReported),
    in_place: &["metrics", "output"],
};

/// The metric attribution `g` declares.
pub(super) fn wanted(g: &DatasetGroupSpec) -> Option<Wanted> {
    let a = g.metric_attribution.as_ref()?;
    let mut metrics = a.metrics.clone();
    metrics.sort();
    Some(Wanted {
        address: Address::one_per_group(Kind::MetricAttribution, &g.name),
        name: metric_attribution_name(&g.name, a),
        config: ChildConfig::MetricAttribution {
            metrics,
            output: a.output.clone(),
        },
        tags: Tags::new(),
        solution: None,
    })
}
