//! Streams one CSV file against a dataset's schema: the header first, then
//! every row, each value against its field; counts what parses.

use std::io::Read;

use super::counts::Counts;
use super::field::Field;
use super::header::{Layout, MissingColumns};
use crate::resource::DatasetType;

/// Something wrong in a CSV file, where it is (lines and columns from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Finding {
    #[error("{0}")]
    MissingColumns(MissingColumns),
    #[error("line {line}, column {column} ({field}): {value:?} is not a valid {expected}")]
    BadValue {
        line: u64,
        column: usize,
        field: String,
        expected: &'static str,
        value: String,
    },
    #[error("line {line}: {message}")]
    Malformed { line: u64, message: String },
}

impl Finding {
    fn bad_value(line: u64, column: usize, field: &Field, value: &str) -> Finding {
        Finding::BadValue {
            line,
            column: column + 1,
            field: field.name.clone(),
            // An empty value is wrong only where the field admits no null.
            expected: if value.is_empty() {
                "non-null value"
            } else {
                field.field_type.as_avro()
            },
            value: value.to_string(),
        }
    }
}

/// What reading a file found: its counts (of the rows whose values all
/// parse), the first `max_findings` findings, and how many there were.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub counts: Counts,
    pub findings: Vec<Finding>,
    pub total_findings: u64,
}

impl Report {
    fn found(&mut self, finding: Finding, max_findings: usize) {
        self.total_findings += 1;
        if self.findings.len() < max_findings {
            self.findings.push(finding);
        }
    }
}

/// Reads a CSV file of a `dataset_type` dataset with these schema `fields`.
/// Users' interactions and event types are counted for Interactions
/// datasets (USER_ID, EVENT_TYPE). A header missing required columns ends
/// the reading (no row can be placed). I/O errors surface as `Malformed`.
pub fn read_csv(
    input: impl Read,
    fields: &[Field],
    dataset_type: DatasetType,
    max_findings: usize,
) -> Report {
    let mut report = Report::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::StringRecord::new();
    let layout = match reader.read_record(&mut record) {
        Ok(true) => match Layout::from_header(record.iter(), fields) {
            Ok(layout) => layout,
            Err(missing) => {
                report.found(Finding::MissingColumns(missing), max_findings);
                return report;
            }
        },
        Ok(false) => {
            let missing = Layout::from_header([], fields).err();
            if let Some(missing) = missing {
                report.found(Finding::MissingColumns(missing), max_findings);
            }
            return report;
        }
        Err(e) => {
            report.found(malformed(1, &e), max_findings);
            return report;
        }
    };
    let interactions = dataset_type == DatasetType::Interactions;
    let user = layout.column_of("USER_ID").filter(|_| interactions);
    let event_type = layout.column_of("EVENT_TYPE").filter(|_| interactions);
    let mut line = 1;
    loop {
        line += 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                report.found(malformed(line, &e), max_findings);
                // A broken quote or bad UTF-8 can leave the reader anywhere.
                break;
            }
        }
        if record.len() != layout.columns.len() {
            let message = format!(
                "{} values where the header has {} columns",
                record.len(),
                layout.columns.len()
            );
            report.found(Finding::Malformed { line, message }, max_findings);
            continue;
        }
        let mut valid = true;
        for (column, (field, value)) in layout.columns.iter().zip(record.iter()).enumerate() {
            if let Some(field) = field.as_ref().filter(|f| !f.accepts(value)) {
                report.found(Finding::bad_value(line, column, field, value), max_findings);
                valid = false;
            }
        }
        if valid {
            let value = |c: Option<usize>| c.and_then(|c| record.get(c)).filter(|v| !v.is_empty());
            report.counts.record(value(user), value(event_type));
        }
    }
    report
}

fn malformed(line: u64, e: &csv::Error) -> Finding {
    Finding::Malformed {
        line,
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interactions() -> Vec<Field> {
        let schema = serde_json::json!({"type": "record", "name": "Interactions", "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
            {"name": "EVENT_TYPE", "type": ["null", "string"]},
        ]});
        Field::of_schema(&schema)
    }

    #[test]
    fn counts_valid_rows_and_finds_bad_values_with_line_and_column() {
        let csv = "ITEM_ID,USER_ID,TIMESTAMP,EVENT_TYPE\n\
                   i1,u1,1700000000,View\n\
                   i2,u1,1700000001,\n\
                   i3,u2,soon,View\n\
                   i4,u2,1700000003,Purchase\n\
                   i5,u3\n";
        let report = read_csv(
            csv.as_bytes(),
            &interactions(),
            DatasetType::Interactions,
            20,
        );
        assert_eq!(report.counts.records, 3);
        assert_eq!(report.counts.users_with_two_or_more(), 1);
        assert_eq!(report.counts.events_by_type["View"], 1);
        assert_eq!(report.total_findings, 2);
        assert_eq!(
            report.findings[0].to_string(),
            "line 4, column 3 (TIMESTAMP): \"soon\" is not a valid long"
        );
        assert!(matches!(
            report.findings[1],
            Finding::Malformed { line: 6, .. }
        ));
    }

    #[test]
    fn a_header_missing_columns_stops_the_reading() {
        let csv = "USER_ID,EVENT_TYPE\nu1,View\n";
        let report = read_csv(
            csv.as_bytes(),
            &interactions(),
            DatasetType::Interactions,
            20,
        );
        assert_eq!(
            report.findings,
            [Finding::MissingColumns(MissingColumns(vec![
                "ITEM_ID".into(),
                "TIMESTAMP".into()
            ]))]
        );
        assert_eq!(report.counts.records, 0);
        let empty = read_csv(
            "".as_bytes(),
            &interactions(),
            DatasetType::Interactions,
            20,
        );
        assert_eq!(empty.total_findings, 1);
    }

    #[test]
    fn users_are_counted_only_for_interactions_and_findings_are_capped() {
        let csv = "USER_ID,ITEM_ID,TIMESTAMP\nu,i,x\nu,i,y\nu,i,1\nu,i,2\n";
        let report = read_csv(csv.as_bytes(), &interactions(), DatasetType::Users, 1);
        assert_eq!(report.counts.records, 2);
        assert_eq!(report.counts.users(), 0);
        assert_eq!((report.findings.len(), report.total_findings), (1, 2));
    }
}
