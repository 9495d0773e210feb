//! Where a spec's data is: each dataset's `import` (an `s3://` location, the
//! role that reads it) and the top-level `sandbox.buckets`, checked offline
//! and resolved against the spec's directory. `mode` and `streamed` are
//! checked by their types: an INCREMENTAL import is accepted, since the
//! dataset may already hold a bulk import that only the account knows of.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::checks::{check_arn, ROLE_ARN};
use super::locate::{child_index, child_key, Issue};
use super::s3uri::{check_bucket_name, S3Uri, S3UriError, BUCKET_NAMING_RULES};
use super::{ImportSpec, SpecFile};

/// `dataSource.dataLocation` of CreateDatasetImportJob.
const DATA_SOURCE: &str = "https://docs.aws.amazon.com/personalize/latest/dg/API_DataSource.html";

/// Findings about every dataset's `import` and the sandbox's buckets.
pub fn check(spec: &SpecFile) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (i, group) in spec.dataset_groups.iter().enumerate() {
        let datasets_path = child_key(&child_index("datasetGroups", i), "datasets");
        for (dataset_type, dataset) in group.datasets.iter() {
            if let Some(import) = &dataset.import {
                let dataset_path = child_key(&datasets_path, dataset_type.spec_key());
                check_import(import, &child_key(&dataset_path, "import"), &mut issues);
            }
        }
    }
    if let Some(sandbox) = &spec.sandbox {
        let buckets_path = child_key("sandbox", "buckets");
        for (bucket, dir) in &sandbox.buckets {
            let path = child_key(&buckets_path, bucket);
            if let Err(e) = check_bucket_name(bucket) {
                issues.push(Issue::key(&path, e.to_string(), bucket_hint()));
            }
            if dir.is_empty() {
                issues.push(Issue::value(
                    &path,
                    format!("no directory for bucket `{bucket}`"),
                    "write the directory that holds the bucket's objects, relative to the spec file (e.g. `./data`)",
                ));
            }
        }
    }
    issues
}

fn check_import(import: &ImportSpec, path: &str, issues: &mut Vec<Issue>) {
    let from_path = child_key(path, "from");
    if let Err(e) = S3Uri::parse(&import.from) {
        let hint = match &e {
            S3UriError::NotS3 {
                suggestion: Some(s3),
                ..
            } => format!("did you mean `{s3}`? pzr reads the data through S3, so the location is an s3:// URI"),
            S3UriError::NotS3 { suggestion: None, .. } => format!(
                "write `s3://bucket/key.csv` for one CSV file or `s3://bucket/prefix/` for a folder of them (rule: {DATA_SOURCE})"
            ),
            S3UriError::TooLong(_) => format!("use a shorter key or prefix (rule: {DATA_SOURCE})"),
            S3UriError::Bucket(_) => bucket_hint(),
        };
        issues.push(Issue::value(&from_path, e.to_string(), hint));
    }
    if let Some(arn) = &import.role_arn {
        check_arn(arn, &ROLE_ARN, &child_key(path, "roleArn"), issues);
    }
}

fn bucket_hint() -> String {
    format!("a bucket name is 3-63 lowercase letters, digits, `.` and `-`, beginning and ending with a letter or digit (rule: {BUCKET_NAMING_RULES})")
}

/// Each sandbox bucket's directory, relative paths taken from `spec_dir`
/// (as `.avsc` files are).
pub fn sandbox_buckets(spec: &SpecFile, spec_dir: &Path) -> BTreeMap<String, PathBuf> {
    spec.sandbox
        .iter()
        .flat_map(|sandbox| &sandbox.buckets)
        .map(|(bucket, dir)| (bucket.clone(), spec_dir.join(dir)))
        .collect()
}
