//! What a change does to the bill. Personalize charges by the hour for a
//! campaign's provisioned TPS and a running recommender's minimum request
//! rate, and for every training (a solution's automatic training makes one
//! on a schedule); a reviewer should see each of those start, change or
//! stop. The planner gives each change its notes from the settings it
//! compares (a saved plan carries them as written), `dollars.rs` prices
//! them, and the plan's summary adds them up
//! (https://aws.amazon.com/personalize/pricing/).

use personalize_facts::pricing;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::dollars::{cents, Estimate};
use super::model::Plan;
use super::note::{CapacityUnit, Note};
use crate::resource::RecommenderState;
use crate::state::ChildConfig;

/// The billing notes of changing a child from `old` to `new` (each
/// `None`: absent, or its settings not read).
pub fn notes(old: Option<&ChildConfig>, new: Option<&ChildConfig>) -> Vec<Note> {
    let mut notes = Vec::new();
    if old.is_some() || new.is_some() {
        capacity(old, new, &mut notes);
        training(old, new, &mut notes);
        metadata(old, new, &mut notes);
    }
    notes
}

/// Hourly capacity: what is billed, if anything, while the resource exists.
fn hourly(c: &ChildConfig) -> Option<(i64, CapacityUnit)> {
    match c {
        ChildConfig::Campaign {
            min_provisioned_tps,
            ..
        } => Some((
            i64::from(*min_provisioned_tps),
            CapacityUnit::ProvisionedTps,
        )),
        ChildConfig::Recommender {
            recommender_config,
            state: RecommenderState::Running,
            ..
        } => {
            let rps = recommender_config
                .get("minRecommendationRequestsPerSecond")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            Some((rps, CapacityUnit::RecommendationRps))
        }
        _ => None,
    }
}

fn capacity(old: Option<&ChildConfig>, new: Option<&ChildConfig>, notes: &mut Vec<Note>) {
    let stopped = |c: Option<&ChildConfig>| {
        matches!(
            c,
            Some(ChildConfig::Recommender {
                state: RecommenderState::Stopped,
                ..
            })
        )
    };
    let note = match (old.and_then(hourly), new.and_then(hourly)) {
        (None, Some((amount, unit))) if stopped(old) => Note::BillingRestarts { amount, unit },
        (None, Some((amount, unit))) => Note::BillingStarts { amount, unit },
        (Some((amount, unit)), None) if stopped(new) => Note::BillingPaused { amount, unit },
        (Some((amount, unit)), None) => Note::BillingStops { amount, unit },
        (Some((was, unit)), Some((now, _))) if was != now => {
            Note::CapacityChanged { was, now, unit }
        }
        _ if old.is_none() && stopped(new) => Note::CreatedStopped,
        _ => return,
    };
    notes.push(note);
}

/// A solution's automatic training schedule, when it trains by itself.
fn schedule(c: Option<&ChildConfig>) -> Option<&Option<String>> {
    match c {
        Some(ChildConfig::Solution {
            perform_auto_training: true,
            scheduling_expression,
            ..
        }) => Some(scheduling_expression),
        _ => None,
    }
}

fn training(old: Option<&ChildConfig>, new: Option<&ChildConfig>, notes: &mut Vec<Note>) {
    let solution = |c: Option<&ChildConfig>| matches!(c, Some(ChildConfig::Solution { .. }));
    let note = match (schedule(old), schedule(new)) {
        (None, Some(at)) => Some(Note::AutomaticTraining {
            schedule: at.clone(),
        }),
        (Some(at), None) if solution(new) => Some(Note::AutomaticTrainingOff {
            schedule: at.clone(),
        }),
        (Some(at), None) => Some(Note::AutomaticTrainingEnds {
            schedule: at.clone(),
        }),
        (Some(was), Some(now)) if was != now => Some(Note::TrainingScheduleChanged {
            was: was.clone(),
            now: now.clone(),
        }),
        (None, None) if old.is_none() && solution(new) => Some(Note::ManualTraining),
        _ => None,
    };
    notes.extend(note);
    let hpo = |c: Option<&ChildConfig>| {
        matches!(
            c,
            Some(ChildConfig::Solution {
                perform_hpo: true,
                ..
            })
        )
    };
    if hpo(new) && !hpo(old) {
        notes.push(Note::Hpo);
    }
}

fn metadata(old: Option<&ChildConfig>, new: Option<&ChildConfig>, notes: &mut Vec<Note>) {
    let on = |c: Option<&ChildConfig>| {
        let config = match c {
            Some(ChildConfig::Campaign {
                campaign_config, ..
            }) => campaign_config,
            Some(ChildConfig::Recommender {
                recommender_config, ..
            }) => recommender_config,
            _ => return false,
        };
        config.get("enableMetadataWithRecommendations") == Some(&Value::Bool(true))
    };
    if on(new) && !on(old) {
        notes.push(Note::MetadataBilled);
    }
}

