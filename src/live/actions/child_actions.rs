//! The SDK calls of the children a spec declares: creating each kind
//! (finding the one an interrupted apply made), and the serving kinds'
//! updates, stop/start and first training.

use super::super::request::Personalize;
use super::super::{config, metric_attribution, read, LimitRetry};
use super::{api_tags, ExistingChild, LiveError};
use crate::resource::Kind;
use crate::state::{ChildConfig, Tags};

pub(super) async fn create_child(
    client: &Personalize,
    name: &str,
    parent_arn: &str,
    config: &ChildConfig,
    tags: &Tags,
) -> Result<(String, Option<ExistingChild>), LiveError> {
    let all_tags = tags;
    let tags = Some(api_tags(tags));
    let created = match config {
        ChildConfig::EventTracker => client
            .send("CreateEventTracker", name, |c| {
                c.create_event_tracker()
                    .name(name)
                    .dataset_group_arn(parent_arn)
                    .set_tags(tags.clone())
                    .send()
            })
            .await
            .map(|o| o.event_tracker_arn().unwrap_or_default().to_string()),
        ChildConfig::Filter { expression } => client
            .send("CreateFilter", name, |c| {
                c.create_filter()
                    .name(name)
                    .dataset_group_arn(parent_arn)
                    .filter_expression(expression)
                    .set_tags(tags.clone())
                    .send()
            })
            .await
            .map(|o| o.filter_arn().unwrap_or_default().to_string()),
        ChildConfig::Recommender {
            recipe_arn,
            recommender_config,
            ..
        } => client
            .send("CreateRecommender", name, |c| {
                c.create_recommender()
                    .name(name)
                    .dataset_group_arn(parent_arn)
                    .recipe_arn(recipe_arn)
                    .recommender_config(config::recommender_config(recommender_config))
                    .set_tags(tags.clone())
                    .send()
            })
            .await
            .map(|o| o.recommender_arn().unwrap_or_default().to_string()),
        ChildConfig::Solution {
            recipe_arn,
            event_type,
            perform_hpo,
            solution_config,
            perform_auto_training,
            scheduling_expression,
        } => client
            .send("CreateSolution", name, |c| {
                c.create_solution()
                    .name(name)
                    .dataset_group_arn(parent_arn)
                    .recipe_arn(recipe_arn)
                    .set_event_type(event_type.clone())
                    .perform_hpo(*perform_hpo)
                    .perform_auto_training(*perform_auto_training)
                    .solution_config(config::solution_config(
                        solution_config,
                        scheduling_expression.as_deref(),
                    ))
                    .set_tags(tags.clone())
                    .send()
            })
            .await
            .map(|o| o.solution_arn().unwrap_or_default().to_string()),
        ChildConfig::Campaign {
            min_provisioned_tps,
            campaign_config,
        } => client
            .send("CreateCampaign", name, |c| {
                c.create_campaign()
                    .name(name)
                    .solution_version_arn(parent_arn)
                    .min_provisioned_tps(*min_provisioned_tps as i32)
                    .campaign_config(config::campaign_config(campaign_config))
                    .set_tags(tags.clone())
                    .send()
            })
            .await
            .map(|o| o.campaign_arn().unwrap_or_default().to_string()),
        ChildConfig::MetricAttribution { metrics, output } => {
            metric_attribution::create(client, name, parent_arn, metrics, output).await
        }
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
        // One that cannot be tagged is the group's owner's: the plan that
        // creates it in the group owns the group.
        _ => read::list_managed_children(client, parent_arn, all_tags, None)
            .await?
            .into_iter()
            // The one of a one-per-group kind; the others by name.
            .find(|c| c.kind == kind && (kind.info().one_per_group || c.name == name)),
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
    client: &Personalize,
    arn: &str,
    config: &ChildConfig,
    solution_version: Option<&str>,
) -> Result<(), LiveError> {
    match config {
        ChildConfig::Recommender {
            recommender_config, ..
        } => client
            .send("UpdateRecommender", arn, |c| {
                c.update_recommender()
                    .recommender_arn(arn)
                    .recommender_config(config::recommender_config(recommender_config))
                    .send()
            })
            .await
            .map(|_| ()),
        ChildConfig::Solution {
            perform_auto_training,
            scheduling_expression,
            ..
        } => client
            .send("UpdateSolution", arn, |c| {
                c.update_solution()
                    .solution_arn(arn)
                    .perform_auto_training(*perform_auto_training)
                    .set_solution_update_config(config::solution_update(
                        scheduling_expression.as_deref(),
                    ))
                    .send()
            })
            .await
            .map(|_| ()),
        ChildConfig::Campaign {
            min_provisioned_tps,
            campaign_config,
        } => client
            .send("UpdateCampaign", arn, |c| {
                c.update_campaign()
                    .campaign_arn(arn)
                    .set_solution_version_arn(solution_version.map(str::to_string))
                    .min_provisioned_tps(*min_provisioned_tps as i32)
                    .campaign_config(config::campaign_config(campaign_config))
                    .send()
            })
            .await
            .map(|_| ()),
        ChildConfig::MetricAttribution { metrics, output } => {
            metric_attribution::update(client, arn, metrics, output).await
        }
        ChildConfig::EventTracker | ChildConfig::Filter { .. } => Ok(()),
    }
}

pub(super) async fn set_recommender_state(
    client: &Personalize,
    arn: &str,
    running: bool,
) -> Result<(), LiveError> {
    if running {
        client
            .send("StartRecommender", arn, |c| {
                c.start_recommender().recommender_arn(arn).send()
            })
            .await
            .map(|_| ())
    } else {
        client
            .send("StopRecommender", arn, |c| {
                c.stop_recommender().recommender_arn(arn).send()
            })
            .await
            .map(|_| ())
    }
}

pub(super) async fn create_solution_version(
    client: &Personalize,
    solution_arn: &str,
) -> Result<String, LiveError> {
    // Paced, but a quota refusal is not retried: the quota is on trainings
    // in progress, which end in hours (apply defers the training).
    let once = client.with_retry(LimitRetry {
        attempts: 1,
        ..client.retry()
    });
    let created = once.send("CreateSolutionVersion", solution_arn, |c| {
        c.create_solution_version()
            .solution_arn(solution_arn)
            .send()
    });
    let version = created.await?;
    Ok(version
        .solution_version_arn()
        .unwrap_or_default()
        .to_string())
}
