//! Pacing and `LimitExceededException`: the one place pzr decides when a
//! call goes out and whether a refused one goes out again.
//!
//! Every call pzr makes (reads through `read`'s `sent!`, apply's through
//! `apply::limited`) waits for its turn at one [`Pacer`] shared by the whole
//! process. The pacer sends freely until Personalize refuses a call for its
//! request rate (`ThrottlingException`, or `LimitExceededException` "Rate
//! exceeded"); it then paces calls at what was accepted in the last second,
//! and raises the pace slowly while calls pass (`--max-rps` caps it by
//! hand). A call refused for the rate is sent again, paced, for as long as
//! calls in the process keep passing: it gives up only when nothing has
//! passed for the policy's total time.
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
use std::sync::{Mutex, OnceLock};
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
    /// call; a call refused for the rate gives up once no call in the
    /// process has passed for this long.
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
/// from. Throttling codes are the SDK's own list (`THROTTLING_ERRORS` in
/// aws-runtime's `retries/classifiers.rs`); "Rate exceeded" is the message
/// AWS services give a `LimitExceededException` that is about the rate.
pub fn is_rate_refusal(err: &LiveError) -> bool {
    match err {
        LiveError::Api { code, message, .. } => {
            THROTTLING_CODES.contains(&code.as_str())
                || (code == "LimitExceededException" && message.contains("Rate exceeded"))
        }
        _ => false,
    }
}

