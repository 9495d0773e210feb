//! Each command's workflow as one library call (cargo's `ops` is the
//! model): `cli` parses flags into a `Target` and options, calls one of
//! these, and maps its typed outcome to output and an exit code. What a
//! command reads, whether a saved plan is stale, and when a plan is refused
//! or must be confirmed are decided here; asking a person is the caller's
//! `Console`, so nothing here reads a terminal.

mod apply;
mod error;
pub mod export;
mod load;
pub mod output;
mod plan;
mod read;
#[cfg(feature = "emulator")]
mod sandbox;
mod session;
pub mod validate_data;

pub use apply::{apply, Applied, ApplyOpts, Console};
pub use error::Error;
pub use export::{export, ExportSelection};
pub use load::saved_plan;
pub use output::output;
pub use plan::{drift, plan, Drift};
pub use read::StalePlan;
pub use session::Target;
pub use validate_data::validate_data;
