//! `pzr validate --data` end to end: a spec in a temporary directory whose
//! `sandbox.buckets` back its imports, with CSV files written by each test;
//! and imports from any other bucket, read from the emulator's S3 face as
//! they would be from S3.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::emulator::instant;
use crate::support::env::Env;
use crate::support::offline::{self, text};

/// A custom group whose interactions import from `from`; bucket
/// `acme-data` is `./data`.
fn spec_text(from: &str) -> String {
    format!(
        r#"version: 1
stack: shop
region: us-east-1
schemas:
  interactions:
    definition:
      type: record
      name: Interactions
      namespace: com.amazonaws.personalize.schema
      fields:
        - {{name: USER_ID, type: string}}
        - {{name: ITEM_ID, type: string}}
        - {{name: TIMESTAMP, type: long}}
        - {{name: EVENT_TYPE, type: string}}
      version: "1.0"
datasetGroups:
  - name: shop
    datasets:
      interactions:
        schema: interactions
        import: {{from: "{from}", roleArn: "arn:aws:iam::111122223333:role/PersonalizeS3Read"}}
sandbox:
  buckets: {{acme-data: ./data}}
"#
    )
}

fn spec(dir: &Path, from: &str) -> String {
    let path = dir.join("pzr.yaml");
    std::fs::write(&path, spec_text(from)).expect("write spec");
    path.display().to_string()
}

/// `n` interactions of 30 users, under a header `header`.
fn csv(header: &str, n: usize) -> String {
    (0..n).fold(format!("{header}\n"), |mut csv, i| {
        let _ = writeln!(csv, "u{},i{i},{},View", i % 30, 1_700_000_000 + i);
        csv
    })
}

/// Writes `text` as `key` of the bucket in `dir`.
fn write(dir: &Path, key: &str, text: &str) {
    let path = dir.join(key);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write csv");
}

fn validate(spec: &str, json: bool) -> Output {
    let mut args = vec!["validate", "-f", spec, "--data"];
    if json {
        args.extend(["--format", "json"]);
    }
    offline::pzr(&args)
}

const HEADER: &str = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE";

#[test]
fn good_data_under_a_prefix_passes_with_its_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    write(&data, "events/a.csv", &csv(HEADER, 700));
    write(&data, "events/b.csv", &csv(HEADER, 500));
    write(&data, "events/notes.txt", "not read: not a CSV object");
    let spec = spec(dir.path(), "s3://acme-data/events/");
    let out = validate(&spec, false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(
            "s3://acme-data/events/ (interactions of shop): 2 files (28.8 KB), 1200 records, 30 users with 2 or more interactions, events View 1200\n"
        ),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(text(&out.stderr), "");
    let doc: Value = serde_json::from_slice(&validate(&spec, true).stdout).expect("JSON");
    assert_eq!(doc["success"], true);
    let import = &doc["data"]["imports"][0];
    assert_eq!(import["records"], 1200);
    let bytes = csv(HEADER, 700).len() + csv(HEADER, 500).len();
    assert_eq!(import["bytes"], bytes);
    assert_eq!(import["usersWithTwoOrMore"], 30);
    assert_eq!(import["eventsByType"]["View"], 1200);
}

#[test]
fn a_missing_column_fails_as_the_import_would() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = csv(HEADER, 1200).replacen(HEADER, "USER_ID,ITEM_ID,WHEN,EVENT_TYPE", 1);
    write(&dir.path().join("data"), "i.csv", &rows);
    let out = validate(&spec(dir.path(), "s3://acme-data/i.csv"), false);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "s3://acme-data/i.csv:1: Input CSV is missing the following columns:[TIMESTAMP]\n"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bad_values_are_located_at_file_line_and_column_and_capped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = csv(HEADER, 1200)
        .lines()
        .enumerate()
        // Lines 2, 102, ... 2402 / 100: 12 bad timestamps, 25 more below.
        .map(|(i, line)| match i % 100 {
            1 => line.replace(",17", ",soon17"),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let more: String = (0..25).map(|i| format!("\nu{i},i,later,View")).collect();
    write(
        &dir.path().join("data"),
        "i.csv",
        &format!("{rows}{more}\n"),
    );
    let spec = spec(dir.path(), "s3://acme-data/i.csv");
    let out = validate(&spec, false);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "s3://acme-data/i.csv:2:3: TIMESTAMP: \"soon1700000000\" is not a valid long\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("s3://acme-data/i.csv: 37 findings in this file; the first 20 are shown\n"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("is not a valid long").count(), 20);
    let doc: Value = serde_json::from_slice(&validate(&spec, true).stdout).expect("JSON");
    assert_eq!(doc["error"]["code"], "VALIDATION_ERROR");
    let first = &doc["error"]["details"][0];
    assert_eq!(first["file"], "s3://acme-data/i.csv");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(2), Some(3))
    );
}