/// What a whole plan does to the bill, for its summary line and the JSON
/// document's `billing`. Derived from the notes, so never read back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Billing {
    /// Automatic training turned on somewhere.
    pub starts_training: bool,
    /// More capacity billed by the hour somewhere.
    pub raises_capacity: bool,
    /// What the priced hourly charges change per month, added up (each
    /// hourly price × 730); absent when none is priced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_per_month: Option<f64>,
    /// The price of a training hour, when a change trains and it is priced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_per_training_hour: Option<f64>,
    /// Charges that got no figure: nothing is published for them in the
    /// Region.
    pub not_estimated: usize,
    /// Whether pzr knows any published price in the plan's Region.
    pub region_priced: bool,
}

impl Billing {
    /// Whether the plan touches the bill at all.
    pub fn any(&self) -> bool {
        self.starts_training
            || self.raises_capacity
            || self.usd_per_month.is_some()
            || self.usd_per_training_hour.is_some()
            || self.not_estimated > 0
    }
}

impl Plan {
    /// What the plan does to the bill, from its changes' notes. A deferred
    /// create bills nothing yet.
    pub fn billing(&self) -> Billing {
        let notes = self
            .changes
            .iter()
            .filter(|c| c.deferred.is_none())
            .flat_map(|c| &c.notes);
        let mut all = Billing {
            region_priced: pricing::publishes(&self.region),
            ..Billing::default()
        };
        for priced in notes {
            all.starts_training |= priced.note.starts_training();
            all.raises_capacity |= priced.note.raises_capacity();
            match priced.estimate {
                Some(Estimate::UsdPerMonth(usd)) => {
                    all.usd_per_month = Some(cents(all.usd_per_month.unwrap_or_default() + usd));
                }
                Some(Estimate::UsdPerTrainingHour(usd)) => all.usd_per_training_hour = Some(usd),
                None if priced.not_estimated() => all.not_estimated += 1,
                None => {}
            }
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    fn campaign(tps: u32) -> ChildConfig {
        ChildConfig::Campaign {
            min_provisioned_tps: tps,
            campaign_config: Map::new(),
        }
    }

    fn solution(auto: bool) -> ChildConfig {
        ChildConfig::Solution {
            recipe_arn: "arn:aws:personalize:::recipe/aws-similar-items".into(),
            event_type: None,
            perform_hpo: false,
            solution_config: Map::new(),
            perform_auto_training: auto,
            scheduling_expression: auto.then(|| "rate(7 days)".to_string()),
        }
    }

    fn recommender(state: RecommenderState, rps: u32) -> ChildConfig {
        let config = json!({"minRecommendationRequestsPerSecond": rps});
        ChildConfig::Recommender {
            recipe_arn: "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views".into(),
            recommender_config: config.as_object().cloned().unwrap_or_default(),
            state,
        }
    }

    fn raises(notes: &[Note]) -> bool {
        notes.iter().any(Note::raises_capacity)
    }

    #[test]
    fn capacity_raised_by_a_new_campaign_or_a_higher_minimum() {
        let new = notes(None, Some(&campaign(1)));
        assert!(raises(&new));
        assert_eq!(
            new.iter().map(Note::to_string).collect::<Vec<_>>(),
            ["bills by the hour for at least 1 provisioned transactions per second, while it exists"]
        );
        assert!(raises(&notes(Some(&campaign(1)), Some(&campaign(5)))));
        let down = notes(Some(&campaign(5)), Some(&campaign(1)));
        assert!(!raises(&down));
        assert_eq!(down.len(), 1);
        assert!(notes(Some(&campaign(2)), Some(&campaign(2))).is_empty());
    }

    #[test]
    fn stopping_and_starting_a_recommender_are_billing_changes() {
        let (running, stopped) = (RecommenderState::Running, RecommenderState::Stopped);
        let stop = notes(
            Some(&recommender(running, 2)),
            Some(&recommender(stopped, 2)),
        );
        assert!(!raises(&stop));
        assert_eq!(stop[0].code(), "billing_paused", "{stop:?}");
        assert!(stop[0].to_string().starts_with("stops billing"));
        let start = notes(
            Some(&recommender(stopped, 2)),
            Some(&recommender(running, 2)),
        );
        assert!(raises(&start));
        assert!(
            start[0].to_string().starts_with("starts billing again"),
            "{start:?}"
        );
    }

    #[test]
    fn automatic_training_turned_on_is_flagged() {
        let on = notes(Some(&solution(false)), Some(&solution(true)));
        assert!(on.iter().any(Note::starts_training));
        let off = notes(Some(&solution(true)), Some(&solution(false)));
        assert!(!off.iter().any(Note::starts_training));
        assert!(off[0].to_string().starts_with("turns off"), "{off:?}");
        let created = notes(None, Some(&solution(true)));
        assert!(created.iter().any(Note::starts_training));
        let filter = ChildConfig::Filter {
            expression: "x".into(),
        };
        assert!(notes(None, Some(&filter)).is_empty());
    }
}
