//! The serving side as the emulator runs it, through the real SDK on a
//! manual clock: recipes (ListRecipes, DescribeRecipe, and the recipe
//! CreateSolution and CreateRecommender take), StopRecommender and
//! StartRecommender, UpdateRecommender, UpdateCampaign and UpdateSolution,
//! each life cycle at its boundaries and each refusal.

use std::fmt::Debug;
use std::future::Future;

use aws_sdk_personalize::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_personalize::types::{
    AutoTrainingConfig, CampaignConfig, Domain, RecommenderConfig, SolutionConfig,
    SolutionUpdateConfig, TrainingType,
};

use super::lifecycle::{Lab, CREATE_MS, TRAINING_MS, USER_PERSONALIZATION};
use crate::support::account::{create_campaign, create_recommender, create_solution_version};
use crate::support::emulator::code;

const POPULAR: &str = "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views";
const VOD_TOP_PICKS: &str = "arn:aws:personalize:::recipe/aws-vod-top-picks";
/// A third of the create delay: where PENDING turns IN_PROGRESS.
const THIRD: u64 = CREATE_MS / 3;

const DAY_MS: u64 = 86_400_000;

impl Lab {
    async fn automatic_versions(&self, solution: &str) -> usize {
        let out = self
            .client
            .list_solution_versions()
            .solution_arn(solution)
            .send()
            .await;
        let versions = out.unwrap().solution_versions().to_vec();
        versions
            .iter()
            .filter(|v| v.training_type() == Some(&TrainingType::Automatic))
            .count()
    }

    async fn recommender_seen(&self, arn: &str) -> (String, Option<String>, Option<i32>) {
        let out = self
            .client
            .describe_recommender()
            .recommender_arn(arn)
            .send()
            .await;
        let r = out.unwrap().recommender().cloned().unwrap();
        let rps = |c: Option<&RecommenderConfig>| {
            c.and_then(|c| c.min_recommendation_requests_per_second())
        };
        (
            r.status().unwrap_or_default().to_string(),
            r.latest_recommender_update()
                .and_then(|u| u.status())
                .map(str::to_string),
            rps(r.recommender_config()),
        )
    }

    /// An update refused before its resource is ACTIVE, accepted once it is
    /// (the clock moved past its creation), and refused again while it runs.
    async fn gated<T, E, R, Fut>(&self, update: impl Fn() -> Fut)
    where
        T: Debug,
        E: ProvideErrorMetadata + Debug,
        R: Debug,
        Fut: Future<Output = Result<T, SdkError<E, R>>>,
    {
        let in_use = "ResourceInUseException";
        assert_eq!(code(update().await), in_use, "not ACTIVE yet");
        self.advance(CREATE_MS);
        update().await.expect("accepted once ACTIVE");
        assert_eq!(code(update().await), in_use, "while its update runs");
    }

    /// Walks the clock from the moment a step started through its thirds,
    /// returning the status seen just before and at each boundary.
    async fn walk<F, Fut>(&self, mut seen: F) -> Vec<String>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = String>,
    {
        let mut out = vec![seen().await];
        for step in [THIRD - 1, 1, CREATE_MS - THIRD - 1, 1] {
            self.advance(step);
            out.push(seen().await);
        }
        out
    }
}

