//! Dataset import jobs: CreateDatasetImportJob's rules, and the data a
//! dataset holds once its imports are ACTIVE. The data itself is read by
//! the API layer (`api::imports`) into `Imported`; the model keeps counts,
//! never rows (https://docs.aws.amazon.com/personalize/latest/dg/API_CreateDatasetImportJob.html:
//! "CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED").

use std::collections::BTreeMap;

use serde_json::Value;

use super::create::text_attr;
use super::noun::Noun;
use super::record::Resource;
use super::{Model, NewResource};
use crate::clock::Millis;
use crate::error::{ApiError, ErrorCode};
use personalize_facts::avro;
use personalize_facts::import::Counts;
use personalize_facts::resource::{DatasetType, Kind, Status};

/// What reading an import job's data location found.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    Data(Counts),
    /// The job's `failureReason`.
    Failed(String),
}

/// "You can have a total of 5 pending or in progress dataset import jobs per
/// region. This quota is not adjustable."
/// (https://docs.aws.amazon.com/personalize/latest/dg/error-messages.html)
const IMPORT_JOBS_IN_PROGRESS: usize = 5;

impl Model {
    /// The schema and type of the dataset an import job would fill; it must
    /// exist and be ACTIVE, as for every child of a resource.
    pub fn import_target(
        &self,
        now: Millis,
        dataset_arn: &str,
    ) -> Result<(Value, DatasetType), ApiError> {
        let dataset = self.active_parent(now, Kind::Dataset, dataset_arn)?;
        let schema_arn = dataset.schema_arn(now, self.lc()).unwrap_or_default();
        let schema = self.describe(now, Kind::Schema, schema_arn)?;
        let schema = avro::parse(schema.attr("schema").unwrap_or_default())
            .map_err(ApiError::invalid_input)?;
        let dataset_type = dataset
            .attr("datasetType")
            .and_then(DatasetType::from_api)
            .ok_or_else(|| ApiError::invalid_input("The dataset has no valid datasetType"))?;
        Ok((schema, dataset_type))
    }

    /// CreateDatasetImportJob; `new.attrs` holds the request's members and
    /// `new.imported` what its data location holds.
    pub fn create_dataset_import_job(
        &mut self,
        now: Millis,
        mut new: NewResource,
    ) -> Result<&Resource, ApiError> {
        let lc = self.lc();
        let dataset_arn = text_attr(&new, "datasetArn");
        self.active_parent(now, Kind::Dataset, &dataset_arn)?;
        self.ensure_name_free(now, Noun::DATASET_IMPORT_JOB, &new.name)?;
        let running = self
            .list(now, Noun::DATASET_IMPORT_JOB, None, None)
            .filter(|job| job.is_being_created(now, lc))
            .count();
        if running >= IMPORT_JOBS_IN_PROGRESS {
            // The message error-messages.html quotes.
            return Err(ApiError::new(
                ErrorCode::LimitExceeded,
                "More than 5 resources with PENDING or IN_PROGRESS status.",
            ));
        }
        // "The default import mode is FULL." (botocore, `importMode`)
        let mode = new
            .attrs
            .entry("importMode")
            .or_insert(Value::from("FULL"))
            .clone();
        if mode == "INCREMENTAL" && !self.has_bulk_data(now, &dataset_arn) {
            return Err(ApiError::invalid_input(format!(
                "The dataset {dataset_arn} has no completed FULL import: \"If you haven't imported bulk records into the dataset previously, you can only specify FULL.\""
            )));
        }
        let arn = self.arn(Noun::DATASET_IMPORT_JOB, &new.name);
        let imported = new.imported.take();
        self.insert(
            now,
            Noun::DATASET_IMPORT_JOB,
            arn.clone(),
            new,
            Some(dataset_arn),
        );
        let job = self
            .account
            .resources
            .get_mut(&arn)
            .expect("the job was just inserted");
        match imported {
            // --fail-create's reason, if it matched, stands.
            Some(Imported::Failed(reason)) => {
                job.failure_reason.get_or_insert(reason);
            }
            Some(Imported::Data(counts)) if job.failure_reason.is_none() => {
                job.data = Some(counts);
            }
            _ => {}
        }
        Ok(job)
    }

    /// Whether a FULL import of the dataset has completed (ACTIVE).
    fn has_bulk_data(&self, now: Millis, dataset_arn: &str) -> bool {
        self.list(now, Noun::DATASET_IMPORT_JOB, Some(dataset_arn), None)
            .any(|job| {
                job.attr("importMode") == Some("FULL")
                    && job.status(now, self.lc()) == Some(Status::Active)
            })
    }

    /// What the dataset's bulk data counts at `now`: its ACTIVE import jobs
    /// in order, each FULL replacing the bulk data and each INCREMENTAL
    /// adding to it (botocore, `importMode`: "Specify FULL to overwrite all
    /// existing bulk data in your dataset [...] Specify INCREMENTAL to append
    /// the new records to the existing data"). `None` before the first.
    pub fn dataset_data(&self, now: Millis, dataset_arn: &str) -> Option<Counts> {
        let mut data: Option<Counts> = None;
        let done = self
            .list(now, Noun::DATASET_IMPORT_JOB, Some(dataset_arn), None)
            .filter(|job| job.status(now, self.lc()) == Some(Status::Active));
        for job in done {
            let Some(counts) = &job.data else { continue };
            match (job.attr("importMode"), &mut data) {
                (Some("INCREMENTAL"), Some(data)) => data.add(counts),
                _ => data = Some(counts.clone()),
            }
        }
        data
    }

    /// Every live dataset's bulk data at `now`, by ARN (those with some).
    pub fn data_by_dataset(&self, now: Millis) -> BTreeMap<String, Counts> {
        self.list(now, Kind::Dataset.into(), None, None)
            .filter_map(|d| Some((d.arn.clone(), self.dataset_data(now, &d.arn)?)))
            .collect()
    }
}
