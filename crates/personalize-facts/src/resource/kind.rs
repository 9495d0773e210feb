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
    /// A bulk import into a dataset. There is no DeleteDatasetImportJob:
    /// jobs stay listed after they end.
    DatasetImportJob,
    /// What a group reports on the impact of recommendations.
    MetricAttribution,
}

/// What differs between kinds, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    /// The noun in camelCase, as API members start with it: `datasetGroup` in
    /// `datasetGroupArn` (also the kind's serialised form).
    pub camel_name: &'static str,
    /// The API's noun in operation names: `DatasetGroup` in `CreateDatasetGroup`.
    pub api_noun: &'static str,
    /// The resource type inside its ARN: `dataset-group` in `arn:aws:personalize:r:a:dataset-group/x`.
    pub arn_type: &'static str,
    /// The API member holding its ARN: `datasetGroupArn`.
    pub arn_member: &'static str,
    /// The member of a Describe response holding the resource: `datasetGroup`.
    pub describe_member: &'static str,
    /// The member of a List response holding the summaries (the API model
    /// really spells ListFilters' member `Filters`).
    pub list_member: &'static str,
    /// The optional List request member that narrows the list to one parent:
    /// `datasetGroupArn` for ListDatasets, `solutionArn` for ListCampaigns.
    pub list_parent_member: Option<&'static str>,
    /// The members a List summary carries besides name, ARN, status, failure
    /// reason and times: `datasetType` in a DatasetSummary.
    pub summary_members: &'static [&'static str],
    /// Words for messages: `dataset group`.
    pub label: &'static str,
    /// Whether Personalize can tag it (schemas and metric attributions
    /// cannot).
    pub taggable: bool,
    /// Whether a dataset group holds at most one: the group then names it.
    pub one_per_group: bool,
}

