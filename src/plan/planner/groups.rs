//! Dataset groups: create, adopt, tag in place, replace (immutable fields
//! changed, or creation failed) and delete, with everything inside them.

use super::super::tags::{self, TagDiff};
use super::builder::{NewChange, StepId};
use super::datasets::deleted_datasets;
use super::unowned::Deleted;
use super::values::show;
use super::{joined, Planner};
use crate::plan::blocker::Blocker;
use crate::plan::model::{Action, ArnRef, Op};
use crate::plan::Reason;
use crate::resource::{Address, Kind, Status};
use crate::spec::{DatasetGroupSpec, DatasetType};
use crate::state::LiveGroup;

/// Why a live group must be replaced to match the spec (empty: it need not be).
pub(super) fn replace_reasons(g: &DatasetGroupSpec, live: &LiveGroup) -> Vec<Reason> {
    let mut reasons = Vec::new();
    match live.status {
        Status::CreateFailed => {
            let why = live
                .details
                .as_ref()
                .and_then(|d| d.failure_reason.as_deref());
            reasons.push(Reason::CreationFailed {
                failure_reason: why.into(),
            });
        }
        Status::DeletePending => reasons.push(Reason::BeingDeleted),
        _ => {}
    }
    if g.domain != live.domain {
        reasons.push(forces_replacement("domain", live.domain, g.domain));
    }
    if let Some(details) = &live.details {
        let fields = [
            ("kmsKeyArn", &details.kms_key_arn, &g.kms_key_arn),
            ("roleArn", &details.role_arn, &g.role_arn),
        ];
        for (field, have, want) in fields {
            if have != want {
                reasons.push(forces_replacement(field, have.as_deref(), want.as_deref()));
            }
        }
    }
    reasons
}

fn forces_replacement<T: std::fmt::Display>(field: &str, from: Option<T>, to: Option<T>) -> Reason {
    Reason::ForcesReplacement {
        field: field.to_string(),
        from: show(from),
        to: show(to),
    }
}

/// A group being deleted or whose creation failed holds no data to lose.
fn holds_data(l: &LiveGroup) -> bool {
    !matches!(l.status, Status::DeletePending | Status::CreateFailed)
}

impl<'a> Planner<'a> {
    pub(super) fn plan_group(&mut self, g: &'a DatasetGroupSpec, live: Option<&'a LiveGroup>) {
        let address = Address::group(&g.name);
        self.observe(&address);
        let Some(l) = live else {
            self.out
                .change(NewChange::create(address, self.group_value(g)));
            for (t, d) in g.datasets.iter() {
                let dataset = Address::dataset(&g.name, t);
                self.observe(&dataset);
                let after = self.dataset_value(g, t, d);
                self.out.change(NewChange::create(dataset, after));
            }
            self.decide_data(g, None, &[]);
            self.import_changes(g);
            self.new_children_changes(g);
            self.create_group(g, Vec::new());
            return;
        };
        let Some(adopting) = self.check_group_owner(g, l) else {
            return;
        };
        let replace = replace_reasons(g, l);
        if !replace.is_empty() {
            if adopting {
                self.out.error(
                    address,
                    format!("cannot adopt dataset group {}: {}", g.name, joined(&replace)),
                    "adoption never replaces a group: make the spec match the live group's immutable fields",
                );
                return;
            }
            self.replace_group(g, l, replace);
            return;
        }
        let diff = tags::diff(&self.group_tags(g), &l.tags, self.ignore);
        let mut ready = Vec::new();
        if adopting || !diff.is_empty() {
            let (before, after) = (self.live_group_value(l), self.group_value(g));
            let reasons = diff.reasons(&l.tags);
            self.update_in_place(address.clone(), adopting, reasons, before, after);
            ready.extend(self.tag_steps(&address, &l.arn, &diff));
        }
        // Still being created (an interrupted apply): wait for it, whether or
        // not datasets are to be created in it.
        if l.status != Status::Active {
            ready.push(self.out.step(
                &address,
                Op::WaitDatasetGroupActive { arn: l.arn.clone() },
                [],
            ));
        }
        let deleted = deleted_datasets(self.spec, self.live, g, l);
        self.decide_data(g, Some(l), &deleted);
        let children = self.plan_children(g, l, adopting, &deleted, &ready);
        for t in DatasetType::ALL {
            self.plan_dataset(g, l, t, adopting, &ready);
        }
        self.import_changes(g);
        self.import_steps(g, Some(l));
        self.finish_children(g, ArnRef::Known(l.arn.clone()), children, ready);
    }

