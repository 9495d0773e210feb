//! The spec's data model (format version 1), as written in YAML.

use crate::resource::{DatasetType, Domain};
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
