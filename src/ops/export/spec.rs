//! `pzr export`: a spec that describes live dataset groups, so they can be
//! brought under management (adopted) or a lost spec recovered. Pure:
//! `ops::export` reads for it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::avro;
use crate::plan::{campaign_key, child_key};
use crate::resource::{owner, Kind, RecommenderState};
use crate::rules::recipes;
use crate::spec::{
    campaign_name, dataset_name, event_tracker_name, filter_name, metric_attribution_name,
    recommender_name, solution_name, CampaignSpec, DatasetGroupSpec, DatasetSpec, DatasetsSpec,
    EventTrackerSpec, FilterSpec, ImportMode, ImportSpec, MetricAttributionSpec, RecommenderSpec,
    SchemaSpec, SolutionSpec, SpecFile, TrainingSpec,
};
use crate::state::{ChildConfig, LiveChild, LiveGroup, LiveState};
use crate::STACK_TAG;

/// Builds a spec for `groups` (all read in detail, with their datasets'
/// schema definitions and their children's details). Groups not owned by
/// `stack` are marked `adopt: true`; their untagged children are taken
/// with them, as adoption takes them over.
pub fn spec_for(stack: &str, live: &LiveState, groups: &[&LiveGroup]) -> SpecFile {
    let mut schemas: BTreeMap<String, SchemaSpec> = BTreeMap::new();
    let mut keys_by_arn: BTreeMap<String, String> = BTreeMap::new();
    let mut dataset_groups = Vec::new();
    for g in groups {
        let mut datasets = DatasetsSpec::default();
        for d in &g.datasets {
            let Some(schema) = live.schema_by_arn(&d.schema_arn) else {
                continue;
            };
            let key = match keys_by_arn.get(&schema.arn) {
                Some(k) => k.clone(),
                None => {
                    let taken: BTreeSet<String> = schemas.keys().cloned().collect();
                    let key = schema_key(stack, &schema.name, &taken);
                    let definition = schema
                        .definition
                        .as_deref()
                        .and_then(|t| serde_json::from_str::<Value>(t).ok());
                    schemas.insert(
                        key.clone(),
                        SchemaSpec {
                            file: None,
                            definition,
                            domain: schema.domain,
                        },
                    );
                    keys_by_arn.insert(schema.arn.clone(), key.clone());
                    key
                }
            };
            let mut spec = DatasetSpec {
                schema: key,
                name: Some(d.name.clone()),
                tags: user_tags(&d.tags),
                // Where its bulk data came from: the latest ACTIVE import's.
                import: d.latest_active_import().and_then(|i| {
                    Some(ImportSpec {
                        from: i.data_location.clone()?,
                        role_arn: i.role_arn.clone(),
                        mode: ImportMode::default(),
                    })
                }),
                streamed: false,
            };
            if dataset_name(
                &g.name,
                d.dataset_type,
                &DatasetSpec {
                    name: None,
                    ..spec.clone()
                },
            ) == d.name
            {
                spec.name = None;
            }
            datasets.set(d.dataset_type, spec);
        }
        let details = g.details.clone().unwrap_or_default();
        let adopt = adopts(stack, g);
        let children = children_spec(stack, g);
        dataset_groups.push(DatasetGroupSpec {
            name: g.name.clone(),
            domain: g.domain,
            kms_key_arn: details.kms_key_arn,
            role_arn: details.role_arn,
            tags: user_tags(&g.tags),
            // The tag an applied `protect: true` left.
            protect: crate::resource::protected(&g.tags),
            adopt,
            datasets,
            event_tracker: children.event_tracker,
            filters: children.filters,
            recommenders: children.recommenders,
            solutions: children.solutions,
            metric_attribution: children.metric_attribution,
        });
    }
    SpecFile {
        version: 1,
        stack: stack.to_string(),
        region: Some(live.region.clone()).filter(|r| !r.is_empty()),
        ignore_tags: Vec::new(),
        schemas,
        dataset_groups,
        sandbox: None,
    }
}

/// The children of `g` an export of `stack` takes: its own, and in a group it adopts those nobody owns, as
/// adoption takes them over.
pub fn taken_children<'a>(stack: &'a str, g: &'a LiveGroup) -> impl Iterator<Item = &'a LiveChild> {
    let adopt = adopts(stack, g);
    g.children
        .iter()
        .filter(move |c| match c.tags.as_ref().and_then(owner) {
            Some(s) => s == stack,
            None => adopt,
        })
}

