//! The minimums a dataset group's interactions must meet before an import
//! is accepted and training can succeed (limits.html), and each
//! recommender's use case or solution's event type asks of them.

use personalize_facts::import::{
    Counts, LIMITS_PAGE, MIN_INTERACTIONS_FOR_TRAINING, MIN_INTERACTIONS_PER_IMPORT,
    MIN_USERS_WITH_TWO_OR_MORE,
};

use super::finding::{DataFinding, Place, Problem};
use crate::rules::recipes::{self, MIN_USE_CASE_EVENTS};
use crate::spec::DatasetGroupSpec;

/// The findings for `group` whose interactions import at `from` counted
/// `counts`. The training minimums are left out for a `streamed` dataset:
/// events recorded later may make up the difference.
pub fn check(
    group: &DatasetGroupSpec,
    from: &str,
    counts: &Counts,
    streamed: bool,
) -> Vec<DataFinding> {
    let mut short = Vec::new();
    let mut need = |rule: String, found: u64, needed: u64, page: &'static str| {
        if found < needed {
            short.push(DataFinding {
                place: Place::whole(from),
                problem: Problem::TooFew {
                    group: group.name.clone(),
                    rule,
                    found,
                    page,
                },
            });
        }
    };
    need(
        format!("a dataset import job of item interactions needs at least {MIN_INTERACTIONS_PER_IMPORT} records"),
        counts.records,
        MIN_INTERACTIONS_PER_IMPORT,
        LIMITS_PAGE,
    );
    if streamed {
        return short;
    }
    need(
        format!("training needs at least {MIN_USERS_WITH_TWO_OR_MORE} users with 2 or more interactions"),
        counts.users_with_two_or_more(),
        MIN_USERS_WITH_TWO_OR_MORE,
        LIMITS_PAGE,
    );
    let events = |event_type: &str| counts.events_by_type.get(event_type).copied().unwrap_or(0);
    for (key, recommender) in &group.recommenders {
        let Some(needs) = recipes::find(&recommender.recipe).and_then(|r| r.needs) else {
            continue;
        };
        // A use case that counts any event type is the import minimum above.
        if let Some(event_type) = needs.event_type {
            need(
                format!("recommender `{key}` ({}) needs at least {MIN_USE_CASE_EVENTS} `{event_type}` interactions", recommender.recipe),
                events(event_type),
                MIN_USE_CASE_EVENTS.into(),
                needs.source,
            );
        }
    }
    for (key, solution) in &group.solutions {
        if let Some(event_type) = &solution.event_type {
            // Training reads only the interactions of the solution's event type.
            need(
                format!("solution `{key}` trains on `{event_type}` interactions only and needs at least {MIN_INTERACTIONS_FOR_TRAINING} of them"),
                events(event_type),
                MIN_INTERACTIONS_FOR_TRAINING,
                LIMITS_PAGE,
            );
        }
    }
    short
}
