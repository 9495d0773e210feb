//! `pzr validate --data`: every declared import's files read as
//! Personalize's dataset import job reads them (`personalize_facts::import`,
//! which the emulator's import jobs share), then each dataset group's
//! interactions against the minimums of training and its recommenders.
//! Only buckets backed by a directory (`sandbox.buckets`) are read by this
//! version; an import from any other bucket is reported as not checked.
//! Files stream through the reader: memory grows with distinct users, never
//! with rows.

mod finding;
mod local;
mod minimums;

pub use finding::{DataFinding, Place, Problem};
pub use local::ListError;

use std::fs::File;

use personalize_facts::import::{read_csv, Counts, Field};

use crate::spec::{DatasetGroupSpec, DatasetSpec, DatasetType, S3Uri, Spec};

/// Findings shown per file; the rest are counted ("the first 20 bad rows").
pub const MAX_FINDINGS_PER_FILE: usize = 20;

/// What one import's files amount to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportCounts {
    pub group: String,
    pub dataset_type: DatasetType,
    pub from: String,
    pub files: usize,
    pub counts: Counts,
}

/// What reading every import found.
#[derive(Debug, Default)]
pub struct DataReport {
    /// The imports that were read, in spec order.
    pub imports: Vec<ImportCounts>,
    pub findings: Vec<DataFinding>,
}

impl DataReport {
    /// Whether an import, training or a recommender would fail on the data.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(DataFinding::is_error)
    }
}

/// Reads every import `spec` declares.
pub fn validate_data(spec: &Spec) -> DataReport {
    let mut report = DataReport::default();
    for group in &spec.file.dataset_groups {
        for (dataset_type, dataset) in group.datasets.iter() {
            let Some(import) = &dataset.import else {
                continue;
            };
            let Some(counts) = read_import(
                spec,
                group,
                dataset_type,
                dataset,
                &import.from,
                &mut report.findings,
            ) else {
                continue;
            };
            if dataset_type == DatasetType::Interactions {
                report.findings.extend(minimums::check(
                    group,
                    &import.from,
                    &counts.counts,
                    dataset.streamed,
                ));
            }
            report.imports.push(counts);
        }
    }
    report
}

/// Reads one import's objects, adding its findings; `None` when it was not
/// read (not a local bucket, or nothing there to read).
fn read_import(
    spec: &Spec,
    group: &DatasetGroupSpec,
    dataset_type: DatasetType,
    dataset: &DatasetSpec,
    from: &str,
    findings: &mut Vec<DataFinding>,
) -> Option<ImportCounts> {
    // The loader has refused every location that does not parse.
    let uri = S3Uri::parse(from).ok()?;
    let found = |problem: Problem| DataFinding {
        place: Place::whole(from),
        problem,
    };
    let Some(dir) = spec.sandbox_buckets.get(&uri.bucket) else {
        findings.push(found(Problem::NotChecked(uri.bucket)));
        return None;
    };
    let objects = match local::objects(&uri.bucket, dir, &uri.key) {
        Ok(objects) if objects.is_empty() => {
            findings.push(found(Problem::NoObjects(from.to_string())));
            return None;
        }
        Ok(objects) => objects,
        Err(error) => {
            findings.push(found(error.into()));
            return None;
        }
    };
    // The loader has resolved every schema a dataset names.
    let schema = spec.schemas.get(&dataset.schema)?;
    let fields = Field::of_schema(&serde_json::from_str(&schema.canonical).ok()?);
    let mut counts = Counts::default();
    for object in &objects {
        let file = match File::open(&object.path) {
            Ok(file) => file,
            Err(error) => {
                findings.push(DataFinding {
                    place: Place::whole(&object.uri),
                    problem: Problem::Unreadable {
                        path: object.path.display().to_string(),
                        error,
                    },
                });
                continue;
            }
        };
        let read = read_csv(file, &fields, dataset_type, MAX_FINDINGS_PER_FILE);
        let shown = read.findings.len();
        findings.extend(
            read.findings
                .into_iter()
                .map(|f| DataFinding::csv(&object.uri, f)),
        );
        if read.total_findings > shown as u64 {
            findings.push(DataFinding {
                place: Place::whole(&object.uri),
                problem: Problem::More {
                    shown,
                    total: read.total_findings,
                },
            });
        }
        counts.add(&read.counts);
    }
    Some(ImportCounts {
        group: group.name.clone(),
        dataset_type,
        from: from.to_string(),
        files: objects.len(),
        counts,
    })
}
