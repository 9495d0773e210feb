//! Apply on the paths the real service takes: `UpdateDataset` running for a
//! while and failing only in `latestDatasetUpdate`, `DeleteDataset` refused
//! while children are in the way, `DeleteSolution` refused while a version
//! trains, and an apply killed mid-update finished by the next.

use std::time::Duration;

use personalize_emulator::{EmulatorConfig, Stats};

use crate::support::account::{
    create_campaign, create_event_tracker, create_filter, create_solution, create_solution_version,
    dataset, datasets_of, group_arn,
};
use crate::support::clock::until;
use crate::support::env::{assert_converged, fast, frozen, Env, Run, Spawned};
use crate::support::stats::{mutating_since, refused_since};

/// A custom group with interactions and items, schemas as the real service
/// wants them (items: the id and a metadata field).
const SPEC: &str = r#"version: 1
stack: paths
schemas:
  interactions:
    definition:
      type: record
      name: Interactions
      namespace: com.example.paths
      fields:
        - {name: USER_ID, type: string}
        - {name: ITEM_ID, type: string}
        - {name: TIMESTAMP, type: long}
  items:
    definition:
      type: record
      name: Items
      namespace: com.example.paths
      fields:
        - {name: ITEM_ID, type: string}
        - {name: CATEGORY, type: ["null", string], categorical: true}
datasetGroups:
  - name: paths
    datasets:
      interactions: {schema: interactions}
      items: {schema: items}
"#;

/// `SPEC` with a nullable field added to the items schema: UpdateDataset in place.
fn updated() -> String {
    SPEC.replace(
        "        - {name: CATEGORY, type: [\"null\", string], categorical: true}\n",
        "        - {name: CATEGORY, type: [\"null\", string], categorical: true}\n        - {name: PRICE, type: [\"null\", float]}\n",
    )
}

/// `SPEC` without its interactions dataset.
fn without_interactions() -> String {
    SPEC.replace("      interactions: {schema: interactions}\n", "")
}

/// Writes `text` as `name`; its path.
fn write(env: &Env, name: &str, text: &str) -> String {
    let spec = env.write(name, text);
    spec.to_str().expect("utf-8 path").to_string()
}

/// `pzr apply` of `spec`, approved, with `extra` flags.
fn apply_args<'a>(spec: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["apply", "-f", spec, "--auto-approve"];
    args.extend_from_slice(extra);
    args
}

/// An emulator under `config` with `SPEC` applied.
async fn applied(config: EmulatorConfig) -> Env {
    let env = Env::with(config).await;
    env.apply_text("spec.yaml", SPEC, &[]).await.expect(0);
    env
}

/// Asserts that Personalize refused none of the calls since `before`: the
/// run took every path in an order the service accepts.
async fn assert_none_refused(env: &Env, before: &Stats, run: &Run) {
    let now = env.stats().await;
    let refused = refused_since(before, &now);
    assert_eq!(refused, 0, "{:?}\n{}", now.rejected, run.stderr);
}

/// Spawns `pzr args...` and returns once its stderr shows `marker` and
/// the emulator has been asked `operation` once.
async fn spawn_until_asked(env: &Env, args: &[&str], marker: &str, operation: &str) -> Spawned {
    let spawned = env.spawn_until(args, marker).await;
    until(&format!("pzr asks for {operation}"), || async {
        env.stats().await.requests.get(operation) == Some(&1)
    })
    .await;
    spawned
}

