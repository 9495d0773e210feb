//! The spec: loading, offline validation, and the resolved form the planner uses.

mod checks;
mod data_checks;
mod json_schema;
mod jsonpos;
mod loader;
mod locate;
mod metric_checks;
pub mod patterns;
mod resolve;
mod s3uri;
mod serving_checks;
mod spec_file;
mod structure;
mod tracker_filter_checks;
mod use_case_checks;
mod yaml;

pub use crate::resource::{DatasetType, Domain, Metric, MetricsOutput, RecommenderState};
pub use json_schema::{json_schema, json_schema_text, schema_text};
pub use loader::{load, load_bytes, load_str, MAX_SPEC_BYTES};
pub use s3uri::{BucketNameError, S3Uri, S3UriError, MAX_DATA_LOCATION_CHARS};
pub use spec_file::*;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// A loaded, fully validated spec with its schemas resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The spec file it was loaded from.
    pub path: PathBuf,
    /// SHA-256 (hex) of the spec's resolved content (the YAML and every schema),
    /// recorded in saved plans.
    pub digest: String,
    /// The spec as written.
    pub file: SpecFile,
    /// Every schema of `file.schemas`, resolved and canonicalised, by key.
    pub schemas: BTreeMap<String, ResolvedSchema>,
    /// `sandbox.buckets`: each bucket's directory, resolved against the
    /// spec file's directory; read only with `--sandbox`.
    pub sandbox_buckets: BTreeMap<String, PathBuf>,
}

/// A schema with its content loaded and canonicalised.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedSchema {
    pub key: String,
    /// Canonical JSON (see `avro::canonical_json`).
    pub canonical: String,
    pub domain: Option<Domain>,
    /// Managed name: `<stack>_<key>_<hash>` (see `avro::managed_schema_name`).
    pub name: String,
}

impl Spec {
    pub fn stack(&self) -> &str {
        &self.file.stack
    }
}

/// Name of a dataset: its explicit name, else `<group>-<type>`.
pub fn dataset_name(group: &str, dataset_type: DatasetType, dataset: &DatasetSpec) -> String {
    dataset
        .name
        .clone()
        .unwrap_or_else(|| format!("{group}-{}", dataset_type.spec_key()))
}

/// The name of `group`'s event tracker: its own, or `<group>-tracker`.
pub fn event_tracker_name(group: &str, tracker: &EventTrackerSpec) -> String {
    tracker
        .name
        .clone()
        .unwrap_or_else(|| format!("{group}-tracker"))
}

/// The name of `group`'s metric attribution: its own, or `<group>-metrics`.
pub fn metric_attribution_name(group: &str, attribution: &MetricAttributionSpec) -> String {
    attribution
        .name
        .clone()
        .unwrap_or_else(|| format!("{group}-metrics"))
}

/// The name of `group`'s filter `key`: its own, or `<group>-<key>`.
pub fn filter_name(group: &str, key: &str, filter: &FilterSpec) -> String {
    filter
        .name
        .clone()
        .unwrap_or_else(|| format!("{group}-{key}"))
}

/// The name of `group`'s recommender `key`: its own, or `<group>-<key>`.
pub fn recommender_name(group: &str, key: &str, recommender: &RecommenderSpec) -> String {
    recommender
        .name
        .clone()
        .unwrap_or_else(|| format!("{group}-{key}"))
}

/// The name of `group`'s solution `key`: its own, or `<group>-<key>`.
pub fn solution_name(group: &str, key: &str, solution: &SolutionSpec) -> String {
    solution
        .name
        .clone()
        .unwrap_or_else(|| format!("{group}-{key}"))
}

/// The name of campaign `key` of `group`'s solution `solution`: its own, or
/// `<group>-<solution>-<key>`.
pub fn campaign_name(group: &str, solution: &str, key: &str, campaign: &CampaignSpec) -> String {
    campaign
        .name
        .clone()
        .unwrap_or_else(|| format!("{group}-{solution}-{key}"))
}

/// One problem found in a spec, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the problem has no position (e.g. an unreadable file).
    pub line: usize,
    pub column: usize,
    /// Field path such as `datasetGroups[0].datasets.items.schema`; empty for the whole file.
    pub path: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Where the spec uses what the problem is in, when that is elsewhere
    /// (an `.avsc` file) or a schema shared by datasets.
    #[serde(rename = "usedBy", skip_serializing_if = "Option::is_none")]
    pub used_by: Option<Location>,
}

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub path: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Line 0 is the whole file (one that cannot be read): no position.
        match self.line {
            0 => write!(f, "{}: ", self.file)?,
            _ => write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?,
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        if let Some(used) = &self.used_by {
            write!(
                f,
                "\n  used by: {}:{}:{}: {}",
                used.file, used.line, used.column, used.path
            )?;
        }
        Ok(())
    }
}

/// Every independent problem found in one run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} error(s) in the spec:\n{}", .diagnostics.len(), .diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct SpecError {
    pub diagnostics: Vec<Diagnostic>,
}

impl SpecError {
    /// Each diagnostic as JSON, for the `details` of a `VALIDATION_ERROR` envelope.
    pub fn details(&self) -> Vec<serde_json::Value> {
        self.diagnostics
            .iter()
            .map(|d| serde_json::to_value(d).unwrap_or_default())
            .collect()
    }
}
