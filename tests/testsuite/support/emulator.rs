//! The emulator as the tests start and probe it: in-process on a free port,
//! or as the `pzr emulator` binary; SDK clients with the retries a test
//! needs; error codes of failed calls; raw HTTP for what no SDK sends.

use std::fmt::Debug;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use aws_sdk_personalize::config::retry::RetryConfig;
use aws_sdk_personalize::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_personalize::Client;
use personalize_emulator::{EmulatorConfig, RunningEmulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The account id in every ARN the emulator makes.
pub const ACCOUNT: &str = "111122223333";

/// The ARN the emulator gives `resource` (`schema/NAME`, `dataset-group/NAME`, ...).
pub fn arn(resource: &str) -> String {
    format!("arn:aws:personalize:us-east-1:{ACCOUNT}:{resource}")
}

/// No life-cycle delays: resources are ACTIVE (or gone) at once.
pub fn instant() -> EmulatorConfig {
    EmulatorConfig {
        create_delay: Duration::ZERO,
        delete_delay: Duration::ZERO,
        ..EmulatorConfig::default()
    }
}

/// An emulator on a free port of 127.0.0.1: tests never share one.
pub async fn start(config: EmulatorConfig) -> RunningEmulator {
    RunningEmulator::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator starts")
}

/// The same client with retries off, so a test sees each fault.
pub fn no_retry(client: &Client) -> Client {
    Client::from_conf(
        client
            .config()
            .to_builder()
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

/// The same client with standard retries (3 attempts) but millisecond
/// backoffs, to keep retry tests fast.
pub fn fast_retry(client: &Client) -> Client {
    Client::from_conf(
        client
            .config()
            .to_builder()
            .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(2)))
            .build(),
    )
}

/// The error code of a failed call; panics if the call succeeded.
pub fn code<T: Debug, E: ProvideErrorMetadata + Debug, R: Debug>(
    result: Result<T, SdkError<E, R>>,
) -> String {
    let err = result.expect_err("the call must fail");
    err.code()
        .unwrap_or_else(|| panic!("no error code in {err:?}"))
        .to_string()
}

/// The error message of a failed call.
pub fn message<T: Debug, E: ProvideErrorMetadata + Debug, R: Debug>(
    result: Result<T, SdkError<E, R>>,
) -> String {
    let err = result.expect_err("the call must fail");
    err.message().unwrap_or_default().to_string()
}

/// A raw HTTP/1.1 POST to `/`; returns status, the `x-amzn-errortype` header and the body.
pub async fn raw_post(
    addr: SocketAddr,
    target: Option<&str>,
    signed: bool,
    body: &str,
) -> (u16, Option<String>, serde_json::Value) {
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(target) = target {
        request.push_str(&format!("X-Amz-Target: {target}\r\n"));
    }
    if signed {
        request.push_str("Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=00\r\n");
    }
    request.push_str("\r\n");
    request.push_str(body);
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut response))
        .await
        .expect("no hang")
        .expect("read");
    let (head, body) = response.split_once("\r\n\r\n").expect("HTTP response");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let error_type = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("x-amzn-errortype")
            .then(|| value.trim().to_string())
    });
    (
        status,
        error_type,
        serde_json::from_str(body).expect("JSON body"),
    )
}

/// Starts the `pzr emulator` binary on a free port with `state`; returns the
/// process and the endpoint URL it printed.
pub fn spawn_pzr_emulator(state: &Path, args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(["emulator", "--listen", "127.0.0.1:0", "--state"])
        .arg(state)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("pzr emulator starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let endpoint = line
        .trim()
        .strip_prefix("pzr emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    (child, endpoint)
}

/// Sends SIGTERM and waits for the process to exit.
pub fn terminate(child: &mut Child) -> ExitStatus {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    child.wait().expect("the process exits")
}
