//! The one STS operation a client asks an account of: `GetCallerIdentity`,
//! so a tool can tell which account an endpoint is (pzr records it in a
//! saved plan). STS speaks the AWS query protocol: a form-encoded POST to
//! `/` naming `Action`, answered in XML
//! (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).

use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

const ACTION: &str = "Action=GetCallerIdentity";

/// Whether the request is STS's `GetCallerIdentity`.
pub fn is_get_caller_identity(headers: &HeaderMap, body: &[u8]) -> bool {
    let form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    form && String::from_utf8_lossy(body)
        .split('&')
        .any(|pair| pair == ACTION)
}

/// The answer for `account_id`: the emulator's one caller, a root user.
pub fn caller_identity(account_id: &str, request_id: &str) -> Response {
    let xml = format!(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <GetCallerIdentityResult>\
         <Arn>arn:aws:iam::{account_id}:root</Arn>\
         <UserId>{account_id}</UserId>\
         <Account>{account_id}</Account>\
         </GetCallerIdentityResult>\
         <ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>\
         </GetCallerIdentityResponse>"
    );
    let mut response = xml.into_response();
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("text/xml"));
    response
}