    /// Whether the spec may manage live group `l`: `Some(false)` when the
    /// stack owns it, `Some(true)` when the spec adopts it, `None` (an error
    /// recorded) otherwise.
    fn check_group_owner(&mut self, g: &DatasetGroupSpec, l: &LiveGroup) -> Option<bool> {
        let address = Address::group(&g.name);
        match l.stack() {
            Some(s) if s == self.stack => Some(false),
            Some(other) => {
                self.out.error(
                    address,
                    format!(
                        "dataset group {} exists and belongs to pzr stack {other:?}",
                        g.name
                    ),
                    "remove it from that stack's spec first, or rename the group in this spec",
                );
                None
            }
            None if !g.adopt => {
                self.out.error(
                    address,
                    format!(
                        "dataset group {} exists and is not managed by stack {:?}",
                        g.name, self.stack
                    ),
                    "set `adopt: true` on this group to take it over, or rename it",
                );
                None
            }
            None => Some(true),
        }
    }

    /// Tag and untag steps for `diff`; adoption tags first, so nothing is
    /// ever changed in a group before it is marked as owned.
    pub(super) fn tag_steps(
        &mut self,
        address: &Address,
        arn: &str,
        diff: &TagDiff,
    ) -> Vec<StepId> {
        let mut ids = Vec::new();
        if !diff.set.is_empty() {
            let op = Op::TagResource {
                arn: arn.to_string(),
                tags: diff.set.clone(),
            };
            ids.push(self.out.step(address, op, []));
        }
        if !diff.remove.is_empty() {
            let op = Op::UntagResource {
                arn: arn.to_string(),
                keys: diff.remove.clone(),
            };
            ids.push(self.out.step(address, op, []));
        }
        ids
    }

    /// Steps creating `g` and all its datasets, their imports and children,
    /// after `after`. The caller shows the changes (a replace shows them its
    /// own way), its imports decided (`decide_data`).
    fn create_group(&mut self, g: &DatasetGroupSpec, after: Vec<StepId>) {
        let op = Op::CreateDatasetGroup {
            name: g.name.clone(),
            domain: g.domain,
            kms_key_arn: g.kms_key_arn.clone(),
            role_arn: g.role_arn.clone(),
            tags: self.group_tags(g),
        };
        let group_step = self.out.step(&Address::group(&g.name), op, after);
        for (t, d) in g.datasets.iter() {
            self.create_dataset(g, t, d, ArnRef::CreatedBy(group_step), vec![group_step]);
        }
        self.import_steps(g, None);
        self.create_all_children(g, ArnRef::CreatedBy(group_step));
    }

