//! A dataset's import jobs: listed (newest first), the newest and the
//! newest ACTIVE described for where they imported from (and as which
//! role), which a summary does not say.

use super::super::error::{found, LiveError};
use super::super::request::Personalize;
use super::{secs, PAGE};
use crate::resource::Status;
use crate::state::LiveImport;
use aws_sdk_personalize::types::DatasetImportJobSummary;

/// The import jobs of dataset `dataset_arn`, newest first; `None` when the
/// dataset is gone.
pub(in crate::live) async fn dataset_imports(
    client: &Personalize,
    dataset_arn: &str,
) -> Result<Option<Vec<LiveImport>>, LiveError> {
    let Some(summaries) = list(client, dataset_arn).await? else {
        return Ok(None);
    };
    let mut imports: Vec<LiveImport> = summaries
        .iter()
        .map(|j| LiveImport {
            name: j.job_name().unwrap_or_default().to_string(),
            arn: j.dataset_import_job_arn().unwrap_or_default().to_string(),
            status: Status::parse(j.status().unwrap_or_default()),
            created: secs(j.creation_date_time()),
            last_updated: secs(j.last_updated_date_time()),
            failure_reason: j.failure_reason().map(str::to_string),
            data_location: None,
            role_arn: None,
            mode: j.import_mode().map(|m| m.as_str().to_string()),
        })
        .collect();
    // Newest first; the name (which ends in its UTC time) breaks ties.
    imports.sort_by(|a, b| {
        let key = |i: &LiveImport| (i.created.unwrap_or_default(), i.name.clone());
        key(b)
            .partial_cmp(&key(a))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let active = imports.iter().position(|i| i.status == Status::Active);
    for at in [Some(0), active]
        .into_iter()
        .flatten()
        .collect::<std::collections::BTreeSet<_>>()
    {
        if let Some(job) = imports.get_mut(at) {
            describe(client, job).await?;
        }
    }
    Ok(Some(imports))
}

/// The names of the import jobs of dataset `dataset_arn` (none when it is
/// gone).
pub(in crate::live) async fn import_job_names(
    client: &Personalize,
    dataset_arn: &str,
) -> Result<Vec<String>, LiveError> {
    let summaries = list(client, dataset_arn).await?.unwrap_or_default();
    Ok(summaries
        .iter()
        .filter_map(|j| j.job_name().map(str::to_string))
        .collect())
}

async fn list(
    client: &Personalize,
    dataset_arn: &str,
) -> Result<Option<Vec<DatasetImportJobSummary>>, LiveError> {
    let listed = list_all!(client, "ListDatasetImportJobs", dataset_arn, |c| c
        .list_dataset_import_jobs()
        .dataset_arn(dataset_arn))
    .await;
    found(listed)
}

/// Completes `job` with where it imported from and as which role.
async fn describe(client: &Personalize, job: &mut LiveImport) -> Result<(), LiveError> {
    let arn = job.arn.clone();
    let described = client
        .send("DescribeDatasetImportJob", &arn, |c| {
            c.describe_dataset_import_job()
                .dataset_import_job_arn(&arn)
                .send()
        })
        .await;
    if let Some(described) = found(described)?.and_then(|o| o.dataset_import_job().cloned()) {
        job.data_location = described
            .data_source()
            .and_then(|s| s.data_location())
            .map(str::to_string);
        job.role_arn = described.role_arn().map(str::to_string);
    }
    Ok(())
}
