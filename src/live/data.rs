//! The S3 side of imports: the objects a data location holds, so a plan can
//! tell whether they changed since the dataset's last import, and their
//! bodies, which `validate --data` reads. A separate
//! service with its own limits, so not on Personalize's pacer.

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;

use crate::state::{DataLocation, DataObject, Listing};
use personalize_facts::import::objects_read;

/// An S3 client from the same config chain as Personalize's: its endpoint
/// from `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` or `--endpoint-url` as
/// every SDK reads them, path-style when overridden (a local S3 such as the
/// sandbox's serves no virtual-hosted bucket names).
pub fn data_client_from(sdk_config: &aws_config::SdkConfig) -> Client {
    let overridden =
        sdk_config.endpoint_url().is_some() || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
    let config = aws_sdk_s3::config::Builder::from(sdk_config)
        .force_path_style(overridden)
        .build();
    Client::from_conf(config)
}

/// Lists what `uri` (`s3://bucket/key` of a file, or `s3://bucket/prefix/`
/// of a folder, as `dataSource.dataLocation` takes them) holds. A location
/// that cannot be listed (no `s3:ListBucket`, no answer) says why instead:
/// the plan then cannot see the data's age. A missing bucket holds nothing.
pub async fn list_location(s3: &Client, uri: &str) -> DataLocation {
    let listing = match uri.strip_prefix("s3://").and_then(|r| r.split_once('/')) {
        Some((bucket, key)) => list(s3, bucket, key).await,
        None => Listing::Unreadable {
            error: format!("{uri} is not an s3://bucket/key location"),
        },
    };
    DataLocation {
        uri: uri.to_string(),
        listing,
    }
}

async fn list(s3: &Client, bucket: &str, key: &str) -> Listing {
    match list_objects(s3, bucket, key).await {
        // The objects the import reads, by the rule its job reads them by.
        Ok(objects) => Listing::Objects(objects_read(key, objects, |o| &o.key)),
        Err(e) if e.code.as_deref() == Some("NoSuchBucket") => Listing::Objects(Vec::new()),
        Err(e) => Listing::Unreadable { error: e.reason },
    }
}

/// A failed S3 call: which, on what bucket, and S3's error code and message
/// (or, when S3 did not answer, why).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} of bucket `{bucket}` failed: {reason}")]
pub struct S3Error {
    pub operation: &'static str,
    pub bucket: String,
    pub code: Option<String>,
    /// `code: message` as S3 gave them, or the SDK's explanation.
    pub reason: String,
}

impl S3Error {
    fn of<E, R>(operation: &'static str, bucket: &str, e: &SdkError<E, R>) -> S3Error
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let reason = match (e.code(), e.message()) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (Some(code), None) => code.to_string(),
            _ => DisplayErrorContext(e).to_string(),
        };
        S3Error {
            operation,
            bucket: bucket.to_string(),
            code: e.code().map(String::from),
            reason,
        }
    }
}

/// Every object of `bucket` whose key starts with `prefix`, page by page
/// (ListObjectsV2), in S3's key order.
pub async fn list_objects(
    s3: &Client,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<DataObject>, S3Error> {
    let mut pages = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .into_paginator()
        .send();
    let mut objects = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| S3Error::of("ListObjectsV2", bucket, &e))?;
        objects.extend(page.contents().iter().map(|o| {
            DataObject {
                key: o.key().unwrap_or_default().to_string(),
                size: o.size().unwrap_or_default().max(0) as u64,
                etag: o.e_tag().unwrap_or_default().to_string(),
                last_modified: o
                    .last_modified()
                    .map(|t| t.as_secs_f64())
                    .unwrap_or_default(),
            }
        }));
    }
    Ok(objects)
}

/// The body of object `key` of `bucket` (GetObject), as a stream: it is
/// read as it arrives, never held whole.
pub async fn get_object(s3: &Client, bucket: &str, key: &str) -> Result<ByteStream, S3Error> {
    let object = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| S3Error::of("GetObject", bucket, &e))?;
    Ok(object.body)
}
