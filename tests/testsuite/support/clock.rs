//! Emulator time as the tests move it: a manual clock stands still until a
//! test advances it, by hand (`Clock::advance`) or with a `Ticker` while pzr
//! runs, so what a test sees of a life cycle or a rate window never depends
//! on how fast the machine is.

use std::future::Future;
use std::time::Duration;

use personalize_emulator::Clock;
use tokio::task::JoinHandle;

/// Where manual clocks start: 2026-01-01T00:00:00Z.
pub const START: u64 = 1_767_225_600_000;

/// A clock that reads [`START`] until advanced.
pub fn manual() -> Clock {
    Clock::manual(START)
}

/// The real pause between two steps of a ticking clock: it paces the
/// ticker, so that pzr (which polls in real time) sees the time pass in
/// steps. No test result depends on it, only how long a test takes.
const PACE: Duration = Duration::from_millis(2);

/// Advances a manual clock by `step` at a time until it reads `end`, pausing
/// [`PACE`] between steps; never past `end`.
pub async fn tick_until(clock: &Clock, step: Duration, end: u64) {
    let step = u64::try_from(step.as_millis())
        .expect("a short step")
        .max(1);
    while clock.now() < end {
        let by = step.min(end - clock.now());
        clock
            .advance(Duration::from_millis(by))
            .expect("a manual clock");
        tokio::time::sleep(PACE).await;
    }
}

/// A manual clock advancing in the background, a step at a time, until stopped.
pub struct Ticker {
    task: JoinHandle<()>,
}

impl Ticker {
    pub fn start(clock: &Clock, step: Duration) -> Ticker {
        let clock = clock.clone();
        Ticker {
            task: tokio::spawn(async move { tick_until(&clock, step, u64::MAX).await }),
        }
    }

    /// Stops the clock where it is.
    pub async fn stop(self) {
        self.task.abort();
        if let Err(e) = self.task.await {
            assert!(e.is_cancelled(), "the ticker failed: {e}");
        }
    }
}

/// How long a test waits for something that must happen before it gives up
/// with a message instead of hanging: never the assertion, only a bound.
pub const HANG: Duration = Duration::from_secs(120);

/// Polls `check` until it holds; panics (naming `what`) only if it still
/// does not after [`HANG`]. For conditions that are not time: something
/// pzr does, a resource appearing.
pub async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let waited = tokio::time::timeout(HANG, async {
        while !check().await {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "still not so after {HANG:?}: {what}");
}
