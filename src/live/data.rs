//! The S3 side of imports: the objects a data location holds, so a plan can
//! tell whether they changed since the dataset's last import. A separate
//! service with its own limits, so not on Personalize's pacer.

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::Client;

use crate::state::{DataLocation, DataObject, Listing};

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
    let pages = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(key)
        .into_paginator()
        .send();
    let mut objects = Vec::new();
    let mut pages = pages;
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) if e.code() == Some("NoSuchBucket") => return Listing::Objects(Vec::new()),
            Err(e) => {
                let error = match (e.code(), e.message()) {
                    (Some(code), Some(message)) => format!("{code}: {message}"),
                    (Some(code), None) => code.to_string(),
                    _ => aws_smithy_types::error::display::DisplayErrorContext(&e).to_string(),
                };
                return Listing::Unreadable { error };
            }
        };
        for o in page.contents() {
            let name = o.key().unwrap_or_default();
            // A file location is that one object, not every key it begins.
            if key.ends_with('/') || key.is_empty() || name == key {
                objects.push(DataObject {
                    key: name.to_string(),
                    size: o.size().unwrap_or_default().max(0) as u64,
                    etag: o.e_tag().unwrap_or_default().to_string(),
                    last_modified: o
                        .last_modified()
                        .map(|t| t.as_secs_f64())
                        .unwrap_or_default(),
                });
            }
        }
    }
    Listing::Objects(objects)
}
