//! What a training finds in its dataset group's data: whether a solution
//! version or a recommender must end CREATE FAILED for want of data (the
//! minimums and `failureReason` texts are `personalize_facts::import::training`'s),
//! and when interaction data arrived, which automatic training waits for.
//!
//! The counts are taken when the create is accepted, not when it completes:
//! a training reads the datasets as they are when it starts, so an import
//! that becomes ACTIVE while a version trains is not in that model (it is
//! what the next training learns from, and what lets automatic training
//! start again). The doom is then fixed at creation, as `--fail-create`'s is,
//! and kept in the state file, so a restart changes no ending.

use std::collections::BTreeMap;

use super::record::Resource;
use super::Model;
use crate::clock::Millis;
use personalize_facts::import::training::{self, Shortfall};
use personalize_facts::import::Counts;
use personalize_facts::resource::{DatasetType, Kind};
use personalize_facts::rules::recipes;

/// "Automatic training occurs only if you imported bulk or real-time
/// interaction data since the last training. This includes item
/// interactions or, for solutions that use the Next-Best-Action recipe,
/// action interactions data."
/// (https://docs.aws.amazon.com/personalize/latest/dg/solution-config-auto-training.html)
const NEXT_BEST_ACTION: &str = "aws-next-best-action";

impl Model {
    /// The live dataset of `dataset_type` in the group `group_arn`.
    fn group_dataset(
        &self,
        now: Millis,
        group_arn: &str,
        dataset_type: DatasetType,
    ) -> Option<&Resource> {
        self.children(now, Kind::Dataset, group_arn)
            .find(|d| d.attr("datasetType").and_then(DatasetType::from_api) == Some(dataset_type))
    }

    /// The group's data of `dataset_type` at `now` (`None`: no such dataset,
    /// or nothing imported into it).
    fn group_data(
        &self,
        now: Millis,
        group_arn: &str,
        dataset_type: DatasetType,
    ) -> Option<Counts> {
        let dataset = self.group_dataset(now, group_arn, dataset_type)?;
        self.dataset_data(now, &dataset.arn)
    }

    /// Why a version of `solution` that starts training at `at` ends CREATE
    /// FAILED: its group's Item interactions, filtered by the solution's
    /// `eventType`, fall short of the training minimums.
    pub(super) fn solution_shortfall(&self, at: Millis, solution: &Resource) -> Option<Shortfall> {
        let group = solution.parent.as_deref().unwrap_or_default();
        let interactions = self.group_data(at, group, DatasetType::Interactions);
        training::for_solution(interactions.as_ref(), solution.attr("eventType"))
    }

    /// Why a recommender of the use case `recipe_arn` created in the group
    /// `group_arn` at `now` ends CREATE FAILED: its group's data falls short
    /// of what the use case's page requires. A recipe with no such needs
    /// (CreateRecommender's recipe check refuses them) needs nothing here.
    pub(super) fn recommender_shortfall(
        &self,
        now: Millis,
        group_arn: &str,
        recipe_arn: &str,
    ) -> Option<Shortfall> {
        let needs = recipes::find(recipe_arn)?.needs?;
        let data: BTreeMap<DatasetType, Counts> = needs
            .datasets
            .iter()
            .filter_map(|t| Some((*t, self.group_data(now, group_arn, *t)?)))
            .collect();
        training::for_use_case(&needs, |t| data.get(&t))
    }

    /// When interaction data arrived in the group of `solution`, as known at
    /// `now`: the times its interaction imports turned ACTIVE, in no set
    /// order (see `NEXT_BEST_ACTION` for which datasets count).
    pub(super) fn interaction_arrivals(&self, now: Millis, solution: &Resource) -> Vec<Millis> {
        let lc = self.lc();
        let group = solution.parent.as_deref().unwrap_or_default();
        let mut types = vec![DatasetType::Interactions];
        let recipe = solution.attr("recipeArn").and_then(recipes::find);
        if recipe.is_some_and(|r| r.name == NEXT_BEST_ACTION) {
            types.push(DatasetType::ActionInteractions);
        }
        types
            .into_iter()
            .filter_map(|t| self.group_dataset(now, group, t))
            .flat_map(|d| self.list(now, super::Noun::DATASET_IMPORT_JOB, Some(&d.arn), None))
            .filter_map(|job| job.active_since(now, lc))
            .collect()
    }

    /// Dooms the resource `arn`, just created, to end CREATE FAILED with
    /// `reason`, unless it already is (`--fail-create`'s reason stands).
    pub(super) fn fail_at_end(&mut self, arn: &str, reason: Option<String>) -> &Resource {
        let resource = self
            .account
            .resources
            .get_mut(arn)
            .expect("the resource was just created");
        if let Some(reason) = reason {
            resource.failure_reason.get_or_insert(reason);
        }
        resource
    }
}
