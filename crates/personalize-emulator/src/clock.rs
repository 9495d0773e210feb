//! The emulator's one clock. Status is derived from timestamps and the
//! `--max-tps` window from the time of each request, so whoever moves this
//! clock moves every life cycle and every rate limit: the system clock by
//! default, or a manual clock that starts at a given time and moves only when
//! advanced (`Clock::advance`, `POST /_emulator/clock`, `--manual-clock`), so
//! tests need no real sleeps.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch (or a duration in milliseconds):
/// integers, so times survive the state file exactly.
pub type Millis = u64;

/// Where the emulator reads the time. Clones share it: advancing one
/// advances the emulator that was configured with another.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// The manual time in epoch milliseconds; `None` reads the system clock.
    manual: Option<Arc<AtomicU64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error(
        "the emulator runs on the system clock, which cannot be advanced (start it with a manual clock: --manual-clock)"
    )]
    NotManual,
}

impl Clock {
    /// The system clock (the default).
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that starts at `start` (epoch milliseconds) and moves only
    /// when advanced.
    pub fn manual(start: Millis) -> Clock {
        Clock {
            manual: Some(Arc::new(AtomicU64::new(start))),
        }
    }

    /// Whether it moves only when advanced.
    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }

    /// The time now, in epoch milliseconds.
    pub fn now(&self) -> Millis {
        match &self.manual {
            Some(time) => time.load(Ordering::SeqCst),
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, millis),
        }
    }

    /// Moves a manual clock forward by `by`; returns the new time.
    pub fn advance(&self, by: Duration) -> Result<Millis, ClockError> {
        let time = self.manual.as_ref().ok_or(ClockError::NotManual)?;
        let by = millis(by);
        // The closure never declines, so this cannot fail.
        let before = time
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                Some(t.saturating_add(by))
            })
            .unwrap_or_else(|t| t);
        Ok(before.saturating_add(by))
    }
}

/// A duration in whole milliseconds (saturating: no real delay overflows).
pub fn millis(d: Duration) -> Millis {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_clones_share_it() {
        let clock = Clock::manual(1_000);
        let shared = clock.clone();
        assert!(clock.is_manual());
        assert_eq!(clock.now(), 1_000);
        assert_eq!(shared.advance(Duration::from_millis(250)), Ok(1_250));
        assert_eq!(clock.now(), 1_250);
        assert_eq!(clock.advance(Duration::MAX), Ok(u64::MAX), "saturates");
    }

    #[test]
    fn the_system_clock_reads_the_time_and_cannot_be_advanced() {
        let clock = Clock::system();
        let before = clock.now();
        assert!(!clock.is_manual());
        assert!(before > 1_600_000_000_000, "{before}");
        assert_eq!(
            clock.advance(Duration::from_secs(1)),
            Err(ClockError::NotManual)
        );
        assert!(clock.now() >= before);
    }
}
