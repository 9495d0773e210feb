//! The spec's data model (format version 1), as written in YAML.

use crate::resource::{DatasetType, Domain, Metric, MetricsOutput, RecommenderState};
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A whole spec file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpecFile {
    /// Spec format version; must be 1.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// Ownership scope: every managed resource is tagged `pzr:stack=<stack>`.
    #[schemars(regex = "crate::spec::patterns::STACK")]
    pub stack: String,
    /// AWS region; when absent the AWS config chain decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex = "crate::spec::patterns::REGION")]
    pub region: Option<String>,
    /// Tag keys (globs, `*` and `?`) that pzr never diffs, adds or removes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_tags: Vec<String>,
    /// Avro schemas by key.
    #[serde(default)]
    pub schemas: BTreeMap<String, SchemaSpec>,
    /// The dataset groups this stack manages.
    #[serde(default)]
    pub dataset_groups: Vec<DatasetGroupSpec>,
    /// Read only with `--sandbox`: where the sandbox's S3 finds each bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox: Option<SandboxSpec>,
}

/// The sandbox's S3: each bucket backed by a local directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SandboxSpec {
    /// Bucket name → directory relative to the spec file
    /// (`s3://NAME/K` reads `DIR/K`).
    #[serde(default)]
    pub buckets: BTreeMap<String, String>,
}

/// An Avro schema, from a file or inline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchemaSpec {
    /// Path of an `.avsc` file, relative to the spec file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The Avro schema inline: a mapping or a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<serde_json::Value>,
    /// Domain of the schema; must equal the domain of every group using it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,
}

/// A dataset group and its datasets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DatasetGroupSpec {
    /// Dataset group name, unique in the region.
    #[schemars(
        regex = "crate::spec::patterns::NAME",
        length(min = 1, max = "crate::spec::patterns::MAX_NAME_CHARS")
    )]
    pub name: String,
    /// Absent for a custom dataset group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,
    /// KMS key that encrypts the group's data; needs `roleArn`. Immutable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::KMS_KEY_ARN",
        length(max = "crate::spec::patterns::MAX_KMS_KEY_ARN_CHARS")
    )]
    pub kms_key_arn: Option<String>,
    /// IAM role Personalize assumes to use `kmsKeyArn`; needs `kmsKeyArn`. Immutable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::ROLE_ARN",
        length(max = "crate::spec::patterns::MAX_ROLE_ARN_CHARS")
    )]
    pub role_arn: Option<String>,
    /// Tags of the group (at most 49: pzr adds `pzr:stack`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// A plan that deletes or replaces this group is refused.
    #[serde(default, skip_serializing_if = "is_false")]
    pub protect: bool,
    /// Take over an existing group of this name that the stack does not own.
    #[serde(default, skip_serializing_if = "is_false")]
    pub adopt: bool,
    #[serde(default)]
    pub datasets: DatasetsSpec,
    /// The group's event tracker (at most one per group); its `trackingId`
    /// goes into applications that record events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_tracker: Option<EventTrackerSpec>,
    /// Filters by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filters: BTreeMap<String, FilterSpec>,
    /// Recommenders by key (domain groups only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub recommenders: BTreeMap<String, RecommenderSpec>,
    /// Solutions (custom models) by key, each with its campaigns.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub solutions: BTreeMap<String, SolutionSpec>,
    /// What the group reports on the impact of its recommendations (at
    /// most one per group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_attribution: Option<MetricAttributionSpec>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// At most one dataset of each type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DatasetsSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactions: Option<DatasetSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<DatasetSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<DatasetSpec>,
    /// Custom groups only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<DatasetSpec>,
    /// Custom groups only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_interactions: Option<DatasetSpec>,
}

impl DatasetsSpec {
    /// The datasets present, in `DatasetType::ALL` order.
    pub fn iter(&self) -> impl Iterator<Item = (DatasetType, &DatasetSpec)> {
        DatasetType::ALL
            .into_iter()
            .filter_map(move |t| self.get(t).map(|d| (t, d)))
    }