#[tokio::test]
async fn recipes_are_the_real_ones_and_each_create_takes_only_its_sort() {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let ecomm = c
        .list_recipes()
        .domain(Domain::Ecommerce)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = ecomm.recipes().iter().filter_map(|r| r.name()).collect();
    assert_eq!(
        names,
        [
            "aws-ecomm-popular-items-by-views",
            "aws-ecomm-popular-items-by-purchases",
            "aws-ecomm-frequently-bought-together",
            "aws-ecomm-customers-who-viewed-x-also-viewed",
            "aws-ecomm-recommended-for-you"
        ]
    );
    assert!(ecomm
        .recipes()
        .iter()
        .all(|r| r.domain() == Some(&Domain::Ecommerce)));
    let all = c.list_recipes().send().await.unwrap();
    assert_eq!(all.recipes().len(), 25);
    let page = c.list_recipes().max_results(10).send().await.unwrap();
    let rest = c
        .list_recipes()
        .next_token(page.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.recipes().len() + rest.recipes().len(), 25);
    let v2 = c
        .describe_recipe()
        .recipe_arn("arn:aws:personalize:::recipe/aws-user-personalization-v2")
        .send()
        .await
        .unwrap();
    assert_eq!(
        v2.recipe().unwrap().recipe_type(),
        Some("USER_PERSONALIZATION")
    );
    let nope = "arn:aws:personalize:::recipe/aws-nope";
    assert_eq!(
        code(c.describe_recipe().recipe_arn(nope).send().await),
        "ResourceNotFoundException"
    );

    let shop = lab.group("shop", Some(Domain::Ecommerce)).await;
    let custom = lab.group("custom", None).await;
    let recommend = |name: &'static str, group: String, recipe: &'static str| async move {
        code(
            c.create_recommender()
                .name(name)
                .dataset_group_arn(group)
                .recipe_arn(recipe)
                .send()
                .await,
        )
    };
    assert_eq!(
        recommend("r1", shop.clone(), nope).await,
        "ResourceNotFoundException"
    );
    assert_eq!(
        recommend("r2", shop.clone(), USER_PERSONALIZATION).await,
        "InvalidInputException"
    );
    assert_eq!(
        recommend("r3", shop.clone(), VOD_TOP_PICKS).await,
        "InvalidInputException"
    );
    assert_eq!(
        recommend("r4", custom.clone(), POPULAR).await,
        "InvalidInputException"
    );
    let solve = |name: &'static str, recipe: &'static str| {
        let group = custom.clone();
        async move {
            code(
                c.create_solution()
                    .name(name)
                    .dataset_group_arn(group)
                    .recipe_arn(recipe)
                    .send()
                    .await,
            )
        }
    };
    assert_eq!(solve("s1", POPULAR).await, "InvalidInputException");
    assert_eq!(solve("s2", nope).await, "ResourceNotFoundException");
    let no_recipe = c
        .create_solution()
        .name("s3")
        .dataset_group_arn(&custom)
        .send()
        .await;
    assert_eq!(
        code(no_recipe),
        "InvalidInputException",
        "no AutoML, no recipe"
    );
    create_recommender(c, "ok", &shop, POPULAR).await;
}

