//! pzr's benchmark: how close apply, delete and plan come to the limits
//! Personalize sets (the critical path of provisioning, the calls the
//! needed data implies, a request-rate limit), and the emulator's own
//! throughput. It starts emulators in-process, runs the `pzr` binary
//! against them as a user would (process start and planning included),
//! prints a table and writes it to BENCHMARKS.md's measured section.
//!
//! cargo build --release && cargo run --release --example bench [-- --quick]
//!
//! `--quick` skips the 5,000-group and the --max-tps 5 scenarios;
//! `BENCH_RUNS` sets how many times the --max-tps 5 scenario runs (default
//! 10, about two and a half minutes each); `PZR_BIN` names another pzr
//! binary (default: the one beside this example).

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use personalize_emulator::{EmulatorConfig, RunningEmulator, Stats};
use pzr::apply::wait::PollPolicy;
use tempfile::TempDir;

type Error = Box<dyn std::error::Error>;

const DESCRIBES: [&str; 6] = [
    "DescribeDatasetGroup",
    "DescribeDataset",
    "DescribeEventTracker",
    "DescribeFilter",
    "DescribeRecommender",
    "DescribeSolution",
];
/// `pzr apply --parallelism`'s default.
const DEFAULT_PARALLELISM: usize = 10;

/// One row of the table: what was measured, the value, the goal, and
/// whether the value meets it.
struct Row {
    what: String,
    value: String,
    goal: String,
    met: Option<bool>,
}

fn row(what: impl Into<String>, value: impl Into<String>, goal: &str, met: Option<bool>) -> Row {
    Row {
        what: what.into(),
        value: value.into(),
        goal: goal.into(),
        met,
    }
}

/// A workspace with the examples' Avro schemas and a spec of `groups`
/// groups of the three offers datasets.
struct Workspace {
    dir: TempDir,
}

impl Workspace {
    fn new() -> Result<Workspace, Error> {
        let dir = tempfile::tempdir()?;
        let avro = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/avro");
        std::fs::create_dir(dir.path().join("avro"))?;
        for entry in std::fs::read_dir(avro)? {
            let entry = entry?;
            std::fs::copy(
                entry.path(),
                dir.path().join("avro").join(entry.file_name()),
            )?;
        }
        Ok(Workspace { dir })
    }

    /// A spec of `groups` groups of `shape`.
    fn spec(&self, groups: usize, shape: Shape) -> Result<String, Error> {
        let schemas = if shape == Shape::Graph {
            "  interactions: {file: avro/retail-interactions.avsc, domain: ECOMMERCE}\n  items: {file: avro/retail-items.avsc, domain: ECOMMERCE}\n  users: {file: avro/retail-users.avsc, domain: ECOMMERCE}\n"
        } else {
            "  interactions: {file: avro/offers-interactions.avsc}\n  items: {file: avro/offers-items.avsc}\n  actions: {file: avro/offers-actions.avsc}\n"
        };
        let mut s = format!("version: 1\nstack: bench\nschemas:\n{schemas}datasetGroups:");
        if groups == 0 {
            s.push_str(" []\n");
        }
        for g in 0..groups {
            let _ = write!(s, "\n  - name: bench-{g:04}");
            match shape {
                Shape::Groups => {}
                Shape::Datasets => s.push_str("\n    datasets:\n      interactions: {schema: interactions}\n      items: {schema: items}\n      actions: {schema: actions}"),
                Shape::Graph => {
                    s.push_str("\n    domain: ECOMMERCE\n    datasets:\n      interactions: {schema: interactions}\n      items: {schema: items}\n      users: {schema: users}");
                    s.push_str("\n    eventTracker: {}\n    filters:\n      not-purchased:\n        expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")'");
                    s.push_str("\n    recommenders:\n      popular: {recipe: aws-ecomm-popular-items-by-views}");
                    // Trained once by the apply (no automatic training); its
                    // campaign is deferred until the version is ACTIVE.
                    s.push_str("\n    solutions:\n      personal:\n        recipe: aws-user-personalization-v2\n        training: {automatic: false}\n        campaigns:\n          main: {}");
                }
            }
        }
        let path = self
            .dir
            .path()
            .join(format!("bench-{groups}-{}.yaml", shape.label()));
        std::fs::write(&path, s + "\n")?;
        Ok(path.to_string_lossy().into_owned())
    }
}