    pub fn get(&self, t: DatasetType) -> Option<&DatasetSpec> {
        match t {
            DatasetType::Interactions => self.interactions.as_ref(),
            DatasetType::Items => self.items.as_ref(),
            DatasetType::Users => self.users.as_ref(),
            DatasetType::Actions => self.actions.as_ref(),
            DatasetType::ActionInteractions => self.action_interactions.as_ref(),
        }
    }

    pub fn set(&mut self, t: DatasetType, d: DatasetSpec) {
        let slot = match t {
            DatasetType::Interactions => &mut self.interactions,
            DatasetType::Items => &mut self.items,
            DatasetType::Users => &mut self.users,
            DatasetType::Actions => &mut self.actions,
            DatasetType::ActionInteractions => &mut self.action_interactions,
        };
        *slot = Some(d);
    }
}

/// One dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DatasetSpec {
    /// Key of an entry in `schemas`.
    pub schema: String,
    /// Dataset name; defaults to `<group>-<type>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::NAME",
        length(min = 1, max = "crate::spec::patterns::MAX_NAME_CHARS")
    )]
    pub name: Option<String>,
    /// Tags of the dataset (at most 49: pzr adds `pzr:stack`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Where the dataset's bulk data is: a dataset import job from S3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import: Option<ImportSpec>,
    /// Data arrives by PutEvents / PutUsers / PutItems only, so serving need
    /// not wait for an import.
    #[serde(default, skip_serializing_if = "is_false")]
    pub streamed: bool,
}

/// A dataset's bulk data (CreateDatasetImportJob).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportSpec {
    /// `s3://bucket/key` of a CSV file, or `s3://bucket/prefix/` of a folder
    /// of them (`dataSource.dataLocation`).
    #[schemars(length(min = 1, max = "crate::spec::MAX_DATA_LOCATION_CHARS"))]
    pub from: String,
    /// IAM role Personalize assumes to read `from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::ROLE_ARN",
        length(max = "crate::spec::patterns::MAX_ROLE_ARN_CHARS")
    )]
    pub role_arn: Option<String>,
    /// `FULL` replaces the dataset's bulk data; `INCREMENTAL` adds to it.
    #[serde(default, skip_serializing_if = "ImportMode::is_full")]
    pub mode: ImportMode,
}

/// The API's `importMode`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImportMode {
    #[default]
    Full,
    Incremental,
}

impl ImportMode {
    pub fn is_full(&self) -> bool {
        *self == ImportMode::Full
    }
}

/// A dataset group's event tracker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventTrackerSpec {
    /// Event tracker name; defaults to `<group>-tracker`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::NAME",
        length(min = 1, max = "crate::spec::patterns::MAX_NAME_CHARS")
    )]
    pub name: Option<String>,
    /// Tags of the event tracker (at most 49: pzr adds `pzr:stack`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A dataset group's metric attribution: metrics over its events, reported
/// to CloudWatch and S3. Personalize cannot tag one: it belongs to whoever
/// owns its group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricAttributionSpec {
    /// Metric attribution name; defaults to `<group>-metrics`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::NAME",
        length(min = 1, max = "crate::spec::patterns::MAX_NAME_CHARS")
    )]
    pub name: Option<String>,
    /// At most 10; changed in place.
    #[schemars(length(min = 1, max = 10))]
    pub metrics: Vec<Metric>,
    /// Changed in place.
    pub output: MetricsOutput,
}

/// A filter of recommendations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterSpec {
    /// The filter expression, in Personalize's filter grammar.
    #[schemars(length(min = 1, max = 2500))]
    pub expression: String,
    /// Filter name; defaults to `<group>-<key>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::NAME",
        length(min = 1, max = "crate::spec::patterns::MAX_NAME_CHARS")
    )]
    pub name: Option<String>,
    /// Tags of the filter (at most 49: pzr adds `pzr:stack`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A recommender of a domain dataset group: a use case, trained and served
