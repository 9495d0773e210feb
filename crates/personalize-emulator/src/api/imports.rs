//! What a dataset import job finds at its `dataSource.dataLocation`: the
//! objects `import::objects_read` names (the object of the key, else every
//! CSV object under it as a prefix), read against the dataset's schema with
//! `personalize_facts::import`.

use std::fs::File;

use serde_json::Value;

use crate::clock::Millis;
use crate::error::ApiError;
use crate::model::{Imported, Model, NewResource};
use crate::s3::Buckets;
use personalize_facts::import::{
    objects_read, read_csv, Counts, Field, MIN_INTERACTIONS_PER_IMPORT,
};
use personalize_facts::resource::DatasetType;

/// "Invalid Data location." (error-messages.html): no bucket, no object.
const INVALID_LOCATION: &str = "Invalid Data location.";

/// Reads the data of the import job `new` would create into its dataset.
pub(super) fn read(
    model: &Model,
    buckets: &Buckets,
    now: Millis,
    new: &NewResource,
) -> Result<Imported, ApiError> {
    let text = |k: &str| new.attrs.get(k).and_then(Value::as_str).unwrap_or_default();
    let (schema, dataset_type) = model.import_target(now, text("datasetArn"))?;
    let location = new
        .attrs
        .get("dataSource")
        .and_then(|s| s.get("dataLocation"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(read_location(
        buckets,
        location,
        &Field::of_schema(&schema),
        dataset_type,
    ))
}

fn read_location(
    buckets: &Buckets,
    location: &str,
    fields: &[Field],
    dataset_type: DatasetType,
) -> Imported {
    let failed = |reason: String| Imported::Failed(reason);
    let Some((bucket, key)) = location
        .strip_prefix("s3://")
        .map(|rest| rest.split_once('/').unwrap_or((rest, "")))
    else {
        return failed(INVALID_LOCATION.into());
    };
    let listed = buckets.list(bucket, key).unwrap_or_default();
    let objects = objects_read(key, listed, |o| &o.key);
    if objects.is_empty() {
        return failed(INVALID_LOCATION.into());
    }
    let mut counts = Counts::default();
    for object in objects {
        let file = match File::open(&object.path) {
            Ok(file) => file,
            Err(_) => return failed(INVALID_LOCATION.into()),
        };
        let report = read_csv(file, fields, dataset_type, 1);
        if let Some(finding) = report.findings.first() {
            // AWS documents the text of a missing column only; the others
            // name the object, line and column.
            return failed(match finding {
                personalize_facts::import::Finding::MissingColumns(missing) => missing.to_string(),
                other => format!("s3://{bucket}/{}: {other}", object.key),
            });
        }
        counts.add(&report.counts);
    }
    // `MIN_INTERACTIONS_PER_IMPORT` (limits.html): Interactions imports only.
    // AWS documents no failureReason text for it.
    if dataset_type == DatasetType::Interactions && counts.records < MIN_INTERACTIONS_PER_IMPORT {
        return failed(format!(
            "The import has {} item interaction records; a dataset import job needs at least {MIN_INTERACTIONS_PER_IMPORT}",
            counts.records
        ));
    }
    Imported::Data(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::fmt::Write;

    fn fields() -> Vec<Field> {
        Field::of_schema(
            &serde_json::json!({"type": "record", "name": "Interactions", "fields": [
                {"name": "USER_ID", "type": "string"},
                {"name": "ITEM_ID", "type": "string"},
                {"name": "TIMESTAMP", "type": "long"},
            ]}),
        )
    }

    fn rows(n: usize) -> String {
        (0..n).fold("USER_ID,ITEM_ID,TIMESTAMP\n".to_string(), |mut csv, i| {
            let _ = writeln!(csv, "u{},i{i},{}", i % 30, 1_700_000_000 + i);
            csv
        })
    }

    #[test]
    fn reads_an_object_or_every_csv_under_a_prefix() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("in")).unwrap();
        std::fs::write(dir.path().join("in/a.csv"), rows(600)).unwrap();
        std::fs::write(dir.path().join("in/b.csv"), rows(600)).unwrap();
        std::fs::write(dir.path().join("in/notes.txt"), "x").unwrap();
        let buckets = Buckets::new(BTreeMap::from([("b".into(), dir.path().into())]));
        let read =
            |location| read_location(&buckets, location, &fields(), DatasetType::Interactions);
        let Imported::Data(counts) = read("s3://b/in/") else {
            panic!("two files of 600 rows import");
        };
        assert_eq!(
            (counts.records, counts.users_with_two_or_more()),
            (1200, 30)
        );
        assert_eq!(
            read("s3://b/in/a.csv"),
            Imported::Failed(
                "The import has 600 item interaction records; a dataset import job needs at least 1000".into()
            )
        );
        for bad in ["s3://b/nothing", "s3://nope/in/", "https://b/in/"] {
            assert_eq!(
                read(bad),
                Imported::Failed(INVALID_LOCATION.into()),
                "{bad}"
            );
        }
    }
}
