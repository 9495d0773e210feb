//! The checked-in JSON Schemas (`schemas/*.schema.json`) must be what the Rust
//! types generate, so editors and CI tooling check against what pzr reads and writes.

use crate::support::files::repo;

const UPDATE_ENV: &str = "UPDATE_SCHEMAS";

/// Fails when the checked-in schema differs from the generated one, naming
/// the command that regenerates it; with `UPDATE_SCHEMAS=1`, rewrites it.
fn check(relative: &str, generated: String) {
    let path = repo(relative);
    if std::env::var_os(UPDATE_ENV).is_some() {
        std::fs::write(&path, &generated).expect("write the schema");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{relative} is out of date with the Rust types; regenerate it with:\n\n    \
         {UPDATE_ENV}=1 cargo test --test testsuite schemas::\n"
    );
}

#[test]
fn checked_in_spec_schema_is_up_to_date() {
    check("schemas/spec.schema.json", pzr::spec::json_schema_text());
}

#[test]
fn checked_in_plan_and_drift_schemas_are_up_to_date() {
    check(
        "schemas/plan.schema.json",
        pzr::render::json::plan_schema_text(),
    );
    check(
        "schemas/drift.schema.json",
        pzr::render::json::drift_schema_text(),
    );
}

#[test]
fn every_example_points_editors_at_the_schema() {
    let examples = repo("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(examples).expect("examples/ exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).expect("readable example");
            assert!(
                text.starts_with("# yaml-language-server: $schema=../schemas/spec.schema.json\n"),
                "{} must start with the yaml-language-server schema line",
                path.display()
            );
            seen += 1;
        }
    }
    assert!(seen >= 3, "expected at least three examples, found {seen}");
}

#[test]
fn schema_describes_the_format() {
    let schema: serde_json::Value =
        serde_json::from_str(&pzr::spec::json_schema_text()).expect("schema is JSON");
    assert_eq!(schema["additionalProperties"], false);
    let required = schema["required"].as_array().expect("required keys");
    assert!(required.contains(&"version".into()) && required.contains(&"stack".into()));
    let group = &schema["definitions"]["DatasetGroupSpec"]["properties"];
    for key in [
        "name",
        "domain",
        "kmsKeyArn",
        "roleArn",
        "tags",
        "protect",
        "adopt",
        "datasets",
        "eventTracker",
        "filters",
        "recommenders",
        "solutions",
    ] {
        assert!(group.get(key).is_some(), "DatasetGroupSpec lacks {key}");
    }
    let solution = &schema["definitions"]["SolutionSpec"];
    let required = solution["required"].as_array().expect("required keys");
    assert!(
        required.contains(&"training".into()),
        "training is required"
    );
}

/// Every `code` value anywhere under `schema` (each variant of a reason,
/// note, blocker or deferral names its code as a one-value enum).
fn codes(schema: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match schema {
        serde_json::Value::Object(map) => {
            let listed = map
                .get("properties")
                .and_then(|p| p.get("code"))
                .and_then(|c| c.get("enum"))
                .and_then(serde_json::Value::as_array);
            out.extend(
                listed
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.as_str().map(String::from)),
            );
            map.values().for_each(|v| codes(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| codes(v, out)),
        _ => {}
    }
}

#[test]
fn every_plan_code_is_in_the_reference_docs() {
    let schema: serde_json::Value =
        serde_json::from_str(&pzr::render::json::plan_schema_text()).expect("schema is JSON");
    let mut all = std::collections::BTreeSet::new();
    codes(&schema, &mut all);
    assert!(all.len() > 40, "the schema lists the codes: {all:?}");
    let docs = std::fs::read_to_string(repo("docs/plan-json.md")).expect("docs/plan-json.md");
    let missing: Vec<&String> = all
        .iter()
        .filter(|c| !docs.contains(&format!("| `{c}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from docs/plan-json.md's tables: {missing:?}"
    );
}
