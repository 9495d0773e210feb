//! A local Amazon Personalize control plane (pzr's `pzr emulator`,
//! `--sandbox` and test backend; any SDK can use it). The model (`model`:
//! resources, life cycle, rules) is kept apart from the protocol (`server`,
//! `api`, `request_shape`, `recipe_listing`); `clock`, `faults`,
//! `state_file` and `stats` are the knobs around them. It depends on
//! `personalize_facts` and never on pzr: it answers as Personalize does,
//! not as pzr expects.
//!
//! Time: status is derived from timestamps, read from the emulator's `Clock`.
//! Tests configure `Clock::manual(start)` and move it with
//! `emulator.clock().advance(d)` (or `POST /_emulator/clock` with
//! `{"advanceMs": N}` for a `pzr emulator --manual-clock` process), so no test
//! waits for a life cycle in real time.

mod api;
mod clock;
mod error;
mod faults;
mod model;
mod recipe_listing;
mod request_shape;
mod s3;
mod server;
mod state_file;
mod stats;
mod sts;
#[cfg(test)]
mod test_data;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_personalize::config::retry::RetryConfig;
use aws_sdk_personalize::config::{
    BehaviorVersion, Credentials, Region, SharedCredentialsProvider,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use clock::{Clock, ClockError};
pub use error::{ApiError, ErrorCode};
pub use s3::check_bucket_name;
pub use stats::Stats;

use clock::millis;
use faults::Faults;
use model::{Lifecycle, Model, Rules};
use server::AppState;

/// How the emulator behaves.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub account_id: String,
    pub region: String,
    /// CREATE PENDING (first third) → CREATE IN_PROGRESS → ACTIVE.
    pub create_delay: Duration,
    /// DELETE PENDING (→ DELETE IN_PROGRESS) → gone.
    pub delete_delay: Duration,
    /// From a solution turning ACTIVE to its automatic training starting
    /// (AWS: "within one hour").
    pub training_delay: Duration,
    /// Share of API requests answered with ThrottlingException.
    pub throttle_rate: f64,
    /// Share of API requests answered with HTTP 500.
    pub error_rate: f64,
    /// Makes the throttle and error draws repeatable.
    pub seed: Option<u64>,
    /// Resources whose name matches end in CREATE FAILED.
    pub fail_create: Option<regex::Regex>,
    /// Datasets, solutions, campaigns and recommenders whose name matches
    /// fail every update: they keep their schema or settings, the failure
    /// shown in `latest<Kind>Update`.
    pub fail_update: Option<regex::Regex>,
    /// Quota of dataset groups (not counting those being deleted).
    pub max_dataset_groups: usize,
    /// Requests per second above which requests get "Rate exceeded".
    pub max_tps: Option<u32>,
    /// Where the account is kept between runs; in memory only if `None`.
    pub state_file: Option<PathBuf>,
    /// What the life cycle and `max_tps` read the time from: the system
    /// clock, or a manual one that tests advance.
    pub clock: Clock,
    /// The S3 face's buckets: name → the directory holding its objects.
    /// Import jobs read their data from them.
    pub buckets: BTreeMap<String, PathBuf>,
}

