//! The planner and the plan it produces. Pure: no I/O, no clock, no randomness.

mod blocker;
mod cost;
mod document;
pub mod drift;
mod model;
mod observe;
mod planner;
pub mod tags;

pub use blocker::{Blocker, Protected, Refusal, Unowned};
pub use cost::{change_effects, Effects};
pub use document::{PlanDocument, SavedPlan, SavedPlanError};
pub use model::*;
pub use observe::{observe, observed_groups, stale};
pub use planner::{
    campaign_key, child_key, extra_reads, managed_children, plan, ManagedChild, PlanOptions, Wanted,
};
