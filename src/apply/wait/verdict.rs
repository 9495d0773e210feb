//! What a wait concludes from one Describe: pure predicates (ACTIVE, gone,
//! settled, a dataset's or a serving kind's latest update, a recommender's
//! state, no version training) and where a dataset stands before an update.

use crate::live::{LiveStatus, SolutionVersion};
use crate::resource::Status;
use crate::state::DatasetUpdate;

/// What a predicate concludes from one Describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Done,
    Pending(String),
    Failed(String),
}

/// Created or updated and usable. A missing resource right after its create
/// is pending: reads may lag writes.
pub fn active(status: Option<&LiveStatus>) -> Verdict {
    match status {
        None => Verdict::Pending("not visible yet".into()),
        Some(s) if s.status == Status::Active => Verdict::Done,
        Some(s) if s.status.is_failed() => failed(s),
        Some(s) => Verdict::Pending(s.status.to_string()),
    }
}

/// A failed status, with the reason Personalize gave.
fn failed(s: &LiveStatus) -> Verdict {
    let reason = s.failure_reason.as_deref();
    Verdict::Failed(format!(
        "{}: {}",
        s.status,
        reason.unwrap_or("no failure reason given")
    ))
}

/// Deleted.
pub fn gone(status: Option<&LiveStatus>) -> Verdict {
    match status {
        None => Verdict::Done,
        Some(s) if s.status == Status::DeleteFailed => failed(s),
        Some(s) => Verdict::Pending(s.status.to_string()),
    }
}

/// Not being created or updated, so a delete is accepted: ACTIVE, failed,
/// already being deleted, or gone.
pub fn settled(status: Option<&LiveStatus>) -> Verdict {
    match status {
        Some(s) if s.status.is_settling() => Verdict::Pending(s.status.to_string()),
        _ => Verdict::Done,
    }
}

/// Moved to schema `target` by `UpdateDataset`, which runs asynchronously
/// (dataset `UPDATE PENDING` > `UPDATE IN_PROGRESS` > `ACTIVE`) and reports
/// in `latestDatasetUpdate`: a failed update leaves the dataset ACTIVE on its
/// old schema, the failure only there
/// (https://docs.aws.amazon.com/personalize/latest/dg/API_DatasetUpdateSummary.html).
pub fn updated_to(target: &str, status: Option<&LiveStatus>) -> Verdict {
    let Some(s) = status else {
        return Verdict::Failed("the dataset no longer exists".into());
    };
    let update = latest_update_to(target, s);
    match update {
        Some(u) if u.status.is_failed() => {
            let reason = u.failure_reason.as_deref();
            return Verdict::Failed(format!(
                "the update to schema {target} ended {}: {}",
                u.status,
                reason.unwrap_or("no failure reason given")
            ));
        }
        _ if s.status.is_failed() => return failed(s),
        _ if s.status.is_settling() => return Verdict::Pending(s.status.to_string()),
        _ => {}
    }
    let has_target = s.schema.as_ref().is_some_and(|d| d.schema_arn == target);
    match update {
        _ if has_target && s.status == Status::Active => Verdict::Done,
        Some(u) if u.status == Status::Active && s.status == Status::Active => Verdict::Done,
        Some(u) => Verdict::Pending(format!("update {}", u.status)),
        // Reads may lag the call.
        None => Verdict::Pending("update not visible yet".into()),
    }
}

/// The dataset's latest update, if it is to `target`.
fn latest_update_to<'a>(target: &str, s: &'a LiveStatus) -> Option<&'a DatasetUpdate> {
    let schema = s.schema.as_ref()?;
    schema
        .latest_update
        .as_ref()
        .filter(|u| u.schema_arn == target)
}

/// No version of a solution is being created (trained) or being stopped:
/// Personalize refuses `DeleteSolution` until then
/// (https://docs.aws.amazon.com/personalize/latest/dg/API_DeleteSolution.html).
pub fn no_training(versions: &[SolutionVersion]) -> Verdict {
    match versions.iter().find(|v| v.status.is_settling()) {
        Some(v) => Verdict::Pending(format!("solution version {}", v.status)),
        None => Verdict::Done,
    }
}

