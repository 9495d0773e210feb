//! The SDK calls of the children a spec declares: creating each kind
//! (finding the one an interrupted apply made), and the serving kinds'
//! updates, stop/start and first training.

use aws_sdk_personalize::Client;

use super::super::model::{ChildConfig, Tags};
use super::super::{config, read};
use super::{api_tags, ExistingChild, LiveError};
use crate::resource::Kind;

pub(super) async fn create_child(
    client: &Client,
    name: &str,
    parent_arn: &str,
    config: &ChildConfig,
    tags: &Tags,
) -> Result<(String, Option<ExistingChild>), LiveError> {
    let tags = Some(api_tags(tags));
    let created = match config {
        ChildConfig::EventTracker => send!(
            client
                .create_event_tracker()
                .name(name)
                .dataset_group_arn(parent_arn)
                .set_tags(tags),
            "CreateEventTracker",
            name
        )
        .map(|o| o.event_tracker_arn().unwrap_or_default().to_string()),
        ChildConfig::Filter { expression } => send!(
            client
                .create_filter()
                .name(name)
                .dataset_group_arn(parent_arn)
                .filter_expression(expression)
                .set_tags(tags),
            "CreateFilter",
            name
        )
        .map(|o| o.filter_arn().unwrap_or_default().to_string()),
        ChildConfig::Recommender {
            recipe_arn,
            recommender_config,
            ..
        } => send!(
            client
                .create_recommender()
                .name(name)
                .dataset_group_arn(parent_arn)
                .recipe_arn(recipe_arn)
                .recommender_config(config::recommender_config(recommender_config))
                .set_tags(tags),
            "CreateRecommender",
            name
        )
        .map(|o| o.recommender_arn().unwrap_or_default().to_string()),
        ChildConfig::Solution {
            recipe_arn,
            event_type,
            perform_hpo,
            solution_config,
            perform_auto_training,
            scheduling_expression,
        } => send!(
            client
                .create_solution()
                .name(name)
                .dataset_group_arn(parent_arn)
                .recipe_arn(recipe_arn)
                .set_event_type(event_type.clone())
                .perform_hpo(*perform_hpo)
                .perform_auto_training(*perform_auto_training)
                .solution_config(config::solution_config(
                    solution_config,
                    scheduling_expression.as_deref()
                ))
                .set_tags(tags),
            "CreateSolution",
            name
        )
        .map(|o| o.solution_arn().unwrap_or_default().to_string()),
        ChildConfig::Campaign {
            min_provisioned_tps,
            campaign_config,
        } => send!(
            client
                .create_campaign()
                .name(name)
                .solution_version_arn(parent_arn)
                .min_provisioned_tps(*min_provisioned_tps as i32)
                .campaign_config(config::campaign_config(campaign_config))
                .set_tags(tags),
            "CreateCampaign",
            name
        )
        .map(|o| o.campaign_arn().unwrap_or_default().to_string()),
    };
    let err = match created {
        Ok(arn) => return Ok((arn, None)),
        Err(e) if e.is_already_exists() => e,
        Err(e) => return Err(e),
    };
    let kind = config.kind();
    let existing = match kind {
        // Names are unique per kind in a region; campaigns are listed
        // per solution, so the whole region's list is searched by name.
        Kind::Campaign => read::find_campaign(client, name).await?,
        _ => read::list_managed_children(client, parent_arn, None)
            .await?
            .into_iter()
            // One per group for trackers; the others by name.
            .find(|c| c.kind == kind && (kind == Kind::EventTracker || c.name == name)),
    };
    let Some(mut c) = existing else {
        return Err(err);
    };
    c.details = read::child_details(client, &c.arn).await?;
    let config = c.config();
    Ok((
        c.arn,
        Some(ExistingChild {
            name: c.name,
            tags: c.tags.unwrap_or_default(),
            config,
        }),
    ))
}

pub(super) async fn update_child(
    client: &Client,
    arn: &str,
    config: &ChildConfig,
    solution_version: Option<&str>,
) -> Result<(), LiveError> {
    match config {
        ChildConfig::Recommender {
            recommender_config, ..
        } => send!(
            client
                .update_recommender()
                .recommender_arn(arn)
                .recommender_config(config::recommender_config(recommender_config)),
            "UpdateRecommender",
            arn
        )
        .map(|_| ()),
        ChildConfig::Solution {
            perform_auto_training,
            scheduling_expression,
            ..
        } => send!(
            client
                .update_solution()
                .solution_arn(arn)
                .perform_auto_training(*perform_auto_training)
                .set_solution_update_config(config::solution_update(
                    scheduling_expression.as_deref()
                )),
            "UpdateSolution",
            arn
        )
        .map(|_| ()),
        ChildConfig::Campaign {
            min_provisioned_tps,
            campaign_config,
        } => send!(
            client
                .update_campaign()
                .campaign_arn(arn)
                .set_solution_version_arn(solution_version.map(str::to_string))
                .min_provisioned_tps(*min_provisioned_tps as i32)
                .campaign_config(config::campaign_config(campaign_config)),
            "UpdateCampaign",
            arn
        )
        .map(|_| ()),
        ChildConfig::EventTracker | ChildConfig::Filter { .. } => Ok(()),
    }
}

pub(super) async fn set_recommender_state(
    client: &Client,
    arn: &str,
    running: bool,
) -> Result<(), LiveError> {
    if running {
        send!(
            client.start_recommender().recommender_arn(arn),
            "StartRecommender",
            arn
        )
        .map(|_| ())
    } else {
        send!(
            client.stop_recommender().recommender_arn(arn),
            "StopRecommender",
            arn
        )
        .map(|_| ())
    }
}

pub(super) async fn create_solution_version(
    client: &Client,
    solution_arn: &str,
) -> Result<String, LiveError> {
    send!(
        client.create_solution_version().solution_arn(solution_arn),
        "CreateSolutionVersion",
        solution_arn
    )
    .map(|o| o.solution_version_arn().unwrap_or_default().to_string())
}
