//! What the live reader must fetch beyond its first read, decided by the
//! planner's own rules so the two never disagree.

use super::datasets::deleted_datasets;
use super::pairing::managed_children;
use crate::avro;
use crate::resource::{DatasetType, Kind};
use crate::spec::Spec;
use crate::state::{ExtraReads, LiveState};

/// The content of schemas datasets would move off, the import jobs and data
/// locations of the imports, the settings of the live
/// children the spec's are compared with or the stack deletes, and those of
/// the solutions of groups that would lose a dataset (whether one is
/// training: Personalize refuses `DeleteDataset` while one is). Whether a schema move
/// replaces a dataset depends on the old schema's content: the caller reads
/// again until nothing more is asked for (at most twice).
pub fn extra_reads(spec: &Spec, live: &LiveState) -> ExtraReads {
    let stack = spec.stack();
    let mut extra = ExtraReads::default();
    // The groups the stack deletes: what deleting their serving children
    // stops billing.
    for l in live.groups.iter().filter(|l| l.stack() == Some(stack)) {
        if spec.file.dataset_groups.iter().any(|g| g.name == l.name) {
            continue;
        }
        let billed = l.children.iter().filter(|c| {
            matches!(c.kind, Kind::Campaign | Kind::Recommender | Kind::Solution)
                && c.owned_by(stack)
                && c.details.is_none()
        });
        extra.child_details.extend(billed.map(|c| c.arn.clone()));
    }
    for g in &spec.file.dataset_groups {
        // Where each import reads from, and whether it changed since.
        let imports = g.datasets.iter().filter_map(|(_, d)| d.import.as_ref());
        extra.data_locations.extend(
            imports
                .map(|i| i.from.clone())
                .filter(|uri| live.data_location(uri).is_none()),
        );
        let Some(live_group) = live.group(&g.name) else {
            continue;
        };
        // The import jobs of the datasets that declare one, and of the
        // interactions its recommenders and trainings need.
        let serves = !g.recommenders.is_empty() || !g.solutions.is_empty();
        for (t, d) in g.datasets.iter() {
            let needed = d.import.is_some() || (serves && t == DatasetType::Interactions);
            match live_group.dataset(t) {
                Some(ld) if needed && ld.imports.is_none() => {
                    extra.imports.insert(ld.arn.clone());
                }
                _ => {}
            }
        }
        if !deleted_datasets(spec, live, g, live_group).is_empty() {
            let solutions = live_group.children_of(Kind::Solution);
            let unread = solutions.filter(|c| c.details.is_none());
            extra.child_details.extend(unread.map(|c| c.arn.clone()));
        }
        // The settings of the children it manages or adopts, to compare,
        // and of those it deletes, to tell what their delete stops billing.
        // An event tracker has no settings: nothing of its Describe is
        // needed to plan.
        if live_group.stack() == Some(stack) || g.adopt {
            let compared = managed_children(&g.name, Some(g), Some(live_group))
                .into_iter()
                .filter_map(|p| p.live.filter(|c| p.wanted.is_some() || c.owned_by(stack)))
                .filter(|c| c.kind != Kind::EventTracker && c.details.is_none());
            extra.child_details.extend(compared.map(|c| c.arn.clone()));
        }
        for (t, d) in g.datasets.iter() {
            let Some(ld) = live_group.dataset(t) else {
                continue;
            };
            let desired = spec.schemas.get(&d.schema).map(|s| s.name.as_str());
            let current = live.schema_by_arn(&ld.schema_arn).map(|s| s.name.as_str());
            if desired != current {
                extra.schema_definitions.insert(ld.schema_arn.clone());
            }
        }
    }
    for s in &live.schemas {
        let key = avro::managed_schema_key(stack, &s.name);
        if key.is_some_and(|k| spec.schemas.get(k).is_some_and(|r| r.name != s.name)) {
            extra.schema_definitions.insert(s.arn.clone());
        }
    }
    extra
}
