//! The children of a dataset group that a spec declares (event trackers,
//! filters, recommenders, solutions and their campaigns, metric attributions): each spec child,
//! paired with the live one it means (pairing.rs), goes through the
//! ownership table as datasets do (create, adopt, tags and the API's
//! updatable settings in place, replace, delete). What differs between
//! kinds is data: `Facts` (trackers.rs, filters.rs, recommenders.rs,
//! solutions.rs); what
//! only the serving kinds do (updates, recommender state, deploying a
//! campaign) is serving_steps.rs.

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::tags::{self, TagDiff};
use super::builder::{NewChange, StepId};
use super::owner::Owner;
use super::pairing::{facts, managed_children, Facts, Wanted};
use super::serving_steps::{ChildDeletes, Deployable, Deployables};
use super::unowned::Deleted;
use super::values::config_fields;
use super::{joined, solutions, Planner};
use crate::plan::blocker::Blocker;
use crate::plan::cost;
use crate::plan::model::{Action, ArnRef, Op};
use crate::plan::{Deferral, Note, Reason};
use crate::resource::{Address, DatasetType, Kind, Status};
use crate::spec::DatasetGroupSpec;
use crate::state::{LiveChild, LiveGroup};

/// A create waiting for the group's datasets: the child, and whether it
/// replaces a live one (then it waits for that one's delete too).
pub(super) struct Pending {
    pub wanted: Wanted,
    pub replaces: bool,
}

/// The children of a group that stays, planned before its datasets (whose
/// deletes wait for theirs) and shown after them: their changes (each with
/// what protection blocks it, if any) are recorded by `finish_children`.
#[derive(Default)]
pub(super) struct ChildPlan {
    changes: Vec<(NewChange, Option<Blocker>)>,
    pending: Vec<Pending>,
    /// The steps deleting children this plan replaces, by address.
    deleted: BTreeMap<Address, StepId>,
    /// The live solutions the plan keeps, which campaigns may be deployed on.
    solutions: Deployables,
    /// Changes recorded with no step, and why (a failed recommender held back).
    deferred: Vec<(Address, Deferral)>,
}

