//! Apply when things go wrong: a group that fails to create fails only its
//! chain; unmanaged children block a delete until `--cascade`.

use crate::support::account::{datasets_of, group_arn};
use crate::support::env::{assert_converged, fast, frozen, Env};
use crate::support::stats::{mutating_since, refused_since};
use crate::support::unowned::{assert_untouched, unowned_groups};

const TWO_GROUPS: &str = r#"version: 1
stack: two
schemas:
  interactions: {file: avro/offers-interactions.avsc}
  items: {file: avro/offers-items.avsc}
datasetGroups:
  - name: doomed
    datasets:
      interactions: {schema: interactions}
      items: {schema: items}
  - name: healthy
    datasets:
      interactions: {schema: interactions}
      items: {schema: items}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_group_that_fails_to_create_fails_only_its_chain() {
    let env = Env::with(personalize_emulator::EmulatorConfig {
        fail_create: Some(regex::Regex::new("^doomed$").expect("regex")),
        ..fast()
    })
    .await;
    let unowned = unowned_groups(&env).await;
    let spec = env.write("two.yaml", TWO_GROUPS);
    let spec = spec.to_str().expect("utf-8 path");

    let s0 = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(1);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    assert!(
        run.stderr.contains("failed: create datasetGroup.doomed")
            && run.stderr.contains("injected by --fail-create"),
        "the failure and its reason are listed: {}",
        run.stderr
    );
    for skipped in ["dataset.doomed.interactions", "dataset.doomed.items"] {
        assert!(
            run.stderr.contains(&format!("skipped: create {skipped}")),
            "{skipped} skipped: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("1 failed, 2 skipped"),
        "summary counts: {}",
        run.stderr
    );
    let healthy = datasets_of(&env.client, "healthy").await;
    assert_eq!(healthy.len(), 2, "{healthy:?}");
    assert!(healthy.iter().all(|d| d.2 == "ACTIVE"), "{healthy:?}");
    assert!(datasets_of(&env.client, "doomed").await.is_empty());

    // The next plan replaces the failed group and says why.
    let plan = env.plan_json(spec, 2).await;
    let change = plan["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["address"] == "datasetGroup.doomed")
        .expect("doomed is planned")
        .clone();
    assert_eq!(change["action"], "replace", "{change}");
    assert!(
        change["reasons"].to_string().contains("--fail-create"),
        "{change}"
    );
    assert_eq!(plan["summary"]["replace"], 1, "{plan}");
    assert_eq!(
        plan["summary"]["create"], 2,
        "only doomed's datasets: {plan}"
    );
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unmanaged_solution_blocks_a_delete_until_cascade() {
    let env = Env::new().await;
    let unowned = unowned_groups(&env).await;
    let spec = env.path("custom.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let group = group_arn(&env.client, "offers-prod").await.expect("group");
    let solution = env
        .client
        .create_solution()
        .name("hand-made-solution")
        .dataset_group_arn(&group)
        .recipe_arn("arn:aws:personalize:::recipe/aws-user-personalization")
        .send()
        .await
        .expect("create solution")
        .solution_arn()
        .expect("arn")
        .to_string();

    let empty = env.write("empty.yaml", "version: 1\nstack: offers-prod\n");
    let empty = empty.to_str().expect("utf-8 path");
    let before = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", empty, "--auto-approve", "--allow-destroy"])
        .await
        .expect(1);
    assert!(
        run.stderr
            .contains("solution.offers-prod.hand-made-solution"),
        "the blocker is named: {}",
        run.stderr
    );
    assert!(run.stderr.contains("--cascade"), "{}", run.stderr);
    let after = env.stats().await;
    assert_eq!(mutating_since(&before, &after), 0, "{:?}", after.requests);
    assert_eq!(datasets_of(&env.client, "offers-prod").await.len(), 4);

    let s0 = env.stats().await;
    env.pzr(&[
        "apply",
        "-f",
        empty,
        "--auto-approve",
        "--allow-destroy",
        "--cascade",
    ])
    .await
    .expect(0);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    assert_eq!(group_arn(&env.client, "offers-prod").await, None);
    let gone = env
        .client
        .describe_solution()
        .solution_arn(&solution)
        .send()
        .await;
    assert!(gone.is_err(), "the solution was deleted first");
    assert_converged(&env, empty).await;
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wait_longer_than_timeout_fails_its_chain_with_the_last_status() {
    // The clock stands still: the group is CREATE PENDING for as long as
    // pzr waits, so only the timeout (real time, pzr's own) ends the wait.
    let env = Env::with(frozen()).await;
    let spec = env.path("custom.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve", "--timeout", "300ms"])
        .await
        .expect(1);
    assert!(
        run.stderr
            .contains("failed: create datasetGroup.offers-prod")
            && run.stderr.contains("timed out")
            && run.stderr.contains("(last status: CREATE PENDING)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("skipped: create dataset.offers-prod.items"),
        "{}",
        run.stderr
    );
}
