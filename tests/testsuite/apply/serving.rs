//! Recommenders, solutions and campaigns managed end to end, through the
//! real SDK against the emulator: the whole stack created with nothing
//! refused and its campaign deferred until a version is trained, a no-op
//! re-apply, every in-place update keeping its ARN, a recommender stopped
//! and started, destructive replaces refused without --allow-destroy,
//! everything deleted (a solution mid-training included), drift for each
//! out-of-band change, and kill -9 at random moments.

use std::time::Duration;

use aws_sdk_personalize::types::{CampaignConfig, RecommenderConfig, SolutionUpdateConfig};
use personalize_emulator::EmulatorConfig;

use aws_sdk_personalize::types::Domain;

use crate::support::account::{
    create_campaign, create_dataset, create_group_in, create_recommender, create_schema_in,
    create_solution, create_solution_version, group_arn, tags_of,
};
use crate::support::env::{assert_converged, frozen, Env};
use crate::support::kill::{self, kill_9_rounds};
use crate::support::stats::{mutating_since, refused_since};

const ACCOUNT: &str = "arn:aws:personalize:us-east-1:111122223333";

/// An ECOMMERCE group with a running recommender and a solution trained
/// automatically, serving a campaign.
pub(super) fn spec() -> String {
    r#"version: 1
stack: shop
schemas:
  interactions:
    domain: ECOMMERCE
    definition:
      type: record
      name: Interactions
      namespace: com.example.shop
      fields:
        - {name: USER_ID, type: string}
        - {name: ITEM_ID, type: string}
        - {name: TIMESTAMP, type: long}
        - {name: EVENT_TYPE, type: string}
  items:
    domain: ECOMMERCE
    definition:
      type: record
      name: Items
      namespace: com.example.shop
      fields:
        - {name: ITEM_ID, type: string}
        - {name: PRICE, type: float}
        - {name: CATEGORY_L1, type: string, categorical: true}
datasetGroups:
  - name: shop
    domain: ECOMMERCE
    datasets:
      interactions: {schema: interactions, import: {from: s3://pzr-examples/shop/interactions.csv}}
      items: {schema: items, import: {from: s3://pzr-examples/shop/items.csv}}
    recommenders:
      popular:
        recipe: aws-ecomm-popular-items-by-views
    solutions:
      personal:
        recipe: aws-user-personalization-v2
        training: {automatic: true}
        campaigns:
          main: {minProvisionedTPS: 1}
"#
    .to_string()
}

/// A test's environment with the data `spec()` imports in its bucket.
pub(super) async fn env_with_data(config: EmulatorConfig) -> Env {
    let env = Env::with(config).await;
    put_shop_data(&env);
    env
}

/// Puts the data `spec()` imports in `env`'s bucket.
fn put_shop_data(env: &Env) {
    let fields = |f: serde_json::Value| serde_json::json!({"fields": f});
    let interactions = fields(serde_json::json!([
        {"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}]));
    let items = fields(serde_json::json!([
        {"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"},
        {"name": "CATEGORY_L1", "type": "string"}]));
    env.put_data("shop/interactions.csv", &interactions, "Interactions");
    env.put_data("shop/items.csv", &items, "Items");
}

fn recommender_arn() -> String {
    format!("{ACCOUNT}:recommender/shop-popular")
}

fn solution_arn() -> String {
    format!("{ACCOUNT}:solution/shop-personal")
}

fn campaign_arn() -> String {
    format!("{ACCOUNT}:campaign/shop-personal-main")
}

/// Moves the emulator's clock past the automatic training of a solution
/// made ACTIVE before (its training delay, 5 s, then its create delay).
pub(super) fn train(env: &Env) {
    env.emulator
        .clock()
        .advance(Duration::from_secs(8))
        .expect("a manual clock");
}

/// An emulator with `spec()` applied twice: the campaign deferred by the
/// first apply, created by the second once the solution is trained.
async fn applied() -> Env {
    applied_with(frozen()).await
}

async fn applied_with(config: EmulatorConfig) -> Env {
    let env = env_with_data(config).await;
    let s0 = env.stats().await;
    let first = env.apply_text("spec.yaml", &spec(), &[]).await.expect(0);
    assert!(
        first
            .stderr
            .contains("deferred: create campaign.shop.personal.main: solution shop-personal has no ACTIVE version yet"),
        "{}",
        first.stderr
    );
    assert_eq!(
        campaign(&env).await,
        None,
        "not created before a version exists"
    );
    train(&env);
    let second = env.apply_text("spec.yaml", &spec(), &[]).await.expect(0);
    assert!(
        second
            .stderr
            .contains("create campaign.shop.personal.main: done"),
        "{}",
        second.stderr
    );
    assert!(!second.stderr.contains("deferred"), "{}", second.stderr);
    let s1 = env.stats().await;
    assert_eq!(refused_since(&s0, &s1), 0, "{:?}", s1.rejected);
    env
}

/// The recommender's status and `recommenderConfig`'s minimum rate.
async fn recommender(env: &Env) -> Option<(String, i32)> {
    let out = env
        .client
        .describe_recommender()
        .recommender_arn(recommender_arn())
        .send()
        .await
        .ok()?;
    let r = out.recommender()?;
    let rps = r
        .recommender_config()
        .and_then(|c| c.min_recommendation_requests_per_second())
        .unwrap_or_default();
    Some((r.status().unwrap_or_default().to_string(), rps))
}

/// The solution's `performAutoTraining` and schedule.
async fn solution(env: &Env) -> Option<(bool, Option<String>)> {
    let out = env
        .client
        .describe_solution()
        .solution_arn(solution_arn())
        .send()
        .await
        .ok()?;
    let s = out.solution()?;
    let schedule = s
        .solution_config()
        .and_then(|c| c.auto_training_config())
        .and_then(|a| a.scheduling_expression())
        .map(str::to_string);
    Some((s.perform_auto_training().unwrap_or(true), schedule))
}

/// The campaign's status and minimum provisioned TPS.
async fn campaign(env: &Env) -> Option<(String, i32)> {
    let out = env
        .client
        .describe_campaign()
        .campaign_arn(campaign_arn())
        .send()
        .await
        .ok()?;
    let c = out.campaign()?;
    Some((
        c.status().unwrap_or_default().to_string(),
        c.min_provisioned_tps().unwrap_or_default(),
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_stack_is_created_then_a_re_apply_calls_nothing() {
    let env = applied().await;
    assert_eq!(recommender(&env).await, Some(("ACTIVE".into(), 1)));
    assert_eq!(
        solution(&env).await,
        Some((true, Some("rate(7 days)".into()))),
        "automatic training on the API's default schedule, written out"
    );
    assert_eq!(campaign(&env).await, Some(("ACTIVE".into(), 1)));

    let spec = env.arg("spec.yaml");
    let s0 = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", &spec, "--auto-approve"])
        .await
        .expect(0);
    assert!(run.stdout.contains("No changes"), "{}", run.stdout);
    let s1 = env.stats().await;
    assert_eq!(mutating_since(&s0, &s1), 0, "{:?}", s1.requests);

    // A newer version (automatic training goes on) is not drift.
    create_solution_version(&env.client, &solution_arn()).await;
    train(&env);
    assert_converged(&env, &spec).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn each_update_in_place_keeps_the_arn_and_a_recommender_stops_and_starts() {
    let env = applied().await;
    let text = spec()
        .replace(
            "        recipe: aws-ecomm-popular-items-by-views\n",
            "        recipe: aws-ecomm-popular-items-by-views\n        minRecommendationRequestsPerSecond: 2\n        state: stopped\n",
        )
        .replace(
            "training: {automatic: true}",
            "training: {automatic: true, schedule: \"rate(3 days)\"}",
        )
        .replace("minProvisionedTPS: 1", "minProvisionedTPS: 4");
    let plan = {
        let path = env.write("updated.yaml", &text);
        env.plan_json(path.to_str().expect("path"), 2).await
    };
    let changes = plan["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 3, "{plan}");
    assert!(changes.iter().all(|c| c["action"] == "update"), "{plan}");
    assert!(
        changes
            .iter()
            .all(|c| !c["notes"].as_array().expect("notes").is_empty()),
        "every one of them changes the bill: {plan}"
    );
    let s0 = env.stats().await;
    let run = env.apply_text("updated.yaml", &text, &[]).await.expect(0);
    let s1 = env.stats().await;
    assert_eq!(
        refused_since(&s0, &s1),
        0,
        "{:?}\n{}",
        s1.rejected,
        run.stderr
    );
    for op in [
        "UpdateRecommender",
        "StopRecommender",
        "UpdateSolution",
        "UpdateCampaign",
    ] {
        assert_eq!(
            s1.requests.get(op).copied().unwrap_or_default()
                - s0.requests.get(op).copied().unwrap_or_default(),
            1,
            "{op}: {:?}",
            s1.requests
        );
    }
    for op in ["CreateRecommender", "CreateSolution", "CreateCampaign"] {
        assert_eq!(
            s1.requests.get(op),
            s0.requests.get(op),
            "{op}: nothing replaced"
        );
    }
    assert_eq!(recommender(&env).await, Some(("INACTIVE".into(), 2)));
    assert_eq!(
        solution(&env).await,
        Some((true, Some("rate(3 days)".into())))
    );
    assert_eq!(campaign(&env).await, Some(("ACTIVE".into(), 4)));
    assert_converged(&env, &env.arg("updated.yaml")).await;

    // Started again: the spec says running.
    let running = text.replace("        state: stopped\n", "");
    env.apply_text("running.yaml", &running, &[])
        .await
        .expect(0);
    assert_eq!(recommender(&env).await, Some(("ACTIVE".into(), 2)));
    assert_converged(&env, &env.arg("running.yaml")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_destructive_replace_needs_allow_destroy() {
    let env = applied().await;
    let text = spec().replace(
        "aws-ecomm-popular-items-by-views",
        "aws-ecomm-popular-items-by-purchases",
    );
    let s0 = env.stats().await;
    let run = env.apply_text("recipe.yaml", &text, &[]).await.expect(1);
    assert!(run.stderr.contains("--allow-destroy"), "{}", run.stderr);
    assert_eq!(mutating_since(&s0, &env.stats().await), 0);

    let run = env
        .apply_text("recipe.yaml", &text, &["--allow-destroy"])
        .await
        .expect(0);
    let recipe = env
        .client
        .describe_recommender()
        .recommender_arn(recommender_arn())
        .send()
        .await
        .expect("recommender")
        .recommender()
        .and_then(|r| r.recipe_arn().map(str::to_string));
    assert_eq!(
        recipe.as_deref(),
        Some("arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-purchases"),
        "{}",
        run.stderr
    );
    assert_converged(&env, &env.arg("recipe.yaml")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_everything_stops_a_training_first_and_nothing_is_refused() {
    // Deletes take no time and the clock stands still during the delete:
    // the version started below is still being trained (CREATE PENDING)
    // when the solution's delete comes.
    let env = applied_with(EmulatorConfig {
        delete_delay: Duration::ZERO,
        ..frozen()
    })
    .await;
    // A version being trained: DeleteSolution is refused until it stops.
    create_solution_version(&env.client, &solution_arn()).await;
    env.write("empty.yaml", "version: 1\nstack: shop\n");
    let s0 = env.stats().await;
    let run = env
        .pzr(&[
            "apply",
            "-f",
            &env.arg("empty.yaml"),
            "--auto-approve",
            "--allow-destroy",
        ])
        .await
        .expect(0);
    let s1 = env.stats().await;
    assert_eq!(
        refused_since(&s0, &s1),
        0,
        "{:?}\n{}",
        s1.rejected,
        run.stderr
    );
    assert_eq!(
        s1.requests.get("StopSolutionVersionCreation").copied(),
        Some(1),
        "{:?}\n{}",
        s1.requests,
        run.stderr
    );
    assert_eq!(group_arn(&env.client, "shop").await, None);
    assert!(
        run.stdout.contains("stops billing by the hour"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_out_of_band_change_to_the_serving_side_is_drift() {
    let env = applied().await;
    let spec = env.arg("spec.yaml");
    assert_eq!(env.drift_fields(&spec).await, (0, Vec::new()));

    env.client
        .stop_recommender()
        .recommender_arn(recommender_arn())
        .send()
        .await
        .expect("stopped out of band");
    env.client
        .update_campaign()
        .campaign_arn(campaign_arn())
        .min_provisioned_tps(3)
        .campaign_config(CampaignConfig::builder().build())
        .send()
        .await
        .expect("TPS changed out of band");
    env.client
        .update_solution()
        .solution_arn(solution_arn())
        .perform_auto_training(false)
        .set_solution_update_config(Some(SolutionUpdateConfig::builder().build()))
        .send()
        .await
        .expect("training turned off out of band");
    env.settle();
    env.assert_drifted(
        &spec,
        &[
            ("recommender.shop.popular", &["state"]),
            (
                "solution.shop.personal",
                &["performAutoTraining", "schedulingExpression"],
            ),
            ("campaign.shop.personal.main", &["minProvisionedTPS"]),
        ],
    )
    .await;
    // Apply puts each back in place.
    env.apply_text("spec.yaml", &spec_text(&env), &[])
        .await
        .expect(0);
    assert_eq!(env.drift_fields(&spec).await, (0, Vec::new()));

    // A recommender's config changed out of band is drift too.
    env.client
        .update_recommender()
        .recommender_arn(recommender_arn())
        .recommender_config(
            RecommenderConfig::builder()
                .min_recommendation_requests_per_second(7)
                .build(),
        )
        .send()
        .await
        .expect("config changed out of band");
    env.settle();
    env.assert_drifted(
        &spec,
        &[("recommender.shop.popular", &["recommenderConfig"])],
    )
    .await;
}

fn spec_text(env: &Env) -> String {
    std::fs::read_to_string(env.path("spec.yaml")).expect("spec")
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_at_random_moments_then_apply_again_converges() {
    let env = kill::env().await;
    put_shop_data(&env);
    // Without campaigns: a deferred campaign leaves a plan to converge to
    // once training ends, which the moments here do not wait for.
    let full = spec().replace(
        "        campaigns:\n          main: {minProvisionedTPS: 1}\n",
        "",
    );
    let full_path = env.write("full.yaml", &full);
    let changed = full
        .replace(
            "        recipe: aws-ecomm-popular-items-by-views\n",
            "        recipe: aws-ecomm-popular-items-by-views\n        minRecommendationRequestsPerSecond: 3\n        state: stopped\n",
        )
        .replace("training: {automatic: true}", "training: {automatic: false}");
    let changed_path = env.write("changed.yaml", &changed);
    let empty = env.write("empty.yaml", "version: 1\nstack: shop\n");
    // Emulator time each round's steps take at least: group, datasets,
    // children (3 x 150); an update then a stop (150 + 150); children,
    // datasets, then the group deleted (3 x 100).
    let rounds = [
        (&full_path, Some(("ACTIVE", 1, true)), 450),
        (&changed_path, Some(("INACTIVE", 3, false)), 300),
        (&empty, None, 300),
    ];
    let check = async |spec: &str, expected: &Option<(&str, i32, bool)>, context: &str| {
        match expected {
            Some((status, rps, automatic)) => {
                assert_eq!(
                    recommender(&env).await,
                    Some((status.to_string(), *rps)),
                    "{context}"
                );
                let training = solution(&env).await.map(|(auto, _)| auto);
                assert_eq!(training, Some(*automatic), "{context}");
            }
            None => assert_eq!(group_arn(&env.client, "shop").await, None, "{context}"),
        }
        assert_converged(&env, spec).await;
    };
    kill_9_rounds(&env, 12, &rounds, async || snapshot(&env).await, check).await;
}

/// What a kill may leave half done: the recommender's and the solution's
/// state.
async fn snapshot(env: &Env) -> (Option<(String, i32)>, Option<(bool, Option<String>)>, bool) {
    (
        recommender(env).await,
        solution(env).await,
        group_arn(&env.client, "shop").await.is_some(),
    )
}

/// The spec's schemas, as JSON.
const INTERACTIONS: &str = r#"{"type": "record", "name": "Interactions", "namespace": "com.example.shop", "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}]}"#;
const ITEMS: &str = r#"{"type": "record", "name": "Items", "namespace": "com.example.shop", "fields": [{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"}, {"name": "CATEGORY_L1", "type": "string", "categorical": true}]}"#;

#[tokio::test(flavor = "multi_thread")]
async fn adopt_takes_over_the_recommender_solution_and_campaign_of_the_declared_names() {
    let env = env_with_data(frozen()).await;
    let ecommerce = Some(Domain::Ecommerce);
    let group = create_group_in(&env.client, "shop", ecommerce.clone()).await;
    env.settle();
    let interactions = create_schema_in(
        &env.client,
        "hand-interactions",
        INTERACTIONS,
        ecommerce.clone(),
    )
    .await;
    let items = create_schema_in(&env.client, "hand-items", ITEMS, ecommerce).await;
    let shop_interactions = create_dataset(
        &env.client,
        "shop-interactions",
        &group,
        &interactions,
        "Interactions",
    )
    .await;
    let shop_items = create_dataset(&env.client, "shop-items", &group, &items, "Items").await;
    env.settle();
    put_shop_data(&env);
    for (dataset, key) in [
        (&shop_interactions, "shop/interactions.csv"),
        (&shop_items, "shop/items.csv"),
    ] {
        env.import_data(dataset, key).await;
    }
    let recipe = |name: &str| format!("arn:aws:personalize:::recipe/{name}");
    let recommender = create_recommender(
        &env.client,
        "shop-popular",
        &group,
        &recipe("aws-ecomm-popular-items-by-views"),
    )
    .await;
    // Made as a console user would: automatic training left to its default.
    let solution = create_solution(
        &env.client,
        "shop-personal",
        &group,
        &recipe("aws-user-personalization-v2"),
        None,
    )
    .await;
    env.settle();
    let version = create_solution_version(&env.client, &solution).await;
    env.settle();
    let campaign = create_campaign(&env.client, "shop-personal-main", &version).await;
    env.settle();

    let text = spec().replace(
        "    domain: ECOMMERCE\n    datasets:",
        "    domain: ECOMMERCE\n    adopt: true\n    datasets:",
    );
    let written = env.write("adopt.yaml", &text);
    let doc = env.plan_json(written.to_str().expect("path"), 2).await;
    let mut adopted: Vec<&str> = doc["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["action"] == "adopt")
        .filter_map(|c| c["address"].as_str())
        .filter(|a| !a.starts_with("dataset"))
        .collect();
    adopted.sort();
    assert_eq!(
        adopted,
        [
            "campaign.shop.personal.main",
            "recommender.shop.popular",
            "solution.shop.personal"
        ],
        "{doc:#}"
    );
    env.apply_text("adopt.yaml", &text, &[]).await.expect(0);
    for arn in [&recommender, &solution, &campaign] {
        assert_eq!(
            tags_of(&env.client, arn)
                .await
                .get("pzr:stack")
                .map(String::as_str),
            Some("shop"),
            "{arn}"
        );
    }
    assert_eq!(recommender, recommender_arn());
    assert_eq!(campaign, campaign_arn());
    assert_converged(&env, &env.arg("adopt.yaml")).await;
}
