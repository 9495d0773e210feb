//! Waiting for Personalize: pure predicates over what Describe returns, and
//! one poll loop. The caller owns the deadline.

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use tokio::sync::broadcast;
use tokio::time::Instant;

use crate::live::{DatasetUpdate, LiveError, LiveStatus, SolutionVersion};
use crate::resource::Status;

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

/// How often to poll: the interval grows with the time already waited, so a
/// resource that takes seconds is polled a few times and one that takes a
/// minute about fourteen (0.6 of the time waited: 0.3 s, 0.6 s, 0.96 s,
/// 1.5 s, ... with the CLI's 300 ms floor), noticing a lone resource about
/// a quarter of its time late on average. The lateness that growth costs is won
/// back where it matters, in batches: waits begun together end together
/// (see `poll`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollPolicy {
    pub min_interval: Duration,
    pub max_interval: Duration,
    /// Interval as a fraction of the time waited so far.
    pub growth: f64,
    /// Whether each wait's first pause is a random share of its own (see
    /// [`PollPolicy::schedule`]); off, every wait polls on the same
    /// schedule (the scheduler's table tests, for determinism).
    pub phased: bool,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            min_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
            growth: 0.6,
            phased: true,
        }
    }
}

impl PollPolicy {
    /// The pause after having waited `elapsed`, with ±10% jitter so parallel
    /// waits do not poll in lock step.
    pub fn interval(&self, elapsed: Duration) -> Duration {
        let base = elapsed
            .mul_f64(self.growth)
            .clamp(self.min_interval, self.max_interval);
        base.mul_f64(rand::thread_rng().gen_range(0.9..1.1))
    }

    /// The pauses of one wait: [`PollPolicy::interval`]s, the first a
    /// random share of its own, so that waits begun together poll at
    /// different phases of the schedule and one of them polls soon after any
    /// moment (see [`poll`]).
    pub fn schedule(self) -> Schedule {
        Schedule {
            policy: self,
            phase: match self.phased {
                true => rand::thread_rng().gen_range(0.1..1.0),
                false => 1.0,
            },
        }
    }
}

/// The pauses of one wait (see [`PollPolicy::schedule`]).
#[derive(Debug, Clone)]
pub struct Schedule {
    policy: PollPolicy,
    phase: f64,
}

