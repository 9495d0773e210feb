//! Apply: executes a plan in Personalize's order, in parallel, resumably.

mod executor;
pub mod progress;
mod slots;
pub mod wait;

pub use executor::{execute, ApplyOptions, Report};
