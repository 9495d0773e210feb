//! The objects of a bucket read from S3 with the AWS chain (the global
//! `--profile`, `--region` and `--endpoint-url`, as every command connects):
//! listed with ListObjectsV2, each body streamed from GetObject through
//! the checker.

use aws_sdk_s3::Client;
use personalize_facts::import::{objects_read, read_csv, Field, Report};
use personalize_facts::resource::DatasetType;

use super::body::BodyReader;
use super::object::{Object, Source};
use crate::live::{self, Connection, S3Error};
use crate::ops::Target;

/// An S3 client for `target`, in `region` unless the target names one.
pub async fn connect(target: &Target, region: Option<&str>) -> Client {
    let connection = Connection {
        profile: target.profile.clone(),
        region: target.region.clone().or_else(|| region.map(String::from)),
        endpoint_url: target.endpoint_url.clone(),
    };
    let (config, _) = live::connect(&connection).await;
    live::data_client_from(&config)
}

/// The objects of `bucket` that an import of `key` reads, in S3's key order.
pub async fn objects(s3: &Client, bucket: &str, key: &str) -> Result<Vec<Object>, S3Error> {
    let listed = live::list_objects(s3, bucket, key).await?;
    Ok(objects_read(key, listed, |o| &o.key)
        .into_iter()
        .map(|o| Object {
            uri: format!("s3://{bucket}/{}", o.key),
            size: o.size,
            source: Source::S3 {
                client: s3.clone(),
                bucket: bucket.to_string(),
                key: o.key,
            },
        })
        .collect())
}

/// Streams object `key` of `bucket` (`uri`) through the checker.
pub async fn read(
    s3: &Client,
    uri: &str,
    bucket: &str,
    key: &str,
    fields: Vec<Field>,
    dataset_type: DatasetType,
    max_findings: usize,
) -> Result<Report, S3Error> {
    let body = live::get_object(s3, bucket, key).await?;
    let reader = BodyReader::spawn(uri.to_string(), body);
    Ok(
        super::object::blocking(move || read_csv(reader, &fields, dataset_type, max_findings))
            .await,
    )
}
