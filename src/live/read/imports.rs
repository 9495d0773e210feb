//! A dataset's import jobs: listed (newest first), the newest described for
//! where it imported from, which its summary does not say.

use super::super::error::{found, LiveError};
use super::super::request::Personalize;
use super::{secs, PAGE};
use crate::resource::Status;
use crate::state::LiveImport;

/// The import jobs of dataset `dataset_arn`, newest first; `None` when the
/// dataset is gone.
pub(in crate::live) async fn dataset_imports(
    client: &Personalize,
    dataset_arn: &str,
) -> Result<Option<Vec<LiveImport>>, LiveError> {
    let listed = list_all!(client, "ListDatasetImportJobs", dataset_arn, |c| c
        .list_dataset_import_jobs()
        .dataset_arn(dataset_arn))
    .await;
    let Some(summaries) = found(listed)? else {
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
    if let Some(newest) = imports.first_mut() {
        let arn = newest.arn.clone();
        let described = client
            .send("DescribeDatasetImportJob", &arn, |c| {
                c.describe_dataset_import_job()
                    .dataset_import_job_arn(&arn)
                    .send()
            })
            .await;
        newest.data_location = found(described)?.and_then(|o| {
            let job = o.dataset_import_job()?;
            Some(job.data_source()?.data_location()?.to_string())
        });
    }
    Ok(Some(imports))
}