#[tokio::test]
async fn a_recommender_stops_and_starts_through_its_states_and_refuses_the_wrong_one() {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let shop = lab.group("shop", Some(Domain::Ecommerce)).await;
    lab.data(&shop, false).await;
    let arn = create_recommender(c, "popular", &shop, POPULAR).await;
    let start = || c.start_recommender().recommender_arn(&arn).send();
    let stop = || c.stop_recommender().recommender_arn(&arn).send();
    assert_eq!(
        code(stop().await),
        "ResourceInUseException",
        "CREATE PENDING"
    );
    lab.advance(CREATE_MS);
    assert_eq!(code(start().await), "ResourceInUseException", "ACTIVE");
    assert_eq!(stop().await.unwrap().recommender_arn(), Some(arn.as_str()));
    let status = || async { lab.recommender_seen(&arn).await.0 };
    let stopping = lab.walk(status).await;
    assert_eq!(
        stopping,
        [
            "STOP PENDING",
            "STOP PENDING",
            "STOP IN_PROGRESS",
            "STOP IN_PROGRESS",
            "INACTIVE"
        ]
    );
    assert_eq!(code(stop().await), "ResourceInUseException", "INACTIVE");
    let config = RecommenderConfig::builder()
        .min_recommendation_requests_per_second(2)
        .build();
    let update = c
        .update_recommender()
        .recommender_arn(&arn)
        .recommender_config(config)
        .send()
        .await;
    assert_eq!(code(update), "ResourceInUseException", "INACTIVE");
    start().await.unwrap();
    let starting = lab.walk(status).await;
    assert_eq!(
        starting,
        [
            "START PENDING",
            "START PENDING",
            "START IN_PROGRESS",
            "START IN_PROGRESS",
            "ACTIVE"
        ]
    );
    // A stopped recommender can be deleted; a stopping one cannot.
    stop().await.unwrap();
    assert_eq!(
        code(c.delete_recommender().recommender_arn(&arn).send().await),
        "ResourceInUseException"
    );
    lab.advance(CREATE_MS);
    c.delete_recommender()
        .recommender_arn(&arn)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn update_recommender_runs_its_update_and_keeps_the_old_config_until_it_is_active() {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let shop = lab.group("shop", Some(Domain::Ecommerce)).await;
    lab.data(&shop, false).await;
    let arn = create_recommender(c, "popular", &shop, POPULAR).await;
    let config = |rps| {
        RecommenderConfig::builder()
            .min_recommendation_requests_per_second(rps)
            .build()
    };
    let update = |rps| {
        c.update_recommender()
            .recommender_arn(&arn)
            .recommender_config(config(rps))
            .send()
    };
    lab.gated(|| update(2)).await;
    let seen = || async {
        let (status, update, rps) = lab.recommender_seen(&arn).await;
        format!("{status}/{}/{rps:?}", update.unwrap_or_default())
    };
    assert_eq!(
        lab.walk(seen).await,
        [
            "ACTIVE/CREATE PENDING/Some(1)",
            "ACTIVE/CREATE PENDING/Some(1)",
            "ACTIVE/CREATE IN_PROGRESS/Some(1)",
            "ACTIVE/CREATE IN_PROGRESS/Some(1)",
            "ACTIVE/ACTIVE/Some(2)"
        ]
    );
    update(3).await.unwrap();
}

#[tokio::test]
async fn update_campaign_changes_tps_and_config_once_its_update_is_active() {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let group = lab.group("custom", None).await;
    lab.data(&group, false).await;
    let solution = lab.solution("personal", &group, Some(false)).await;
    lab.advance(CREATE_MS);
    let version = create_solution_version(c, &solution).await;
    // Campaigns are refused on a version still training.
    let early = c
        .create_campaign()
        .name("early")
        .solution_version_arn(&version)
        .send()
        .await;
    assert_eq!(code(early), "ResourceInUseException");
    lab.advance(CREATE_MS);
    let arn = create_campaign(c, "main", &version).await;
    let update = |tps| {
        let config = CampaignConfig::builder()
            .enable_metadata_with_recommendations(true)
            .build();
        c.update_campaign()
            .campaign_arn(&arn)
            .min_provisioned_tps(tps)
            .campaign_config(config)
            .send()
    };
    lab.gated(|| update(5)).await;
    let seen = || async {
        let out = c
            .describe_campaign()
            .campaign_arn(&arn)
            .send()
            .await
            .unwrap();
        let campaign = out.campaign().unwrap();
        let latest = campaign.latest_campaign_update().unwrap();
        format!(
            "{}/{}/{:?}/{:?}",
            campaign.status().unwrap(),
            latest.status().unwrap(),
            campaign.min_provisioned_tps(),
            latest.min_provisioned_tps(),
        )
    };
    assert_eq!(
        lab.walk(seen).await,
        [
            "ACTIVE/CREATE PENDING/Some(1)/Some(5)",
            "ACTIVE/CREATE PENDING/Some(1)/Some(5)",
            "ACTIVE/CREATE IN_PROGRESS/Some(1)/Some(5)",
            "ACTIVE/CREATE IN_PROGRESS/Some(1)/Some(5)",
            "ACTIVE/ACTIVE/Some(5)/Some(5)"
        ]
    );
    let out = c
        .describe_campaign()
        .campaign_arn(&arn)
        .send()
        .await
        .unwrap();
    let config = out.campaign().unwrap().campaign_config().unwrap();
    assert_eq!(config.enable_metadata_with_recommendations(), Some(true));
    // A version of another solution is refused.
    let other = lab.solution("other", &group, Some(false)).await;
    lab.advance(CREATE_MS);
    let foreign = create_solution_version(c, &other).await;
    lab.advance(CREATE_MS);
    let latest = |solution: &str| format!("{solution}/$LATEST");
    let synced = CampaignConfig::builder()
        .sync_with_latest_solution_version(true)
        .build();
    let create = |name: &'static str, version: String| {
        c.create_campaign()
            .name(name)
            .solution_version_arn(version)
            .campaign_config(synced.clone())
            .send()
    };
    // syncWithLatestSolutionVersion needs SolutionArn/$LATEST.
    assert_eq!(
        code(create("pinned", version.clone()).await),
        "InvalidInputException"
    );
    create("follows", latest(&solution)).await.unwrap();
    let refollow = c
        .update_campaign()
        .campaign_arn(&arn)
        .solution_version_arn(latest(&other))
        .campaign_config(synced.clone())
        .send()
        .await;
    assert_eq!(code(refollow), "InvalidInputException", "another solution");
    let moved = c
        .update_campaign()
        .campaign_arn(&arn)
        .solution_version_arn(&foreign)
        .send()
        .await;
    assert_eq!(code(moved), "InvalidInputException");
}

