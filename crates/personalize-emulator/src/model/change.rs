//! Personalize's rules for changing and deleting resources: nothing in use
//! is deleted, nothing settling is deleted or updated, and a dataset's schema
//! changes only compatibly, asynchronously.

use serde_json::{Map, Value};

use super::create::check_schema_fits;
use super::noun::Noun;
use super::record::{Resource, Update};
use super::Model;
use crate::clock::Millis;
use crate::error::ApiError;
use personalize_facts::avro;
use personalize_facts::resource::DatasetType;
use personalize_facts::resource::{Kind, Status};

impl Model {
    pub fn delete(
        &mut self,
        now: Millis,
        kind: impl Into<Noun>,
        arn: &str,
    ) -> Result<(), ApiError> {
        let kind = kind.into();
        let resource = self.describe(now, kind, arn)?;
        let mut blockers: Vec<&Resource> = self
            .could_block_delete(now, resource)
            .into_iter()
            .filter(|r| self.blocks_delete(now, resource, r))
            .collect();
        blockers.sort_by(|a, b| a.arn.cmp(&b.arn));
        let blockers: Vec<String> = blockers
            .iter()
            .map(|r| format!("{} {}", r.kind.label(), r.arn))
            .collect();
        if !blockers.is_empty() {
            return Err(ApiError::in_use(format!(
                "The {} {arn} is in use by: {}",
                kind.label(),
                blockers.join(", ")
            )));
        }
        match resource.status(now, self.lc()) {
            None => self.remove(arn),
            // A stopped recommender can be deleted: stopping is how its
            // billing ends, and DeleteRecommender names no state it needs.
            Some(Status::Active | Status::CreateFailed | Status::Inactive) => {
                self.mark_deleting(now, arn)
            }
            Some(status) => {
                return Err(ApiError::in_use(format!(
                    "The {} {arn} cannot be deleted while its status is {status}",
                    kind.label(),
                )))
            }
        }
        // "Deletes all versions of a solution and the Solution object itself."
        // (https://docs.aws.amazon.com/personalize/latest/dg/API_DeleteSolution.html)
        // A dataset's ended import jobs go with it too (the API has no
        // DeleteDatasetImportJob), so a dataset created again under the same
        // ARN starts without data.
        let owned = match kind {
            Noun::Kind(Kind::Solution) => Some(Noun::SolutionVersion),
            Noun::Kind(Kind::Dataset) => Some(Noun::DATASET_IMPORT_JOB),
            _ => None,
        };
        if let Some(owned) = owned {
            let children: Vec<String> = self.index.children_of(arn, Some(owned)).cloned().collect();
            for child in children {
                self.remove(&child);
            }
        }
        Ok(())
    }

