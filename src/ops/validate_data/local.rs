//! The files an import's `s3://bucket/key` names in a bucket backed by a
//! local directory (`sandbox.buckets`): the object of that key, else every
//! CSV object under it as a prefix, as the dataset import job reads them.

use std::path::{Component, Path, PathBuf};

/// One object to read: its `s3://` URI (where findings point) and its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalObject {
    pub uri: String,
    pub path: PathBuf,
}

/// Why a location's objects could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("cannot read the directory {} of bucket `{bucket}`: {error}", dir.display())]
    Bucket {
        bucket: String,
        dir: PathBuf,
        error: std::io::Error,
    },
    /// `..` or `.` in a key would reach outside the bucket's directory.
    #[error("key `{0}` has a `.` or `..` part, which names no object of the bucket")]
    UnsafeKey(String),
}

/// The objects of `bucket` (backed by `dir`) that `key` names, in S3's key
/// order; empty when there are none.
pub fn objects(bucket: &str, dir: &Path, key: &str) -> Result<Vec<LocalObject>, ListError> {
    let unreadable = |error| ListError::Bucket {
        bucket: bucket.to_string(),
        dir: dir.to_path_buf(),
        error,
    };
    if !key.split('/').all(|part| {
        Path::new(part)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    }) {
        return Err(ListError::UnsafeKey(key.to_string()));
    }
    std::fs::read_dir(dir).map_err(unreadable)?;
    let object = |key: &str, path: PathBuf| LocalObject {
        uri: format!("s3://{bucket}/{key}"),
        path,
    };
    let exact = dir.join(key);
    if !key.is_empty() && exact.is_file() {
        return Ok(vec![object(key, exact)]);
    }
    let mut found = Vec::new();
    walk(dir, "", key, &mut found).map_err(unreadable)?;
    // S3 lists keys ascending by their UTF-8 bytes.
    found.sort();
    Ok(found
        .into_iter()
        .filter(|(key, _)| key.to_ascii_lowercase().ends_with(".csv"))
        .map(|(key, path)| object(&key, path))
        .collect())
}

/// Collects (key, file) under `dir`, whose keys start `key_prefix`, that
/// start with `prefix`, skipping directories that cannot hold such keys.
fn walk(
    dir: &Path,
    key_prefix: &str,
    prefix: &str,
    out: &mut Vec<(String, PathBuf)>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(String::from) else {
            continue; // Not UTF-8: no S3 key names it.
        };
        let key = format!("{key_prefix}{name}");
        let kind = entry.file_type()?;
        if kind.is_dir() {
            let sub = format!("{key}/");
            if sub.starts_with(prefix) || prefix.starts_with(&sub) {
                walk(&entry.path(), &sub, prefix, out)?;
            }
        } else if key.starts_with(prefix) {
            out.push((key, entry.path()));
        }
    }
    Ok(())
}
