//! Data for the emulator's trainings, given as a client gives it: a
//! generated CSV written into the directory of a bucket the emulator was
//! started with, imported by CreateDatasetImportJob through the real SDK.
//! The emulator fails a solution version or a recommender whose group lacks
//! data, as Personalize does, so every test that trains gives its group
//! data first, in a line: `bucket.give_data(&emu, &group, items).await`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_sdk_personalize::types::DataSource;
use aws_sdk_personalize::Client;
use personalize_emulator::RunningEmulator;
use serde_json::{json, Value};

use crate::support::account::{create_dataset, create_schema_in};
use crate::support::clock::until;

/// The bucket's name in the emulator.
const BUCKET: &str = "data";

/// Every event type a use case or a test's solution filters on: each gets
/// 1000 events, the use cases' minimum.
pub const EVENT_TYPES: [&str; 4] = ["View", "Purchase", "Watch", "Click"];
const EVENTS_OF_EACH_TYPE: usize = 1000;
/// Users in the generated interactions: 25 with two or more are needed.
const USERS: usize = 40;
const ITEMS: usize = 100;

/// How far a manual clock is moved at a time while an import runs.
const STEP: Duration = Duration::from_millis(100);

/// Import jobs made by this process, to name each one apart.
static JOBS: AtomicUsize = AtomicUsize::new(0);

/// A bucket in a temporary directory, for an emulator to be started with.
pub struct Bucket {
    dir: tempfile::TempDir,
}

