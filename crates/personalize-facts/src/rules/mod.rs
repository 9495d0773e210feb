//! Personalize's rulebook: what the real service refuses in a schema, as
//! data (`table`) with the developer-guide page of each rule, and the checks
//! that apply it (`schema`). `pzr validate` and the emulator both call these,
//! so pzr refuses offline exactly what its emulator (and AWS) refuses online.
//!
//! Which call refuses what: AWS's CreateSchema takes no dataset type, so it
//! can only check what holds for every schema (the flat type system, the
//! `categorical`/`textual` attributes on strings, unique names); whether the
//! fields suit a dataset type and domain (required fields, reserved
//! keywords, metadata counts) can only be known at CreateDataset. The pages
//! do not say which call refuses which rule, and no recorded AWS response
//! says otherwise, so the emulator refuses each rule at the first call that
//! can know it is broken.

pub mod filter;
pub mod metrics;
pub mod recipes;
mod schema;
pub mod serving_limits;
pub mod shape;
pub mod solution_config;
mod suggest;
pub mod table;

use std::fmt;

pub use schema::{check_dataset_schema, check_schema};
pub use suggest::did_you_mean;

/// The Avro types a Personalize field may have, besides null
/// (how-it-works-dataset-schema, "Schema data types").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    Int,
    Long,
    Float,
    Double,
    Boolean,
    String,
}

impl Primitive {
    pub fn from_avro(name: &str) -> Option<Primitive> {
        Some(match name {
            "int" => Primitive::Int,
            "long" => Primitive::Long,
            "float" => Primitive::Float,
            "double" => Primitive::Double,
            "boolean" => Primitive::Boolean,
            "string" => Primitive::String,
            _ => return None,
        })
    }

    pub fn as_avro(self) -> &'static str {
        match self {
            Primitive::Int => "int",
            Primitive::Long => "long",
            Primitive::Float => "float",
            Primitive::Double => "double",
            Primitive::Boolean => "boolean",
            Primitive::String => "string",
        }
    }
}

impl fmt::Display for Primitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_avro())
    }
}

/// The first call at which Personalize can refuse a broken rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    CreateSchema,
    CreateDataset,
}

/// One broken rule, with where in the schema JSON it lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// RFC 6901 JSON Pointer into the schema (`/fields/3/type`); `/fields`
    /// for a missing field.
    pub pointer: String,
    pub stage: Stage,
    /// Names the field and the rule.
    pub message: String,
    /// What to write instead, naming the field and its type.
    pub hint: String,
    /// The developer-guide page the rule comes from.
    pub source: &'static str,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
