//! `pzr export` round trips: an exported spec plans to no changes and keeps
//! schema keys and names; exporting unowned groups adopts them in place.

use serde_json::Value;

use crate::support::account::{group_arn, tag, tags_of};
use crate::support::env::{frozen, Env};
use crate::support::files::repo;

/// `pzr validate --format json` data of a spec.
async fn validated(env: &Env, spec: &str) -> Value {
    env.pzr(&["validate", "-f", spec, "--format", "json"])
        .await
        .expect(0)
        .json()["data"]
        .clone()
}

async fn round_trip(example: &str, stack: &str) {
    let env = Env::new().await;
    let spec = env.path(example);
    let spec = spec.to_str().unwrap();
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let exported = env.path("exported.yaml");
    let exported = exported.to_str().unwrap();
    env.pzr(&["export", "--stack", stack, "-o", exported])
        .await
        .expect(0);
    let before = env.stats().await;
    let run = env
        .pzr(&["plan", "-f", exported, "--detailed-exitcode"])
        .await;
    assert_eq!(
        run.code, 0,
        "{example}: the export plans to no changes:\n{}\n{}",
        run.stdout, run.stderr
    );
    assert_eq!(
        env.stats().await.mutating_requests(),
        before.mutating_requests()
    );
    let (original, copy) = (validated(&env, spec).await, validated(&env, exported).await);
    assert_eq!(
        copy["schemas"], original["schemas"],
        "{example}: schema keys and managed names survive"
    );
    assert_eq!(copy["datasets"], original["datasets"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn retail_round_trip() {
    round_trip("retail.yaml", "retail-prod").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn video_round_trip() {
    round_trip("video.yaml", &stack_of("video.yaml")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn custom_round_trip() {
    round_trip("custom.yaml", &stack_of("custom.yaml")).await;
}

fn stack_of(example: &str) -> String {
    let text = std::fs::read_to_string(repo("examples").join(example)).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("stack: "))
        .map(|s| s.split_whitespace().next().unwrap().to_string())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn exported_unowned_groups_are_adopted_in_place() {
    let env = Env::with(frozen()).await;
    let c = &env.client;
    // A group someone made by hand, with a dataset, and one that must stay untouched.
    let schema = std::fs::read_to_string(env.path("avro/retail-items.avsc")).unwrap();
    let schema_arn = c
        .create_schema()
        .name("legacy-items")
        .schema(schema)
        .send()
        .await
        .unwrap()
        .schema_arn()
        .unwrap()
        .to_string();
    let legacy = c
        .create_dataset_group()
        .name("legacy-shop")
        .tags(tag("team", "old"))
        .send()
        .await
        .unwrap()
        .dataset_group_arn()
        .unwrap()
        .to_string();
    c.create_dataset_group()
        .name("bystander")
        .send()
        .await
        .unwrap();
    env.settle();
    let dataset = c
        .create_dataset()
        .name("legacy-items")
        .dataset_type("Items")
        .dataset_group_arn(&legacy)
        .schema_arn(&schema_arn)
        .send()
        .await
        .unwrap()
        .dataset_arn()
        .unwrap()
        .to_string();
    env.settle();
    let bystander = group_arn(c, "bystander").await.unwrap();
    let bystander_before = c
        .describe_dataset_group()
        .dataset_group_arn(&bystander)
        .send()
        .await
        .unwrap();

    let out = env.path("adopt.yaml");
    let out = out.to_str().unwrap();
    env.pzr(&[
        "export", "--stack", "shop", "--match", "^legacy-", "-o", out,
    ])
    .await
    .expect(0);
    let text = std::fs::read_to_string(out).unwrap();
    assert!(text.contains("adopt: true"), "{text}");
    assert!(!text.contains("bystander"), "{text}");

    let run = env
        .pzr(&["plan", "-f", out, "--format", "json"])
        .await
        .expect(0);
    let adopted: Vec<_> = run.json()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["action"] == "adopt")
        .map(|c| c["address"].clone())
        .collect();
    assert_eq!(
        adopted,
        vec![
            Value::from("datasetGroup.legacy-shop"),
            Value::from("dataset.legacy-shop.items")
        ]
    );
    env.pzr_ticking(&["apply", "-f", out, "--auto-approve"])
        .await
        .expect(0);

    assert_eq!(
        group_arn(c, "legacy-shop").await.as_deref(),
        Some(legacy.as_str()),
        "same group"
    );
    let tags = tags_of(c, &legacy).await;
    assert_eq!(tags.get("pzr:stack").map(String::as_str), Some("shop"));
    assert_eq!(tags.get("team").map(String::as_str), Some("old"));
    assert_eq!(
        tags_of(c, &dataset)
            .await
            .get("pzr:stack")
            .map(String::as_str),
        Some("shop"),
        "same dataset, now owned"
    );
    let described = c
        .describe_dataset()
        .dataset_arn(&dataset)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.dataset().unwrap().schema_arn(),
        Some(schema_arn.as_str()),
        "data kept on its schema"
    );
    env.pzr(&["plan", "-f", out, "--detailed-exitcode"])
        .await
        .expect(0);

    let bystander_after = c
        .describe_dataset_group()
        .dataset_group_arn(&bystander)
        .send()
        .await
        .unwrap();
    assert_eq!(
        bystander_after.dataset_group(),
        bystander_before.dataset_group(),
        "the bystander is untouched"
    );
    assert!(tags_of(c, &bystander).await.is_empty());
}
