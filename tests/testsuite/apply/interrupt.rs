//! Apply stopped at any moment is finished by applying again: `kill -9` at
//! random moments, Ctrl-C (SIGINT, exit 130), and two applies at once.

use crate::support::account::{
    count_groups_named, dataset, datasets_of, group_arn, groups, schema_names,
};
use crate::support::clock::until;
use crate::support::env::{assert_converged, frozen, Env};
use crate::support::kill::{self, kill_9_rounds};
use crate::support::stats::refused_since;
use crate::support::unowned::{assert_untouched, unowned_groups};

const GROUPS: [&str; 2] = ["kill-a", "kill-b"];

const TWO_GROUPS: &str = r#"version: 1
stack: kill
schemas:
  interactions: {file: avro/offers-interactions.avsc}
  items: {file: avro/offers-items.avsc}
  actions: {file: avro/offers-actions.avsc}
datasetGroups:
  - name: kill-a
    tags: {team: a}
    datasets:
      interactions: {schema: interactions}
      items: {schema: items}
      actions: {schema: actions}
  - name: kill-b
    tags: {team: b}
    datasets:
      interactions: {schema: interactions}
      items: {schema: items}
"#;

const EMPTY: &str = "version: 1\nstack: kill\n";

/// The account holds exactly what `TWO_GROUPS` (full) or `EMPTY` asks for,
/// once each, and a plan has nothing left to do.
async fn assert_exactly(env: &Env, spec: &str, full: bool) {
    for (group, datasets) in GROUPS.into_iter().zip([3, 2]) {
        let expected = usize::from(full);
        assert_eq!(
            count_groups_named(&env.client, group).await,
            expected,
            "{group}"
        );
        let found = datasets_of(&env.client, group).await;
        assert_eq!(found.len(), expected * datasets, "{group}: {found:?}");
        assert!(found.iter().all(|d| d.2 == "ACTIVE"), "{found:?}");
    }
    let managed = schema_names(&env.client)
        .await
        .into_iter()
        .filter(|n| n.starts_with("kill_"))
        .count();
    assert_eq!(managed, if full { 3 } else { 0 }, "managed schemas");
    assert_converged(env, spec).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_at_random_moments_then_apply_again_converges() {
    let env = kill::env().await;
    let unowned = unowned_groups(&env).await;
    let full = env.write("full.yaml", TWO_GROUPS);
    // kill-a's items dataset renamed: a replace (delete, then create).
    let renamed = env.write(
        "renamed.yaml",
        &TWO_GROUPS.replace(
            "      items: {schema: items}\n      actions:",
            "      items: {schema: items, name: kill-a-catalogue}\n      actions:",
        ),
    );
    let empty = env.write("empty.yaml", EMPTY);
    // Create, replace, delete, twice: every kill interrupts real work. The
    // last life cycle of a round cannot end before its span (of emulator
    // time) from its first step: a group, then its datasets (150 + 150); a
    // dataset deleted, then its successor created (100 + 150); the datasets
    // deleted, then their groups (100 + 100).
    let rounds = [
        (&full, true, 300),
        (&renamed, true, 250),
        (&empty, false, 200),
    ];
    let check = async |spec: &str, creating: &bool, _: &str| {
        assert_exactly(&env, spec, *creating).await;
        if spec.ends_with("renamed.yaml") {
            let names = datasets_of(&env.client, "kill-a").await;
            assert!(names.iter().any(|d| d.0 == "kill-a-catalogue"), "{names:?}");
        }
    };
    kill_9_rounds(&env, 9, &rounds, async || snapshot(&env).await, check).await;
    assert_untouched(&env, &unowned).await;
}

/// The groups of this stack with their status and datasets.
async fn snapshot(env: &Env) -> Vec<(String, String, Vec<(String, String, String)>)> {
    let mut out = Vec::new();
    for (name, _, status) in groups(&env.client).await {
        if GROUPS.contains(&name.as_str()) {
            let datasets = datasets_of(&env.client, &name).await;
            out.push((name, status, datasets));
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_stops_with_exit_130_and_a_rerun_finishes() {
    // The clock stands still: the groups are being created for as long as
    // the test needs, so the signal lands while pzr waits for them.
    let env = Env::with(frozen()).await;
    let unowned = unowned_groups(&env).await;
    let full = env.write("full.yaml", TWO_GROUPS);
    let full = full.to_str().expect("utf-8 path");
    let args = ["apply", "-f", full, "--auto-approve"];
    let spawned = env
        .spawn_until(&args, "create datasetGroup.kill-a: started")
        .await;
    let pid = spawned.child.id().expect("running");
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    // It ends although the groups can never become ACTIVE while it runs: it
    // stopped without waiting for creation to finish.
    let run = spawned.finish().await;
    assert_eq!(run.code, 130, "{}", run.stderr);
    for line in [
        "not started: create dataset.kill-a.items",
        "not started: create dataset.kill-b.interactions",
        "Apply interrupted; run it again to finish",
    ] {
        assert!(run.stderr.contains(line), "{line:?} in:\n{}", run.stderr);
    }
    // Datasets were never started: the groups were not ACTIVE when it stopped.
    for group in GROUPS {
        assert!(datasets_of(&env.client, group).await.is_empty());
    }
    let s0 = env.stats().await;
    env.pzr_ticking(&args).await.expect(0);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    assert_exactly(&env, full, true).await;
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_applies_started_together_converge() {
    let env = Env::new().await;
    let unowned = unowned_groups(&env).await;
    let full = env.write("full.yaml", TWO_GROUPS);
    let empty = env.write("empty.yaml", EMPTY);
    for (spec, creating) in [(&full, true), (&empty, false)] {
        let spec = spec.to_str().expect("utf-8 path");
        let args = ["apply", "-f", spec, "--auto-approve", "--allow-destroy"];
        let (a, b) = tokio::join!(env.pzr(&args), env.pzr(&args));
        for run in [a, b] {
            assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        }
        assert_exactly(&env, spec, creating).await;
    }
    assert_eq!(group_arn(&env.client, "kill-a").await, None);
    assert_untouched(&env, &unowned).await;
}

/// Whether the account holds a dataset group named `name`.
async fn group_exists(env: &Env, name: &str) -> bool {
    group_arn(&env.client, name).await.is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rerun_waits_for_datasets_a_killed_apply_left_being_created() {
    let env = Env::with(frozen()).await;
    let full = env.write("full.yaml", TWO_GROUPS);
    let full = full.to_str().expect("utf-8 path");
    let args = ["apply", "-f", full, "--auto-approve"];
    // The groups are created on a clock standing still; once they exist the
    // clock moves past their creation, pzr creates the datasets, and the
    // clock stands still again: they stay CREATE PENDING.
    let spawned = env.spawn_until(&args, ": started").await;
    until("pzr creates both groups", || async {
        group_exists(&env, "kill-a").await && group_exists(&env, "kill-b").await
    })
    .await;
    env.settle();
    until("pzr creates dataset.kill-a.items", || async {
        let datasets = datasets_of(&env.client, "kill-a").await;
        datasets.iter().any(|d| d.1.eq_ignore_ascii_case("items"))
    })
    .await;
    spawned.kill().await;
    let left = datasets_of(&env.client, "kill-a").await;
    assert!(
        left.iter().any(|d| d.2 != "ACTIVE"),
        "the kill left a dataset being created: {left:?}"
    );

    // The rerun finds it still being created, and the clock moves only once
    // the rerun waits for it.
    let s0 = env.stats().await;
    let rerun = env
        .spawn_until(&args, "wait for dataset.kill-a.items: started")
        .await;
    let ticker = env.ticker();
    let run = rerun.finish().await;
    ticker.stop().await;
    let run = run.expect(0);
    assert!(
        run.stderr.contains("wait for dataset.kill-a.items: done"),
        "{}",
        run.stderr
    );
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    // No advancing here: the rerun itself waited.
    assert_exactly(&env, full, true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_a_killed_apply_left_being_created_can_be_deleted_at_once() {
    let env = Env::with(frozen()).await;
    let unowned = unowned_groups(&env).await;
    let full = env.write("full.yaml", TWO_GROUPS);
    let full = full.to_str().expect("utf-8 path");
    let spawned = env
        .spawn_until(
            &["apply", "-f", full, "--auto-approve"],
            "create datasetGroup.kill-b: started",
        )
        .await;
    // The create call lands; the clock stands still, so the group stays
    // CREATE PENDING.
    until("pzr creates kill-b", || group_exists(&env, "kill-b")).await;
    spawned.kill().await;
    let creating: Vec<_> = groups(&env.client)
        .await
        .into_iter()
        .filter(|g| g.2.starts_with("CREATE"))
        .collect();
    assert!(!creating.is_empty(), "a group is being created");

    let empty = env.write("empty.yaml", EMPTY);
    let empty = empty.to_str().expect("utf-8 path");
    let s0 = env.stats().await;
    env.pzr_ticking(&["apply", "-f", empty, "--auto-approve", "--allow-destroy"])
        .await
        .expect(0);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    assert_exactly(&env, empty, false).await;
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schema_update_interrupted_after_update_dataset_is_finished() {
    let env = Env::new().await;
    let spec = env.write("spec.yaml", &env.retail_unprotected());
    let spec = spec.to_str().expect("utf-8 path");
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let old_schemas = schema_names(&env.client).await;

    // A compatible change (a nullable field), planned...
    let avsc = env.path("avro/retail-items.avsc");
    let text = std::fs::read_to_string(&avsc).expect("avsc");
    std::fs::write(
        &avsc,
        text.replace(
            r#"{"name": "CREATION_TIMESTAMP", "type": "long"}"#,
            r#"{"name": "CREATION_TIMESTAMP", "type": "long"}, {"name": "BRAND", "type": ["null", "string"], "categorical": true}"#,
        ),
    )
    .expect("write avsc");
    let plan = env
        .pzr(&["plan", "-f", spec, "--format", "json"])
        .await
        .expect(0)
        .json();
    let new = plan["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["address"] == "schema.items")
        .expect("schema change")["after"]
        .clone();
    // ...and carried out up to UpdateDataset by an apply killed there.
    let schema_arn = env
        .client
        .create_schema()
        .name(new["name"].as_str().expect("name"))
        .schema(new["definition"].to_string())
        .domain("ECOMMERCE".into())
        .send()
        .await
        .expect("create schema")
        .schema_arn()
        .expect("arn")
        .to_string();
    let items = dataset(&env.client, "retail-prod", "items")
        .await
        .dataset_arn()
        .expect("arn")
        .to_string();
    env.client
        .update_dataset()
        .dataset_arn(&items)
        .schema_arn(&schema_arn)
        .send()
        .await
        .expect("update dataset");
    // UpdateDataset runs for the create delay, as on AWS.
    until("the update ends", || async {
        dataset(&env.client, "retail-prod", "items").await.status() == Some("ACTIVE")
    })
    .await;

    // What is left is shown: the old schema's deletion.
    let plan = env.plan_json(spec, 2).await;
    let changes = plan["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{plan}");
    assert_eq!(changes[0]["address"], "schema.items");
    assert_eq!(changes[0]["action"], "delete");

    let s0 = env.stats().await;
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    let now = schema_names(&env.client).await;
    assert_eq!(now.len(), old_schemas.len(), "old deleted: {now:?}");
    assert!(now
        .iter()
        .any(|n| n == new["name"].as_str().unwrap_or_default()));
    assert_converged(&env, spec).await;
}
