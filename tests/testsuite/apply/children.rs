//! Event trackers and filters managed end to end, through the real SDK
//! against the emulator: created after their group's datasets, re-applied
//! with no call, tagged in place, a filter replaced when its expression
//! changes, a tracker replaced only with --allow-destroy, deleted before
//! their datasets; drift per out-of-band change, export round trip,
//! adoption, `pzr output`, and kill -9 at random moments.

use crate::support::account::{
    create_dataset, create_group, create_schema, filters_of, group_arn, tag, tags_of, trackers_of,
};
use crate::support::env::{assert_converged, frozen, Env};
use crate::support::kill::{self, kill_9_rounds};
use crate::support::stats::{mutating_since, refused_since};

const NOT_BOUGHT: &str = r#"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")"#;
const NOT_CLICKED: &str = r#"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#;

/// The schemas of `spec`, as JSON.
const INTERACTIONS: &str = r#"{"type": "record", "name": "Interactions", "namespace": "com.example.kids", "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}]}"#;
const ITEMS: &str = r#"{"type": "record", "name": "Items", "namespace": "com.example.kids", "fields": [{"name": "ITEM_ID", "type": "string"}, {"name": "CATEGORY", "type": "string", "categorical": true}]}"#;

/// A custom group with interactions (EVENT_TYPE, which a filter names) and
/// items (CATEGORY), its event tracker and two filters.
fn spec(stack: &str, adopt: bool) -> String {
    format!(
        r#"version: 1
stack: {stack}
schemas:
  interactions:
    definition:
      type: record
      name: Interactions
      namespace: com.example.kids
      fields:
        - {{name: USER_ID, type: string}}
        - {{name: ITEM_ID, type: string}}
        - {{name: TIMESTAMP, type: long}}
        - {{name: EVENT_TYPE, type: string}}
  items:
    definition:
      type: record
      name: Items
      namespace: com.example.kids
      fields:
        - {{name: ITEM_ID, type: string}}
        - {{name: CATEGORY, type: string, categorical: true}}
datasetGroups:
  - name: kids
    adopt: {adopt}
    datasets:
      interactions: {{schema: interactions}}
      items: {{schema: items}}
    eventTracker: {{tags: {{team: growth}}}}
    filters:
      not-bought:
        expression: '{NOT_BOUGHT}'
      by-category:
        expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)'
        tags: {{team: search}}
"#
    )
}

/// An emulator with `spec("kids", false)` applied.
async fn applied() -> (Env, String) {
    let env = Env::with(frozen()).await;
    let text = spec("kids", false);
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);
    (env, text)
}

