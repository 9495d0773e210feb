//! The planner: offline against fixture accounts (golden cases, random
//! properties), and `pzr plan` end to end against the emulator.

mod e2e;
mod golden;
mod markdown;
mod properties;
