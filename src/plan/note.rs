//! What a change does to the bill (`Note`), each with a stable code and the
//! sentence people read; `cost.rs` decides which a change gets.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What is billed by the hour while a serving resource exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum CapacityUnit {
    /// A campaign's `minProvisionedTPS`.
    ProvisionedTps,
    /// A recommender's `minRecommendationRequestsPerSecond`.
    RecommendationRps,
}

impl fmt::Display for CapacityUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CapacityUnit::ProvisionedTps => "provisioned transactions per second",
            CapacityUnit::RecommendationRps => "recommendation requests per second",
        })
    }
}

/// One billing note of a change. `schedule` is a solution's automatic
/// training schedule (`None`: the default one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Note {
    /// Hourly capacity starts with the resource.
    BillingStarts { amount: i64, unit: CapacityUnit },
    /// A stopped recommender is started: hourly capacity again.
    BillingRestarts { amount: i64, unit: CapacityUnit },
    /// Hourly capacity ends with the resource.
    BillingStops { amount: i64, unit: CapacityUnit },
    /// A recommender is stopped: no hourly capacity while stopped.
    BillingPaused { amount: i64, unit: CapacityUnit },
    /// The hourly capacity changes from `was` to `now`.
    CapacityChanged {
        was: i64,
        now: i64,
        unit: CapacityUnit,
    },
    /// A recommender created stopped: its training only.
    CreatedStopped,
    /// Automatic training turned on: every run is billed.
    AutomaticTraining { schedule: Option<String> },
    /// Automatic training turned off on a solution that stays.
    AutomaticTrainingOff { schedule: Option<String> },
    /// A solution with automatic training goes.
    AutomaticTrainingEnds { schedule: Option<String> },
    /// The automatic training schedule changes.
    TrainingScheduleChanged {
        was: Option<String>,
        now: Option<String>,
    },
    /// A new solution trains only when asked.
    ManualTraining,
    /// Hyperparameter optimisation turned on: longer trainings.
    Hpo,
    /// Item metadata in recommendations turned on: billed extra.
    MetadataBilled,
    /// This apply trains a solution's first version for a campaign.
    TrainsFirstVersion { solution: String },
    /// This apply trains a new version of a kept solution.
    TrainsNewVersion { solution: String },
    /// A FULL import replaces the dataset's bulk data.
    FullImportReplaces,
    /// The location could not be listed: the plan cannot tell whether the
    /// data changed, and imports only when none was imported from it.
    DataAgeUnknown { error: String },
}

impl Note {
    pub fn code(&self) -> &'static str {
        match self {
            Note::BillingStarts { .. } => "billing_starts",
            Note::BillingRestarts { .. } => "billing_restarts",
            Note::BillingStops { .. } => "billing_stops",
            Note::BillingPaused { .. } => "billing_paused",
            Note::CapacityChanged { .. } => "capacity_changed",
            Note::CreatedStopped => "created_stopped",
            Note::AutomaticTraining { .. } => "automatic_training",
            Note::AutomaticTrainingOff { .. } => "automatic_training_off",
            Note::AutomaticTrainingEnds { .. } => "automatic_training_ends",
            Note::TrainingScheduleChanged { .. } => "training_schedule_changed",
            Note::ManualTraining => "manual_training",
            Note::Hpo => "hpo",
            Note::MetadataBilled => "metadata_billed",
            Note::TrainsFirstVersion { .. } => "trains_first_version",
            Note::TrainsNewVersion { .. } => "trains_new_version",
            Note::FullImportReplaces => "full_import_replaces",
            Note::DataAgeUnknown { .. } => "data_age_unknown",
        }
    }

    /// What the note is about, as renderers label it: the bill, or the data.
    pub fn topic(&self) -> &'static str {
        match self {
            Note::FullImportReplaces | Note::DataAgeUnknown { .. } => "data",
            _ => "billing",
        }
    }

    /// Automatic training turned on (a new solution's, or an existing one's).
    pub fn starts_training(&self) -> bool {
        matches!(self, Note::AutomaticTraining { .. })
    }

    /// More capacity billed by the hour: a new campaign or running
    /// recommender, a higher minimum, a recommender started.
    pub fn raises_capacity(&self) -> bool {
        match self {
            Note::BillingStarts { .. } | Note::BillingRestarts { .. } => true,
            Note::CapacityChanged { was, now, .. } => now > was,
            _ => false,
        }
    }
}

/// How a schedule reads in a note.
struct At<'a>(&'a Option<String>);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_deref().unwrap_or("on the default schedule"))
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::BillingStarts { amount, unit } => write!(
                f,
                "bills by the hour for at least {amount} {unit}, while it exists"
            ),
            Note::BillingRestarts { amount, unit } => write!(
                f,
                "starts billing again by the hour for at least {amount} {unit}, while it exists"
            ),
            Note::BillingStops { amount, unit } => {
                write!(f, "stops billing by the hour for its {amount} {unit}")
            }
            Note::BillingPaused { amount, unit } => write!(
                f,
                "stops billing by the hour for its {amount} {unit} while stopped (the recommender stays, trained)"
            ),
            Note::CapacityChanged { was, now, unit } => write!(
                f,
                "billed by the hour for at least {now} {unit} (was {was})"
            ),
            Note::CreatedStopped => f.write_str(
                "created stopped: its training is billed, then nothing by the hour until it is started",
            ),
            Note::AutomaticTraining { schedule } => write!(
                f,
                "automatic training {}: every run trains a new version, billed per training hour",
                At(schedule)
            ),
            Note::AutomaticTrainingOff { schedule } => write!(
                f,
                "turns off automatic training ({}): no more scheduled training charges",
                At(schedule)
            ),
            Note::AutomaticTrainingEnds { schedule } => {
                write!(f, "ends its automatic training ({})", At(schedule))
            }
            Note::TrainingScheduleChanged { was, now } => write!(
                f,
                "automatic training {} (was {}): each run is billed per training hour",
                At(now),
                At(was)
            ),
            Note::ManualTraining => f.write_str(
                "no automatic training: versions are trained, and billed, only when asked",
            ),
            Note::Hpo => {
                f.write_str("hyperparameter optimisation: each training runs (and bills) longer")
            }
            Note::MetadataBilled => f.write_str("recommendations with item metadata are billed extra"),
            Note::TrainsFirstVersion { solution } => write!(
                f,
                "trains a first version of solution {solution}, billed per training hour"
            ),
            Note::TrainsNewVersion { solution } => write!(
                f,
                "trains a new version of solution {solution}, billed per training hour"
            ),
            Note::FullImportReplaces => f.write_str(
                "a FULL import replaces the dataset's bulk data (records streamed by PutEvents and the like stay)",
            ),
            Note::DataAgeUnknown { error } => write!(
                f,
                "cannot see the data's age ({error}): imports only when none was made from this location"
            ),
        }
    }
}
