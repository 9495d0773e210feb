//! `pzr emulator`: runs the local Personalize emulator until Ctrl-C/SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::{Failure, GlobalArgs};
use personalize_emulator::{Clock, EmulatorConfig, RunningEmulator};

#[derive(Debug, Args)]
#[command(after_help = EMULATOR_EXAMPLES)]
pub struct EmulatorArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:4599")]
    pub listen: SocketAddr,
    /// Keep the account in this JSON file (rewritten atomically after changes; changes made during a write go in the next one).
    #[arg(long = "state", value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Account ID used in ARNs.
    #[arg(long, default_value = "111122223333")]
    pub account_id: String,
    /// Time from CREATE PENDING to ACTIVE (e.g. 2s, 50ms).
    #[arg(long, default_value = "2s", value_parser = humantime::parse_duration)]
    pub create_delay: Duration,
    /// Time from DELETE PENDING to gone.
    #[arg(long, default_value = "1s", value_parser = humantime::parse_duration)]
    pub delete_delay: Duration,
    /// Time from a solution becoming ACTIVE to its automatic training
    /// (performAutoTraining, on unless false) starting a solution version.
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
    pub training_delay: Duration,
    /// Share of requests answered with ThrottlingException (0.0..=1.0).
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub throttle_rate: f64,
    /// Share of requests answered with an HTTP 500 (0.0..=1.0).
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub error_rate: f64,
    /// Seed for the fault draws, to make a run repeatable.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Resources whose name matches this regex end in CREATE FAILED.
    #[arg(long, value_name = "REGEX")]
    pub fail_create: Option<regex::Regex>,
    /// Datasets, solutions, campaigns and recommenders whose name matches
    /// this regex fail their updates: they keep their schema or settings,
    /// the reason in latest<Kind>Update.
    #[arg(long, value_name = "REGEX")]
    pub fail_update: Option<regex::Regex>,
    /// Quota of dataset groups in the account.
    #[arg(long, default_value_t = 5)]
    pub max_dataset_groups: usize,
    /// Requests per second above which requests get "Rate exceeded".
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_tps: Option<u32>,
    /// Freeze the clock (at EPOCH_MS, or now): time, and so every life cycle
    /// and --max-tps window, moves only by `POST /_emulator/clock` with
    /// `{"advanceMs": N}`.
    #[arg(long, value_name = "EPOCH_MS", num_args = 0..=1, require_equals = true)]
    pub manual_clock: Option<Option<u64>>,
    /// Serve an S3 bucket backed by a directory (repeatable): path-style
    /// S3 at the same address, read by dataset import jobs.
    #[arg(long = "bucket", value_name = "NAME=DIR", value_parser = parse_bucket)]
    pub buckets: Vec<(String, PathBuf)>,
}

/// `NAME=DIR`: an S3 bucket name and an existing directory.
fn parse_bucket(text: &str) -> Result<(String, PathBuf), String> {
    let (name, dir) = text
        .split_once('=')
        .ok_or("expected NAME=DIR, e.g. acme-personalize=./data")?;
    personalize_emulator::check_bucket_name(name)?;
    let dir = PathBuf::from(dir);
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    Ok((name.to_string(), dir))
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err("must be between 0.0 and 1.0".into())
    }
}

pub async fn run(global: &GlobalArgs, args: EmulatorArgs) -> Result<u8, Failure> {
    let config = EmulatorConfig {
        account_id: args.account_id,
        region: global.region.clone().unwrap_or_else(|| "us-east-1".into()),
        create_delay: args.create_delay,
        delete_delay: args.delete_delay,
        training_delay: args.training_delay,
        throttle_rate: args.throttle_rate,
        error_rate: args.error_rate,
        seed: args.seed,
        fail_create: args.fail_create,
        fail_update: args.fail_update,
        max_dataset_groups: args.max_dataset_groups,
        max_tps: args.max_tps,
        state_file: args.state,
        buckets: args.buckets.into_iter().collect(),
        clock: match args.manual_clock {
            None => Clock::system(),
            Some(start) => Clock::manual(start.unwrap_or_else(|| Clock::system().now())),
        },
    };
    // Handlers go in before the address is printed: whoever reads it may
    // signal at once.
    let stop = shutdown_signal().context("cannot install signal handlers")?;
    let emulator = RunningEmulator::start(config, args.listen)
        .await
        .context("cannot start the emulator")?;
    println!("pzr emulator listening on {}", emulator.endpoint_url());
    std::io::stdout()
        .flush()
        .context("cannot write to stdout")?;
    stop.await;
    eprintln!("pzr emulator: shutting down");
    emulator.shutdown().await;
    Ok(0)
}

/// Installs handlers now; the future resolves on Ctrl-C or SIGTERM.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Installs the handler; the future resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

const EMULATOR_EXAMPLES: &str = "Examples:
  pzr emulator --state emu.json &
  AWS_ENDPOINT_URL=http://127.0.0.1:4599 pzr plan -f pzr.yaml
  pzr emulator --create-delay 2s --throttle-rate 0.1 --seed 7   # faults, reproducibly";