impl<'a> Planner<'a> {
    /// The managed children of `g`, which stays as `l`: records every
    /// change, the deletes (which the group's dataset deletes wait for), and
    /// returns the creates, which wait for the group's datasets
    /// (`create_children`). A child in the way of a dataset this plan
    /// deletes (`deleted`) is deleted first and created again after.
    pub(super) fn plan_children(
        &mut self,
        g: &DatasetGroupSpec,
        l: &'a LiveGroup,
        adopting: bool,
        deleted: &[DatasetType],
        ready: &[StepId],
    ) -> ChildPlan {
        let mut plan = ChildPlan::default();
        let mut deletes: Vec<(Address, &'a LiveChild)> = Vec::new();
        for p in managed_children(&g.name, Some(g), Some(l)) {
            match (p.wanted, p.live) {
                (None, None) => {}
                (None, Some(c)) => {
                    if !c.owned_by(self.stack) {
                        continue; // not ours: never touched
                    }
                    self.out.observe_child(self.live, &p.address, &c.name);
                    let destructive = facts(c.kind).destroys.is_some() && !c.status.is_deleting();
                    let change = NewChange {
                        address: p.address.clone(),
                        action: Action::Delete,
                        reasons: vec![Reason::NotInSpec { kind: c.kind }],
                        destructive,
                        before: Some(self.live_child_value(c)),
                        after: None,
                        notes: billed(Some(c), None),
                    };
                    let blocker = self.protection(Some(g), Some(l)).filter(|_| destructive);
                    plan.changes.push((change, blocker));
                    deletes.push((p.address, c));
                }
                (Some(w), None) => {
                    self.out.observe_child(self.live, &w.address, &w.name);
                    let after = self.wanted_value(&w);
                    let change = NewChange {
                        notes: billed(None, Some(&w)),
                        ..NewChange::create(w.address.clone(), after)
                    };
                    plan.changes.push((change, None));
                    plan.pending.push(Pending {
                        wanted: w,
                        replaces: false,
                    });
                }
                (Some(w), Some(c)) => {
                    self.out.observe_child(self.live, &w.address, &c.name);
                    let going: Vec<&str> = deletes.iter().map(|(_, c)| c.arn.as_str()).collect();
                    let replaced =
                        self.update_child(g, l, &w, c, adopting, deleted, ready, &going, &mut plan);
                    if replaced {
                        deletes.push((w.address.clone(), c));
                        plan.pending.push(Pending {
                            wanted: w,
                            replaces: true,
                        });
                    }
                }
            }
        }
        let deletes = self.delete_child_steps(&deletes);
        plan.deleted = deletes.gone;
        self.child_deletes
            .insert(g.name.clone(), deletes.clear_for_datasets);
        plan
    }

    /// Records `plan`'s changes, and its creates after `after` and the
    /// group's datasets.
    pub(super) fn finish_children(
        &mut self,
        g: &DatasetGroupSpec,
        group: ArnRef,
        plan: ChildPlan,
        after: Vec<StepId>,
    ) {
        for (change, blocker) in plan.changes {
            let id = self.out.change(change);
            self.out.get_mut(id).blocked.extend(blocker);
        }
        for (address, why) in plan.deferred {
            if let Some(id) = self.out.change_at(&address) {
                self.out.get_mut(id).deferred = Some(why);
            }
        }
        self.plan_retraining(g, &plan.solutions);
        self.create_children(g, group, plan.solutions, plan.pending, &plan.deleted, after);
    }

    /// A child both the spec and the account have: adopted, updated in
    /// place, waited for, or replaced. Returns whether it is replaced (its
    /// delete is then the caller's to plan). `going` holds the ARNs of the
    /// children this plan deletes so far (solutions come before their
    /// campaigns).
    #[allow(clippy::too_many_arguments)]
    fn update_child(
        &mut self,
        g: &DatasetGroupSpec,
        l: &LiveGroup,
        w: &Wanted,
        c: &LiveChild,
        adopting: bool,
        deleted: &[DatasetType],
        ready: &[StepId],
        going: &[&str],
        plan: &mut ChildPlan,
    ) -> bool {
        let live_tags = c.tags.clone().unwrap_or_default();
        let owner = Owner {
            address: w.address.clone(),
            kind: c.kind,
            name: &c.name,
            group: &g.name,
            tags: &live_tags,
        };
        let Some(adopt) = self.check_owner(owner, adopting) else {
            return false;
        };
        let facts = facts(c.kind);
        let (mut reasons, mut in_place) = setting_reasons(w, c, facts);
        let moved = super::serving_steps::newer_version(g, l, w, c);
        if let Some(version) = &moved {
            in_place.push(Reason::NewerVersion {
                version: version.clone(),
            });
        }
        if self.options.replace.contains(&w.address) {
            reasons.push(Reason::ReplaceRequested);
        }
        reasons.extend(solutions::moved_campaign(g, l, w, c, going));
        if let Some(t) = deleted.iter().find(|t| Deleted::Dataset(**t).in_the_way(c)) {
            reasons.push(Reason::RecreatedForDataset {
                dataset: Address::dataset(&g.name, *t),
            });
        }
        let (before, after) = (self.live_child_value(c), self.wanted_value(w));
        if let Some(why) = self.held_back(g, w, c, &mut reasons) {
            let change = NewChange {
                address: w.address.clone(),
                action: Action::Replace,
                reasons,
                destructive: false,
                before: Some(before),
                after: Some(after),
                notes: Vec::new(),
            };
            plan.changes.push((change, None));
            plan.deferred.push((w.address.clone(), why));
            return false;
        }
        if !reasons.is_empty() {
            if adopt {
                self.out.error(
                    w.address.clone(),
                    format!(
                        "cannot adopt {} {}: {}",
                        c.kind.label(),
                        c.name,
                        joined(&reasons)
                    ),
                    "adoption never replaces: make the spec match the live one, or delete it first",
                );
                return false;
            }
            let holds = !matches!(c.status, Status::CreateFailed) && !c.status.is_deleting();
            let destructive = holds && facts.destroys.is_some();
            let cost = if destructive {
                &facts.destroys
            } else {
                &facts.gap
            };
            reasons.extend(cost.clone());
            let change = NewChange {
                address: w.address.clone(),
                action: Action::Replace,
                reasons,
                destructive,
                before: Some(before),
                after: Some(after),
                notes: billed(Some(c), Some(w)),
            };
            let blocker = self.protection(Some(g), Some(l)).filter(|_| destructive);
            plan.changes.push((change, blocker));
            return true;
        }
        let mut ready = ready.to_vec();
        if c.status.is_settling() {
            // Being created, stopped or started (an interrupted apply):
            // finish by waiting.
            let op = match c.status {
                Status::StopPending
                | Status::StopInProgress
                | Status::StartPending
                | Status::StartInProgress => Op::SetRecommenderState {
                    arn: ArnRef::Known(c.arn.clone()),
                    running: matches!(c.status, Status::StartPending | Status::StartInProgress),
                },
                _ => Op::WaitChildActive {
                    kind: c.kind,
                    arn: c.arn.clone(),
                },
            };
            ready = vec![self.out.step(&w.address, op, ready)];
        }
        // A kind Personalize cannot tag has nothing to tag (its "tags" are
        // its group's ownership).
        let diff = if c.kind.info().taggable {
            tags::diff(&self.stack_tags(&w.tags), &live_tags, self.ignore)
        } else {
            TagDiff::default()
        };
        if c.kind == Kind::Solution {
            let key = w.address.key().to_string();
            plan.solutions.insert(key, Deployable::kept(c));
        }
        let updating = !in_place.is_empty();
        if adopt || !diff.is_empty() || updating {
            if updating {
                self.update_steps(w, c, l, moved, &ready);
            }
            let mut reasons = in_place;
            reasons.extend(diff.reasons(&live_tags));
            let action = if adopt {
                reasons.insert(0, self.take_over(&w.address));
                Action::Adopt
            } else {
                Action::Update
            };
            let change = NewChange {
                address: w.address.clone(),
                action,
                reasons,
                destructive: false,
                before: Some(before),
                after: Some(after),
                notes: billed(Some(c), Some(w)),
            };
            plan.changes.push((change, None));
            self.tag_steps(&w.address, &c.arn, &diff);
        }
        false
    }

    /// The steps deleting `c`, at `address`, after `after`: the one after
    /// which the group's datasets may go, and the one after which `c` is
    /// gone. A solution's training is stopped by a step of its own, at once:
    /// datasets wait for no more (DeleteDataset is refused while a version
    /// trains, not while its solution exists,
    /// https://docs.aws.amazon.com/personalize/latest/dg/delete-dataset.html),
    /// so they go while the solution does.
    pub(super) fn delete_child_step(
        &mut self,
        address: &Address,
        c: &LiveChild,
        mut after: Vec<StepId>,
    ) -> (StepId, StepId) {
        let stopped = (c.kind == Kind::Solution).then(|| {
            let op = Op::StopTraining { arn: c.arn.clone() };
            self.out.step(address, op, Vec::new())
        });
        after.extend(stopped);
        let op = Op::DeleteChild {
            kind: c.kind,
            arn: c.arn.clone(),
        };
        let gone = self.out.step(address, op, after);
        (stopped.unwrap_or(gone), gone)
    }

    /// Steps creating what `pending` holds in the group `group` (whose
    /// kept solutions are `solutions`), after `after`, everything the
    /// group's datasets do in this plan, and the deletes of what they
    /// replace.
    fn create_children(
        &mut self,
        g: &DatasetGroupSpec,
        group: ArnRef,
        mut solutions: Deployables,
        pending: Vec<Pending>,
        deleted: &BTreeMap<Address, StepId>,
        mut after: Vec<StepId>,
    ) {
        let dataset = |a: &Address| a.kind() == Kind::Dataset && a.group_name() == Some(&g.name);
        after.extend(self.out.steps_where(dataset));
        after.extend(group.created_by());
        for p in pending {
            let w = &p.wanted;
            let mut all = after.clone();
            all.extend(deleted.get(&w.address).filter(|_| p.replaces));
            if w.config.kind() == Kind::Recommender {
                // It trains on the group's interactions as it is created.
                match self.data_of(&g.name).filter(|d| d.has_interactions()) {
                    Some(data) => all.extend(data.steps.iter().copied()),
                    None => {
                        self.defer(w, Deferral::NoInteractionsData);
                        continue;
                    }
                }
            }
            let parent = match &w.solution {
                None => group.clone(),
                Some(key) => match self.deployable(g, key, w, &mut solutions) {
                    Some(version) => version,
                    None => continue, // deferred
                },
            };
            let op = Op::CreateChild {
                name: w.name.clone(),
                parent,
                config: w.config.clone(),
                tags: self.stack_tags(&w.tags),
            };
            let step = self.out.step(&w.address, op, all);
            self.after_create(w, step, &mut solutions);
        }
    }

    /// Steps creating every child `g` wants in its group, new or replaced
    /// (`group`), after its datasets.
    pub(super) fn create_all_children(&mut self, g: &DatasetGroupSpec, group: ArnRef) {
        let pending = managed_children(&g.name, Some(g), None)
            .into_iter()
            .filter_map(|p| p.wanted)
            .map(|wanted| Pending {
                wanted,
                replaces: false,
            })
            .collect();
        let none = Deployables::new();
        self.create_children(g, group, none, pending, &BTreeMap::new(), Vec::new());
    }

    /// The changes creating every child `g` wants in a new group.
    pub(super) fn new_children_changes(&mut self, g: &DatasetGroupSpec) {
        for w in managed_children(&g.name, Some(g), None)
            .into_iter()
            .filter_map(|p| p.wanted)
        {
            self.out.observe_child(self.live, &w.address, &w.name);
            let after = self.wanted_value(&w);
            let notes = billed(None, Some(&w));
            self.out.change(NewChange {
                notes,
                ..NewChange::create(w.address, after)
            });
        }
    }

    /// The changes of the managed children of `l`, a group being deleted
    /// (`g: None`) or replaced by `g`, each for `reason`. Their steps are
    /// `delete_owned_children`'s and `create_children`'s.
    pub(super) fn group_children_changes(
        &mut self,
        g: Option<&DatasetGroupSpec>,
        l: &LiveGroup,
        reason: Reason,
        group_destructive: bool,
    ) {
        for p in managed_children(&l.name, g, Some(l)) {
            let live = p.live.filter(|c| c.owned_by(self.stack));
            let action = match (&p.wanted, live) {
                (Some(_), Some(_)) => Action::Replace,
                (Some(_), None) => Action::Create,
                (None, Some(_)) => Action::Delete,
                (None, None) => continue,
            };
            let name = live.map(|c| &c.name).or(p.wanted.as_ref().map(|w| &w.name));
            self.out
                .observe_child(self.live, &p.address, name.map_or("", |n| n.as_str()));
            let destroys = live.is_some_and(|c| facts(c.kind).destroys.is_some());
            self.out.change(NewChange {
                address: p.address,
                action,
                reasons: vec![reason.clone()],
                destructive: group_destructive && destroys,
                before: live.map(|c| self.live_child_value(c)),
                after: p.wanted.as_ref().map(|w| self.wanted_value(w)),
                notes: billed(live, p.wanted.as_ref()),
            });
        }
    }

    /// Steps deleting the children of `l` this stack owns (its group goes).
    pub(super) fn delete_owned_children(&mut self, l: &LiveGroup) -> ChildDeletes {
        let owned: Vec<(Address, &LiveChild)> = managed_children(&l.name, None, Some(l))
            .into_iter()
            .filter_map(|p| Some((p.address, p.live.filter(|c| c.owned_by(self.stack))?)))
            .collect();
        self.delete_child_steps(&owned)
    }
}

impl Planner<'_> {
    /// Why a recommender whose creation failed is not created again: it was
    /// billed, and failing for want of data it would fail again while no
    /// data arrived since and nothing else changed (`--replace` forces it:
    /// it adds a reason).
    /// Data that arrived since is said among `reasons`.
    fn held_back(
        &self,
        g: &DatasetGroupSpec,
        w: &Wanted,
        c: &LiveChild,
        reasons: &mut Vec<Reason>,
    ) -> Option<Deferral> {
        let only_failed = matches!(reasons.as_slice(), [Reason::CreationFailed { .. }]);
        if c.kind != Kind::Recommender || !only_failed {
            return None;
        }
        let data = self.data_of(&g.name);
        if data.is_some_and(|d| d.arrived_since(c.last_updated)) {
            reasons.push(Reason::DataImportedSinceFailure);
            return None;
        }
        let failure_reason = c.details.as_ref().and_then(|d| d.failure_reason.clone());
        Some(Deferral::FailedForData {
            failure_reason: failure_reason.unwrap_or_else(|| "no reason given".into()),
            replace: w.address.to_string(),
        })
    }
}