/// Whether an export of `stack` marks `g` `adopt: true`.
fn adopts(stack: &str, g: &LiveGroup) -> bool {
    g.stack() != Some(stack)
}

/// The children of a group's spec.
#[derive(Default)]
struct Children {
    event_tracker: Option<EventTrackerSpec>,
    filters: BTreeMap<String, FilterSpec>,
    recommenders: BTreeMap<String, RecommenderSpec>,
    solutions: BTreeMap<String, SolutionSpec>,
    metric_attribution: Option<MetricAttributionSpec>,
}

/// The children of `g` a spec of `stack` manages (`taken_children`). A child whose
/// settings were not read is left out, and so is a campaign whose solution
/// is not exported (a spec declares campaigns under their solution).
fn children_spec(stack: &str, g: &LiveGroup) -> Children {
    let taken: Vec<&LiveChild> = taken_children(stack, g).collect();
    let mut out = Children::default();
    // Solutions first: campaigns go under theirs, found by ARN.
    let mut solution_keys: BTreeMap<&str, String> = BTreeMap::new();
    for c in &taken {
        let tags = user_tags(&c.tags.clone().unwrap_or_default());
        // A tracker has no settings: its Describe is not needed.
        let config = match c.kind {
            Kind::EventTracker => Some(ChildConfig::EventTracker),
            _ => c.config(),
        };
        match config {
            Some(ChildConfig::EventTracker) => {
                let mut spec = EventTrackerSpec { name: None, tags };
                if event_tracker_name(&g.name, &spec) != c.name {
                    spec.name = Some(c.name.clone());
                }
                out.event_tracker = Some(spec);
            }
            Some(ChildConfig::Filter { expression }) => {
                let key = new_key(child_key(&g.name, &c.name), &out.filters);
                let mut spec = FilterSpec {
                    expression,
                    name: None,
                    tags,
                };
                if filter_name(&g.name, &key, &spec) != c.name {
                    spec.name = Some(c.name.clone());
                }
                out.filters.insert(key, spec);
            }
            Some(ChildConfig::Recommender {
                recipe_arn,
                recommender_config,
                state,
            }) => {
                let key = new_key(child_key(&g.name, &c.name), &out.recommenders);
                let mut spec = recommender_spec(&recipe_arn, &recommender_config, state, tags);
                if recommender_name(&g.name, &key, &spec) != c.name {
                    spec.name = Some(c.name.clone());
                }
                out.recommenders.insert(key, spec);
            }
            Some(config @ ChildConfig::Solution { .. }) => {
                let key = new_key(child_key(&g.name, &c.name), &out.solutions);
                let Some(mut spec) = solution_spec(config, tags) else {
                    continue;
                };
                if solution_name(&g.name, &key, &spec) != c.name {
                    spec.name = Some(c.name.clone());
                }
                solution_keys.insert(&c.arn, key.clone());
                out.solutions.insert(key, spec);
            }
            Some(ChildConfig::MetricAttribution { metrics, output }) => {
                let mut spec = MetricAttributionSpec {
                    name: None,
                    metrics,
                    output,
                };
                if metric_attribution_name(&g.name, &spec) != c.name {
                    spec.name = Some(c.name.clone());
                }
                out.metric_attribution = Some(spec);
            }
            Some(ChildConfig::Campaign { .. }) | None => {}
        }
    }
    for c in &taken {
        let Some(ChildConfig::Campaign {
            min_provisioned_tps,
            campaign_config,
        }) = c.config()
        else {
            continue;
        };
        let Some(solution_key) = c.solution.as_deref().and_then(|arn| solution_keys.get(arn))
        else {
            continue;
        };
        let Some(solution) = out.solutions.get_mut(solution_key) else {
            continue;
        };
        let key = new_key(
            campaign_key(&g.name, solution_key, &c.name),
            &solution.campaigns,
        );
        let tags = user_tags(&c.tags.clone().unwrap_or_default());
        let mut spec = campaign_spec(min_provisioned_tps, &campaign_config, tags);
        if campaign_name(&g.name, solution_key, &key, &spec) != c.name {
            spec.name = Some(c.name.clone());
        }
        solution.campaigns.insert(key, spec);
    }
    out
}

