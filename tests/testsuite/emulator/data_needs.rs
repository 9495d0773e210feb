//! What training needs of the data, through the real SDK on a manual
//! clock: CreateRecommender and CreateSolutionVersion are accepted whatever
//! the data, and end CREATE FAILED with Personalize's failureReason when the
//! group's data falls short (texts of
//! https://docs.aws.amazon.com/personalize/latest/dg/error-messages.html);
//! once data is imported they serve; automatic training waits for data.

use aws_sdk_personalize::types::Domain;

use super::lifecycle::{Lab, CREATE_MS, TRAINING_MS};
use crate::support::account::{create_recommender, create_solution_version};

const POPULAR: &str = "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views";
const MORE_LIKE_X: &str = "arn:aws:personalize:::recipe/aws-vod-more-like-x";

impl Lab {
    /// A recommender's status and failure reason.
    async fn recommender_end(&self, arn: &str) -> (String, Option<String>) {
        let out = self.client.describe_recommender().recommender_arn(arn);
        let r = out.send().await.unwrap().recommender().cloned().unwrap();
        (
            r.status().unwrap_or_default().to_string(),
            r.failure_reason().map(String::from),
        )
    }

    /// A solution version's status and failure reason.
    async fn version_end(&self, arn: &str) -> (String, Option<String>) {
        let out = self
            .client
            .describe_solution_version()
            .solution_version_arn(arn);
        let v = out
            .send()
            .await
            .unwrap()
            .solution_version()
            .cloned()
            .unwrap();
        (
            v.status().unwrap_or_default().to_string(),
            v.failure_reason().map(String::from),
        )
    }

    /// How many versions the solution has.
    async fn version_count(&self, solution: &str) -> usize {
        let out = self.client.list_solution_versions().solution_arn(solution);
        out.send().await.unwrap().solution_versions().len()
    }
}

fn failed(reason: &str) -> (String, Option<String>) {
    ("CREATE FAILED".into(), Some(reason.into()))
}

fn active() -> (String, Option<String>) {
    ("ACTIVE".into(), None)
}

#[tokio::test]
async fn a_recommender_without_its_use_cases_events_ends_create_failed_then_serves_once_data_is_imported(
) {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let shop = lab.group("shop", Some(Domain::Ecommerce)).await;
    let early = create_recommender(c, "early", &shop, POPULAR).await;
    lab.advance(CREATE_MS - 1);
    assert_eq!(lab.recommender_end(&early).await.0, "CREATE IN_PROGRESS");
    lab.advance(1);
    assert_eq!(
        lab.recommender_end(&early).await,
        failed("Dataset has fewer than 1000 interactions after filtering by event type: View")
    );
    lab.data(&shop, false).await;
    let late = create_recommender(c, "late", &shop, POPULAR).await;
    lab.advance(CREATE_MS);
    assert_eq!(lab.recommender_end(&late).await, active());
}

#[tokio::test]
async fn a_recommender_whose_use_case_needs_items_ends_create_failed_without_them() {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let vod = lab.group("vod", Some(Domain::VideoOnDemand)).await;
    lab.data(&vod, false).await;
    let without = create_recommender(c, "without-items", &vod, MORE_LIKE_X).await;
    lab.advance(CREATE_MS);
    assert_eq!(
        lab.recommender_end(&without).await,
        failed("Create failed. The Items dataset has no data, which this use case requires.")
    );
    lab.data(&vod, true).await;
    let with = create_recommender(c, "with-items", &vod, MORE_LIKE_X).await;
    lab.advance(CREATE_MS);
    assert_eq!(lab.recommender_end(&with).await, active());
}

#[tokio::test]
async fn a_solution_version_without_data_ends_create_failed_then_trains_once_data_is_imported() {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let group = lab.group("custom", None).await;
    let solution = lab.solution("personal", &group, Some(false)).await;
    lab.advance(CREATE_MS);
    let early = create_solution_version(c, &solution).await;
    lab.advance(CREATE_MS);
    assert_eq!(
        lab.version_end(&early).await,
        failed("Create failed. Dataset has fewer than 25 users with at least 2 interactions each.")
    );
    lab.data(&group, false).await;
    let late = create_solution_version(c, &solution).await;
    lab.advance(CREATE_MS);
    assert_eq!(lab.version_end(&late).await, active());
}

#[tokio::test]
async fn automatic_training_waits_for_the_groups_interactions_data() {
    const WEEK_MS: u64 = 7 * 86_400_000;
    let lab = Lab::new(None).await;
    let group = lab.group("custom", None).await;
    let solution = lab.solution("auto", &group, None).await;
    lab.advance(CREATE_MS + TRAINING_MS);
    let first = lab.emu.clock().now();
    assert_eq!(
        lab.version_count(&solution).await,
        0,
        "no data: no first training"
    );
    lab.data(&group, false).await;
    lab.advance(first + WEEK_MS - 1 - lab.emu.clock().now());
    assert_eq!(lab.version_count(&solution).await, 0, "not due yet");
    lab.advance(1);
    assert_eq!(lab.version_count(&solution).await, 1, "due, with data");
    lab.advance(3 * WEEK_MS);
    assert_eq!(lab.version_count(&solution).await, 1, "no new data since");
}
