//! Apply: executes a plan in Personalize's order, in parallel, resumably.

mod executor;
pub mod progress;
pub mod wait;

pub use executor::{execute, label, ApplyOptions, Report};
