//! Filter expressions offline, against AWS's own examples
//! (`tests/rules/filters.yaml`): every published example parses and fits
//! schemas that hold its fields; each rule refuses its broken variant at the
//! documented column; and `pzr validate` places each finding inside the YAML
//! scalar, with the group's schemas as the reference for field names.

use std::collections::BTreeMap;

use pzr::rules::filter::{check_filter, parse, DatasetSchema};
use pzr::spec::{load_str, DatasetType, Diagnostic};
use serde::Deserialize;
use serde_json::Value;

use crate::support::files::repo;

#[derive(Debug, Deserialize)]
pub struct Cases {
    /// Test groups: dataset spec key → Avro schema.
    pub groups: BTreeMap<String, BTreeMap<String, Value>>,
    pub examples: Vec<Case>,
    pub refused: Vec<Case>,
}

#[derive(Debug, Deserialize)]
pub struct Case {
    pub group: String,
    pub expression: String,
    pub source: Option<String>,
    pub column: Option<usize>,
    pub message: Option<String>,
    pub hint: Option<String>,
    /// A dataset of the group left out for this case.
    pub drop: Option<String>,
    /// An example the page misspells: where and why the checks refuse it.
    pub typo: Option<Typo>,
}

#[derive(Debug, Deserialize)]
pub struct Typo {
    pub column: usize,
    pub message: String,
}

pub fn cases() -> Cases {
    let text = std::fs::read_to_string(repo("tests/rules/filters.yaml")).expect("filters.yaml");
    serde_yaml::from_str(&text).expect("filters.yaml parses")
}

impl Cases {
    /// The case's group: its datasets' schemas by type.
    pub fn datasets(&self, case: &Case) -> BTreeMap<DatasetType, &Value> {
        self.groups[&case.group]
            .iter()
            .filter(|(key, _)| case.drop.as_deref() != Some(key.as_str()))
            .map(|(key, schema)| {
                let t = DatasetType::ALL
                    .into_iter()
                    .find(|t| t.spec_key() == key)
                    .expect("a dataset type key");
                (t, schema)
            })
            .collect()
    }
}

fn check(cases: &Cases, case: &Case) -> Vec<pzr::rules::filter::FilterError> {
    let datasets = cases.datasets(case);
    check_filter(&case.expression, |t| match datasets.get(&t) {
        Some(schema) => DatasetSchema::Known(schema),
        None => DatasetSchema::Absent,
    })
}

#[test]
fn every_published_example_parses_and_fits_schemas_holding_its_fields() {
    let cases = cases();
    assert!(cases.examples.len() >= 25);
    for case in &cases.examples {
        assert!(case
            .source
            .as_deref()
            .is_some_and(|s| s.starts_with("https://docs.aws.amazon.com/personalize/")));
        let errors = check(&cases, case);
        match &case.typo {
            None => {
                parse(&case.expression).unwrap_or_else(|e| panic!("{}: {e}", case.expression));
                assert!(errors.is_empty(), "{}: {errors:#?}", case.expression);
            }
            Some(typo) => {
                assert_eq!(errors.len(), 1, "{errors:#?}");
                assert_eq!(errors[0].column(), typo.column);
                assert!(
                    errors[0].message.contains(&typo.message),
                    "{}",
                    errors[0].message
                );
            }
        }
    }
}

#[test]
fn each_rule_refuses_its_broken_variant_at_the_bad_token() {
    let cases = cases();
    for case in &cases.refused {
        let errors = check(&cases, case);
        assert_eq!(errors.len(), 1, "{}: {errors:#?}", case.expression);
        let error = &errors[0];
        let message = case.message.as_deref().expect("message");
        assert!(
            error.message.contains(message),
            "{}: {:?} lacks {message:?}",
            case.expression,
            error.message
        );
        assert_eq!(
            error.column(),
            case.column.expect("column"),
            "{}: {error:?}",
            case.expression
        );
        if let Some(hint) = &case.hint {
            assert_eq!(&error.hint, hint);
        }
        assert!(error
            .page
            .starts_with("https://docs.aws.amazon.com/personalize/latest/dg/"));
    }
}

