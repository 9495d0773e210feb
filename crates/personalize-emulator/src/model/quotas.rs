//! The quotas of Personalize that the emulated operations can reach, from
//! https://docs.aws.amazon.com/personalize/latest/dg/limits.html ("Each
//! dataset group has the following quotas", and the per-Region ones). Over a
//! quota, a Create answers `LimitExceededException` naming it. The dataset
//! group quota is `Rules::max_dataset_groups` (`--max-dataset-groups`).

use super::noun::Noun;
use super::Model;
use crate::clock::Millis;
use crate::error::{ApiError, ErrorCode};
use personalize_facts::resource::Kind;
use personalize_facts::rules::filter::MAX_FILTERS_PER_GROUP;
use personalize_facts::rules::serving_limits::{
    MAX_CAMPAIGNS_PER_GROUP, MAX_RECOMMENDERS_PER_GROUP, MAX_SOLUTIONS_PER_GROUP,
};

/// One quota: at most `max` resources of `noun` that are not being deleted.
struct Quota {
    noun: Noun,
    max: usize,
    /// As the quotas page names it.
    name: &'static str,
}

/// Per dataset group.
const PER_GROUP: [Quota; 4] = [
    Quota {
        noun: Noun::Kind(Kind::Solution),
        max: MAX_SOLUTIONS_PER_GROUP,
        name: "Total number of active solutions per dataset group",
    },
    Quota {
        noun: Noun::Kind(Kind::Campaign),
        max: MAX_CAMPAIGNS_PER_GROUP,
        name: "Total number of active campaigns per dataset group",
    },
    Quota {
        noun: Noun::Kind(Kind::Recommender),
        max: MAX_RECOMMENDERS_PER_GROUP,
        name: "Total number of recommenders per dataset group",
    },
    Quota {
        noun: Noun::Kind(Kind::Filter),
        max: MAX_FILTERS_PER_GROUP,
        name: "Total number of filters per dataset group",
    },
];

/// Per Region.
const SCHEMAS: Quota = Quota {
    noun: Noun::Kind(Kind::Schema),
    max: 500,
    name: "Total number of active schemas",
};

/// Per Region, counting only versions being trained.
const VERSIONS_IN_TRAINING: Quota = Quota {
    noun: Noun::SolutionVersion,
    max: 20,
    name: "Total number of pending or in progress solution versions",
};

impl Model {
    /// The per-group quota of `noun` in `group_arn`, if it has one.
    pub(super) fn check_group_limit(
        &self,
        now: Millis,
        noun: impl Into<Noun>,
        group_arn: &str,
    ) -> Result<(), ApiError> {
        let noun = noun.into();
        match PER_GROUP.iter().find(|q| q.noun == noun) {
            None => Ok(()),
            Some(quota) => {
                let count = self
                    .children(now, noun, group_arn)
                    .filter(|r| r.deleting_since.is_none())
                    .count();
                quota.check(count)
            }
        }
    }

    /// The per-Region quotas of a Create of `noun`.
    pub(super) fn check_account_limit(&self, now: Millis, noun: Noun) -> Result<(), ApiError> {
        let lc = self.lc();
        if noun == SCHEMAS.noun {
            return SCHEMAS.check(self.list(now, noun, None, None).count());
        }
        if noun == Noun::SolutionVersion {
            let training = self
                .list(now, noun, None, None)
                .filter(|r| r.is_being_created(now, lc))
                .count();
            return VERSIONS_IN_TRAINING.check(training);
        }
        Ok(())
    }
}

impl Quota {
    fn check(&self, count: usize) -> Result<(), ApiError> {
        if count < self.max {
            return Ok(());
        }
        Err(ApiError::new(
            ErrorCode::LimitExceeded,
            format!(
                "{} is {} and {count} {}s already count against it; delete one or request a quota increase",
                self.name,
                self.max,
                self.noun.label()
            ),
        ))
    }
}
