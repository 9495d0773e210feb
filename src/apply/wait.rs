//! Waiting for Personalize: pure predicates over what Describe returns
//! (`verdict.rs`), and one poll loop (`poll.rs`). The caller owns the
//! deadline.

mod poll;
mod verdict;

pub use poll::{poll, PollPolicy, Schedule, Siblings, WaitError};
pub use verdict::*;