#[test]
fn too_few_interactions_name_the_group_the_rule_and_the_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("data"), "i.csv", &csv(HEADER, 40));
    let out = validate(&spec(dir.path(), "s3://acme-data/i.csv"), false);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("s3://acme-data/i.csv: dataset group `shop`: a dataset import job of item interactions needs at least 1000 records (found 40; https://docs.aws.amazon.com/personalize/latest/dg/limits.html)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("training needs at least 25 users with 2 or more interactions (found 10;"),
        "{stderr}"
    );
}

#[test]
fn a_local_bucket_without_its_directory_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    // No ./data directory behind `acme-data`.
    let out = validate(&spec(dir.path(), "s3://acme-data/i.csv"), false);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("s3://acme-data/i.csv: cannot read the directory"),
        "{}",
        text(&out.stderr)
    );
}

/// An emulator whose S3 face serves bucket `acme-s3` from a directory of
/// its own (returned with it); the spec's `sandbox.buckets` lists only
/// `acme-data`.
async fn with_s3_bucket() -> (Env, TempDir) {
    let bucket = tempfile::tempdir().expect("tempdir");
    let env = Env::with(personalize_emulator::EmulatorConfig {
        buckets: BTreeMap::from([("acme-s3".to_string(), bucket.path().to_path_buf())]),
        ..instant()
    })
    .await;
    (env, bucket)
}

#[tokio::test]
async fn a_bucket_not_in_the_sandbox_is_read_from_s3() {
    let (env, bucket) = with_s3_bucket().await;
    let bucket = bucket.path();
    write(bucket, "events/a.csv", &csv(HEADER, 700));
    write(bucket, "events/b.csv", &csv(HEADER, 500));
    let spec = env.write("pzr.yaml", &spec_text("s3://acme-s3/events/"));
    let spec = spec.to_str().expect("utf-8");
    let run = env.pzr(&["validate", "-f", spec, "--data"]).await.expect(0);
    assert!(
        run.stdout.contains(
            "s3://acme-s3/events/ (interactions of shop): 2 files (28.8 KB), 1200 records, 30 users with 2 or more interactions"
        ),
        "{}",
        run.stdout
    );
    let bad = csv(HEADER, 500).replacen(",1700000003,", ",soon,", 1);
    write(bucket, "events/b.csv", &bad);
    let run = env.pzr(&["validate", "-f", spec, "--data"]).await.expect(1);
    assert!(
        run.stderr
            .contains("s3://acme-s3/events/b.csv:5:3: TIMESTAMP: \"soon\" is not a valid long\n"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn a_bucket_s3_will_not_list_is_named_with_its_error_code() {
    let (env, _bucket) = with_s3_bucket().await;
    let spec = env.write("pzr.yaml", &spec_text("s3://elsewhere/i.csv"));
    let spec = spec.to_str().expect("utf-8");
    let run = env
        .pzr(&["validate", "-f", spec, "--data", "--format", "json"])
        .await
        .expect(1);
    let doc = run.json();
    assert_eq!(doc["error"]["code"], "VALIDATION_ERROR");
    let finding = &doc["error"]["details"][0];
    assert_eq!(finding["file"], "s3://elsewhere/i.csv");
    let message = finding["message"].as_str().expect("message");
    assert!(
        message.starts_with(
            "cannot read the data: ListObjectsV2 of bucket `elsewhere` failed: NoSuchBucket"
        ),
        "{message}"
    );
}
