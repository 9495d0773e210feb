//! `UpdateDataset`: followed through `latestDatasetUpdate`, asked for once.

use super::*;

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
