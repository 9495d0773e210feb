//! A group's metric attribution, offline: a valid one loads; too many
//! metrics, a repeated name, an expression of another form, a `SUM()` of a
//! missing or non-numeric field, a location that is not `s3://`, a role ARN
//! that is not one, and `tags` (it cannot be tagged) are each reported at
//! their line and column with their field path.

use pzr::spec::{load_str, Diagnostic};

use crate::support::files::repo;

const ROLE: &str = "arn:aws:iam::111122223333:role/metrics";

fn spec(attribution: &str) -> String {
    format!(
        r#"version: 1
stack: metrics
schemas:
  interactions:
    definition:
      type: record
      name: Interactions
      fields:
        - {{name: USER_ID, type: string}}
        - {{name: ITEM_ID, type: string}}
        - {{name: TIMESTAMP, type: long}}
        - {{name: EVENT_TYPE, type: string}}
  items:
    definition:
      type: record
      name: Items
      fields:
        - {{name: ITEM_ID, type: string}}
        - {{name: GENRE, type: string, categorical: true}}
        - {{name: PRICE, type: ["null", float], default: null}}
datasetGroups:
  - name: g
    datasets:
      interactions: {{schema: interactions}}
      items: {{schema: items}}
    metricAttribution:
{attribution}"#
    )
}

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match load_str(text, &repo("tests/rules/spec.yaml")) {
        Ok(_) => panic!("expected findings for\n{text}"),
        Err(e) => e.diagnostics,
    }
}

#[test]
fn a_valid_metric_attribution_loads() {
    let text = spec(&format!(
        "      metrics:\n        - {{eventType: purchase, metricName: revenue, expression: SUM(Items.PRICE)}}\n        - {{eventType: click, metricName: clicks, expression: SAMPLECOUNT()}}\n      output: {{s3: 's3://reports/metrics/', roleArn: '{ROLE}'}}\n"
    ));
    load_str(&text, &repo("tests/rules/spec.yaml")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn every_finding_is_located_with_its_path() {
    let text = spec(concat!(
        "      metrics:\n",
        "        - {eventType: a, metricName: same, expression: 'COUNT()'}\n",
        "        - {eventType: b, metricName: same, expression: SUM(Items.GENRE)}\n",
        "        - {eventType: c, metricName: other, expression: SUM(Items.COST)}\n",
        "        - {eventType: d, metricName: users, expression: SUM(Users.AGE)}\n",
        "      output: {s3: 'https://reports.s3.amazonaws.com/x', roleArn: 'arn:aws:iam::1:user/me'}\n",
    ));
    let all = diagnostics(&text);
    let found: Vec<(&str, usize, &str)> = all
        .iter()
        .map(|d| (d.path.as_str(), d.line, d.message.as_str()))
        .collect();
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let expect = [
        (
            "datasetGroups[0].metricAttribution.metrics[0].expression",
            line("COUNT()"),
            "is not a metric expression",
        ),
        (
            "datasetGroups[0].metricAttribution.metrics[1].metricName",
            line("Items.GENRE"),
            "metric name `same` is used twice",
        ),
        (
            "datasetGroups[0].metricAttribution.metrics[1].expression",
            line("Items.GENRE"),
            "Items.GENRE is not numeric",
        ),
        (
            "datasetGroups[0].metricAttribution.metrics[2].expression",
            line("Items.COST"),
            "the Items schema has no field COST",
        ),
        (
            "datasetGroups[0].metricAttribution.metrics[3].expression",
            line("Users.AGE"),
            "not \"Users\"",
        ),
        (
            "datasetGroups[0].metricAttribution.output.s3",
            line("output:"),
            "is not an s3:// location",
        ),
        (
            "datasetGroups[0].metricAttribution.output.roleArn",
            line("output:"),
            "is not a valid",
        ),
    ];
    for (path, at, fragment) in expect {
        assert!(
            found
                .iter()
                .any(|(p, l, m)| *p == path && *l == at && m.contains(fragment)),
            "{path} line {at} {fragment:?} not in {found:#?}"
        );
    }
    assert_eq!(all.len(), expect.len(), "{all:#?}");
    let column = all[0].column;
    let line_text = text.lines().nth(all[0].line - 1).unwrap();
    assert_eq!(&line_text[column - 1..column + 7], "'COUNT()", "{}", all[0]);
}

#[test]
fn more_than_ten_metrics_and_tags_are_refused() {
    let metrics: Vec<String> = (0..11)
        .map(|i| {
            format!("        - {{eventType: e, metricName: m{i}, expression: SAMPLECOUNT()}}\n")
        })
        .collect();
    let text = spec(&format!(
        "      metrics:\n{}      output: {{s3: 's3://reports/', roleArn: '{ROLE}'}}\n",
        metrics.concat()
    ));
    let all = diagnostics(&text);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].path, "datasetGroups[0].metricAttribution.metrics");
    assert!(all[0]
        .message
        .contains("11 metrics, but a metric attribution has at most 10"));

    let tagged = spec(&format!(
        "      metrics: [{{eventType: e, metricName: m, expression: SAMPLECOUNT()}}]\n      output: {{s3: 's3://reports/', roleArn: '{ROLE}'}}\n      tags: {{team: growth}}\n"
    ));
    let all = diagnostics(&tagged);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(all[0].message.contains("tags"), "{}", all[0]);
}
