//! A limit the request path gave up on, and a create found done by an
//! earlier run.

use super::*;

/// Retrying a limit is the request path's (`live::LimitRetry`): the step
/// fails with what it answered, keeping the AWS error code.
#[tokio::test(start_paused = true)]
async fn a_limit_that_stays_fails_its_chain_saying_what_to_do() {
    let fake = Fake::new(SETTLES_IN).fault("a", Fault::LimitStays);
    let report = apply(&fake, &plan(group_chain("a", 0)), 10).await;
    assert_eq!(count(&fake, "CreateDatasetGroup"), 1, "not retried here");
    assert_eq!(report.skipped, [1]);
    let failed = failures(&report);
    let (_, text, code) = &failed[0];
    assert_eq!(code.as_deref(), Some("LimitExceededException"));
    for says in ["attempts", "lower --parallelism", "Service Quotas"] {
        assert!(text.contains(says), "{says:?} in {text}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_child_created_again_is_taken_when_it_is_ours_and_refused_when_not() {
    let config = crate::state::ChildConfig::Filter {
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