/// Error codes that refuse a call for its rate and nothing else.
pub(super) const THROTTLING_CODES: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
];

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

    /// Runs `call`, paced by the process's [`Pacer`], until it is not
    /// refused for a limit, or the policy gives up: then the refusal,
    /// saying what it may be.
    pub async fn run<T, F, Fut>(&self, call: F) -> Result<T, LiveError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, LiveError>>,
    {
        self.run_paced(Pacer::global(), call).await
    }

    async fn run_paced<T, F, Fut>(&self, pacer: &Pacer, mut call: F) -> Result<T, LiveError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, LiveError>>,
    {
        let start = Instant::now();
        let mut attempts = 0;
        let mut quota_retries = 0;
        loop {
            pacer.turn().await;
            attempts += 1;
            let err = match call().await {
                Err(err) if is_rate_refusal(&err) => {
                    pacer.refused();
                    // At least a few windows: pacing alone may hold a call
                    // back a second (tests scale `total` down to less).
                    if pacer.stalled(start) <= self.total.max(WINDOW * 5) {
                        tracing::info!(target: "pzr::aws", "{err}: paced at {}", pacer.pace());
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
                    if other.is_ok() {
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

/// Caps the process's pace at `max_rps` calls per second (`--max-rps`).
pub fn set_max_rps(max_rps: Option<f64>) {
    Pacer::global().set_ceiling(max_rps);
}

/// The process's request pace: one for every call, learnt from refusals.
#[derive(Debug)]
pub struct Pacer {
    state: Mutex<Pace>,
}

/// The window over which Personalize's rate is counted: a limit is in
/// requests per second (https://docs.aws.amazon.com/personalize/latest/dg/limits.html).
const WINDOW: Duration = Duration::from_secs(1);
/// The slowest pace: a refusal never stops pzr.
const MIN_RATE: f64 = 1.0;
/// Below the learnt limit, how much faster each passed call makes the pace.
const CATCH_UP: f64 = 1.05;
/// Above it, the calls per second each passed call adds: probing for a
/// limit that rose, by about 2% a second.
const PROBE: f64 = 0.02;
/// The share of the learnt limit pzr paces at.
const MARGIN: f64 = 0.95;

#[derive(Debug)]
struct Pace {
    /// `--max-rps`.
    ceiling: f64,
    /// Calls per second now; infinite until a refusal.
    rate: f64,
    /// Calls accepted in the second before the first refusal.
    limit: Option<f64>,
    /// When the next call may go.
    next: Instant,
    /// When calls passed, over the last `WINDOW`.
    passed: VecDeque<Instant>,
    /// When the pace was last lowered: the refusals of calls sent before
    /// then do not lower it again.
    lowered: Option<Instant>,
    last_passed: Option<Instant>,
    /// Calls refused since one last passed.
    streak: u32,
    /// No call goes before this: the hold after refusals.
    held_until: Instant,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer {
            state: Mutex::new(Pace {
                ceiling: f64::INFINITY,
                rate: f64::INFINITY,
                limit: None,
                next: Instant::now(),
                passed: VecDeque::new(),
                lowered: None,
                last_passed: None,
                streak: 0,
                held_until: Instant::now(),
            }),
        }
    }
}

impl Pacer {
    /// The pacer every call of this process waits at.
    pub fn global() -> &'static Pacer {
        static PACER: OnceLock<Pacer> = OnceLock::new();
        PACER.get_or_init(Pacer::default)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_ceiling(&self, max_rps: Option<f64>) {
        self.lock().ceiling = max_rps.filter(|r| *r > 0.0).unwrap_or(f64::INFINITY);
    }

    /// Calls per second now, for logs.
    pub fn pace(&self) -> String {
        let pace = self.lock();
        match pace.rate.min(pace.ceiling) {
            r if r.is_finite() => format!("{r:.1}/s"),
            _ => "no limit".into(),
        }
    }

    /// Waits for this call's turn: calls go one every `1/rate`, in the
    /// order they asked, and none while a hold lasts (one that began while
    /// the call waited for its turn included).
    pub async fn turn(&self) {
        loop {
            let (until, held) = {
                let mut pace = self.lock();
                let now = Instant::now();
                let rate = pace.rate.min(pace.ceiling);
                if pace.held_until > now {
                    (pace.held_until, true)
                } else if !rate.is_finite() {
                    return;
                } else {
                    let slot = pace.next.max(now);
                    pace.next = slot + Duration::from_secs_f64(1.0 / rate);
                    (slot, false)
                }
            };
            tokio::time::sleep_until(until).await;
            if !held && self.lock().held_until <= Instant::now() {
                return;
            }
        }
    }

    /// A call passed: the pace rises, fast up to the learnt limit, slowly
    /// beyond it.
    pub fn passed(&self) {
        let now = Instant::now();
        let mut pace = self.lock();
        pace.last_passed = Some(now);
        pace.streak = 0;
        pace.passed.push_back(now);
        while pace.passed.front().is_some_and(|t| now - *t > WINDOW) {
            pace.passed.pop_front();
        }
        if pace.rate.is_finite() {
            let target = pace.limit.map_or(f64::INFINITY, |l| l * MARGIN);
            pace.rate = if pace.rate < target {
                (pace.rate * CATCH_UP).min(target)
            } else {
                pace.rate + PROBE
            };
        }
    }

    /// A call was refused for the rate: the limit is about what passed in
    /// the last second, and the pace drops below it (once per window: the
    /// calls of one burst are refused together). Until a call passes again,
    /// each refusal also holds every call back twice as long as the one
    /// before (up to a window): a service counting per second refuses all
    /// until its second is over, however well paced.
    pub fn refused(&self) {
        let now = Instant::now();
        let mut pace = self.lock();
        pace.streak += 1;
        if pace.lowered.is_none_or(|t| now - t >= WINDOW) {
            pace.rate = if pace.rate.is_finite() {
                // Paced already: a refusal is a limit that fell, or noise;
                // the pace backs off and catches up to the learnt limit.
                pace.rate * 0.85
            } else {
                // The first refusal: unpaced, pzr went at least as fast as
                // the limit, so what passed in the last second is it.
                let accepted = pace.passed.iter().filter(|t| now - **t <= WINDOW).count();
                let limit = (accepted as f64).max(MIN_RATE);
                pace.limit = Some(limit);
                limit * MARGIN
            }
            .min(pace.ceiling)
            .max(MIN_RATE);
            pace.lowered = Some(now);
        }
        let hold = Duration::from_secs_f64(1.0 / pace.rate.min(pace.ceiling))
            .saturating_mul(1 << (pace.streak - 1).min(16))
            .min(WINDOW);
        pace.held_until = pace.held_until.max(now + hold);
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
        assert!(is_rate_refusal(&refusal("ThrottlingException")));
        assert!(!is_rate_refusal(&refusal("LimitExceededException")));
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
        let pacer = Pacer::default();
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
        let pacer = Pacer::default();
        pacer.set_ceiling(Some(10.0));
        let start = Instant::now();
        for _ in 0..21 {
            pacer.turn().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_refusal_with_no_progress_gives_up_after_the_total_time() {
        let pacer = Pacer::default();
        let start = Instant::now();
        let result: Result<(), _> = POLICY
            .run_paced(&pacer, || async { Err(rate_refusal()) })
            .await;
        let err = result.expect_err("never passes");
        assert!(matches!(err, LiveError::LimitExceeded { .. }), "{err}");
        let waited = start.elapsed();
        assert!(waited > POLICY.total && waited < POLICY.total + Duration::from_secs(3));
    }
}
