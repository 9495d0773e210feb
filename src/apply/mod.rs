//! Apply: executes a plan in Personalize's order, in parallel, resumably.

mod failure;
pub mod progress;
mod schedule;
mod slots;
mod step;
pub mod wait;

pub use failure::StepFailure;
pub use schedule::{execute, ApplyOptions, Report};
