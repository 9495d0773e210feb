//! The scheduler's outcomes as tables, through `Actions` with a fake
//! Personalize whose resources settle on tokio's paused clock: no HTTP, no
//! real waiting, the same result every run.

use std::time::Duration;

use tokio::sync::watch;

use super::fake::{arn, Fake, Fault};
use super::{execute, ApplyOptions, Report};
use crate::apply::progress::Progress;
use crate::apply::StepFailure;
use crate::plan::{ArnRef, Op, Plan, Step, FORMAT_VERSION};
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
        ..ApplyOptions::default()
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

#[tokio::test(start_paused = true)]
async fn a_failed_chain_skips_its_dependents_while_independent_chains_finish() {
    // 0 group a, 1 its dataset, 2 a tag on that dataset; 3 group b, 4 its dataset.
    let mut steps = group_chain("a", 0);
    let dataset = Address::dataset("a", DatasetType::Items);
    steps.push(tag(dataset, arn(Kind::Dataset, "a-items"), vec![1]));
    steps.extend(group_chain("b", 3));
    let plan = plan(steps);
    struct Row {
        case: &'static str,
        fake: fn(Fake) -> Fake,
        /// Step, printed text, AWS code.
        failed: (usize, &'static str, Option<&'static str>),
        skipped: &'static [usize],
        done: &'static [usize],
    }
    let other_stack = |fake: Fake| {
        let tags = with_stack_tag(&Tags::new(), "other");
        fake.existing(Kind::DatasetGroup, "a", Status::Active, tags)
    };
    let rows = [
        Row {
            case: "the group's create is refused: the AWS code is kept",
            fake: |f| f.fault("a", Fault::Refused("TooManyTagsException")),
            failed: (
                0,
                "CreateDatasetGroup a: TooManyTagsException: injected",
                Some("TooManyTagsException"),
            ),
            skipped: &[1, 2],
            done: &[3, 4],
        },
        Row {
            case: "the group ends CREATE FAILED: the failure reason is told",
            fake: |f| f.fault("a", Fault::CreateFails("bad role")),
            failed: (0, "CREATE FAILED: bad role", None),
            skipped: &[1, 2],
            done: &[3, 4],
        },
        Row {
            case: "reading the group's status is refused: the AWS code is kept",
            fake: |f| f.fault("a", Fault::StatusRefused("AccessDeniedException")),
            failed: (
                0,
                "Describe a: AccessDeniedException: injected",
                Some("AccessDeniedException"),
            ),
            skipped: &[1, 2],
            done: &[3, 4],
        },
        Row {
            case: "the group never settles: the wait times out",
            fake: |f| f.fault("a", Fault::NeverSettles),
            failed: (
                0,
                "timed out after 60.0s (last status: CREATE PENDING)",
                None,
            ),
            skipped: &[1, 2],
            done: &[3, 4],
        },
        Row {
            case: "another stack owns a group of that name",
            fake: other_stack,
            failed: (
                0,
                "a dataset group named a already exists and is not owned by stack test; it was left alone",
                None,
            ),
            skipped: &[1, 2],
            done: &[3, 4],
        },
        Row {
            case: "the dataset's create is refused: only the tag after it is skipped",
            fake: |f| f.fault("a-items", Fault::Refused("InvalidInputException")),
            failed: (
                1,
                "CreateDataset a-items: InvalidInputException: injected",
                Some("InvalidInputException"),
            ),
            skipped: &[2],
            done: &[0, 3, 4],
        },
    ];
    for row in rows {
        let fake = (row.fake)(Fake::new(SETTLES_IN));
        let report = apply(&fake, &plan, 10).await;
        let (id, text, code) = row.failed;
        let expected = vec![(id, text.to_string(), code.map(str::to_string))];
        assert_eq!(failures(&report), expected, "{}", row.case);
        assert_eq!(sorted(&report.skipped), row.skipped, "{}", row.case);
        assert_eq!(sorted(&report.done), row.done, "{}", row.case);
        assert!(report.not_started.is_empty() && report.stopped.is_empty());
        assert!(!report.succeeded() && !report.interrupted, "{}", row.case);
    }
}

