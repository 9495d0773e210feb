//! Benchmark, not a test (ignored by default): the makespan of applying N
//! independent groups against the critical path (group then dataset: two
//! create delays), and the Describe calls spent per waited resource, with
//! pzr's default poll policy.
//!
//! cargo test --test testsuite apply::bench -- --ignored --nocapture
//! (with BENCH_LOG=1, each run's progress lines are printed too)

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use pzr::emulator::EmulatorConfig;

use crate::support::env::{fast, Env, Run};

const GROUPS: usize = 5;
const CREATE_DELAY: Duration = Duration::from_secs(2);
const RUNS: usize = 3;

fn spec() -> String {
    let mut s = String::from(
        "version: 1\nstack: bench\nschemas:\n  interactions: {file: avro/offers-interactions.avsc}\n  items: {file: avro/offers-items.avsc}\n  actions: {file: avro/offers-actions.avsc}\ndatasetGroups:\n",
    );
    for g in 0..GROUPS {
        let _ = write!(
            s,
            "  - name: bench-{g}\n    datasets:\n      interactions: {{schema: interactions}}\n      items: {{schema: items}}\n      actions: {{schema: actions}}\n"
        );
    }
    s
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: takes seconds; run with --ignored --nocapture"]
async fn makespan_and_polls_of_independent_groups() {
    let critical = CREATE_DELAY * 2;
    let waited = (GROUPS * 4) as f64; // each group and its three datasets
    for run in 0..RUNS {
        let env = Env::with(EmulatorConfig {
            create_delay: CREATE_DELAY,
            max_dataset_groups: GROUPS,
            ..fast()
        })
        .await;
        let spec = env.write("bench.yaml", &spec());
        let spec = spec.to_str().expect("utf-8 path");
        let before = env.stats().await;
        let mut cmd = env.command(&["apply", "-f", spec, "--auto-approve"]);
        cmd.env_remove("PZR_POLL_INTERVAL"); // the default policy is what is measured
        let t0 = Instant::now();
        let out = cmd.output().await.expect("pzr runs");
        let makespan = t0.elapsed();
        let run_out = Run::from(out).expect(0);
        if std::env::var_os("BENCH_LOG").is_some() {
            eprintln!("{}", run_out.stderr);
        }
        let after = env.stats().await;
        let describes = ["DescribeDatasetGroup", "DescribeDataset"]
            .iter()
            .map(|op| after.requests_to(op) - before.requests_to(op))
            .sum::<u64>();
        let executor = run_out
            .stderr
            .lines()
            .find(|l| l.starts_with("Apply complete"))
            .unwrap_or_default()
            .to_string();
        println!(
            "run {run}: makespan {:.2}s (process) vs critical path {:.2}s: +{:.1}%; {} Describes for {waited} waited resources: {:.1} each; {executor}",
            makespan.as_secs_f64(),
            critical.as_secs_f64(),
            (makespan.as_secs_f64() / critical.as_secs_f64() - 1.0) * 100.0,
            describes,
            describes as f64 / waited,
        );
    }
}