impl Default for EmulatorConfig {
    fn default() -> EmulatorConfig {
        EmulatorConfig {
            account_id: "111122223333".into(),
            region: "us-east-1".into(),
            create_delay: Duration::from_secs(2),
            delete_delay: Duration::from_secs(1),
            training_delay: Duration::from_secs(5),
            throttle_rate: 0.0,
            error_rate: 0.0,
            seed: None,
            fail_create: None,
            fail_update: None,
            max_dataset_groups: 5,
            max_tps: None,
            state_file: None,
            clock: Clock::system(),
            buckets: BTreeMap::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read the emulator state file {path}: {source}")]
    StateRead {
        path: PathBuf,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("emulator admin request {path} failed: {message}")]
    Admin { path: String, message: String },
}

/// An emulator serving on a local port.
pub struct RunningEmulator {
    addr: SocketAddr,
    region: String,
    stop: oneshot::Sender<()>,
    server: JoinHandle<()>,
    writer: Option<state_file::Writer>,
    clock: Clock,
}

impl RunningEmulator {
    /// Loads the state file (if any) and starts serving on `listen`
    /// (`127.0.0.1:0` picks a free port).
    pub async fn start(
        config: EmulatorConfig,
        listen: SocketAddr,
    ) -> Result<RunningEmulator, EmulatorError> {
        let account = match &config.state_file {
            Some(path) => state_file::load(path)?,
            None => Default::default(),
        };
        let rules = Rules {
            account_id: config.account_id,
            region: config.region.clone(),
            lifecycle: Lifecycle {
                create_delay: millis(config.create_delay),
                delete_delay: millis(config.delete_delay),
                training_delay: millis(config.training_delay),
            },
            max_dataset_groups: config.max_dataset_groups,
            fail_create: config.fail_create,
            fail_update: config.fail_update,
        };
        let faults = Faults::new(
            config.throttle_rate,
            config.error_rate,
            config.seed,
            config.max_tps,
        );
        let changes = config
            .state_file
            .is_some()
            .then(|| tokio::sync::watch::channel(0).0);
        let app = Arc::new(AppState::new(
            Model::new(rules, account),
            faults,
            config.clock.clone(),
            changes,
            s3::Buckets::new(config.buckets),
        ));
        let writer = match (config.state_file, &app.changes) {
            (Some(path), Some(changes)) => {
                let of = Arc::clone(&app);
                Some(state_file::Writer::spawn(
                    path,
                    changes,
                    Arc::new(move || of.snapshot()),
                ))
            }
            _ => None,
        };
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|source| EmulatorError::Bind {
                addr: listen,
                source,
            })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind {
                addr: listen,
                source,
            })?;
        let (stop, stopped) = oneshot::channel::<()>();
        let router = server::router(app);
        let server = tokio::spawn(async move {
            let serving = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            if let Err(e) = serving.await {
                tracing::error!("emulator server failed: {e}");
            }
        });
        Ok(RunningEmulator {
            addr,
            region: config.region,
            stop,
            server,
            writer,
            clock: config.clock,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A Personalize client for this emulator (dummy credentials, standard retries).
    pub fn client(&self) -> aws_sdk_personalize::Client {
        sdk_client(&self.endpoint_url(), &self.region)
    }

    /// The emulator's clock: with a manual one, `clock().advance(d)` moves
    /// every life cycle and rate limit by `d`.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// `GET /_emulator/stats`, over HTTP.
    pub async fn stats(&self) -> Result<Stats, EmulatorError> {
        fetch_stats(self.addr).await
    }

    /// `GET /_emulator/datasets`, over HTTP: each dataset's bulk data as its
    /// ACTIVE imports left it, by dataset ARN: `{"records", "users",
    /// "usersWithTwoOrMore", "eventsByType": {...}}` (counts only).
    pub async fn datasets(&self) -> Result<serde_json::Value, EmulatorError> {
        let path = "/_emulator/datasets";
        let body = admin_request(self.addr, "GET", path, "").await?;
        serde_json::from_str(&body).map_err(|e| admin_failed(path, e))
    }

    /// `POST /_emulator/reset`, over HTTP: empties the account and the counters.
    pub async fn reset(&self) -> Result<(), EmulatorError> {
        admin_request(self.addr, "POST", "/_emulator/reset", "")
            .await
            .map(drop)
    }

    /// Stops accepting requests, lets in-flight ones finish, and writes the
    /// last state to the state file.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        if let Err(e) = self.server.await {
            tracing::error!("emulator server task failed: {e}");
        }
        if let Some(writer) = self.writer {
            writer.flush_and_stop().await;
        }
    }
}

/// The SDK configuration for an emulator at `endpoint_url`: dummy static
/// credentials, the given region, standard retries. Nothing is read from the
/// environment or AWS files.
pub fn sdk_config(endpoint_url: &str, region: &str) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint_url)
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIAPZREMULATOR00000",
            "pzr-emulator-has-no-secrets",
            None,
            None,
            "pzr-emulator",
        )))
        .retry_config(RetryConfig::standard())
        .build()
}

/// A Personalize client for an emulator at `endpoint_url` (see `sdk_config`).
pub fn sdk_client(endpoint_url: &str, region: &str) -> aws_sdk_personalize::Client {
    aws_sdk_personalize::Client::new(&sdk_config(endpoint_url, region))
}

/// `GET /_emulator/stats` of the emulator at `addr`.
pub async fn fetch_stats(addr: SocketAddr) -> Result<Stats, EmulatorError> {
    let path = "/_emulator/stats";
    let body = admin_request(addr, "GET", path, "").await?;
    serde_json::from_str(&body).map_err(|e| admin_failed(path, e))
}

/// `POST /_emulator/clock` of the emulator at `addr` (one started with
/// `--manual-clock`): advances its clock by `by`; returns the new time in
/// epoch milliseconds.
pub async fn advance_clock(addr: SocketAddr, by: Duration) -> Result<u64, EmulatorError> {
    let path = "/_emulator/clock";
    let request = serde_json::json!({ "advanceMs": millis(by) }).to_string();
    let body = admin_request(addr, "POST", path, &request).await?;
    let answer: serde_json::Value =
        serde_json::from_str(&body).map_err(|e| admin_failed(path, e))?;
    answer["nowMs"]
        .as_u64()
        .ok_or_else(|| admin_failed(path, format!("no nowMs in {body}")))
}

fn admin_failed(path: &str, message: impl ToString) -> EmulatorError {
    EmulatorError::Admin {
        path: path.into(),
        message: message.to_string(),
    }
}

/// One HTTP/1.1 request with a JSON `body` to an admin route; returns the
/// response body.
async fn admin_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> Result<String, EmulatorError> {
    let failed = |message: String| admin_failed(path, message);
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| failed(e.to_string()))?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| failed(e.to_string()))?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .await
        .map_err(|e| failed(e.to_string()))?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or_else(|| failed("malformed HTTP response".into()))?;
    if !head.starts_with("HTTP/1.1 200") {
        let status = head.lines().next().unwrap_or_default();
        return Err(failed(format!("{status}: {body}")));
    }
    Ok(body.to_string())
}
