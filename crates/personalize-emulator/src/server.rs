//! The HTTP side: AWS JSON 1.1 over `POST /` with the operation in
//! `X-Amz-Target`, SigV4 presence check, fault injection, stats, and the
//! `/_emulator/*` admin routes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::api::Operation;
use super::clock::Clock;
use super::error::{ApiError, ErrorCode};
use super::faults::{Fault, Faults};
use super::model::Model;
use super::request_shape::validate;
use super::s3::{self, Buckets};
use super::state_file::Changes;
use super::stats::Counters;
use super::sts;

const TARGET_PREFIX: &str = "AmazonPersonalize.";
const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Everything the request handlers share.
pub struct AppState {
    pub model: Mutex<Model>,
    pub counters: Counters,
    pub faults: Faults,
    /// The one time source of the model and the fault injector.
    pub clock: Clock,
    /// Where changes are counted for the state file's writer, if there is one.
    pub changes: Option<Changes>,
    /// The S3 face's buckets, which import jobs read.
    pub buckets: Buckets,
    request_ids: AtomicU64,
}

impl AppState {
    pub fn new(
        model: Model,
        faults: Faults,
        clock: Clock,
        changes: Option<Changes>,
        buckets: Buckets,
    ) -> AppState {
        AppState {
            model: Mutex::new(model),
            counters: Counters::default(),
            faults,
            clock,
            changes,
            buckets,
            request_ids: AtomicU64::new(1),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Model> {
        // A panic elsewhere cannot leave the model half-changed: every
        // operation checks all rules before it mutates.
        self.model.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Tells the state writer the account has changed.
    fn persist(&self) {
        if let Some(changes) = &self.changes {
            changes.send_modify(|count| *count += 1);
        }
    }

    /// The account as it is now, serialised for the state file.
    pub fn snapshot(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(self.lock().account())
    }

    fn serve(&self, headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
        check_signed(headers)?;
        let operation = operation(headers)?;
        self.counters.request(operation.name());
        if let Some(fault) = self.faults.check(self.clock.now()) {
            return Err(self.fault_error(fault));
        }
        let body: Value = if body.is_empty() {
            json!({})
        } else {
            serde_json::from_slice(body).map_err(|e| {
                ApiError::new(
                    ErrorCode::Serialization,
                    format!("Malformed JSON body: {e}"),
                )
            })?
        };
        validate(&operation.members(), &body)?;
        let mut model = self.lock();
        let resources_before = model.account().next_seq;
        // Read under the lock, so operations see time in the order they run.
        let out = operation.execute(&mut model, &self.buckets, self.clock.now(), &body);
        // A read can start a due automatic training: that is a change too.
        if operation.mutates() || model.account().next_seq != resources_before {
            self.persist();
        }
        out
    }

    fn fault_error(&self, fault: Fault) -> ApiError {
        match fault {
            Fault::Throttle => {
                self.counters.throttled();
                ApiError::new(ErrorCode::Throttling, "Rate exceeded")
            }
            Fault::RateExceeded => {
                self.counters.throttled();
                ApiError::new(ErrorCode::LimitExceeded, "Rate exceeded")
            }
            Fault::ServerError => {
                self.counters.injected_error();
                ApiError::new(
                    ErrorCode::InternalFailure,
                    "The request processing has failed because of an unknown error (injected by --error-rate)",
                )
            }
        }
    }

    fn reset(&self) {
        let mut model = self.lock();
        model.clear();
        self.persist();
        drop(model);
        self.counters.reset();
    }

    fn next_request_id(&self) -> String {
        format!(
            "00000000-0000-4000-8000-{:012x}",
            self.request_ids.fetch_add(1, Ordering::Relaxed)
        )
    }

    fn respond(&self, result: Result<Value, ApiError>) -> Response {
        let request_id = self.next_request_id();
        let (status, body, error_type) = match result {
            Ok(body) => (StatusCode::OK, body, None),
            Err(e) => {
                self.counters.rejected(e.code.as_str());
                let status =
                    StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
                let body = json!({"__type": e.code.as_str(), "message": e.message});
                (status, body, Some(e.code.as_str()))
            }
        };
        let mut response = (status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static(CONTENT_TYPE));
        if let Ok(id) = HeaderValue::from_str(&request_id) {
            headers.insert("x-amzn-requestid", id);
        }
        if let Some(code) = error_type {
            headers.insert("x-amzn-errortype", HeaderValue::from_static(code));
        }
        response
    }
}

/// Requests must carry a SigV4 `Authorization` header (its signature is not
/// checked: the emulator has no secrets).
fn check_signed(headers: &HeaderMap) -> Result<(), ApiError> {
    let signed = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("AWS4-HMAC-SHA256"));
    if signed {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::MissingAuthenticationToken,
            "Missing Authentication Token",
        ))
    }
}

fn operation(headers: &HeaderMap) -> Result<Operation, ApiError> {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    target
        .strip_prefix(TARGET_PREFIX)
        .and_then(Operation::from_name)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownOperation,
                format!("Unknown operation: {target:?}"),
            )
        })
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", post(api))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/clock", post(advance_clock))
        .route("/_emulator/datasets", get(datasets))
        .merge(s3::routes())
        .fallback(unknown)
        .with_state(state)
}

async fn api(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    if sts::is_get_caller_identity(&headers, &body) {
        let account = app.lock().rules.account_id.clone();
        return sts::caller_identity(&account, &app.next_request_id());
    }
    let result = app.serve(&headers, &body);
    app.respond(result)
}

async fn stats(State(app): State<Arc<AppState>>) -> Response {
    axum::Json(app.counters.snapshot()).into_response()
}

/// Each dataset's bulk data as its ACTIVE imports left it: counts only.
async fn datasets(State(app): State<Arc<AppState>>) -> Response {
    let now = app.clock.now();
    let data = app.lock().data_by_dataset(now);
    let data: serde_json::Map<String, Value> = data
        .into_iter()
        .map(|(arn, counts)| {
            let summary = json!({
                "records": counts.records,
                "users": counts.users(),
                "usersWithTwoOrMore": counts.users_with_two_or_more(),
                "eventsByType": counts.events_by_type,
            });
            (arn, summary)
        })
        .collect();
    axum::Json(Value::Object(data)).into_response()
}

async fn reset(State(app): State<Arc<AppState>>) -> Response {
    app.reset();
    axum::Json(json!({})).into_response()
}

async fn unknown(State(app): State<Arc<AppState>>) -> Response {
    app.respond(Err(ApiError::new(
        ErrorCode::UnknownOperation,
        "Unknown operation",
    )))
}

/// The body of `POST /_emulator/clock`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AdvanceClock {
    advance_ms: u64,
}

/// Advances a manual clock; answers `{"nowMs": N}`, the new time.
async fn advance_clock(State(app): State<Arc<AppState>>, body: Bytes) -> Response {
    let request: AdvanceClock = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            let message = format!("expected {{\"advanceMs\": <milliseconds>}}: {e}");
            return admin_error(StatusCode::BAD_REQUEST, message);
        }
    };
    match app.clock.advance(Duration::from_millis(request.advance_ms)) {
        Ok(now) => axum::Json(json!({ "nowMs": now })).into_response(),
        Err(e) => admin_error(StatusCode::CONFLICT, e.to_string()),
    }
}

fn admin_error(status: StatusCode, message: String) -> Response {
    (status, axum::Json(json!({ "message": message }))).into_response()
}
