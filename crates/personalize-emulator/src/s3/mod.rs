//! An S3 face over local directories, at the same address as the
//! Personalize API, so import jobs, pzr's S3 reads and `aws s3 cp` find the
//! data where they would on AWS. Path-style only (`/{bucket}/{key}`):
//! ListObjectsV2 (`list`), GetObject, HeadObject and PutObject (`object`),
//! errors as S3's XML (`error`). Each bucket is a directory (`Buckets`); a
//! key is a path under it and can never leave it.

mod chunked;
mod error;
mod list;
mod object;
mod store;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;

use crate::server::AppState;

pub use store::{check_bucket_name, Buckets};

/// The S3 routes: `GET /{bucket}` lists; `GET`, `HEAD`, `PUT /{bucket}/{key}`.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/{bucket}", get(list::list_objects))
        .route("/{bucket}/", get(list::list_objects))
        .route(
            "/{bucket}/{*key}",
            get(object::get_object).put(object::put_object),
        )
}
