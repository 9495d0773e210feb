//! `pzr validate --data` end to end: a spec in a temporary directory whose
//! `sandbox.buckets` back its imports, with CSV files written by each test.

use std::fmt::Write;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// A custom group whose interactions import from `from`; bucket
/// `acme-data` is `./data`.
fn spec(dir: &Path, from: &str) -> String {
    let text = format!(
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
    );
    let path = dir.join("pzr.yaml");
    std::fs::write(&path, text).expect("write spec");
    path.display().to_string()
}

/// `n` interactions of 30 users, under a header `header`.
fn csv(header: &str, n: usize) -> String {
    (0..n).fold(format!("{header}\n"), |mut csv, i| {
        let _ = writeln!(csv, "u{},i{i},{},View", i % 30, 1_700_000_000 + i);
        csv
    })
}

fn write(dir: &Path, key: &str, text: &str) {
    let path = dir.join("data").join(key);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write csv");
}

fn pzr(spec: &str, json: bool) -> Output {
    let mut args = vec!["validate", "-f", spec, "--data"];
    if json {
        args.extend(["--format", "json"]);
    }
    Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(args)
        // Local data only: no AWS settings may be needed or consulted.
        .env_remove("AWS_PROFILE")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .expect("run pzr")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const HEADER: &str = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE";

#[test]
fn good_data_under_a_prefix_passes_with_its_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "events/a.csv", &csv(HEADER, 700));
    write(dir.path(), "events/b.csv", &csv(HEADER, 500));
    write(dir.path(), "events/notes.txt", "not read: not a CSV object");
    let spec = spec(dir.path(), "s3://acme-data/events/");
    let out = pzr(&spec, false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(
            "s3://acme-data/events/ (interactions of shop): 2 files, 1200 records, 30 users with 2 or more interactions, events View 1200\n"
        ),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(text(&out.stderr), "");
    let doc: Value = serde_json::from_slice(&pzr(&spec, true).stdout).expect("JSON");
    assert_eq!(doc["success"], true);
    let import = &doc["data"]["imports"][0];
    assert_eq!(import["records"], 1200);
    assert_eq!(import["usersWithTwoOrMore"], 30);
    assert_eq!(import["eventsByType"]["View"], 1200);
}

#[test]
fn a_missing_column_fails_as_the_import_would() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = csv(HEADER, 1200).replacen(HEADER, "USER_ID,ITEM_ID,WHEN,EVENT_TYPE", 1);
    write(dir.path(), "i.csv", &rows);
    let out = pzr(&spec(dir.path(), "s3://acme-data/i.csv"), false);
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
    write(dir.path(), "i.csv", &format!("{rows}{more}\n"));
    let spec = spec(dir.path(), "s3://acme-data/i.csv");
    let out = pzr(&spec, false);
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
    let doc: Value = serde_json::from_slice(&pzr(&spec, true).stdout).expect("JSON");
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
    write(dir.path(), "i.csv", &csv(HEADER, 40));
    let out = pzr(&spec(dir.path(), "s3://acme-data/i.csv"), false);
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
fn an_unreadable_bucket_fails_and_a_bucket_not_in_the_sandbox_is_not_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    // No ./data directory behind `acme-data`.
    let out = pzr(&spec(dir.path(), "s3://acme-data/i.csv"), false);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("s3://acme-data/i.csv: cannot read the directory"),
        "{}",
        text(&out.stderr)
    );
    let out = pzr(&spec(dir.path(), "s3://elsewhere/i.csv"), true);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let warning = &doc["data"]["warnings"][0];
    assert_eq!(warning["severity"], "warning");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .starts_with("not checked: bucket `elsewhere` has no `sandbox.buckets` entry"),
        "{warning}"
    );
}
