//! One end-to-end test's world: an emulator of its own, an SDK client for
//! it, and a temporary directory holding a copy of the examples, in which
//! `pzr` runs as a process against that emulator and nothing else.

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use aws_sdk_personalize::Client;
use pzr::emulator::{EmulatorConfig, RunningEmulator, Stats};
use tempfile::TempDir;

use super::emulator::start;
use super::files::copy_examples;

/// Millisecond life cycles: the ordering is real, the tests stay fast.
pub fn fast() -> EmulatorConfig {
    EmulatorConfig {
        create_delay: Duration::from_millis(60),
        delete_delay: Duration::from_millis(40),
        ..EmulatorConfig::default()
    }
}

pub struct Env {
    pub emulator: RunningEmulator,
    pub client: Client,
    pub dir: TempDir,
}

impl Env {
    pub async fn new() -> Env {
        Env::with(fast()).await
    }

    pub async fn with(config: EmulatorConfig) -> Env {
        let emulator = start(config).await;
        let client = emulator.client();
        let dir = tempfile::tempdir().expect("temp dir");
        copy_examples(dir.path());
        Env {
            emulator,
            client,
            dir,
        }
    }

    /// A file in the test's directory (the examples are copied there).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The retail example without `protect: true`, so destructive steps can be tested.
    pub fn retail_unprotected(&self) -> String {
        std::fs::read_to_string(self.path("retail.yaml"))
            .expect("example")
            .replace("    protect: true\n", "")
    }

    /// Writes a spec (or any file) into the test's directory.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
        path
    }

    /// The `pzr` command, pointed at the emulator, with no AWS setup of the host.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_pzr"));
        cmd.arg("--endpoint-url")
            .arg(self.emulator.endpoint_url())
            .args(args);
        cmd.current_dir(self.dir.path());
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("AWS_") {
                cmd.env_remove(&k);
            }
        }
        cmd.env("AWS_ACCESS_KEY_ID", "AKIDTEST")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", self.dir.path().join("no-aws-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.path().join("no-aws-credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("PZR_POLL_INTERVAL", "15ms")
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        cmd
    }

    /// Runs `pzr args...` to completion.
    pub async fn pzr(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().await.expect("pzr runs");
        Run::from(output)
    }

    /// `pzr plan -f spec --format json --detailed-exitcode`, expecting `code`; the plan document.
    pub async fn plan_json(&self, spec: &str, code: i32) -> serde_json::Value {
        self.pzr(&[
            "plan",
            "-f",
            spec,
            "--format",
            "json",
            "--detailed-exitcode",
        ])
        .await
        .expect(code)
        .json()
    }

    pub async fn stats(&self) -> Stats {
        self.emulator.stats().await.expect("stats")
    }
}

/// Asserts that a plan of `spec` is empty (exit 0 with --detailed-exitcode).
pub async fn assert_converged(env: &Env, spec: &str) {
    env.pzr(&["plan", "-f", spec, "--detailed-exitcode"])
        .await
        .expect(0);
}

/// A finished `pzr` run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}