/// Why the live child `c` must be replaced to be `w` (empty: it need
/// not), and what of its settings changes in place (`facts.in_place`).
fn setting_reasons(w: &Wanted, c: &LiveChild, facts: &Facts) -> (Vec<Reason>, Vec<Reason>) {
    let (mut replace, mut in_place) = (Vec::new(), Vec::new());
    if c.status == Status::CreateFailed {
        let why = c.details.as_ref().and_then(|d| d.failure_reason.as_deref());
        replace.push(Reason::CreationFailed {
            failure_reason: why.into(),
        });
    } else if c.status.is_deleting() {
        replace.push(Reason::BeingDeleted);
    }
    if w.name != c.name {
        replace.push(Reason::ForcesReplacement {
            field: "name".into(),
            from: c.name.clone(),
            to: w.name.clone(),
        });
    }
    // Unread settings (no Describe) are not compared.
    if let Some(live) = c.config() {
        let (have, want) = (config_fields(&live), config_fields(&w.config));
        for (field, value) in &want {
            let old = have.get(field).unwrap_or(&Value::Null);
            if old == value {
                continue;
            }
            let (field, from, to) = (field.clone(), old.to_string(), value.to_string());
            if facts.in_place.contains(&field.as_str()) {
                in_place.push(Reason::SettingChanged { field, from, to });
            } else {
                replace.push(Reason::ForcesReplacement { field, from, to });
            }
        }
    }
    (replace, in_place)
}

/// The billing notes of a managed child going from `live` to `wanted`,
/// from the settings compared (unread ones: none).
fn billed(live: Option<&LiveChild>, wanted: Option<&Wanted>) -> Vec<Note> {
    let old = live.and_then(LiveChild::config);
    cost::notes(old.as_ref(), wanted.map(|w| &w.config))
}
