//! Pacing and `LimitExceededException`: the one place pzr decides when a
//! call goes out again after Personalize refused it for a limit.
//!
//! Every call a command makes (reads through `read`'s `sent!`, apply's
//! through `apply::limited`) waits for its turn at the command's [`Pacer`]
//! (one per run, see [`paced`]). The pacer sends freely until Personalize
//! refuses a call for its request rate (`LimitExceededException` "Rate
//! exceeded"); it then paces calls a little below what was accepted in the
//! last second, lowers the pace when a call sent at that pace is refused
//! again, and raises it while calls pass (`--max-rps` caps it by hand). A
//! call refused for the rate is sent again, paced, for as long as calls of
//! the run keep passing: it gives up only when nothing passed for the
//! policy's total time.
//!
//! `ThrottlingException` is not learnt from: accounts and the emulator's
//! `--throttle-rate` answer it to single calls at random, and a pace learnt
//! from such noise would slow a whole run down (a 20% random throttle taught
//! an earlier pacer about 3 calls a second). The SDK retries it per call
//! with jittered exponential backoff (`client.rs`).
//!
//! Personalize answers `LimitExceededException` for request rates, for
//! limits on concurrent creations and for quotas alike, and its messages are
//! not documented
//! (https://docs.aws.amazon.com/personalize/latest/dg/limits.html,
//! https://docs.aws.amazon.com/personalize/latest/dg/API_CreateDatasetGroup.html#API_CreateDatasetGroup_Errors),
//! so one without "Rate exceeded" is retried with capped exponential backoff
//! and jitter, within a number of attempts and a total time, and then
//! reported with what it may be and what to do: no retry clears a quota.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use tokio::time::Instant;

use super::error::LiveError;

/// How refused calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitRetry {
    /// Calls in all, the first included, for a refusal that is not for the
    /// request rate.
    pub attempts: u32,
    /// The pause before the first retry; it doubles with each retry.
    pub initial: Duration,
    /// The longest pause.
    pub cap: Duration,
    /// No retry of a quota refusal starts later than this after the first
    /// call; a call refused for the rate gives up once no call of the run
    /// has passed for this long.
    pub total: Duration,
}

impl Default for LimitRetry {
    /// A request rate is over within seconds; concurrent creations within
    /// minutes at best, so a minute and a half of patience is what apply
    /// can spend before it tells; a quota never is.
    fn default() -> Self {
        LimitRetry::scaled(Duration::from_millis(500))
    }
}

/// Whether `err` refuses a call for the request rate: what the pacer learns
/// from. "Rate exceeded" is the message AWS services give a
/// `LimitExceededException` about the rate (as Personalize answered the
/// issue's `pzr plan` under a limit, and the emulator's `--max-tps`).
pub fn is_rate_refusal(err: &LiveError) -> bool {
    matches!(err, LiveError::Api { code, message, .. }
        if code == "LimitExceededException" && message.contains("Rate exceeded"))
}

impl LimitRetry {
    /// The default policy with its first pause `initial`, the others in
    /// proportion (tests run it in milliseconds).
    pub fn scaled(initial: Duration) -> LimitRetry {
        LimitRetry {
            attempts: 8,
            initial,
            cap: initial * 40,
            total: initial * 180,
        }
    }

    /// The pause before retry number `retry` (1 is the first) after
    /// `elapsed` since the first call, or `None` when the policy gives up.
    /// `jitter` in 0..1 spreads the upper half of each pause, so that
    /// parallel steps refused together do not come back together.
    pub fn pause(&self, retry: u32, elapsed: Duration, jitter: f64) -> Option<Duration> {
        if retry >= self.attempts {
            return None;
        }
        let doubled = self
            .initial
            .saturating_mul(1u32.checked_shl(retry - 1).unwrap_or(u32::MAX));
        let base = doubled.min(self.cap);
        let pause = base / 2 + (base / 2).mul_f64(jitter.clamp(0.0, 1.0));
        (elapsed + pause <= self.total).then_some(pause)
    }