/// What each group of a benchmark spec holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The group alone.
    Groups,
    /// Three datasets (interactions, items, actions).
    Datasets,
    /// The whole resource graph in an ECOMMERCE group: three datasets
    /// (interactions, items, users), an event tracker, a filter, a
    /// recommender and a solution with a campaign (deferred by the apply:
    /// its version trains first).
    Graph,
}

impl Shape {
    fn label(self) -> &'static str {
        match self {
            Shape::Groups => "×0",
            Shape::Datasets => "×3",
            Shape::Graph => "×3+tracker+filter+recommender+solution",
        }
    }

    /// Resources waited for per group.
    fn waited(self) -> usize {
        match self {
            Shape::Groups => 1,
            Shape::Datasets => 4,
            Shape::Graph => 8,
        }
    }

    /// Resources in the longest chain of creations (and of deletes, the
    /// other way round): group, dataset, then tracker, filter, recommender
    /// or solution.
    fn chain(self) -> u32 {
        match self {
            Shape::Groups => 1,
            Shape::Datasets => 2,
            Shape::Graph => 3,
        }
    }
}

/// What one pzr process did.
struct Ran {
    wall: Duration,
    /// Peak resident memory, from `/usr/bin/time`, when it is there.
    peak_kb: Option<u64>,
    calls: u64,
    refused: u64,
    describes: u64,
}

fn pzr_bin() -> PathBuf {
    std::env::var_os("PZR_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let exe = std::env::current_exe().expect("this example's path");
            // target/<profile>/examples/bench -> target/<profile>/pzr
            exe.parent()
                .and_then(Path::parent)
                .expect("target dir")
                .join("pzr")
        })
}

fn total(stats: &Stats) -> u64 {
    stats.requests.values().sum()
}

fn refused(stats: &Stats) -> u64 {
    stats
        .rejected
        .iter()
        .filter(|(code, _)| code.as_str() != "ResourceNotFoundException")
        .map(|(_, n)| n)
        .sum()
}

/// Runs `pzr args` against `emulator` in `ws`, failing unless it exits 0.
async fn pzr(emulator: &RunningEmulator, ws: &Workspace, args: &[&str]) -> Result<Ran, Error> {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut cmd = tokio::process::Command::new(time);
        cmd.args(["-f", "pzr-peak-kb=%M"]).arg(pzr_bin());
        cmd
    } else {
        tokio::process::Command::new(pzr_bin())
    };
    cmd.current_dir(ws.dir.path())
        .arg("--endpoint-url")
        .arg(emulator.endpoint_url())
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "AKIDBENCH")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1")
        .env_remove("PZR_POLL_INTERVAL")
        .env_remove("PZR_MAX_RPS")
        .stdin(Stdio::null());
    let before = emulator.stats().await?;
    let start = Instant::now();
    let out = cmd.output().await?;
    let wall = start.elapsed();
    let after = emulator.stats().await?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("pzr {args:?}: {}\n{stderr}", out.status).into());
    }
    let peak_kb = stderr
        .lines()
        .find_map(|l| l.strip_prefix("pzr-peak-kb="))
        .and_then(|kb| kb.trim().parse().ok());
    let describes = DESCRIBES
        .iter()
        .map(|op| after.requests_to(op) - before.requests_to(op))
        .sum();
    Ok(Ran {
        wall,
        peak_kb,
        calls: total(&after) - total(&before),
        refused: refused(&after) - refused(&before),
        describes,
    })
}

async fn emulator(config: EmulatorConfig) -> Result<RunningEmulator, Error> {
    Ok(RunningEmulator::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await?)
}

fn delays(create: Duration, delete: Duration, groups: usize) -> EmulatorConfig {
    EmulatorConfig {
        create_delay: create,
        delete_delay: delete,
        max_dataset_groups: groups,
        ..EmulatorConfig::default()
    }
}

fn ratio(value: f64, goal: f64) -> (String, Option<bool>) {
    (format!("{value:.2}"), Some(value <= goal))
}

