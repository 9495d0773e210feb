//! What a training needs of a dataset group's data, and the `failureReason`
//! Personalize gives a solution version or a recommender whose data falls
//! short: CreateSolutionVersion and CreateRecommender are accepted (and
//! billed) and end CREATE FAILED. The minimums are limits.html's and the
//! use-case pages' (`MIN_INTERACTIONS_FOR_TRAINING`,
//! `MIN_USERS_WITH_TWO_OR_MORE`, `rules::recipes::DataNeeds`); the texts are
//! those of "Common error messages in Amazon Personalize"
//! (https://docs.aws.amazon.com/personalize/latest/dg/error-messages.html).
//! The emulator fails trainings with them and pzr's `validate --data` can
//! warn with them, so the two never disagree.

use std::fmt;

use super::{Counts, MIN_INTERACTIONS_FOR_TRAINING, MIN_USERS_WITH_TWO_OR_MORE};
use crate::resource::DatasetType;
use crate::rules::recipes::{DataNeeds, MIN_USE_CASE_EVENTS};

/// Why a training cannot succeed on the data it would read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortfall {
    /// Fewer than `minimum` item interactions, of `event_type` when the
    /// solution or use case filters on one.
    Interactions {
        minimum: u64,
        event_type: Option<String>,
    },
    /// Fewer than `MIN_USERS_WITH_TWO_OR_MORE` users with two or more
    /// interactions.
    UsersWithTwoOrMore,
    /// A dataset the use case requires besides Item interactions (Items for
    /// "More like X" and "Top picks for you") holds no data.
    NoData(DatasetType),
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // error-messages.html, "Recommenders (Domain dataset groups)":
            // "Dataset has fewer than 1000 interactions after filtering by
            // event type: <event type>". AWS documents no text for a
            // training without an event type to filter on: the same
            // sentence without its clause.
            Shortfall::Interactions {
                minimum,
                event_type: Some(event_type),
            } => write!(
                f,
                "Dataset has fewer than {minimum} interactions after filtering by event type: {event_type}"
            ),
            Shortfall::Interactions {
                minimum,
                event_type: None,
            } => write!(f, "Dataset has fewer than {minimum} interactions"),
            // error-messages.html, "Creating a solution and solution version
            // (custom resources)": "Create failed. Dataset has fewer than 25
            // users with at least 2 interactions each."
            Shortfall::UsersWithTwoOrMore => write!(
                f,
                "Create failed. Dataset has fewer than {MIN_USERS_WITH_TWO_OR_MORE} users with at least 2 interactions each."
            ),
            // AWS documents no text for it: the training-failure sentence's
            // form, naming the dataset.
            Shortfall::NoData(dataset_type) => write!(
                f,
                "Create failed. The {} dataset has no data, which this use case requires.",
                dataset_type.as_api()
            ),
        }
    }
}

/// What a solution version's training lacks: `interactions` is the group's
/// Item interactions data (`None`: nothing imported), `event_type` the
/// solution's `eventType`. limits.html: "Minimum number of unique combined
/// historical and event interactions (after filtering by eventType and
/// eventValueThreshold, if provided) required to train a model" (1000) and
/// of "unique users, with at least 2 interactions each" (25), counted over
/// all of them. Counts keep no event values, so `eventValueThreshold` is not
/// applied. The users are checked first: theirs is the one text
/// error-messages.html gives for a failed training.
pub fn for_solution(interactions: Option<&Counts>, event_type: Option<&str>) -> Option<Shortfall> {
    users(interactions)
        .or_else(|| fewer_interactions(interactions, event_type, MIN_INTERACTIONS_FOR_TRAINING))
}

