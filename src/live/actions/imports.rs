//! Dataset import jobs: the one action that starts one.

use aws_sdk_personalize::types::{DataSource, ImportMode as ApiMode};

use super::super::error::LiveError;
use super::super::request::Personalize;
use super::api_tags;
use crate::spec::ImportMode;
use crate::state::Tags;

/// A dataset import job to start.
#[derive(Debug, Clone, Copy)]
pub struct NewImport<'a> {
    pub name: &'a str,
    pub dataset_arn: &'a str,
    /// `dataSource.dataLocation`: `s3://bucket/key` or `s3://bucket/prefix/`.
    pub location: &'a str,
    pub role_arn: Option<&'a str>,
    pub mode: ImportMode,
    pub tags: &'a Tags,
}

pub(super) async fn create_import(
    client: &Personalize,
    import: &NewImport<'_>,
) -> Result<String, LiveError> {
    let mode = match import.mode {
        ImportMode::Full => ApiMode::Full,
        ImportMode::Incremental => ApiMode::Incremental,
    };
    let source = DataSource::builder().data_location(import.location).build();
    let out = client
        .send("CreateDatasetImportJob", import.name, |c| {
            c.create_dataset_import_job()
                .job_name(import.name)
                .dataset_arn(import.dataset_arn)
                .data_source(source.clone())
                .set_role_arn(import.role_arn.map(str::to_string))
                .import_mode(mode.clone())
                .set_tags(Some(api_tags(import.tags)))
                .send()
        })
        .await?;
    Ok(out.dataset_import_job_arn().unwrap_or_default().to_string())
}
