//! pzr: a declarative reconciler for Amazon Personalize.
//!
//! Flow: `spec` (YAML) and `live` (AWS) feed the pure `plan`, whose result is
//! shown by `render` and executed by `apply`. `ops` is each command's
//! workflow, which `cli` calls. What Personalize itself is (kinds, statuses,
//! Avro, the rulebook) comes from `personalize_facts`; the local Personalize
//! behind `--sandbox` is `personalize_emulator`.

pub mod apply;
pub mod cli;
pub mod live;
pub mod ops;
pub mod plan;
pub mod render;
pub mod resource;
pub mod spec;
pub mod state;

pub use personalize_facts::{avro, rules};
pub use resource::STACK_TAG;
