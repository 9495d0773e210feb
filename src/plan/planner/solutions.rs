//! Solutions and their campaigns, addressed by their spec keys
//! (`solution.<group>.<key>`, `campaign.<group>.<solution key>.<key>`).
//! UpdateSolution changes automatic training in place; a new recipe, event
//! type or config replaces the solution, losing its trained versions (and
//! its campaigns with it). UpdateCampaign changes a campaign's TPS and
//! config in place.

use serde_json::{json, Map, Value};

use super::pairing::{Facts, Wanted};
use super::recommenders::recipe_arn;
use crate::plan::Reason;
use crate::resource::{normalized, Address, Kind};
use crate::spec::{campaign_name, solution_name, CampaignSpec, DatasetGroupSpec, SolutionSpec};
use crate::state::{ChildConfig, LiveChild, LiveGroup, DEFAULT_SCHEDULE};

pub(super) static SOLUTION_FACTS: Facts = Facts {
    destroys: Some(Reason::TrainedVersionsLost),
    gap: None,
    in_place: &["performAutoTraining", "schedulingExpression"],
};

pub(super) static CAMPAIGN_FACTS: Facts = Facts {
    destroys: Some(Reason::ServingStops),
    gap: None,
    in_place: &["minProvisionedTPS", "campaignConfig"],
};

/// The solutions `g` declares, each followed by its campaigns.
pub(super) fn wanted(g: &DatasetGroupSpec) -> Vec<Wanted> {
    let mut out = Vec::new();
    for (key, s) in &g.solutions {
        out.push(Wanted {
            address: Address::child(Kind::Solution, &g.name, key),
            name: solution_name(&g.name, key, s),
            config: solution_config(s),
            tags: s.tags.clone(),
            solution: None,
        });
        out.extend(s.campaigns.iter().map(|(campaign, c)| Wanted {
            address: Address::campaign(&g.name, key, campaign),
            name: campaign_name(&g.name, key, campaign, c),
            config: campaign_config(c),
            tags: c.tags.clone(),
            solution: Some(key.clone()),
        }));
    }
    out
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => normalized(map),
        _ => Map::new(),
    }
}

fn solution_config(s: &SolutionSpec) -> ChildConfig {
    let automatic = s.training.automatic;
    ChildConfig::Solution {
        recipe_arn: recipe_arn(&s.recipe),
        event_type: s.event_type.clone(),
        perform_hpo: s.perform_hpo,
        solution_config: object(Value::Object(s.config.clone())),
        perform_auto_training: automatic,
        scheduling_expression: automatic.then(|| {
            s.training
                .schedule
                .clone()
                .unwrap_or_else(|| DEFAULT_SCHEDULE.to_string())
        }),
    }
}

fn campaign_config(c: &CampaignSpec) -> ChildConfig {
    ChildConfig::Campaign {
        min_provisioned_tps: c.min_provisioned_tps.unwrap_or(1),
        campaign_config: object(json!({
            "itemExplorationConfig": c.item_exploration,
            "enableMetadataWithRecommendations": c.enable_metadata_with_recommendations,
            "syncWithLatestSolutionVersion": c.sync_with_latest_solution_version,
        })),
    }
}

/// Why live campaign `c` of group `l` must be replaced to be `w` besides
/// its own settings: it serves another solution than the spec's (a
/// campaign deploys versions of one solution), or its solution is being
/// deleted (`going` holds the ARNs this plan deletes).
pub(super) fn moved_campaign(
    g: &DatasetGroupSpec,
    l: &LiveGroup,
    w: &Wanted,
    c: &LiveChild,
    going: &[&str],
) -> Option<Reason> {
    let key = w.solution.as_deref()?;
    let wanted = g
        .solutions
        .get(key)
        .map(|s| solution_name(&g.name, key, s))?;
    let live = live_solution_of(l, c)?;
    if live.name != wanted {
        Some(Reason::ForcesReplacement {
            field: "solution".into(),
            from: live.name.clone(),
            to: wanted,
        })
    } else if going.contains(&live.arn.as_str()) {
        Some(Reason::SolutionReplaced { solution: wanted })
    } else {
        None
    }
}

/// The live solution campaign `c` of group `l` serves.
pub(super) fn live_solution_of<'a>(l: &'a LiveGroup, c: &LiveChild) -> Option<&'a LiveChild> {
    let arn = c.solution.as_deref()?;
    l.children_of(Kind::Solution).find(|s| s.arn == arn)
}

/// The key a spec gives a live campaign named `name` of solution
/// `solution` (its key) in group `group`: its name without the
/// `<group>-<solution>-` of default names.
pub fn campaign_key<'a>(group: &str, solution: &str, name: &'a str) -> &'a str {
    name.strip_prefix(group)
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|rest| rest.strip_prefix(solution))
        .and_then(|rest| rest.strip_prefix('-'))
        .filter(|key| !key.is_empty())
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_keys_undo_default_names() {
        assert_eq!(
            campaign_key("shop", "personal", "shop-personal-main"),
            "main"
        );
        assert_eq!(
            campaign_key("shop", "personal", "shop-other-main"),
            "shop-other-main"
        );
        assert_eq!(
            campaign_key("shop", "personal", "shop-personal-"),
            "shop-personal-"
        );
    }
}
