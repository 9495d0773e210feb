//! One resource of the emulated account, as the state file stores it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::noun::Noun;
use crate::clock::Millis;
use personalize_facts::import::Counts;

/// A resource tag, as the API spells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "tagKey")]
    pub key: String,
    #[serde(rename = "tagValue")]
    pub value: String,
}

/// One resource of the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub kind: Noun,
    pub name: String,
    pub arn: String,
    /// Creation order: lists are sorted by it and page tokens point into it.
    pub seq: u64,
    pub created: Millis,
    /// The latest UpdateDataset, UpdateSolution, UpdateCampaign or
    /// UpdateRecommender: it runs over the create delay from `started`.
    #[serde(default)]
    pub update: Option<Update>,
    /// When StopSolutionVersionCreation or StopRecommender was accepted.
    #[serde(default)]
    pub stopped_since: Option<Millis>,
    /// When StartRecommender was accepted, after the last stop.
    #[serde(default)]
    pub restarted_since: Option<Millis>,
    pub deleting_since: Option<Millis>,
    /// Set at creation when the resource is doomed to end in CREATE FAILED.
    pub failure_reason: Option<String>,
    /// The dataset group (or, for a campaign or a solution version, the
    /// solution) it belongs to.
    pub parent: Option<String>,
    /// Kind-specific API members echoed back by Describe (domain, schemaArn...).
    pub attrs: Map<String, Value>,
    pub tags: Vec<Tag>,
    /// An import job that succeeds: what its data counts (never its rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Counts>,
}

/// An update as it was accepted: what it changes, when, and whether it is
/// doomed (`--fail-update`). What it has reached is derived
/// from the time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Update {
    /// UpdateDataset: the schema the dataset moves to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_arn: Option<String>,
    /// The other updates: the Describe members they set once they succeed
    /// (until then the resource keeps its previous ones, as AWS serves the
    /// previous configuration until the update is ACTIVE).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub changes: Map<String, Value>,
    /// The members its `latest<Kind>Update` summary shows besides status and times.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub summary: Map<String, Value>,
    pub started: Millis,
    pub failure_reason: Option<String>,
}

impl Resource {
    pub(super) fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).and_then(Value::as_str)
    }

    pub(super) fn domain(&self) -> Option<&str> {
        self.attr("domain")
    }
}

/// Epoch seconds as the AWS JSON protocol sends timestamps.
pub fn epoch_seconds(time: Millis) -> f64 {
    // Exact for any date before the year 285,000.
    time as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_state_files_still_load() {
        let old = r#"{"kind": "DatasetGroup", "name": "g", "arn": "a", "seq": 0,
            "created": 0, "updated": null, "deletingSince": null,
            "failureReason": null, "parent": null, "attrs": {}, "tags": []}"#;
        let resource: Resource = serde_json::from_str(old).expect("loads");
        assert_eq!(
            resource.kind,
            personalize_facts::resource::Kind::DatasetGroup
        );
        assert_eq!((resource.update, resource.stopped_since), (None, None));
        let update = r#"{"schemaArn": "s", "started": 5, "failureReason": null}"#;
        let update: Update = serde_json::from_str(update).expect("an old dataset update loads");
        assert_eq!(update.schema_arn.as_deref(), Some("s"));
    }
}