/// Indexed by `Kind as usize`: keep in the order of the enum.
const TABLE: [KindInfo; 10] = [
    KindInfo {
        camel_name: "schema",
        api_noun: "Schema",
        arn_type: "schema",
        arn_member: "schemaArn",
        describe_member: "schema",
        list_member: "schemas",
        list_parent_member: None,
        summary_members: &["domain"],
        label: "schema",
        taggable: false,
        one_per_group: false,
    },
    KindInfo {
        camel_name: "datasetGroup",
        api_noun: "DatasetGroup",
        arn_type: "dataset-group",
        arn_member: "datasetGroupArn",
        describe_member: "datasetGroup",
        list_member: "datasetGroups",
        list_parent_member: None,
        summary_members: &["domain"],
        label: "dataset group",
        taggable: true,
        one_per_group: false,
    },
    KindInfo {
        camel_name: "dataset",
        api_noun: "Dataset",
        arn_type: "dataset",
        arn_member: "datasetArn",
        describe_member: "dataset",
        list_member: "datasets",
        list_parent_member: Some("datasetGroupArn"),
        summary_members: &["datasetType"],
        label: "dataset",
        taggable: true,
        one_per_group: false,
    },
    KindInfo {
        camel_name: "eventTracker",
        api_noun: "EventTracker",
        arn_type: "event-tracker",
        arn_member: "eventTrackerArn",
        describe_member: "eventTracker",
        list_member: "eventTrackers",
        list_parent_member: Some("datasetGroupArn"),
        summary_members: &[],
        label: "event tracker",
        taggable: true,
        // "Only one event tracker can be associated with a dataset group."
        // (https://docs.aws.amazon.com/personalize/latest/dg/API_CreateEventTracker.html)
        one_per_group: true,
    },
    KindInfo {
        camel_name: "filter",
        api_noun: "Filter",
        arn_type: "filter",
        arn_member: "filterArn",
        describe_member: "filter",
        list_member: "Filters",
        list_parent_member: Some("datasetGroupArn"),
        summary_members: &["datasetGroupArn"],
        label: "filter",
        taggable: true,
        one_per_group: false,
    },
    KindInfo {
        camel_name: "solution",
        api_noun: "Solution",
        arn_type: "solution",
        arn_member: "solutionArn",
        describe_member: "solution",
        list_member: "solutions",
        list_parent_member: Some("datasetGroupArn"),
        summary_members: &["recipeArn"],
        label: "solution",
        taggable: true,
        one_per_group: false,
    },
    KindInfo {
        camel_name: "campaign",
        api_noun: "Campaign",
        arn_type: "campaign",
        arn_member: "campaignArn",
        describe_member: "campaign",
        list_member: "campaigns",
        list_parent_member: Some("solutionArn"),
        summary_members: &[],
        label: "campaign",
        taggable: true,
        one_per_group: false,
    },
    KindInfo {
        camel_name: "recommender",
        api_noun: "Recommender",
        arn_type: "recommender",
        arn_member: "recommenderArn",
        describe_member: "recommender",
        list_member: "recommenders",
        list_parent_member: Some("datasetGroupArn"),
        summary_members: &["datasetGroupArn", "recipeArn", "recommenderConfig"],
        label: "recommender",
        taggable: true,
        one_per_group: false,
    },
    // As botocore's model names them: `CreateDatasetImportJob`,
    // `DescribeDatasetImportJob` → `datasetImportJob`, `ListDatasetImportJobs`
    // → `datasetImportJobs` narrowed by `datasetArn`, and the
    // `DatasetImportJobSummary` members.
    KindInfo {
        camel_name: "datasetImportJob",
        api_noun: "DatasetImportJob",
        arn_type: "dataset-import-job",
        arn_member: "datasetImportJobArn",
        describe_member: "datasetImportJob",
        list_member: "datasetImportJobs",
        list_parent_member: Some("datasetArn"),
        summary_members: &["importMode"],
        label: "dataset import job",
        taggable: true,
        one_per_group: false,
    },
    // As botocore's model names them: `CreateMetricAttribution` (no `tags`
    // member), `DescribeMetricAttribution` → `metricAttribution`,
    // `ListMetricAttributions` → `metricAttributions` narrowed by
    // `datasetGroupArn`. Not taggable: the tagging page lists every kind
    // that is, and not this one
    // (https://docs.aws.amazon.com/personalize/latest/dg/tagging-resources.html).
    // "You can create at most one metric attribution per dataset group."
    // (https://docs.aws.amazon.com/personalize/latest/dg/metric-attribution-requirements.html)
    KindInfo {
        camel_name: "metricAttribution",
        api_noun: "MetricAttribution",
        arn_type: "metric-attribution",
        arn_member: "metricAttributionArn",
        describe_member: "metricAttribution",
        list_member: "metricAttributions",
        list_parent_member: Some("datasetGroupArn"),
        summary_members: &[],
        label: "metric attribution",
        taggable: false,
        one_per_group: true,
    },
];

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Schema,
        Kind::DatasetGroup,
        Kind::Dataset,
        Kind::EventTracker,
        Kind::Filter,
        Kind::Solution,
        Kind::Campaign,
        Kind::Recommender,
        Kind::DatasetImportJob,
        Kind::MetricAttribution,
    ];

    /// Kinds that live inside a dataset group besides datasets (every one a
    /// spec may declare, all read with their group), in the order
    /// Personalize needs them deleted.
    pub const CHILD_DELETE_ORDER: [Kind; 6] = [
        Kind::Recommender,
        Kind::Campaign,
        Kind::Filter,
        Kind::MetricAttribution,
        Kind::Solution,
        Kind::EventTracker,
    ];

    pub fn info(self) -> &'static KindInfo {
        &TABLE[self as usize]
    }

    pub fn camel_name(self) -> &'static str {
        self.info().camel_name
    }

    pub fn label(self) -> &'static str {
        self.info().label
    }

    /// The kind of the resource `arn` names (`arn:...:<arn type>/<name>`).
    pub fn of_arn(arn: &str) -> Option<Kind> {
        let resource = arn.rsplit(':').next()?;
        let arn_type = resource.split('/').next()?;
        Kind::ALL
            .into_iter()
            .find(|k| k.info().arn_type == arn_type)
    }

    /// The kind whose camelCase noun is `name`.
    pub fn from_camel_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.camel_name() == name)
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
            assert_eq!(json, kind.camel_name(), "{kind:?}");
            assert_eq!(Kind::from_camel_name(kind.camel_name()), Some(kind));
            let info = kind.info();
            assert!(info.arn_member.starts_with(kind.camel_name()));
            assert_eq!(format!("{}Arn", info.describe_member), info.arn_member);
            let is_arn_member = |p| Kind::ALL.iter().any(|k| k.info().arn_member == p);
            assert!(info.list_parent_member.is_none_or(is_arn_member));
        }
    }
}
