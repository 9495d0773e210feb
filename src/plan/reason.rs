//! Why a change is what it is (`Reason`): each with a stable code and the
//! sentence people read (see `said.rs` for how both are written).

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::resource::{Address, Kind, STACK_TAG};

/// One reason of a change. Values (`from`, `to`) are as the plan shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Reason {
    /// Its creation ended CREATE FAILED: it is replaced.
    CreationFailed {
        failure_reason: FailureReason,
    },
    /// It is being deleted: created again once gone.
    BeingDeleted,
    /// A setting the API cannot change in place differs.
    ForcesReplacement {
        field: String,
        from: String,
        to: String,
    },
    /// A setting the API changes in place differs.
    SettingChanged {
        field: String,
        from: String,
        to: String,
    },
    /// The spec no longer declares it.
    NotInSpec {
        #[schemars(with = "String")]
        kind: Kind,
    },
    /// The schema's key is gone from the spec.
    SchemaNotInSpec {
        schema: String,
    },
    /// An older version of a schema the spec has, no longer used.
    SchemaEarlierVersion {
        schema: String,
    },
    /// A schema's content changed: schemas are immutable, so a new one is
    /// created and `old` deleted once unused.
    SchemaContentChanged {
        schema: String,
        old: String,
    },
    /// The dataset moves to its new schema with UpdateDataset.
    SchemaCompatible {
        from: String,
        to: String,
    },
    /// The new schema is not compatible (`problems`): the dataset is replaced.
    SchemaIncompatible {
        from: String,
        to: String,
        problems: Vec<String>,
    },
    /// The dataset's current schema could not be read, so it is replaced.
    SchemaUnread {
        from: String,
        to: String,
    },
    /// The group is already being deleted.
    DeletionInProgress,
    /// Inside a group that is replaced.
    GroupReplaced,
    /// Inside a group that is deleted.
    GroupDeleted,
    /// `--cascade`: not pzr's, inside a group being deleted.
    CascadeGroup,
    /// `--cascade`: not pzr's, in the way of deleting `dataset`.
    CascadeDataset {
        dataset: Address,
    },
    /// In the way of deleting `dataset`: deleted first, created again after.
    RecreatedForDataset {
        dataset: Address,
    },
    /// A campaign whose solution is replaced goes with it.
    SolutionReplaced {
        solution: String,
    },
    TagChanged {
        key: String,
        from: String,
        to: String,
    },
    TagAdded {
        key: String,
        value: String,
    },
    TagRemoved {
        key: String,
    },
    /// An existing resource is adopted: tagged as the stack's.
    TakenOver {
        #[schemars(with = "String")]
        kind: Kind,
        stack: String,
    },
    /// What a replace or delete loses: the data it holds.
    DataLost,
    /// An event tracker's replace: applications need the new trackingId.
    TrackingIdChanges,
    /// A recommender's replace: it trains again before it serves.
    TrainedModelLost,
    /// A solution's replace: its versions and campaigns go.
    TrainedVersionsLost,
    /// A campaign's replace: requests fail until the new one is ACTIVE.
    ServingStops,
    /// A filter's replace: briefly unavailable, then the same again.
    FilterUnavailable,
    /// A metric attribution's replace: events between its delete and the
    /// new one turning ACTIVE are not measured.
    MetricsNotReported,
    /// The dataset has no import job yet (or is created by this plan).
    NoImportYet,
    /// The dataset's latest import was from another location.
    ImportLocationChanged {
        from: String,
        to: String,
    },
    /// Objects under the location changed after the latest import started
    /// (`since`, RFC 3339).
    DataChanged {
        objects: usize,
        since: String,
    },
    /// `--replace ADDRESS` asked for it.
    ReplaceRequested,
    /// New data was imported after it failed for want of data.
    DataImportedSinceFailure,
    /// `training.onNewData`: interactions arrived after the latest ACTIVE
    /// version was trained (`trained`, RFC 3339).
    NewDataSinceTraining {
        trained: String,
    },
    /// `--train ADDRESS` asked for a new version.
    TrainRequested,
    /// A campaign moved to its solution's newer ACTIVE version.
    NewerVersion {
        version: String,
    },
}

