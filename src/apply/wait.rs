//! Waiting for Personalize: pure predicates over what Describe returns
//! (`verdict.rs`), and one poll loop (`poll.rs`). The caller owns the
//! deadline.

mod poll;
mod verdict;

pub use poll::{poll, with_siblings, PollPolicy, Schedule, WaitError};
pub use verdict::*;
