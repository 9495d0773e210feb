//! The spec, offline: every check of the loader, fuzzed inputs, and
//! `pzr validate` as a process.

mod cli;
mod fuzz;
mod validate;