/// Items 1 and 2: 30 groups of `shape` created at 3 s and deleted at 1 s,
/// at a parallelism: apply and delete-all ÷ their critical paths (3 s or
/// 1 s per resource of the longest chain), and the Describe calls per
/// waited resource (each group and resource in it is waited for).
async fn makespans(rows: &mut Vec<Row>, shape: Shape, parallelism: &str) -> Result<(), Error> {
    const GROUPS: usize = 30;
    let waited = (GROUPS * shape.waited()) as f64;
    let (create, delete) = (3.0 * f64::from(shape.chain()), f64::from(shape.chain()));
    let emu = emulator(delays(
        Duration::from_secs(3),
        Duration::from_secs(1),
        GROUPS,
    ))
    .await?;
    let ws = Workspace::new()?;
    let spec = ws.spec(GROUPS, shape)?;
    let label = format!("30{}, parallelism {parallelism}", shape.label());
    let mut args = vec!["apply", "-f", &spec, "--auto-approve"];
    if parallelism != "default" {
        args.extend(["--parallelism", parallelism]);
    }
    // Groups (with what they hold) worked on at once bound the makespan
    // too: 30 groups at 10 at once are 3 critical paths in a row.
    let waves = GROUPS.div_ceil(parallelism.parse().unwrap_or(DEFAULT_PARALLELISM)) as f64;
    let apply = pzr(&emu, &ws, &args).await?;
    let wall = apply.wall.as_secs_f64();
    let (v, met) = ratio(wall / create, 1.10);
    rows.push(row(
        format!("apply {label}: makespan ÷ {create} s critical path ({wall:.2} s; ÷ {waves} waves × {create} s: {:.2})", wall / create / waves),
        v,
        "≤ 1.10",
        met,
    ));
    let per = apply.describes as f64 / waited;
    rows.push(row(
        format!("apply {label}: Describe per waited resource (3 s)"),
        format!("{per:.1}"),
        "≤ 10",
        Some(per <= 10.0),
    ));
    if parallelism == "30" {
        let plan = pzr(&emu, &ws, &["plan", "-f", &spec]).await?;
        // One page each of groups, schemas, filters and recommenders
        // (these two name their group in their summaries, so the account's
        // one list serves every group); per group its tags (to classify
        // it), DescribeDatasetGroup (kms and role are only there),
        // ListDatasets, ListEventTrackers and ListSolutions (a managed
        // child the spec no longer declares is deleted, an unmanaged one
        // blocks); per dataset DescribeDataset (schemaArn is only there)
        // and its tags; per tracker its tags; per filter its tags and
        // DescribeFilter (the expression is only there); per recommender
        // its tags and DescribeRecommender (its config and state are only
        // there); per solution its tags, ListCampaigns (an owned campaign
        // it no longer declares is deleted), DescribeSolution (its settings
        // are only there) and ListSolutionVersions (a campaign deploys the
        // latest ACTIVE one).
        let (bound, formula) = match shape {
            Shape::Graph => (
                4 + GROUPS * 5 + GROUPS * 3 * 2 + GROUPS + GROUPS * 2 + GROUPS * 2 + GROUPS * 4,
                "4 + 5·groups + 2·datasets + trackers + 2·filters + 2·recommenders + 4·solutions",
            ),
            _ => (4 + GROUPS * 5 + GROUPS * 3 * 2, "4 + 5·groups + 2·datasets"),
        };
        let (v, met) = ratio(plan.calls as f64 / bound as f64, 1.05);
        rows.push(row(
            format!(
                "plan 30{}: calls ÷ bound {formula} = {bound} ({} calls)",
                shape.label(),
                plan.calls
            ),
            v,
            "≤ 1.05",
            met,
        ));
    }
    let empty = ws.spec(0, Shape::Groups)?;
    let mut args = vec!["apply", "-f", &empty, "--auto-approve", "--allow-destroy"];
    if parallelism != "default" {
        args.extend(["--parallelism", parallelism]);
    }
    let deleted = pzr(&emu, &ws, &args).await?;
    let wall = deleted.wall.as_secs_f64();
    let (v, met) = ratio(wall / delete, 1.20);
    rows.push(row(
        format!("delete-all {label}: makespan ÷ {delete} s critical path ({wall:.2} s; ÷ {waves} waves × {delete} s: {:.2})", wall / delete / waves),
        v,
        "≤ 1.20",
        met,
    ));
    emu.shutdown().await;
    Ok(())
}

/// Item 2 computed: the polls pzr's schedule (with `pzr apply`'s default
/// `--poll-interval`, 300ms) makes for a resource ready after `ready`,
/// averaged over its jitter.
fn polls_for(ready: Duration) -> f64 {
    const TRIALS: usize = 2000;
    let policy = PollPolicy {
        min_interval: Duration::from_millis(300),
        ..PollPolicy::default()
    };
    let mut polls = 0;
    for _ in 0..TRIALS {
        let mut schedule = policy.schedule();
        let mut t = Duration::ZERO;
        loop {
            polls += 1;
            if t >= ready {
                break;
            }
            t += schedule.pause(t);
        }
    }
    polls as f64 / TRIALS as f64
}