/// A custom group `g` with the `items` test group's datasets, inline.
fn spec(group_extra: &str) -> String {
    let cases = cases();
    let mut text = String::from("version: 1\nstack: filters\nschemas:\n");
    for (key, schema) in &cases.groups["items"] {
        text.push_str(&format!(
            "  {}:\n    definition: {schema}\n",
            key.to_lowercase()
        ));
    }
    text.push_str("datasetGroups:\n  - name: g\n    datasets:\n");
    for key in cases.groups["items"].keys() {
        text.push_str(&format!(
            "      {key}: {{schema: {}}}\n",
            key.to_lowercase()
        ));
    }
    text.push_str(group_extra);
    text
}

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match load_str(text, &repo("tests/rules/spec.yaml")) {
        Ok(_) => panic!("expected findings for\n{text}"),
        Err(e) => e.diagnostics,
    }
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn a_valid_tracker_and_filters_load() {
    let text = spec(concat!(
        "    eventTracker: {tags: {team: growth}}\n",
        "    filters:\n",
        "      not-clicked: {expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")'}\n",
        "      cheap:\n",
        "        name: cheap-items\n",
        "        expression: >-\n",
        "          INCLUDE ItemID WHERE Items.PRICE <= $PRICE\n",
        "          IF CurrentUser.AGE > 17\n",
    ));
    load_str(&text, &repo("tests/rules/spec.yaml")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_missing_field_points_into_the_quoted_expression_with_a_did_you_mean() {
    let text = spec(
        "    filters:\n      genre: {expression: 'INCLUDE ItemID WHERE Items.GENRES IN ($G)'}\n",
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = &all[0];
    let line = line_of(&text, "Items.GENRES");
    // The scalar's quote is at column 27; GENRES is its 28th character.
    let column = text.lines().nth(line - 1).unwrap().find("GENRES").unwrap() + 1;
    assert_eq!((d.line, d.column), (line, column), "{d}");
    assert_eq!(d.path, "datasetGroups[0].filters.genre.expression");
    assert!(d.file.ends_with("spec.yaml"));
    assert_eq!(
        d.message,
        "filter `genre`: `Items.GENRES`: the Items schema has no field `GENRES`"
    );
    let hint = d.hint.as_deref().unwrap();
    assert!(hint.starts_with("did you mean `Items.GENRE`?"), "{hint}");
    assert!(hint.contains("creating-filter-expressions.html"), "{hint}");
}

#[test]
fn an_unknown_dataset_and_a_field_in_a_block_scalar_are_located() {
    let text = spec(concat!(
        "    filters:\n",
        "      actions:\n",
        "        expression: 'INCLUDE ActionID WHERE Actions.VALUE > 3'\n",
        "      folded:\n",
        "        expression: >-\n",
        "          INCLUDE ItemID WHERE Items.PRICE <= $PRICE\n",
        "          IF CurrentUser.AGES > 17\n",
    ));
    let all = diagnostics(&text);
    assert_eq!(all.len(), 2, "{all:#?}");
    let (actions, folded) = (&all[0], &all[1]);
    let line = line_of(&text, "Actions.VALUE");
    assert_eq!((actions.line, actions.column), (line, 45), "{actions}");
    assert!(actions
        .message
        .contains("names the Actions dataset, and the group has none"));
    assert!(actions
        .hint
        .as_deref()
        .unwrap()
        .starts_with("add a `actions` dataset"));
    let line = line_of(&text, "CurrentUser.AGES");
    assert_eq!((folded.line, folded.column), (line, 26), "{folded}");
    assert!(folded
        .hint
        .as_deref()
        .unwrap()
        .starts_with("did you mean `CurrentUser.AGE`?"));
}

#[test]
fn every_finding_about_trackers_and_filters_is_reported_at_once() {
    let mut text = spec(concat!(
        "    eventTracker: {name: shared}\n",
        "    filters:\n",
        "      bad.key: {expression: 'INCLUDE ItemID WHERE Items.GENRE IN (\"a\")'}\n",
        "      same: {name: g-other, expression: 'INCLUDE ItemID WHERE Items.GENRE IN (\"a\")'}\n",
        "      other: {expression: 'INCLUDE ItemID WHERE Items.PRICE < \"x\"', tags: {\"aws:x\": y}}\n",
        "      syntax: {expression: 'INCLUDE ItemID WHERE Items.GENRE IN \"a\"'}\n",
    ));
    text.push_str("  - name: h\n    eventTracker: {name: shared}\n");
    let all = diagnostics(&text);
    let messages: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
    let expect = [
        "invalid filter key `bad.key`",
        "filter name `g-other` is also used by datasetGroups[0].filters.other",
        "filter `other`: `<` compares numbers, not strings",
        "tag key `aws:x` uses the prefix `aws:`",
        "filter `syntax`: expected `(`, found the string \"a\"",
        "event tracker name `shared` is also used by datasetGroups[0].eventTracker",
    ];
    for fragment in expect {
        assert!(
            messages.iter().any(|m| m.contains(fragment)),
            "{fragment:?} not in {messages:#?}"
        );
    }
    assert_eq!(all.len(), expect.len(), "{all:#?}");
}

#[test]
fn more_filters_than_the_quota_are_refused() {
    let mut extra = String::from("    filters:\n");
    for i in 0..=pzr::rules::filter::MAX_FILTERS_PER_GROUP {
        extra.push_str(&format!("      f{i}: {{expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"e{i}\")'}}\n"));
    }
    let all = diagnostics(&spec(&extra));
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(
        all[0]
            .message
            .contains("31 filters, but a dataset group holds at most 30"),
        "{}",
        all[0]
    );
    assert_eq!(all[0].path, "datasetGroups[0].filters");
}
