//! Metric attributions: one per group, at most 10 metrics, expressions
//! checked against the group's datasets, updates in place through UPDATE
//! states, and DeleteDataset refused while one references the dataset.

use serde_json::{json, Map, Value};

use super::tests::model;
use super::*;

const ACTIVE: Millis = 10_000;

fn new(name: &str, attrs: Value) -> NewResource {
    NewResource {
        name: name.into(),
        attrs: attrs.as_object().cloned().unwrap_or_else(Map::new),
        ..NewResource::default()
    }
}

/// A group with an Interactions dataset, both ACTIVE at `ACTIVE`.
fn group_with_interactions(m: &mut Model) -> (String, String) {
    let group = m
        .create(
            0,
            Kind::DatasetGroup,
            Model::create_dataset_group,
            new("g", json!({})),
        )
        .unwrap()
        .arn
        .clone();
    let arn = m.arn(Noun::Kind(Kind::Dataset), "g-interactions");
    let dataset = new("g-interactions", json!({"datasetType": "Interactions"}));
    m.insert(0, Kind::Dataset, arn.clone(), dataset, Some(group.clone()));
    (group, arn)
}

fn metric(name: &str, expression: &str) -> Value {
    json!({"eventType": "click", "metricName": name, "expression": expression})
}

fn create(
    m: &mut Model,
    now: Millis,
    group: &str,
    name: &str,
    metrics: Vec<Value>,
) -> Result<String, ApiError> {
    let attrs = json!({
        "datasetGroupArn": group,
        "metrics": metrics,
        "metricsOutputConfig": {"roleArn": "arn:aws:iam::111122223333:role/r"},
    });
    let rule: CreateRule =
        |model, now, new| model.create_group_child(now, Kind::MetricAttribution, new);
    Ok(
        m.create(now, Kind::MetricAttribution, rule, new(name, attrs))?
            .arn
            .clone(),
    )
}

#[test]
fn one_per_group_and_at_most_ten_metrics() {
    let mut m = model(None);
    let (group, _) = group_with_interactions(&mut m);
    let eleven = (0..11)
        .map(|i| metric(&format!("m{i}"), "SAMPLECOUNT()"))
        .collect();
    let err = create(&mut m, ACTIVE, &group, "a", eleven).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    create(
        &mut m,
        ACTIVE,
        &group,
        "a",
        vec![metric("clicks", "SAMPLECOUNT()")],
    )
    .unwrap();
    let err = create(
        &mut m,
        ACTIVE,
        &group,
        "b",
        vec![metric("clicks", "SAMPLECOUNT()")],
    )
    .unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::ResourceAlreadyExists,
        "{}",
        err.message
    );
}

#[test]
fn expressions_are_checked_against_the_groups_datasets() {
    let mut m = model(None);
    let (group, _) = group_with_interactions(&mut m);
    for bad in ["COUNT()", "SUM(Items.PRICE)", "SUM(Users.AGE)"] {
        let err = create(&mut m, ACTIVE, &group, "a", vec![metric("x", bad)]).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad}");
    }
    let twice = vec![metric("x", "SAMPLECOUNT()"), metric("x", "SAMPLECOUNT()")];
    assert!(create(&mut m, ACTIVE, &group, "a", twice).is_err());
}

#[test]
fn an_update_changes_metrics_in_place_through_update_states() {
    let mut m = model(None);
    let (group, _) = group_with_interactions(&mut m);
    let arn = create(
        &mut m,
        ACTIVE,
        &group,
        "a",
        vec![metric("clicks", "SAMPLECOUNT()")],
    )
    .unwrap();
    let update = |add: Vec<Value>, remove: &[&str]| MetricsUpdate {
        add,
        remove: remove.iter().map(|s| s.to_string()).collect(),
        output: None,
    };
    // Not ACTIVE yet: refused.
    let err = m
        .update_metric_attribution(ACTIVE, &arn, update(vec![], &[]))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ResourceInUse);
    let t = ACTIVE + 3000;
    let err = m
        .update_metric_attribution(t, &arn, update(vec![], &["nope"]))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let err = m
        .update_metric_attribution(
            t,
            &arn,
            update(vec![metric("clicks", "SAMPLECOUNT()")], &[]),
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ResourceAlreadyExists);
    let swap = update(vec![metric("views", "SAMPLECOUNT()")], &["clicks"]);
    assert_eq!(m.update_metric_attribution(t, &arn, swap).unwrap().arn, arn);
    let lc = m.rules.lifecycle;
    let status = |m: &Model, at| {
        m.describe(at, Kind::MetricAttribution, &arn)
            .unwrap()
            .status(at, lc)
    };
    let names = |m: &Model, at| -> Vec<String> {
        let metrics = m.metric_attribution_metrics(at, &arn).unwrap();
        metrics
            .iter()
            .map(|x| x["metricName"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(status(&m, t), Some(Status::UpdatePending));
    assert_eq!(
        names(&m, t),
        ["clicks"],
        "the old metrics until the update ends"
    );
    assert_eq!(status(&m, t + 3000), Some(Status::Active));
    assert_eq!(names(&m, t + 3000), ["views"]);
}

#[test]
fn delete_dataset_is_refused_while_one_references_it() {
    let mut m = model(None);
    let (group, dataset) = group_with_interactions(&mut m);
    let arn = create(
        &mut m,
        ACTIVE,
        &group,
        "a",
        vec![metric("clicks", "SAMPLECOUNT()")],
    )
    .unwrap();
    let t = ACTIVE + 3000;
    let err = m.delete(t, Kind::Dataset, &dataset).unwrap_err();
    assert_eq!(err.code, ErrorCode::ResourceInUse);
    assert!(err.message.contains(&arn), "{}", err.message);
    m.delete(t, Kind::MetricAttribution, &arn).unwrap();
    m.delete(t + 1000, Kind::Dataset, &dataset).unwrap();
}

#[test]
fn a_metric_attribution_cannot_be_tagged() {
    let mut m = model(None);
    let (group, _) = group_with_interactions(&mut m);
    let clicks = vec![metric("clicks", "SAMPLECOUNT()")];
    let arn = create(&mut m, ACTIVE, &group, "a", clicks).unwrap();
    let tag = Tag {
        key: "team".into(),
        value: "growth".into(),
    };
    let err = m.tag(ACTIVE + 3000, &arn, vec![tag]).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "{}", err.message);
}
