//! The planner and the plan it produces. Pure: no I/O, no clock, no randomness.

mod blocker;
mod cost;
mod deferral;
mod document;
mod dollars;
pub mod drift;
mod model;
mod note;
mod observe;
mod planner;
mod reason;
mod said;
#[cfg(test)]
mod said_tests;
pub mod tags;

pub use blocker::{Blocker, Refusal, Unowned};
pub use cost::Billing;
pub use deferral::Deferral;
pub use document::{PlanDocument, SavedPlan, SavedPlanError};
pub use dollars::{Delta, Estimate, PricedNote, Usd};
pub use model::*;
pub use note::{CapacityUnit, Note};
pub use observe::{observe, observed_groups, stale};
pub use planner::{
    campaign_key, child_key, extra_reads, managed_children, plan, ManagedChild, PlanOptions, Wanted,
};
pub use reason::{FailureReason, Reason};
