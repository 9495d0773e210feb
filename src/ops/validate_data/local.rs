//! The objects of a bucket backed by a local directory (`sandbox.buckets`),
//! listed as S3 would list them (`personalize_facts::bucket_dir`), and each
//! object's file read through the checker.

use std::fs::File;
use std::path::{Path, PathBuf};

use personalize_facts::bucket_dir;
use personalize_facts::import::{objects_read, read_csv, Field, Report};
use personalize_facts::resource::DatasetType;

use super::object::{Object, Source};

/// Why a local bucket's objects could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the directory {} of bucket `{bucket}`: {error}", dir.display())]
pub struct ListError {
    bucket: String,
    dir: PathBuf,
    error: std::io::Error,
}

/// The objects of `bucket` (backed by `dir`) that an import of `key` reads,
/// in S3's key order; empty when there are none.
pub fn objects(bucket: &str, dir: &Path, key: &str) -> Result<Vec<Object>, ListError> {
    let listed = bucket_dir::list(dir, key).map_err(|error| ListError {
        bucket: bucket.to_string(),
        dir: dir.to_path_buf(),
        error,
    })?;
    Ok(objects_read(key, listed, |o| &o.key)
        .into_iter()
        .map(|o| Object {
            uri: format!("s3://{bucket}/{}", o.key),
            size: o.size,
            source: Source::File(o.path),
        })
        .collect())
}

/// Reads the file at `path` through the checker.
pub fn read(
    path: &Path,
    fields: &[Field],
    dataset_type: DatasetType,
    max_findings: usize,
) -> std::io::Result<Report> {
    Ok(read_csv(
        File::open(path)?,
        fields,
        dataset_type,
        max_findings,
    ))
}
