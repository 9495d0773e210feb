//! Limits retried within bounds, and a create found done by an earlier run.

use super::*;

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
        parent: ArnRef::Known(arn(Kind::DatasetGroup, "a")),
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
