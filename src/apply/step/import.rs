//! The import step: a dataset import job under a name of its own, waited
//! for until ACTIVE.

use super::{StepError, StepRun};
use crate::live::{Actions, NewImport};
use crate::resource::{Kind, Tags};
use crate::spec::ImportMode;

/// What an import step imports, as its op says.
pub(super) struct ImportOf<'a> {
    pub dataset_name: &'a str,
    pub location: &'a str,
    pub role_arn: Option<&'a str>,
    pub mode: ImportMode,
    pub tags: &'a Tags,
}

impl<A: Actions> StepRun<'_, A> {
    /// Starts the import of `of` into dataset `dataset_arn` and waits
    /// until the job is ACTIVE; hands on its ARN.
    pub(super) async fn import_data(
        &self,
        dataset_arn: &str,
        of: &ImportOf<'_>,
    ) -> Result<Option<String>, StepError> {
        // Names are per second: one taken by an import of this
        // dataset begun within the same second gives way to the
        // next second's, asked for at once.
        let taken = self.cx.actions.import_job_names(dataset_arn).await?;
        let mut at = std::time::SystemTime::now();
        let mut name = import_job_name(of.dataset_name, at);
        while taken.contains(&name) {
            at += std::time::Duration::from_secs(1);
            name = import_job_name(of.dataset_name, at);
        }
        let import = NewImport {
            name: &name,
            dataset_arn,
            location: of.location,
            role_arn: of.role_arn,
            mode: of.mode,
            tags: of.tags,
        };
        let arn = self.cx.actions.create_import(&import).await?;
        self.until_active(Kind::DatasetImportJob, arn).await
    }
}

/// Longest name the API takes (botocore's `Name`: 63 characters).
const MAX_JOB_NAME: usize = 63;

/// `<dataset name>-<UTC yyyymmddThhmmss>`: an import job's name, unique per
/// second, telling people which dataset and when (the dataset name cut to
/// fit the API's 63 characters).
fn import_job_name(dataset_name: &str, at: std::time::SystemTime) -> String {
    let stamp = humantime::format_rfc3339_seconds(at).to_string();
    // 2026-12-01T10:00:00Z -> 20261201T100000
    let stamp: String = stamp
        .trim_end_matches('Z')
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    let room = MAX_JOB_NAME - stamp.len() - 1;
    let prefix: String = dataset_name.chars().take(room).collect();
    format!("{prefix}-{stamp}")
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn import_job_names_carry_the_dataset_and_utc_time_and_fit_the_api() {
        let at = UNIX_EPOCH + Duration::from_secs(1_764_583_200); // 2025-12-01T10:00:00Z
        assert_eq!(
            import_job_name("retail-prod-interactions", at),
            "retail-prod-interactions-20251201T100000"
        );
        let long = "d".repeat(63);
        let name = import_job_name(&long, at);
        assert_eq!(name.len(), MAX_JOB_NAME);
        assert!(name.ends_with("-20251201T100000"));
    }
}