/// Item 3: plan wall time and peak memory with `groups` managed groups of
/// `shape` (created first by an apply with no delays).
async fn large_plan(rows: &mut Vec<Row>, groups: usize, shape: Shape) -> Result<(), Error> {
    let emu = emulator(delays(Duration::ZERO, Duration::ZERO, groups)).await?;
    let ws = Workspace::new()?;
    let spec = ws.spec(groups, shape)?;
    let shape = format!("{groups}{}", shape.label());
    let apply = pzr(
        &emu,
        &ws,
        &[
            "apply",
            "-f",
            &spec,
            "--auto-approve",
            "--parallelism",
            "100",
        ],
    )
    .await?;
    rows.push(row(
        format!(
            "apply {shape} at 0 s delays, parallelism 100 ({} calls)",
            apply.calls
        ),
        format!("{:.2} s", apply.wall.as_secs_f64()),
        "",
        None,
    ));
    let plan = pzr(&emu, &ws, &["plan", "-f", &spec]).await?;
    let secs = plan.wall.as_secs_f64();
    let goal = groups >= 5000;
    rows.push(row(
        format!("plan {shape}: wall time ({} calls)", plan.calls),
        format!("{secs:.2} s"),
        if goal { "< 3 s" } else { "" },
        goal.then_some(secs < 3.0),
    ));
    let mb = plan.peak_kb.map(|kb| kb as f64 / 1024.0);
    rows.push(row(
        format!("plan {shape}: peak memory (VmHWM)"),
        mb.map_or("n/a".into(), |mb| format!("{mb:.0} MB")),
        if goal { "< 100 MB" } else { "" },
        mb.filter(|_| goal).map(|mb| mb < 100.0),
    ));
    emu.shutdown().await;
    Ok(())
}

/// Item 3 under a limit: plan and apply of `groups` × 3 against
/// `--max-tps tps`, their time against calls ÷ tps (apply at 100 ms create
/// and 50 ms delete delays, so that calls, not provisioning, bound it).
async fn rate_limited(rows: &mut Vec<Row>, groups: usize, tps: u32) -> Result<(), Error> {
    let emu = emulator(EmulatorConfig {
        max_tps: Some(tps),
        ..delays(
            Duration::from_millis(100),
            Duration::from_millis(50),
            groups,
        )
    })
    .await?;
    let ws = Workspace::new()?;
    let spec = ws.spec(groups, Shape::Datasets)?;
    let label = format!("{groups}×3 under --max-tps {tps}");
    for (what, args) in [
        (
            "apply",
            vec!["apply", "-f", spec.as_str(), "--auto-approve"],
        ),
        ("plan", vec!["plan", "-f", spec.as_str()]),
    ] {
        let ran = pzr(&emu, &ws, &args).await?;
        // The calls needed are those that passed; refused ones are the cost.
        let floor = (ran.calls - ran.refused) as f64 / f64::from(tps);
        let (v, met) = ratio(ran.wall.as_secs_f64() / floor, 1.15);
        rows.push(row(
            format!(
                "{what} {label}: time ÷ (calls passed ÷ {tps}) ({:.2} s, {} calls, {} refused)",
                ran.wall.as_secs_f64(),
                ran.calls,
                ran.refused
            ),
            v,
            "≤ 1.15",
            met,
        ));
    }
    emu.shutdown().await;
    Ok(())
}

