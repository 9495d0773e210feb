//! Apply: executes a plan in Personalize's order, in parallel, resumably.

mod executor;
mod failure;
pub mod progress;
mod slots;
mod step;
mod tally;
pub mod wait;

pub use executor::{execute, ApplyOptions, Report};
pub use failure::StepFailure;
pub use tally::Tally;
