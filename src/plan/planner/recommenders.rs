//! Recommenders, addressed by their spec key. UpdateRecommender changes
//! `recommenderConfig` in place and Stop/StartRecommender its state; a new
//! recipe or name replaces it, losing its trained model.

use serde_json::{json, Map, Value};

use super::pairing::{Facts, Wanted};
use crate::plan::Reason;
use crate::resource::{normalized, Address, Kind};
use crate::rules::recipes;
use crate::spec::{recommender_name, DatasetGroupSpec, RecommenderSpec};
use crate::state::ChildConfig;

pub(super) static FACTS: Facts = Facts {
    destroys: Some(Reason::TrainedModelLost),
    gap: None,
    in_place: &["recommenderConfig", "state"],
};

/// The recommenders `g` declares, by key.
pub(super) fn wanted(g: &DatasetGroupSpec) -> Vec<Wanted> {
    g.recommenders
        .iter()
        .map(|(key, r)| Wanted {
            address: Address::child(Kind::Recommender, &g.name, key),
            name: recommender_name(&g.name, key, r),
            config: ChildConfig::Recommender {
                recipe_arn: recipe_arn(&r.recipe),
                recommender_config: config(r),
                state: r.state,
            },
            tags: r.tags.clone(),
            solution: None,
        })
        .collect()
}

/// A recipe by name or ARN, as its ARN (an unknown one as written: the
/// spec's checks refused it already).
pub(super) fn recipe_arn(recipe: &str) -> String {
    recipes::find(recipe).map_or_else(|| recipe.to_string(), |r| r.arn())
}

/// The spec's `recommenderConfig`, with the API's default minimum rate
/// written out, as Describe shows it.
fn config(r: &RecommenderSpec) -> Map<String, Value> {
    let config = json!({
        "minRecommendationRequestsPerSecond": r.min_recommendation_requests_per_second.unwrap_or(1),
        "itemExplorationConfig": r.item_exploration,
        "trainingDataConfig": r.training_data_config,
        "enableMetadataWithRecommendations": r.enable_metadata_with_recommendations,
    });
    match config {
        Value::Object(map) => normalized(map),
        _ => Map::new(),
    }
}
