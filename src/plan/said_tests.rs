//! Every code `code()` gives is the one serde writes, for every variant of
//! every family: the JSON Schema's list of variants is the checklist.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::{Blocker, CapacityUnit, Deferral, FailureReason, Note, Reason, Unowned};
use crate::resource::{Address, DatasetType, Kind};

/// The codes of `T`'s variants, in order, from its JSON Schema.
fn schema_codes<T: JsonSchema>() -> Vec<Value> {
    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
    schema["oneOf"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|variant| variant["properties"]["code"]["enum"][0].clone())
        .collect()
}

fn check<T: Serialize + JsonSchema>(examples: &[T], code: fn(&T) -> &'static str) {
    let written: Vec<Value> = examples
        .iter()
        .map(|e| serde_json::to_value(e).unwrap_or_default()["code"].clone())
        .collect();
    assert_eq!(
        written,
        schema_codes::<T>(),
        "one example per variant, in order"
    );
    for (example, written) in examples.iter().zip(&written) {
        assert_eq!(written, code(example));
    }
}

fn text() -> String {
    "x".to_string()
}

#[test]
fn reason_codes_are_what_serde_writes() {
    let dataset = Address::dataset("g", DatasetType::Items);
    let (from, to) = (text(), text());
    check(
        &[
            Reason::CreationFailed {
                failure_reason: FailureReason::NotGiven,
            },
            Reason::BeingDeleted,
            Reason::ForcesReplacement {
                field: text(),
                from: from.clone(),
                to: to.clone(),
            },
            Reason::SettingChanged {
                field: text(),
                from: from.clone(),
                to: to.clone(),
            },
            Reason::NotInSpec { kind: Kind::Filter },
            Reason::SchemaNotInSpec { schema: text() },
            Reason::SchemaEarlierVersion { schema: text() },
            Reason::SchemaContentChanged {
                schema: text(),
                old: text(),
            },
            Reason::SchemaCompatible {
                from: from.clone(),
                to: to.clone(),
            },
            Reason::SchemaIncompatible {
                from: from.clone(),
                to: to.clone(),
                problems: vec![text()],
            },
            Reason::SchemaUnread {
                from: from.clone(),
                to: to.clone(),
            },
            Reason::DeletionInProgress,
            Reason::GroupReplaced,
            Reason::GroupDeleted,
            Reason::CascadeGroup,
            Reason::CascadeDataset {
                dataset: dataset.clone(),
            },
            Reason::RecreatedForDataset { dataset },
            Reason::SolutionReplaced { solution: text() },
            Reason::TagChanged {
                key: text(),
                from: from.clone(),
                to: to.clone(),
            },
            Reason::TagAdded {
                key: text(),
                value: text(),
            },
            Reason::TagRemoved { key: text() },
            Reason::TakenOver {
                kind: Kind::DatasetGroup,
                stack: text(),
            },
            Reason::DataLost,
            Reason::TrackingIdChanges,
            Reason::TrainedModelLost,
            Reason::TrainedVersionsLost,
            Reason::ServingStops,
            Reason::FilterUnavailable,
            Reason::MetricsNotReported,
            Reason::NoImportYet,
            Reason::ImportLocationChanged { from, to },
            Reason::DataChanged {
                objects: 1,
                since: text(),
            },
            Reason::ReplaceRequested,
            Reason::DataImportedSinceFailure,
            Reason::NewDataSinceTraining { trained: text() },
            Reason::TrainRequested,
            Reason::NewerVersion { version: text() },
        ],
        Reason::code,
    );
}

#[test]
fn note_codes_are_what_serde_writes() {
    let unit = CapacityUnit::ProvisionedTps;
    check(
        &[
            Note::BillingStarts { amount: 1, unit },
            Note::BillingRestarts { amount: 1, unit },
            Note::BillingStops { amount: 1, unit },
            Note::BillingPaused { amount: 1, unit },
            Note::CapacityChanged {
                was: 1,
                now: 2,
                unit,
            },
            Note::CreatedStopped,
            Note::AutomaticTraining { schedule: None },
            Note::AutomaticTrainingOff { schedule: None },
            Note::AutomaticTrainingEnds { schedule: None },
            Note::TrainingScheduleChanged {
                was: None,
                now: Some(text()),
            },
            Note::ManualTraining,
            Note::Hpo,
            Note::MetadataBilled,
            Note::TrainsFirstVersion { solution: text() },
            Note::TrainsNewVersion { solution: text() },
            Note::FullImportReplaces,
            Note::DataAgeUnknown { error: text() },
        ],
        Note::code,
    );
}

#[test]
fn blocker_and_deferral_codes_are_what_serde_writes() {
    let unowned = Unowned {
        address: Address::child(Kind::Solution, "g", "s"),
        name: None,
    };
    check(
        &[
            Blocker::ProtectedGroup,
            Blocker::ProtectedInGroup,
            Blocker::ProtectedByTag,
            Blocker::UnownedResources {
                resources: vec![unowned],
            },
        ],
        Blocker::code,
    );
    check(
        &[
            Deferral::SolutionUnusable { solution: text() },
            Deferral::AwaitingAutomaticTraining { solution: text() },
            Deferral::AwaitingTraining { solution: text() },
            Deferral::NoInteractionsData,
            Deferral::FailedForData {
                failure_reason: text(),
                replace: text(),
            },
            Deferral::NoObjects { location: text() },
            Deferral::ImportFailed {
                failure_reason: text(),
                replace: text(),
            },
        ],
        Deferral::code,
    );
}
