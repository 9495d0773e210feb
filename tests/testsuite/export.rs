//! `pzr export` round trips: an exported spec plans to no changes and keeps
//! schema keys and names; exporting unowned groups adopts them in place;
//! the serving side is written with only what differs from the defaults,
//! and `pzr output` of the exported spec lists it.

use aws_sdk_personalize::types::{
    AutoTrainingConfig, CampaignConfig, Domain, RecommenderConfig, SolutionConfig,
    TrainingDataConfig,
};
use serde_json::{json, Value};

use crate::support::account::{
    create_dataset, create_group_in, create_schema_in, create_solution_version, group_arn, tag,
    tags_of,
};
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

/// The addresses a plan document adopts.
fn adopted(plan: &Value) -> Vec<&str> {
    let changes = plan["changes"].as_array().into_iter().flatten();
    changes
        .filter(|c| c["action"] == "adopt")
        .filter_map(|c| c["address"].as_str())
        .collect()
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
    // A YAML 1.1 reader (PyYAML) would read an unquoted `no` as false.
    let text = std::fs::read_to_string(exported).expect("exported");
    for line in text.lines() {
        assert!(
            !line.ends_with(": no") && !line.ends_with(": yes"),
            "{line}"
        );
    }
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
    assert_eq!(
        adopted(&run.json()),
        ["datasetGroup.legacy-shop", "dataset.legacy-shop.items"]
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

const POPULAR: &str = "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views";
const PERSONALIZATION: &str = "arn:aws:personalize:::recipe/aws-user-personalization-v2";

/// The ECOMMERCE group `shop` with its Interactions dataset.
const SHOP_DATA: &str = "version: 1
stack: shop
schemas:
  interactions: {file: avro/retail-interactions.avsc, domain: ECOMMERCE}
datasetGroups:
  - name: shop
    domain: ECOMMERCE
    datasets:
      interactions:
        schema: interactions
        import: {from: s3://pzr-examples/retail/interactions.csv}
";

/// An ECOMMERCE group `shop` of stack `shop` (its data applied by pzr, its
/// serving side made through the SDK), with two
/// recommenders (one stopped), two solutions and two campaigns of the stack (defaults,
/// settings off the defaults, names off the default names), and children
/// pzr must not export: one nobody owns, one another stack's.
async fn serving_side(env: &Env) {
    let c = &env.client;
    // A recommender trains on interactions (the spec check refuses one
    // without): the group and its Interactions dataset come from a spec.
    let data = env.write("data.yaml", SHOP_DATA);
    env.pzr_ticking(&["apply", "-f", data.to_str().unwrap(), "--auto-approve"])
        .await
        .expect(0);
    let shop = group_arn(c, "shop").await.expect("group");
    let ours = || [tag("pzr:stack", "shop"), tag("team", "growth")];
    let config = RecommenderConfig::builder()
        .min_recommendation_requests_per_second(3)
        .enable_metadata_with_recommendations(true)
        .item_exploration_config("explorationWeight", "0.3")
        .training_data_config(
            TrainingDataConfig::builder()
                .excluded_dataset_columns("Items", vec!["PRICE".to_string()])
                .build(),
        )
        .build();
    c.create_recommender()
        .name("shop-popular")
        .dataset_group_arn(&shop)
        .recipe_arn(POPULAR)
        .recommender_config(config)
        .set_tags(Some(ours().to_vec()))
        .send()
        .await
        .expect("recommender");
    let idle = c
        .create_recommender()
        .name("shop-idle")
        .dataset_group_arn(&shop)
        .recipe_arn(POPULAR)
        .tags(tag("pzr:stack", "shop"))
        .send()
        .await
        .expect("recommender to stop")
        .recommender_arn()
        .expect("arn")
        .to_string();
    c.create_recommender()
        .name("hand-made")
        .dataset_group_arn(&shop)
        .recipe_arn(POPULAR)
        .send()
        .await
        .expect("unowned recommender");
    c.create_recommender()
        .name("shop-theirs")
        .dataset_group_arn(&shop)
        .recipe_arn(POPULAR)
        .tags(tag("pzr:stack", "other"))
        .send()
        .await
        .expect("another stack's recommender");
    let personal = c
        .create_solution()
        .name("shop-personal")
        .dataset_group_arn(&shop)
        .recipe_arn(PERSONALIZATION)
        .perform_auto_training(false)
        .solution_config(
            SolutionConfig::builder()
                .event_value_threshold("0.5")
                .build(),
        )
        .tags(tag("pzr:stack", "shop"))
        .send()
        .await
        .expect("solution")
        .solution_arn()
        .expect("arn")
        .to_string();
    let weekly = AutoTrainingConfig::builder()
        .scheduling_expression("rate(3 days)")
        .build();
    c.create_solution()
        .name("custom-sims")
        .dataset_group_arn(&shop)
        .recipe_arn(PERSONALIZATION)
        .event_type("purchase")
        .perform_hpo(true)
        .solution_config(
            SolutionConfig::builder()
                .auto_training_config(weekly)
                .build(),
        )
        .tags(tag("pzr:stack", "shop"))
        .send()
        .await
        .expect("solution with automatic training");
    env.settle();
    c.stop_recommender()
        .recommender_arn(&idle)
        .send()
        .await
        .expect("stopped");
    let version = create_solution_version(c, &personal).await;
    env.settle();
    // A campaign syncing with the latest version names it `$LATEST`.
    c.create_campaign()
        .name("shop-personal-main")
        .solution_version_arn(format!("{personal}/$LATEST"))
        .min_provisioned_tps(2)
        .campaign_config(
            CampaignConfig::builder()
                .sync_with_latest_solution_version(true)
                .build(),
        )
        .set_tags(Some(ours().to_vec()))
        .send()
        .await
        .expect("campaign");
    c.create_campaign()
        .name("legacy-serving")
        .solution_version_arn(&version)
        .tags(tag("pzr:stack", "shop"))
        .send()
        .await
        .expect("campaign named by hand");
    c.create_campaign()
        .name("shop-personal-loose")
        .solution_version_arn(&version)
        .send()
        .await
        .expect("unowned campaign");
    env.settle();
}

/// `pzr export --stack shop`, as its YAML text and as JSON.
async fn exported_shop(env: &Env) -> (String, Value) {
    let out = env.path("exported.yaml");
    let out = out.to_str().unwrap();
    env.pzr(&["export", "--stack", "shop", "-o", out])
        .await
        .expect(0);
    let text = std::fs::read_to_string(out).unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    (text, doc)
}

#[tokio::test(flavor = "multi_thread")]
async fn recommenders_solutions_and_campaigns_are_exported_with_what_differs_from_defaults() {
    let env = Env::with(frozen()).await;
    serving_side(&env).await;
    let (text, doc) = exported_shop(&env).await;
    let group = &doc["datasetGroups"][0];
    assert_eq!(group["name"], "shop", "{text}");
    assert_eq!(
        group["recommenders"],
        json!({
            "popular": {
                "recipe": "aws-ecomm-popular-items-by-views",
                "minRecommendationRequestsPerSecond": 3,
                "enableMetadataWithRecommendations": true,
                "itemExploration": {"explorationWeight": "0.3"},
                "trainingDataConfig": {"excludedDatasetColumns": {"Items": ["PRICE"]}},
                "tags": {"team": "growth"}
            },
            "idle": {
                "recipe": "aws-ecomm-popular-items-by-views",
                "state": "stopped"
            }
        }),
        "{text}"
    );
    assert_eq!(
        group["solutions"],
        json!({
            "personal": {
                "recipe": "aws-user-personalization-v2",
                "config": {"eventValueThreshold": "0.5"},
                "training": {"automatic": false},
                "campaigns": {
                    "main": {
                        "minProvisionedTPS": 2,
                        "syncWithLatestSolutionVersion": true,
                        "tags": {"team": "growth"}
                    },
                    "legacy-serving": {"name": "legacy-serving"}
                }
            },
            "custom-sims": {
                "recipe": "aws-user-personalization-v2",
                "eventType": "purchase",
                "performHPO": true,
                "training": {"automatic": true, "schedule": "rate(3 days)"},
                "name": "custom-sims"
            }
        }),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exported_serving_side_plans_to_nothing() {
    let env = Env::with(frozen()).await;
    serving_side(&env).await;
    let (_, _) = exported_shop(&env).await;
    let spec = env.path("exported.yaml");
    let before = env.stats().await;
    let run = env
        .pzr(&["plan", "-f", spec.to_str().unwrap(), "--detailed-exitcode"])
        .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        env.stats().await.mutating_requests(),
        before.mutating_requests()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn output_lists_the_serving_side_of_the_stack_with_campaigns_under_their_solution() {
    let env = Env::with(frozen()).await;
    serving_side(&env).await;
    let (text, _) = exported_shop(&env).await;
    // The spec also declares another stack's recommender: not this stack's output.
    let text = text.replace(
        "  recommenders:\n",
        "  recommenders:\n    theirs:\n      recipe: aws-ecomm-popular-items-by-views\n",
    );
    let spec = env.write("shop.yaml", &text);
    let doc = env
        .pzr(&["output", "-f", spec.to_str().unwrap(), "--format", "json"])
        .await
        .expect(0)
        .json();
    let resources = doc["resources"].as_array().expect("resources");
    let addresses: Vec<&str> = resources
        .iter()
        .filter_map(|r| r["address"].as_str())
        .collect();
    assert_eq!(
        addresses,
        vec![
            "schema.interactions",
            "datasetGroup.shop",
            "dataset.shop.interactions",
            "recommender.shop.idle",
            "recommender.shop.popular",
            "solution.shop.custom-sims",
            "solution.shop.personal",
            "campaign.shop.personal.legacy-serving",
            "campaign.shop.personal.main",
        ]
    );
    let c = &env.client;
    let campaign = c
        .list_campaigns()
        .send()
        .await
        .unwrap()
        .campaigns()
        .iter()
        .find(|c| c.name() == Some("shop-personal-main"))
        .cloned()
        .expect("campaign");
    let at = |address: &str| resources.iter().find(|r| r["address"] == address).unwrap();
    assert_eq!(at("recommender.shop.idle")["status"], "INACTIVE", "stopped");
    let main = at("campaign.shop.personal.main");
    assert_eq!(main["arn"], campaign.campaign_arn().unwrap());
    assert_eq!(main["status"], "ACTIVE");
    assert!(main.get("trackingId").is_none());
    let text = env
        .pzr(&["output", "-f", spec.to_str().unwrap()])
        .await
        .expect(0)
        .stdout;
    let line = text
        .lines()
        .find(|l| l.starts_with("campaign.shop.personal.main"))
        .expect("campaign line");
    assert!(line.contains(campaign.campaign_arn().unwrap()), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exported_unowned_serving_side_is_adopted_with_its_group() {
    let env = Env::with(frozen()).await;
    let c = &env.client;
    let legacy = create_group_in(c, "legacy-shop", Some(Domain::Ecommerce)).await;
    let interactions = std::fs::read_to_string(env.path("avro/retail-interactions.avsc")).unwrap();
    let schema = create_schema_in(
        c,
        "legacy-interactions",
        &interactions,
        Some(Domain::Ecommerce),
    )
    .await;
    env.settle();
    let dataset = create_dataset(
        c,
        "legacy-shop-interactions",
        &legacy,
        &schema,
        "Interactions",
    )
    .await;
    env.settle();
    // Imported by hand: the recommender trains on it.
    env.import_data(&dataset, "retail/interactions.csv").await;
    let recommender = c
        .create_recommender()
        .name("legacy-shop-popular")
        .dataset_group_arn(&legacy)
        .recipe_arn(POPULAR)
        .send()
        .await
        .expect("recommender")
        .recommender_arn()
        .expect("arn")
        .to_string();
    env.settle();
    let out = env.path("adopt.yaml");
    let out = out.to_str().unwrap();
    env.pzr(&[
        "export", "--stack", "shop", "--match", "^legacy-", "-o", out,
    ])
    .await
    .expect(0);
    let doc: Value = serde_yaml::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(
        doc["datasetGroups"][0]["recommenders"],
        json!({"popular": {"recipe": "aws-ecomm-popular-items-by-views"}})
    );
    // The location of its latest ACTIVE import: planned as current.
    assert_eq!(
        doc["datasetGroups"][0]["datasets"]["interactions"]["import"],
        json!({"from": "s3://pzr-examples/retail/interactions.csv"})
    );
    let plan = env.plan_json(out, 2).await;
    assert_eq!(
        adopted(&plan),
        [
            "datasetGroup.legacy-shop",
            "dataset.legacy-shop.interactions",
            "recommender.legacy-shop.popular"
        ]
    );
    env.pzr_ticking(&["apply", "-f", out, "--auto-approve"])
        .await
        .expect(0);
    assert_eq!(
        tags_of(c, &recommender)
            .await
            .get("pzr:stack")
            .map(String::as_str),
        Some("shop"),
        "the same recommender, now owned"
    );
    env.pzr(&["plan", "-f", out, "--detailed-exitcode"])
        .await
        .expect(0);
}
