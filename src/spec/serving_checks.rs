//! Offline checks of what serves recommendations from a dataset group: its
//! recommenders (domain groups only, each a use case of the group's domain),
//! its solutions (a custom recipe, `training` stated, `config` as the API
//! model's `solutionConfig`) and their campaigns. Keys, names, tags and
//! per-group quotas as for the other children.

use std::collections::HashMap;

use serde_json::Value;

use super::checks::check_tags;
use super::locate::{child_index, child_key, Issue};
use super::tracker_filter_checks::{check_key_and_name, check_quota, unique};
use super::{
    campaign_name, recommender_name, solution_name, CampaignSpec, DatasetGroupSpec,
    RecommenderSpec, SolutionSpec, SpecFile, TrainingDataConfig,
};
use crate::resource::Domain;
use crate::rules::did_you_mean;
use crate::rules::recipes::{self, Recipe};
use crate::rules::serving_limits::{
    self, source, EXPLORATION_KEYS, MAX_CAMPAIGNS_PER_GROUP, MAX_RECOMMENDERS_PER_GROUP,
    MAX_SOLUTIONS_PER_GROUP, MIN_TPS,
};
use crate::rules::shape::{self, Mismatch, Shape, Step};
use crate::rules::solution_config::{self, Support};

/// `eventType`: "Maximum length of 256" (API_CreateSolution.html).
const MAX_EVENT_TYPE_CHARS: usize = 256;

/// Names → the path that uses each first, per kind, across the spec.
#[derive(Default)]
struct Names {
    recommenders: HashMap<String, String>,
    solutions: HashMap<String, String>,
    campaigns: HashMap<String, String>,
}

/// Findings about every group's recommenders, solutions and campaigns.
pub fn check(spec: &SpecFile) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut names = Names::default();
    for (i, group) in spec.dataset_groups.iter().enumerate() {
        let path = child_index("datasetGroups", i);
        check_recommenders(group, &path, &mut names, &mut issues);
        check_solutions(group, &path, &mut names, &mut issues);
    }
    issues
}

fn check_recommenders(
    group: &DatasetGroupSpec,
    path: &str,
    names: &mut Names,
    issues: &mut Vec<Issue>,
) {
    if group.recommenders.is_empty() {
        return;
    }
    let recommenders_path = child_key(path, "recommenders");
    check_quota(
        group.recommenders.len(),
        MAX_RECOMMENDERS_PER_GROUP,
        &recommenders_path,
        "recommenders",
        issues,
    );
    if group.domain.is_none() {
        issues.push(Issue::key(
            &recommenders_path,
            format!("dataset group `{}` is a custom group, and recommenders serve only domain groups", group.name),
            format!(
                "give the group a `domain` (ECOMMERCE or VIDEO_ON_DEMAND), or declare a solution with a campaign under `solutions:` (rule: {})",
                source::USE_CASES[0]
            ),
        ).depending_on(child_key(path, "domain")));
    }
    for (key, recommender) in &group.recommenders {
        let rec_path = child_key(&recommenders_path, key);
        let name = recommender_name(&group.name, key, recommender);
        check_key_and_name(
            key,
            recommender.name.as_deref(),
            &name,
            &rec_path,
            "recommender",
            issues,
        );
        unique(
            &mut names.recommenders,
            name,
            &rec_path,
            "recommender",
            issues,
        );
        check_tags(&recommender.tags, &child_key(&rec_path, "tags"), issues);
        if let Some(domain) = group.domain {
            check_use_case(recommender, domain, &rec_path, path, issues);
        }
        check_min_tps(
            recommender.min_recommendation_requests_per_second,
            &child_key(&rec_path, "minRecommendationRequestsPerSecond"),
            source::RECOMMENDER_CONFIG,
            issues,
        );
        check_exploration(
            &recommender.item_exploration,
            &child_key(&rec_path, "itemExploration"),
            source::RECOMMENDER_CONFIG,
            issues,
        );
        if let Some(config) = &recommender.training_data_config {
            check_training_data(config, &child_key(&rec_path, "trainingDataConfig"), issues);
        }
    }
}

