//! `pzr apply` end to end: a process against the emulator, checked through
//! the SDK, with the groups it does not own checked untouched.

mod children;
mod data;
mod examples;
mod failures;
mod faults;
mod interrupt;
mod lifecycle;
mod metric_attribution;
mod pacing;
mod parallelism;
mod real_paths;
mod safety;
mod serving;
mod training;
