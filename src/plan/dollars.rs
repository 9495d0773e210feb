//! What a note costs in the plan's Region, in dollars: the one place a
//! figure is made, from the prices Personalize publishes
//! (`personalize_facts::pricing`). The planner prices each note as it
//! records it (the Region is the plan's), so a saved plan shows the figures
//! it was made with. A note whose charge has no published price in the
//! Region (any charge outside the priced Regions, a recommender's anywhere)
//! gets no figure.

use std::fmt;

use personalize_facts::pricing::{self, Item, HOURS_PER_MONTH};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::note::{CapacityUnit, Note};

/// A note's figure: what an hourly charge changes per month (hourly × 730,
/// negative when it falls), or the price per training hour of the trainings
/// it starts (their length is not known before they run).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Estimate {
    UsdPerMonth(f64),
    UsdPerTrainingHour(f64),
}

/// A note with its figure, as a change carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PricedNote {
    #[serde(flatten)]
    pub note: Note,
    /// Its figure in the plan's Region; absent when it has none (it bills
    /// nothing, or nothing is published for its charge there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
}

/// How a note bills: per hour for so many units more (or fewer) of
/// capacity, or per training hour.
enum Charge {
    Hourly { unit: CapacityUnit, delta: i64 },
    Training,
}

fn charge(note: &Note) -> Option<Charge> {
    let hourly = |unit: CapacityUnit, delta: i64| Some(Charge::Hourly { unit, delta });
    match note {
        Note::BillingStarts { amount, unit } | Note::BillingRestarts { amount, unit } => {
            hourly(*unit, *amount)
        }
        Note::BillingStops { amount, unit } | Note::BillingPaused { amount, unit } => {
            hourly(*unit, -amount)
        }
        Note::CapacityChanged { was, now, unit } => hourly(*unit, now - was),
        Note::AutomaticTraining { .. }
        | Note::TrainingScheduleChanged { .. }
        | Note::ManualTraining
        | Note::Hpo
        | Note::TrainsFirstVersion { .. }
        | Note::TrainsNewVersion { .. } => Some(Charge::Training),
        _ => None,
    }
}

/// The published item an hourly unit is billed as. Recommenders have none:
/// their price is not set by the request rate a spec gives.
fn item(unit: CapacityUnit) -> Option<Item> {
    match unit {
        CapacityUnit::ProvisionedTps => Some(Item::TpsHour),
        CapacityUnit::RecommendationRps => None,
    }
}

/// Dollars rounded to the cent, so sums of figures print as they add up.
pub(super) fn cents(usd: f64) -> f64 {
    (usd * 100.0).round() / 100.0
}

impl PricedNote {
    /// `note` with its figure in `region`, when Personalize publishes one.
    pub fn new(note: Note, region: &str) -> PricedNote {
        let estimate = match charge(&note) {
            Some(Charge::Hourly { unit, delta }) => item(unit)
                .and_then(|item| pricing::price(region, item))
                .map(|p| Estimate::UsdPerMonth(cents(delta as f64 * p.usd * HOURS_PER_MONTH))),
            Some(Charge::Training) => pricing::price(region, Item::TrainingHour)
                .map(|p| Estimate::UsdPerTrainingHour(p.usd)),
            None => None,
        };
        PricedNote { note, estimate }
    }

    /// A charge that got no figure: nothing is published for it here.
    pub fn not_estimated(&self) -> bool {
        self.estimate.is_none() && charge(&self.note).is_some()
    }
}

/// Dollars as people read them: `$146.00`.
pub struct Usd(pub f64);

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${:.2}", self.0)
    }
}

/// A change in dollars, signed: `+$146.00`, `-$146.00`.
pub struct Delta(pub f64);

impl fmt::Display for Delta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0.0 { '-' } else { '+' };
        write!(f, "{sign}{}", Usd(self.0.abs()))
    }
}

impl fmt::Display for PricedNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.estimate {
            Some(Estimate::UsdPerMonth(usd)) => {
                write!(f, "{} (about {}/month)", self.note, Delta(usd))
            }
            Some(Estimate::UsdPerTrainingHour(usd)) => {
                write!(f, "{} (at {} per training hour)", self.note, Usd(usd))
            }
            None => self.note.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign(amount: i64) -> Note {
        Note::BillingStarts {
            amount,
            unit: CapacityUnit::ProvisionedTps,
        }
    }

    #[test]
    fn hourly_capacity_is_priced_per_month_where_published() {
        let priced = PricedNote::new(campaign(2), "us-east-1");
        assert_eq!(priced.estimate, Some(Estimate::UsdPerMonth(292.0)));
        assert!(
            priced.to_string().ends_with("(about +$292.00/month)"),
            "{priced}"
        );
        let gone = PricedNote::new(
            Note::BillingStops {
                amount: 1,
                unit: CapacityUnit::ProvisionedTps,
            },
            "us-east-1",
        );
        assert_eq!(gone.estimate, Some(Estimate::UsdPerMonth(-146.0)));
        let down = PricedNote::new(
            Note::CapacityChanged {
                was: 5,
                now: 3,
                unit: CapacityUnit::ProvisionedTps,
            },
            "us-east-1",
        );
        assert!(
            down.to_string().ends_with("(about -$292.00/month)"),
            "{down}"
        );
    }

    #[test]
    fn trainings_are_priced_per_training_hour() {
        let priced = PricedNote::new(Note::ManualTraining, "us-east-1");
        assert_eq!(priced.estimate, Some(Estimate::UsdPerTrainingHour(0.24)));
        assert!(priced.to_string().ends_with("(at $0.24 per training hour)"));
    }

    #[test]
    fn no_figure_without_a_published_price() {
        let elsewhere = PricedNote::new(campaign(1), "eu-west-1");
        assert_eq!(elsewhere.estimate, None);
        assert!(elsewhere.not_estimated());
        let recommender = PricedNote::new(
            Note::BillingStarts {
                amount: 1,
                unit: CapacityUnit::RecommendationRps,
            },
            "us-east-1",
        );
        assert!(recommender.not_estimated());
        let data = PricedNote::new(Note::FullImportReplaces, "us-east-1");
        assert!(!data.not_estimated());
    }

    #[test]
    fn the_figure_is_written_beside_the_note_and_read_back() {
        let priced = PricedNote::new(campaign(1), "us-east-1");
        let value = serde_json::to_value(&priced).expect("json");
        assert_eq!(value["code"], "billing_starts");
        assert_eq!(value["estimate"], serde_json::json!({"usdPerMonth": 146.0}));
        let back: PricedNote = serde_json::from_value(value).expect("reads back");
        assert_eq!(back, priced);
    }
}