#[tokio::test(start_paused = true)]
async fn a_stop_leaves_dependents_not_started_and_waits_in_flight_stopped() {
    // The group settles at 10s; its dataset is created then and settles at about 20s.
    let plan = plan(group_chain("a", 0));
    struct Row {
        /// When the stop comes; `None`: before apply starts.
        stop_at: Option<Duration>,
        done: &'static [usize],
        stopped: &'static [usize],
        not_started: &'static [usize],
    }
    let rows = [
        Row {
            stop_at: None,
            done: &[],
            stopped: &[],
            not_started: &[0, 1],
        },
        Row {
            stop_at: Some(Duration::from_secs(5)),
            done: &[],
            stopped: &[0],
            not_started: &[1],
        },
        Row {
            stop_at: Some(Duration::from_secs(15)),
            done: &[0],
            stopped: &[1],
            not_started: &[],
        },
    ];
    for row in rows {
        let fake = Fake::new(SETTLES_IN);
        let (stop_tx, stop) = watch::channel(row.stop_at.is_none());
        let (quiet, options) = (Progress::new(false, true), options(10));
        let stopper = async {
            if let Some(at) = row.stop_at {
                tokio::time::sleep(at).await;
                stop_tx.send(true).expect("apply is listening");
            }
        };
        let run = execute(&fake, &plan, &options, &quiet, stop);
        let (report, ()) = tokio::join!(run, stopper);
        let case = format!("stop at {:?}", row.stop_at);
        assert!(report.interrupted, "{case}");
        assert_eq!(sorted(&report.done), row.done, "{case}");
        assert_eq!(sorted(&report.stopped), row.stopped, "{case}");
        assert_eq!(sorted(&report.not_started), row.not_started, "{case}");
        assert!(
            report.failed.is_empty() && report.skipped.is_empty(),
            "{case}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_step_whose_reference_cannot_be_resolved_fails_without_its_call() {
    let group = || Address::group("a");
    // Step 0 tags the group: it creates nothing, so it has no ARN to hand on.
    let tag_group = || tag(group(), arn(Kind::DatasetGroup, "a"), Vec::new());
    let update = Op::UpdateDataset {
        arn: arn(Kind::Dataset, "a-items"),
        schema: ArnRef::CreatedBy(0),
    };
    struct Row {
        case: &'static str,
        plan: Plan,
        call: &'static str,
        /// `None`: every step is done.
        unresolved: Option<usize>,
    }
    let rows = [
        Row {
            case: "a group created by an earlier step",
            plan: plan(group_chain("a", 0)),
            call: "CreateDataset",
            unresolved: None,
        },
        Row {
            case: "a group that the step it names did not create",
            plan: plan(vec![
                tag_group(),
                create_items("a", ArnRef::CreatedBy(0), vec![0]),
            ]),
            call: "CreateDataset",
            unresolved: Some(0),
        },
        Row {
            case: "a schema that the step it names did not create",
            plan: plan(vec![
                tag_group(),
                (Address::dataset("a", DatasetType::Items), update, vec![0]),
            ]),
            call: "UpdateDataset",
            unresolved: Some(0),
        },
    ];
    for row in rows {
        let fake = Fake::new(SETTLES_IN);
        let report = apply(&fake, &row.plan, 10).await;
        let called = fake.calls().iter().any(|(op, _)| *op == row.call);
        match row.unresolved {
            None => {
                assert!(report.succeeded(), "{}: {report:?}", row.case);
                assert!(called, "{}", row.case);
            }
            Some(step) => {
                let text = format!("step {step} produced no ARN");
                assert_eq!(failures(&report), vec![(1, text, None)], "{}", row.case);
                assert!(matches!(report.failed[0].1, StepFailure::NoArn { step: s } if s == step));
                assert!(!called, "{}: {} was called", row.case, row.call);
                assert_eq!(report.done, [0], "{}", row.case);
            }
        }
    }
}

/// Most units (groups) worked on at once: a unit is worked on from its first
/// call to its last, in call order.
fn most_units_at_once(calls: &[(&'static str, String)]) -> usize {
    let mut units: Vec<&String> = calls.iter().map(|(_, unit)| unit).collect();
    units.sort();
    units.dedup();
    let spans: Vec<(usize, usize)> = units
        .iter()
        .filter_map(|unit| {
            let first = calls.iter().position(|(_, u)| u == *unit)?;
            let last = calls.iter().rposition(|(_, u)| u == *unit)?;
            Some((first, last))
        })
        .collect();
    (0..calls.len())
        .map(|i| {
            spans
                .iter()
                .filter(|(first, last)| (*first..=*last).contains(&i))
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test(start_paused = true)]
async fn parallelism_bounds_the_groups_worked_on_at_once() {
    // Three groups, each created and then given a dataset.
    let steps = ["a", "b", "c"]
        .iter()
        .enumerate()
        .flat_map(|(i, g)| group_chain(g, 2 * i))
        .collect();
    let plan = plan(steps);
    // (parallelism, most groups at once)
    let rows = [(1, 1), (2, 2), (3, 3), (10, 3)];
    for (parallelism, most) in rows {
        let fake = Fake::new(SETTLES_IN);
        let report = apply(&fake, &plan, parallelism).await;
        assert!(report.succeeded(), "parallelism {parallelism}: {report:?}");
        let at_once = most_units_at_once(&fake.calls());
        assert_eq!(at_once, most, "parallelism {parallelism}");
    }
}

#[tokio::test(start_paused = true)]
async fn deletes_follow_what_the_plan_says_a_refusal_in_use_means() {
    struct Row {
        case: &'static str,
        op: Op,
        existing: Option<(Kind, &'static str, Status)>,
        fake: fn(Fake) -> Fake,
        /// `Err(code)`: the step failed with that AWS code.
        outcome: Result<(), &'static str>,
        delete_calls: usize,
    }
    let schema = arn(Kind::Schema, "items");
    let dataset = arn(Kind::Dataset, "a-items");
    let group = arn(Kind::DatasetGroup, "a");
    let rows = [
        Row {
            case: "a schema still in use is kept",
            op: Op::DeleteSchema { arn: schema },
            existing: Some((Kind::Schema, "items", Status::Active)),
            fake: |f| f.fault("items", Fault::Refused(IN_USE)),
            outcome: Ok(()),
            delete_calls: 1,
        },
        Row {
            case: "a dataset still in use fails with the code",
            op: Op::DeleteDataset {
                arn: dataset.clone(),
            },
            existing: Some((Kind::Dataset, "a-items", Status::Active)),
            fake: |f| f.fault("a-items", Fault::Refused(IN_USE)),
            outcome: Err(IN_USE),
            delete_calls: 1,
        },
        Row {
            case: "a dataset being deleted is only waited for",
            op: Op::DeleteDataset {
                arn: dataset.clone(),
            },
            existing: Some((Kind::Dataset, "a-items", Status::DeleteInProgress)),
            fake: no_fault,
            outcome: Ok(()),
            delete_calls: 0,
        },
        Row {
            case: "a dataset being created is deleted once it settles",
            op: Op::DeleteDataset {
                arn: dataset.clone(),
            },
            existing: Some((Kind::Dataset, "a-items", Status::CreateInProgress)),
            fake: no_fault,
            outcome: Ok(()),
            delete_calls: 1,
        },
        Row {
            case: "a delete refused because another apply just deleted it is done",
            op: Op::DeleteDataset {
                arn: dataset.clone(),
            },
            existing: Some((Kind::Dataset, "a-items", Status::Active)),
            fake: |f| f.fault("a-items", Fault::DeletedMeanwhile),
            outcome: Ok(()),
            delete_calls: 1,
        },
        Row {
            case: "a dataset already gone is done",
            op: Op::DeleteDataset { arn: dataset },
            existing: None,
            fake: no_fault,
            outcome: Ok(()),
            delete_calls: 0,
        },
        Row {
            case: "a group is deleted and waited for until gone",
            op: Op::DeleteDatasetGroup { arn: group },
            existing: Some((Kind::DatasetGroup, "a", Status::Active)),
            fake: no_fault,
            outcome: Ok(()),
            delete_calls: 1,
        },
    ];
    for row in rows {
        let mut fake = (row.fake)(Fake::new(SETTLES_IN));
        if let Some((kind, name, status)) = row.existing {
            fake = fake.existing(kind, name, status, Tags::new());
        }
        let plan = plan(vec![(Address::group("a"), row.op, Vec::new())]);
        let report = apply(&fake, &plan, 10).await;
        let codes: Vec<Option<&str>> = report.failed.iter().map(|(_, f)| f.code()).collect();
        match row.outcome {
            Ok(()) => assert!(report.succeeded(), "{}: {report:?}", row.case),
            Err(code) => assert_eq!(codes, [Some(code)], "{}", row.case),
        }
        let deletes = fake
            .calls()
            .iter()
            .filter(|(op, _)| *op == "Delete")
            .count();
        assert_eq!(deletes, row.delete_calls, "{}", row.case);
    }
}

/// How many calls of `operation` the fake saw.
fn count(fake: &Fake, operation: &str) -> usize {
    fake.calls()
        .iter()
        .filter(|(op, _)| *op == operation)
        .count()
}

#[tokio::test(start_paused = true)]
async fn a_schema_update_follows_latest_dataset_update_and_is_asked_for_once() {
    struct Row {
        case: &'static str,
        fake: fn(Fake) -> Fake,
        /// `Err(text)`: the step failed, its message containing `text`.
        outcome: Result<(), &'static str>,
        update_calls: usize,
    }
    let items = |f: Fake| f.existing_dataset("a-items", "schema/old", None);
    let rows = [
        Row {
            case: "updated, then waited for until the update is ACTIVE",
            fake: items,
            outcome: Ok(()),
            update_calls: 1,
        },
        Row {
            case: "a failed update is a failed step with Personalize's reason",
            fake: |f| {
                f.existing_dataset("a-items", "schema/old", None)
                    .fault("a-items", Fault::UpdateFails("PRICE must be nullable"))
            },
            outcome: Err("ended CREATE FAILED: PRICE must be nullable"),
            update_calls: 1,
        },
        Row {
            case: "an update an interrupted apply asked for is only waited for",
            fake: |f| f.existing_dataset("a-items", "schema/old", Some(NEW_SCHEMA)),
            outcome: Ok(()),
            update_calls: 0,
        },
        Row {
            case: "a dataset on the schema already is done",
            fake: |f| f.existing_dataset("a-items", NEW_SCHEMA, None),
            outcome: Ok(()),
            update_calls: 0,
        },
        Row {
            case: "refused while another update runs: asked again once it settled",
            fake: |f| f.existing_dataset("a-items", "schema/old", Some("schema/other")),
            outcome: Ok(()),
            update_calls: 2,
        },
    ];
    for row in rows {
        let fake = (row.fake)(Fake::new(SETTLES_IN));
        let op = Op::UpdateDataset {
            arn: arn(Kind::Dataset, "a-items"),
            schema: ArnRef::Known(NEW_SCHEMA.into()),
        };
        let address = Address::dataset("a", DatasetType::Items);
        let report = apply(&fake, &plan(vec![(address, op, Vec::new())]), 10).await;
        match row.outcome {
            Ok(()) => assert!(report.succeeded(), "{}: {report:?}", row.case),
            Err(text) => {
                let failed = failures(&report);
                assert!(
                    failed.len() == 1 && failed[0].1.contains(text),
                    "{}: {failed:?}",
                    row.case
                );
            }
        }
        assert_eq!(
            count(&fake, "UpdateDataset"),
            row.update_calls,
            "{}",
            row.case
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_solution_being_trained_is_deleted_once_its_training_is_stopped() {
    struct Row {
        case: &'static str,
        fake: fn(Fake) -> Fake,
        stops: usize,
    }
    let rows = [
        Row {
            case: "a version being trained is stopped, then the solution deleted",
            fake: |f| f.training("sims", "v2"),
            stops: 1,
        },
        Row {
            case: "each version being trained is stopped",
            fake: |f| f.training("sims", "v2").training("sims", "v3"),
            stops: 2,
        },
        Row {
            case: "with no training, the solution is deleted at once",
            fake: no_fault,
            stops: 0,
        },
    ];
    for row in rows {
        let fake = (row.fake)(Fake::new(SETTLES_IN));
        let fake = fake.existing(Kind::Solution, "sims", Status::Active, Tags::new());
        let op = Op::DeleteChild {
            kind: Kind::Solution,
            arn: arn(Kind::Solution, "sims"),
        };
        let address = Address::child(Kind::Solution, "a", "sims");
        let report = apply(&fake, &plan(vec![(address, op, Vec::new())]), 10).await;
        assert!(report.succeeded(), "{}: {report:?}", row.case);
        assert_eq!(
            count(&fake, "StopSolutionVersionCreation"),
            row.stops,
            "{}",
            row.case
        );
        let calls: Vec<&str> = fake.calls().iter().map(|(op, _)| *op).collect();
        let stopped_at = calls
            .iter()
            .rposition(|op| *op == "StopSolutionVersionCreation");
        let deleted_at = calls.iter().position(|op| *op == "Delete");
        assert!(stopped_at < deleted_at, "{}: {calls:?}", row.case);
        assert_eq!(
            count(&fake, "Delete"),
            1,
            "{}: refused once at most: {calls:?}",
            row.case
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_limit_is_retried_within_bounds_then_fails_its_chain_saying_what_to_do() {
    const LIMIT: &str = "LimitExceededException";
    let policy = ApplyOptions::default().limits;
    struct Row {
        case: &'static str,
        fake: fn(Fake) -> Fake,
        creates: u32,
        failed: bool,
    }
    let rows = [
        Row {
            case: "a limit that passes (a request rate) is retried until it does",
            fake: |f| f.fault("a", Fault::RefusedTimes(LIMIT, 3)),
            creates: 4,
            failed: false,
        },
        Row {
            case: "a limit that stays (a quota) fails after the policy's attempts",
            fake: |f| f.fault("a", Fault::Refused(LIMIT)),
            creates: policy.attempts,
            failed: true,
        },
    ];
    for row in rows {
        let fake = (row.fake)(Fake::new(SETTLES_IN));
        let started = tokio::time::Instant::now();
        let report = apply(&fake, &plan(group_chain("a", 0)), 10).await;
        let creates = count(&fake, "CreateDatasetGroup") as u32;
        assert_eq!(creates, row.creates, "{}", row.case);
        if !row.failed {
            assert!(report.succeeded(), "{}: {report:?}", row.case);
            continue;
        }
        assert!(
            started.elapsed() <= policy.total + SETTLES_IN,
            "{}: {:?}",
            row.case,
            started.elapsed()
        );
        let failed = failures(&report);
        assert_eq!(report.skipped, [1], "{}", row.case);
        let (_, text, code) = &failed[0];
        assert_eq!(code.as_deref(), Some(LIMIT), "{}", row.case);
        for says in ["attempts", "lower --parallelism", "Service Quotas"] {
            assert!(text.contains(says), "{}: {says:?} in {text}", row.case);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_child_created_again_is_taken_when_it_is_ours_and_refused_when_not() {
    let config = crate::live::ChildConfig::Filter {
        expression: "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)".into(),
    };
    let create = Op::CreateChild {
        name: "a-cheap".into(),
        group: ArnRef::Known(arn(Kind::DatasetGroup, "a")),
        config,
        tags: with_stack_tag(&Tags::new(), STACK),
    };
    let address = Address::child(Kind::Filter, "a", "cheap");
    let ours = with_stack_tag(&Tags::new(), STACK);
    let rows: [(&str, Option<Tags>, bool); 3] = [
        ("none there: created", None, true),
        (
            "ours, from an interrupted apply: waited for",
            Some(ours),
            true,
        ),
        (
            "someone else's of that name: refused",
            Some(Tags::new()),
            false,
        ),
    ];
    for (case, existing, succeeds) in rows {
        let mut fake = Fake::new(SETTLES_IN);
        if let Some(tags) = existing {
            fake = fake.existing(Kind::Filter, "a-cheap", Status::CreatePending, tags);
        }
        let report = apply(
            &fake,
            &plan(vec![(address.clone(), create.clone(), vec![])]),
            10,
        )
        .await;
        assert_eq!(report.succeeded(), succeeds, "{case}: {report:?}");
        if !succeeds {
            assert!(
                matches!(&report.failed[0].1, StepFailure::UnexpectedChild { kind: Kind::Filter, existing } if existing == "a-cheap"),
                "{case}: {report:?}"
            );
            assert_eq!(count(&fake, "Describe"), 0, "{case}: not waited for");
        } else {
            assert!(count(&fake, "Describe") > 0, "{case}: waited until ACTIVE");
        }
    }
}
