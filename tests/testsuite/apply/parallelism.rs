//! `--parallelism N` bounds the dataset groups worked on at once: all the
//! datasets of a running group proceed together, and groups beyond N wait
//! for a whole group to finish. Checked on the emulator's creation times.

use std::time::Duration;

use pzr::emulator::EmulatorConfig;

use crate::support::account::{group_arn, group_created_at};
use crate::support::env::{assert_converged, fast, Env};
use crate::support::serial::timing;
use crate::support::unowned::{assert_untouched, unowned_groups};

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

async fn apply_with(parallelism: &str) -> ((f64, Vec<f64>), (f64, Vec<f64>)) {
    let env = Env::with(EmulatorConfig {
        create_delay: DELAY,
        ..fast()
    })
    .await;
    let unowned = unowned_groups(&env).await;
    let spec = env.write("par.yaml", TWO_GROUPS);
    let spec = spec.to_str().expect("utf-8 path");
    env.pzr(&[
        "apply",
        "-f",
        spec,
        "--auto-approve",
        "--parallelism",
        parallelism,
    ])
    .await
    .expect(0);
    assert_converged(&env, spec).await;
    assert_untouched(&env, &unowned).await;
    (created(&env, "par-a").await, created(&env, "par-b").await)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_datasets_of_running_groups_all_proceed_at_once() {
    let _timing = timing().await;
    // Three slots: two groups (and a schema) at once; steps beyond three
    // (four datasets) do not wait for a slot.
    let ((_, a), (_, b)) = apply_with("3").await;
    let all: Vec<f64> = a.into_iter().chain(b).collect();
    assert_eq!(all.len(), 4);
    let first = all.iter().copied().fold(f64::INFINITY, f64::min);
    let last = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(
        last - first < DELAY.as_secs_f64(),
        "all four datasets were created while the first was still being created: {all:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_beyond_the_limit_wait_for_a_whole_group() {
    let ((a_group, a), (b_group, b)) = apply_with("1").await;
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
