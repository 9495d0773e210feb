//! Shared helpers of the end-to-end tests: an emulator in-process, `pzr` run
//! as a process against it, specs in a temporary directory.
#![allow(dead_code)] // each test crate uses its own subset

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use aws_sdk_personalize::types::Tag;
use aws_sdk_personalize::Client;
use pzr::emulator::{EmulatorConfig, RunningEmulator, Stats};
use tempfile::TempDir;

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
        let emulator = RunningEmulator::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("emulator starts");
        let client = emulator.client();
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .as_path(),
            dir.path(),
        );
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

    pub async fn reset_stats(&self) -> Stats {
        self.stats().await
    }
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

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read examples") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Counts of mutating requests (Create*, Delete*, Update*, Tag*, Untag*) between two stats.
pub fn mutating_since(before: &Stats, after: &Stats) -> u64 {
    after.mutating_requests() - before.mutating_requests()
}

/// Refused calls between two stats. `ResourceNotFoundException` is not a
/// refusal: a Describe answering it is how a wait learns a deletion is done.
pub fn refused_since(before: &Stats, after: &Stats) -> u64 {
    let total = |s: &Stats| {
        s.rejected
            .iter()
            .filter(|(code, _)| code.as_str() != "ResourceNotFoundException")
            .map(|(_, n)| n)
            .sum::<u64>()
    };
    total(after) - total(before)
}

/// Tags of a resource, through the SDK.
pub async fn tags_of(client: &Client, arn: &str) -> std::collections::BTreeMap<String, String> {
    client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .expect("tags")
        .tags()
        .iter()
        .map(|t| (t.tag_key().to_string(), t.tag_value().to_string()))
        .collect()
}

/// All dataset groups: (name, arn, status).
pub async fn groups(client: &Client) -> Vec<(String, String, String)> {
    let out = client
        .list_dataset_groups()
        .max_results(100)
        .send()
        .await
        .expect("list groups");
    out.dataset_groups()
        .iter()
        .map(|g| {
            (
                g.name().unwrap_or_default().to_string(),
                g.dataset_group_arn().unwrap_or_default().to_string(),
                g.status().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The ARN of the group named `name`.
pub async fn group_arn(client: &Client, name: &str) -> Option<String> {
    groups(client)
        .await
        .into_iter()
        .find(|g| g.0 == name)
        .map(|g| g.1)
}

/// The dataset of type `kind` (as in the spec: items, users, ...) in group `group`.
pub async fn dataset(
    client: &Client,
    group: &str,
    kind: &str,
) -> aws_sdk_personalize::types::Dataset {
    let arn = group_arn(client, group).await.expect("group exists");
    let list = client
        .list_datasets()
        .dataset_group_arn(arn)
        .send()
        .await
        .expect("list datasets");
    let summary = list
        .datasets()
        .iter()
        .find(|d| {
            d.dataset_type()
                .is_some_and(|t| t.eq_ignore_ascii_case(kind))
        })
        .unwrap_or_else(|| panic!("no {kind} dataset in {group}"));
    let out = client
        .describe_dataset()
        .dataset_arn(summary.dataset_arn().unwrap_or_default())
        .send()
        .await
        .expect("describe");
    out.dataset().expect("dataset").clone()
}

pub fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .tag_key(key)
        .tag_value(value)
        .build()
        .expect("tag")
}

/// Names of all schemas.
pub async fn schema_names(client: &Client) -> Vec<String> {
    let out = client
        .list_schemas()
        .max_results(100)
        .send()
        .await
        .expect("schemas");
    let mut names: Vec<String> = out
        .schemas()
        .iter()
        .filter_map(|s| s.name().map(str::to_string))
        .collect();
    names.sort();
    names
}
