//! One end-to-end test's world: an emulator of its own, an SDK client for
//! it, and a temporary directory holding a copy of the examples, in which
//! `pzr` runs as a process against that emulator and nothing else.

use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::time::Duration;

use aws_sdk_personalize::Client;
use personalize_emulator::{EmulatorConfig, RunningEmulator, Stats};
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::task::JoinHandle;

use super::clock::{self, Ticker, HANG};
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

/// [`fast`] on a manual clock: every life cycle stands still until the test
/// advances the clock ([`Env::settle`], [`Env::ticker`], [`Env::pzr_ticking`]).
pub fn frozen() -> EmulatorConfig {
    EmulatorConfig {
        clock: clock::manual(),
        ..fast()
    }
}

pub struct Env {
    pub emulator: RunningEmulator,
    pub client: Client,
    pub dir: TempDir,
    /// The longer of the create and delete delays: once the clock has moved
    /// this far, every life cycle begun before has ended.
    longest_delay: Duration,
}

impl Env {
    pub async fn new() -> Env {
        Env::with(fast()).await
    }

    /// The examples' bucket, served by the emulator's S3 as on the sandbox
    /// (their `sandbox.buckets`).
    pub const EXAMPLES_BUCKET: &str = "pzr-examples";

    pub async fn with(mut config: EmulatorConfig) -> Env {
        let longest_delay = config.create_delay.max(config.delete_delay);
        let dir = tempfile::tempdir().expect("temp dir");
        copy_examples(dir.path());
        let data = dir.path().join("data");
        config.buckets.insert(Env::EXAMPLES_BUCKET.into(), data);
        let emulator = start(config).await;
        let client = emulator.client();
        Env {
            emulator,
            client,
            dir,
            longest_delay,
        }
    }

    /// Whether the emulator runs on a manual clock (see [`frozen`]).
    pub fn manual_clock(&self) -> bool {
        self.emulator.clock().is_manual()
    }

    /// Advances the manual clock past the create and delete delays: every
    /// resource created so far is ACTIVE (or CREATE FAILED), every one
    /// being deleted is gone.
    pub fn settle(&self) {
        self.emulator
            .clock()
            .advance(self.longest_delay)
            .expect("a manual clock");
    }

    /// Starts advancing the manual clock in the background, a tenth of the
    /// longest delay at a time, so that life cycles end while pzr polls.
    pub fn ticker(&self) -> Ticker {
        let step = (self.longest_delay / 10).max(Duration::from_millis(1));
        Ticker::start(self.emulator.clock(), step)
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

    /// The custom example's groups and datasets alone, without its solution
    /// (whose campaign is deferred until a version is trained), for tests
    /// about groups and datasets.
    pub fn custom_datasets_only(&self) -> String {
        let text = std::fs::read_to_string(self.path("custom.yaml")).expect("example");
        match text.find("    solutions:") {
            Some(at) => text[..at].to_string(),
            None => text,
        }
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

    /// Writes `key` of the examples' bucket (what a spec's `import` names
    /// as `s3://pzr-examples/KEY`): a CSV generated for `dataset_type` and
    /// `schema` (Avro, as JSON), dated before the emulator's clock started,
    /// as the examples' own data is.
    pub fn put_data(&self, key: &str, schema: &serde_json::Value, dataset_type: &str) {
        let path = self.write(
            &format!("data/{key}"),
            &super::data::csv_for(schema, dataset_type),
        );
        super::files::date_before_start(&path);
    }

    /// Imports `key` of the examples' bucket into `dataset` (an ARN) as a
    /// console user would, through the SDK, and waits until it is ACTIVE.
    pub async fn import_data(&self, dataset: &str, key: &str) {
        let source = aws_sdk_personalize::types::DataSource::builder()
            .data_location(format!("s3://{}/{key}", Env::EXAMPLES_BUCKET))
            .build();
        let name = format!("by-hand-{}", key.replace(['/', '.'], "-"));
        let job = self
            .client
            .create_dataset_import_job()
            .job_name(name)
            .dataset_arn(dataset)
            .data_source(source)
            .send()
            .await
            .expect("the import job is created");
        let job = job.dataset_import_job_arn().unwrap_or_default().to_string();
        super::clock::until("the import ACTIVE", || async {
            if self.manual_clock() {
                self.settle();
            }
            let out = self
                .client
                .describe_dataset_import_job()
                .dataset_import_job_arn(&job)
                .send();
            let out = out.await.expect("the job is there");
            let status = out
                .dataset_import_job()
                .and_then(|j| j.status())
                .unwrap_or_default();
            assert_ne!(status, "CREATE FAILED", "{out:?}");
            status == "ACTIVE"
        })
        .await;
    }

    /// Marks `key` of the examples' bucket changed now, on the emulator's
    /// clock: the next plan imports it again.
    pub fn touch_data(&self, key: &str) {
        let now = std::time::UNIX_EPOCH + Duration::from_millis(self.emulator.clock().now());
        let file = std::fs::File::options()
            .write(true)
            .open(self.path(&format!("data/{key}")))
            .expect("the data file");
        file.set_modified(now).expect("set the time");
    }

    /// The `pzr` command, pointed at the emulator, with no AWS setup of the host.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = self.isolated(env!("CARGO_BIN_EXE_pzr"));
        cmd.arg("--endpoint-url")
            .arg(self.emulator.endpoint_url())
            .args(args);
        cmd
    }

    /// `bash -c line` in the test's directory, with the environment of
    /// [`Env::command`] and `AWS_ENDPOINT_URL` set to the emulator, so a
    /// `pzr` it runs reaches the emulator as a CI job's would reach AWS.
    pub fn shell(&self, line: &str) -> tokio::process::Command {
        let mut cmd = self.isolated("bash");
        cmd.arg("-c")
            .arg(line)
            .env("AWS_ENDPOINT_URL", self.emulator.endpoint_url());
        cmd
    }

    /// `program` in the test's directory with no AWS setup of the host.
    fn isolated(&self, program: &str) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(program);
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
            .env("PZR_LIMIT_BACKOFF", "5ms")
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        cmd
    }