#[tokio::test]
async fn update_solution_turns_training_on_with_a_schedule_through_its_update() {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let group = lab.group("custom", None).await;
    lab.data(&group, false).await;
    let arn = lab.solution("personal", &group, Some(false)).await;
    let schedule = |expression: &str| {
        let auto = AutoTrainingConfig::builder()
            .scheduling_expression(expression)
            .build();
        SolutionUpdateConfig::builder()
            .auto_training_config(auto)
            .build()
    };
    let update = |expression: &'static str| {
        c.update_solution()
            .solution_arn(&arn)
            .perform_auto_training(true)
            .solution_update_config(schedule(expression))
            .send()
    };
    lab.gated(|| update("rate(3 days)")).await;
    let seen = || async {
        let out = c
            .describe_solution()
            .solution_arn(&arn)
            .send()
            .await
            .unwrap();
        let s = out.solution().unwrap();
        let schedule = s
            .solution_config()
            .and_then(|c| c.auto_training_config())
            .and_then(|a| a.scheduling_expression())
            .unwrap_or("-")
            .to_string();
        format!(
            "{}/{}/{:?}/{schedule}",
            s.status().unwrap(),
            s.latest_solution_update().unwrap().status().unwrap(),
            s.perform_auto_training()
        )
    };
    assert_eq!(
        lab.walk(seen).await,
        [
            "ACTIVE/CREATE PENDING/Some(false)/-",
            "ACTIVE/CREATE PENDING/Some(false)/-",
            "ACTIVE/CREATE IN_PROGRESS/Some(false)/-",
            "ACTIVE/CREATE IN_PROGRESS/Some(false)/-",
            "ACTIVE/ACTIVE/Some(true)/rate(3 days)"
        ]
    );
    for bad in ["rate(31 days)", "rate(0 days)", "cron(0 1 * * ? *)"] {
        assert_eq!(code(update(bad).await), "InvalidInputException", "{bad}");
    }
    // Training turned on: the first version comes a training delay later.
    lab.advance(TRAINING_MS - 1);
    assert_eq!(lab.automatic_versions(&arn).await, 0);
    lab.advance(1);
    assert_eq!(lab.automatic_versions(&arn).await, 1);
}

#[tokio::test]
async fn automatic_training_follows_its_schedule_when_data_arrived_since_the_last() {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let group = lab.group("custom", None).await;
    lab.data(&group, false).await;
    let auto = AutoTrainingConfig::builder()
        .scheduling_expression("rate(2 days)")
        .build();
    let config = SolutionConfig::builder().auto_training_config(auto).build();
    let out = c
        .create_solution()
        .name("scheduled")
        .dataset_group_arn(&group)
        .recipe_arn(USER_PERSONALIZATION)
        .solution_config(config)
        .send()
        .await;
    let arn = out.unwrap().solution_arn().unwrap().to_string();
    let out = c.describe_solution().solution_arn(&arn).send().await;
    let shown = out.unwrap().solution().unwrap().perform_auto_training();
    assert_eq!(shown, Some(true), "the API's default, shown");
    lab.advance(CREATE_MS + TRAINING_MS);
    assert_eq!(lab.automatic_versions(&arn).await, 1);
    let first = lab.emu.clock().now();
    // "Automatic training occurs only if you imported bulk or real-time
    // interaction data since the last training."
    lab.advance(2 * DAY_MS);
    assert_eq!(lab.automatic_versions(&arn).await, 1, "no new data");
    lab.data(&group, false).await;
    let third = first + 4 * DAY_MS;
    lab.advance(third - 1 - lab.emu.clock().now());
    assert_eq!(lab.automatic_versions(&arn).await, 1);
    lab.advance(1);
    assert_eq!(lab.automatic_versions(&arn).await, 2, "new data: trained");
    lab.advance(4 * DAY_MS);
    assert_eq!(lab.automatic_versions(&arn).await, 2, "none since");
    // Turned off, it trains no more.
    c.update_solution()
        .solution_arn(&arn)
        .perform_auto_training(false)
        .send()
        .await
        .unwrap();
    lab.data(&group, false).await;
    lab.advance(10 * DAY_MS);
    assert_eq!(lab.automatic_versions(&arn).await, 2);
}

