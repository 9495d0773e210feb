//! Pacing and `LimitExceededException`: the one place pzr decides when a
//! call goes out again after Personalize refused it for a limit.
//!
//! Every request a command makes, read or action, waits for its turn at the
//! run's [`Pacer`] (one per run, carried by `request::Personalize`). The
//! pacer sends freely until Personalize refuses a call for its request rate
//! (`LimitExceededException` "Rate exceeded"); it then paces calls a little
//! below what was accepted in the last second, lowers the pace when a call
//! sent at that pace is refused again, and raises it while calls pass
//! (`--max-rps` caps it by hand). A
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

mod pacer;

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use tokio::time::Instant;

use super::error::LiveError;
pub(super) use pacer::Pacer;
use pacer::WINDOW;

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

    /// Runs `call`, each time at its turn at `pacer`, until it is not
    /// refused for a limit, or the policy gives up: then the refusal,
    /// saying what it may be.
    pub(super) async fn run<T, F, Fut>(&self, pacer: &Pacer, mut call: F) -> Result<T, LiveError>
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

#[cfg(test)]
pub(super) mod tests {
    use std::cell::Cell;

    use super::*;

    pub(crate) const POLICY: LimitRetry = LimitRetry {
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
            .run(&Pacer::new(None), || {
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
            .run(&Pacer::new(None), || {
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
            .run(&Pacer::new(None), || {
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

    pub(crate) fn rate_refusal() -> LiveError {
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
}
