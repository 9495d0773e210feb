//! The model's tests: derived status, the index against a full scan,
//! automatic trainings against a model that looks at everything.

use super::*;
use crate::test_data::{interactions, Data};

/// A model whose resources take 3 s to create and 1 s to delete, and whose
/// solutions train 5 s after they turn ACTIVE.
pub(super) fn model(fail_create: Option<&str>) -> Model {
    let rules = Rules {
        account_id: "111122223333".into(),
        region: "us-east-1".into(),
        lifecycle: Lifecycle {
            create_delay: 3000,
            delete_delay: 1000,
            training_delay: 5000,
        },
        max_dataset_groups: 5,
        fail_create: fail_create.map(|re| Regex::new(re).unwrap()),
        fail_update: None,
    };
    Model::new(rules, Account::default())
}

fn named(name: &str) -> NewResource {
    NewResource {
        name: name.into(),
        ..NewResource::default()
    }
}

#[test]
fn status_is_derived_from_timestamps() {
    let mut m = model(None);
    let arn = m
        .create(
            10_000,
            Kind::DatasetGroup,
            Model::create_dataset_group,
            named("g"),
        )
        .unwrap()
        .arn
        .clone();
    let lc = m.rules.lifecycle;
    let at = |m: &Model, t| {
        let r = m.describe(t, Kind::DatasetGroup, &arn).unwrap();
        (r.status(t, lc), r.last_updated(t, lc))
    };
    assert_eq!(at(&m, 10_999), (Some(Status::CreatePending), 10_000));
    assert_eq!(at(&m, 11_000), (Some(Status::CreateInProgress), 11_000));
    assert_eq!(at(&m, 13_000), (Some(Status::Active), 13_000));
    m.delete(20_000, Kind::DatasetGroup, &arn).unwrap();
    assert_eq!(at(&m, 20_999), (Some(Status::DeletePending), 20_000));
    assert_eq!(
        m.describe(21_000, Kind::DatasetGroup, &arn)
            .unwrap_err()
            .code,
        ErrorCode::ResourceNotFound
    );
}

/// Inserts a resource as its Create would, without the Create's rules.
fn put(m: &mut Model, now: Millis, kind: Noun, name: &str, parent: Option<&str>) -> String {
    let arn = m.arn(kind, name);
    m.insert(
        now,
        kind,
        arn.clone(),
        named(name),
        parent.map(String::from),
    );
    arn
}

/// What the index answers equals a scan of the whole account, and an
/// index built afresh (as after loading the state file) equals it.
fn assert_index_matches_a_scan(m: &Model, now: Millis) {
    let lc = m.rules.lifecycle;
    let live: Vec<&Resource> = m
        .account
        .resources
        .values()
        .filter(|r| !r.is_gone(now, lc))
        .collect();
    let arns = |rs: Vec<&Resource>| rs.iter().map(|r| r.arn.clone()).collect::<Vec<_>>();
    let sorted = |mut rs: Vec<&Resource>| {
        rs.sort_by(|a, b| a.arn.cmp(&b.arn));
        arns(rs)
    };
    let parents = m.account.resources.keys().map(|p| Some(p.as_str()));
    for noun in Noun::all() {
        for parent in parents.clone().chain([None]) {
            for after in [None, Some(0), Some(3)] {
                let mut scan: Vec<&Resource> = live
                    .iter()
                    .copied()
                    .filter(|r| r.kind == noun)
                    .filter(|r| parent.is_none_or(|p| r.parent.as_deref() == Some(p)))
                    .filter(|r| after.is_none_or(|a| r.seq > a))
                    .collect();
                scan.sort_by_key(|r| r.seq);
                assert_eq!(arns(m.list(now, noun, parent, after).collect()), arns(scan));
            }
            let Some(group) = parent else { continue };
            let scan = live
                .iter()
                .copied()
                .filter(|r| r.kind == noun && m.group_of(r) == Some(group))
                .collect();
            assert_eq!(sorted(m.children(now, noun, group).collect()), sorted(scan));
        }
        for r in &live {
            let scan = live.iter().filter(|o| o.kind == noun && o.name == r.name);
            let found = m
                .index
                .named(noun, &r.name)
                .filter(|a| m.live_at(now, a).is_some());
            assert_eq!(found.count(), scan.count(), "{noun:?} named {}", r.name);
        }
        let undeleted = live
            .iter()
            .filter(|r| r.kind == noun && r.deleting_since.is_none())
            .count();
        assert_eq!(m.index.undeleted(noun), undeleted, "{noun:?}");
    }
    let text = serde_json::to_string(&m.account).unwrap();
    let reloaded = Model::new(m.rules.clone(), serde_json::from_str(&text).unwrap());
    assert_eq!(reloaded.index, m.index);
    assert_eq!(Index::build(m.account.resources.values(), lc), m.index);
}