    /// Runs `call`, paced by the run's [`Pacer`] (see [`paced`]; outside
    /// one, by a pacer of its own), until it is not refused for a limit, or
    /// the policy gives up: then the refusal, saying what it may be.
    pub async fn run<T, F, Fut>(&self, call: F) -> Result<T, LiveError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, LiveError>>,
    {
        let pacer = PACER
            .try_with(Arc::clone)
            .unwrap_or_else(|_| Arc::new(Pacer::new(None)));
        self.run_paced(&pacer, call).await
    }

    async fn run_paced<T, F, Fut>(&self, pacer: &Pacer, mut call: F) -> Result<T, LiveError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, LiveError>>,
    {
        let start = Instant::now();
        let mut attempts = 0;
        let mut quota_retries = 0;
        let mut rate_refusals = 0;
        loop {
            pacer.turn().await;
            let sent = Instant::now();
            attempts += 1;
            let err = match call().await {
                Err(err) if is_rate_refusal(&err) => {
                    rate_refusals += 1;
                    let paced = pacer.refused(sent);
                    // At least a few windows: pacing alone may hold a call
                    // back a second (tests scale `total` down to less).
                    if pacer.stalled(start) <= self.total.max(WINDOW * 5) {
                        tracing::info!(target: "pzr::aws", "{err}: paced at {}", pacer.pace());
                        if !paced {
                            tokio::time::sleep(alone(rate_refusals)).await;
                        }
                        continue;
                    }
                    err
                }
                Err(err) if err.is_limit_exceeded() => {
                    quota_retries += 1;
                    let jitter = rand::thread_rng().gen_range(0.0..1.0);
                    match self.pause(quota_retries, start.elapsed(), jitter) {
                        Some(pause) => {
                            tracing::info!(target: "pzr::aws", "{err}: retry {quota_retries} in {}ms", pause.as_millis());
                            tokio::time::sleep(pause).await;
                            continue;
                        }
                        None => err,
                    }
                }
                other => {
                    // Answered (a refusal for another reason included): the
                    // call passed the service's rate limit.
                    if other.as_ref().map_or_else(answered, |_| true) {
                        pacer.passed();
                    }
                    return other;
                }
            };
            return Err(LiveError::LimitExceeded {
                error: Box::new(err),
                attempts,
                waited: start.elapsed(),
            });
        }
    }
}

/// Whether Personalize answered a call that failed (not found, in use, ...),
/// rather than refusing it for the rate or never answering.
fn answered(err: &LiveError) -> bool {
    matches!(err, LiveError::Api { code, .. } if code != "ThrottlingException")
}

/// What a call refused for the rate `n` times (1 is the first) while the
/// pacer learnt nothing waits before it goes again: doubling from a tenth of
/// the window up to the window, with jitter so that calls refused together
/// do not come back together.
fn alone(n: u32) -> Duration {
    let base = (WINDOW / 10)
        .saturating_mul(1 << (n - 1).min(4))
        .min(WINDOW);
    base.mul_f64(rand::thread_rng().gen_range(0.5..1.0))
}

tokio::task_local! {
    /// The pacer of the run in progress (see [`paced`]).
    static PACER: Arc<Pacer>;
}

/// Runs `run` (one command) with every call it makes paced by one pacer of
/// its own, capped at `max_rps` calls per second (`--max-rps`). The pacer
/// belongs to the run, never to the process: two runs never share a pace.
pub async fn paced<F: Future>(max_rps: Option<f64>, run: F) -> F::Output {
    PACER.scope(Arc::new(Pacer::new(max_rps)), run).await
}

/// The request pace of one run, learnt from refusals.
#[derive(Debug)]
pub struct Pacer {
    state: Mutex<Pace>,
}