/// A recommender's recipe: a use case of its group's domain, by name or ARN.
fn check_use_case(
    recommender: &RecommenderSpec,
    domain: Domain,
    path: &str,
    group_path: &str,
    issues: &mut Vec<Issue>,
) {
    let recipe_path = child_key(path, "recipe");
    let use_cases: Vec<&'static str> = recipes::use_cases(domain).map(|r| r.name).collect();
    let page = match domain {
        Domain::Ecommerce => source::USE_CASES[0],
        Domain::VideoOnDemand => source::USE_CASES[1],
    };
    let listed = format!("{} (rule: {page})", use_cases.join(", "));
    let written = recommender.recipe.as_str();
    let issue = match recipes::find(written).filter(|r| written_as_name_or_arn(r, written)) {
        None => Issue::value(
            &recipe_path,
            format!("unknown recipe `{written}`"),
            match did_you_mean(bare(written), use_cases.iter().copied()) {
                Some(close) => format!("did you mean `{close}`? use cases of {domain}: {listed}"),
                None => format!("a recommender takes a use case of {domain}: {listed}"),
            },
        ),
        Some(recipe) if recipe.domain == Some(domain) => return,
        Some(recipe) => match recipe.domain {
            Some(other) => Issue::value(
                &recipe_path,
                format!("`{written}` is a use case of {other}, and this group's domain is {domain}"),
                format!("use a use case of {domain}: {listed}"),
            )
            .depending_on(child_key(group_path, "domain")),
            None => Issue::value(
                &recipe_path,
                format!("`{written}` is a custom recipe, and a recommender takes a use case"),
                format!("declare a solution with a campaign under `solutions:` for custom recipes, or use a use case of {domain}: {listed}"),
            ),
        },
    };
    issues.push(issue);
}

/// The recipe's name without the ARN prefix.
fn bare(written: &str) -> &str {
    written.strip_prefix(recipes::ARN_PREFIX).unwrap_or(written)
}

/// Whether `written` is the recipe's name or its full ARN (not some other
/// string ending in its name).
fn written_as_name_or_arn(recipe: &Recipe, written: &str) -> bool {
    written == recipe.name || written == recipe.arn()
}

fn check_solutions(
    group: &DatasetGroupSpec,
    path: &str,
    names: &mut Names,
    issues: &mut Vec<Issue>,
) {
    if group.solutions.is_empty() {
        return;
    }
    let solutions_path = child_key(path, "solutions");
    check_quota(
        group.solutions.len(),
        MAX_SOLUTIONS_PER_GROUP,
        &solutions_path,
        "solutions",
        issues,
    );
    let campaigns: usize = group.solutions.values().map(|s| s.campaigns.len()).sum();
    if campaigns > MAX_CAMPAIGNS_PER_GROUP {
        issues.push(Issue::key(
            &solutions_path,
            format!("the group's solutions have {campaigns} campaigns, but a dataset group holds at most {MAX_CAMPAIGNS_PER_GROUP}"),
            format!("keep at most {MAX_CAMPAIGNS_PER_GROUP} campaigns across the group's solutions (rule: {})", source::LIMITS),
        ));
    }
    for (key, solution) in &group.solutions {
        let solution_path = child_key(&solutions_path, key);
        let name = solution_name(&group.name, key, solution);
        check_key_and_name(
            key,
            solution.name.as_deref(),
            &name,
            &solution_path,
            "solution",
            issues,
        );
        unique(
            &mut names.solutions,
            name,
            &solution_path,
            "solution",
            issues,
        );
        check_tags(&solution.tags, &child_key(&solution_path, "tags"), issues);
        check_recipe(solution, &solution_path, issues);
        if let Some(event_type) = &solution.event_type {
            if event_type.chars().count() > MAX_EVENT_TYPE_CHARS {
                issues.push(Issue::value(
                    child_key(&solution_path, "eventType"),
                    format!("eventType is longer than {MAX_EVENT_TYPE_CHARS} characters"),
                    "use the event type your interactions record",
                ));
            }
        }
        check_training(solution, &solution_path, issues);
        check_config(solution, &child_key(&solution_path, "config"), issues);
        for (campaign_key, campaign) in &solution.campaigns {
            let campaign_path = child_key(&child_key(&solution_path, "campaigns"), campaign_key);
            check_campaign(
                group,
                key,
                campaign_key,
                campaign,
                &campaign_path,
                names,
                issues,
            );
        }
    }
}