    fn replace_group(&mut self, g: &'a DatasetGroupSpec, l: &'a LiveGroup, reasons: Vec<Reason>) {
        let destructive = holds_data(l);
        let group = self.out.change(NewChange {
            address: Address::group(&g.name),
            action: Action::Replace,
            reasons,
            destructive,
            before: Some(self.live_group_value(l)),
            after: Some(self.group_value(g)),
            notes: Vec::new(),
        });
        let blocker = match self.protection(Some(g), Some(l)) {
            Some(Blocker::ProtectedInGroup) => Some(Blocker::ProtectedGroup),
            other => other,
        };
        if let (Some(blocker), true) = (blocker, destructive) {
            self.out.get_mut(group).blocked.push(blocker);
        }
        for t in DatasetType::ALL {
            // Someone else's dataset is not ours to replace: it blocks the
            // group's deletion unless cascading (see `delete_group_contents`).
            let live_ds = l
                .dataset(t)
                .filter(|d| self.owns(&d.tags) || self.options.cascade);
            let spec_ds = g.datasets.get(t);
            let action = match (spec_ds, live_ds) {
                (Some(_), Some(_)) => Action::Replace,
                (Some(_), None) => Action::Create,
                (None, Some(_)) => Action::Delete,
                (None, None) => continue,
            };
            let address = Address::dataset(&g.name, t);
            self.observe(&address);
            self.out.change(NewChange {
                address,
                action,
                reasons: vec![Reason::GroupReplaced],
                destructive: destructive && action != Action::Create,
                before: live_ds.map(|d| self.live_dataset_value(d)),
                after: spec_ds.map(|d| self.dataset_value(g, t, d)),
                notes: Vec::new(),
            });
        }
        self.decide_data(g, None, &[]);
        self.import_changes(g);
        self.group_children_changes(Some(g), l, Reason::GroupReplaced, destructive);
        let deleted = self.delete_group_contents(l);
        self.create_group(g, vec![deleted]);
    }

    /// Plans the deletion of an owned group that the spec no longer has.
    pub(super) fn delete_group(&mut self, l: &'a LiveGroup) {
        let address = Address::group(&l.name);
        self.observe(&address);
        let mut reasons = vec![Reason::NotInSpec {
            kind: Kind::DatasetGroup,
        }];
        if l.status == Status::DeletePending {
            reasons.push(Reason::DeletionInProgress);
        }
        let group = self.out.change(NewChange {
            address,
            action: Action::Delete,
            reasons,
            destructive: true,
            before: Some(self.live_group_value(l)),
            after: None,
            notes: Vec::new(),
        });
        // Forgotten by the spec, still protected by the tag it left.
        if let Some(blocker) = self.protection(None, Some(l)) {
            self.out.get_mut(group).blocked.push(blocker);
        }
        for d in &l.datasets {
            if !self.owns(&d.tags) {
                continue;
            }
            let address = Address::dataset(&l.name, d.dataset_type);
            self.observe(&address);
            self.out.change(NewChange {
                address,
                action: Action::Delete,
                reasons: vec![Reason::GroupDeleted],
                destructive: true,
                before: Some(self.live_dataset_value(d)),
                after: None,
                notes: Vec::new(),
            });
        }
        self.group_children_changes(None, l, Reason::GroupDeleted, true);
        self.delete_group_contents(l);
    }

    /// Steps deleting a group with everything in it, the group's change
    /// marked blocked by what pzr does not own unless cascading. Returns the
    /// final step.
    fn delete_group_contents(&mut self, l: &LiveGroup) -> StepId {
        let group = self.out.change_at(&Address::group(&l.name));
        let unowned = self.delete_unowned_children(l, Deleted::Group, group);
        let owned = self.delete_owned_children(l);
        let mut previous = unowned.clone();
        previous.extend(owned.clear_for_datasets);
        let mut dataset_steps = Vec::new();
        for d in &l.datasets {
            let owned = self.owns(&d.tags);
            if !owned && !self.options.cascade {
                continue;
            }
            let address = Address::dataset(&l.name, d.dataset_type);
            if !owned && self.out.change_at(&address).is_none() {
                self.observe(&address);
                self.out.change(NewChange {
                    address: address.clone(),
                    action: Action::Delete,
                    reasons: vec![Reason::CascadeGroup],
                    destructive: true,
                    before: Some(self.live_dataset_value(d)),
                    after: None,
                    notes: Vec::new(),
                });
            }
            let id = self.out.step(
                &address,
                Op::DeleteDataset { arn: d.arn.clone() },
                previous.clone(),
            );
            self.release_schema(&d.schema_arn, id);
            dataset_steps.push(id);
        }
        // The group goes once its datasets and every child are gone.
        let mut after = dataset_steps;
        after.extend(unowned);
        after.extend(owned.gone.into_values());
        self.out.step(
            &Address::group(&l.name),
            Op::DeleteDatasetGroup { arn: l.arn.clone() },
            after,
        )
    }
}