/// The window over which Personalize's rate is counted: a limit is in
/// requests per second (https://docs.aws.amazon.com/personalize/latest/dg/limits.html).
const WINDOW: Duration = Duration::from_secs(1);
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

    use super::*;

    const POLICY: LimitRetry = LimitRetry {
        attempts: 5,
        initial: Duration::from_secs(1),
        cap: Duration::from_secs(3),
        total: Duration::from_secs(60),
    };

    #[test]
    fn pauses_double_up_to_the_cap_with_jitter_in_their_upper_half() {
        let s = Duration::from_secs_f64;
        let low: Vec<_> = (1..5).map(|r| POLICY.pause(r, s(0.0), 0.0)).collect();
        let high: Vec<_> = (1..5).map(|r| POLICY.pause(r, s(0.0), 1.0)).collect();
        assert_eq!(
            low,
            [Some(s(0.5)), Some(s(1.0)), Some(s(1.5)), Some(s(1.5))]
        );
        assert_eq!(
            high,
            [Some(s(1.0)), Some(s(2.0)), Some(s(3.0)), Some(s(3.0))]
        );
    }

    #[test]
    fn gives_up_after_its_attempts_or_its_total_time() {
        assert_eq!(POLICY.pause(5, Duration::ZERO, 0.5), None);
        assert_eq!(POLICY.pause(1, Duration::from_millis(59_500), 1.0), None);
        assert!(POLICY.pause(1, Duration::from_secs(58), 1.0).is_some());
        assert!(LimitRetry::default()
            .pause(100, Duration::ZERO, 0.0)
            .is_none());
    }

    fn refusal(code: &str) -> LiveError {
        LiveError::Api {
            operation: "CreateDatasetGroup",
            resource: "shop".into(),
            code: code.into(),
            message: "undocumented".into(),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_limit_is_retried_until_it_passes() {
        let calls = Cell::new(0);
        let result = POLICY
            .run(|| {
                calls.set(calls.get() + 1);
                let n = calls.get();
                async move {
                    match n {
                        1 | 2 => Err(refusal("LimitExceededException")),
                        _ => Ok(n),
                    }
                }
            })
            .await;
        assert_eq!(result.expect("passes on the third call"), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_limit_that_stays_fails_with_what_to_do_within_bounds() {
        let calls = Cell::new(0);
        let start = Instant::now();
        let result: Result<(), _> = POLICY
            .run(|| {
                calls.set(calls.get() + 1);
                async { Err(refusal("LimitExceededException")) }
            })
            .await;
        let err = result.expect_err("never passes");
        assert_eq!(calls.get(), POLICY.attempts);
        assert!(start.elapsed() <= POLICY.total, "{:?}", start.elapsed());
        assert_eq!(err.code(), Some("LimitExceededException"));
        let text = err.to_string();
        for says in ["5 attempts", "--parallelism", "Service Quotas"] {
            assert!(text.contains(says), "{says:?} in {text}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn other_errors_are_not_retried() {
        let calls = Cell::new(0);
        let result: Result<(), _> = POLICY
            .run(|| {
                calls.set(calls.get() + 1);
                async { Err(refusal("ResourceInUseException")) }
            })
            .await;
        assert_eq!(
            result.expect_err("refused").code(),
            Some("ResourceInUseException")
        );
        assert_eq!(calls.get(), 1);
    }

    fn rate_refusal() -> LiveError {
        LiveError::Api {
            operation: "DescribeDataset",
            resource: "shop".into(),
            code: "LimitExceededException".into(),
            message: "Rate exceeded".into(),
        }
    }

    #[test]
    fn rate_refusals_are_told_from_quotas() {
        assert!(is_rate_refusal(&rate_refusal()));
        assert!(!is_rate_refusal(&refusal("LimitExceededException")));
        // Random throttling is the SDK's to retry per call: never learnt.
        let mut throttled = rate_refusal();
        if let LiveError::Api { code, .. } = &mut throttled {
            *code = "ThrottlingException".into();
        }
        assert!(!is_rate_refusal(&throttled));
    }

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
                .run_paced(&pacer, || {
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
        let result: Result<(), _> = POLICY
            .run_paced(&pacer, || async { Err(rate_refusal()) })
            .await;
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
                .run_paced(&pacer, || {
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
