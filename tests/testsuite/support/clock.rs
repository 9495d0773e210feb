//! Emulator time as the tests move it: a manual clock stands still until a
//! test advances it, so what a test sees of a life cycle or a rate window
//! never depends on how fast the machine is.

use pzr::emulator::Clock;

/// Where manual clocks start: 2026-01-01T00:00:00Z.
pub const START: u64 = 1_767_225_600_000;

/// A clock that reads [`START`] until advanced.
pub fn manual() -> Clock {
    Clock::manual(START)
}
