//! What `validate --data` finds, each where it is: an object's line and
//! column (`s3://b/k:4:3`), an object or location (line 0), or a dataset
//! group's data as a whole. Each is an error: the import, a training or a
//! recommender would fail on it.

use std::fmt;

use personalize_facts::import::Finding;
use serde_json::{json, Value};

use super::local::ListError;
use crate::live::S3Error;
use crate::spec::ImportMode;

/// Where a finding is: `file` is an `s3://` URI, or `datasetGroups.<name>`
/// for a group's minimums; line and column are 0 where they do not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: u64,
    pub column: usize,
}

impl Place {
    pub fn whole(file: impl Into<String>) -> Place {
        Place {
            file: file.into(),
            line: 0,
            column: 0,
        }
    }
}

/// A problem found in the data, or data that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// A row or header the import job would refuse.
    #[error("{}", csv_message(.0))]
    Csv(Finding),
    /// The file had more findings than are shown.
    #[error("{total} findings in this file; the first {shown} are shown")]
    More { shown: usize, total: u64 },
    #[error(transparent)]
    List(#[from] ListError),
    #[error("cannot read {}: {error}", path.display())]
    Unreadable {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
    /// A bucket S3 would not list or an object it would not give: its
    /// error code says why (NoSuchBucket, AccessDenied, ...).
    #[error("cannot read the data: {0}")]
    S3(#[from] S3Error),
    /// "Invalid Data location." (error-messages.html): the import finds nothing.
    #[error("Invalid Data location.: no CSV object at {0}")]
    NoObjects(String),
    /// With `--sandbox`, whose S3 serves only `sandbox.buckets`: the
    /// import would find nothing.
    #[error("Invalid Data location.: bucket `{0}` has no `sandbox.buckets` entry, and the sandbox's S3 serves only those")]
    NotInSandbox(String),
    /// More data than one import job reads (limits.html).
    #[error("the objects hold {bytes} bytes, more than the {max} ({} GB) a dataset import job reads in {} mode ({})", max >> 30, mode_name(*mode), personalize_facts::import::LIMITS_PAGE)]
    TooLarge {
        mode: ImportMode,
        bytes: u64,
        max: u64,
    },
    /// A group's data short of a minimum training or an import needs.
    #[error("dataset group `{group}`: {rule} (found {found}; {page})")]
    TooFew {
        group: String,
        rule: String,
        found: u64,
        page: &'static str,
    },
}

fn mode_name(mode: ImportMode) -> &'static str {
    match mode {
        ImportMode::Full => "FULL",
        ImportMode::Incremental => "INCREMENTAL",
    }
}

/// The message of a CSV finding without its line and column, which the
/// place carries.
fn csv_message(finding: &Finding) -> String {
    match finding {
        Finding::MissingColumns(missing) => missing.to_string(),
        Finding::BadValue {
            field,
            expected,
            value,
            ..
        } => format!("{field}: {value:?} is not a valid {expected}"),
        Finding::Malformed { message, .. } => message.clone(),
    }
}

/// One finding and where it is.
#[derive(Debug)]
pub struct DataFinding {
    pub place: Place,
    pub problem: Problem,
}

impl DataFinding {
    /// A CSV finding of the object at `uri`, at its line and column.
    pub fn csv(uri: &str, finding: Finding) -> DataFinding {
        let (line, column) = match &finding {
            // The header is line 1; it is the columns it lacks, not one of them.
            Finding::MissingColumns(_) => (1, 0),
            Finding::BadValue { line, column, .. } => (*line, *column),
            Finding::Malformed { line, .. } => (*line, 0),
        };
        DataFinding {
            place: Place {
                file: uri.to_string(),
                line,
                column,
            },
            problem: Problem::Csv(finding),
        }
    }

    /// As the `details` of the JSON envelope.
    pub fn to_json(&self) -> Value {
        json!({
            "file": self.place.file,
            "line": self.place.line,
            "column": self.place.column,
            "message": self.problem.to_string(),
        })
    }
}

impl fmt::Display for DataFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Place { file, line, column } = &self.place;
        match (line, column) {
            (0, _) => write!(f, "{file}: ")?,
            (line, 0) => write!(f, "{file}:{line}: ")?,
            (line, column) => write!(f, "{file}:{line}:{column}: ")?,
        }
        write!(f, "{}", self.problem)
    }
}
