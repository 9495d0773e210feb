//! S3's errors as S3 sends them: an HTTP status and an XML `<Error>` body
//! with `Code` and `Message` (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html;
//! the messages are those of its error-code table).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::list::escape;

#[derive(Debug, thiserror::Error)]
pub enum S3Error {
    #[error("The specified bucket does not exist")]
    NoSuchBucket(String),
    #[error("The specified key does not exist.")]
    NoSuchKey(String),
    /// A key that names no file under the bucket's directory (`..`, empty
    /// parts): the emulator cannot store it.
    #[error(
        "The key {0:?} cannot be stored by this emulator: its parts must not be empty, '.' or '..'"
    )]
    InvalidKey(String),
    /// A malformed `aws-chunked` body.
    #[error(
        "You did not provide the number of bytes specified by the Content-Length HTTP header."
    )]
    IncompleteBody,
    #[error("We encountered an internal error. Please try again. ({0})")]
    Io(#[from] std::io::Error),
}

impl S3Error {
    fn code(&self) -> &'static str {
        match self {
            S3Error::NoSuchBucket(_) => "NoSuchBucket",
            S3Error::NoSuchKey(_) => "NoSuchKey",
            S3Error::InvalidKey(_) => "InvalidArgument",
            S3Error::IncompleteBody => "IncompleteBody",
            S3Error::Io(_) => "InternalError",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            S3Error::NoSuchBucket(_) | S3Error::NoSuchKey(_) => StatusCode::NOT_FOUND,
            S3Error::InvalidKey(_) | S3Error::IncompleteBody => StatusCode::BAD_REQUEST,
            S3Error::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for S3Error {
    fn into_response(self) -> Response {
        let resource = match &self {
            S3Error::NoSuchBucket(name) => format!("<BucketName>{}</BucketName>", escape(name)),
            S3Error::NoSuchKey(key) | S3Error::InvalidKey(key) => {
                format!("<Key>{}</Key>", escape(key))
            }
            S3Error::IncompleteBody | S3Error::Io(_) => String::new(),
        };
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>{resource}</Error>",
            self.code(),
            escape(&self.to_string())
        );
        (
            self.status(),
            [(header::CONTENT_TYPE, "application/xml")],
            body,
        )
            .into_response()
    }
}
