//! Deletes: what a refusal in use means, and a solution's training stopped first.

use super::*;

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

#[tokio::test(start_paused = true)]
async fn a_solution_being_trained_is_deleted_once_its_training_is_stopped() {
    struct Row {
        case: &'static str,
        fake: fn(Fake) -> Fake,
        stops: usize,
        stop_first: bool,
    }
    // `stop_first`: the plan's StopTraining step comes first; without it
    // (a training begun after it), DeleteSolution is refused once.
    let rows = [
        Row {
            case: "a version being trained is stopped, then the solution deleted",
            fake: |f| f.training("sims", "v2"),
            stops: 1,
            stop_first: true,
        },
        Row {
            case: "each version being trained is stopped",
            fake: |f| f.training("sims", "v2").training("sims", "v3"),
            stops: 2,
            stop_first: true,
        },
        Row {
            case: "with no training, the solution is deleted at once",
            fake: no_fault,
            stops: 0,
            stop_first: true,
        },
        Row {
            case: "a training begun after the stop step: refused, stopped, deleted",
            fake: |f| f.training("sims", "v2"),
            stops: 1,
            stop_first: false,
        },
    ];
    for row in rows {
        let fake = (row.fake)(Fake::new(SETTLES_IN));
        let fake = fake.existing(Kind::Solution, "sims", Status::Active, Tags::new());
        let solution = arn(Kind::Solution, "sims");
        let delete = Op::DeleteChild {
            kind: Kind::Solution,
            arn: solution.clone(),
        };
        let address = Address::child(Kind::Solution, "a", "sims");
        let steps = if row.stop_first {
            vec![
                (address.clone(), Op::StopTraining { arn: solution }, vec![]),
                (address, delete, vec![0]),
            ]
        } else {
            vec![(address, delete, Vec::new())]
        };
        let report = apply(&fake, &plan(steps), 10).await;
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
        let deleted_at = calls.iter().rposition(|op| *op == "Delete");
        assert!(stopped_at < deleted_at, "{}: {calls:?}", row.case);
        let refused = usize::from(!row.stop_first && row.stops > 0);
        assert_eq!(
            count(&fake, "Delete"),
            1 + refused,
            "{}: {calls:?}",
            row.case
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_delete_the_plan_saw_settled_is_asked_for_without_a_look_first() {
    let dataset = arn(Kind::Dataset, "a-items");
    let op = Op::DeleteDataset {
        arn: dataset.clone(),
    };
    // (what the plan saw, the calls before the delete)
    let rows = [
        (Some(Status::Active), 0),
        (Some(Status::CreateInProgress), 1),
        (None, 1),
    ];
    for (seen, looks) in rows {
        let fake =
            Fake::new(SETTLES_IN).existing(Kind::Dataset, "a-items", Status::Active, Tags::new());
        let mut plan = plan(vec![(Address::group("a"), op.clone(), Vec::new())]);
        plan.observed.push(Observed {
            address: Address::dataset("a", DatasetType::Items),
            name: None,
            arn: Some(dataset.clone()),
            status: seen.clone(),
            last_updated: None,
            tags: None,
        });
        let report = apply(&fake, &plan, 10).await;
        assert!(report.succeeded(), "seen {seen:?}: {report:?}");
        let calls = fake.calls();
        let before = calls.iter().position(|(op, _)| *op == "Delete");
        assert_eq!(before, Some(looks), "seen {seen:?}: {calls:?}");
    }
}
