//! GetObject, HeadObject (axum answers HEAD with GET's headers and no body)
//! and PutObject on one key.

use std::sync::Arc;

use aws_smithy_types::date_time::{DateTime, Format};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

use super::chunked;
use super::error::S3Error;
use super::store::etag;
use crate::server::AppState;

pub async fn get_object(
    State(app): State<Arc<AppState>>,
    Path((bucket, key)): Path<(String, String)>,
) -> Result<Response, S3Error> {
    let object = app.buckets.object(&bucket, &key)?;
    let content = std::fs::read(&object.path)?;
    let modified = DateTime::from(object.last_modified)
        .fmt(Format::HttpDate)
        .unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::ETAG, etag(&content)),
            (header::LAST_MODIFIED, modified),
        ],
        content,
    )
        .into_response())
}

/// Writes the object's file (and the directories of its key).
pub async fn put_object(
    State(app): State<Arc<AppState>>,
    Path((bucket, key)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, S3Error> {
    let path = app.buckets.path(&bucket, &key)?;
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let content = if chunked::is_chunked(text("content-encoding"), text("x-amz-content-sha256")) {
        chunked::decode(&body).ok_or(S3Error::IncompleteBody)?
    } else {
        body.to_vec()
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, &content)?;
    Ok(([(header::ETAG, etag(&content))], "").into_response())
}
