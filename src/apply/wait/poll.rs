//! The one poll loop: a schedule of pauses growing with the time waited,
//! siblings of one apply hearing each other end, the caller's deadline.

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use tokio::sync::broadcast;
use tokio::time::Instant;

use super::Verdict;
use crate::live::LiveError;

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

/// Where the waits of one run (one apply) tell that they ended, so that
/// siblings poll at once (see [`poll`]). The run owns it and hands it to
/// each wait: waits of another run never hear each other.
#[derive(Debug, Clone)]
pub struct Siblings(broadcast::Sender<Ended>);

impl Default for Siblings {
    fn default() -> Siblings {
        Siblings(broadcast::channel(256).0)
    }
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
    siblings: &Siblings,
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
    let mut heard = siblings.0.subscribe();
    let mut last = String::new();
    let mut schedule = policy.schedule();
    loop {
        let seen = probe().await.map_err(WaitError::Probe)?;
        let polled = Instant::now();
        match verdict(&seen) {
            Verdict::Done => {
                // Only a wait that waited tells: one done at once says
                // nothing of how long its siblings take.
                if !last.is_empty() {
                    let _ = siblings.0.send((start, start.elapsed()));
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
                sibling_ended(&mut heard, start).await;
                tokio::time::sleep_until(earliest).await;
            } => {}
            _ = stop.wait_for(|s| *s) => return Err(WaitError::Interrupted),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    async fn wait_ready_after(
        policy: PollPolicy,
        siblings: &Siblings,
        ready: Duration,
    ) -> Duration {
        let start = Instant::now();
        let (_tx, stop) = tokio::sync::watch::channel(false);
        let deadline = start + Duration::from_secs(3600);
        let probe = || async move { Ok::<_, LiveError>(start.elapsed() >= ready) };
        let verdict = |done: &bool| match done {
            true => Verdict::Done,
            false => Verdict::Pending("CREATE IN_PROGRESS".into()),
        };
        poll(policy, siblings, deadline, &stop, probe, verdict, |_| {})
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
        let siblings = Siblings::default();
        let (a, b) = tokio::join!(
            wait_ready_after(fine, &siblings, ready),
            wait_ready_after(coarse, &siblings, ready)
        );
        assert!(a < ready + Duration::from_millis(20), "{a:?}");
        // Alone, the coarse wait would poll at 0, 0.01 s, 1 s, then 6 s.
        assert!(b < ready + Duration::from_millis(20), "{b:?}");
    }
}
