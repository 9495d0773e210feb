//! The account as read, as plain data (no I/O): `LiveState`, a snapshot of
//! the account as far as the plan needs it, and `ExtraReads`, what a read
//! must fetch beyond its first pass. `live` fills them; `plan` reads them.

mod reads;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::resource::Tags;
pub use reads::ExtraReads;

use crate::resource::{DatasetType, Domain, Kind, Metric, MetricsOutput, RecommenderState, Status};

/// What pzr read from the account for one stack.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveState {
    pub region: String,
    /// Every dataset group in the region, sorted by name.
    pub groups: Vec<LiveGroup>,
    /// Every schema in the region, sorted by name. `definition` is read only
    /// where the planner needs the content (a dataset moving off it).
    pub schemas: Vec<LiveSchema>,
    /// The S3 locations the spec imports from, as listed at plan time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_locations: Vec<DataLocation>,
}

impl LiveState {
    pub fn group(&self, name: &str) -> Option<&LiveGroup> {
        self.groups.iter().find(|g| g.name == name)
    }

    pub fn schema_by_name(&self, name: &str) -> Option<&LiveSchema> {
        self.schemas.iter().find(|s| s.name == name)
    }

    pub fn schema_by_arn(&self, arn: &str) -> Option<&LiveSchema> {
        self.schemas.iter().find(|s| s.arn == arn)
    }

    /// What was listed under `uri` (`s3://bucket/key-or-prefix`), if read.
    pub fn data_location(&self, uri: &str) -> Option<&DataLocation> {
        self.data_locations.iter().find(|d| d.uri == uri)
    }
}

/// A dataset group. `details`, `datasets` and `children` are filled only for
/// the groups whose plan needs them (owned, or named by the spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveGroup {
    pub name: String,
    pub arn: String,
    pub status: Status,
    pub domain: Option<Domain>,
    pub last_updated: Option<f64>,
    pub tags: Tags,
    pub details: Option<GroupDetails>,
    pub datasets: Vec<LiveDataset>,
    /// Resources inside the group other than datasets (every kind of
    /// `Kind::CHILD_DELETE_ORDER`, with their tags), in every group read in
    /// detail.
    pub children: Vec<LiveChild>,
}

impl LiveGroup {
    /// The stack this group is tagged with, if any.
    pub fn stack(&self) -> Option<&str> {
        crate::resource::owner(&self.tags)
    }

    /// Its children of `kind`.
    pub fn children_of(&self, kind: Kind) -> impl Iterator<Item = &LiveChild> {
        self.children.iter().filter(move |c| c.kind == kind)
    }

    pub fn dataset(&self, dataset_type: DatasetType) -> Option<&LiveDataset> {
        self.datasets
            .iter()
            .find(|d| d.dataset_type == dataset_type)
    }
}

/// Fields only `DescribeDatasetGroup` returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupDetails {
    pub kms_key_arn: Option<String>,
    pub role_arn: Option<String>,
    pub failure_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveDataset {
    pub name: String,
    pub arn: String,
    pub dataset_type: DatasetType,
    pub status: Status,
    pub schema_arn: String,
    pub last_updated: Option<f64>,
    pub tags: Tags,
    /// Its import jobs, newest first, where the plan needs them (a declared
    /// import, or the data its group's serving waits for); `None`: not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imports: Option<Vec<LiveImport>>,
}

impl LiveDataset {
    /// Its newest import job, if read and any.
    pub fn latest_import(&self) -> Option<&LiveImport> {
        self.imports.as_ref()?.first()
    }

    /// Its newest ACTIVE import job, if read and any: the data it holds.
    pub fn latest_active_import(&self) -> Option<&LiveImport> {
        self.imports
            .as_ref()?
            .iter()
            .find(|i| i.status == Status::Active)
    }
}

/// A dataset import job, from ListDatasetImportJobs; `data_location` and
/// `role_arn` from DescribeDatasetImportJob, read for the newest job and
/// the newest ACTIVE one only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveImport {
    pub name: String,
    pub arn: String,
    pub status: Status,
    /// When it was created (started), epoch seconds.
    pub created: Option<f64>,
    /// When it last changed (ended, once settled), epoch seconds.
    pub last_updated: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
}

/// The objects under an S3 location (ListObjectsV2), or why they could not
/// be listed (no `s3:ListBucket`, say).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataLocation {
    pub uri: String,
    pub listing: Listing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Listing {
    Objects(Vec<DataObject>),
    Unreadable { error: String },
}

/// One S3 object as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataObject {
    pub key: String,
    pub size: u64,
    pub etag: String,
    /// Epoch seconds.
    pub last_modified: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveSchema {
    pub name: String,
    pub arn: String,
    pub domain: Option<Domain>,
    /// Canonical JSON of the schema, when it was read.
    pub definition: Option<String>,
}

