//! What else lives in a dataset group (solutions, campaigns, filters, event
//! trackers, recommenders, and datasets of other owners): it blocks the
//! group's deletion, or with `--cascade` is deleted first, in the order
//! Personalize needs.

use serde_json::json;

use super::builder::{NewChange, StepId};
use super::Planner;
use crate::live::LiveGroup;
use crate::plan::blocker::{Blocker, Unowned};
use crate::plan::model::{Action, Op};
use crate::resource::{Address, Kind};

pub(super) const CASCADE_REASON: &str = "--cascade: it is inside a dataset group being deleted";

impl Planner<'_> {
    /// Blocks the deletion of `l` on what pzr does not own in it, or (with
    /// `--cascade`) plans deleting it. Returns the steps the group's
    /// datasets must wait for.
    pub(super) fn delete_unowned_children(&mut self, l: &LiveGroup) -> Vec<StepId> {
        let unowned = self.unowned_in(l);
        if !unowned.is_empty() && !self.options.cascade {
            if let Some(group) = self.out.change_at(&Address::group(&l.name)) {
                self.out
                    .get_mut(group)
                    .blocked
                    .push(Blocker::Unowned(unowned));
            }
        }
        let mut previous: Vec<StepId> = Vec::new();
        if !self.options.cascade {
            return previous;
        }
        for kind in Kind::CHILD_DELETE_ORDER {
            let mut this_kind = Vec::new();
            for c in l.children.iter().filter(|c| c.kind == kind) {
                let address = Address::child(kind, &l.name, &c.name);
                self.observe(&address);
                self.out.change(NewChange {
                    address: address.clone(),
                    action: Action::Delete,
                    reasons: vec![CASCADE_REASON.into()],
                    destructive: true,
                    before: Some(json!({"name": c.name, "arn": c.arn, "status": c.status})),
                    after: None,
                });
                let op = Op::DeleteChild {
                    kind,
                    arn: c.arn.clone(),
                };
                this_kind.push(self.out.step(&address, op, previous.clone()));
            }
            if !this_kind.is_empty() {
                previous = this_kind;
            }
        }
        previous
    }

    /// Everything in `l` that this stack does not own: children first, then
    /// datasets of other owners.
    fn unowned_in(&self, l: &LiveGroup) -> Vec<Unowned> {
        let children = l.children.iter().map(|c| Unowned {
            address: Address::child(c.kind, &l.name, &c.name),
            name: None,
        });
        let datasets = l
            .datasets
            .iter()
            .filter(|d| !self.owns(&d.tags))
            .map(|d| Unowned {
                address: Address::dataset(&l.name, d.dataset_type),
                name: Some(d.name.clone()),
            });
        children.chain(datasets).collect()
    }
}