    /// The live resources `blocks_delete` can find blocking `target`'s
    /// delete: datasets (of a schema), the resources of its group (of a
    /// dataset), its children (of anything else).
    fn could_block_delete<'a>(&'a self, now: Millis, target: &Resource) -> Vec<&'a Resource> {
        match target.kind {
            Noun::Kind(Kind::Schema) => self.list(now, Kind::Dataset.into(), None, None).collect(),
            Noun::Kind(Kind::Dataset) => {
                let imports = self
                    .index
                    .children_of(&target.arn, Some(Noun::DATASET_IMPORT_JOB))
                    .filter_map(|arn| self.live_at(now, arn));
                let group = target.parent.as_deref();
                let in_group = group.into_iter().flat_map(|g| self.in_group(now, None, g));
                imports.chain(in_group).collect()
            }
            _ => self
                .index
                .children_of(&target.arn, None)
                .filter_map(|arn| self.live_at(now, arn))
                .collect(),
        }
    }

    /// Whether `other` keeps `target` from being deleted.
    fn blocks_delete(&self, now: Millis, target: &Resource, other: &Resource) -> bool {
        let lc = self.lc();
        let arn = target.arn.as_str();
        let child = other.parent.as_deref() == Some(arn);
        match target.kind {
            Noun::Kind(Kind::Schema) => {
                other.kind == Kind::Dataset
                    && (other.schema_arn(now, lc) == Some(arn)
                        || other
                            .update
                            .as_ref()
                            .is_some_and(|u| u.schema_arn.as_deref() == Some(arn))
                            && other.status(now, lc).is_some_and(|s| s.is_settling()))
            }
            Noun::Kind(Kind::Dataset) => self.blocks_dataset_delete(now, target, other),
            // "Before deleting a solution, you must delete all campaigns based
            // on the solution. [...] You can't delete a solution if an
            // associated SolutionVersion is in the CREATE PENDING or IN
            // PROGRESS state."
            // (https://docs.aws.amazon.com/personalize/latest/dg/API_DeleteSolution.html)
            // A version still stopping counts as being created.
            Noun::Kind(Kind::Solution) => {
                child
                    && (other.kind == Kind::Campaign
                        || other.kind == Noun::SolutionVersion
                            && other.status(now, lc).is_some_and(|s| s.is_settling()))
            }
            _ => child,
        }
    }

    /// "Before you delete a dataset, note the following" on
    /// https://docs.aws.amazon.com/personalize/latest/dg/delete-dataset.html
    /// (batch jobs are not emulated).
    fn blocks_dataset_delete(&self, now: Millis, dataset: &Resource, other: &Resource) -> bool {
        let lc = self.lc();
        if other.kind == Noun::DATASET_IMPORT_JOB {
            // "You can't delete a dataset if an associated DatasetImportJob or
            // SolutionVersion is in the CREATE PENDING or IN PROGRESS state."
            // (https://docs.aws.amazon.com/personalize/latest/dg/API_DeleteDataset.html);
            // an ended job blocks nothing.
            return other.parent.as_deref() == Some(dataset.arn.as_str())
                && other.is_being_created(now, lc);
        }
        if dataset.parent.is_none() || self.group_of(other) != dataset.parent.as_deref() {
            return false;
        }
        match other.kind {
            // "You must delete all filters before deleting any dataset."
            Noun::Kind(Kind::Filter) => true,
            // "If you created a metric attribution that references the
            // dataset, you must delete the metric attribution first."
            Noun::Kind(Kind::MetricAttribution) => dataset
                .attr("datasetType")
                .and_then(DatasetType::from_api)
                .is_some_and(|t| self.metrics_reference(now, other, t)),
            // "If you created an event tracker, you must delete it before you
            // delete an Item interactions dataset."
            Noun::Kind(Kind::EventTracker) => {
                dataset.attr("datasetType").and_then(DatasetType::from_api)
                    == Some(DatasetType::Interactions)
            }
            // "No associated Recommender, SolutionVersion can have a status of
            // CREATE PENDING or IN PROGRESS."
            Noun::Kind(Kind::Recommender) | Noun::SolutionVersion => {
                other.is_being_created(now, lc)
            }
            // "No associated Campaign can have a status of CREATE PENDING or
            // IN PROGRESS or ACTIVE."
            Noun::Kind(Kind::Campaign) => {
                other.is_being_created(now, lc) || other.status(now, lc) == Some(Status::Active)
            }
            _ => false,
        }
    }

    /// The failure reason of an update (`what`) of the resource named
    /// `name` when `--fail-update` matches the name: the update then ends
    /// CREATE FAILED and the resource keeps what it had.
    pub(super) fn doomed_update(&self, name: &str, what: String) -> Option<String> {
        let re = self.rules.fail_update.as_ref()?;
        re.is_match(name)
            .then(|| format!("{what} failed (injected by --fail-update)"))
    }

    /// UpdateDataset: starts moving an ACTIVE Items or Users dataset to a
    /// schema that keeps every field and adds only nullable ones
    /// (https://docs.aws.amazon.com/personalize/latest/dg/updating-dataset-schema.html).
    /// The update runs over the create delay; the dataset keeps its schema
    /// until it succeeds, and keeps it for good if it fails (`--fail-update`,
    /// the failure shown only in `latestDatasetUpdate`). A dataset being
    /// updated is not ACTIVE, so another update or a delete is refused.
    pub fn update_dataset(
        &mut self,
        now: Millis,
        arn: &str,
        schema_arn: &str,
    ) -> Result<&Resource, ApiError> {
        let lc = self.lc();
        let dataset = self.describe(now, Kind::Dataset, arn)?;
        let new_schema = self.describe(now, Kind::Schema, schema_arn)?;
        match dataset.status(now, lc) {
            Some(Status::Active) => {}
            status => {
                return Err(ApiError::in_use(format!(
                    "The dataset {arn} cannot be updated while its status is {}",
                    status.as_ref().map_or("none", Status::as_str)
                )))
            }
        }
        let dataset_type = dataset
            .attr("datasetType")
            .and_then(DatasetType::from_api)
            .ok_or_else(|| ApiError::invalid_input("The dataset has no known type"))?;
        let group = self.describe(
            now,
            Kind::DatasetGroup,
            dataset.parent.as_deref().unwrap_or_default(),
        )?;
        check_schema_fits(group, new_schema, dataset_type)?;
        let current = dataset.schema_arn(now, lc).unwrap_or_default().to_string();
        let old_schema = self.describe(now, Kind::Schema, &current)?;
        let parse = |r: &Resource| {
            avro::parse(r.attr("schema").unwrap_or_default()).map_err(ApiError::invalid_input)
        };
        avro::check_schema_update(dataset_type, &parse(old_schema)?, &parse(new_schema)?).map_err(
            |reasons| {
                ApiError::invalid_input(format!(
                    "Incompatible schema update: {}",
                    reasons.join("; ")
                ))
            },
        )?;
        let failure_reason = self.doomed_update(
            &dataset.name,
            format!("Update of dataset {} to schema {schema_arn}", dataset.name),
        );
        let dataset = self
            .account
            .resources
            .get_mut(arn)
            .ok_or_else(|| ApiError::not_found(arn))?;
        // The previous update has settled: its outcome becomes the schema.
        dataset
            .attrs
            .insert("schemaArn".into(), Value::from(current));
        dataset.update = Some(Update {
            schema_arn: Some(schema_arn.to_string()),
            changes: Map::new(),
            summary: Map::from_iter([("schemaArn".to_string(), Value::from(schema_arn))]),
            started: now,
            failure_reason,
        });
        Ok(dataset)
    }
}