/// The items dataset's schema name and its latest update's status.
async fn items_schema(env: &Env) -> (String, Option<String>) {
    let d = dataset(&env.client, "paths", "items").await;
    let schema = d.schema_arn().unwrap_or_default();
    let name = schema.rsplit('/').next().unwrap_or_default().to_string();
    let update = d
        .latest_dataset_update()
        .and_then(|u| u.status())
        .map(str::to_string);
    (name, update)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schema_update_is_waited_for_through_its_life_cycle_until_active() {
    let env = applied(frozen()).await;
    let (before, _) = items_schema(&env).await;
    let run = env
        .apply_text("updated.yaml", &updated(), &[])
        .await
        .expect(0);
    assert!(
        run.stderr.contains("UPDATE IN_PROGRESS") || run.stderr.contains("UPDATE PENDING"),
        "the wait saw the update running: {}",
        run.stderr
    );
    let (after, update) = items_schema(&env).await;
    assert_ne!(after, before, "the dataset moved to the new schema");
    assert_eq!(update.as_deref(), Some("ACTIVE"));
    let stats = env.stats().await;
    assert_eq!(stats.requests.get("UpdateDataset"), Some(&1));
    assert_eq!(
        stats.requests.get("ListSolutionVersions"),
        None,
        "an update in place deletes nothing: no training state read"
    );
    assert_converged(&env, env.path("updated.yaml").to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_update_is_a_failed_step_with_its_reason() {
    let env = applied(EmulatorConfig {
        fail_update: Some(regex::Regex::new("items").expect("regex")),
        ..fast()
    })
    .await;
    let (before, _) = items_schema(&env).await;
    let run = env
        .apply_text("updated.yaml", &updated(), &[])
        .await
        .expect(1);
    let d = dataset(&env.client, "paths", "items").await;
    let reason = d
        .latest_dataset_update()
        .and_then(|u| u.failure_reason())
        .expect("the emulator gives a reason")
        .to_string();
    assert!(
        run.stderr.contains("update schema of dataset.paths.items") && run.stderr.contains(&reason),
        "the step failed with Personalize's reason {reason:?}: {}",
        run.stderr
    );
    assert!(run.stderr.contains("failed"), "{}", run.stderr);
    let (after, _) = items_schema(&env).await;
    assert_eq!(after, before, "a failed update leaves the old schema");
}

/// Creates a filter, an event tracker, and a campaign on a trained solution
/// in group `paths`, none of them pzr's; their names.
/// Gives the group interactions, as someone importing by hand would: the
/// trainings made by hand below need data.
async fn give_data(env: &Env) {
    let fields = serde_json::json!({"fields": [
        {"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"}]});
    env.put_data("paths/interactions.csv", &fields, "Interactions");
    let interactions = dataset(&env.client, "paths", "Interactions").await;
    let arn = interactions.dataset_arn().unwrap_or_default();
    env.import_data(arn, "paths/interactions.csv").await;
}

async fn unowned_children(env: &Env) -> [String; 3] {
    give_data(env).await;
    let client = &env.client;
    let group = group_arn(client, "paths").await.expect("group");
    let no_bought = "EXCLUDE ItemID WHERE Items.CATEGORY IN (\"bought\")";
    create_filter(client, "no-bought", &group, no_bought).await;
    create_event_tracker(client, "web", &group).await;
    let sims = "arn:aws:personalize:::recipe/aws-similar-items";
    let solution = create_solution(client, "sims", &group, sims, Some(false)).await;
    env.settle();
    let version = create_solution_version(client, &solution).await;
    env.settle();
    create_campaign(client, "sims-campaign", &version).await;
    env.settle();
    [
        "filter.paths.no-bought".into(),
        "eventTracker.paths.web".into(),
        "campaign.paths.sims-campaign".into(),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dataset_delete_is_blocked_by_unowned_children_then_cascades_them() {
    let env = applied(frozen()).await;
    let children = unowned_children(&env).await;
    let before = env.stats().await;
    let run = env
        .apply_text("less.yaml", &without_interactions(), &["--allow-destroy"])
        .await
        .expect(1);
    for child in &children {
        assert!(
            run.stderr.contains(child.as_str()),
            "{child} named: {}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("--cascade"), "{}", run.stderr);
    // Its trained, idle solution is not in DeleteDataset's way.
    assert!(
        !run.stderr.contains("solution.paths.sims"),
        "{}",
        run.stderr
    );
    let after = env.stats().await;
    assert_eq!(mutating_since(&before, &after), 0, "{:?}", after.requests);

    let run = env
        .apply_text(
            "less.yaml",
            &without_interactions(),
            &["--allow-destroy", "--cascade"],
        )
        .await
        .expect(0);
    assert_none_refused(&env, &after, &run).await;
    let datasets = datasets_of(&env.client, "paths").await;
    assert_eq!(datasets.len(), 1, "only items is left: {datasets:?}");
    assert!(
        group_arn(&env.client, "paths").await.is_some(),
        "the group stays"
    );
    // --cascade deleted only what Personalize required: the idle solution stays.
    let solutions = env.client.list_solutions().send().await.expect("solutions");
    let names: Vec<_> = solutions
        .solutions()
        .iter()
        .filter_map(|s| s.name())
        .collect();
    assert_eq!(names, ["sims"]);
    assert_converged(&env, env.path("less.yaml").to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_solution_being_trained_is_stopped_then_deleted_with_cascade() {
    let env = applied(EmulatorConfig {
        training_delay: Duration::from_millis(50),
        ..frozen()
    })
    .await;
    give_data(&env).await;
    let client = &env.client;
    let group = group_arn(client, "paths").await.expect("group");
    // Automatic training, the API's default: a version starts once the
    // solution has been ACTIVE for the training delay.
    let recipe = "arn:aws:personalize:::recipe/aws-user-personalization";
    let solution = create_solution(client, "auto", &group, recipe, None).await;
    let clock = env.emulator.clock();
    let training = || async {
        let versions = client
            .list_solution_versions()
            .solution_arn(&solution)
            .send()
            .await
            .expect("versions");
        versions
            .solution_versions()
            .iter()
            .any(|v| v.status() == Some("CREATE IN_PROGRESS"))
    };
    // 10ms at a time, so the version is caught while it trains (past
    // CREATE PENDING, where a stop is immediate).
    for _ in 0..100 {
        if training().await {
            break;
        }
        clock
            .advance(Duration::from_millis(10))
            .expect("a manual clock");
    }
    assert!(training().await, "a version is being trained");

    // The clock stands still until pzr has stopped the training: without
    // the stop, its DeleteSolution would be refused.
    let empty = write(&env, "empty.yaml", "version: 1\nstack: paths\n");
    let args = apply_args(&empty, &["--allow-destroy", "--cascade"]);
    let before = env.stats().await;
    let marker = "stop training of solution.paths.auto: started";
    let spawned = spawn_until_asked(&env, &args, marker, "StopSolutionVersionCreation").await;
    let ticker = env.ticker();
    let run = spawned.finish().await.expect(0);
    ticker.stop().await;
    assert_none_refused(&env, &before, &run).await;
    assert!(
        run.stderr.contains("CREATE STOPPING"),
        "the delete waited for the stop: {}",
        run.stderr
    );
    assert_eq!(group_arn(client, "paths").await, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_an_update_is_finished_by_the_next_apply() {
    let env = applied(EmulatorConfig {
        create_delay: Duration::from_millis(300),
        ..frozen()
    })
    .await;
    let spec = write(&env, "updated.yaml", &updated());
    let args = apply_args(&spec, &[]);
    let marker = "update schema of dataset.paths.items: started";
    let spawned = spawn_until_asked(&env, &args, marker, "UpdateDataset").await;
    spawned.kill().await;
    let d = dataset(&env.client, "paths", "items").await;
    assert!(
        d.status().is_some_and(|s| s.starts_with("UPDATE")),
        "killed mid-update: {d:?}"
    );
    let run = env.pzr_ticking(&args).await.expect(0);
    assert_eq!(
        env.stats().await.requests.get("UpdateDataset"),
        Some(&1),
        "the next apply waited for the update instead of asking again: {}",
        run.stderr
    );
    let (_, update) = items_schema(&env).await;
    assert_eq!(update.as_deref(), Some("ACTIVE"));
    assert_converged(&env, &spec).await;
}