/// A solution's recipe: a custom recipe, by name or ARN.
fn check_recipe(solution: &SolutionSpec, path: &str, issues: &mut Vec<Issue>) {
    let recipe_path = child_key(path, "recipe");
    let written = solution.recipe.as_str();
    let custom: Vec<&'static str> = recipes::RECIPES
        .iter()
        .filter(|r| !r.is_use_case())
        .map(|r| r.name)
        .collect();
    match recipes::find(written).filter(|r| written_as_name_or_arn(r, written)) {
        Some(recipe) if !recipe.is_use_case() => {}
        Some(recipe) => issues.push(Issue::value(
            &recipe_path,
            format!(
                "`{written}` is a use case of {}, and a solution takes a custom recipe",
                recipe.domain.map_or("a domain", Domain::as_api)
            ),
            format!("declare a recommender under `recommenders:` of a domain group for use cases, or use a custom recipe: {} (rule: {})", custom.join(", "), source::RECIPES),
        )),
        None => issues.push(Issue::value(
            &recipe_path,
            format!("unknown recipe `{written}`"),
            match did_you_mean(bare(written), custom.iter().copied()) {
                Some(close) => format!("did you mean `{close}`? (rule: {})", source::RECIPES),
                None => format!(
                    "a solution takes a custom recipe's name or ARN: {} (rule: {})",
                    custom.join(", "),
                    source::RECIPES
                ),
            },
        )),
    }
}

/// `training.schedule`: only with automatic training, in the API's form.
fn check_training(solution: &SolutionSpec, path: &str, issues: &mut Vec<Issue>) {
    let training_path = child_key(path, "training");
    let Some(schedule) = &solution.training.schedule else {
        return;
    };
    let schedule_path = child_key(&training_path, "schedule");
    if !solution.training.automatic {
        issues.push(
            Issue::value(
                &schedule_path,
                "a schedule with `automatic: false` would be ignored: nothing retrains the solution",
                "remove `schedule`, or set `automatic: true` to retrain (and pay for) a new version on it",
            )
            .depending_on(child_key(&training_path, "automatic")),
        );
    } else if let Some(message) = serving_limits::check_schedule(schedule) {
        issues.push(Issue::value(
            &schedule_path,
            message,
            format!(
                "write `rate(N days)` with N from 1 to 30, e.g. `rate(7 days)` (rule: {})",
                source::AUTO_TRAINING
            ),
        ));
    }
}

/// `config`: members of the API's `solutionConfig` that pzr manages, each
/// value in its shape.
fn check_config(solution: &SolutionSpec, path: &str, issues: &mut Vec<Issue>) {
    let names: Vec<&str> = solution_config::MEMBERS.iter().map(|m| m.name).collect();
    for (key, value) in &solution.config {
        let member_path = child_key(path, key);
        let Some(member) = solution_config::member(key) else {
            let hint = match did_you_mean(key, names.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("solutionConfig's members: {}", names.join(", ")),
            };
            issues.push(Issue::key(
                &member_path,
                format!("unknown solutionConfig member `{key}`"),
                format!("{hint} (rule: {})", solution_config::SOURCE),
            ));
            continue;
        };
        match &member.support {
            Support::Config(shape) => {
                check_shape(value, shape, &member_path, solution_config::SOURCE, issues)
            }
            Support::Elsewhere(instead) => issues.push(Issue::key(
                &member_path,
                format!("`{key}` is written as `{instead}` in a pzr spec"),
                "remove it from `config` and write `training: {automatic: true, schedule: \"rate(7 days)\"}`",
            )),
            Support::NotYet(why) => issues.push(Issue::key(
                &member_path,
                format!("`{key}` is not supported by pzr yet"),
                *why,
            )),
        }
    }
}

