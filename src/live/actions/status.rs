//! What Describe says of a resource's life cycle, for apply's waits: one
//! Describe per kind, read into `LiveStatus`.

use super::super::error::{found, LiveError};
use super::super::request::Personalize;
use crate::resource::{Kind, Status};
use crate::state::DatasetUpdate;

/// Describes `arn`, whose description (in `member` of the output) has a
/// status and a failure reason, and reads them (and, given `$update`, its
/// latest update).
macro_rules! described {
    ($client:expr, $op:literal, $arn:expr, |$c:ident| $request:expr, $member:ident) => {
        $client
            .send($op, $arn, |$c| $request.send())
            .await
            .map(|o| {
                let r = o.$member();
                st(
                    r.and_then(|r| r.status()),
                    r.and_then(|r| r.failure_reason()),
                )
            })
    };
    ($client:expr, $op:literal, $arn:expr, |$c:ident| $request:expr, $member:ident, $update:ident) => {
        $client
            .send($op, $arn, |$c| $request.send())
            .await
            .map(|o| {
                let r = o.$member();
                let update = r.and_then(|r| r.$update()).map(|u| LatestUpdate {
                    status: Status::parse(u.status().unwrap_or_default()),
                    failure_reason: u.failure_reason().map(str::to_string),
                });
                LiveStatus {
                    update,
                    ..st(
                        r.and_then(|r| r.status()),
                        r.and_then(|r| r.failure_reason()),
                    )
                }
            })
    };
}

/// What Describe says of a resource's life cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveStatus {
    pub status: Status,
    pub failure_reason: Option<String>,
    /// Datasets only: the schema it has, and its latest schema update.
    pub schema: Option<DatasetSchema>,
    /// Recommenders, solutions and campaigns: their latest update
    /// (`latest<Kind>Update`), which runs while the resource stays ACTIVE.
    pub update: Option<LatestUpdate>,
}

/// A recommender's, solution's or campaign's latest update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestUpdate {
    pub status: Status,
    pub failure_reason: Option<String>,
}

/// Where a dataset stands with its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetSchema {
    pub schema_arn: String,
    pub latest_update: Option<DatasetUpdate>,
}

impl LiveStatus {
    /// A status with no more to tell.
    pub fn of(status: Status) -> LiveStatus {
        LiveStatus {
            status,
            failure_reason: None,
            schema: None,
            update: None,
        }
    }
}

/// The life-cycle status of a resource; `None` when it does not exist.
pub(super) async fn status(
    client: &Personalize,
    kind: Kind,
    arn: &str,
) -> Result<Option<LiveStatus>, LiveError> {
    fn st(status: Option<&str>, reason: Option<&str>) -> LiveStatus {
        LiveStatus {
            failure_reason: reason.map(str::to_string),
            ..LiveStatus::of(Status::parse(status.unwrap_or_default()))
        }
    }
    let result = match kind {
        // Schemas have no life cycle: one that exists is usable.
        Kind::Schema => client
            .send("DescribeSchema", arn, |c| {
                c.describe_schema().schema_arn(arn).send()
            })
            .await
            .map(|_| LiveStatus::of(Status::Active)),
        Kind::DatasetGroup => described!(
            client,
            "DescribeDatasetGroup",
            arn,
            |c| c.describe_dataset_group().dataset_group_arn(arn),
            dataset_group
        ),
        Kind::Dataset => client
            .send("DescribeDataset", arn, |c| {
                c.describe_dataset().dataset_arn(arn).send()
            })
            .await
            .map(|o| {
                let d = o.dataset();
                let latest_update =
                    d.and_then(|d| d.latest_dataset_update())
                        .map(|u| DatasetUpdate {
                            schema_arn: u.schema_arn().unwrap_or_default().to_string(),
                            status: Status::parse(u.status().unwrap_or_default()),
                            failure_reason: u.failure_reason().map(str::to_string),
                        });
                let reason = latest_update
                    .as_ref()
                    .and_then(|u| u.failure_reason.as_deref());
                LiveStatus {
                    schema: Some(DatasetSchema {
                        schema_arn: d
                            .and_then(|d| d.schema_arn())
                            .unwrap_or_default()
                            .to_string(),
                        latest_update: latest_update.clone(),
                    }),
                    ..st(d.and_then(|d| d.status()), reason)
                }
            }),
        Kind::MetricAttribution => described!(
            client,
            "DescribeMetricAttribution",
            arn,
            |c| c.describe_metric_attribution().metric_attribution_arn(arn),
            metric_attribution
        ),
        Kind::Recommender => described!(
            client,
            "DescribeRecommender",
            arn,
            |c| c.describe_recommender().recommender_arn(arn),
            recommender,
            latest_recommender_update
        ),
        Kind::Campaign => described!(
            client,
            "DescribeCampaign",
            arn,
            |c| c.describe_campaign().campaign_arn(arn),
            campaign,
            latest_campaign_update
        ),
        Kind::Filter => described!(
            client,
            "DescribeFilter",
            arn,
            |c| c.describe_filter().filter_arn(arn),
            filter
        ),
        Kind::Solution => client
            .send("DescribeSolution", arn, |c| {
                c.describe_solution().solution_arn(arn).send()
            })
            .await
            .map(|o| {
                let s = o.solution();
                let update = s
                    .and_then(|s| s.latest_solution_update())
                    .map(|u| LatestUpdate {
                        status: Status::parse(u.status().unwrap_or_default()),
                        failure_reason: u.failure_reason().map(str::to_string),
                    });
                LiveStatus {
                    update,
                    ..st(s.and_then(|s| s.status()), None)
                }
            }),
        Kind::EventTracker => client
            .send("DescribeEventTracker", arn, |c| {
                c.describe_event_tracker().event_tracker_arn(arn).send()
            })
            .await
            .map(|o| st(o.event_tracker().and_then(|t| t.status()), None)),
        Kind::DatasetImportJob => described!(
            client,
            "DescribeDatasetImportJob",
            arn,
            |c| c.describe_dataset_import_job().dataset_import_job_arn(arn),
            dataset_import_job
        ),
    };
    found(result)
}
