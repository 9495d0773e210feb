//! pzr's integration tests, as one crate: one binary to compile and link
//! (the SDK, axum and tokio once, not once per file) whose tests run as
//! threads side by side. So no test changes process-global state (the
//! environment, the current directory): each gets its own emulator on a free
//! port, its own temporary directory, and runs `pzr` as a child process
//! configured through that child's environment. Tests that assert wall-clock
//! limits take `support::serial::timing`.
//!
//! Run one module or test by name: `cargo test --test testsuite apply::faults`.

mod support;

mod apply;
mod cli;
mod drift;
mod emulator;
mod export;
mod plan;
mod sandbox;
mod schemas;
mod spec;
