//! What else lives in a dataset group that this stack does not own
//! (solutions, campaigns, filters, event trackers, recommenders, metric
//! attributions, and datasets
//! of other owners): it blocks the deletion of the group, or of one of its
//! datasets, or with `--cascade` is deleted first, in the order Personalize
//! needs. The children it owns are `managed`'s.

use serde_json::json;

use super::builder::{ChangeId, NewChange, StepId};
use super::Planner;
use crate::plan::blocker::{Blocker, Unowned};
use crate::plan::model::Action;
use crate::plan::Reason;
use crate::resource::{Address, DatasetType, Kind, Status};
use crate::rules;
use crate::state::{ChildConfig, LiveChild, LiveGroup};

/// What is being deleted, for which the children in its way are deleted first.
#[derive(Debug, Clone, Copy)]
pub(super) enum Deleted {
    /// The whole group: everything in it is in the way.
    Group,
    /// One dataset of a group that stays.
    Dataset(DatasetType),
}

impl Deleted {
    /// Whether `c` makes Personalize refuse this delete. A group goes only
    /// once it is empty. `DeleteDataset` is refused (ResourceInUseException)
    /// while the group has any filter, an event tracker (interactions
    /// dataset only), a metric attribution that references the dataset, a
    /// recommender or solution version being created, or a campaign being
    /// created or ACTIVE
    /// (https://docs.aws.amazon.com/personalize/latest/dg/delete-dataset.html).
    /// Nothing else is in the way: an ACTIVE recommender or an idle solution
    /// stays, so `--cascade` never deletes more than Personalize requires.
    /// Automatic training may start a version between plan and apply; then
    /// `DeleteDataset` is refused and the step fails saying so.
    pub(super) fn in_the_way(self, c: &LiveChild) -> bool {
        let creating = matches!(c.status, Status::CreatePending | Status::CreateInProgress);
        match (self, c.kind) {
            (Deleted::Group, _) => true,
            (Deleted::Dataset(_), Kind::Filter) => true,
            (Deleted::Dataset(t), Kind::EventTracker) => t == DatasetType::Interactions,
            (Deleted::Dataset(_), Kind::Recommender) => creating,
            (Deleted::Dataset(_), Kind::Campaign) => creating || c.status == Status::Active,
            (Deleted::Dataset(_), Kind::Solution) => c.details.as_ref().is_some_and(|d| d.training),
            // One whose metrics were not read is taken to reference it.
            (Deleted::Dataset(t), Kind::MetricAttribution) => match c.config() {
                Some(ChildConfig::MetricAttribution { metrics, .. }) => {
                    rules::metrics::references(metrics.iter().map(|m| m.expression.as_str()), t)
                }
                _ => true,
            },
            (Deleted::Dataset(_), _) => false,
        }
    }

    fn cascade_reason(self, group: &str) -> Reason {
        match self {
            Deleted::Group => Reason::CascadeGroup,
            Deleted::Dataset(t) => Reason::CascadeDataset {
                dataset: Address::dataset(group, t),
            },
        }
    }
}

impl Planner<'_> {
    /// Blocks `change` (deleting `what` of `l`) on what pzr does not own in
    /// its way, or (with `--cascade`) plans deleting that first. Returns the
    /// steps the deletion must wait for. A child already cascaded for
    /// another deletion in this plan is deleted once.
    pub(super) fn delete_unowned_children(
        &mut self,
        l: &LiveGroup,
        what: Deleted,
        change: Option<ChangeId>,
    ) -> Vec<StepId> {
        if !self.options.cascade {
            let unowned = self.unowned_in(l, what);
            if let (Some(change), false) = (change, unowned.is_empty()) {
                self.out
                    .get_mut(change)
                    .blocked
                    .push(Blocker::UnownedResources { resources: unowned });
            }
            return Vec::new();
        }
        let mut previous: Vec<StepId> = Vec::new();
        for kind in Kind::CHILD_DELETE_ORDER {
            let mut this_kind = Vec::new();
            for c in l.children_of(kind) {
                if !what.in_the_way(c) || c.owned_by(self.stack) {
                    continue;
                }
                let address = Address::child(kind, &l.name, &c.name);
                if let Some(step) = self.cascaded.get(&address) {
                    this_kind.push(*step);
                    continue;
                }
                self.observe(&address);
                self.out.change(NewChange {
                    address: address.clone(),
                    action: Action::Delete,
                    reasons: vec![what.cascade_reason(&l.name)],
                    destructive: true,
                    before: Some(json!({"name": c.name, "arn": c.arn, "status": c.status})),
                    after: None,
                    notes: Vec::new(),
                });
                let (_, step) = self.delete_child_step(&address, c, previous.clone());
                self.cascaded.insert(address, step);
                this_kind.push(step);
            }
            if !this_kind.is_empty() {
                previous = this_kind;
            }
        }
        previous
    }

    /// Everything in `l` in the way of deleting `what` that this stack does
    /// not own: children first, then (for the group) datasets of other owners.
    fn unowned_in(&self, l: &LiveGroup, what: Deleted) -> Vec<Unowned> {
        let children = l
            .children
            .iter()
            .filter(|c| what.in_the_way(c) && !c.owned_by(self.stack))
            .map(|c| Unowned {
                address: Address::child(c.kind, &l.name, &c.name),
                name: None,
            });
        let datasets = l
            .datasets
            .iter()
            .filter(|d| matches!(what, Deleted::Group) && !self.owns(&d.tags))
            .map(|d| Unowned {
                address: Address::dataset(&l.name, d.dataset_type),
                name: Some(d.name.clone()),
            });
        children.chain(datasets).collect()
    }
}
