//! Chains, stops and parallelism: what runs, what is skipped, what never starts.

use super::*;

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
