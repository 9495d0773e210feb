//! ListObjectsV2 (`GET /{bucket}?list-type=2`): the objects under `prefix`,
//! `max-keys` at a time (at most 1000, S3's page size), continued by an
//! opaque `continuation-token`
//! (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).

use std::collections::HashMap;
use std::sync::Arc;

use aws_smithy_types::date_time::{DateTime, Format};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error::S3Error;
use super::store::{etag_of, Object};
use crate::server::AppState;

/// "Returns some or all (up to 1,000) of the objects in a bucket" (API_ListObjectsV2.html).
const MAX_KEYS: usize = 1000;

pub async fn list_objects(
    State(app): State<Arc<AppState>>,
    Path(bucket): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, S3Error> {
    let param = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
    let prefix = param("prefix");
    let max_keys = query
        .get("max-keys")
        .and_then(|n| n.parse::<usize>().ok())
        .map_or(MAX_KEYS, |n| n.min(MAX_KEYS));
    // The token names the last key of the previous page.
    let after = query
        .get("continuation-token")
        .and_then(|t| hex::decode(t).ok())
        .and_then(|k| String::from_utf8(k).ok())
        .or_else(|| query.get("start-after").cloned())
        .unwrap_or_default();
    let mut objects = app
        .buckets
        .list(&bucket, prefix)?
        .into_iter()
        .filter(|o| o.key > after)
        .peekable();
    let page: Vec<Object> = objects.by_ref().take(max_keys).collect();
    let truncated = objects.peek().is_some();
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{}</Name><Prefix>{}</Prefix><KeyCount>{}</KeyCount><MaxKeys>{max_keys}</MaxKeys><IsTruncated>{truncated}</IsTruncated>",
        escape(&bucket),
        escape(prefix),
        page.len()
    );
    if let Some(token) = query.get("continuation-token") {
        xml.push_str(&format!(
            "<ContinuationToken>{}</ContinuationToken>",
            escape(token)
        ));
    }
    for object in &page {
        xml.push_str(&format!(
            "<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>{}</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            escape(&object.key),
            iso8601(object.last_modified),
            escape(&etag_of(object)?),
            object.size
        ));
    }
    if let (true, Some(last)) = (truncated, page.last()) {
        xml.push_str(&format!(
            "<NextContinuationToken>{}</NextContinuationToken>",
            hex::encode(&last.key)
        ));
    }
    xml.push_str("</ListBucketResult>");
    Ok(([(header::CONTENT_TYPE, "application/xml")], xml).into_response())
}

/// A timestamp as S3's XML writes it (ISO 8601, UTC).
fn iso8601(time: std::time::SystemTime) -> String {
    DateTime::from(time)
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

/// Text as XML character data or an attribute value.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