/// Item 4: requests per second through the real SDK over HTTP, 16 clients
/// alternating a Describe and a List.
async fn emulator_throughput(rows: &mut Vec<Row>) -> Result<(), Error> {
    const CONCURRENCY: usize = 16;
    let emu = emulator(delays(Duration::ZERO, Duration::ZERO, 5)).await?;
    let client = emu.client();
    let group = client
        .create_dataset_group()
        .name("bench")
        .send()
        .await?
        .dataset_group_arn()
        .unwrap_or_default()
        .to_string();
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(3);
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|i| {
            let (client, group, done) = (emu.client(), group.clone(), done.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let ok = if i % 2 == 0 {
                        let call = client.describe_dataset_group().dataset_group_arn(&group);
                        call.send().await.is_ok()
                    } else {
                        client.list_dataset_groups().send().await.is_ok()
                    };
                    done.fetch_add(u64::from(ok), Ordering::Relaxed);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await?;
    }
    let rps = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    rows.push(row(
        format!("emulator: requests per second ({CONCURRENCY} SDK clients, client and server on this machine)"),
        format!("{rps:.0}"),
        "",
        None,
    ));
    emu.shutdown().await;
    Ok(())
}

/// Item 5: the 30-group plan and apply against --max-tps 5 complete.
async fn survives(rows: &mut Vec<Row>, runs: usize) -> Result<(), Error> {
    const GROUPS: usize = 30;
    let mut passed = 0;
    let mut walls = Vec::new();
    for _ in 0..runs {
        let emu = emulator(EmulatorConfig {
            max_tps: Some(5),
            ..delays(
                Duration::from_millis(100),
                Duration::from_millis(50),
                GROUPS,
            )
        })
        .await?;
        let ws = Workspace::new()?;
        let spec = ws.spec(GROUPS, Shape::Datasets)?;
        // Apply first: then the plan reads all it made.
        let apply = pzr(&emu, &ws, &["apply", "-f", &spec, "--auto-approve"]).await;
        let plan = pzr(&emu, &ws, &["plan", "-f", &spec]).await;
        if let (Ok(plan), Ok(apply)) = (&plan, &apply) {
            passed += 1;
            walls.push(format!(
                "{:.0}+{:.0} s, {}+{} calls, {}+{} refused",
                apply.wall.as_secs_f64(),
                plan.wall.as_secs_f64(),
                apply.calls,
                plan.calls,
                apply.refused,
                plan.refused
            ));
        }
        emu.shutdown().await;
    }
    rows.push(row(
        format!(
            "apply + plan 30×3 under --max-tps 5: runs that complete ({})",
            walls.join(", ")
        ),
        format!("{passed}/{runs}"),
        "all",
        Some(passed == runs),
    ));
    Ok(())
}

fn table(rows: &[Row]) -> String {
    let mut t = String::from("| measured | value | goal | met |\n|---|---|---|---|\n");
    for r in rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        let _ = writeln!(t, "| {} | {} | {} | {met} |", r.what, r.value, r.goal);
    }
    t
}

/// Replaces what lies between the markers of BENCHMARKS.md with `text`.
fn write_results(text: &str) -> Result<(), Error> {
    const BEGIN: &str = "<!-- bench:begin -->\n";
    const END: &str = "<!-- bench:end -->";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md");
    let doc = std::fs::read_to_string(&path)?;
    let (Some(b), Some(e)) = (doc.find(BEGIN), doc.find(END)) else {
        return Err("BENCHMARKS.md has no bench:begin/bench:end markers".into());
    };
    let doc = format!("{}{BEGIN}{text}{}", &doc[..b], &doc[e..]);
    std::fs::write(path, doc)?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let quick = std::env::args().any(|a| a == "--quick");
    let mut rows = Vec::new();
    for shape in [Shape::Datasets, Shape::Graph] {
        makespans(&mut rows, shape, "30").await?;
        makespans(&mut rows, shape, "default").await?;
    }
    for (ready, goal) in [(3, 10.0), (60, 15.0)] {
        let polls = polls_for(Duration::from_secs(ready));
        rows.push(row(
            format!("Describe per waited resource at {ready} s, the poll schedule computed"),
            format!("{polls:.1}"),
            &format!("≤ {goal}"),
            Some(polls <= goal),
        ));
    }
    large_plan(&mut rows, 1000, Shape::Datasets).await?;
    if !quick {
        large_plan(&mut rows, 5000, Shape::Groups).await?;
        large_plan(&mut rows, 5000, Shape::Datasets).await?;
    }
    rate_limited(&mut rows, 5, 20).await?;
    if !quick {
        let runs = std::env::var("BENCH_RUNS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(10);
        survives(&mut rows, runs).await?;
    }
    emulator_throughput(&mut rows).await?;

    let machine = format!(
        "{} CPUs ({}), {}, pzr {}{}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|c| c
                .lines()
                .find_map(|l| l.strip_prefix("model name\t: ").map(str::to_string)))
            .unwrap_or_else(|| "unknown CPU".into()),
        std::env::consts::OS,
        env!("CARGO_PKG_VERSION"),
        if cfg!(debug_assertions) {
            ", DEBUG build"
        } else {
            ", release build"
        },
    );
    let text = format!("Machine: {machine}.\n\n{}", table(&rows));
    println!("{text}");
    write_results(&text)
}
