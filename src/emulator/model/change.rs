//! Personalize's rules for changing and deleting resources: nothing in use
//! is deleted, nothing settling is deleted or updated, and a dataset's schema
//! changes only compatibly.

use serde_json::Value;

use super::create::check_schema_fits;
use super::resource::{epoch_seconds, Resource};
use super::Model;
use crate::avro;
use crate::emulator::clock::Millis;
use crate::emulator::error::ApiError;
use crate::resource::DatasetType;
use crate::resource::{Kind, Status};

impl Model {
    pub fn delete(&mut self, now: Millis, kind: Kind, arn: &str) -> Result<(), ApiError> {
        self.purge(now);
        let resource = self.describe(now, kind, arn)?;
        let blockers: Vec<String> = self
            .live(now)
            .filter(|r| match kind {
                Kind::Schema => r.kind == Kind::Dataset && r.attr("schemaArn") == Some(arn),
                _ => r.parent.as_deref() == Some(arn),
            })
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
            None => {
                self.account.resources.remove(arn);
            }
            Some(Status::Active | Status::CreateFailed) => {
                if let Some(r) = self.account.resources.get_mut(arn) {
                    r.deleting_since = Some(now);
                }
                self.purge(now);
            }
            Some(status) => {
                return Err(ApiError::in_use(format!(
                    "The {} {arn} cannot be deleted while its status is {status}",
                    kind.label(),
                )))
            }
        }
        Ok(())
    }

    /// UpdateDataset: moves an ACTIVE Items or Users dataset to a schema that
    /// keeps every field and adds only nullable ones.
    pub fn update_dataset(
        &mut self,
        now: Millis,
        arn: &str,
        schema_arn: &str,
    ) -> Result<&Resource, ApiError> {
        self.purge(now);
        let dataset = self.describe(now, Kind::Dataset, arn)?;
        let new_schema = self.describe(now, Kind::Schema, schema_arn)?;
        if dataset.status(now, self.lc()) != Some(Status::Active) {
            return Err(ApiError::in_use(format!("The dataset {arn} is not ACTIVE")));
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
        let old_schema = self.describe(
            now,
            Kind::Schema,
            dataset.attr("schemaArn").unwrap_or_default(),
        )?;
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
        let summary = serde_json::json!({
            "schemaArn": schema_arn, "status": Status::Active,
            "creationDateTime": epoch_seconds(now), "lastUpdatedDateTime": epoch_seconds(now),
        });
        let dataset = self
            .account
            .resources
            .get_mut(arn)
            .ok_or_else(|| ApiError::not_found(arn))?;
        dataset
            .attrs
            .insert("schemaArn".into(), Value::from(schema_arn));
        dataset.attrs.insert("latestDatasetUpdate".into(), summary);
        dataset.updated = Some(now);
        Ok(dataset)
    }
}