/// by Personalize; billed by the hour for its minimum request rate while it
/// runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecommenderSpec {
    /// A use case of the group's domain (`aws-ecomm-popular-items-by-views`)
    /// or its full recipe ARN.
    pub recipe: String,
    /// Recommender name; defaults to `<group>-<key>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::NAME",
        length(min = 1, max = "crate::spec::patterns::MAX_NAME_CHARS")
    )]
    pub name: Option<String>,
    /// Requests per second billed at least (the API's default is 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub min_recommendation_requests_per_second: Option<u32>,
    /// `itemExplorationConfig` (`explorationWeight`, `explorationItemAgeCutOff`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub item_exploration: BTreeMap<String, String>,
    /// Whether recommendations carry item metadata (billed extra).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_metadata_with_recommendations: Option<bool>,
    /// `trainingDataConfig`: columns left out of (or the only ones in) training.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_data_config: Option<TrainingDataConfig>,
    /// `stopped` stops billing (StopRecommender); `running` (the default) serves.
    #[serde(default, skip_serializing_if = "RecommenderState::is_running")]
    pub state: RecommenderState,
    /// Tags of the recommender (at most 49: pzr adds `pzr:stack`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// The API's `TrainingDataConfig`: dataset type (`Interactions`, `Items`,
/// `Users`) → column names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrainingDataConfig {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub excluded_dataset_columns: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub included_dataset_columns: BTreeMap<String, Vec<String>>,
}

/// A solution: a custom recipe trained on the group's data, with the
/// campaigns that serve its versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SolutionSpec {
    /// A custom recipe's name (`aws-user-personalization-v2`) or its full ARN.
    pub recipe: String,
    /// Train on interactions of this event type only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 256))]
    pub event_type: Option<String>,
    /// Hyperparameter optimisation (billed as extra training).
    #[serde(rename = "performHPO", default, skip_serializing_if = "is_false")]
    pub perform_hpo: bool,
    /// The API's `solutionConfig` members, camelCase (`eventValueThreshold`,
    /// `algorithmHyperParameters`, ...), except `autoTrainingConfig`, which
    /// is `training.schedule`.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub config: serde_json::Map<String, serde_json::Value>,
    /// Whether Personalize retrains the solution on a schedule (each
    /// training is billed): required, so the cost is always a decision.
    pub training: TrainingSpec,
    /// Solution name; defaults to `<group>-<key>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::NAME",
        length(min = 1, max = "crate::spec::patterns::MAX_NAME_CHARS")
    )]
    pub name: Option<String>,
    /// Tags of the solution (at most 49: pzr adds `pzr:stack`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Campaigns serving the solution's latest ACTIVE version, by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub campaigns: BTreeMap<String, CampaignSpec>,
}

/// A solution's automatic training (`performAutoTraining` and
/// `autoTrainingConfig.schedulingExpression`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrainingSpec {
    /// Retrain on a schedule (a new solution version each time).
    pub automatic: bool,
    /// `rate(N days)`, N from 1 to 30; the API's default is `rate(7 days)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex = "crate::spec::patterns::SCHEDULE")]
    pub schedule: Option<String>,
    /// Train a new version when the group's interactions were imported
    /// after the latest ACTIVE version was trained (pzr plans it; not a
    /// Personalize setting).
    #[serde(default, skip_serializing_if = "is_false")]
    pub on_new_data: bool,
}

/// A campaign: provisioned serving of a solution's versions, billed by the
/// hour for its minimum provisioned transactions per second.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CampaignSpec {
    /// Transactions per second billed at least (the API's default is 1).
    #[serde(
        rename = "minProvisionedTPS",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(range(min = 1))]
    pub min_provisioned_tps: Option<u32>,
    /// Serve each new ACTIVE version as soon as it is trained.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sync_with_latest_solution_version: bool,
    /// `itemExplorationConfig` (`explorationWeight`, `explorationItemAgeCutOff`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub item_exploration: BTreeMap<String, String>,
    /// Whether recommendations carry item metadata (billed extra).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_metadata_with_recommendations: Option<bool>,
    /// Campaign name; defaults to `<group>-<solution key>-<key>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex = "crate::spec::patterns::NAME",
        length(min = 1, max = "crate::spec::patterns::MAX_NAME_CHARS")
    )]
    pub name: Option<String>,
    /// Tags of the campaign (at most 49: pzr adds `pzr:stack`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}