#[tokio::test(flavor = "multi_thread")]
async fn trackers_and_filters_are_created_updated_replaced_and_deleted() {
    let env = Env::with(frozen()).await;
    let text = spec("kids", false);
    let s0 = env.stats().await;
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);
    assert_eq!(
        refused_since(&s0, &env.stats().await),
        0,
        "in Personalize's order"
    );
    let trackers = trackers_of(&env.client, "kids").await;
    assert_eq!(trackers.len(), 1);
    let tracker = trackers[0].clone();
    assert_eq!(
        (tracker.name.as_str(), tracker.status.as_str()),
        ("kids-tracker", "ACTIVE")
    );
    assert_eq!(
        tags_of(&env.client, &tracker.arn)
            .await
            .get("team")
            .map(String::as_str),
        Some("growth")
    );
    let filters = filters_of(&env.client, "kids").await;
    let shown: Vec<(&str, &str, &str)> = filters
        .iter()
        .map(|f| (f.name.as_str(), f.status.as_str(), f.detail.as_str()))
        .collect();
    assert_eq!(
        shown,
        vec![
            (
                "kids-by-category",
                "ACTIVE",
                "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"
            ),
            ("kids-not-bought", "ACTIVE", NOT_BOUGHT),
        ]
    );
    for f in &filters {
        assert_eq!(
            tags_of(&env.client, &f.arn)
                .await
                .get("pzr:stack")
                .map(String::as_str),
            Some("kids")
        );
    }

    // Applied again: nothing to do, no mutating call.
    let s1 = env.stats().await;
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);
    assert_eq!(mutating_since(&s1, &env.stats().await), 0);

    // Tags in place: the same tracker (ARN, trackingId) with the new tag.
    let retagged = text.replace("{tags: {team: growth}}", "{tags: {team: ads}}");
    env.apply_text("retagged.yaml", &retagged, &[])
        .await
        .expect(0);
    let now = trackers_of(&env.client, "kids").await;
    assert_eq!(
        (&now[0].arn, &now[0].detail),
        (&tracker.arn, &tracker.detail)
    );
    assert_eq!(
        tags_of(&env.client, &tracker.arn)
            .await
            .get("team")
            .map(String::as_str),
        Some("ads")
    );

    // A new expression replaces the filter, without --allow-destroy.
    let clicked = retagged.replace(NOT_BOUGHT, NOT_CLICKED);
    let run = env
        .apply_text("clicked.yaml", &clicked, &[])
        .await
        .expect(0);
    assert!(run.stdout.contains("briefly unavailable"), "{}", run.stdout);
    let filters = filters_of(&env.client, "kids").await;
    assert_eq!(filters[1].name, "kids-not-bought");
    assert_eq!(filters[1].detail, NOT_CLICKED);
    assert_eq!(filters[1].status, "ACTIVE");
    assert_converged(&env, &env.arg("clicked.yaml")).await;

    // A renamed tracker is a destructive replace: refused without --allow-destroy.
    let renamed = clicked.replace(
        "eventTracker: {tags",
        "eventTracker: {name: kids-events, tags",
    );
    env.write("renamed.yaml", &renamed);
    let planned = env
        .pzr(&["plan", "-f", &env.arg("renamed.yaml")])
        .await
        .expect(0);
    assert!(
        planned.stderr.contains(
            "1 of these changes delete or replace what holds data: \
             apply them with `pzr apply --allow-destroy`"
        ),
        "{}",
        planned.stderr
    );
    let s2 = env.stats().await;
    let run = env
        .apply_text("renamed.yaml", &renamed, &[])
        .await
        .expect(1);
    assert!(run.stderr.contains("--allow-destroy"), "{}", run.stderr);
    assert_eq!(
        mutating_since(&s2, &env.stats().await),
        0,
        "refused before any call"
    );
    env.apply_text("renamed.yaml", &renamed, &["--allow-destroy"])
        .await
        .expect(0);
    let now = trackers_of(&env.client, "kids").await;
    assert_eq!(now.len(), 1);
    assert_eq!(
        (now[0].name.as_str(), now[0].status.as_str()),
        ("kids-events", "ACTIVE")
    );
    assert_ne!(now[0].detail, tracker.detail, "a new trackingId");
    assert_converged(&env, &env.arg("renamed.yaml")).await;

    // Everything deleted, children before their datasets: nothing refused.
    let s3 = env.stats().await;
    env.apply_text(
        "empty.yaml",
        "version: 1\nstack: kids\n",
        &["--allow-destroy"],
    )
    .await
    .expect(0);
    assert_eq!(
        refused_since(&s3, &env.stats().await),
        0,
        "{:?}",
        env.stats().await.rejected
    );
    assert_eq!(group_arn(&env.client, "kids").await, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_removed_tracker_is_destructive_and_a_removed_filter_is_not() {
    let (env, text) = applied().await;
    let fewer = text
        .replace("    eventTracker: {tags: {team: growth}}\n", "")
        .replace(
            &format!("      not-bought:\n        expression: '{NOT_BOUGHT}'\n"),
            "",
        );
    env.write("fewer.yaml", &fewer);
    let doc = env.plan_json(&env.arg("fewer.yaml"), 2).await;
    let changes: Vec<(&str, &str, bool)> = doc["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["address"].as_str().unwrap_or_default(),
                c["action"].as_str().unwrap_or_default(),
                c["destructive"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            ("eventTracker.kids", "delete", true),
            ("filter.kids.not-bought", "delete", false),
        ]
    );
    env.apply_text("fewer.yaml", &fewer, &["--allow-destroy"])
        .await
        .expect(0);
    assert!(trackers_of(&env.client, "kids").await.is_empty());
    assert_eq!(filters_of(&env.client, "kids").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_out_of_band_change_to_a_child_is_drift() {
    let (env, text) = applied().await;
    let spec = env.arg("spec.yaml");
    assert_eq!(env.drift_fields(&spec).await, (0, Vec::new()));

    // A filter deleted.
    let filter = filters_of(&env.client, "kids").await[1].clone();
    env.client
        .delete_filter()
        .filter_arn(&filter.arn)
        .send()
        .await
        .expect("delete filter");
    env.settle();
    let fields: &[&str] = &["expression", "name", "tags"];
    env.assert_drifted(&spec, &[("filter.kids.not-bought", fields)])
        .await;
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);

    // Tags changed on the other filter.
    let other = filters_of(&env.client, "kids").await[0].clone();
    env.client
        .tag_resource()
        .resource_arn(&other.arn)
        .tags(tag("team", "ads"))
        .send()
        .await
        .expect("tag");
    env.assert_drifted(&spec, &[("filter.kids.by-category", &["tags.team"])])
        .await;
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);

    // The tracker deleted.
    let tracker = trackers_of(&env.client, "kids").await[0].clone();
    env.client
        .delete_event_tracker()
        .event_tracker_arn(&tracker.arn)
        .send()
        .await
        .expect("delete tracker");
    env.settle();
    let (code, drifted) = env.drift_fields(&spec).await;
    assert_eq!(code, 2);
    assert_eq!(
        drifted.iter().map(|d| d.0.as_str()).collect::<Vec<_>>(),
        vec!["eventTracker.kids"]
    );
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);
    assert_eq!(env.drift_fields(&spec).await.0, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exported_spec_with_children_plans_to_nothing() {
    let (env, _) = applied().await;
    let out = env.arg("exported.yaml");
    env.pzr(&["export", "--stack", "kids", "-o", &out])
        .await
        .expect(0);
    let exported = std::fs::read_to_string(&out).expect("exported");
    assert!(
        exported.contains("eventTracker:") && exported.contains("not-bought:"),
        "{exported}"
    );
    assert!(exported.contains(NOT_BOUGHT), "{exported}");
    assert_converged(&env, &out).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn adopt_takes_over_the_tracker_and_filters_of_the_declared_names() {
    let env = Env::with(frozen()).await;
    let group = create_group(&env.client, "kids").await;
    env.settle();
    // Schemas of the spec's content under other names: adopted as they are.
    let interactions = create_schema(&env.client, "hand-interactions", INTERACTIONS).await;
    let items = create_schema(&env.client, "hand-items", ITEMS).await;
    create_dataset(
        &env.client,
        "kids-interactions",
        &group,
        &interactions,
        "Interactions",
    )
    .await;
    create_dataset(&env.client, "kids-items", &group, &items, "Items").await;
    env.settle();
    let tracker = env
        .client
        .create_event_tracker()
        .name("kids-tracker")
        .dataset_group_arn(&group)
        .send()
        .await
        .expect("tracker");
    let filter = env
        .client
        .create_filter()
        .name("kids-not-bought")
        .dataset_group_arn(&group)
        .filter_expression(NOT_BOUGHT)
        .send()
        .await
        .expect("filter");
    env.settle();
    let text = spec("kids", true);
    let written = env.write("adopt.yaml", &text);
    let doc = env.plan_json(written.to_str().expect("path"), 2).await;
    let adopted: Vec<&str> = doc["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["action"] == "adopt")
        .filter_map(|c| c["address"].as_str())
        .collect();
    assert!(
        adopted.contains(&"eventTracker.kids") && adopted.contains(&"filter.kids.not-bought"),
        "{doc:#}"
    );
    env.apply_text("adopt.yaml", &text, &[]).await.expect(0);
    let tracker_arn = tracker.event_tracker_arn().expect("arn");
    assert_eq!(
        tags_of(&env.client, tracker_arn)
            .await
            .get("pzr:stack")
            .map(String::as_str),
        Some("kids")
    );
    let filter_arn = filter.filter_arn().expect("arn");
    assert_eq!(
        tags_of(&env.client, filter_arn)
            .await
            .get("pzr:stack")
            .map(String::as_str),
        Some("kids")
    );
    assert_eq!(
        trackers_of(&env.client, "kids").await[0].arn,
        tracker_arn,
        "the same tracker"
    );
    assert_converged(&env, &env.arg("adopt.yaml")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn output_lists_arns_and_the_tracking_id() {
    let (env, _) = applied().await;
    let spec = env.arg("spec.yaml");
    let tracker = trackers_of(&env.client, "kids").await[0].clone();
    let doc = env
        .pzr(&["output", "-f", &spec, "--format", "json"])
        .await
        .expect(0)
        .json();
    assert_eq!(doc["stack"], "kids");
    let resources = doc["resources"].as_array().expect("resources");
    let addresses: Vec<&str> = resources
        .iter()
        .filter_map(|r| r["address"].as_str())
        .collect();
    assert_eq!(
        addresses,
        vec![
            "schema.interactions",
            "schema.items",
            "datasetGroup.kids",
            "dataset.kids.interactions",
            "dataset.kids.items",
            "eventTracker.kids",
            "filter.kids.by-category",
            "filter.kids.not-bought",
        ]
    );
    let t = resources
        .iter()
        .find(|r| r["address"] == "eventTracker.kids")
        .expect("tracker");
    assert_eq!(t["arn"], tracker.arn.as_str());
    assert_eq!(t["status"], "ACTIVE");
    assert_eq!(t["trackingId"], tracker.detail.as_str());
    assert!(resources
        .iter()
        .filter(|r| r["address"] != "eventTracker.kids")
        .all(|r| r.get("trackingId").is_none()));
    let text = env.pzr(&["output", "-f", &spec]).await.expect(0).stdout;
    let line = text
        .lines()
        .find(|l| l.starts_with("eventTracker.kids"))
        .expect("tracker line");
    assert!(
        line.contains(&tracker.arn) && line.contains(&format!("trackingId={}", tracker.detail)),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_at_random_moments_then_apply_again_converges() {
    let env = kill::env().await;
    let text = spec("kids", false);
    let full = env.write("full.yaml", &text);
    // A new expression and a renamed tracker: two replaces.
    let changed = env.write(
        "changed.yaml",
        &text.replace(NOT_BOUGHT, NOT_CLICKED).replace(
            "eventTracker: {tags",
            "eventTracker: {name: kids-events, tags",
        ),
    );
    let empty = env.write("empty.yaml", "version: 1\nstack: kids\n");
    // The span of emulator time each round's steps take at least: group,
    // datasets, then children (3 x 150); a child deleted then created
    // (100 + 150); children, datasets, then the group deleted (3 x 100).
    let rounds = [
        (&full, Some(("kids-tracker", NOT_BOUGHT)), 450),
        (&changed, Some(("kids-events", NOT_CLICKED)), 250),
        (&empty, None, 300),
    ];
    let check = async |spec: &str, expected: &Option<(&str, &str)>, context: &str| {
        let trackers = trackers_of(&env.client, "kids").await;
        let filters = filters_of(&env.client, "kids").await;
        match expected {
            Some((tracker, expression)) => {
                let t: Vec<(&str, &str)> = trackers
                    .iter()
                    .map(|t| (t.name.as_str(), t.status.as_str()))
                    .collect();
                assert_eq!(t, vec![(*tracker, "ACTIVE")], "{context}");
                assert_eq!(filters.len(), 2, "{context}: {filters:?}");
                assert!(
                    filters.iter().all(|f| f.status == "ACTIVE"),
                    "{context}: {filters:?}"
                );
                assert_eq!(filters[1].detail, *expression, "{context}");
            }
            None => assert_eq!(group_arn(&env.client, "kids").await, None, "{context}"),
        }
        assert_converged(&env, spec).await;
    };
    kill_9_rounds(&env, 11, &rounds, async || snapshot(&env).await, check).await;
}

/// The group's status with its trackers' and filters' names and statuses.
async fn snapshot(env: &Env) -> (Option<String>, Vec<(String, String)>) {
    let group = match group_arn(&env.client, "kids").await {
        Some(arn) => Some(crate::support::account::group_status(&env.client, &arn).await),
        None => None,
    };
    let children = trackers_of(&env.client, "kids")
        .await
        .into_iter()
        .chain(filters_of(&env.client, "kids").await)
        .map(|c| (c.name, c.status))
        .collect();
    (group, children)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dataset_deleted_under_a_managed_filter_goes_after_it_and_the_filter_comes_back() {
    let (env, text) = applied().await;
    // The items dataset removed, with the filter naming it; the filter on
    // interactions stays, but Personalize refuses DeleteDataset while any
    // filter exists: it is deleted first and created again after.
    let fewer = text
        .replace("      items: {schema: items}\n", "")
        .replace(
            "      by-category:\n        expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)'\n        tags: {team: search}\n",
            "",
        );
    let s0 = env.stats().await;
    let run = env
        .apply_text("fewer.yaml", &fewer, &["--allow-destroy"])
        .await
        .expect(0);
    assert!(
        run.stdout
            .contains("Personalize refuses to delete dataset.kids.items"),
        "{}",
        run.stdout
    );
    assert_eq!(refused_since(&s0, &env.stats().await), 0, "{}", run.stderr);
    let filters = filters_of(&env.client, "kids").await;
    let shown: Vec<(&str, &str)> = filters
        .iter()
        .map(|f| (f.name.as_str(), f.status.as_str()))
        .collect();
    assert_eq!(shown, vec![("kids-not-bought", "ACTIVE")]);
    assert_converged(&env, &env.arg("fewer.yaml")).await;
}
