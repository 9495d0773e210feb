//! `pzr validate` end to end: exit codes, the summary line, diagnostics on
//! stderr (each once), and the JSON documents.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::files::copy_examples;
use crate::support::offline::{pzr, text};

/// A broken copy of the retail example, beside a copy of the examples so `avro/` resolves.
fn broken_spec(dir: &Path) -> PathBuf {
    copy_examples(dir);
    let retail = std::fs::read_to_string(dir.join("retail.yaml")).expect("example");
    let broken = retail
        .replace("stack: retail-prod", "stack: Retail")
        .replace("    protect: true", "    protekt: true");
    let path = dir.join("broken.yaml");
    std::fs::write(&path, broken).expect("write");
    path
}

#[test]
fn valid_spec_prints_one_summary_line_and_exits_0() {
    let out = pzr(&["validate", "-f", "examples/retail.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "spec examples/retail.yaml is valid: stack retail-prod, 1 dataset group, 3 datasets, 3 schemas\n"
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn valid_spec_as_json() {
    let out = pzr(&["validate", "-f", "examples/custom.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["success"], true);
    let data = &doc["data"];
    assert_eq!(data["stack"], "offers-prod");
    assert_eq!(data["datasetGroups"], 1);
    assert_eq!(data["datasets"], 4);
    let name = data["schemas"]["actions"].as_str().expect("managed name");
    assert!(
        name.starts_with("offers-prod_actions_") && name.len() == "offers-prod_actions_".len() + 8
    );
    assert_eq!(data["digest"].as_str().map(str::len), Some(64));
}

#[test]
fn invalid_spec_lists_each_diagnostic_once_and_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = broken_spec(dir.path());
    let out = pzr(&["validate", "-f", &spec.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    let file = spec.display().to_string();
    let stack_line = format!("{file}:5:8: stack: invalid stack name `Retail`\n  hint: ");
    let key_line = format!("{file}:26:5: datasetGroups[0].protekt: unknown key `protekt`\n  hint: did you mean `protect`?\n");
    assert_eq!(stderr.matches(&stack_line).count(), 1, "{stderr}");
    assert_eq!(stderr.matches(&key_line).count(), 1, "{stderr}");
    assert!(
        stderr.ends_with(&format!("error: spec {file} has 2 errors\n")),
        "{stderr}"
    );
}

#[test]
fn invalid_spec_as_json_envelope() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = broken_spec(dir.path());
    let out = pzr(&[
        "validate",
        "-f",
        &spec.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["success"], false);
    assert_eq!(doc["error"]["code"], "VALIDATION_ERROR");
    assert_eq!(
        doc["error"]["message"],
        format!("spec {} has 2 errors", spec.display())
    );
    let details = doc["error"]["details"].as_array().expect("details");
    assert_eq!(details.len(), 2);
    assert_eq!(details[1]["path"], "datasetGroups[0].protekt");
    assert_eq!(details[1]["line"], 26);
    assert_eq!(details[1]["column"], 5);
    assert_eq!(details[1]["hint"], "did you mean `protect`?");
    assert_eq!(details[1]["file"], spec.display().to_string());
}

#[test]
fn unreadable_spec_is_a_validation_error() {
    let out = pzr(&["validate", "-f", "no/such/spec.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("no/such/spec.yaml: cannot read the spec"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_missing_avsc_of_a_spec_in_the_current_directory_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = "version: 1\nstack: s\nschemas:\n  a: {file: missing.avsc}\n";
    std::fs::write(dir.path().join("pzr.yaml"), spec).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(["validate", "-f", "pzr.yaml"])
        .current_dir(dir.path())
        .output()
        .expect("run pzr");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "hint: the path is relative to the spec's directory (here, the current directory)"
        ),
        "{}",
        text(&out.stderr)
    );
}

/// The new user of issue 10: an ECOMMERCE spec whose items schema has only
/// ITEM_ID and whose interactions schema lacks EVENT_TYPE, types ITEM_ID as
/// int and TIMESTAMP as string, and has an array field and a nested record.
/// Real Personalize refuses each; one run reports them all, inside the .avsc.
#[test]
fn a_new_users_ecommerce_schemas_get_every_violation_in_one_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("avro")).expect("avro dir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write(
        "spec.yaml",
        "version: 1\nstack: shop\nschemas:\n  interactions: {file: avro/interactions.avsc, domain: ECOMMERCE}\n  items: {file: avro/items.avsc, domain: ECOMMERCE}\ndatasetGroups:\n  - name: shop\n    domain: ECOMMERCE\n    datasets:\n      interactions: {schema: interactions}\n      items: {schema: items}\n",
    );
    write(
        "avro/items.avsc",
        r#"{
  "type": "record",
  "name": "Items",
  "fields": [
    {"name": "ITEM_ID", "type": "string"}
  ]
}
"#,
    );
    write(
        "avro/interactions.avsc",
        r#"{
  "type": "record",
  "name": "Interactions",
  "fields": [
    {"name": "USER_ID", "type": "string"},
    {"name": "ITEM_ID", "type": "int"},
    {"name": "TIMESTAMP", "type": "string"},
    {"name": "TAGS", "type": {"type": "array", "items": "string"}},
    {"name": "CONTEXT", "type": {"type": "record", "name": "Context", "fields": [{"name": "DEVICE", "type": "string"}]}}
  ]
}
"#,
    );
    let spec = dir.path().join("spec.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    let out = pzr(&["validate", "-f", spec]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let avsc = |name: &str| dir.path().join("avro").join(name).display().to_string();
    let (interactions, items) = (avsc("interactions.avsc"), avsc("items.avsc"));
    for expected in [
        format!("{interactions}:4:3: fields: schema `interactions`: lacks the field EVENT_TYPE (string)"),
        format!("{interactions}:6:25: fields[1].type: schema `interactions`: field ITEM_ID has type int, but ECOMMERCE interactions datasets need string"),
        format!("{interactions}:7:27: fields[2].type: schema `interactions`: field TIMESTAMP has type string, but ECOMMERCE interactions datasets need long"),
        format!("{interactions}:8:22: fields[3].type: schema `interactions`: field TAGS is an array"),
        format!("{interactions}:9:25: fields[4].type: schema `interactions`: field CONTEXT is a nested record"),
        format!("{items}:4:3: fields: schema `items`: lacks the field PRICE (float)"),
        format!("{items}:4:3: fields: schema `items`: lacks the field CATEGORY_L1 (categorical string)"),
        format!("used by: {spec}:10:30: datasetGroups[0].datasets.interactions.schema"),
        format!("used by: {spec}:11:23: datasetGroups[0].datasets.items.schema"),
        r#"hint: add {"name": "EVENT_TYPE", "type": "string"} to "fields""#.to_string(),
    ] {
        assert!(stderr.contains(&expected), "{expected}\nnot in:\n{stderr}");
    }
    assert!(
        stderr.contains("error: spec") && stderr.contains("has 7 errors"),
        "{stderr}"
    );

    let out = pzr(&["validate", "-f", spec, "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let details = doc["error"]["details"].as_array().expect("details");
    assert_eq!(details.len(), 7, "{details:#?}");
    assert_eq!(details[1]["file"], interactions.as_str());
    assert_eq!(
        (&details[1]["line"], &details[1]["column"]),
        (&Value::from(6), &Value::from(25))
    );
    assert_eq!(details[1]["usedBy"]["line"], 10);
    assert_eq!(
        details[1]["usedBy"]["path"],
        "datasetGroups[0].datasets.interactions.schema"
    );
}
