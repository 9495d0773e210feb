//! The kinds of Personalize resource pzr knows, with one table of the facts
//! that differ between them. A new kind is a variant and a row here.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    // Old emulator state files spelled kinds in PascalCase.
    #[serde(alias = "Schema")]
    Schema,
    #[serde(alias = "DatasetGroup")]
    DatasetGroup,
    #[serde(alias = "Dataset")]
    Dataset,
    #[serde(alias = "EventTracker")]
    EventTracker,
    #[serde(alias = "Filter")]
    Filter,
    #[serde(alias = "Solution")]
    Solution,
    #[serde(alias = "Campaign")]
    Campaign,
    #[serde(alias = "Recommender")]
    Recommender,
}

/// What differs between kinds, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    /// First part of plan addresses: `dataset` in `dataset.<group>.items`.
    pub address_prefix: &'static str,
    /// The API's noun in operation names: `DatasetGroup` in `CreateDatasetGroup`.
    pub api_noun: &'static str,
    /// The resource type inside its ARN: `dataset-group` in `arn:aws:personalize:r:a:dataset-group/x`.
    pub arn_type: &'static str,
    /// The API member holding its ARN: `datasetGroupArn`.
    pub arn_member: &'static str,
    /// The member of a List response holding the summaries (the API model
    /// really spells ListFilters' member `Filters`).
    pub list_member: &'static str,
    /// Words for messages: `dataset group`.
    pub label: &'static str,
    /// Whether Personalize can tag it (schemas cannot).
    pub taggable: bool,
}

const fn info(
    address_prefix: &'static str,
    api_noun: &'static str,
    arn_type: &'static str,
    arn_member: &'static str,
    list_member: &'static str,
    label: &'static str,
    taggable: bool,
) -> KindInfo {
    KindInfo {
        address_prefix,
        api_noun,
        arn_type,
        arn_member,
        list_member,
        label,
        taggable,
    }
}

/// Indexed by `Kind as usize`: keep in the order of the enum.
const TABLE: [KindInfo; 8] = [
    info(
        "schema",
        "Schema",
        "schema",
        "schemaArn",
        "schemas",
        "schema",
        false,
    ),
    info(
        "datasetGroup",
        "DatasetGroup",
        "dataset-group",
        "datasetGroupArn",
        "datasetGroups",
        "dataset group",
        true,
    ),
    info(
        "dataset",
        "Dataset",
        "dataset",
        "datasetArn",
        "datasets",
        "dataset",
        true,
    ),
    info(
        "eventTracker",
        "EventTracker",
        "event-tracker",
        "eventTrackerArn",
        "eventTrackers",
        "event tracker",
        true,
    ),
    info(
        "filter",
        "Filter",
        "filter",
        "filterArn",
        "Filters",
        "filter",
        true,
    ),
    info(
        "solution",
        "Solution",
        "solution",
        "solutionArn",
        "solutions",
        "solution",
        true,
    ),
    info(
        "campaign",
        "Campaign",
        "campaign",
        "campaignArn",
        "campaigns",
        "campaign",
        true,
    ),
    info(
        "recommender",
        "Recommender",
        "recommender",
        "recommenderArn",
        "recommenders",
        "recommender",
        true,
    ),
];

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Schema,
        Kind::DatasetGroup,
        Kind::Dataset,
        Kind::EventTracker,
        Kind::Filter,
        Kind::Solution,
        Kind::Campaign,
        Kind::Recommender,
    ];

    /// Kinds that live inside a dataset group besides datasets, in the order
    /// Personalize needs them deleted.
    pub const CHILD_DELETE_ORDER: [Kind; 5] = [
        Kind::Recommender,
        Kind::Campaign,
        Kind::Filter,
        Kind::Solution,
        Kind::EventTracker,
    ];

    pub fn info(self) -> &'static KindInfo {
        &TABLE[self as usize]
    }

    pub fn address_prefix(self) -> &'static str {
        self.info().address_prefix
    }

    pub fn label(self) -> &'static str {
        self.info().label
    }

    /// The kind whose addresses start with `prefix`.
    pub fn from_address_prefix(prefix: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.address_prefix() == prefix)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_follow_the_enum() {
        for kind in Kind::ALL {
            let json = serde_json::to_value(kind).expect("serialises");
            assert_eq!(json, kind.address_prefix(), "{kind:?}");
            assert_eq!(Kind::from_address_prefix(kind.address_prefix()), Some(kind));
            assert!(kind.info().arn_member.starts_with(kind.address_prefix()));
        }
    }
}
