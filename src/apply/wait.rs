//! Waiting for Personalize: pure predicates over what Describe returns, and
//! one poll loop. The caller owns the deadline.

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use tokio::time::Instant;

use crate::live::{LiveError, LiveStatus};
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

/// How often to poll: the interval grows with the time already waited, so a
/// resource that takes seconds is noticed within a fraction of a second and
/// one that takes minutes is polled a few dozen times, not hundreds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollPolicy {
    pub min_interval: Duration,
    pub max_interval: Duration,
    /// Interval as a fraction of the time waited so far.
    pub growth: f64,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            min_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
            growth: 0.2,
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

/// Polls `probe` until `verdict` says done or failed, `deadline` passes, or
/// `stop` turns true. `on_status` hears each new pending status.
pub async fn poll<P, Fut>(
    policy: PollPolicy,
    deadline: Instant,
    stop: &tokio::sync::watch::Receiver<bool>,
    mut probe: P,
    verdict: fn(Option<&LiveStatus>) -> Verdict,
    mut on_status: impl FnMut(&str),
) -> Result<(), WaitError>
where
    P: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<LiveStatus>, LiveError>>,
{
    let start = Instant::now();
    let mut last = String::new();
    loop {
        let status = probe().await.map_err(WaitError::Probe)?;
        match verdict(status.as_ref()) {
            Verdict::Done => return Ok(()),
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
        let pause = policy.interval(now - start).min(deadline - now);
        let mut stop = stop.clone();
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = stop.wait_for(|s| *s) => return Err(WaitError::Interrupted),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(status: &str) -> Option<LiveStatus> {
        Some(LiveStatus {
            status: Status::parse(status),
            failure_reason: Some("bad role".into()),
        })
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
    fn interval_grows_with_elapsed_time_within_bounds() {
        let p = PollPolicy {
            min_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(10),
            growth: 0.25,
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
        let p = PollPolicy::default();
        let (n, t) = polls_until(&p, Duration::from_secs(5));
        assert!(n <= 13, "{n} polls for 5s");
        assert!(t.as_secs_f64() <= 5.0 * 1.2, "noticed at {t:?}");
        let (n, _) = polls_until(&p, Duration::from_secs(600));
        assert!(n <= 45, "{n} polls for 10 minutes");
    }
}
