//! The account as read, as plain data (no I/O): `LiveState`, a snapshot of
//! the account as far as the plan needs it, and `ExtraReads`, what a read
//! must fetch beyond its first pass. `live` fills them; `plan` reads them.

mod reads;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::resource::Tags;
pub use reads::ExtraReads;

use crate::resource::{DatasetType, Domain, Kind, RecommenderState, Status};

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
    /// not this stack's).
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
    /// A recommender's, solution's or campaign's settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served: Option<ChildConfig>,
    /// A solution with a version being created (trained) or stopped, which
    /// makes Personalize refuse `DeleteDataset` in its group.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub training: bool,
    /// A solution's latest ACTIVE version, which a new campaign deploys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_version: Option<String>,
    /// A recommender's, solution's or campaign's latest update, while it
    /// runs: Describe still shows the previous settings until it is ACTIVE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updating: Option<Status>,
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
