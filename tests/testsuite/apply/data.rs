//! Data before serving, end to end through the real SDK and pzr's S3
//! client against the emulator (its S3 face over the examples' bucket):
//! imports applied with nothing refused and a re-apply that changes
//! nothing, a changed CSV imported again and only it, no recommender or
//! training without data, a recommender failed for want of data not paid
//! for again, and an import interrupted by kill -9 finished by the next
//! apply with one job in total.

use std::fmt::Write;

use crate::support::clock::until;
use crate::support::env::{frozen, Env};
use crate::support::stats::{mutating_since, refused_since};

/// The import jobs of the group's dataset of `dataset_type`: (status, location).
async fn import_jobs(env: &Env, group: &str, dataset_type: &str) -> Vec<String> {
    let dataset = crate::support::account::dataset(&env.client, group, dataset_type).await;
    let listed = env
        .client
        .list_dataset_import_jobs()
        .dataset_arn(dataset.dataset_arn().unwrap_or_default())
        .send()
        .await
        .expect("import jobs listed");
    listed
        .dataset_import_jobs()
        .iter()
        .map(|j| j.status().unwrap_or_default().to_string())
        .collect()
}

async fn recommender_status(env: &Env, name: &str) -> Option<String> {
    let listed = env.client.list_recommenders().send().await.expect("listed");
    listed
        .recommenders()
        .iter()
        .find(|r| r.name() == Some(name))
        .and_then(|r| r.status().map(str::to_string))
}

