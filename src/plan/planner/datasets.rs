//! Datasets: create, adopt, tag, move to a new schema in place where
//! `UpdateDataset` allows it, otherwise replace (losing the imported data).

use serde_json::Value;

use super::super::tags;
use super::builder::{ChangeId, NewChange, StepId};
use super::owner::Owner;
use super::unowned::Deleted;
use super::Planner;
use crate::avro;
use crate::plan::blocker::Blocker;
use crate::plan::model::{Action, ArnRef, Op};
use crate::plan::{FailureReason, Reason};
use crate::resource::{self, Address, Kind, Status};
use crate::spec::{dataset_name, DatasetGroupSpec, DatasetSpec, DatasetType, ResolvedSchema, Spec};
use crate::state::{LiveDataset, LiveGroup, LiveState};

/// One dataset type of a group that both the spec and the account have.
struct Pair<'a> {
    g: &'a DatasetGroupSpec,
    l: &'a LiveGroup,
    t: DatasetType,
    d: &'a DatasetSpec,
    ld: &'a LiveDataset,
}

impl Pair<'_> {
    fn address(&self) -> Address {
        Address::dataset(&self.g.name, self.t)
    }
}

/// What a dataset's schema does in this plan.
enum SchemaMove {
    Stays,
    /// `UpdateDataset` in place, with the reason shown.
    InPlace(Reason),
    /// Not compatible: the dataset is replaced, for this reason.
    Replace(Reason),
}

/// Whether and how the dataset moves to the spec's schema.
fn schema_move(live: &LiveState, p: &Pair, schema: &ResolvedSchema) -> SchemaMove {
    let current = live.schema_by_arn(&p.ld.schema_arn);
    // Same content under another name (an adopted dataset's own schema) is no change.
    let same_content = current.is_some_and(|c| {
        c.definition.as_deref() == Some(schema.canonical.as_str()) && c.domain == schema.domain
    });
    if same_content || current.map(|s| s.name.as_str()) == Some(schema.name.as_str()) {
        return SchemaMove::Stays;
    }
    let old = current
        .and_then(|s| s.definition.as_deref())
        .and_then(|text| serde_json::from_str::<Value>(text).ok());
    let new: Value = serde_json::from_str(&schema.canonical).unwrap_or(Value::Null);
    let from = current
        .map(|s| s.name.as_str())
        .unwrap_or(p.ld.schema_arn.as_str());
    let (from, to) = (from.to_string(), schema.name.clone());
    match old.map(|old| avro::check_schema_update(p.t, &old, &new)) {
        Some(Ok(())) => SchemaMove::InPlace(Reason::SchemaCompatible { from, to }),
        Some(Err(problems)) => {
            SchemaMove::Replace(Reason::SchemaIncompatible { from, to, problems })
        }
        None => SchemaMove::Replace(Reason::SchemaUnread { from, to }),
    }
}

/// Why the live dataset of `p` is replaced to match the spec whatever its
/// schema does (empty: it is not), and what its schema does.
fn replace_reasons(
    live: &LiveState,
    p: &Pair,
    schema: &ResolvedSchema,
) -> (Vec<Reason>, SchemaMove) {
    let mut replace = Vec::new();
    if p.ld.status == Status::CreateFailed {
        replace.push(Reason::CreationFailed {
            failure_reason: FailureReason::NotRead,
        });
    }
    let name = dataset_name(&p.g.name, p.t, p.d);
    if name != p.ld.name {
        replace.push(Reason::ForcesReplacement {
            field: "name".into(),
            from: p.ld.name.clone(),
            to: name,
        });
    }
    (replace, schema_move(live, p, schema))
}

/// The types of `l`'s datasets that planning `g` against it deletes
/// (removed from the spec, or replaced) while the group stays. A schema
/// move whose old content is not read yet counts once it is (see
/// `extra_reads`).
pub(super) fn deleted_datasets(
    spec: &Spec,
    live: &LiveState,
    g: &DatasetGroupSpec,
    l: &LiveGroup,
) -> Vec<DatasetType> {
    let stack = spec.stack();
    DatasetType::ALL
        .into_iter()
        .filter(|t| match (g.datasets.get(*t), l.dataset(*t)) {
            (None, Some(ld)) => resource::owns(&ld.tags, stack),
            (Some(d), Some(ld)) => {
                let Some(schema) = spec.schemas.get(&d.schema) else {
                    return false;
                };
                let p = Pair { g, l, t: *t, d, ld };
                let (replace, schema_move) = replace_reasons(live, &p, schema);
                let unread = live
                    .schema_by_arn(&ld.schema_arn)
                    .is_some_and(|s| s.definition.is_none());
                !replace.is_empty() || (matches!(schema_move, SchemaMove::Replace(_)) && !unread)
            }
            _ => false,
        })
        .collect()
}

impl<'a> Planner<'a> {
    pub(super) fn plan_dataset(
        &mut self,
        g: &'a DatasetGroupSpec,
        l: &'a LiveGroup,
        t: DatasetType,
        adopting: bool,
        ready: &[StepId],
    ) {
        let address = Address::dataset(&g.name, t);
        match (g.datasets.get(t), l.dataset(t)) {
            (None, None) => {}
            (Some(d), None) => {
                self.observe(&address);
                self.out
                    .change(NewChange::create(address, self.dataset_value(g, t, d)));
                self.create_dataset(g, t, d, ArnRef::Known(l.arn.clone()), ready.to_vec());
            }
            (None, Some(ld)) => {
                if !self.owns(&ld.tags) {
                    return; // not ours: never touched
                }
                self.observe(&address);
                let change = self.out.change(NewChange {
                    address,
                    action: Action::Delete,
                    reasons: vec![Reason::NotInSpec {
                        kind: Kind::Dataset,
                    }],
                    destructive: true,
                    before: Some(self.live_dataset_value(ld)),
                    after: None,
                    notes: Vec::new(),
                });
                let protection = self.protection(Some(g), Some(l));
                self.delete_dataset(change, l, ld, protection, ready.to_vec());
            }
            (Some(d), Some(ld)) => self.update_dataset(&Pair { g, l, t, d, ld }, adopting, ready),
        }
    }