/// Neither the resource nor its latest update is in progress, so
/// UpdateRecommender, UpdateSolution or UpdateCampaign is accepted
/// (each refuses a resource whose previous update still runs).
pub fn no_update_running(status: Option<&LiveStatus>) -> Verdict {
    match status {
        Some(s) if s.status.is_settling() => Verdict::Pending(s.status.to_string()),
        Some(LiveStatus {
            update: Some(u), ..
        }) if u.status.is_settling() => Verdict::Pending(format!("update {}", u.status)),
        _ => Verdict::Done,
    }
}

/// A recommender's, solution's or campaign's update has taken effect:
/// its `latest<Kind>Update` is ACTIVE. It keeps its previous settings
/// until then, and a failed update shows only there
/// (https://docs.aws.amazon.com/personalize/latest/dg/API_UpdateCampaign.html,
/// API_UpdateRecommender.html, API_SolutionUpdateSummary.html).
pub fn update_done(status: Option<&LiveStatus>) -> Verdict {
    let Some(s) = status else {
        return Verdict::Failed("it no longer exists".into());
    };
    match &s.update {
        Some(u) if u.status == Status::Active => Verdict::Done,
        Some(u) if u.status.is_failed() => Verdict::Failed(format!(
            "the update ended {}: {}",
            u.status,
            u.failure_reason
                .as_deref()
                .unwrap_or("no failure reason given")
        )),
        Some(u) => Verdict::Pending(format!("update {}", u.status)),
        // Reads may lag the call.
        None => Verdict::Pending("update not visible yet".into()),
    }
}

/// A recommender serving (`running`: ACTIVE) or stopped (INACTIVE), after
/// StartRecommender or StopRecommender
/// (https://docs.aws.amazon.com/personalize/latest/dg/API_StopRecommender.html).
pub fn recommender_in(running: bool, status: Option<&LiveStatus>) -> Verdict {
    let target = if running {
        Status::Active
    } else {
        Status::Inactive
    };
    match status {
        None => Verdict::Failed("the recommender no longer exists".into()),
        Some(s) if s.status == target => Verdict::Done,
        Some(s) if s.status.is_failed() => failed(s),
        Some(s) => Verdict::Pending(s.status.to_string()),
    }
}

/// What a dataset needs before it is on schema `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateNeed {
    /// It is on `target` already.
    Nothing,
    /// An update to `target` is running (an interrupted apply started it):
    /// wait for it.
    Wait,
    /// `UpdateDataset` to `target`.
    Call,
}

