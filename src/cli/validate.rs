//! `pzr validate` (issue 3).

use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;
use serde_json::json;

use super::{Failure, GlobalArgs, ReportFormat};
use crate::ops::{
    self,
    validate_data::{DataFinding, ImportCounts},
};
use crate::spec::{self, DatasetType, Spec};

#[derive(Debug, Args)]
#[command(after_help = VALIDATE_EXAMPLES)]
pub struct ValidateArgs {
    /// The spec file.
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    /// How to print it (text or json).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Also read every import's objects (from `sandbox.buckets`' directories,
    /// else from S3) and check them as Personalize's import and training would.
    #[arg(long)]
    pub data: bool,
}

pub async fn run(global: &GlobalArgs, args: ValidateArgs) -> Result<u8, Failure> {
    match spec::load(&args.file) {
        Ok(spec) if args.data => data(&spec, &global.target(), args.format).await,
        Ok(spec) => {
            match args.format {
                ReportFormat::Json => {
                    println!("{}", json!({"success": true, "data": summary_json(&spec)}))
                }
                ReportFormat::Text => println!("{}", summary_line(&spec)),
            }
            Ok(0)
        }
        Err(error) => {
            let count = error.diagnostics.len();
            if args.format != ReportFormat::Json {
                // The envelope prints only the short message; people need every diagnostic.
                for diagnostic in &error.diagnostics {
                    eprintln!("{diagnostic}");
                }
            }
            Err(Failure {
                code: "VALIDATION_ERROR",
                error: anyhow!(
                    "spec {} has {count} {}",
                    args.file.display(),
                    plural(count, "error", "errors")
                ),
                details: error.details(),
                plan: None,
            })
        }
    }
}

/// `--data`: the spec is valid; prints what its imports' files amount to
/// and fails when an import, training or a recommender would.
async fn data(spec: &Spec, target: &ops::Target, format: ReportFormat) -> Result<u8, Failure> {
    let report = ops::validate_data(spec, target).await;
    let errors = &report.findings;
    if format == ReportFormat::Json {
        if errors.is_empty() {
            let mut data = summary_json(spec);
            data["imports"] = report.imports.iter().map(import_json).collect();
            println!("{}", json!({"success": true, "data": data}));
        }
    } else {
        println!("{}", summary_line(spec));
        for import in &report.imports {
            println!("{}", import_line(import));
        }
        // Like the spec's diagnostics: every one, on stderr.
        for finding in &report.findings {
            eprintln!("{finding}");
        }
    }
    if errors.is_empty() {
        return Ok(0);
    }
    let count = errors.len();
    Err(Failure {
        code: "VALIDATION_ERROR",
        error: anyhow!(
            "the data of spec {} has {count} {}",
            spec.path.display(),
            plural(count, "error", "errors")
        ),
        details: report.findings.iter().map(DataFinding::to_json).collect(),
        plan: None,
    })
}

/// `s3://b/k (interactions of retail): 2 files (24.6 KB), 1200 records, 30
/// users with 2 or more interactions, events View 1000, Purchase 200`.
fn import_line(import: &ImportCounts) -> String {
    let counts = &import.counts;
    let mut line = format!(
        "{} ({} of {}): {} {} ({}), {} {}",
        import.from,
        import.dataset_type,
        import.group,
        import.files,
        plural(import.files, "file", "files"),
        bytes(import.bytes),
        counts.records,
        plural(counts.records as usize, "record", "records"),
    );
    if import.dataset_type == DatasetType::Interactions {
        line += &format!(
            ", {} users with 2 or more interactions",
            counts.users_with_two_or_more()
        );
        if !counts.events_by_type.is_empty() {
            let events: Vec<String> = counts
                .events_by_type
                .iter()
                .map(|(event_type, n)| format!("{event_type} {n}"))
                .collect();
            line += &format!(", events {}", events.join(", "));
        }
    }
    line
}

fn import_json(import: &ImportCounts) -> serde_json::Value {
    let counts = &import.counts;
    json!({
        "group": import.group,
        "dataset": import.dataset_type.spec_key(),
        "from": import.from,
        "files": import.files,
        "bytes": import.bytes,
        "records": counts.records,
        "usersWithTwoOrMore": counts.users_with_two_or_more(),
        "eventsByType": counts.events_by_type,
    })
}

/// A size as people read it, in the units of the import limits (GB = 2^30 bytes).
fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut size = n as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

fn dataset_count(spec: &Spec) -> usize {
    spec.file
        .dataset_groups
        .iter()
        .map(|g| g.datasets.iter().count())
        .sum()
}

fn summary_line(spec: &Spec) -> String {
    let groups = spec.file.dataset_groups.len();
    let datasets = dataset_count(spec);
    let schemas = spec.schemas.len();
    format!(
        "spec {} is valid: stack {}, {groups} {}, {datasets} {}, {schemas} {}",
        spec.path.display(),
        spec.stack(),
        plural(groups, "dataset group", "dataset groups"),
        plural(datasets, "dataset", "datasets"),
        plural(schemas, "schema", "schemas"),
    )
}

fn summary_json(spec: &Spec) -> serde_json::Value {
    let schemas: serde_json::Map<String, serde_json::Value> = spec
        .schemas
        .iter()
        .map(|(key, schema)| (key.clone(), json!(schema.name)))
        .collect();
    json!({
        "stack": spec.stack(),
        "datasetGroups": spec.file.dataset_groups.len(),
        "datasets": dataset_count(spec),
        "schemas": schemas,
        "digest": spec.digest,
    })
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

const VALIDATE_EXAMPLES: &str = "Examples:
  pzr validate -f pzr.yaml
  pzr validate -f pzr.yaml --format json    # every error with file, line, column
  pzr validate -f pzr.yaml --data           # also read and check the imports' data";
