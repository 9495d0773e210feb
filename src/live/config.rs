//! The API's config structures (`recommenderConfig`, `solutionConfig`,
//! `campaignConfig`) to and from the camelCase maps specs and plans hold,
//! in `resource::normalized` form. The SDK's types have no serde, so each
//! member is spelled once here, both ways.

use std::collections::HashMap;

use aws_sdk_personalize::types::{
    AutoTrainingConfig, CampaignConfig, EventParameters, EventsConfig, ObjectiveSensitivity,
    OptimizationObjective, RecommenderConfig, SolutionConfig, SolutionUpdateConfig,
    TrainingDataConfig,
};
use serde_json::{json, Map, Value};

use crate::resource::normalized;

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => normalized(map),
        _ => Map::new(),
    }
}

fn strings(value: Option<&Value>) -> Option<HashMap<String, String>> {
    let map = value?.as_object()?;
    Some(
        map.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                )
            })
            .collect(),
    )
}

fn columns(value: Option<&Value>) -> Option<HashMap<String, Vec<String>>> {
    let map = value?.as_object()?;
    Some(
        map.iter()
            .map(|(k, v)| {
                let names = v.as_array().into_iter().flatten();
                (
                    k.clone(),
                    names
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect(),
                )
            })
            .collect(),
    )
}

fn flag(config: &Map<String, Value>, member: &str) -> Option<bool> {
    config.get(member).and_then(Value::as_bool)
}

fn training_data_map(t: &TrainingDataConfig) -> Value {
    json!({
        "excludedDatasetColumns": t.excluded_dataset_columns(),
        "includedDatasetColumns": t.included_dataset_columns(),
    })
}

fn training_data(value: Option<&Value>) -> Option<TrainingDataConfig> {
    let v = value?;
    Some(
        TrainingDataConfig::builder()
            .set_excluded_dataset_columns(columns(v.get("excludedDatasetColumns")))
            .set_included_dataset_columns(columns(v.get("includedDatasetColumns")))
            .build(),
    )
}

pub fn recommender_map(c: &RecommenderConfig) -> Map<String, Value> {
    object(json!({
        "itemExplorationConfig": c.item_exploration_config(),
        "minRecommendationRequestsPerSecond": c.min_recommendation_requests_per_second(),
        "trainingDataConfig": c.training_data_config().map(training_data_map),
        "enableMetadataWithRecommendations": c.enable_metadata_with_recommendations(),
    }))
}

pub fn recommender_config(c: &Map<String, Value>) -> RecommenderConfig {
    let rps = c
        .get("minRecommendationRequestsPerSecond")
        .and_then(Value::as_i64);
    RecommenderConfig::builder()
        .set_item_exploration_config(strings(c.get("itemExplorationConfig")))
        .set_min_recommendation_requests_per_second(rps.map(|n| n as i32))
        .set_training_data_config(training_data(c.get("trainingDataConfig")))
        .set_enable_metadata_with_recommendations(flag(c, "enableMetadataWithRecommendations"))
        .build()
}

pub fn campaign_map(c: &CampaignConfig) -> Map<String, Value> {
    object(json!({
        "itemExplorationConfig": c.item_exploration_config(),
        "enableMetadataWithRecommendations": c.enable_metadata_with_recommendations(),
        "syncWithLatestSolutionVersion": c.sync_with_latest_solution_version(),
    }))
}

pub fn campaign_config(c: &Map<String, Value>) -> CampaignConfig {
    CampaignConfig::builder()
        .set_item_exploration_config(strings(c.get("itemExplorationConfig")))
        .set_enable_metadata_with_recommendations(flag(c, "enableMetadataWithRecommendations"))
        .set_sync_with_latest_solution_version(flag(c, "syncWithLatestSolutionVersion"))
        .build()
}

/// A `solutionConfig` as the map of its members other than
/// `autoTrainingConfig`, and that one's schedule.
pub fn solution_map(c: &SolutionConfig) -> (Map<String, Value>, Option<String>) {
    let events = c.events_config().map(|e| {
        let list: Vec<Value> = e
            .event_parameters_list()
            .iter()
            .map(|p| {
                json!({
                    "eventType": p.event_type(),
                    "eventValueThreshold": p.event_value_threshold(),
                    "weight": p.weight(),
                })
            })
            .collect();
        json!({ "eventParametersList": list })
    });
    let objective = c.optimization_objective().map(|o| {
        json!({
            "itemAttribute": o.item_attribute(),
            "objectiveSensitivity": o.objective_sensitivity().map(|s| s.as_str()),
        })
    });
    let map = object(json!({
        "eventValueThreshold": c.event_value_threshold(),
        "algorithmHyperParameters": c.algorithm_hyper_parameters(),
        "featureTransformationParameters": c.feature_transformation_parameters(),
        "eventsConfig": events,
        "optimizationObjective": objective,
        "trainingDataConfig": c.training_data_config().map(training_data_map),
    }));
    let schedule = c
        .auto_training_config()
        .and_then(|a| a.scheduling_expression())
        .map(str::to_string);
    (map, schedule)
}

fn events(value: Option<&Value>) -> Option<EventsConfig> {
    let list = value?.get("eventParametersList")?.as_array()?;
    let parameters = list.iter().map(|p| {
        EventParameters::builder()
            .set_event_type(
                p.get("eventType")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            )
            .set_event_value_threshold(p.get("eventValueThreshold").and_then(Value::as_f64))
            .set_weight(p.get("weight").and_then(Value::as_f64))
            .build()
    });
    Some(
        EventsConfig::builder()
            .set_event_parameters_list(Some(parameters.collect()))
            .build(),
    )
}

fn auto_training(schedule: Option<&str>) -> Option<AutoTrainingConfig> {
    schedule.map(|s| {
        AutoTrainingConfig::builder()
            .scheduling_expression(s)
            .build()
    })
}

pub fn solution_config(c: &Map<String, Value>, schedule: Option<&str>) -> SolutionConfig {
    let objective = c.get("optimizationObjective").map(|o| {
        OptimizationObjective::builder()
            .set_item_attribute(
                o.get("itemAttribute")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            )
            .set_objective_sensitivity(
                o.get("objectiveSensitivity")
                    .and_then(Value::as_str)
                    .map(ObjectiveSensitivity::from),
            )
            .build()
    });
    SolutionConfig::builder()
        .set_event_value_threshold(
            c.get("eventValueThreshold")
                .and_then(Value::as_str)
                .map(str::to_string),
        )
        .set_algorithm_hyper_parameters(strings(c.get("algorithmHyperParameters")))
        .set_feature_transformation_parameters(strings(c.get("featureTransformationParameters")))
        .set_events_config(events(c.get("eventsConfig")))
        .set_optimization_objective(objective)
        .set_training_data_config(training_data(c.get("trainingDataConfig")))
        .set_auto_training_config(auto_training(schedule))
        .build()
}

/// UpdateSolution's `solutionUpdateConfig` for a schedule.
pub fn solution_update(schedule: Option<&str>) -> Option<SolutionUpdateConfig> {
    auto_training(schedule).map(|a| {
        SolutionUpdateConfig::builder()
            .auto_training_config(a)
            .build()
    })
}