#[test]
fn the_index_answers_as_a_scan_through_creates_trainings_and_deletes() {
    let mut m = model(None);
    let sv = Noun::SolutionVersion;
    // Each group with the data its solutions train on, ACTIVE at 9 s.
    let data = Data::new();
    let (mut groups, mut datasets) = (Vec::new(), Vec::new());
    for i in 0..3 {
        let (g, dataset, _) = data.group(&mut m, 0, 3000, &format!("g{i}"), None);
        groups.push(g);
        datasets.push(dataset);
    }
    for (i, dataset) in datasets.iter().enumerate() {
        let csv = interactions(1000, 30, &["View"]);
        data.import(&mut m, 6000, dataset, &format!("g{i}.csv"), &csv);
    }
    let ready = 9000;
    for (i, g) in groups.iter().enumerate() {
        put(
            &mut m,
            ready,
            Kind::Filter.into(),
            &format!("f{i}"),
            Some(g),
        );
        let tracker = Kind::EventTracker.into();
        put(&mut m, ready, tracker, &format!("t{i}"), Some(g));
        let s = put(
            &mut m,
            ready,
            Kind::Solution.into(),
            &format!("s{i}"),
            Some(g),
        );
        put(
            &mut m,
            ready,
            Kind::Campaign.into(),
            &format!("c{i}"),
            Some(&s),
        );
    }
    put(&mut m, ready, Kind::Schema.into(), "schema", None);
    assert_index_matches_a_scan(&m, ready);
    // Automatic trainings start: versions (all named "") in each solution.
    let trained = ready + 3000 + 5000;
    m.settle(trained);
    assert_eq!(m.list(trained, sv, None, None).count(), 3);
    assert_index_matches_a_scan(&m, trained);
    // A deletion under way, then completed; a schema goes at once.
    let t = trained + 3000;
    m.delete(t, Kind::Filter, &m.arn(Kind::Filter, "f0"))
        .unwrap();
    m.delete(t, Kind::Campaign, &m.arn(Kind::Campaign, "c1"))
        .unwrap();
    m.delete(t, Kind::Schema, &m.arn(Kind::Schema, "schema"))
        .unwrap();
    assert_index_matches_a_scan(&m, t);
    assert_index_matches_a_scan(&m, t + 1000);
    m.settle(t + 1000);
    assert_index_matches_a_scan(&m, t + 1000);
    // A solution's delete drops its versions with it.
    let s1 = m.arn(Kind::Solution, "s1");
    m.delete(t + 1000, Kind::Solution, &s1).unwrap();
    assert_eq!(m.list(t + 1000, sv, Some(&s1), None).count(), 0);
    assert_index_matches_a_scan(&m, t + 1000);
    m.settle(t + 2000);
    assert_index_matches_a_scan(&m, t + 2000);
    // A name is free again once its holder is gone.
    put(
        &mut m,
        t + 2000,
        Kind::Filter.into(),
        "f0",
        Some(&groups[0]),
    );
    assert_index_matches_a_scan(&m, t + 2000);
    m.clear();
    assert_eq!(m.index, Index::default());
}

