//! `pzr drift` against the emulator: each kind of out-of-band change is
//! reported with the right address and exit 2; ignored tags are not drift.

use serde_json::Value;

use crate::support::account::{dataset, group_arn, tag};
use crate::support::env::{frozen, Env};

async fn drift(env: &Env, spec: &str) -> (i32, Value) {
    let run = env.pzr(&["drift", "-f", spec, "--format", "json"]).await;
    assert!(
        run.code == 0 || run.code == 2,
        "drift failed: {}\n{}",
        run.stdout,
        run.stderr
    );
    let doc = run.json();
    assert_eq!(doc["inSync"], run.code == 0, "exit code and inSync agree");
    (run.code, doc)
}

/// The drifted addresses, with each one's drifted fields.
fn drifted(doc: &Value) -> Vec<(String, Vec<String>)> {
    doc["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let fields = d["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["field"].as_str().unwrap().to_string())
                .collect();
            (d["address"].as_str().unwrap().to_string(), fields)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_out_of_band_change_is_drift() {
    // The clock moves while pzr applies, and between out-of-band changes
    // only when the test settles it.
    let env = Env::with(frozen()).await;
    // Without its event tracker and filters: Personalize refuses to delete a
    // dataset out of band while they exist (their drift is `apply::children`'s).
    let retail = env.retail_unprotected();
    let datasets_only = retail.split("    eventTracker:").next().expect("the group");
    let spec_path = env.write("spec.yaml", datasets_only);
    let spec = spec_path.to_str().unwrap();
    let apply = |allow_destroy: bool| {
        let mut args = vec!["apply", "-f", spec, "--auto-approve"];
        if allow_destroy {
            args.push("--allow-destroy");
        }
        let env = &env;
        async move { env.pzr_ticking(&args).await.expect(0) }
    };
    apply(false).await;
    let (code, doc) = drift(&env, spec).await;
    assert_eq!(code, 0);
    assert_eq!(
        doc["coverage"],
        serde_json::json!({"managed": 1, "total": 1})
    );
    let group = group_arn(&env.client, "retail-prod").await.unwrap();

    // Tags added, changed, removed on the group; an ignored tag is not drift.
    env.client
        .tag_resource()
        .resource_arn(&group)
        .tags(tag("cost-center", "42"))
        .send()
        .await
        .unwrap();
    assert_eq!(drift(&env, spec).await.0, 0, "ignored tags are not drift");
    env.client
        .tag_resource()
        .resource_arn(&group)
        .tags(tag("owner", "eve"))
        .tags(tag("team", "search"))
        .send()
        .await
        .unwrap();
    env.client
        .untag_resource()
        .resource_arn(&group)
        .tag_keys("environment")
        .send()
        .await
        .unwrap();
    let (code, doc) = drift(&env, spec).await;
    assert_eq!(code, 2);
    assert_eq!(
        drifted(&doc),
        vec![(
            "datasetGroup.retail-prod".to_string(),
            vec![
                "tags.environment".into(),
                "tags.owner".into(),
                "tags.team".into()
            ]
        )]
    );
    let fields = &doc["drift"][0]["fields"];
    assert_eq!(
        fields[2],
        serde_json::json!({"field": "tags.team", "expected": "growth", "actual": "search"})
    );
    apply(false).await;
    assert_eq!(drift(&env, spec).await.0, 0, "in sync after apply");

    // A dataset deleted.
    let users = dataset(&env.client, "retail-prod", "users")
        .await
        .dataset_arn()
        .unwrap()
        .to_string();
    env.client
        .delete_dataset()
        .dataset_arn(&users)
        .send()
        .await
        .unwrap();
    env.settle();
    let (code, doc) = drift(&env, spec).await;
    assert_eq!(
        (code, drifted(&doc)[0].0.as_str()),
        (2, "dataset.retail-prod.users")
    );
    assert_eq!(doc["changes"][0]["action"], "create");
    apply(false).await;

    // A dataset's schema swapped for another (compatible) one.
    let items = dataset(&env.client, "retail-prod", "items")
        .await
        .dataset_arn()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(env.path("avro/retail-items.avsc")).unwrap();
    let other = text.replace(
        r#"{"name": "ITEM_ID", "type": "string"},"#,
        r#"{"name": "ITEM_ID", "type": "string"}, {"name": "COLOR", "type": ["null", "string"]},"#,
    );
    let schema = env
        .client
        .create_schema()
        .name("hand-made")
        .schema(other)
        .domain("ECOMMERCE".into())
        .send()
        .await
        .unwrap();
    env.client
        .update_dataset()
        .dataset_arn(&items)
        .schema_arn(schema.schema_arn().unwrap())
        .send()
        .await
        .unwrap();
    // UpdateDataset runs for the create delay, as on AWS.
    env.settle();
    let (code, doc) = drift(&env, spec).await;
    assert_eq!(code, 2);
    // Moving back is not compatible: the dataset is replaced, and its
    // data imported again.
    assert_eq!(
        drifted(&doc),
        vec![
            (
                "dataset.retail-prod.items".to_string(),
                vec!["schema".to_string()]
            ),
            (
                "datasetImportJob.retail-prod.items".to_string(),
                vec!["from".to_string(), "mode".to_string()]
            )
        ]
    );
    // Going back drops COLOR: not an in-place update, so only with --allow-destroy.
    assert_eq!(doc["changes"][0]["action"], "replace");
    apply(true).await;
    assert_eq!(drift(&env, spec).await.0, 0);

    // An unmanaged group is listed, not drift.
    env.client
        .create_dataset_group()
        .name("someone-elses")
        .send()
        .await
        .unwrap();
    let (code, doc) = drift(&env, spec).await;
    assert_eq!(code, 0);
    assert_eq!(doc["unmanaged"][0]["name"], "someone-elses");
    assert_eq!(
        doc["coverage"],
        serde_json::json!({"managed": 1, "total": 2})
    );
    // Another pzr stack's group is named with its stack.
    env.client
        .create_dataset_group()
        .name("other-stacks")
        .tags(tag("pzr:stack", "other"))
        .send()
        .await
        .unwrap();
    let (_, doc) = drift(&env, spec).await;
    let owners: Vec<(&Value, &Value)> = doc["unmanaged"]
        .as_array()
        .expect("unmanaged")
        .iter()
        .map(|u| (&u["name"], &u["ownerStack"]))
        .collect();
    assert_eq!(
        owners,
        [
            (&Value::from("other-stacks"), &Value::from("other")),
            (&Value::from("someone-elses"), &Value::Null),
        ]
    );
    let text = env.pzr(&["drift", "-f", spec]).await.stdout;
    let line = text.lines().find(|l| l.contains("other-stacks"));
    assert!(
        line.is_some_and(|l| l.ends_with(", managed by pzr stack other")),
        "{text}"
    );

    // The group deleted, then recreated with another domain.
    for kind in ["interactions", "items", "users"] {
        let arn = dataset(&env.client, "retail-prod", kind)
            .await
            .dataset_arn()
            .unwrap()
            .to_string();
        env.client
            .delete_dataset()
            .dataset_arn(arn)
            .send()
            .await
            .unwrap();
    }
    env.settle();
    env.client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    env.settle();
    let (code, doc) = drift(&env, spec).await;
    assert_eq!(code, 2);
    assert_eq!(doc["changes"][0]["address"], "datasetGroup.retail-prod");
    assert_eq!(doc["changes"][0]["action"], "create");
    env.client
        .create_dataset_group()
        .name("retail-prod")
        .domain("VIDEO_ON_DEMAND".into())
        .tags(tag("pzr:stack", "retail-prod"))
        .send()
        .await
        .unwrap();
    let (code, doc) = drift(&env, spec).await;
    assert_eq!(code, 2);
    assert_eq!(doc["changes"][0]["action"], "replace");
    assert!(
        drifted(&doc)[0].1.contains(&"domain".to_string()),
        "{doc:#}"
    );
    env.settle();
    apply(true).await;
    assert_eq!(drift(&env, spec).await.0, 0, "in sync again");
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_renders_text_and_markdown_and_fails_cleanly() {
    let env = Env::new().await;
    let spec = env.write("spec.yaml", &env.retail_unprotected());
    let spec = spec.to_str().unwrap();
    let run = env.pzr(&["drift", "-f", spec]).await.expect(2);
    assert!(run.stdout.contains("Drift detected"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("+ datasetGroup.retail-prod will be created"),
        "{}",
        run.stdout
    );
    let run = env
        .pzr(&["drift", "-f", spec, "--format", "markdown"])
        .await
        .expect(2);
    assert!(run.stdout.contains("**drift detected**"), "{}", run.stdout);
    // A broken spec: exit 1 and a JSON error envelope, no request made.
    let before = env.stats().await;
    let bad = env.write("bad.yaml", "version: 1\nstack: Bad Stack\n");
    let run = env
        .pzr(&["drift", "-f", bad.to_str().unwrap(), "--format", "json"])
        .await
        .expect(1);
    assert_eq!(run.json()["error"]["code"], "VALIDATION_ERROR");
    assert_eq!(
        env.stats().await.requests,
        before.requests,
        "no request for an invalid spec"
    );
}
