//! What training finds in the data: solution versions and recommenders end
//! CREATE FAILED with AWS's reasons when the group's data falls short, and
//! automatic training waits for new data. The data comes through the real
//! import path (`test_data`).

use serde_json::{json, Value};

use super::tests::model;
use super::*;
use crate::test_data::{interactions, Data};

const DAY: Millis = 86_400_000;
/// The create delay of `model()`.
const CREATE: Millis = 3000;

const TOO_FEW_USERS: &str =
    "Create failed. Dataset has fewer than 25 users with at least 2 interactions each.";

/// The status of the resource `arn` at `now`, and its failure reason.
fn ending(m: &Model, now: Millis, arn: &str) -> (Status, Option<String>) {
    let r = m.live_arn(now, arn).expect("the resource is there");
    (
        r.status(now, m.rules.lifecycle).unwrap(),
        r.failure_reason.clone(),
    )
}

fn failed(reason: &str) -> (Status, Option<String>) {
    (Status::CreateFailed, Some(reason.into()))
}

const ACTIVE: (Status, Option<String>) = (Status::Active, None);

/// The ARN member of a create's answer.
fn arn_of(answer: Result<Value, ApiError>, member: &str) -> String {
    answer.expect("the create is accepted")[member]
        .as_str()
        .unwrap()
        .to_string()
}

