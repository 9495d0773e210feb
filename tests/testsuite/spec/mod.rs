//! The spec, offline: every check of the loader, the schema rules against
//! AWS's own material, fuzzed inputs, and `pzr validate` as a process.

mod cli;
mod data;
pub(crate) mod filters;
mod fuzz;
mod metrics;
pub(crate) mod rules;
pub(crate) mod serving;
mod validate;
mod validate_data;
