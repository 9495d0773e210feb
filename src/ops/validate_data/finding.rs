//! What `validate --data` finds, each where it is: an object's line and
//! column (`s3://b/k:4:3`), an object or location (line 0), or a dataset
//! group's data as a whole.

use std::fmt;

use personalize_facts::import::Finding;
use serde_json::{json, Value};

use super::local::ListError;

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

/// A problem found in the data, or a location that was not read.
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
    #[error("cannot read {path}: {error}")]
    Unreadable { path: String, error: std::io::Error },
    /// "Invalid Data location." (error-messages.html): the import finds nothing.
    #[error("Invalid Data location.: no CSV object at {0}")]
    NoObjects(String),
    /// Only local buckets are read by this version (a warning, not a failure).
    #[error("not checked: bucket `{0}` has no `sandbox.buckets` entry, and this pzr reads only local buckets through sandbox.buckets")]
    NotChecked(String),
    /// A group's data short of a minimum training or an import needs.
    #[error("dataset group `{group}`: {rule} (found {found}; {page})")]
    TooFew {
        group: String,
        rule: String,
        found: u64,
        page: &'static str,
    },
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
    /// Whether the import, training or a recommender would fail on it
    /// (everything but a location left unread).
    pub fn is_error(&self) -> bool {
        !matches!(self.problem, Problem::NotChecked(_))
    }

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
            "severity": if self.is_error() { "error" } else { "warning" },
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
        if !self.is_error() {
            f.write_str("warning: ")?;
        }
        write!(f, "{}", self.problem)
    }
}
