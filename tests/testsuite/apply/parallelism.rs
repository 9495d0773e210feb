//! `--parallelism N` bounds the dataset groups worked on at once: all the
//! datasets of a running group proceed together, and groups beyond N wait
//! for a whole group to finish. Checked on the emulator's creation times,
//! read from a clock that moves only when the test advances it.

use std::time::Duration;

use personalize_emulator::EmulatorConfig;

use crate::support::account::{datasets_of, group_arn, group_created_at};
use crate::support::clock::until;
use crate::support::env::{assert_converged, frozen, Env};
use crate::support::unowned::{assert_untouched, unowned_groups, Untouched};

const DELAY: Duration = Duration::from_millis(300);

const TWO_GROUPS: &str = r#"version: 1
stack: par
schemas:
  interactions: {file: avro/offers-interactions.avsc}
  items: {file: avro/offers-items.avsc}
datasetGroups:
  - name: par-a
    datasets:
      interactions: {schema: interactions}
      items: {schema: items}
  - name: par-b
    datasets:
      interactions: {schema: interactions}
      items: {schema: items}
"#;

/// Creation times (epoch seconds) of a group and of its datasets.
async fn created(env: &Env, group: &str) -> (f64, Vec<f64>) {
    let arn = group_arn(&env.client, group).await.expect("group");
    let group_at = group_created_at(&env.client, &arn).await;
    let list = env
        .client
        .list_datasets()
        .dataset_group_arn(&arn)
        .send()
        .await
        .expect("list datasets");
    let mut datasets = Vec::new();
    for d in list.datasets() {
        datasets.push(d.creation_date_time().expect("creation time").as_secs_f64());
    }
    (group_at, datasets)
}

/// An emulator on a clock that moves only when the test advances it, with
/// two groups pzr must leave alone.
async fn env_with_unowned() -> (Env, Vec<Untouched>) {
    let env = Env::with(EmulatorConfig {
        create_delay: DELAY,
        ..frozen()
    })
    .await;
    let unowned = unowned_groups(&env).await;
    (env, unowned)
}

fn apply_args<'a>(spec: &'a str, parallelism: &'a str) -> [&'a str; 6] {
    [
        "apply",
        "-f",
        spec,
        "--auto-approve",
        "--parallelism",
        parallelism,
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_datasets_of_running_groups_all_proceed_at_once() {
    let (env, unowned) = env_with_unowned().await;
    let spec = env.write("par.yaml", TWO_GROUPS);
    let spec = spec.to_str().expect("utf-8 path");
    // Three slots: two groups (and a schema) at once; steps beyond three
    // (four datasets) do not wait for a slot.
    let spawned = env.spawn_until(&apply_args(spec, "3"), ": started").await;
    until("pzr creates both groups", || async {
        group_arn(&env.client, "par-a").await.is_some()
            && group_arn(&env.client, "par-b").await.is_some()
    })
    .await;
    // Both groups become ACTIVE; then the clock stands still, so no dataset
    // can become ACTIVE: all four must be created while the first is still
    // being created (a pzr that made them wait for a slot, or for each
    // other, would never create the fourth).
    env.settle();
    until("all four datasets are created at once", || async {
        let (a, b) = (
            datasets_of(&env.client, "par-a").await,
            datasets_of(&env.client, "par-b").await,
        );
        a.len() + b.len() == 4
    })
    .await;
    let ((_, a), (_, b)) = (created(&env, "par-a").await, created(&env, "par-b").await);
    let all: Vec<f64> = a.into_iter().chain(b).collect();
    assert!(all.windows(2).all(|w| w[0] == w[1]), "{all:?}");
    for group in ["par-a", "par-b"] {
        let datasets = datasets_of(&env.client, group).await;
        assert!(
            datasets.iter().all(|d| d.2 == "CREATE PENDING"),
            "{datasets:?}"
        );
    }
    let ticker = env.ticker();
    let run = spawned.finish().await;
    ticker.stop().await;
    run.expect(0);
    assert_converged(&env, spec).await;
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_beyond_the_limit_wait_for_a_whole_group() {
    let (env, unowned) = env_with_unowned().await;
    let spec = env.write("par.yaml", TWO_GROUPS);
    let spec = spec.to_str().expect("utf-8 path");
    env.pzr_ticking(&apply_args(spec, "1")).await.expect(0);
    assert_converged(&env, spec).await;
    assert_untouched(&env, &unowned).await;
    // The times are the emulator's: they moved only as the test advanced them.
    let (a_group, a) = created(&env, "par-a").await;
    let (b_group, b) = created(&env, "par-b").await;
    let (first, second, second_group) = if a_group < b_group {
        (a, b, b_group)
    } else {
        (b, a, a_group)
    };
    let first_done = first.iter().copied().fold(f64::NEG_INFINITY, f64::max) + DELAY.as_secs_f64();
    assert!(
        second_group >= first_done - 0.001,
        "the second group started ({second_group}) only after the first group's datasets were ACTIVE ({first_done})"
    );
    assert_eq!(second.len(), 2);
}
