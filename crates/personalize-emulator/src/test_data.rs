//! Data for the unit tests that train or create recommenders, given as a
//! client gives it: a generated CSV written into a bucket's directory and
//! imported by the CreateDatasetImportJob operation, so what the tests
//! train on has passed the real import path.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{json, Value};
use tempfile::TempDir;

use crate::api::Operation;
use crate::clock::Millis;
use crate::error::ApiError;
use crate::model::Model;
use crate::s3::Buckets;

/// The bucket the data is written to.
const BUCKET: &str = "data";

/// `n` interactions of `users` users, each of the next of `event_types` in
/// turn.
pub fn interactions(n: usize, users: usize, event_types: &[&str]) -> String {
    let header = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n".to_string();
    (0..n).fold(header, |mut csv, i| {
        let event_type = event_types[i % event_types.len()];
        let time = 1_700_000_000 + i;
        let _ = writeln!(csv, "u{},i{},{time},{event_type}", i % users, i % 50);
        csv
    })
}

/// A bucket in a temporary directory, and the calls that fill it and
/// import from it.
pub struct Data {
    dir: TempDir,
    buckets: Buckets,
}

impl Data {
    pub fn new() -> Data {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let buckets = Buckets::new(BTreeMap::from([(BUCKET.into(), dir.path().into())]));
        Data { dir, buckets }
    }

    /// Runs the operation `name` on `model` at `now`, as the server would
    /// run a request with `body`.
    pub fn call(
        &self,
        model: &mut Model,
        now: Millis,
        name: &str,
        body: Value,
    ) -> Result<Value, ApiError> {
        let operation = Operation::from_name(name).expect("an operation of the API");
        operation.execute(model, &self.buckets, now, &body)
    }

    /// A dataset group in `domain` (none: custom) and its Item interactions
    /// dataset (with EVENT_TYPE), created from `start` on, each when its
    /// parent is ACTIVE (`delay`, the model's create delay, apart): the
    /// group's and the dataset's ARNs, and when the dataset is ACTIVE.
    pub fn group(
        &self,
        model: &mut Model,
        start: Millis,
        delay: Millis,
        name: &str,
        domain: Option<&str>,
    ) -> (String, String, Millis) {
        let mut group = json!({"name": name});
        if let Some(domain) = domain {
            group["domain"] = Value::from(domain);
        }
        let group = self
            .call(model, start, "CreateDatasetGroup", group)
            .expect("group");
        let group_arn = group["datasetGroupArn"].as_str().unwrap().to_string();
        let fields = json!([
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
            {"name": "EVENT_TYPE", "type": "string"},
        ]);
        let dataset = self.dataset(
            model,
            start + delay,
            &group_arn,
            "Interactions",
            fields,
            domain,
        );
        (group_arn, dataset, start + 2 * delay)
    }

    /// A schema of `fields` (in `domain`) and a dataset of `dataset_type`
    /// with it in the ACTIVE group `group_arn`, created at `now`: the
    /// dataset's ARN.
    pub fn dataset(
        &self,
        model: &mut Model,
        now: Millis,
        group_arn: &str,
        dataset_type: &str,
        fields: Value,
        domain: Option<&str>,
    ) -> String {
        let name = format!("{}-{dataset_type}", group_arn.rsplit('/').next().unwrap());
        let schema = json!({"type": "record", "name": dataset_type, "fields": fields});
        let mut body = json!({"name": name, "schema": schema.to_string()});
        if let Some(domain) = domain {
            body["domain"] = Value::from(domain);
        }
        let schema = self.call(model, now, "CreateSchema", body).expect("schema");
        let dataset = json!({"name": name, "datasetType": dataset_type,
            "datasetGroupArn": group_arn, "schemaArn": schema["schemaArn"]});
        let dataset = self
            .call(model, now, "CreateDataset", dataset)
            .expect("dataset");
        dataset["datasetArn"].as_str().unwrap().to_string()
    }

    /// Writes `csv` as the object `key` and imports it (FULL) into the
    /// dataset at `now`: the job's ARN.
    pub fn import(
        &self,
        model: &mut Model,
        now: Millis,
        dataset_arn: &str,
        key: &str,
        csv: &str,
    ) -> String {
        std::fs::write(self.dir.path().join(key), csv).expect("the object is written");
        let job = json!({"jobName": format!("{key}-{now}").replace('.', "-"), "datasetArn": dataset_arn,
            "dataSource": {"dataLocation": format!("s3://{BUCKET}/{key}")}});
        let job = self
            .call(model, now, "CreateDatasetImportJob", job)
            .expect("import job");
        job["datasetImportJobArn"].as_str().unwrap().to_string()
    }
}