/// A spec key for a live child, unique among the keys already in `taken`.
fn new_key<T>(name: &str, taken: &BTreeMap<String, T>) -> String {
    let keys: BTreeSet<String> = taken.keys().cloned().collect();
    spec_key(name, &keys)
}

/// A recipe as a spec names it: its short name where pzr knows the ARN.
fn recipe(arn: &str) -> String {
    recipes::find(arn).map_or_else(|| arn.to_string(), |r| r.name.to_string())
}

/// An `itemExplorationConfig` as the spec's map of strings.
fn strings(config: &Map<String, Value>, member: &str) -> BTreeMap<String, String> {
    config
        .get(member)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            (k.clone(), text)
        })
        .collect()
}

/// A boolean member that is on (`None` is the API's default, off).
fn on(config: &Map<String, Value>, member: &str) -> Option<bool> {
    (config.get(member) == Some(&Value::Bool(true))).then_some(true)
}

/// A minimum rate, left out at the API's default of 1.
fn above_one(n: Option<u64>) -> Option<u32> {
    n.filter(|n| *n != 1).and_then(|n| u32::try_from(n).ok())
}

fn recommender_spec(
    recipe_arn: &str,
    config: &Map<String, Value>,
    state: RecommenderState,
    tags: BTreeMap<String, String>,
) -> RecommenderSpec {
    RecommenderSpec {
        recipe: recipe(recipe_arn),
        name: None,
        min_recommendation_requests_per_second: above_one(
            config
                .get("minRecommendationRequestsPerSecond")
                .and_then(Value::as_u64),
        ),
        item_exploration: strings(config, "itemExplorationConfig"),
        enable_metadata_with_recommendations: on(config, "enableMetadataWithRecommendations"),
        training_data_config: config
            .get("trainingDataConfig")
            .and_then(|t| serde_json::from_value(t.clone()).ok()),
        state,
        tags,
    }
}

/// A solution's spec; `None` for another kind's config.
fn solution_spec(config: ChildConfig, tags: BTreeMap<String, String>) -> Option<SolutionSpec> {
    let ChildConfig::Solution {
        recipe_arn,
        event_type,
        perform_hpo,
        solution_config,
        perform_auto_training,
        scheduling_expression,
    } = config
    else {
        return None;
    };
    Some(SolutionSpec {
        recipe: recipe(&recipe_arn),
        event_type,
        perform_hpo,
        config: solution_config,
        // Written out, default schedule included: training is billed, so
        // the exported spec states it.
        training: TrainingSpec {
            automatic: perform_auto_training,
            schedule: scheduling_expression.filter(|_| perform_auto_training),
            // pzr's own rule, not recorded in the account.
            on_new_data: false,
        },
        name: None,
        tags,
        campaigns: BTreeMap::new(),
    })
}

fn campaign_spec(
    min_provisioned_tps: u32,
    config: &Map<String, Value>,
    tags: BTreeMap<String, String>,
) -> CampaignSpec {
    CampaignSpec {
        min_provisioned_tps: above_one(Some(u64::from(min_provisioned_tps))),
        sync_with_latest_solution_version: on(config, "syncWithLatestSolutionVersion")
            .unwrap_or(false),
        item_exploration: strings(config, "itemExplorationConfig"),
        enable_metadata_with_recommendations: on(config, "enableMetadataWithRecommendations"),
        name: None,
        tags,
    }
}

