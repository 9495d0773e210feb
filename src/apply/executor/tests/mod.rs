//! The scheduler's outcomes as tables, through `Actions` with a fake
//! Personalize whose resources settle on tokio's paused clock: no HTTP, no
//! real waiting, the same result every run.

use std::time::Duration;

use tokio::sync::watch;

mod deletes;
mod flow;
mod recovery;
mod updates;

use super::fake::{arn, Fake, Fault};
use super::{execute, ApplyOptions, Report};
use crate::apply::progress::Progress;
use crate::apply::wait::PollPolicy;
use crate::apply::StepFailure;
use crate::plan::{ArnRef, Observed, Op, Plan, Step, FORMAT_VERSION};
use crate::resource::{with_stack_tag, Address, DatasetType, Kind, Status, Tags};

const STACK: &str = "test";
const SETTLES_IN: Duration = Duration::from_secs(10);
const IN_USE: &str = "ResourceInUseException";
const NEW_SCHEMA: &str = "schema/new";

/// A plan of `steps` (address, op, steps it follows), ids by position.
fn plan(steps: Vec<(Address, Op, Vec<usize>)>) -> Plan {
    let steps = steps
        .into_iter()
        .enumerate()
        .map(|(id, (address, op, after))| Step {
            id,
            address,
            op,
            after,
        })
        .collect();
    let plan = Plan {
        format_version: FORMAT_VERSION,
        stack: STACK.into(),
        region: "us-east-1".into(),
        changes: Vec::new(),
        errors: Vec::new(),
        spec_digest: String::new(),
        observed: Vec::new(),
        steps,
        origin: Default::default(),
    };
    plan.check_steps().expect("a valid step graph");
    plan
}

fn create_group(name: &str) -> (Address, Op, Vec<usize>) {
    let op = Op::CreateDatasetGroup {
        name: name.into(),
        domain: None,
        kms_key_arn: None,
        role_arn: None,
        tags: with_stack_tag(&Tags::new(), STACK),
    };
    (Address::group(name), op, Vec::new())
}

/// The items dataset `{group}-items` in `group`, whose ARN `group_arn` names.
fn create_items(group: &str, group_arn: ArnRef, after: Vec<usize>) -> (Address, Op, Vec<usize>) {
    let op = Op::CreateDataset {
        name: format!("{group}-items"),
        dataset_type: DatasetType::Items,
        group: group_arn,
        schema: ArnRef::Known(arn(Kind::Schema, "items")),
        tags: with_stack_tag(&Tags::new(), STACK),
    };
    (Address::dataset(group, DatasetType::Items), op, after)
}

fn tag(address: Address, arn: String, after: Vec<usize>) -> (Address, Op, Vec<usize>) {
    let tags = Tags::from([("team".to_string(), "search".to_string())]);
    (address, Op::TagResource { arn, tags }, after)
}

/// `group` created, then its items dataset.
fn group_chain(group: &str, first: usize) -> Vec<(Address, Op, Vec<usize>)> {
    let group_arn = ArnRef::CreatedBy(first);
    vec![
        create_group(group),
        create_items(group, group_arn, vec![first]),
    ]
}

fn options(parallelism: usize) -> ApplyOptions {
    ApplyOptions {
        parallelism,
        timeout: Duration::from_secs(60),
        // Every wait on the same schedule: the tables' times are exact.
        poll: PollPolicy {
            phased: false,
            ..PollPolicy::default()
        },
    }
}

/// Runs `plan` to its end; nothing stops it.
async fn apply(fake: &Fake, plan: &Plan, parallelism: usize) -> Report {
    // Held to the end: a dropped sender would read as a stop.
    let (_stop, stop) = watch::channel(false);
    let quiet = Progress::new(false, true);
    execute(fake, plan, &options(parallelism), &quiet, stop).await
}

fn sorted(ids: &[usize]) -> Vec<usize> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids
}

/// Each failure as step, printed text, and AWS code.
fn failures(report: &Report) -> Vec<(usize, String, Option<String>)> {
    let mut failed: Vec<_> = report
        .failed
        .iter()
        .map(|(id, f)| (*id, f.to_string(), f.code().map(str::to_string)))
        .collect();
    failed.sort();
    failed
}

fn no_fault(fake: Fake) -> Fake {
    fake
}

/// How many calls of `operation` the fake saw.
fn count(fake: &Fake, operation: &str) -> usize {
    fake.calls()
        .iter()
        .filter(|(op, _)| *op == operation)
        .count()
}
