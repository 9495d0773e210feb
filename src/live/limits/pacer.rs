//! The request pace of one run: learnt from "Rate exceeded" bursts, raised
//! while calls pass, capped by `--max-rps` (see the module above for when
//! it is consulted).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The request pace of one run, learnt from refusals.
#[derive(Debug)]
pub struct Pacer {
    state: Mutex<Pace>,
}

/// The window over which Personalize's rate is counted: a limit is in
/// requests per second (https://docs.aws.amazon.com/personalize/latest/dg/limits.html).
pub(super) const WINDOW: Duration = Duration::from_secs(1);
/// The slowest pace: a refusal never stops pzr.
const MIN_RATE: f64 = 1.0;
/// The fewest calls passed in the second before a burst was refused that
/// tell a limit: fewer, and the window was used by others (another client
/// of the account, or the previous pzr).
const MIN_BURST: f64 = 2.0;
/// The share of the learnt limit pzr paces at.
const MARGIN: f64 = 0.95;
/// Below that share, how much faster each passed call makes the pace.
const CATCH_UP: f64 = 1.05;
/// Above it, while the limit is only what passed before a burst was refused
/// (a lower bound: the second may have been used by others, the previous
/// pzr included), how many times faster the pace gets each second of
/// passing calls, until a paced call is refused: a low bound is left within
/// a second or two, however slow it is.
const FIND: f64 = 4.0;
/// Above it, once a paced call was refused, the share of the limit each
/// second of passing calls adds: probing for a limit that rose, slowly
/// enough that refusals stay a few percent of the calls.
const PROBE: f64 = 0.01;
/// The longest hold: the service's second ends at most a window after a
/// refusal, and a shorter hold, tried again, finds its end sooner than
/// doubling up to the window would (at the cost of a refused call or
/// three).
const MAX_HOLD: Duration = Duration::from_millis(250);
/// The shortest hold, however fast the pace: a refused call never comes back
/// at once.
const MIN_HOLD: Duration = Duration::from_millis(10);
/// How much a refusal of a call sent at the current pace lowers it.
const BACK_OFF: f64 = 0.85;

#[derive(Debug)]
struct Pace {
    /// `--max-rps`.
    ceiling: f64,
    /// Calls per second now; infinite until a refusal.
    rate: f64,
    /// The learnt limit: what passed in the second before a burst was
    /// refused, then what passed in the second before a paced call was.
    limit: Option<f64>,
    /// Whether a paced call was refused: the limit is met, not a bound.
    confirmed: bool,
    /// When the next call may go.
    next: Instant,
    /// When calls passed, over the last `WINDOW`.
    passed: VecDeque<Instant>,
    /// When the pace last changed: the refusals of calls sent before then
    /// teach nothing (one burst is refused together).
    lowered: Option<Instant>,
    last_passed: Option<Instant>,
    /// Calls refused since one last passed.
    streak: u32,
    /// The last refusal while no limit is known: a second one within a
    /// window teaches it.
    first_refusal: Option<Instant>,
    /// No call goes before this: the hold after refusals.
    held_until: Instant,
}

impl Pace {
    /// Calls passed in the window before `now`.
    fn accepted(&self, now: Instant) -> f64 {
        self.passed.iter().filter(|t| now - **t <= WINDOW).count() as f64
    }
}