/// What Personalize said of a failed creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FailureReason {
    Given(String),
    NotGiven,
    /// Not read (a dataset's).
    NotRead,
}

impl From<Option<&str>> for FailureReason {
    fn from(reason: Option<&str>) -> FailureReason {
        reason.map_or(FailureReason::NotGiven, |r| {
            FailureReason::Given(r.to_string())
        })
    }
}

impl Reason {
    /// The stable code: serde's tag, which the JSON Schema lists.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::CreationFailed { .. } => "creation_failed",
            Reason::BeingDeleted => "being_deleted",
            Reason::ForcesReplacement { .. } => "forces_replacement",
            Reason::SettingChanged { .. } => "setting_changed",
            Reason::NotInSpec { .. } => "not_in_spec",
            Reason::SchemaNotInSpec { .. } => "schema_not_in_spec",
            Reason::SchemaEarlierVersion { .. } => "schema_earlier_version",
            Reason::SchemaContentChanged { .. } => "schema_content_changed",
            Reason::SchemaCompatible { .. } => "schema_compatible",
            Reason::SchemaIncompatible { .. } => "schema_incompatible",
            Reason::SchemaUnread { .. } => "schema_unread",
            Reason::DeletionInProgress => "deletion_in_progress",
            Reason::GroupReplaced => "group_replaced",
            Reason::GroupDeleted => "group_deleted",
            Reason::CascadeGroup => "cascade_group",
            Reason::CascadeDataset { .. } => "cascade_dataset",
            Reason::RecreatedForDataset { .. } => "recreated_for_dataset",
            Reason::SolutionReplaced { .. } => "solution_replaced",
            Reason::TagChanged { .. } => "tag_changed",
            Reason::TagAdded { .. } => "tag_added",
            Reason::TagRemoved { .. } => "tag_removed",
            Reason::TakenOver { .. } => "taken_over",
            Reason::DataLost => "data_lost",
            Reason::TrackingIdChanges => "tracking_id_changes",
            Reason::TrainedModelLost => "trained_model_lost",
            Reason::TrainedVersionsLost => "trained_versions_lost",
            Reason::ServingStops => "serving_stops",
            Reason::FilterUnavailable => "filter_unavailable",
            Reason::MetricsNotReported => "metrics_not_reported",
            Reason::NoImportYet => "no_import_yet",
            Reason::ImportLocationChanged { .. } => "import_location_changed",
            Reason::DataChanged { .. } => "data_changed",
            Reason::ReplaceRequested => "replace_requested",
            Reason::DataImportedSinceFailure => "data_imported_since_failure",
            Reason::NewDataSinceTraining { .. } => "new_data_since_training",
            Reason::TrainRequested => "train_requested",
            Reason::NewerVersion { .. } => "newer_version",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::CreationFailed { failure_reason } => match failure_reason {
                FailureReason::Given(why) => write!(f, "creation failed ({why}); it is recreated"),
                FailureReason::NotGiven => {
                    f.write_str("creation failed (no reason given); it is recreated")
                }
                FailureReason::NotRead => f.write_str("creation failed; it is recreated"),
            },
            Reason::BeingDeleted => f.write_str("it is being deleted; it is recreated once gone"),
            Reason::ForcesReplacement { field, from, to } => {
                write!(f, "{field}: {from} -> {to} forces replacement")
            }
            Reason::SettingChanged { field, from, to } => write!(f, "{field}: {from} -> {to}"),
            Reason::NotInSpec { kind } => {
                write!(f, "the {} is no longer in the spec", kind.label())
            }
            Reason::SchemaNotInSpec { schema } => write!(f, "{schema} is no longer in the spec"),
            Reason::SchemaEarlierVersion { schema } => {
                write!(f, "{schema} is an earlier version that the spec no longer uses")
            }
            Reason::SchemaContentChanged { schema, old } => write!(
                f,
                "content changed: new schema {schema} (schemas are immutable); {old} is deleted once unused"
            ),
            Reason::SchemaCompatible { from, to } => {
                write!(f, "schema: {from} -> {to} (compatible: UpdateDataset in place)")
            }
            Reason::SchemaIncompatible { from, to, problems } => write!(
                f,
                "schema: {from} -> {to} is not compatible ({}); replacing loses the imported data",
                problems.join("; ")
            ),
            Reason::SchemaUnread { from, to } => write!(
                f,
                "schema: {from} -> {to} (the current schema could not be read)"
            ),
            Reason::DeletionInProgress => f.write_str("its deletion is already in progress"),
            Reason::GroupReplaced => f.write_str("its dataset group is replaced"),
            Reason::GroupDeleted => f.write_str("its dataset group is deleted"),
            Reason::CascadeGroup => {
                f.write_str("--cascade: it is inside a dataset group being deleted")
            }
            Reason::CascadeDataset { dataset } => write!(
                f,
                "--cascade: Personalize refuses to delete {dataset} while it exists"
            ),
            Reason::RecreatedForDataset { dataset } => write!(
                f,
                "Personalize refuses to delete {dataset} while it exists: it is deleted first and created again after"
            ),
            Reason::SolutionReplaced { solution } => write!(
                f,
                "its solution {solution} is replaced, and its campaigns with it"
            ),
            Reason::TagChanged { key, from, to } => write!(f, "tag {key}: {from:?} -> {to:?}"),
            Reason::TagAdded { key, value } => write!(f, "tag {key} added ({value:?})"),
            Reason::TagRemoved { key } => write!(f, "tag {key} removed"),
            Reason::TakenOver { kind, stack } => {
                // A group has always been "the existing group" here.
                let what = match kind {
                    Kind::DatasetGroup => "group",
                    other => other.label(),
                };
                write!(f, "take over the existing {what} (tag {STACK_TAG}={stack})")
            }
            Reason::DataLost => f.write_str("what it holds is lost"),
            Reason::TrackingIdChanges => f.write_str(
                "its trackingId changes: applications sending events need the new one (`pzr output`)",
            ),
            Reason::TrainedModelLost => f.write_str(
                "its trained model is lost: the new recommender trains again (billed) before it serves",
            ),
            Reason::TrainedVersionsLost => f.write_str(
                "its trained versions are lost, and its campaigns go with it: serving stops until a new version is trained (billed) and deployed",
            ),
            Reason::ServingStops => f.write_str(
                "serving stops: requests to the campaign fail until the new one is ACTIVE",
            ),
            Reason::FilterUnavailable => f.write_str(
                "the filter is briefly unavailable: requests naming it fail from its delete until it is ACTIVE again (same name and ARN)",
            ),
            Reason::MetricsNotReported => f.write_str(
                "events recorded from its delete until the new one is ACTIVE are not measured (reports already sent stay)",
            ),
            Reason::NoImportYet => f.write_str("no import yet"),
            Reason::ImportLocationChanged { from, to } => {
                write!(f, "location changed: {from} -> {to}")
            }
            Reason::DataChanged { objects, since } => {
                let s = if *objects == 1 { "" } else { "s" };
                write!(f, "{objects} object{s} changed since the import of {since}")
            }
            Reason::ReplaceRequested => f.write_str("--replace asks for it"),
            Reason::DataImportedSinceFailure => {
                f.write_str("data was imported since its creation failed")
            }
            Reason::NewDataSinceTraining { trained } => write!(
                f,
                "training.onNewData: interactions were imported after its latest version was trained ({trained})"
            ),
            Reason::TrainRequested => f.write_str("--train asks for a new version"),
            Reason::NewerVersion { version } => write!(
                f,
                "its solution has a newer ACTIVE version: UpdateCampaign moves it to {version}"
            ),
        }
    }
}
