//! Apply end to end: `pzr` as a process against the emulator, checked through the SDK.

use crate::support::account::{dataset, group_arn, schema_names, tags_of};
use crate::support::env::{fast, Env};
use crate::support::stats::{mutating_since, refused_since};
use crate::support::unowned::{assert_untouched, unowned_groups};

#[tokio::test(flavor = "multi_thread")]
async fn full_life_cycle_of_the_retail_example() {
    let env = Env::new().await;
    let unowned = unowned_groups(&env).await;
    let spec = env.write("spec.yaml", &env.retail_unprotected());
    let spec = spec.to_str().unwrap();

    // Create.
    let s0 = env.stats().await;
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let s1 = env.stats().await;
    assert_eq!(
        refused_since(&s0, &s1),
        0,
        "the ordering rule held: no call was refused: {:?}",
        s1.rejected
    );
    let group = group_arn(&env.client, "retail-prod")
        .await
        .expect("group created");
    let described = env
        .client
        .describe_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    let created_at = described
        .dataset_group()
        .unwrap()
        .creation_date_time()
        .cloned();
    assert_eq!(described.dataset_group().unwrap().status(), Some("ACTIVE"));
    assert_eq!(
        tags_of(&env.client, &group)
            .await
            .get("pzr:stack")
            .map(String::as_str),
        Some("retail-prod")
    );
    let items = dataset(&env.client, "retail-prod", "items").await;
    assert_eq!(items.name(), Some("retail-items"));
    assert_eq!(items.status(), Some("ACTIVE"));

    // Re-apply: nothing to do, and nothing mutating is called.
    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    assert!(run.stdout.contains("No changes"), "{}", run.stdout);
    let s2 = env.stats().await;
    assert_eq!(mutating_since(&s1, &s2), 0);

    // Tag change: in place, same ARN and creation time.
    env.write(
        "spec.yaml",
        // The group's tags only (its event tracker has the same tag).
        &env.retail_unprotected()
            .replace("      team: growth\n", "      team: search\n"),
    );
    let plan = env.plan_json(spec, 2).await;
    assert_eq!(plan["summary"]["update"], 1);
    assert_eq!(plan["changes"][0]["address"], "datasetGroup.retail-prod");
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let after = env
        .client
        .describe_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.dataset_group().unwrap().creation_date_time().cloned(),
        created_at
    );
    assert_eq!(
        tags_of(&env.client, &group)
            .await
            .get("team")
            .map(String::as_str),
        Some("search")
    );

    // Compatible schema change: UpdateDataset in place, old managed schema deleted.
    let old_schemas = schema_names(&env.client).await;
    let avsc = env.path("avro/retail-items.avsc");
    let text = std::fs::read_to_string(&avsc).unwrap();
    let nullable = text.replace(
        r#"{"name": "CREATION_TIMESTAMP", "type": "long"}"#,
        r#"{"name": "CREATION_TIMESTAMP", "type": "long"}, {"name": "BRAND", "type": ["null", "string"], "categorical": true}"#,
    );
    std::fs::write(&avsc, &nullable).unwrap();
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let moved = dataset(&env.client, "retail-prod", "items").await;
    assert_eq!(moved.dataset_arn(), items.dataset_arn(), "same dataset");
    assert_ne!(moved.schema_arn(), items.schema_arn(), "new schema");
    let new_schemas = schema_names(&env.client).await;
    assert_eq!(
        new_schemas.len(),
        old_schemas.len(),
        "old schema deleted: {new_schemas:?}"
    );
    assert!(!new_schemas
        .iter()
        .any(|n| items.schema_arn().unwrap().ends_with(n.as_str())));

    // Incompatible change: refused without --allow-destroy, nothing changed.
    let required = nullable.replace(
        r#"{"name": "BRAND", "type": ["null", "string"], "categorical": true}"#,
        r#"{"name": "BRAND", "type": "string", "categorical": true}"#,
    );
    std::fs::write(&avsc, &required).unwrap();
    let s3 = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(1);
    assert!(run.stderr.contains("--allow-destroy"), "{}", run.stderr);
    assert!(run.stdout.contains("must be replaced"), "{}", run.stdout);
    let s3b = env.stats().await;
    assert_eq!(
        mutating_since(&s3, &s3b),
        0,
        "{:?} -> {:?}",
        s3.requests,
        s3b.requests
    );
    std::fs::write(&avsc, &nullable).unwrap();

    // Delete: refused without --allow-destroy, done with it.
    env.write("spec.yaml", "version: 1\nstack: retail-prod\n");
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(1);
    assert!(group_arn(&env.client, "retail-prod").await.is_some());
    let s4 = env.stats().await;
    env.pzr(&["apply", "-f", spec, "--auto-approve", "--allow-destroy"])
        .await
        .expect(0);
    assert_eq!(group_arn(&env.client, "retail-prod").await, None);
    assert!(
        schema_names(&env.client)
            .await
            .iter()
            .all(|n| !n.starts_with("retail-prod_")),
        "managed schemas deleted"
    );
    let s5 = env.stats().await;
    assert_eq!(
        refused_since(&s4, &s5),
        0,
        "{:?} -> {:?}",
        s4.rejected,
        s5.rejected
    );
    env.pzr(&["plan", "-f", spec, "--detailed-exitcode"])
        .await
        .expect(0);
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_spec_makes_no_request() {
    let env = Env::new().await;
    let bad = env.write(
        "bad.yaml",
        "version: 1\nstack: shop\ndatasetGroups:\n  - name: shop\n    domian: ECOMMERCE\n",
    );
    let before = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", bad.to_str().unwrap(), "--auto-approve"])
        .await
        .expect(1);
    assert!(
        run.stderr.contains("bad.yaml:5:5"),
        "names file, line and column: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("domain"),
        "suggests the right key: {}",
        run.stderr
    );
    assert_eq!(env.stats().await.requests, before.requests);
}

/// Personalize's LimitExceededException does not say whether it is a rate
/// or a quota: the refusal is retried, a bounded number of times (the test
/// runs with millisecond pauses, `PZR_LIMIT_BACKOFF`), then the step fails
/// saying what the limit may be and what to do.
#[tokio::test(flavor = "multi_thread")]
async fn a_quota_limit_is_retried_within_bounds_then_fails_only_its_chain_saying_what_to_do() {
    let env = Env::with(personalize_emulator::EmulatorConfig {
        max_dataset_groups: 1,
        ..fast()
    })
    .await;
    let spec = env.write(
        "two.yaml",
        "version: 1\nstack: quota\ndatasetGroups:\n  - name: quota-a\n  - name: quota-b\n",
    );
    let run = env
        .pzr(&[
            "apply",
            "-f",
            spec.to_str().unwrap(),
            "--auto-approve",
            "--parallelism",
            "1",
        ])
        .await
        .expect(1);
    for says in [
        "LimitExceededException",
        "still refused after",
        "lower --parallelism",
        "request an increase in Service Quotas",
    ] {
        assert!(run.stderr.contains(says), "{says:?} in {}", run.stderr);
    }
    assert!(run.stderr.contains("1 done, 1 failed"), "{}", run.stderr);
    let stats = env.stats().await;
    let attempts = u64::from(pzr::live::LimitRetry::default().attempts);
    assert_eq!(
        stats.requests.get("CreateDatasetGroup"),
        Some(&(1 + attempts)),
        "quota-a once, quota-b within the retry policy's attempts: {:?}",
        stats.requests
    );
    assert!(group_arn(&env.client, "quota-a").await.is_some());
}
