//! What a change does to the bill. Personalize charges by the hour for a
//! campaign's provisioned TPS and a running recommender's minimum request
//! rate, and for every training (a solution's automatic training makes one
//! on a schedule); a reviewer should see each of those start, change or
//! stop. Read from the values a change shows, so a saved plan tells the
//! same (https://aws.amazon.com/personalize/pricing/).

use serde_json::Value;

use super::model::{Change, Plan};
use crate::live::ChildConfig;
use crate::resource::{Kind, RecommenderState};

/// The billing side of one change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    pub notes: Vec<String>,
    /// Automatic training turned on (a new solution's, or an existing one's).
    pub starts_training: bool,
    /// More capacity billed by the hour: a new campaign or running
    /// recommender, a higher minimum, a recommender started.
    pub raises_capacity: bool,
}

/// The settings a change's value shows, as the kind's config.
fn config_of(kind: Kind, value: Option<&Value>) -> Option<ChildConfig> {
    let mut fields = value?.as_object()?.clone();
    let tag = serde_json::to_value(kind).ok()?;
    fields.insert("kind".into(), tag);
    serde_json::from_value(Value::Object(fields)).ok()
}

/// What changing a `kind` from `before` to `after` (each a change's value;
/// `None`: absent) does to the bill.
pub fn effects(kind: Kind, before: Option<&Value>, after: Option<&Value>) -> Effects {
    let (b, a) = (config_of(kind, before), config_of(kind, after));
    let mut e = Effects::default();
    match (b.as_ref(), a.as_ref()) {
        (None, None) => {}
        (old, new) => {
            capacity(old, new, &mut e);
            training(old, new, &mut e);
            metadata(old, new, &mut e);
        }
    }
    e
}

/// Hourly capacity: what is billed, if anything, while the resource exists.
fn hourly(c: &ChildConfig) -> Option<(i64, &'static str)> {
    match c {
        ChildConfig::Campaign {
            min_provisioned_tps,
            ..
        } => Some((
            i64::from(*min_provisioned_tps),
            "provisioned transactions per second",
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
            Some((rps, "recommendation requests per second"))
        }
        _ => None,
    }
}

fn capacity(old: Option<&ChildConfig>, new: Option<&ChildConfig>, e: &mut Effects) {
    let stopped = |c: Option<&ChildConfig>| {
        matches!(
            c,
            Some(ChildConfig::Recommender {
                state: RecommenderState::Stopped,
                ..
            })
        )
    };
    match (old.and_then(hourly), new.and_then(hourly)) {
        (None, Some((n, what))) => {
            e.raises_capacity = true;
            let start = if stopped(old) { "starts billing again" } else { "bills" };
            e.notes.push(format!(
                "{start} by the hour for at least {n} {what}, while it exists"
            ));
        }
        (Some((n, what)), None) if stopped(new) => e.notes.push(format!(
            "stops billing by the hour for its {n} {what} while stopped (the recommender stays, trained)"
        )),
        (Some((n, what)), None) => e
            .notes
            .push(format!("stops billing by the hour for its {n} {what}")),
        (Some((was, what)), Some((now, _))) if was != now => {
            e.raises_capacity |= now > was;
            e.notes.push(format!(
                "billed by the hour for at least {now} {what} (was {was})"
            ));
        }
        _ if old.is_none() && stopped(new) => e.notes.push(
            "created stopped: its training is billed, then nothing by the hour until it is started".into(),
        ),
        _ => {}
    }
}

fn schedule(c: Option<&ChildConfig>) -> Option<&str> {
    match c {
        Some(ChildConfig::Solution {
            perform_auto_training: true,
            scheduling_expression,
            ..
        }) => Some(
            scheduling_expression
                .as_deref()
                .unwrap_or("on the default schedule"),
        ),
        _ => None,
    }
}

fn training(old: Option<&ChildConfig>, new: Option<&ChildConfig>, e: &mut Effects) {
    let solution = |c: Option<&ChildConfig>| matches!(c, Some(ChildConfig::Solution { .. }));
    match (schedule(old), schedule(new)) {
        (None, Some(at)) => {
            e.starts_training = true;
            e.notes.push(format!(
                "automatic training {at}: every run trains a new version, billed per training hour"
            ));
        }
        (Some(at), None) if solution(new) => e.notes.push(format!(
            "turns off automatic training ({at}): no more scheduled training charges"
        )),
        (Some(at), None) => e.notes.push(format!("ends its automatic training ({at})")),
        (Some(was), Some(now)) if was != now => e.notes.push(format!(
            "automatic training {now} (was {was}): each run is billed per training hour"
        )),
        (None, None) if old.is_none() && solution(new) => e.notes.push(
            "no automatic training: versions are trained, and billed, only when asked".into(),
        ),
        _ => {}
    }
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
        e.notes
            .push("hyperparameter optimisation: each training runs (and bills) longer".into());
    }
}