/// A resource inside a dataset group other than a dataset (a solution, a
/// filter, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveChild {
    pub kind: Kind,
    pub name: String,
    pub arn: String,
    pub status: Status,
    /// Read for the kinds pzr manages; `None` when not read (then it is
    /// not this stack's). A kind Personalize cannot tag (a metric
    /// attribution) has its group's ownership tag here, as read: it belongs
    /// to whoever owns its group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<f64>,
    /// What only Describe tells, read where the plan compares or shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<ChildDetails>,
    /// A campaign's solution (ARN): campaigns are listed per solution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<String>,
}

impl LiveChild {
    /// Whether `stack` owns it (its tags were read and say so).
    pub fn owned_by(&self, stack: &str) -> bool {
        self.tags
            .as_ref()
            .is_some_and(|t| crate::resource::owns(t, stack))
    }

    /// Its settings, where Describe was read.
    pub fn config(&self) -> Option<ChildConfig> {
        let details = self.details.as_ref()?;
        match self.kind {
            Kind::EventTracker => Some(ChildConfig::EventTracker),
            Kind::Filter => Some(ChildConfig::Filter {
                expression: details.filter_expression.clone()?,
            }),
            _ => details.served.clone(),
        }
    }
}

/// The members of a child's Describe that its List summary lacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildDetails {
    /// An event tracker's: what applications pass to PutEvents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    /// A filter's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    /// A recommender's, solution's, campaign's or metric attribution's
    /// settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served: Option<ChildConfig>,
    /// A solution with a version being created (trained) or stopped, which
    /// makes Personalize refuse `DeleteDataset` in its group.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub training: bool,
    /// A solution's latest ACTIVE version, which a new campaign deploys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_version: Option<String>,
    /// When a solution's latest ACTIVE version was created (its training
    /// started), epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_version_trained: Option<f64>,
    /// The solution version a campaign deploys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployed_version: Option<String>,
    /// A solution whose newest version's training failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_training: Option<FailedTraining>,
    /// A recommender's, solution's or campaign's latest update, while it
    /// runs: Describe still shows the previous settings until it is ACTIVE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updating: Option<Status>,
}

/// A solution version whose training ended CREATE FAILED.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedTraining {
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    /// When the version was created (its training started), epoch seconds.
    pub at: f64,
}

/// What a child pzr manages is created with besides its name, group and
/// tags: the settings of its kind, each config in `resource::normalized`
/// form. Which of them can change in place is the planner's knowledge of
/// each kind; a change to any other replaces the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum ChildConfig {
    EventTracker,
    Filter {
        expression: String,
    },
    Recommender {
        recipe_arn: String,
        /// `recommenderConfig`, `minRecommendationRequestsPerSecond` always set.
        recommender_config: Map<String, Value>,
        state: RecommenderState,
    },
    Solution {
        recipe_arn: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_type: Option<String>,
        #[serde(rename = "performHPO")]
        perform_hpo: bool,
        /// `solutionConfig` without `autoTrainingConfig` (the two below).
        solution_config: Map<String, Value>,
        perform_auto_training: bool,
        /// Set exactly when `perform_auto_training` is (the API's default
        /// `rate(7 days)` written out).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scheduling_expression: Option<String>,
    },
    Campaign {
        #[serde(rename = "minProvisionedTPS")]
        min_provisioned_tps: u32,
        campaign_config: Map<String, Value>,
    },
    MetricAttribution {
        /// Sorted by name: their order means nothing to Personalize.
        metrics: Vec<Metric>,
        output: MetricsOutput,
    },
}

/// A solution's automatic training schedule when none is given: "The
/// default is every 7 days"
/// (https://docs.aws.amazon.com/personalize/latest/dg/API_AutoTrainingConfig.html).
pub const DEFAULT_SCHEDULE: &str = "rate(7 days)";

impl ChildConfig {
    pub fn kind(&self) -> Kind {
        match self {
            ChildConfig::EventTracker => Kind::EventTracker,
            ChildConfig::Filter { .. } => Kind::Filter,
            ChildConfig::Recommender { .. } => Kind::Recommender,
            ChildConfig::Solution { .. } => Kind::Solution,
            ChildConfig::Campaign { .. } => Kind::Campaign,
            ChildConfig::MetricAttribution { .. } => Kind::MetricAttribution,
        }
    }

    /// Whether a campaign follows its solution's newest version by itself.
    pub fn syncs_with_latest(&self) -> bool {
        match self {
            ChildConfig::Campaign {
                campaign_config, ..
            } => campaign_config.get("syncWithLatestSolutionVersion") == Some(&Value::Bool(true)),
            _ => false,
        }
    }
}

/// A dataset's `latestDatasetUpdate`: the schema it is moving (or moved, or
/// failed to move) to. A failed update leaves the dataset ACTIVE on its old
/// schema, with the failure only here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatasetUpdate {
    pub schema_arn: String,
    pub status: Status,
    pub failure_reason: Option<String>,
}
