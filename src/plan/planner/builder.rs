//! Where the planner records its output. Each recorded change and step gets
//! a handle back, so later decisions name what they amend instead of
//! searching for it or reaching for "the last one".

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::model::*;
use crate::plan::observe::observe;
use crate::plan::{Note, PricedNote, Reason};
use crate::resource::Address;
use crate::state::LiveState;

/// A change recorded in the builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeId(usize);

/// A step recorded in the builder; its position in the plan.
pub type StepId = usize;

/// A change before it is recorded. `destructive` is stated by the planner
/// for each change, never guessed.
pub struct NewChange {
    pub address: Address,
    pub action: Action,
    pub reasons: Vec<Reason>,
    pub destructive: bool,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// What it does to the bill (`cost::notes`, from the settings compared).
    pub notes: Vec<Note>,
}

impl NewChange {
    /// A resource to create, showing what it will be.
    pub fn create(address: Address, after: Value) -> NewChange {
        NewChange {
            address,
            action: Action::Create,
            reasons: Vec::new(),
            destructive: false,
            before: None,
            after: Some(after),
            notes: Vec::new(),
        }
    }
}

pub struct PlanBuilder {
    /// The plan's Region: notes are priced in it as they are recorded.
    region: String,
    changes: Vec<Change>,
    by_address: BTreeMap<Address, ChangeId>,
    errors: Vec<PlanError>,
    steps: Vec<Step>,
    observed: Vec<Observed>,
}

impl PlanBuilder {
    pub fn new(region: &str) -> PlanBuilder {
        PlanBuilder {
            region: region.to_string(),
            changes: Vec::new(),
            by_address: BTreeMap::new(),
            errors: Vec::new(),
            steps: Vec::new(),
            observed: Vec::new(),
        }
    }

    pub fn change(&mut self, new: NewChange) -> ChangeId {
        let id = ChangeId(self.changes.len());
        self.by_address.entry(new.address.clone()).or_insert(id);
        self.changes.push(Change {
            address: new.address,
            action: new.action,
            reasons: new.reasons,
            blocked: Vec::new(),
            destructive: new.destructive,
            before: new.before,
            after: new.after,
            notes: new.notes.into_iter().map(|n| self.priced(n)).collect(),
            deferred: None,
        });
        id
    }

    fn priced(&self, note: Note) -> PricedNote {
        PricedNote::new(note, &self.region)
    }

    /// Adds a note to a recorded change.
    pub fn note(&mut self, id: ChangeId, note: Note) {
        let priced = self.priced(note);
        self.get_mut(id).notes.push(priced);
    }

    /// The change recorded for `address`, if any.
    pub fn change_at(&self, address: &Address) -> Option<ChangeId> {
        self.by_address.get(address).copied()
    }

    pub fn get(&self, id: ChangeId) -> &Change {
        &self.changes[id.0]
    }

    pub fn get_mut(&mut self, id: ChangeId) -> &mut Change {
        &mut self.changes[id.0]
    }

    /// Records a step after the steps `after` (deduplicated, sorted).
    pub fn step(
        &mut self,
        address: &Address,
        op: Op,
        after: impl IntoIterator<Item = StepId>,
    ) -> StepId {
        let id = self.steps.len();
        let after: BTreeSet<StepId> = after.into_iter().filter(|a| *a != id).collect();
        self.steps.push(Step {
            id,
            address: address.clone(),
            op,
            after: after.into_iter().collect(),
        });
        id
    }

    /// The steps recorded so far whose address satisfies `f`.
    pub fn steps_where(&self, f: impl Fn(&Address) -> bool) -> Vec<StepId> {
        self.steps
            .iter()
            .filter(|s| f(&s.address))
            .map(|s| s.id)
            .collect()
    }

    pub fn error(&mut self, address: Address, message: String, hint: &str) {
        self.errors.push(PlanError {
            address,
            message,
            hint: hint.to_string(),
        });
    }

    /// Records what `live` says of `address`, for the saved plan's staleness check.
    pub fn observe(&mut self, live: &LiveState, address: &Address) {
        self.observed.push(observe(live, address, None));
    }

    /// As `observe`, for a child found by its live `name`.
    pub fn observe_child(&mut self, live: &LiveState, address: &Address, name: &str) {
        self.observed.push(observe(live, address, Some(name)));
    }

    pub fn build(self, stack: String, spec_digest: String) -> Plan {
        Plan {
            format_version: FORMAT_VERSION,
            stack,
            region: self.region,
            changes: self.changes,
            errors: self.errors,
            spec_digest,
            observed: self.observed,
            steps: self.steps,
            origin: Origin::default(),
        }
    }
}
