//! The JSON Schema of the spec format, generated from the Rust types so that
//! editors, the checked-in `schemas/spec.schema.json` and the loader's
//! structural checks all share one definition.

use schemars::schema::RootSchema;

use super::SpecFile;

/// The JSON Schema of `SpecFile`.
pub fn json_schema() -> RootSchema {
    schemars::schema_for!(SpecFile)
}

/// The JSON Schema as checked in at `schemas/spec.schema.json` (pretty, trailing newline).
pub fn json_schema_text() -> String {
    schema_text(json_schema())
}

/// A JSON Schema as pzr checks schemas in: pretty, with a trailing newline.
pub fn schema_text(schema: RootSchema) -> String {
    let value = serde_json::to_value(schema).unwrap_or_default();
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