/// The tags a spec writes: not the ones pzr sets itself (`pzr:stack`,
/// `pzr:protect`).
fn user_tags(tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    tags.iter()
        .filter(|(k, _)| k.as_str() != STACK_TAG && k.as_str() != crate::resource::PROTECT_TAG)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The spec key of a live schema: its own key when it is a managed schema of
/// `stack` (so its content-addressed name survives the round trip), else a
/// key made from its name, unique among `taken`.
fn schema_key(stack: &str, name: &str, taken: &BTreeSet<String>) -> String {
    if let Some(key) = avro::managed_schema_key(stack, name).filter(|k| !taken.contains(*k)) {
        return key.to_string();
    }
    spec_key(name, taken)
}

/// A spec key (`^[a-z0-9][a-z0-9-]{0,19}$`) made from `name`, unique among `taken`.
fn spec_key(name: &str, taken: &BTreeSet<String>) -> String {
    let mut base: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .chars()
        .take(16)
        .collect();
    if base.is_empty() {
        base = "schema".into();
    }
    let base = base.trim_end_matches('-').to_string();
    (0..)
        .map(|i| {
            if i == 0 {
                base.clone()
            } else {
                format!("{base}-{i}")
            }
        })
        .find(|k| !taken.contains(k))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn child(kind: &str, name: &str, tags: Value, served: ChildConfig) -> Value {
        json!({
            "kind": kind, "name": name, "arn": format!("arn:{kind}/{name}"),
            "status": "ACTIVE", "tags": tags, "details": {"served": served},
        })
    }

    /// A group nobody owns, adopted: its untagged children come with it,
    /// another stack's stay out, and so does a campaign whose solution is
    /// another stack's (it could only be declared under it).
    #[test]
    fn adopting_takes_untagged_children_and_campaigns_only_under_exported_solutions() {
        let solution = |recipe: &str| ChildConfig::Solution {
            recipe_arn: recipe.to_string(),
            event_type: None,
            perform_hpo: false,
            solution_config: Map::new(),
            perform_auto_training: false,
            scheduling_expression: None,
        };
        let campaign = ChildConfig::Campaign {
            min_provisioned_tps: 1,
            campaign_config: Map::new(),
        };
        let mut theirs = child(
            "campaign",
            "legacy-theirs-main",
            json!({}),
            campaign.clone(),
        );
        theirs["solution"] = json!("arn:solution/legacy-theirs");
        let mut ours = child("campaign", "legacy-sims-main", json!({}), campaign);
        ours["solution"] = json!("arn:solution/legacy-sims");
        let group: LiveGroup = serde_json::from_value(json!({
            "name": "legacy", "arn": "arn:group/legacy", "status": "ACTIVE",
            "domain": null, "lastUpdated": null, "tags": {}, "details": null,
            "datasets": [],
            "children": [
                child("solution", "legacy-sims", json!({"team": "ml"}),
                      solution("arn:aws:personalize:::recipe/aws-similar-items")),
                child("solution", "legacy-theirs", json!({"pzr:stack": "other"}),
                      solution("arn:aws:personalize:::recipe/aws-similar-items")),
                child("solution", "by-hand", json!({}), solution("arn:custom/recipe")),
                theirs,
                ours,
            ],
        }))
        .unwrap();
        let live = LiveState::default();
        let spec = spec_for("shop", &live, &[&group]);
        let g = &spec.dataset_groups[0];
        assert!(g.adopt);
        let keys: Vec<&str> = g.solutions.keys().map(String::as_str).collect();
        assert_eq!(keys, ["by-hand", "sims"]);
        assert_eq!(g.solutions["by-hand"].recipe, "arn:custom/recipe");
        assert_eq!(g.solutions["by-hand"].name.as_deref(), Some("by-hand"));
        assert_eq!(g.solutions["sims"].recipe, "aws-similar-items");
        assert_eq!(g.solutions["sims"].tags["team"], "ml");
        let campaigns: Vec<&str> = g.solutions["sims"]
            .campaigns
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(campaigns, ["main"]);
        assert!(g.solutions["sims"].campaigns["main"].name.is_none());
    }

    #[test]
    fn schema_keys_are_valid_and_unique() {
        let taken: BTreeSet<String> = ["items".to_string()].into();
        assert_eq!(
            schema_key("s", "s_items_0123abcd", &BTreeSet::new()),
            "items"
        );
        assert_eq!(
            schema_key("s", "s_items_0123abcd", &taken),
            "s-items-0123abcd"
        );
        assert_eq!(schema_key("s", "Items", &taken), "items-1");
        assert_eq!(schema_key("s", "__", &BTreeSet::new()), "schema");
        assert!(schema_key("s", "A_Very_Long_Schema_Name_Indeed", &BTreeSet::new()).len() <= 20);
        assert_eq!(spec_key("not-bought", &BTreeSet::new()), "not-bought");
        assert_eq!(spec_key("Not_Bought", &BTreeSet::new()), "not-bought");
    }
}
