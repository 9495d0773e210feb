//! What a recommender trains on: each use case's page names the datasets it
//! requires (`rules::recipes`), and a recommender whose group lacks one
//! would be paid for and end CREATE FAILED. Whether the data is there is a
//! plan-time question (an import, `streamed`, or data already on AWS); that
//! the dataset is declared is not.

use super::locate::{child_index, child_key, Issue};
use super::{DatasetType, SpecFile};
use crate::rules::recipes::{self, DataNeeds, MIN_USE_CASE_EVENTS};

/// A finding for every dataset a recommender's use case needs that its
/// group does not declare.
pub fn check(spec: &SpecFile) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (i, group) in spec.dataset_groups.iter().enumerate() {
        let group_path = child_index("datasetGroups", i);
        let datasets_path = child_key(&group_path, "datasets");
        for (key, recommender) in &group.recommenders {
            // A recipe that is not a use case of the group's domain is
            // reported with the recommender; its needs would be noise.
            let Some(needs) = recipes::find(&recommender.recipe)
                .filter(|r| r.domain.is_some() && r.domain == group.domain)
                .and_then(|r| r.needs)
            else {
                continue;
            };
            let recipe_path = child_key(
                &child_key(&child_key(&group_path, "recommenders"), key),
                "recipe",
            );
            for &dataset_type in needs.datasets {
                if group.datasets.get(dataset_type).is_some() {
                    continue;
                }
                issues.push(
                    Issue::value(
                        &recipe_path,
                        format!(
                            "use case `{}` trains on {}, and dataset group `{}` declares no {dataset_type} dataset",
                            recommender.recipe,
                            what(dataset_type, &needs),
                            group.name
                        ),
                        format!(
                            "add `{}: {{schema: ...}}` under `{datasets_path}`, with `import: {{from: s3://...}}` or `streamed: true` (rule: {})",
                            dataset_type.spec_key(),
                            needs.source
                        ),
                    )
                    .depending_on(child_key(&datasets_path, dataset_type.spec_key()))
                    .depending_on(child_key(&group_path, "domain")),
                );
            }
        }
    }
    issues
}

/// "the Items dataset", or for interactions with the page's minimum
/// "at least 1000 `View` interactions".
fn what(dataset_type: DatasetType, needs: &DataNeeds) -> String {
    match (dataset_type, needs.event_type) {
        (DatasetType::Interactions, Some(event_type)) => {
            format!("at least {MIN_USE_CASE_EVENTS} `{event_type}` interactions")
        }
        (DatasetType::Interactions, None) => {
            format!("at least {MIN_USE_CASE_EVENTS} interactions")
        }
        (other, _) => format!("the {other} dataset"),
    }
}
