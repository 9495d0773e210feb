//! Rules of the serving side that hold before any call: per-group quotas,
//! the automatic training schedule, minimum capacity, and item exploration,
//! each with its page.

use std::sync::LazyLock;

use regex::Regex;

/// The pages the rules come from.
pub mod source {
    pub const LIMITS: &str = "https://docs.aws.amazon.com/personalize/latest/dg/limits.html";
    pub const AUTO_TRAINING: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/API_AutoTrainingConfig.html";
    pub const CREATE_CAMPAIGN: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/API_CreateCampaign.html";
    pub const RECOMMENDER_CONFIG: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/API_RecommenderConfig.html";
    pub const CAMPAIGN_CONFIG: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/API_CampaignConfig.html";
    pub const EXPLORATION: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/create-recommender-configure-exploration.html";
    pub const USE_CASES: [&str; 2] = [
        "https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html",
        "https://docs.aws.amazon.com/personalize/latest/dg/VIDEO_ON_DEMAND-use-cases.html",
    ];
    pub const RECIPES: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/working-with-predefined-recipes.html";
}

/// "Total number of active solutions per dataset group" (limits.html).
pub const MAX_SOLUTIONS_PER_GROUP: usize = 10;
/// "Total number of active campaigns per dataset group" (limits.html).
pub const MAX_CAMPAIGNS_PER_GROUP: usize = 5;
/// "Total number of recommenders per dataset group" (limits.html).
pub const MAX_RECOMMENDERS_PER_GROUP: usize = 5;

/// `minProvisionedTPS` and `minRecommendationRequestsPerSecond` (API shape
/// `TransactionsPerSecond`: "Minimum value of 1").
pub const MIN_TPS: u32 = 1;

/// The days of automatic training a schedule allows: "a frequency between 1
/// and 30 days" (API_AutoTrainingConfig.html).
pub const SCHEDULE_DAYS: std::ops::RangeInclusive<u32> = 1..=30;

static SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    // The API model's `SchedulingExpression` pattern, anchored, with the days captured.
    Regex::new(r"^rate\((\d+) days?\)$").unwrap_or_else(|e| unreachable!("{e}"))
});

/// The days of a `schedulingExpression` of the API's form `rate(N days)`.
pub fn schedule_days(expression: &str) -> Option<u32> {
    SCHEDULE
        .captures(expression)
        .and_then(|c| c[1].parse::<u32>().ok())
}

/// Why a `schedulingExpression` is refused, if it is.
pub fn check_schedule(expression: &str) -> Option<String> {
    match schedule_days(expression) {
        Some(days) if SCHEDULE_DAYS.contains(&days) => None,
        Some(days) => Some(format!(
            "`{expression}` retrains every {days} days, but the API allows {} to {} days",
            SCHEDULE_DAYS.start(),
            SCHEDULE_DAYS.end()
        )),
        None => Some(format!("`{expression}` is not of the form `rate(N days)`")),
    }
}

/// The keys `itemExplorationConfig` takes ("exploration weight" and
/// "exploration item age cutoff", create-recommender-configure-exploration.html;
/// the same keys for campaigns, API_CampaignConfig.html).
pub const EXPLORATION_KEYS: [&str; 2] = ["explorationWeight", "explorationItemAgeCutOff"];

/// Why an `itemExplorationConfig` entry is refused, if it is: the weight is
/// "a decimal value between 0 to 1", the age cutoff a number of days
/// greater than zero (the recommender page's minimum is 1 day).
pub fn check_exploration(key: &str, value: &str) -> Option<String> {
    let number = value.trim().parse::<f64>().ok().filter(|n| n.is_finite());
    match key {
        "explorationWeight" => match number {
            Some(w) if (0.0..=1.0).contains(&w) => None,
            _ => Some(format!(
                "explorationWeight `{value}` is not a decimal number from 0 to 1"
            )),
        },
        "explorationItemAgeCutOff" => match number {
            Some(days) if days > 0.0 => None,
            _ => Some(format!(
                "explorationItemAgeCutOff `{value}` is not a positive number of days"
            )),
        },
        _ => Some(format!("unknown item exploration key `{key}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_take_1_to_30_days() {
        assert_eq!(schedule_days("rate(7 days)"), Some(7));
        assert_eq!(schedule_days("rate(1 day)"), Some(1));
        assert_eq!(check_schedule("rate(30 days)"), None);
        assert!(check_schedule("rate(31 days)").is_some_and(|m| m.contains("1 to 30")));
        assert!(check_schedule("rate(0 days)").is_some());
        assert!(check_schedule("cron(0 0 * * ? *)").is_some_and(|m| m.contains("rate(N days)")));
    }

    #[test]
    fn exploration_values_are_bounded_numbers() {
        assert_eq!(check_exploration("explorationWeight", "0.3"), None);
        assert_eq!(check_exploration("explorationWeight", "1"), None);
        assert!(check_exploration("explorationWeight", "1.2").is_some());
        assert!(check_exploration("explorationWeight", "lots").is_some());
        assert_eq!(check_exploration("explorationItemAgeCutOff", "30"), None);
        assert!(check_exploration("explorationItemAgeCutOff", "0").is_some());
        assert!(check_exploration("explorationItemAgeCutoff", "3").is_some());
    }
}