/// Every mismatch of `value` with `shape`, at its path below `path`;
/// `page` documents the shape.
fn check_shape(value: &Value, shape: &Shape, path: &str, page: &str, issues: &mut Vec<Issue>) {
    for Mismatch {
        steps,
        at_key,
        message,
        hint,
    } in shape::check(value, shape)
    {
        let at = steps.iter().fold(path.to_string(), |p, step| match step {
            Step::Key(k) => child_key(&p, k),
            Step::Index(i) => child_index(&p, *i),
        });
        let hint = format!("{hint} (rule: {page})");
        issues.push(if at_key {
            Issue::key(at, message, hint)
        } else {
            Issue::value(at, message, hint)
        });
    }
}

fn check_training_data(config: &TrainingDataConfig, path: &str, issues: &mut Vec<Issue>) {
    // Serialising the typed form cannot fail: maps of strings to lists of strings.
    let value = serde_json::to_value(config).unwrap_or_default();
    let shape = &solution_config::TRAINING_DATA_CONFIG;
    check_shape(&value, shape, path, source::RECOMMENDER_CONFIG, issues);
}

fn check_campaign(
    group: &DatasetGroupSpec,
    solution_key: &str,
    key: &str,
    campaign: &CampaignSpec,
    path: &str,
    names: &mut Names,
    issues: &mut Vec<Issue>,
) {
    let name = campaign_name(&group.name, solution_key, key, campaign);
    check_key_and_name(
        key,
        campaign.name.as_deref(),
        &name,
        path,
        "campaign",
        issues,
    );
    unique(&mut names.campaigns, name, path, "campaign", issues);
    check_tags(&campaign.tags, &child_key(path, "tags"), issues);
    check_min_tps(
        campaign.min_provisioned_tps,
        &child_key(path, "minProvisionedTPS"),
        source::CREATE_CAMPAIGN,
        issues,
    );
    check_exploration(
        &campaign.item_exploration,
        &child_key(path, "itemExploration"),
        source::CAMPAIGN_CONFIG,
        issues,
    );
}

/// A minimum capacity: at least 1 (API shape `TransactionsPerSecond`).
fn check_min_tps(value: Option<u32>, path: &str, page: &str, issues: &mut Vec<Issue>) {
    if value.is_some_and(|v| v < MIN_TPS) {
        issues.push(Issue::value(
            path,
            format!("the minimum is {MIN_TPS}"),
            format!("write {MIN_TPS} or more (billed per hour whether used or not), or leave it out for the API's default of {MIN_TPS} (rule: {page})"),
        ));
    }
}

/// `itemExploration`: the two keys the API takes, each a number in range.
fn check_exploration(
    exploration: &std::collections::BTreeMap<String, String>,
    path: &str,
    page: &str,
    issues: &mut Vec<Issue>,
) {
    for (key, value) in exploration {
        let entry_path = child_key(path, key);
        if !EXPLORATION_KEYS.contains(&key.as_str()) {
            let hint = match did_you_mean(key, EXPLORATION_KEYS) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("keys: {}", EXPLORATION_KEYS.join(", ")),
            };
            issues.push(Issue::key(
                &entry_path,
                format!("unknown item exploration key `{key}`"),
                format!("{hint} (rule: {page})"),
            ));
        } else if let Some(message) = serving_limits::check_exploration(key, value) {
            issues.push(Issue::value(
                &entry_path,
                message,
                format!(
                    "explorationWeight is from 0 (none) to 1 (most), default 0.3; explorationItemAgeCutOff is a number of days, default 30 (rule: {})",
                    source::EXPLORATION
                ),
            ));
        }
    }
}