impl Pacer {
    pub fn new(max_rps: Option<f64>) -> Pacer {
        let now = Instant::now();
        Pacer {
            state: Mutex::new(Pace {
                ceiling: max_rps.filter(|r| *r > 0.0).unwrap_or(f64::INFINITY),
                rate: f64::INFINITY,
                limit: None,
                confirmed: false,
                next: now,
                passed: VecDeque::new(),
                lowered: None,
                last_passed: None,
                streak: 0,
                first_refusal: None,
                held_until: now,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Calls per second now, for logs.
    pub fn pace(&self) -> String {
        let pace = self.lock();
        match pace.rate.min(pace.ceiling) {
            r if r.is_finite() => format!("{r:.1}/s"),
            _ => "no limit".into(),
        }
    }

    /// Waits for this call's turn: one call every `1/rate`, none while a
    /// hold lasts. A call waiting takes no slot ahead: when the pace rises,
    /// the calls already waiting go at the new pace.
    pub async fn turn(&self) {
        loop {
            let until = {
                let mut pace = self.lock();
                let now = Instant::now();
                let free = pace.held_until.max(pace.next);
                if free <= now {
                    let rate = pace.rate.min(pace.ceiling);
                    if rate.is_finite() {
                        pace.next = now + Duration::from_secs_f64(1.0 / rate);
                    }
                    return;
                }
                free
            };
            tokio::time::sleep_until(until).await;
        }
    }

    /// A call passed: the pace rises, fast up to the learnt limit, slowly
    /// beyond it.
    pub fn passed(&self) {
        let now = Instant::now();
        let mut pace = self.lock();
        let since = pace
            .last_passed
            .map_or(Duration::ZERO, |t| (now - t).min(WINDOW));
        pace.last_passed = Some(now);
        pace.streak = 0;
        pace.passed.push_back(now);
        while pace.passed.front().is_some_and(|t| now - *t > WINDOW) {
            pace.passed.pop_front();
        }
        if let Some(limit) = pace.limit {
            let target = limit * MARGIN;
            pace.rate = if pace.rate < target {
                (pace.rate * CATCH_UP).min(target)
            } else if pace.confirmed {
                pace.rate + PROBE * limit / pace.rate
            } else {
                pace.rate * FIND.powf(since.as_secs_f64())
            };
        }
    }

    /// A call sent at `sent` was refused for the rate: whether the pacer
    /// holds or paces it from now on (if not, the call backs off alone, see
    /// [`alone`]).
    ///
    /// Calls sent before the pace last changed (a burst in flight) teach
    /// nothing. Unpaced, one refusal alone teaches nothing either (an
    /// account's other clients, or noise): only the call backs off. A
    /// second one within a second after calls passed is a burst over the
    /// limit: pzr went at least as fast as the limit, so what passed in the
    /// last second is it, and the pace starts a little below, then rises
    /// fast until a call refused after calls passed at the pace confirms the
    /// limit: what passed in the last second. Every refusal also holds all
    /// calls back, twice as long as the one before until a call passes (up
    /// to [`MAX_HOLD`]): a service counting per second refuses all until
    /// its second is over, however well paced.
    pub fn refused(&self, sent: Instant) -> bool {
        let now = Instant::now();
        let mut pace = self.lock();
        if pace.lowered.is_some_and(|t| sent < t) {
            return true;
        }
        let fresh = pace.streak == 0;
        pace.streak += 1;
        match pace.limit {
            None if pace.first_refusal.is_none_or(|t| now - t > WINDOW)
                || pace.accepted(now) < MIN_BURST =>
            {
                pace.first_refusal = Some(now);
                return false;
            }
            None => {
                let limit = pace.accepted(now).max(MIN_RATE);
                pace.limit = Some(limit);
                pace.rate = limit * MARGIN;
                pace.lowered = Some(now);
            }
            // Sent a window after the pace last changed: the burst's second
            // (still full, whatever the pace) is over.
            Some(_) if fresh && pace.lowered.is_none_or(|t| sent >= t + WINDOW) => {
                let limit = pace.accepted(now).max(MIN_RATE);
                pace.limit = Some(limit);
                pace.confirmed = true;
                pace.rate = (pace.rate * BACK_OFF).min(limit * MARGIN).max(MIN_RATE);
                pace.lowered = Some(now);
            }
            // The same full second: only the hold grows.
            Some(_) => {}
        }
        let hold = Duration::from_secs_f64(1.0 / pace.rate.min(pace.ceiling))
            .max(MIN_HOLD)
            .saturating_mul(1 << (pace.streak - 1).min(16))
            .min(MAX_HOLD);
        pace.held_until = pace.held_until.max(now + hold);
        true
    }

    /// How long since a call passed, counted from `since` at the earliest.
    pub fn stalled(&self, since: Instant) -> Duration {
        let last = self.lock().last_passed.map_or(since, |t| t.max(since));
        Instant::now() - last
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::super::tests::{rate_refusal, POLICY};
    use super::*;
    use crate::live::LiveError;

    /// A service admitting `limit` calls per wall-clock second, as
    /// Personalize and the emulator count them.
    fn service(limit: u32) -> impl Fn() -> std::future::Ready<Result<(), LiveError>> {
        let start = Instant::now();
        let window = Cell::new((0u128, 0u32));
        let refused = Cell::new(0u32);
        move || {
            let second = (Instant::now() - start).as_millis() / 1000;
            if window.get().0 != second {
                window.set((second, 0));
            }
            let (s, n) = window.get();
            std::future::ready(if n >= limit {
                refused.set(refused.get() + 1);
                Err(rate_refusal())
            } else {
                window.set((s, n + 1));
                Ok(())
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_refusal_is_paced_until_it_passes_and_the_pace_is_learnt() {
        let pacer = Pacer::new(None);
        let call = service(5);
        let start = Instant::now();
        // 100 calls in sequence against 5 per second: every one passes,
        // within about the time the limit allows, with few refusals.
        let attempts = Cell::new(0);
        for _ in 0..100 {
            POLICY
                .run(&pacer, || {
                    attempts.set(attempts.get() + 1);
                    call()
                })
                .await
                .expect("paced, never given up");
        }
        let took = start.elapsed().as_secs_f64();
        assert!(
            (19.0..=20.0 * 1.15).contains(&took),
            "{took}s for 100 calls at 5/s"
        );
        assert!(
            attempts.get() - 100 <= 10,
            "{} refusals",
            attempts.get() - 100
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_ceiling_paces_from_the_first_call() {
        let pacer = Pacer::new(Some(10.0));
        let start = Instant::now();
        for _ in 0..21 {
            pacer.turn().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_refusal_with_no_progress_gives_up_after_the_total_time() {
        let pacer = Pacer::new(None);
        let start = Instant::now();
        let result: Result<(), _> = POLICY.run(&pacer, || async { Err(rate_refusal()) }).await;
        let err = result.expect_err("never passes");
        assert!(matches!(err, LiveError::LimitExceeded { .. }), "{err}");
        let waited = start.elapsed();
        assert!(waited > POLICY.total && waited < POLICY.total + Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn lone_refusals_do_not_pace_the_run() {
        let pacer = Pacer::new(None);
        let start = Instant::now();
        // One call in 60 refused for the rate, over a second apart: noise,
        // or another client of the account; never a pace.
        for n in 0..250u32 {
            let refuse = Cell::new(n % 60 == 0);
            POLICY
                .run(&pacer, || {
                    let refused = refuse.replace(false);
                    async move {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        if refused {
                            Err(rate_refusal())
                        } else {
                            Ok(())
                        }
                    }
                })
                .await
                .expect("passes");
        }
        assert_eq!(pacer.pace(), "no limit");
        // 250 calls of 20ms, 5 of them sent again after at most 100ms.
        let took = start.elapsed();
        assert!(took <= Duration::from_millis(5_000 + 5 * 120), "{took:?}");
    }
}
