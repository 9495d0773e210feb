//! `pzr validate` (issue 3).

use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;
use serde_json::json;

use super::{Failure, Format, GlobalArgs};
use crate::spec::{self, Spec};

#[derive(Debug, Args)]
#[command(after_help = VALIDATE_EXAMPLES)]
pub struct ValidateArgs {
    /// The spec file.
    #[arg(short = 'f', long = "file")]
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(_global: &GlobalArgs, args: ValidateArgs) -> Result<u8, Failure> {
    match spec::load(&args.file) {
        Ok(spec) => {
            match args.format {
                Format::Json => {
                    println!("{}", json!({"success": true, "data": summary_json(&spec)}))
                }
                Format::Text | Format::Markdown => println!("{}", summary_line(&spec)),
            }
            Ok(0)
        }
        Err(error) => {
            let count = error.diagnostics.len();
            if args.format != Format::Json {
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
  pzr validate -f pzr.yaml --format json    # every error with file, line, column";
