//! Personalize's schema rules against AWS's own material: the schemas the
//! developer guide publishes are valid, and each documented requirement
//! refuses a schema breaking it, with the message, line and column inside
//! the `.avsc` file. The cases are data, `tests/rules/cases.yaml`; the
//! emulator runs the same ones (`emulator::rules`).

use std::path::PathBuf;

use pzr::spec::{load_str, Diagnostic};
use serde::Deserialize;

use crate::support::files::repo;

#[derive(Debug, Deserialize)]
pub struct Cases {
    pub accepted: Vec<Case>,
    pub refused: Vec<Case>,
}

/// One schema of `tests/rules/`, used by a dataset of `datasetType` in a
/// group of `domain` (none: custom).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub file: String,
    pub domain: Option<String>,
    pub dataset_type: String,
    pub source: String,
    /// Refused cases: the call that refuses it and what validate reports.
    pub stage: Option<String>,
    pub message: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub path: Option<String>,
}

impl Case {
    pub fn text(&self) -> String {
        std::fs::read_to_string(dir().join(&self.file)).expect("case schema")
    }

    /// A spec with this schema used by one dataset, on line 8 (9 with a domain).
    fn spec(&self) -> String {
        let (schema_domain, group_domain) = match &self.domain {
            Some(d) => (format!(", domain: {d}"), format!("\n    domain: {d}")),
            None => (String::new(), String::new()),
        };
        format!(
            "version: 1\nstack: rules\nschemas:\n  s: {{file: {}{schema_domain}}}\ndatasetGroups:\n  - name: g{group_domain}\n    datasets:\n      {}: {{schema: s}}\n",
            self.file, self.dataset_type
        )
    }

    fn validate(&self) -> Result<(), Vec<Diagnostic>> {
        load_str(&self.spec(), &dir().join("spec.yaml"))
            .map(|_| ())
            .map_err(|e| e.diagnostics)
    }
}

fn dir() -> PathBuf {
    repo("tests/rules")
}

pub fn cases() -> Cases {
    let text = std::fs::read_to_string(dir().join("cases.yaml")).expect("cases.yaml");
    serde_yaml::from_str(&text).expect("cases.yaml parses")
}

#[test]
fn every_case_names_its_source_page_and_a_schema_file() {
    let cases = cases();
    assert!(cases.accepted.len() >= 11 && cases.refused.len() >= 30);
    for case in cases.accepted.iter().chain(&cases.refused) {
        assert!(
            case.source
                .starts_with("https://docs.aws.amazon.com/personalize/latest/dg/"),
            "{case:?}"
        );
        serde_json::from_str::<serde_json::Value>(&case.text()).expect("case is JSON");
    }
}

#[test]
fn the_published_schemas_are_valid() {
    for case in cases().accepted {
        if let Err(diagnostics) = case.validate() {
            panic!("{} is refused: {diagnostics:#?}", case.file);
        }
    }
}

#[test]
fn each_documented_rule_is_refused_inside_the_avsc_with_the_dataset_that_uses_it() {
    for case in cases().refused {
        let diagnostics = case.validate().expect_err(&case.file);
        let [d] = diagnostics.as_slice() else {
            panic!("{}: one diagnostic expected: {diagnostics:#?}", case.file);
        };
        let fragment = case.message.as_deref().expect("message");
        assert!(d.message.contains(fragment), "{}: {d}", case.file);
        assert!(
            d.file.ends_with(&format!("tests/rules/{}", case.file)),
            "{d}"
        );
        assert_eq!(
            (Some(d.line), Some(d.column), Some(d.path.as_str())),
            (case.line, case.column, case.path.as_deref()),
            "{}: {d}",
            case.file
        );
        assert!(
            d.hint
                .as_deref()
                .is_some_and(|h| h.contains("(rule: https://")),
            "{d}"
        );
        let used = d.used_by.as_ref().expect("used by");
        assert!(used.file.ends_with("spec.yaml"), "{d}");
        // The dataset that uses the schema, or the schema's `file:` for what
        // CreateSchema refuses whatever dataset uses it.
        match case.stage.as_deref() {
            Some("CreateDataset") => {
                let dataset = format!("datasetGroups[0].datasets.{}.schema", case.dataset_type);
                let line = 8 + usize::from(case.domain.is_some());
                let column = "      ".len() + case.dataset_type.len() + ": {schema: ".len() + 1;
                assert_eq!(
                    (used.line, used.column, used.path.as_str()),
                    (line, column, dataset.as_str()),
                    "{d}"
                );
            }
            Some("CreateSchema") => assert_eq!(
                (used.line, used.path.as_str()),
                (4, "schemas.s.file"),
                "{d}"
            ),
            other => panic!("{}: unknown stage {other:?}", case.file),
        }
    }
}
