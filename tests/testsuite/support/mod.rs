//! What the tests share, one place per helper. Every helper here is used:
//! the crate is one binary, so the compiler flags any that is not.

pub mod account;
pub mod clock;
pub mod data;
pub mod emulator;
pub mod env;
pub mod files;
pub mod kill;
pub mod offline;
pub mod stats;
pub mod unowned;