impl Bucket {
    pub fn new() -> Bucket {
        Bucket {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    /// `EmulatorConfig.buckets` for an emulator that reads this bucket.
    pub fn buckets(&self) -> BTreeMap<String, PathBuf> {
        BTreeMap::from([(BUCKET.to_string(), self.dir.path().to_path_buf())])
    }

    /// Gives the dataset group `group` (an ARN) Item interactions data that
    /// every recipe and use case trains on (1000 events of each of
    /// `EVENT_TYPES`, `USERS` users), and Items data if `items`: each into
    /// the group's dataset of its type, made (with a schema for the group's
    /// domain) if it has none, and generated to fit that dataset's schema.
    /// Returns once each import is ACTIVE, moving a manual clock
    /// `STEP` at a time until it is (the group and datasets too).
    pub async fn give_data(&self, emu: &RunningEmulator, group: &str, items: bool) {
        let client = emu.client();
        wait_active(emu, "the dataset group", || group_status(&client, group)).await;
        let described = client
            .describe_dataset_group()
            .dataset_group_arn(group)
            .send();
        let described = described.await.expect("the group is there");
        let group_info = described.dataset_group().expect("a dataset group");
        let name = group_info.name().unwrap_or_default().to_string();
        let domain = group_info.domain().map(|d| d.as_str().to_string());
        let mut types = vec!["Interactions"];
        if items {
            types.push("Items");
        }
        for dataset_type in types {
            let target =
                Target::find_or_make(emu, group, &name, domain.as_deref(), dataset_type).await;
            let key = format!("{}.csv", target.name);
            std::fs::write(
                self.dir.path().join(&key),
                csv(&target.fields, dataset_type),
            )
            .expect("CSV written");
            target.import(emu, &key).await;
        }
    }
}

impl Default for Bucket {
    fn default() -> Bucket {
        Bucket::new()
    }
}

/// A dataset data is imported into, with its schema's fields.
struct Target {
    arn: String,
    name: String,
    fields: Vec<(String, String)>,
}

impl Target {
    /// The group's dataset of `dataset_type`, made if there is none.
    async fn find_or_make(
        emu: &RunningEmulator,
        group: &str,
        group_name: &str,
        domain: Option<&str>,
        dataset_type: &str,
    ) -> Target {
        let client = emu.client();
        let listed = client.list_datasets().dataset_group_arn(group).send().await;
        let listed = listed.expect("datasets listed");
        let found = listed.datasets().iter().find(|d| {
            d.dataset_type()
                .is_some_and(|t| t.eq_ignore_ascii_case(dataset_type))
        });
        let (arn, name) = match found {
            Some(d) => (
                d.dataset_arn().unwrap_or_default().to_string(),
                d.name().unwrap_or_default().to_string(),
            ),
            None => {
                let name = format!("{group_name}-{}-data", dataset_type.to_lowercase());
                let schema = default_schema(dataset_type, domain);
                let domain = domain.map(aws_sdk_personalize::types::Domain::from);
                let schema_arn = create_schema_in(&client, &name, &schema, domain).await;
                let arn = create_dataset(&client, &name, group, &schema_arn, dataset_type).await;
                (arn, name)
            }
        };
        wait_active(emu, &name, || dataset_status(&client, &arn)).await;
        let dataset = client.describe_dataset().dataset_arn(&arn).send().await;
        let schema_arn = dataset
            .expect("dataset")
            .dataset()
            .and_then(|d| d.schema_arn())
            .unwrap_or_default()
            .to_string();
        let schema = client
            .describe_schema()
            .schema_arn(&schema_arn)
            .send()
            .await;
        let text = schema
            .expect("schema")
            .schema()
            .and_then(|s| s.schema())
            .unwrap_or_default()
            .to_string();
        Target {
            arn,
            name,
            fields: fields_of(&text),
        }
    }

    /// Imports the object `key` (FULL) and waits until the job is ACTIVE.
    async fn import(&self, emu: &RunningEmulator, key: &str) {
        let client = emu.client();
        let job_name = format!("{}-{}", self.name, JOBS.fetch_add(1, Ordering::Relaxed));
        let source = DataSource::builder()
            .data_location(format!("s3://{BUCKET}/{key}"))
            .build();
        let job = client
            .create_dataset_import_job()
            .job_name(&job_name)
            .dataset_arn(&self.arn)
            .data_source(source)
            .role_arn("arn:aws:iam::111122223333:role/PersonalizeS3Read")
            .send()
            .await
            .expect("the import job is created");
        let job = job.dataset_import_job_arn().unwrap_or_default().to_string();
        wait_active(emu, &job_name, || async {
            let out = client
                .describe_dataset_import_job()
                .dataset_import_job_arn(&job)
                .send()
                .await;
            let job = out
                .expect("the job is there")
                .dataset_import_job()
                .cloned()
                .unwrap();
            (
                job.status().unwrap_or_default().to_string(),
                job.failure_reason().map(String::from),
            )
        })
        .await;
    }
}

/// The CSV of a dataset of `dataset_type` whose schema has `fields`: for
/// Item interactions 1000 events of each of `EVENT_TYPES` from `USERS`
/// users on `ITEMS` items; for other datasets one record per item; every
/// field of the schema filled.
fn csv(fields: &[(String, String)], dataset_type: &str) -> String {
    let rows = if dataset_type == "Interactions" {
        EVENTS_OF_EACH_TYPE * EVENT_TYPES.len()
    } else {
        ITEMS
    };
    let header: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    let mut csv = header.join(",") + "\n";
    for i in 0..rows {
        let values: Vec<String> = fields.iter().map(|(n, t)| value(n, t, i)).collect();
        let _ = writeln!(csv, "{}", values.join(","));
    }
    csv
}

/// The data a spec's `import` reads, for a dataset of `dataset_type` with
/// `schema` (Avro, as JSON): enough for every use case and training.
pub fn csv_for(schema: &Value, dataset_type: &str) -> String {
    csv(&fields_of(&schema.to_string()), dataset_type)
}

/// A schema for a dataset of `dataset_type` in a group of `domain`.
fn default_schema(dataset_type: &str, domain: Option<&str>) -> String {
    let fields = match (dataset_type, domain) {
        ("Interactions", _) => json!([
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
            {"name": "EVENT_TYPE", "type": "string"},
        ]),
        (_, Some("ECOMMERCE")) => json!([
            {"name": "ITEM_ID", "type": "string"},
            {"name": "PRICE", "type": "float"},
            {"name": "CATEGORY_L1", "type": "string", "categorical": true},
        ]),
        (_, Some("VIDEO_ON_DEMAND")) => json!([
            {"name": "ITEM_ID", "type": "string"},
            {"name": "GENRES", "type": "string", "categorical": true},
            {"name": "CREATION_TIMESTAMP", "type": "long"},
        ]),
        _ => json!([
            {"name": "ITEM_ID", "type": "string"},
            {"name": "CATEGORY", "type": ["null", "string"], "categorical": true},
        ]),
    };
    json!({"type": "record", "name": dataset_type, "namespace": "com.amazonaws.personalize.schema",
        "fields": fields, "version": "1.0"})
    .to_string()
}

/// Each field's name and Avro type (the first that is not null).
fn fields_of(schema: &str) -> Vec<(String, String)> {
    let schema: Value = serde_json::from_str(schema).expect("a JSON schema");
    let fields = schema["fields"].as_array().cloned().unwrap_or_default();
    fields
        .iter()
        .map(|f| {
            let type_name = match &f["type"] {
                Value::Array(union) => union
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|t| *t != "null"),
                other => other.as_str(),
            };
            let name = f["name"].as_str().unwrap_or_default();
            (name.to_string(), type_name.unwrap_or("string").to_string())
        })
        .collect()
}

/// The value of the field `name` of Avro type `avro_type` in record `i`.
fn value(name: &str, avro_type: &str, i: usize) -> String {
    match name {
        "USER_ID" => format!("u{}", i % USERS),
        "ITEM_ID" => format!("i{}", i % ITEMS),
        "EVENT_TYPE" => EVENT_TYPES[i % EVENT_TYPES.len()].to_string(),
        "TIMESTAMP" | "CREATION_TIMESTAMP" => (1_767_225_600 + i).to_string(),
        _ => match avro_type {
            "int" | "long" => "1".into(),
            "float" | "double" => "1.5".into(),
            "boolean" => "true".into(),
            _ => format!("v{}", i % 5),
        },
    }
}

async fn group_status(client: &Client, arn: &str) -> (String, Option<String>) {
    let out = client
        .describe_dataset_group()
        .dataset_group_arn(arn)
        .send()
        .await;
    let group = out
        .expect("the group is there")
        .dataset_group()
        .cloned()
        .unwrap();
    (
        group.status().unwrap_or_default().to_string(),
        group.failure_reason().map(String::from),
    )
}

async fn dataset_status(client: &Client, arn: &str) -> (String, Option<String>) {
    let out = client.describe_dataset().dataset_arn(arn).send().await;
    let dataset = out
        .expect("the dataset is there")
        .dataset()
        .cloned()
        .unwrap();
    (dataset.status().unwrap_or_default().to_string(), None)
}

/// Polls `status` (a status and failure reason) until it is ACTIVE, moving a
/// manual clock `STEP` at a time; panics if it ends CREATE FAILED.
async fn wait_active<F, Fut>(emu: &RunningEmulator, what: &str, status: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = (String, Option<String>)>,
{
    until(&format!("{what} ACTIVE"), || async {
        let (status, reason) = status().await;
        assert_ne!(status, "CREATE FAILED", "{what}: {reason:?}");
        if status == "ACTIVE" {
            return true;
        }
        if emu.clock().is_manual() {
            emu.clock().advance(STEP).expect("a manual clock");
        }
        false
    })
    .await;
}