/// Where a dataset stands before `UpdateDataset` to `target`, so a step run
/// again after an interruption never asks twice for the same update.
pub fn update_need(target: &str, status: Option<&LiveStatus>) -> UpdateNeed {
    let Some(s) = status else {
        return UpdateNeed::Call; // its refusal names what is wrong
    };
    let running = |u: &DatasetUpdate| !u.status.is_failed() && u.status != Status::Active;
    match latest_update_to(target, s) {
        Some(u) if running(u) || (s.status.is_settling() && !u.status.is_failed()) => {
            UpdateNeed::Wait
        }
        _ if updated_to(target, status) == Verdict::Done => UpdateNeed::Nothing,
        _ => UpdateNeed::Call,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn s(status: &str) -> Option<LiveStatus> {
        Some(LiveStatus {
            failure_reason: Some("bad role".into()),
            ..LiveStatus::of(Status::parse(status))
        })
    }

    const OLD: &str = "arn:schema/old";
    const NEW: &str = "arn:schema/new";

    /// A dataset in `status` on `schema`, its latest update to `update` in
    /// `update_status` (`None`: no update).
    fn dataset(status: &str, schema: &str, update: Option<(&str, &str)>) -> Option<LiveStatus> {
        let latest_update = update.map(|(schema, status)| DatasetUpdate {
            schema_arn: schema.into(),
            status: Status::parse(status),
            failure_reason: Some("field PRICE: bad type".into()),
        });
        Some(LiveStatus {
            schema: Some(crate::live::DatasetSchema {
                schema_arn: schema.into(),
                latest_update,
            }),
            ..LiveStatus::of(Status::parse(status))
        })
    }

    #[test]
    fn an_update_is_followed_through_latest_dataset_update() {
        let rows = [
            // (dataset status, its schema, latest update, verdict)
            (
                "UPDATE PENDING",
                OLD,
                Some((NEW, "UPDATE PENDING")),
                Verdict::Pending("UPDATE PENDING".into()),
            ),
            (
                "UPDATE IN_PROGRESS",
                OLD,
                Some((NEW, "UPDATE IN_PROGRESS")),
                Verdict::Pending("UPDATE IN_PROGRESS".into()),
            ),
            ("ACTIVE", NEW, Some((NEW, "ACTIVE")), Verdict::Done),
            // The schema ARN lagging the finished update is still done.
            ("ACTIVE", OLD, Some((NEW, "ACTIVE")), Verdict::Done),
            // No update recorded (an older service), but on the target.
            ("ACTIVE", NEW, None, Verdict::Done),
            (
                "ACTIVE",
                OLD,
                Some((NEW, "CREATE FAILED")),
                Verdict::Failed(format!(
                    "the update to schema {NEW} ended CREATE FAILED: field PRICE: bad type"
                )),
            ),
            // The update call not visible yet in the read.
            (
                "ACTIVE",
                OLD,
                None,
                Verdict::Pending("update not visible yet".into()),
            ),
            // The latest update is to another schema: this one not visible yet.
            (
                "ACTIVE",
                OLD,
                Some((OLD, "ACTIVE")),
                Verdict::Pending("update not visible yet".into()),
            ),
        ];
        for (status, schema, update, verdict) in rows {
            let got = updated_to(NEW, dataset(status, schema, update).as_ref());
            assert_eq!(got, verdict, "{status} on {schema}, update {update:?}");
        }
        assert!(matches!(updated_to(NEW, None), Verdict::Failed(_)));
    }

    #[test]
    fn an_update_is_asked_for_once() {
        let rows = [
            ("ACTIVE", NEW, Some((NEW, "ACTIVE")), UpdateNeed::Nothing),
            ("ACTIVE", NEW, None, UpdateNeed::Nothing),
            // An interrupted apply's update, still running: wait for it.
            (
                "UPDATE IN_PROGRESS",
                OLD,
                Some((NEW, "UPDATE IN_PROGRESS")),
                UpdateNeed::Wait,
            ),
            (
                "UPDATE PENDING",
                OLD,
                Some((NEW, "UPDATE PENDING")),
                UpdateNeed::Wait,
            ),
            // A failed update is asked for again.
            (
                "ACTIVE",
                OLD,
                Some((NEW, "CREATE FAILED")),
                UpdateNeed::Call,
            ),
            ("ACTIVE", OLD, None, UpdateNeed::Call),
            // Another update running: the call is refused in use, then waited out.
            (
                "UPDATE IN_PROGRESS",
                OLD,
                Some((OLD, "UPDATE IN_PROGRESS")),
                UpdateNeed::Call,
            ),
        ];
        for (status, schema, update, need) in rows {
            let got = update_need(NEW, dataset(status, schema, update).as_ref());
            assert_eq!(got, need, "{status} on {schema}, update {update:?}");
        }
    }

    fn updated(status: &str, update: Option<&str>) -> Option<LiveStatus> {
        Some(LiveStatus {
            update: update.map(|u| crate::live::LatestUpdate {
                status: Status::parse(u),
                failure_reason: Some("bad config".into()),
            }),
            ..LiveStatus::of(Status::parse(status))
        })
    }

    #[test]
    fn serving_updates_are_followed_through_their_latest_update() {
        let rows = [
            (
                "ACTIVE",
                Some("CREATE PENDING"),
                Verdict::Pending("update CREATE PENDING".into()),
            ),
            (
                "ACTIVE",
                Some("CREATE IN_PROGRESS"),
                Verdict::Pending("update CREATE IN_PROGRESS".into()),
            ),
            ("ACTIVE", Some("ACTIVE"), Verdict::Done),
            (
                "ACTIVE",
                None,
                Verdict::Pending("update not visible yet".into()),
            ),
            (
                "ACTIVE",
                Some("CREATE FAILED"),
                Verdict::Failed("the update ended CREATE FAILED: bad config".into()),
            ),
        ];
        for (status, update, verdict) in rows {
            assert_eq!(
                update_done(updated(status, update).as_ref()),
                verdict,
                "{update:?}"
            );
        }
        assert!(matches!(update_done(None), Verdict::Failed(_)));
        let busy = updated("ACTIVE", Some("CREATE IN_PROGRESS"));
        assert_eq!(
            no_update_running(busy.as_ref()),
            Verdict::Pending("update CREATE IN_PROGRESS".into())
        );
        assert_eq!(
            no_update_running(updated("ACTIVE", Some("ACTIVE")).as_ref()),
            Verdict::Done
        );
        assert_eq!(
            no_update_running(updated("CREATE PENDING", None).as_ref()),
            Verdict::Pending("CREATE PENDING".into())
        );
    }

    #[test]
    fn a_recommender_stops_and_starts_through_its_states() {
        let rows = [
            (
                false,
                "STOP PENDING",
                Verdict::Pending("STOP PENDING".into()),
            ),
            (
                false,
                "STOP IN_PROGRESS",
                Verdict::Pending("STOP IN_PROGRESS".into()),
            ),
            (false, "INACTIVE", Verdict::Done),
            (
                true,
                "START IN_PROGRESS",
                Verdict::Pending("START IN_PROGRESS".into()),
            ),
            (true, "ACTIVE", Verdict::Done),
            (true, "INACTIVE", Verdict::Pending("INACTIVE".into())),
        ];
        for (running, status, verdict) in rows {
            assert_eq!(
                recommender_in(running, s(status).as_ref()),
                verdict,
                "{status}"
            );
        }
    }

    #[test]
    fn predicates() {
        assert_eq!(active(s("ACTIVE").as_ref()), Verdict::Done);
        assert_eq!(
            active(s("CREATE IN_PROGRESS").as_ref()),
            Verdict::Pending("CREATE IN_PROGRESS".into())
        );
        assert_eq!(
            active(s("CREATE FAILED").as_ref()),
            Verdict::Failed("CREATE FAILED: bad role".into())
        );
        assert!(matches!(active(None), Verdict::Pending(_)));
        assert_eq!(gone(None), Verdict::Done);
        assert_eq!(
            settled(s("CREATE IN_PROGRESS").as_ref()),
            Verdict::Pending("CREATE IN_PROGRESS".into())
        );
        assert_eq!(
            settled(s("UPDATE PENDING").as_ref()),
            Verdict::Pending("UPDATE PENDING".into())
        );
        for done in [
            "ACTIVE",
            "CREATE FAILED",
            "DELETE PENDING",
            "DELETE IN_PROGRESS",
        ] {
            assert_eq!(settled(s(done).as_ref()), Verdict::Done, "{done}");
        }
        assert_eq!(settled(None), Verdict::Done);
        assert_eq!(
            gone(s("DELETE PENDING").as_ref()),
            Verdict::Pending("DELETE PENDING".into())
        );
    }

    #[test]
    fn a_solution_is_deletable_once_no_version_trains() {
        let v = |status: &str| SolutionVersion {
            failure_reason: None,
            arn: "arn:solution-version".into(),
            status: Status::parse(status),
            created: 0.0,
        };
        assert_eq!(no_training(&[]), Verdict::Done);
        assert_eq!(
            no_training(&[v("ACTIVE"), v("CREATE FAILED")]),
            Verdict::Done
        );
        assert_eq!(
            no_training(&[v("ACTIVE"), v("CREATE IN_PROGRESS")]),
            Verdict::Pending("solution version CREATE IN_PROGRESS".into())
        );
        assert_eq!(
            no_training(&[v("CREATE PENDING")]),
            Verdict::Pending("solution version CREATE PENDING".into())
        );
        assert_eq!(
            no_training(&[v("CREATE STOPPING")]),
            Verdict::Pending("solution version CREATE STOPPING".into())
        );
        assert_eq!(no_training(&[v("CREATE STOPPED")]), Verdict::Done);
    }
}
