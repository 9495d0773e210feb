//! Patterns of the spec's own names (fully anchored), beside the API's
//! patterns they are checked with; shared by the validator and the JSON Schema.

pub use personalize_facts::patterns::*;

pub const STACK: &str = r"^[a-z0-9][a-z0-9-]{0,31}$";
pub const SCHEMA_KEY: &str = r"^[a-z0-9][a-z0-9-]{0,19}$";
