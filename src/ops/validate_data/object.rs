//! Where an import's objects are read from: a bucket of `sandbox.buckets`
//! from its local directory, any other from S3 (`Store`), each object then
//! read through the same checker, so a finding reads the same wherever the
//! data is.

use std::collections::BTreeMap;
use std::path::PathBuf;

use aws_sdk_s3::Client;
use personalize_facts::import::{Field, Report};
use personalize_facts::resource::DatasetType;

use super::finding::Problem;
use super::{local, s3, MAX_FINDINGS_PER_FILE};
use crate::ops::Target;
use crate::spec::{S3Uri, Spec};

/// One object an import reads.
#[derive(Debug, Clone)]
pub struct Object {
    /// `s3://bucket/key`: where its findings point.
    pub uri: String,
    pub size: u64,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub enum Source {
    /// The file behind a key of a `sandbox.buckets` directory.
    File(PathBuf),
    /// A key of a bucket in S3, and the client that listed it.
    S3 {
        client: Client,
        bucket: String,
        key: String,
    },
}

/// The buckets a spec's imports read.
pub struct Store<'a> {
    local: &'a BTreeMap<String, PathBuf>,
    /// For every other bucket; `None` when none is read there, or with
    /// `--sandbox`, whose S3 serves `sandbox.buckets` only.
    s3: Option<Client>,
}

impl<'a> Store<'a> {
    /// Connects to S3 only if an import of `spec` needs it, so a spec whose
    /// data is all local needs no AWS setup.
    pub async fn open(spec: &'a Spec, target: &Target) -> Store<'a> {
        let local = &spec.sandbox_buckets;
        let remote = spec
            .file
            .dataset_groups
            .iter()
            .flat_map(|g| g.datasets.iter())
            .filter_map(|(_, dataset)| S3Uri::parse(&dataset.import.as_ref()?.from).ok())
            .any(|uri| !local.contains_key(&uri.bucket));
        let s3 = if remote && target.sandbox.is_none() {
            Some(s3::connect(target, spec.file.region.as_deref()).await)
        } else {
            None
        };
        Store { local, s3 }
    }

    /// The objects an import of `uri` reads, in S3's key order.
    pub async fn objects(&self, uri: &S3Uri) -> Result<Vec<Object>, Problem> {
        if let Some(dir) = self.local.get(&uri.bucket) {
            return Ok(local::objects(&uri.bucket, dir, &uri.key)?);
        }
        match &self.s3 {
            Some(client) => Ok(s3::objects(client, &uri.bucket, &uri.key).await?),
            None => Err(Problem::NotInSandbox(uri.bucket.clone())),
        }
    }

    /// Reads `object` through the checker, as a `dataset_type` dataset of
    /// these schema `fields`.
    pub async fn read(
        &self,
        object: &Object,
        fields: &[Field],
        dataset_type: DatasetType,
    ) -> Result<Report, Problem> {
        let fields = fields.to_vec();
        match &object.source {
            Source::File(path) => {
                let path = path.clone();
                blocking(move || {
                    local::read(&path, &fields, dataset_type, MAX_FINDINGS_PER_FILE)
                        .map_err(|error| Problem::Unreadable { path, error })
                })
                .await
            }
            Source::S3 {
                client,
                bucket,
                key,
            } => Ok(s3::read(
                client,
                &object.uri,
                bucket,
                key,
                fields,
                dataset_type,
                MAX_FINDINGS_PER_FILE,
            )
            .await?),
        }
    }
}

/// Runs the synchronous checker on a blocking thread, so the runtime's
/// workers keep downloading; a panic in it is resumed here.
pub async fn blocking<T: Send + 'static>(read: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(read).await {
        Ok(value) => value,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