fn solution(data: &Data, m: &mut Model, now: Millis, group: &str, extra: Value) -> String {
    let mut body = json!({"name": extra["name"].as_str().unwrap_or("s"), "datasetGroupArn": group,
        "recipeArn": "arn:aws:personalize:::recipe/aws-user-personalization"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    arn_of(data.call(m, now, "CreateSolution", body), "solutionArn")
}

fn train(data: &Data, m: &mut Model, now: Millis, solution: &str) -> String {
    let body = json!({"solutionArn": solution});
    let answer = data.call(m, now, "CreateSolutionVersion", body);
    arn_of(answer, "solutionVersionArn")
}

#[test]
fn a_solution_version_trains_on_the_data_there_when_it_is_accepted() {
    let (data, mut m) = (Data::new(), model(None));
    let (group, dataset, ready) = data.group(&mut m, 0, CREATE, "g", None);
    let manual = json!({"performAutoTraining": false});
    let s = solution(&data, &mut m, ready, &group, manual);
    let t = ready + CREATE;
    // Nothing imported: accepted, then CREATE FAILED at the end of its life cycle.
    let none = train(&data, &mut m, t, &s);
    assert_eq!(ending(&m, t, &none).0, Status::CreatePending);
    assert_eq!(ending(&m, t + CREATE, &none), failed(TOO_FEW_USERS));
    // 20 users with two or more are too few.
    data.import(
        &mut m,
        t,
        &dataset,
        "few.csv",
        &interactions(1200, 20, &["View"]),
    );
    let t = t + CREATE;
    let few = train(&data, &mut m, t, &s);
    assert_eq!(ending(&m, t + CREATE, &few), failed(TOO_FEW_USERS));
    // A version accepted while the import that would do runs trains on the
    // data that was there.
    data.import(
        &mut m,
        t,
        &dataset,
        "enough.csv",
        &interactions(1000, 30, &["View"]),
    );
    let early = train(&data, &mut m, t + 1, &s);
    assert_eq!(ending(&m, t + 1 + CREATE, &early), failed(TOO_FEW_USERS));
    let t = t + CREATE;
    let enough = train(&data, &mut m, t, &s);
    assert_eq!(ending(&m, t + CREATE, &enough), ACTIVE);
}

#[test]
fn a_solutions_event_type_filters_the_interactions_it_needs() {
    let (data, mut m) = (Data::new(), model(None));
    let (group, dataset, ready) = data.group(&mut m, 0, CREATE, "g", None);
    // 1000 Views, 999 Purchases.
    let csv = interactions(1999, 30, &["View", "Purchase"]);
    data.import(&mut m, ready, &dataset, "a.csv", &csv);
    let t = ready + CREATE;
    let solutions = [("views", "View"), ("purchases", "Purchase")].map(|(name, event_type)| {
        let extra = json!({"name": name, "eventType": event_type, "performAutoTraining": false});
        solution(&data, &mut m, t, &group, extra)
    });
    let t = t + CREATE;
    let [views, purchases] = solutions.map(|s| train(&data, &mut m, t, &s));
    assert_eq!(ending(&m, t + CREATE, &views), ACTIVE);
    assert_eq!(
        ending(&m, t + CREATE, &purchases),
        failed("Dataset has fewer than 1000 interactions after filtering by event type: Purchase")
    );
}

#[test]
fn a_recommender_needs_its_use_cases_events() {
    let (data, mut m) = (Data::new(), model(None));
    let (group, dataset, ready) = data.group(&mut m, 0, CREATE, "shop", Some("ECOMMERCE"));
    let recommender = |data: &Data, m: &mut Model, now, name: &str| {
        create_recommender(
            data,
            m,
            now,
            &group,
            name,
            "aws-ecomm-popular-items-by-views",
        )
    };
    data.import(
        &mut m,
        ready,
        &dataset,
        "buys.csv",
        &interactions(1000, 30, &["Purchase"]),
    );
    let t = ready + CREATE;
    let buys = recommender(&data, &mut m, t, "on-purchases");
    assert_eq!(
        ending(&m, t + CREATE, &buys),
        failed("Dataset has fewer than 1000 interactions after filtering by event type: View")
    );
    data.import(
        &mut m,
        t,
        &dataset,
        "views.csv",
        &interactions(1000, 30, &["View"]),
    );
    let t = t + CREATE;
    let views = recommender(&data, &mut m, t, "on-views");
    assert_eq!(ending(&m, t + CREATE, &views), ACTIVE);
}

#[test]
fn a_recommender_needs_the_datasets_its_use_case_trains_on() {
    let (data, mut m) = (Data::new(), model(None));
    let (group, dataset, ready) = data.group(&mut m, 0, CREATE, "vod", Some("VIDEO_ON_DEMAND"));
    let recommender = |data: &Data, m: &mut Model, now, name: &str| {
        create_recommender(data, m, now, &group, name, "aws-vod-more-like-x")
    };
    data.import(
        &mut m,
        ready,
        &dataset,
        "watches.csv",
        &interactions(1000, 30, &["Watch"]),
    );
    let fields = json!([
        {"name": "ITEM_ID", "type": "string"},
        {"name": "GENRES", "type": "string", "categorical": true},
        {"name": "CREATION_TIMESTAMP", "type": "long"},
    ]);
    let items = data.dataset(
        &mut m,
        ready,
        &group,
        "Items",
        fields,
        Some("VIDEO_ON_DEMAND"),
    );
    let t = ready + CREATE;
    let without = recommender(&data, &mut m, t, "without-items");
    assert_eq!(
        ending(&m, t + CREATE, &without),
        failed("Create failed. The Items dataset has no data, which this use case requires.")
    );
    let csv = "ITEM_ID,GENRES,CREATION_TIMESTAMP\ni1,Comedy,1700000000\n";
    data.import(&mut m, t, &items, "items.csv", csv);
    let t = t + CREATE;
    let with = recommender(&data, &mut m, t, "with-items");
    assert_eq!(ending(&m, t + CREATE, &with), ACTIVE);
}

#[test]
fn automatic_training_starts_only_when_interaction_data_arrived_since_the_last() {
    let (data, mut m) = (Data::new(), model(None));
    let (group, dataset, ready) = data.group(&mut m, 0, CREATE, "g", None);
    let s = solution(&data, &mut m, ready, &group, json!({}));
    // ACTIVE at `ready` + 3 s, first due 5 s later, then weekly.
    let first = ready + CREATE + 5000;
    let versions = |m: &mut Model, now| {
        m.settle(now);
        let lc = m.rules.lifecycle;
        m.list(now, Noun::SolutionVersion, Some(&s), None)
            .map(|v| (v.created, v.status(now, lc).unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        versions(&mut m, first + DAY),
        [],
        "no data: no first training"
    );
    // Too little data: the next training is due, and fails.
    let few = interactions(1000, 20, &["View"]);
    data.import(&mut m, first + DAY, &dataset, "few.csv", &few);
    let week = 7 * DAY;
    let failed_first = || (first + week, Status::CreateFailed);
    assert_eq!(versions(&mut m, first + 2 * week - 1), [failed_first()]);
    // No data since: no training, not even to fail again.
    assert_eq!(versions(&mut m, first + 3 * week - 1), [failed_first()]);
    data.import(
        &mut m,
        first + 3 * week - 1,
        &dataset,
        "more.csv",
        &interactions(1000, 30, &["View"]),
    );
    assert_eq!(
        versions(&mut m, first + 4 * week + CREATE),
        [failed_first(), (first + 4 * week, Status::Active)],
        "the import is ACTIVE after the third week's due time: the fourth trains"
    );
}

/// CreateRecommender of `recipe` in `group`; the recommender's ARN.
fn create_recommender(
    data: &Data,
    m: &mut Model,
    now: Millis,
    group: &str,
    name: &str,
    recipe: &str,
) -> String {
    let body = json!({"name": name, "datasetGroupArn": group,
        "recipeArn": format!("arn:aws:personalize:::recipe/{recipe}")});
    arn_of(
        data.call(m, now, "CreateRecommender", body),
        "recommenderArn",
    )
}