    fn update_dataset(&mut self, p: &Pair, adopting: bool, ready: &[StepId]) {
        let owner = Owner {
            address: p.address(),
            kind: Kind::Dataset,
            name: &p.ld.name,
            group: &p.g.name,
            tags: &p.ld.tags,
        };
        let Some(adopt) = self.check_owner(owner, adopting) else {
            return;
        };
        let address = p.address();
        self.observe(&address);
        let Some(schema) = self.spec.schemas.get(&p.d.schema) else {
            return;
        };
        let (mut replace, schema_move) = replace_reasons(self.live, p, schema);
        let in_place = match schema_move {
            SchemaMove::Stays => None,
            SchemaMove::InPlace(reason) => Some(reason),
            SchemaMove::Replace(reason) => {
                replace.push(reason);
                None
            }
        };
        let before = self.live_dataset_value(p.ld);
        let mut after = self.dataset_value(p.g, p.t, p.d);
        if in_place.is_none() && replace.is_empty() {
            // The dataset keeps its schema (an adopted one's own, of the same
            // content): showing the managed name would promise a change.
            after["schema"] = before["schema"].clone();
        }
        if !replace.is_empty() {
            let change = self.out.change(NewChange {
                address,
                action: Action::Replace,
                reasons: replace,
                destructive: p.ld.status != Status::CreateFailed,
                before: Some(before),
                after: Some(after),
                notes: Vec::new(),
            });
            let protection = self.protection(Some(p.g), Some(p.l));
            let deleted = self.delete_dataset(change, p.l, p.ld, protection, ready.to_vec());
            self.create_dataset(p.g, p.t, p.d, ArnRef::Known(p.l.arn.clone()), vec![deleted]);
            return;
        }
        let mut ready = ready.to_vec();
        if p.ld.status.is_settling() {
            // Being created or updated (an interrupted apply): finish by waiting.
            let op = Op::WaitDatasetActive {
                arn: p.ld.arn.clone(),
            };
            ready.push(self.out.step(&address, op, ready.clone()));
        }
        let diff = tags::diff(&self.stack_tags(&p.d.tags), &p.ld.tags, self.ignore);
        if in_place.is_none() && diff.is_empty() {
            return;
        }
        let mut reasons: Vec<Reason> = in_place.iter().cloned().collect();
        reasons.extend(diff.reasons(&p.ld.tags));
        self.update_in_place(address.clone(), adopt, reasons, before, after);
        // Tag first: an adopted dataset is marked as owned before anything else changes.
        let tagged = self.tag_steps(&address, &p.ld.arn, &diff);
        if in_place.is_none() {
            return;
        }
        if let Some(schema_ref) = self.schema_ref(&p.d.schema) {
            let after: Vec<StepId> = schema_ref
                .created_by()
                .into_iter()
                .chain(tagged)
                .chain(ready)
                .collect();
            let op = Op::UpdateDataset {
                arn: p.ld.arn.clone(),
                schema: schema_ref,
            };
            let id = self.out.step(&address, op, after);
            self.release_schema(&p.ld.schema_arn, id);
        }
    }

    /// The step deleting `ld` of `l` (the subject of `change`), after `after`
    /// and after the children in its way (with `--cascade`). The change is
    /// blocked (`protection`) when it destroys data of a protected group, and by children
    /// in its way that pzr does not own.
    fn delete_dataset(
        &mut self,
        change: ChangeId,
        l: &LiveGroup,
        ld: &LiveDataset,
        protection: Option<Blocker>,
        mut after: Vec<StepId>,
    ) -> StepId {
        let c = self.out.get_mut(change);
        if let (Some(blocker), true) = (protection, c.destructive) {
            c.blocked.push(blocker);
        }
        let address = c.address.clone();
        let deleted = Deleted::Dataset(ld.dataset_type);
        after.extend(self.delete_unowned_children(l, deleted, Some(change)));
        // The group's managed children in its way are deleted first (see `managed`).
        after.extend(self.child_deletes.get(&l.name).into_iter().flatten());
        let id = self.out.step(
            &address,
            Op::DeleteDataset {
                arn: ld.arn.clone(),
            },
            after,
        );
        self.release_schema(&ld.schema_arn, id);
        id
    }

    pub(super) fn create_dataset(
        &mut self,
        g: &DatasetGroupSpec,
        t: DatasetType,
        d: &DatasetSpec,
        group: ArnRef,
        mut after: Vec<StepId>,
    ) -> Option<StepId> {
        let schema = self.schema_ref(&d.schema)?;
        after.extend(schema.created_by());
        let op = Op::CreateDataset {
            name: dataset_name(&g.name, t, d),
            dataset_type: t,
            group,
            schema,
            tags: self.stack_tags(&d.tags),
        };
        let address = Address::dataset(&g.name, t);
        let id = self.out.step(&address, op, after);
        self.created_datasets.insert(address, id);
        Some(id)
    }
}
