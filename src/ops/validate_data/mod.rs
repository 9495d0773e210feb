//! `pzr validate --data`: every declared import's objects read as
//! Personalize's dataset import job reads them (`personalize_facts::import`,
//! which the emulator's import jobs share), from the local directory of a
//! `sandbox.buckets` bucket or from S3 (`object::Store`); their sizes
//! against the import limits (`size`); then each dataset group's
//! interactions against the minimums of training and its recommenders
//! (`minimums`). Objects stream through the reader: memory grows with
//! distinct users, never with rows or object sizes.

mod body;
mod finding;
mod local;
mod minimums;
mod object;
mod s3;
mod size;

pub use finding::{DataFinding, Place, Problem};
pub use local::ListError;

use personalize_facts::import::{Counts, Field};

use crate::ops::Target;
use crate::spec::{DatasetSpec, DatasetType, ImportSpec, S3Uri, Spec};
use object::Store;

/// Findings shown per file; the rest are counted ("the first 20 bad rows").
pub const MAX_FINDINGS_PER_FILE: usize = 20;

/// What one import's objects amount to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportCounts {
    pub group: String,
    pub dataset_type: DatasetType,
    pub from: String,
    pub files: usize,
    /// The objects' listed sizes, summed.
    pub bytes: u64,
    pub counts: Counts,
}

/// What reading every import found.
#[derive(Debug, Default)]
pub struct DataReport {
    /// The imports that were read, in spec order.
    pub imports: Vec<ImportCounts>,
    /// Every finding is an error: an import, training or a recommender
    /// would fail on it.
    pub findings: Vec<DataFinding>,
}

/// Reads every import `spec` declares, from where `target` says: S3 with
/// its profile, region and endpoint, except `sandbox.buckets`' directories.
pub async fn validate_data(spec: &Spec, target: &Target) -> DataReport {
    let store = Store::open(spec, target).await;
    let mut report = DataReport::default();
    for group in &spec.file.dataset_groups {
        for (dataset_type, dataset) in group.datasets.iter() {
            let Some(import) = &dataset.import else {
                continue;
            };
            let Some(read) = read_import(
                spec,
                &store,
                dataset_type,
                dataset,
                import,
                &mut report.findings,
            )
            .await
            else {
                continue;
            };
            if dataset_type == DatasetType::Interactions {
                report.findings.extend(minimums::check(
                    group,
                    &import.from,
                    &read.counts,
                    dataset.streamed,
                ));
            }
            report.imports.push(ImportCounts {
                group: group.name.clone(),
                dataset_type,
                from: import.from.clone(),
                files: read.files,
                bytes: read.bytes,
                counts: read.counts,
            });
        }
    }
    report
}

/// One import's objects, read.
struct Read {
    files: usize,
    bytes: u64,
    counts: Counts,
}

/// Reads one import's objects, adding its findings; `None` when there was
/// nothing to read (no bucket, no object).
async fn read_import(
    spec: &Spec,
    store: &Store<'_>,
    dataset_type: DatasetType,
    dataset: &DatasetSpec,
    import: &ImportSpec,
    findings: &mut Vec<DataFinding>,
) -> Option<Read> {
    let from = &import.from;
    // The loader has refused every location that does not parse.
    let uri = S3Uri::parse(from).ok()?;
    let found = |problem: Problem| DataFinding {
        place: Place::whole(from),
        problem,
    };
    let objects = match store.objects(&uri).await {
        Ok(objects) if objects.is_empty() => {
            findings.push(found(Problem::NoObjects(from.to_string())));
            return None;
        }
        Ok(objects) => objects,
        Err(problem) => {
            findings.push(found(problem));
            return None;
        }
    };
    let bytes = objects.iter().map(|o| o.size).sum();
    findings.extend(size::check(from, import.mode, bytes));
    // The loader has resolved every schema a dataset names.
    let schema = spec.schemas.get(&dataset.schema)?;
    let fields = Field::of_schema(&serde_json::from_str(&schema.canonical).ok()?);
    let mut counts = Counts::default();
    for object in &objects {
        let read = match store.read(object, &fields, dataset_type).await {
            Ok(read) => read,
            Err(problem) => {
                findings.push(DataFinding {
                    place: Place::whole(&object.uri),
                    problem,
                });
                continue;
            }
        };
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
    Some(Read {
        files: objects.len(),
        bytes,
        counts,
    })
}