#[tokio::test(flavor = "multi_thread")]
async fn imports_apply_with_nothing_refused_and_a_re_apply_changes_nothing() {
    let env = Env::new().await;
    let spec = env.arg("retail.yaml");
    let before = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", &spec, "--auto-approve"])
        .await
        .expect(0);
    let after = env.stats().await;
    assert_eq!(refused_since(&before, &after), 0, "{:?}", after.rejected);
    for t in ["Interactions", "Items", "Users"] {
        assert_eq!(import_jobs(&env, "retail-prod", t).await, ["ACTIVE"], "{t}");
    }
    // Trained on the imported data: running, and created stopped.
    assert_eq!(
        recommender_status(&env, "retail-prod-popular")
            .await
            .as_deref(),
        Some("ACTIVE")
    );
    assert_eq!(
        recommender_status(&env, "retail-prod-for-you")
            .await
            .as_deref(),
        Some("INACTIVE")
    );
    assert!(
        run.stderr
            .contains("import datasetImportJob.retail-prod.interactions: done"),
        "{}",
        run.stderr
    );

    let again = env
        .pzr(&["apply", "-f", &spec, "--auto-approve"])
        .await
        .expect(0);
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);
    assert_eq!(mutating_since(&after, &env.stats().await), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_csv_plans_exactly_one_import() {
    let env = Env::new().await;
    let spec = env.arg("retail.yaml");
    env.pzr(&["apply", "-f", &spec, "--auto-approve"])
        .await
        .expect(0);
    env.touch_data("retail/interactions.csv");
    let plan = env.plan_json(&spec, 2).await;
    let changes = plan["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(
        changes[0]["address"],
        "datasetImportJob.retail-prod.interactions"
    );
    assert_eq!(changes[0]["reasons"][0]["code"], "data_changed");
    assert_eq!(changes[0]["reasons"][0]["objects"], 1);
    let before = env.stats().await;
    env.pzr(&["apply", "-f", &spec, "--auto-approve"])
        .await
        .expect(0);
    let after = env.stats().await;
    // The one import, and nothing refused (its name is free, though the
    // previous import's may be of the same second).
    assert_eq!(mutating_since(&before, &after), 1, "{:?}", after.requests);
    assert_eq!(refused_since(&before, &after), 0, "{:?}", after.rejected);
    assert_eq!(
        import_jobs(&env, "retail-prod", "Interactions").await.len(),
        2
    );
}

/// A recommender and a trained campaign in a group with no data declared.
const NO_DATA: &str = "version: 1
stack: shop
schemas:
  interactions: {file: avro/retail-interactions.avsc, domain: ECOMMERCE}
datasetGroups:
  - name: shop
    domain: ECOMMERCE
    datasets:
      interactions: {schema: interactions}
    recommenders:
      popular: {recipe: aws-ecomm-popular-items-by-views}
    solutions:
      personal:
        recipe: aws-user-personalization-v2
        training: {automatic: false}
        campaigns:
          main: {}
";

#[tokio::test(flavor = "multi_thread")]
async fn without_data_no_recommender_or_training_is_created_and_the_plan_says_why() {
    let env = Env::new().await;
    let before = env.stats().await;
    let run = env.apply_text("spec.yaml", NO_DATA, &[]).await.expect(0);
    let after = env.stats().await;
    for paid in [
        "CreateRecommender",
        "CreateSolutionVersion",
        "CreateCampaign",
    ] {
        assert_eq!(
            after.requests.get(paid),
            before.requests.get(paid),
            "{paid}"
        );
    }
    let why = "no interactions data: declare datasets.interactions.import or mark it streamed";
    assert!(run.stdout.contains(why), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("deferred: create recommender.shop.popular"),
        "{}",
        run.stderr
    );
    // Still wanted: plan and drift say so (exit 2), apply says why (exit 0).
    env.plan_json(&env.arg("spec.yaml"), 2).await;
}

/// Interactions of `users` users, `rows` rows, every event a Purchase: an
/// import Personalize takes, too little for a most-viewed recommender.
fn purchases_only(rows: usize, users: usize) -> String {
    let mut csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE\n".to_string();
    for i in 0..rows {
        let _ = writeln!(
            csv,
            "u{},i{},{},Purchase,1.0,web",
            i % users,
            i % 50,
            1_767_000_000 + i
        );
    }
    csv
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recommender_failed_for_want_of_data_is_not_created_again() {
    let env = Env::new().await;
    let path = env.write("data/retail/interactions.csv", &purchases_only(1200, 60));
    crate::support::files::date_before_start(&path);
    let spec = env.arg("retail.yaml");
    let run = env.pzr(&["apply", "-f", &spec, "--auto-approve"]).await;
    assert_ne!(
        run.code, 0,
        "the recommender's creation failed: {}",
        run.stderr
    );
    let text = "Dataset has fewer than 1000 interactions after filtering by event type: View";
    assert!(run.stderr.contains(text), "{}", run.stderr);
    assert_eq!(
        recommender_status(&env, "retail-prod-popular")
            .await
            .as_deref(),
        Some("CREATE FAILED")
    );

    // Nothing changed: held back, not paid for again.
    let before = env.stats().await;
    let again = env
        .pzr(&["apply", "-f", &spec, "--auto-approve"])
        .await
        .expect(0);
    assert!(
        again.stdout.contains(text) && again.stdout.contains("held back"),
        "{}",
        again.stdout
    );
    assert_eq!(mutating_since(&before, &env.stats().await), 0);
    let plan = env.plan_json(&spec, 2).await;
    let held = plan["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["address"] == "recommender.retail-prod.popular")
        .expect("the recommender's change");
    assert_eq!(held["deferred"]["code"], "failed_for_data");

    // New data: imported, then the recommender created again after it.
    let good = std::fs::read(crate::support::files::repo(
        "examples/data/retail/interactions.csv",
    ))
    .expect("the example's data");
    std::fs::write(&path, good).expect("write");
    let run = env
        .pzr(&["apply", "-f", &spec, "--auto-approve"])
        .await
        .expect(0);
    assert!(
        run.stderr
            .contains("import datasetImportJob.retail-prod.interactions: done"),
        "{}",
        run.stderr
    );
    assert_eq!(
        recommender_status(&env, "retail-prod-popular")
            .await
            .as_deref(),
        Some("ACTIVE")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_an_import_then_apply_again_finishes_it_with_one_job() {
    let env = Env::with(frozen()).await;
    let spec = env.arg("video.yaml");
    let args = ["apply", "-f", spec.as_str(), "--auto-approve"];
    // The clock ticks until the datasets are ACTIVE, then stands still: pzr
    // waits on its CREATE PENDING import when it is killed.
    let ticker = env.ticker();
    let spawned = env
        .spawn_until(&args, "create dataset.video-prod.interactions: done")
        .await;
    ticker.stop().await;
    until("pzr asks for the interactions import", || async {
        import_jobs(&env, "video-prod", "Interactions").await.len() == 1
    })
    .await;
    spawned.kill().await;
    assert_eq!(
        import_jobs(&env, "video-prod", "Interactions").await.len(),
        1
    );
    // Planned on the still clock: the import is seen pending and waited for.
    let again = env
        .spawn_until(
            &args,
            "wait for datasetImportJob.video-prod.interactions: started",
        )
        .await;
    let ticker = env.ticker();
    again.finish().await.expect(0);
    ticker.stop().await;
    assert_eq!(
        import_jobs(&env, "video-prod", "Interactions").await,
        ["ACTIVE"]
    );
    let plan = env.pzr(&["plan", "-f", spec.as_str()]).await.expect(0);
    assert!(plan.stdout.contains("No changes."), "{}", plan.stdout);
}

/// The whole MLOps loop as reviewed plans: new data lands in the bucket;
/// one plan imports it and trains a new version after the import; once
/// trained, the next moves the campaign to it; then nothing is left to do.
#[tokio::test(flavor = "multi_thread")]
async fn new_data_plans_import_training_and_campaign_move_then_converges() {
    use super::serving::{env_with_data, spec, train};
    let env = env_with_data(frozen()).await;
    let text = spec()
        .replace(
            "training: {automatic: true}",
            "training: {automatic: false, onNewData: true}",
        )
        .replace(
            "    recommenders:\n      popular:\n        recipe: aws-ecomm-popular-items-by-views\n",
            "",
        );
    let spec_path = env.write("spec.yaml", &text);
    let spec_arg = spec_path.to_str().expect("path");
    // First apply: data, solution, its first training; the campaign waits.
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);
    train(&env);
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);
    let plan = env.plan_json(spec_arg, 0).await;
    assert!(
        plan["changes"].as_array().expect("changes").is_empty(),
        "{plan:#}"
    );

    env.touch_data("shop/interactions.csv");
    let plan = env.plan_json(spec_arg, 2).await;
    let changed: Vec<(String, String)> = plan["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let address = c["address"].as_str().unwrap_or_default().to_string();
            (
                address,
                c["reasons"][0]["code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            (
                "datasetImportJob.shop.interactions".to_string(),
                "data_changed".to_string()
            ),
            (
                "solution.shop.personal".to_string(),
                "new_data_since_training".to_string()
            )
        ]
    );
    let before = env.stats().await;
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);
    train(&env);
    let moved = env.plan_json(spec_arg, 2).await;
    assert_eq!(
        moved["changes"][0]["address"],
        "campaign.shop.personal.main"
    );
    assert_eq!(moved["changes"][0]["reasons"][0]["code"], "newer_version");
    env.apply_text("spec.yaml", &text, &[]).await.expect(0);
    let after = env.stats().await;
    assert_eq!(refused_since(&before, &after), 0, "{:?}", after.rejected);
    assert_eq!(after.requests.get("CreateSolutionVersion"), Some(&2));
    assert_eq!(after.requests.get("UpdateCampaign"), Some(&1));
    let plan = env.plan_json(spec_arg, 0).await;
    assert!(
        plan["changes"].as_array().expect("changes").is_empty(),
        "{plan:#}"
    );
}
