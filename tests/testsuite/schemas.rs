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