impl Schedule {
    /// The pause after having waited `elapsed`.
    pub fn pause(&mut self, elapsed: Duration) -> Duration {
        let share = std::mem::replace(&mut self.phase, 1.0);
        self.policy.interval(elapsed).mul_f64(share)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    #[error("{0}")]
    Failed(String),
    #[error("timed out after {:.1}s (last status: {last})", .waited.as_secs_f64())]
    TimedOut { waited: Duration, last: String },
    #[error("interrupted")]
    Interrupted,
    /// Reading the status failed; the error keeps Personalize's code.
    #[error(transparent)]
    Probe(LiveError),
}

/// A wait that ended: when it began and how long it took.
type Ended = (Instant, Duration);

tokio::task_local! {
    /// Where the waits of one run (see [`with_siblings`]) tell that they ended.
    static ENDINGS: broadcast::Sender<Ended>;
}

/// Runs `run` (one apply) with its waits hearing when one of them ends, so
/// that siblings poll at once (see [`poll`]). The channel belongs to the run:
/// waits outside one, or of another run, never hear each other.
pub async fn with_siblings<F: Future>(run: F) -> F::Output {
    ENDINGS.scope(broadcast::channel(256).0, run).await
}

/// Whether a wait begun at `began` and running `elapsed` is a sibling of
/// one that began at `their_start` and ended after `took`: begun about
/// together (Personalize provisions a batch of the same kind in about the
/// same time), and waiting about as long already.
fn sibling(began: Instant, elapsed: Duration, (their_start, took): Ended) -> bool {
    let apart = if began > their_start {
        began - their_start
    } else {
        their_start - began
    };
    apart <= took / 10 + Duration::from_millis(100) && elapsed >= took.mul_f64(0.9)
}

/// Resolves when a sibling wait ends (see [`sibling`]).
async fn sibling_ended(endings: &mut broadcast::Receiver<Ended>, began: Instant) {
    loop {
        match endings.recv().await {
            Ok(ended) if sibling(began, began.elapsed(), ended) => return,
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
            _ => {}
        }
    }
}

/// Polls `probe` until `verdict` says done or failed, `deadline` passes, or
/// `stop` turns true. `on_status` hears each new pending status. When a
/// sibling wait ends (begun about together, as long ago), it polls at once
/// rather than at its next turn: of a batch, the first to notice tells the
/// rest, so the batch is seen done within moments of being done.
pub async fn poll<T, P, Fut>(
    policy: PollPolicy,
    deadline: Instant,
    stop: &tokio::sync::watch::Receiver<bool>,
    mut probe: P,
    verdict: impl Fn(&T) -> Verdict,
    mut on_status: impl FnMut(&str),
) -> Result<(), WaitError>
where
    P: FnMut() -> Fut,
    Fut: Future<Output = Result<T, LiveError>>,
{
    let start = Instant::now();
    let endings = ENDINGS.try_with(Clone::clone).ok();
    let mut heard = endings.as_ref().map(broadcast::Sender::subscribe);
    let mut last = String::new();
    let mut schedule = policy.schedule();
    loop {
        let seen = probe().await.map_err(WaitError::Probe)?;
        let polled = Instant::now();
        match verdict(&seen) {
            Verdict::Done => {
                // Only a wait that waited tells: one done at once says
                // nothing of how long its siblings take.
                if let (false, Some(endings)) = (last.is_empty(), &endings) {
                    let _ = endings.send((start, start.elapsed()));
                }
                return Ok(());
            }
            Verdict::Failed(why) => return Err(WaitError::Failed(why)),
            Verdict::Pending(s) => {
                if s != last {
                    on_status(&s);
                    last = s;
                }
            }
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(WaitError::TimedOut {
                waited: now - start,
                last,
            });
        }
        let pause = schedule.pause(now - start).min(deadline - now);
        // A sibling's end is heard within moments (a poll a floor interval
        // later would be that late on every stage of a chain), yet a wait
        // polls at most ten times a floor interval however many end.
        let earliest = polled + (policy.min_interval / 10).min(pause);
        let mut stop = stop.clone();
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = async {
                match &mut heard {
                    Some(heard) => sibling_ended(heard, start).await,
                    None => std::future::pending().await,
                }
                tokio::time::sleep_until(earliest).await;
            } => {}
            _ = stop.wait_for(|s| *s) => return Err(WaitError::Interrupted),
        }
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

    #[test]
    fn interval_grows_with_elapsed_time_within_bounds() {
        let p = PollPolicy {
            min_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(10),
            growth: 0.25,
            phased: true,
        };
        assert!(p.interval(Duration::ZERO) >= Duration::from_millis(90));
        assert!(p.interval(Duration::ZERO) <= Duration::from_millis(110));
        let at_20s = p.interval(Duration::from_secs(20));
        assert!(at_20s >= Duration::from_millis(4500) && at_20s <= Duration::from_millis(5500));
        assert!(p.interval(Duration::from_secs(3600)) <= Duration::from_secs(11));
    }

    /// Polls needed for a resource ready after `ready` when the loop polls at
    /// 0 and then after each interval (jitter-free midpoint).
    fn polls_until(p: &PollPolicy, ready: Duration) -> (usize, Duration) {
        let (mut t, mut n) = (Duration::ZERO, 0);
        loop {
            n += 1;
            if t >= ready {
                return (n, t);
            }
            t += (t.mul_f64(p.growth)).clamp(p.min_interval, p.max_interval);
        }
    }

    #[test]
    fn poll_counts_and_overshoot_stay_small() {
        // The CLI's floor (`--poll-interval`, 300ms): the goals are at most
        // 10 Describe calls for a resource ready in 3 s, 15 in 60 s.
        let p = PollPolicy {
            min_interval: Duration::from_millis(300),
            ..PollPolicy::default()
        };
        let (n, t) = polls_until(&p, Duration::from_secs(3));
        assert!(n <= 10, "{n} polls for 3s");
        assert!(t.as_secs_f64() <= 3.0 * 1.55, "noticed at {t:?}");
        let (n, t) = polls_until(&p, Duration::from_secs(60));
        assert!(n <= 15, "{n} polls for 60s");
        assert!(t.as_secs_f64() <= 60.0 * 1.55, "noticed at {t:?}");
        let (n, _) = polls_until(&p, Duration::from_secs(600));
        assert!(n <= 35, "{n} polls for 10 minutes");
    }

    /// A wait ready after `ready`, polled under `policy`: when it saw done.
    async fn wait_ready_after(policy: PollPolicy, ready: Duration) -> Duration {
        let start = Instant::now();
        let (_tx, stop) = tokio::sync::watch::channel(false);
        let deadline = start + Duration::from_secs(3600);
        let probe = || async move { Ok::<_, LiveError>(start.elapsed() >= ready) };
        let verdict = |done: &bool| match done {
            true => Verdict::Done,
            false => Verdict::Pending("CREATE IN_PROGRESS".into()),
        };
        poll(policy, deadline, &stop, probe, verdict, |_| {})
            .await
            .expect("done");
        start.elapsed()
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_begun_with_another_ends_when_the_other_notices_done() {
        let fine = PollPolicy {
            min_interval: Duration::from_millis(10),
            max_interval: Duration::from_millis(10),
            growth: 0.0,
            phased: true,
        };
        let coarse = PollPolicy {
            max_interval: Duration::from_secs(5),
            growth: 100.0,
            ..fine
        };
        let ready = Duration::from_secs(3);
        let (a, b) = with_siblings(async {
            tokio::join!(
                wait_ready_after(fine, ready),
                wait_ready_after(coarse, ready)
            )
        })
        .await;
        assert!(a < ready + Duration::from_millis(20), "{a:?}");
        // Alone, the coarse wait would poll at 0, 0.01 s, 1 s, then 6 s.
        assert!(b < ready + Duration::from_millis(20), "{b:?}");
    }
}