/// What a recommender's training for a use case lacks: `data` gives the
/// group's data of a dataset type (`None`: nothing imported). Every use
/// case needs `MIN_USE_CASE_EVENTS` events of its event type (of any type
/// if it names none), the 25 users of "Choosing a use case"
/// (https://docs.aws.amazon.com/personalize/latest/dg/domain-use-cases.html:
/// "For all use cases, your interactions data must have [...] At minimum 25
/// unique user IDs with at least two item interactions for each") and data
/// in each dataset its page marks required. The events are checked first:
/// theirs is the text error-messages.html gives for recommenders.
pub fn for_use_case<'a>(
    needs: &DataNeeds,
    data: impl Fn(DatasetType) -> Option<&'a Counts>,
) -> Option<Shortfall> {
    let interactions = data(DatasetType::Interactions);
    fewer_interactions(
        interactions,
        needs.event_type,
        u64::from(MIN_USE_CASE_EVENTS),
    )
    .or_else(|| users(interactions))
    .or_else(|| {
        needs
            .datasets
            .iter()
            .find(|t| **t != DatasetType::Interactions && data(**t).is_none_or(|c| c.records == 0))
            .map(|t| Shortfall::NoData(*t))
    })
}

fn users(interactions: Option<&Counts>) -> Option<Shortfall> {
    let found = interactions.map_or(0, Counts::users_with_two_or_more);
    (found < MIN_USERS_WITH_TWO_OR_MORE).then_some(Shortfall::UsersWithTwoOrMore)
}

fn fewer_interactions(
    interactions: Option<&Counts>,
    event_type: Option<&str>,
    minimum: u64,
) -> Option<Shortfall> {
    let found = interactions.map_or(0, |c| match event_type {
        Some(t) => c.events_by_type.get(t).copied().unwrap_or(0),
        None => c.records,
    });
    (found < minimum).then(|| Shortfall::Interactions {
        minimum,
        event_type: event_type.map(String::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::recipes::find;

    /// `n` interactions of `users` users, every other one a View.
    fn counts(n: usize, users: usize) -> Counts {
        let mut counts = Counts::default();
        for i in 0..n {
            let event = if i % 2 == 0 { "View" } else { "Purchase" };
            counts.record(Some(&format!("u{}", i % users)), Some(event));
        }
        counts
    }

    #[test]
    fn a_solution_needs_25_users_then_1000_interactions_of_its_event_type() {
        assert_eq!(
            for_solution(None, None).unwrap().to_string(),
            "Create failed. Dataset has fewer than 25 users with at least 2 interactions each."
        );
        assert_eq!(
            for_solution(Some(&counts(2000, 24)), None),
            Some(Shortfall::UsersWithTwoOrMore)
        );
        assert_eq!(
            for_solution(Some(&counts(999, 30)), None)
                .unwrap()
                .to_string(),
            "Dataset has fewer than 1000 interactions"
        );
        assert_eq!(for_solution(Some(&counts(1000, 30)), None), None);
        let filtered = for_solution(Some(&counts(1998, 30)), Some("View"));
        assert_eq!(
            filtered.unwrap().to_string(),
            "Dataset has fewer than 1000 interactions after filtering by event type: View"
        );
        assert_eq!(for_solution(Some(&counts(2000, 30)), Some("View")), None);
    }

    #[test]
    fn a_use_case_needs_its_events_its_users_and_its_datasets() {
        let needs = |name| find(name).and_then(|r| r.needs).unwrap();
        let views = needs("aws-ecomm-popular-items-by-views");
        let interactions = counts(1998, 30);
        let only = |t| (t == DatasetType::Interactions).then_some(&interactions);
        assert_eq!(
            for_use_case(&views, only).unwrap().to_string(),
            "Dataset has fewer than 1000 interactions after filtering by event type: View"
        );
        let enough = counts(2000, 30);
        let with = |t| (t == DatasetType::Interactions).then_some(&enough);
        assert_eq!(for_use_case(&views, with), None);
        let few_users = counts(2000, 20);
        let with_few = |t| (t == DatasetType::Interactions).then_some(&few_users);
        assert_eq!(
            for_use_case(&views, with_few),
            Some(Shortfall::UsersWithTwoOrMore)
        );
        let more_like_x = needs("aws-vod-more-like-x");
        assert_eq!(
            for_use_case(&more_like_x, with).unwrap().to_string(),
            "Create failed. The Items dataset has no data, which this use case requires."
        );
        let items = counts(10, 10);
        let both = |t| match t {
            DatasetType::Interactions => Some(&enough),
            DatasetType::Items => Some(&items),
            _ => None,
        };
        assert_eq!(for_use_case(&more_like_x, both), None);
    }
}
