//! Apply of the shipped examples end to end, `protect`, `adopt`, and saved
//! plans: `pzr` as a process against the emulator, checked through the SDK.

use crate::support::account::{
    create_dataset, create_group, create_schema, datasets_of, group_arn, group_created_at,
    schema_names, tag, tags_of,
};
use std::time::Duration;

use personalize_emulator::EmulatorConfig;

use crate::support::env::{assert_converged, fast, frozen, Env};
use crate::support::stats::{mutating_since, refused_since};
use crate::support::unowned::{assert_untouched, unowned_groups};

/// Create, no-op re-apply, delete: for an example spec whose single group is `group`.
/// A campaign is deferred until its solution's first version is trained
/// (in milliseconds here): applies are repeated until nothing is deferred.
async fn create_noop_delete(example: &str, stack: &str, group: &str, dataset_count: usize) {
    let env = Env::with(EmulatorConfig {
        training_delay: Duration::from_millis(50),
        ..fast()
    })
    .await;
    let unowned = unowned_groups(&env).await;
    let spec = env.path(example);
    let spec = spec.to_str().expect("utf-8 path");

    let s0 = env.stats().await;
    for _ in 0..20 {
        let run = env
            .pzr(&["apply", "-f", spec, "--auto-approve"])
            .await
            .expect(0);
        if !run.stderr.contains("deferred:") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    let arn = group_arn(&env.client, group).await.expect("group created");
    assert_eq!(
        tags_of(&env.client, &arn)
            .await
            .get("pzr:stack")
            .map(String::as_str),
        Some(stack)
    );
    let datasets = datasets_of(&env.client, group).await;
    assert_eq!(datasets.len(), dataset_count, "{datasets:?}");
    assert!(datasets.iter().all(|d| d.2 == "ACTIVE"), "{datasets:?}");

    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    assert!(run.stdout.contains("No changes"), "{}", run.stdout);
    let s2 = env.stats().await;
    assert_eq!(mutating_since(&s1, &s2), 0, "{:?}", s2.requests);
    assert_eq!(refused_since(&s1, &s2), 0, "{:?}", s2.rejected);

    let empty = env.write("empty.yaml", &format!("version: 1\nstack: {stack}\n"));
    let empty = empty.to_str().expect("utf-8 path");
    env.pzr(&["apply", "-f", empty, "--auto-approve", "--allow-destroy"])
        .await
        .expect(0);
    let s3 = env.stats().await;
    assert_eq!(refused_since(&s2, &s3), 0, "{:?}", s3.rejected);
    assert_eq!(group_arn(&env.client, group).await, None);
    let prefix = format!("{stack}_");
    let left: Vec<_> = schema_names(&env.client)
        .await
        .into_iter()
        .filter(|n| n.starts_with(&prefix))
        .collect();
    assert!(left.is_empty(), "managed schemas left: {left:?}");
    assert_converged(&env, empty).await;
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn video_example_create_noop_delete() {
    create_noop_delete("video.yaml", "video-prod", "video-prod", 3).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn custom_example_create_noop_delete() {
    create_noop_delete("custom.yaml", "offers-prod", "offers-prod", 4).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn protect_refuses_a_domain_change_and_changes_nothing() {
    let env = Env::new().await;
    let unowned = unowned_groups(&env).await;
    let spec = env.path("retail.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let arn = group_arn(&env.client, "retail-prod").await.expect("group");

    // The domain moves everywhere (schemas must agree with their groups).
    let text = std::fs::read_to_string(env.path("retail.yaml")).expect("example");
    // VIDEO_ON_DEMAND items need GENRES: the video example's items schema has it.
    let text = text.replace("ECOMMERCE", "VIDEO_ON_DEMAND");
    // Its filter on CATEGORY_L1 follows the new items schema's field.
    let text = text.replace("Items.CATEGORY_L1", "Items.GENRES");
    // Its recommenders take the new domain's use cases (checked offline).
    let text = text
        .replace("aws-ecomm-popular-items-by-views", "aws-vod-most-popular")
        .replace("aws-ecomm-recommended-for-you", "aws-vod-top-picks");
    env.write(
        "retail.yaml",
        &text.replace("retail-items.avsc", "video-items.avsc"),
    );
    let before = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve", "--allow-destroy"])
        .await
        .expect(1);
    assert!(run.stderr.contains("protected"), "{}", run.stderr);
    assert!(
        run.stderr.contains("datasetGroup.retail-prod"),
        "{}",
        run.stderr
    );
    // The whole plan is shown, not hidden by the refusal.
    assert!(run.stdout.contains("forces replacement"), "{}", run.stdout);
    let after = env.stats().await;
    assert_eq!(mutating_since(&before, &after), 0, "{:?}", after.requests);

    let json = env
        .pzr(&["plan", "-f", spec, "--format", "json"])
        .await
        .expect(1)
        .json();
    assert_eq!(json["error"]["code"], "PROTECTED", "{json}");

    let described = env
        .client
        .describe_dataset_group()
        .dataset_group_arn(&arn)
        .send()
        .await
        .expect("describe");
    let g = described.dataset_group().expect("group");
    assert_eq!(g.domain().map(|d| d.as_str()), Some("ECOMMERCE"));
    assert_eq!(g.status(), Some("ACTIVE"));
    assert_eq!(datasets_of(&env.client, "retail-prod").await.len(), 3);
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn adopt_tags_an_existing_group_and_keeps_its_arn() {
    // Someone's group is made ACTIVE by advancing the clock, which then
    // moves while pzr applies.
    let env = Env::with(frozen()).await;
    let unowned = unowned_groups(&env).await;
    let arn = create_group(&env.client, "offers-prod").await;
    env.settle();

    // Without `adopt: true` the group is someone else's.
    let spec = env.path("custom.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    let before = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(1);
    assert!(run.stderr.contains("adopt: true"), "{}", run.stderr);
    assert_eq!(mutating_since(&before, &env.stats().await), 0);
    assert!(tags_of(&env.client, &arn).await.is_empty());

    let text = env.custom_datasets_only();
    env.write("custom.yaml", &text.replace("adopt: false", "adopt: true"));
    let s0 = env.stats().await;
    env.pzr_ticking(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    assert_eq!(
        group_arn(&env.client, "offers-prod").await.as_deref(),
        Some(arn.as_str()),
        "same group"
    );
    let tags = tags_of(&env.client, &arn).await;
    assert_eq!(
        tags.get("pzr:stack").map(String::as_str),
        Some("offers-prod")
    );
    assert_eq!(
        tags.get("team").map(String::as_str),
        Some("lifecycle-marketing")
    );
    assert_eq!(datasets_of(&env.client, "offers-prod").await.len(), 4);
    assert_converged(&env, spec).await;
    assert_untouched(&env, &unowned).await;
}

/// The retail example without `protect`, with the team tag set to `team`.
fn retail(env: &Env, team: &str) -> String {
    env.retail_unprotected()
        .replace("team: growth", &format!("team: {team}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_saved_plan_is_refused() {
    let env = Env::new().await;
    let unowned = unowned_groups(&env).await;
    let spec = env.write("spec.yaml", &retail(&env, "growth"));
    let spec = spec.to_str().expect("utf-8 path");
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let arn = group_arn(&env.client, "retail-prod").await.expect("group");

    env.write("spec.yaml", &retail(&env, "search"));
    env.pzr(&["plan", "-f", spec, "-o", "p.json"])
        .await
        .expect(0);
    // Someone changes the group behind the plan's back.
    env.client
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("owner", "someone-else"))
        .send()
        .await
        .expect("tag");

    let before = env.stats().await;
    let run = env
        .pzr(&["apply", "p.json", "--auto-approve"])
        .await
        .expect(1);
    assert!(run.stderr.contains("plan is stale"), "{}", run.stderr);
    assert!(
        run.stderr.contains("datasetGroup.retail-prod"),
        "names the resource: {}",
        run.stderr
    );
    let after = env.stats().await;
    assert_eq!(mutating_since(&before, &after), 0, "{:?}", after.requests);
    assert_eq!(
        tags_of(&env.client, &arn)
            .await
            .get("team")
            .map(String::as_str),
        Some("growth")
    );

    // A spec edited after planning makes the plan stale as well.
    env.write("spec.yaml", &retail(&env, "search"));
    env.pzr(&["plan", "-f", spec, "-o", "p2.json"])
        .await
        .expect(0);
    env.write("spec.yaml", &retail(&env, "other"));
    let run = env
        .pzr(&["apply", "p2.json", "-f", spec, "--auto-approve"])
        .await
        .expect(1);
    assert!(run.stderr.contains("plan is stale"), "{}", run.stderr);
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_saved_plan_is_applied_exactly() {
    let env = Env::new().await;
    let unowned = unowned_groups(&env).await;
    let spec = env.write("spec.yaml", &retail(&env, "growth"));
    let spec = spec.to_str().expect("utf-8 path");
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let arn = group_arn(&env.client, "retail-prod").await.expect("group");

    // Plan a tag change and the removal of the users dataset.
    let planned = retail(&env, "search").replace(
        "      users:\n        schema: users\n        tags: {pii: \"yes\"}\n        import: {from: s3://pzr-examples/retail/users.csv}\n",
        "",
    );
    assert_ne!(planned, retail(&env, "search"), "the edit applies");
    env.write("spec.yaml", &planned);
    env.pzr(&["plan", "-f", spec, "-o", "p.json"])
        .await
        .expect(0);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("p.json")).expect("plan"))
            .expect("json");
    let steps = saved["steps"].as_array().expect("steps").len() as u64;
    // The spec changes again after planning; the saved plan still applies as saved.
    env.write("spec.yaml", &retail(&env, "ignored-by-saved-plan"));

    let s0 = env.stats().await;
    env.pzr(&["apply", "p.json", "--auto-approve", "--allow-destroy"])
        .await
        .expect(0);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    assert_eq!(
        mutating_since(&s0, &s1),
        steps,
        "one call per saved step: {:?} -> {:?}",
        s0.requests,
        s1.requests
    );
    assert_eq!(
        tags_of(&env.client, &arn)
            .await
            .get("team")
            .map(String::as_str),
        Some("search")
    );
    let datasets = datasets_of(&env.client, "retail-prod").await;
    assert_eq!(datasets.len(), 2, "users deleted: {datasets:?}");
    env.write("spec.yaml", &planned);
    assert_converged(&env, spec).await;

    // Applied once, the plan is stale: it is never applied twice.
    env.pzr(&["apply", "p.json", "--auto-approve", "--allow-destroy"])
        .await
        .expect(1);
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edited_saved_plan_with_a_broken_step_graph_is_refused() {
    let env = Env::new().await;
    let unowned = unowned_groups(&env).await;
    let spec = env.path("video.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    env.pzr(&["plan", "-f", spec, "-o", "p.json"])
        .await
        .expect(0);
    let text = std::fs::read_to_string(env.path("p.json")).expect("plan");
    let original: serde_json::Value = serde_json::from_str(&text).expect("json");
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 3] = [
        ("an unknown step", |p| {
            p["steps"][1]["after"] = serde_json::json!([99])
        }),
        ("a cycle", |p| {
            p["steps"][0]["after"] = serde_json::json!([1])
        }),
        ("a wrong id", |p| p["steps"][2]["id"] = serde_json::json!(7)),
    ];
    for (what, edit) in edits {
        let mut plan = original.clone();
        edit(&mut plan);
        env.write("edited.json", &plan.to_string());
        let before = env.stats().await;
        let run = env
            .pzr(&["apply", "edited.json", "--auto-approve"])
            .await
            .expect(1);
        assert!(
            run.stderr.contains("is not a plan pzr can apply"),
            "{what}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
        assert_eq!(mutating_since(&before, &env.stats().await), 0, "{what}");
    }
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_immutable_change_replaces_the_group_in_order() {
    let env = Env::new().await;
    let unowned = unowned_groups(&env).await;
    let spec = env.write("spec.yaml", &retail(&env, "growth"));
    let spec = spec.to_str().expect("utf-8 path");
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let arn = group_arn(&env.client, "retail-prod").await.expect("group");
    let first = group_created_at(&env.client, &arn).await;

    env.write(
        "spec.yaml",
        &retail(&env, "growth").replace(
            "key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "key/9999abcd-12ab-34cd-56ef-1234567890ab",
        ),
    );
    let before = env.stats().await;
    env.pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(1);
    assert_eq!(mutating_since(&before, &env.stats().await), 0);

    let s0 = env.stats().await;
    env.pzr(&["apply", "-f", spec, "--auto-approve", "--allow-destroy"])
        .await
        .expect(0);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    let arn = group_arn(&env.client, "retail-prod").await.expect("group");
    assert!(
        group_created_at(&env.client, &arn).await > first,
        "a new group"
    );
    let g = env
        .client
        .describe_dataset_group()
        .dataset_group_arn(&arn)
        .send()
        .await
        .expect("describe");
    assert!(g
        .dataset_group()
        .and_then(|g| g.kms_key_arn())
        .is_some_and(|k| k.ends_with("key/9999abcd-12ab-34cd-56ef-1234567890ab")));
    let datasets = datasets_of(&env.client, "retail-prod").await;
    assert_eq!(datasets.len(), 3, "{datasets:?}");
    assert!(datasets.iter().all(|d| d.2 == "ACTIVE"));
    assert_converged(&env, spec).await;
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn adopting_a_group_adopts_its_datasets_and_keeps_their_arns() {
    // Someone's group is made ACTIVE by advancing the clock, which then
    // moves while pzr applies.
    let env = Env::with(frozen()).await;
    let unowned = unowned_groups(&env).await;
    let group = create_group(&env.client, "offers-prod").await;
    env.settle();
    // Someone's own schema for items, with the same fields as the spec's.
    let avsc = std::fs::read_to_string(env.path("avro/offers-items.avsc")).expect("avsc");
    let schema = create_schema(&env.client, "hand-made-items", &avsc).await;
    let items = create_dataset(&env.client, "offers-prod-items", &group, &schema, "ITEMS").await;

    let text = env.custom_datasets_only();
    env.write("custom.yaml", &text.replace("adopt: false", "adopt: true"));
    let spec = env.path("custom.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    let s0 = env.stats().await;
    env.pzr_ticking(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    let tags = tags_of(&env.client, &items).await;
    assert_eq!(
        tags.get("pzr:stack").map(String::as_str),
        Some("offers-prod"),
        "the dataset is adopted, same ARN"
    );
    let datasets = datasets_of(&env.client, "offers-prod").await;
    assert_eq!(datasets.len(), 4, "{datasets:?}");
    assert!(
        schema_names(&env.client)
            .await
            .contains(&"hand-made-items".to_string()),
        "a schema pzr does not manage is kept"
    );
    assert_converged(&env, spec).await;
    assert_untouched(&env, &unowned).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_of_another_stack_is_never_adopted() {
    let env = Env::new().await;
    let unowned = unowned_groups(&env).await;
    let spec = env.write(
        "spec.yaml",
        "version: 1\nstack: mine\ndatasetGroups:\n  - name: other-team-recs\n    adopt: true\n    tags: {team: mine}\n",
    );
    let spec = spec.to_str().expect("utf-8 path");
    let before = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve", "--allow-destroy"])
        .await
        .expect(1);
    assert!(
        run.stderr.contains("belongs to pzr stack \"other-stack\""),
        "{}",
        run.stderr
    );
    assert_eq!(mutating_since(&before, &env.stats().await), 0);
    assert_untouched(&env, &unowned).await;
}
