//! `LimitExceededException`, retried. Personalize answers it for request
//! rates, for limits on concurrent creations and for quotas alike, and its
//! messages are not documented
//! (https://docs.aws.amazon.com/personalize/latest/dg/limits.html,
//! https://docs.aws.amazon.com/personalize/latest/dg/API_CreateDatasetGroup.html#API_CreateDatasetGroup_Errors),
//! so none can be told from the others: each is retried with capped
//! exponential backoff and jitter, within a number of attempts and a total
//! time, and then reported with what it may be and what to do.
//!
//! This is the one place pzr paces requests after a refusal; a client-side
//! rate limiter would take its place.

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use tokio::time::Instant;

use super::error::LiveError;

/// How `LimitExceededException` is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitRetry {
    /// Calls in all, the first included.
    pub attempts: u32,
    /// The pause before the first retry; it doubles with each retry.
    pub initial: Duration,
    /// The longest pause.
    pub cap: Duration,
    /// No retry starts later than this after the first call.
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

    /// Runs `call` until it is not refused with `LimitExceededException`,
    /// or the policy gives up: then the refusal, saying what it may be.
    pub async fn run<T, F, Fut>(&self, mut call: F) -> Result<T, LiveError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, LiveError>>,
    {
        let start = Instant::now();
        let mut retry = 0;
        loop {
            let err = match call().await {
                Err(err) if err.is_limit_exceeded() => err,
                other => return other,
            };
            retry += 1;
            let jitter = rand::thread_rng().gen_range(0.0..1.0);
            match self.pause(retry, start.elapsed(), jitter) {
                Some(pause) => {
                    tracing::info!(target: "pzr::aws", "{err}: retry {retry} in {}ms", pause.as_millis());
                    tokio::time::sleep(pause).await
                }
                None => {
                    return Err(LiveError::LimitExceeded {
                        error: Box::new(err),
                        attempts: retry,
                        waited: start.elapsed(),
                    })
                }
            }
        }
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
}
