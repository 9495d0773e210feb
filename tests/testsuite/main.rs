//! pzr's integration tests, as one crate: one binary to compile and link
//! (the SDK, axum and tokio once, not once per file) whose tests run as
//! threads side by side. So no test changes process-global state (the
//! environment, the current directory): each gets its own emulator on a free
//! port, its own temporary directory, and runs `pzr` as a child process
//! configured through that child's environment. No test asserts a
//! wall-clock window or ceiling: a test that must see a resource in a given
//! state, or requests in one rate window, runs its emulator on a manual
//! clock (`support::clock`) that moves only when the test advances it, so
//! tests running side by side cannot slow each other into failing.
//!
//! Run one module or test by name: `cargo test --test testsuite apply::faults`.

mod support;

mod apply;
mod cli;
mod cli_errors;
mod drift;
mod emulator;
mod export;
mod gitops;
mod plan;
mod sandbox;
mod schemas;
mod spec;