#[test]
fn trainings_start_as_when_every_solution_is_looked_at_each_time() {
    const DAY: Millis = 86_400_000;
    let data = Data::new();
    let mut m = model(None);
    // The group's interactions dataset is ACTIVE at 6 s; each import is
    // ACTIVE 3 s after it starts.
    let (g, dataset, _) = data.group(&mut m, 0, 3000, "g", None);
    let s0 = put(&mut m, 0, Kind::Solution.into(), "s0", Some(&g));
    let s1 = m.arn(Kind::Solution, "s1");
    let off = NewResource {
        attrs: Map::from_iter([("performAutoTraining".into(), Value::Bool(false))]),
        ..named("s1")
    };
    m.insert(0, Kind::Solution, s1.clone(), off, Some(g.clone()));
    let s2 = m.arn(Kind::Solution, "s2");
    let request = |json: Value| json.as_object().unwrap().clone();
    let import = |key: &'static str| {
        let (data, dataset) = (&data, dataset.clone());
        let change = move |m: &mut Model, t| {
            data.import(m, t, &dataset, key, &interactions(1000, 30, &["View"]));
        };
        Some(Box::new(change) as Change)
    };
    // (time, a change made at that time), settling after each.
    type Change<'a> = Box<dyn Fn(&mut Model, Millis) + 'a>;
    let steps: Vec<(Millis, Option<Change>)> = vec![
        (1000, None),
        (3000, None),
        (
            3000,
            Some(Box::new(|m, t| {
                put(
                    m,
                    t,
                    Kind::Solution.into(),
                    "s2",
                    Some(&m.arn(Kind::DatasetGroup, "g")),
                );
            })),
        ),
        (6000, import("a.csv")),
        (7999, None),
        // s0's first training falls due before the data is ACTIVE: skipped.
        (8000, None),
        (
            8500,
            Some(Box::new(|m, t| {
                let manual = NewResource {
                    attrs: Map::from_iter([(
                        "solutionArn".into(),
                        Value::from(m.arn(Kind::Solution, "s2")),
                    )]),
                    ..NewResource::default()
                };
                m.create_solution_version(t, manual).unwrap();
            })),
        ),
        (9000, None),
        (
            DAY,
            Some(Box::new(move |m, t| {
                let on = request(serde_json::json!({"performAutoTraining": true,
                "solutionUpdateConfig": {"autoTrainingConfig": {"schedulingExpression": "rate(1 day)"}}}));
                m.update_child(t, Kind::Solution, &m.arn(Kind::Solution, "s1"), on)
                    .unwrap();
            })),
        ),
        (DAY + 3000, None),
        (DAY + 8000, None),
        (2 * DAY, import("b.csv")),
        (3 * DAY + 8000, None),
        (5 * DAY, import("c.csv")),
        (8 * DAY, None),
        (
            8 * DAY + 1,
            Some(Box::new(|m, t| {
                m.delete(t, Kind::Solution, &m.arn(Kind::Solution, "s0"))
                    .unwrap()
            })),
        ),
        (16 * DAY, None),
    ];
    for (t, change) in steps {
        if let Some(change) = change {
            change(&mut m, t);
        }
        // Built afresh, a model looks at every solution.
        let mut every = Model::new(m.rules.clone(), m.account.clone());
        every.settle(t);
        m.settle(t);
        assert_eq!(m.account, every.account, "at {t}");
    }
    let lc = m.rules.lifecycle;
    let versions = |arn: &str| {
        let versions = m.list(16 * DAY, Noun::SolutionVersion, Some(arn), None);
        versions
            .map(|v| (v.created, v.status(16 * DAY, lc).unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(versions(&s0), [], "s0 trained on day 7, then was deleted");
    let active = |day: Millis| (day * DAY + 8000, Status::Active);
    assert_eq!(
        versions(&s1),
        [active(1), active(2), active(5)],
        "s1 daily from day 1 + 8 s, on the days after an import"
    );
    assert_eq!(
        versions(&s2),
        [
            (8500, Status::CreateFailed),
            (7 * DAY + 11_000, Status::Active)
        ],
        "s2 trained by hand before its data, then weekly once data came"
    );
}

#[test]
fn fail_create_ends_in_create_failed_with_a_reason() {
    let mut m = model(Some("^bad"));
    let arn = m
        .create(
            0,
            Kind::DatasetGroup,
            Model::create_dataset_group,
            named("bad-1"),
        )
        .unwrap()
        .arn
        .clone();
    let r = m.describe(3000, Kind::DatasetGroup, &arn).unwrap();
    assert_eq!(
        r.status(3000, m.rules.lifecycle),
        Some(Status::CreateFailed)
    );
    assert!(r.failure_reason.as_deref().unwrap().contains("bad-1"));
    assert_eq!(
        m.delete(1000, Kind::DatasetGroup, &arn).unwrap_err().code,
        ErrorCode::ResourceInUse
    );
    m.delete(3000, Kind::DatasetGroup, &arn).unwrap();
}