#[tokio::test]
async fn a_doomed_update_ends_create_failed_with_its_reason_and_the_old_settings_stay() {
    let lab = Lab::new(Some("^doomed-")).await;
    let c = &lab.client;
    let shop = lab.group("shop", Some(Domain::Ecommerce)).await;
    lab.data(&shop, false).await;
    let recommender = create_recommender(c, "doomed-popular", &shop, POPULAR).await;
    let solution = lab.solution("doomed-personal", &shop, Some(false)).await;
    lab.advance(CREATE_MS);
    let version = create_solution_version(c, &solution).await;
    lab.advance(CREATE_MS);
    let campaign = create_campaign(c, "doomed-main", &version).await;
    lab.advance(CREATE_MS);
    let rps = |n| {
        RecommenderConfig::builder()
            .min_recommendation_requests_per_second(n)
            .build()
    };
    let update_recommender = |n| {
        c.update_recommender()
            .recommender_arn(&recommender)
            .recommender_config(rps(n))
            .send()
    };
    let update_solution = || {
        c.update_solution()
            .solution_arn(&solution)
            .perform_auto_training(true)
            .send()
    };
    let update_campaign = |tps| {
        c.update_campaign()
            .campaign_arn(&campaign)
            .min_provisioned_tps(tps)
            .send()
    };
    update_recommender(5).await.unwrap();
    update_solution().await.unwrap();
    update_campaign(5).await.unwrap();
    lab.advance(CREATE_MS);
    let r = c
        .describe_recommender()
        .recommender_arn(&recommender)
        .send()
        .await
        .unwrap();
    let r = r.recommender().unwrap();
    let s = c
        .describe_solution()
        .solution_arn(&solution)
        .send()
        .await
        .unwrap();
    let s = s.solution().unwrap();
    let k = c
        .describe_campaign()
        .campaign_arn(&campaign)
        .send()
        .await
        .unwrap();
    let k = k.campaign().unwrap();
    let latest = [
        r.latest_recommender_update()
            .map(|u| (u.status(), u.failure_reason())),
        s.latest_solution_update()
            .map(|u| (u.status(), u.failure_reason())),
        k.latest_campaign_update()
            .map(|u| (u.status(), u.failure_reason())),
    ];
    for (kind, update) in ["recommender", "solution", "campaign"].iter().zip(latest) {
        let (status, reason) = update.expect("a latest update");
        assert_eq!(status, Some("CREATE FAILED"), "{kind}");
        let reason = reason.expect("a failure reason");
        assert!(reason.contains(&format!("{kind} doomed-")), "{reason}");
    }
    assert_eq!(
        (r.status(), s.status(), k.status()),
        (Some("ACTIVE"), Some("ACTIVE"), Some("ACTIVE")),
        "the resources keep serving"
    );
    assert_eq!(
        r.recommender_config()
            .and_then(|c| c.min_recommendation_requests_per_second()),
        Some(1)
    );
    assert_eq!(s.perform_auto_training(), Some(false));
    assert_eq!(k.min_provisioned_tps(), Some(1));
    // A failed update has settled: the next one is taken (and fails too).
    update_recommender(2).await.unwrap();
    update_campaign(2).await.unwrap();
}

#[tokio::test]
async fn a_syncing_campaign_serves_each_newer_version_once_it_is_active() {
    let lab = Lab::new(None).await;
    let c = &lab.client;
    let group = lab.group("custom", None).await;
    lab.data(&group, false).await;
    let solution = lab.solution("personal", &group, Some(false)).await;
    lab.advance(CREATE_MS);
    let first = create_solution_version(c, &solution).await;
    lab.advance(CREATE_MS);
    let synced = CampaignConfig::builder()
        .sync_with_latest_solution_version(true)
        .build();
    let follows = c
        .create_campaign()
        .name("follows")
        .solution_version_arn(format!("{solution}/$LATEST"))
        .campaign_config(synced)
        .send()
        .await
        .unwrap()
        .campaign_arn()
        .unwrap()
        .to_string();
    let pinned = create_campaign(c, "pinned", &first).await;
    lab.advance(CREATE_MS);
    let served = |arn: String| async move {
        let out = c.describe_campaign().campaign_arn(arn).send().await;
        let campaign = out.unwrap().campaign().cloned().unwrap();
        campaign.solution_version_arn().unwrap().to_string()
    };
    assert_eq!(served(follows.clone()).await, first);
    let second = create_solution_version(c, &solution).await;
    lab.advance(CREATE_MS - 1);
    assert_eq!(served(follows.clone()).await, first, "the newer one trains");
    lab.advance(1);
    assert_eq!(served(follows.clone()).await, second, "ACTIVE: served");
    assert_eq!(
        served(pinned).await,
        first,
        "a campaign that does not sync stays"
    );
}