fn metadata(old: Option<&ChildConfig>, new: Option<&ChildConfig>, e: &mut Effects) {
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
        e.notes
            .push("recommendations with item metadata are billed extra".into());
    }
}

impl Plan {
    /// What the whole plan does to the bill, for its summary line.
    pub fn billing(&self) -> Effects {
        let mut all = Effects::default();
        for c in &self.changes {
            let e = change_effects(c);
            all.starts_training |= e.starts_training;
            all.raises_capacity |= e.raises_capacity;
        }
        all
    }
}

/// A change's billing side. A deferred create bills nothing yet.
pub fn change_effects(c: &Change) -> Effects {
    if c.deferred.is_some() {
        return Effects::default();
    }
    effects(c.address.kind(), c.before.as_ref(), c.after.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn campaign(tps: u32) -> Value {
        json!({"name": "c", "minProvisionedTPS": tps, "campaignConfig": {}, "tags": {}})
    }

    fn solution(auto: bool) -> Value {
        let mut v = json!({"name": "s", "recipeArn": "arn:aws:personalize:::recipe/aws-similar-items",
            "performHPO": false, "solutionConfig": {}, "performAutoTraining": auto});
        if auto {
            v["schedulingExpression"] = json!("rate(7 days)");
        }
        v
    }

    fn recommender(state: &str, rps: u32) -> Value {
        json!({"name": "r", "recipeArn": "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views",
            "recommenderConfig": {"minRecommendationRequestsPerSecond": rps}, "state": state})
    }

    #[test]
    fn capacity_raised_by_a_new_campaign_or_a_higher_minimum() {
        let new = effects(Kind::Campaign, None, Some(&campaign(1)));
        assert!(new.raises_capacity);
        assert_eq!(new.notes, ["bills by the hour for at least 1 provisioned transactions per second, while it exists"]);
        let up = effects(Kind::Campaign, Some(&campaign(1)), Some(&campaign(5)));
        assert!(up.raises_capacity);
        let down = effects(Kind::Campaign, Some(&campaign(5)), Some(&campaign(1)));
        assert!(!down.raises_capacity);
        assert_eq!(down.notes.len(), 1);
        assert!(
            effects(Kind::Campaign, Some(&campaign(2)), Some(&campaign(2)))
                .notes
                .is_empty()
        );
    }

    #[test]
    fn stopping_and_starting_a_recommender_are_billing_changes() {
        let stop = effects(
            Kind::Recommender,
            Some(&recommender("running", 2)),
            Some(&recommender("stopped", 2)),
        );
        assert!(!stop.raises_capacity);
        assert!(stop.notes[0].starts_with("stops billing"), "{stop:?}");
        let start = effects(
            Kind::Recommender,
            Some(&recommender("stopped", 2)),
            Some(&recommender("running", 2)),
        );
        assert!(start.raises_capacity);
        assert!(
            start.notes[0].starts_with("starts billing again"),
            "{start:?}"
        );
    }

    #[test]
    fn automatic_training_turned_on_is_flagged() {
        let on = effects(
            Kind::Solution,
            Some(&solution(false)),
            Some(&solution(true)),
        );
        assert!(on.starts_training);
        let off = effects(
            Kind::Solution,
            Some(&solution(true)),
            Some(&solution(false)),
        );
        assert!(!off.starts_training);
        assert!(off.notes[0].starts_with("turns off"), "{off:?}");
        let created = effects(Kind::Solution, None, Some(&solution(true)));
        assert!(created.starts_training);
        assert!(
            effects(Kind::Filter, None, Some(&json!({"expression": "x"})))
                .notes
                .is_empty()
        );
    }
}