    /// Runs `pzr args...` to completion (within [`HANG`], so that a run
    /// waiting on a clock nobody advances fails instead of hanging).
    pub async fn pzr(&self, args: &[&str]) -> Run {
        let output = tokio::time::timeout(HANG, self.command(args).output())
            .await
            .unwrap_or_else(|_| panic!("pzr {args:?} still running after {HANG:?}"))
            .expect("pzr runs");
        Run::from(output)
    }

    /// Runs `pzr args...` to completion while the manual clock ticks, so
    /// that everything it creates or deletes gets through its life cycle.
    pub async fn pzr_ticking(&self, args: &[&str]) -> Run {
        let ticker = self.ticker();
        let run = self.pzr(args).await;
        ticker.stop().await;
        run
    }

    /// Spawns `pzr args...` and returns once its stderr shows `marker`.
    pub async fn spawn_until(&self, args: &[&str], marker: &str) -> Spawned {
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn pzr");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let mut seen = String::new();
        let found = tokio::time::timeout(HANG, async {
            while let Some(line) = lines.next_line().await.expect("read stderr") {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(marker) {
                    return true;
                }
            }
            false
        })
        .await;
        assert_eq!(
            found,
            Ok(true),
            "pzr did not print {marker:?} (Err: still running after {HANG:?}):\n{seen}"
        );
        // Keep draining stderr so the child never blocks on a full pipe.
        let rest = tokio::spawn(async move {
            let mut rest = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                rest.push_str(&line);
                rest.push('\n');
            }
            rest
        });
        Spawned { child, seen, rest }
    }

    /// A file in the test's directory, as a command-line argument.
    pub fn arg(&self, name: &str) -> String {
        self.path(name).to_str().expect("utf-8 path").to_string()
    }

    /// Writes `text` as `name` and applies it (`--auto-approve` and
    /// `extra`), the clock ticking if it is manual; the run.
    pub async fn apply_text(&self, name: &str, text: &str, extra: &[&str]) -> Run {
        self.write(name, text);
        let spec = self.arg(name);
        let mut args = vec!["apply", "-f", &spec, "--auto-approve"];
        args.extend_from_slice(extra);
        if self.manual_clock() {
            self.pzr_ticking(&args).await
        } else {
            self.pzr(&args).await
        }
    }

    /// `pzr drift -f spec --format json`: its exit code, and each drifted
    /// address with the names of its drifted fields.
    pub async fn drift_fields(&self, spec: &str) -> (i32, Vec<(String, Vec<String>)>) {
        let run = self.pzr(&["drift", "-f", spec, "--format", "json"]).await;
        let doc = run.json();
        let drifted = doc["drift"]
            .as_array()
            .expect("drift")
            .iter()
            .map(|d| {
                let fields = d["fields"].as_array().expect("fields").iter();
                let fields = fields.map(|f| f["field"].as_str().unwrap_or_default().to_string());
                (
                    d["address"].as_str().unwrap_or_default().to_string(),
                    fields.collect(),
                )
            })
            .collect();
        (run.code, drifted)
    }

    /// Asserts that `pzr drift` exits 2 naming exactly `expected`: each
    /// address with its drifted fields.
    pub async fn assert_drifted(&self, spec: &str, expected: &[(&str, &[&str])]) {
        let expected: Vec<(String, Vec<String>)> = expected
            .iter()
            .map(|(address, fields)| {
                let fields = fields.iter().map(|f| f.to_string()).collect();
                (address.to_string(), fields)
            })
            .collect();
        assert_eq!(self.drift_fields(spec).await, (2, expected));
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

/// A `pzr` process still running (see [`Env::spawn_until`]).
pub struct Spawned {
    pub child: tokio::process::Child,
    /// Its stderr up to the marker.
    seen: String,
    /// Collects the rest of its stderr.
    rest: JoinHandle<String>,
}

impl Spawned {
    /// `kill -9`, and waits until it is gone. Already ended is fine.
    pub async fn kill(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    /// Waits for it to end (within [`HANG`]); all it printed.
    pub async fn finish(self) -> Run {
        let output = tokio::time::timeout(HANG, self.child.wait_with_output())
            .await
            .unwrap_or_else(|_| panic!("pzr still running after {HANG:?}:\n{}", self.seen))
            .expect("pzr ends");
        let mut run = Run::from(output);
        run.stderr = self.seen + &self.rest.await.expect("stderr");
        run
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
