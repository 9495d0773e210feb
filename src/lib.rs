//! pzr: a declarative reconciler for Amazon Personalize.
//!
//! Flow (see DESIGN.md): `spec` (YAML) and `live` (AWS) feed the pure `plan`,
//! whose result is shown by `render` and executed by `apply`. `ops` is each
//! command's workflow, which `cli` calls. The `emulator` is a local
//! Personalize control plane used by tests and `--sandbox`.

pub mod apply;
pub mod avro;
pub mod cli;
pub mod emulator;
pub mod live;
pub mod ops;
pub mod plan;
pub mod render;
pub mod resource;
pub mod rules;
pub mod spec;

pub use resource::STACK_TAG;
