//! The planner: a pure, deterministic function of the spec and the live state.
//! It implements the ownership table (docs/spec.md) row by row and records, through
//! a `PlanBuilder`, both the changes people review and the steps apply
//! executes. One file per resource kind; `values` holds what changes show.

mod builder;
mod datasets;
mod extra;
mod filters;
mod groups;
mod imports;
mod managed;
mod metric_attributions;
mod owner;
mod pairing;
mod recommenders;
mod retraining;
mod schemas;
mod serving_steps;
mod solutions;
mod trackers;
mod unowned;
mod values;

use std::collections::{BTreeMap, BTreeSet};

use builder::{ChangeId, NewChange, PlanBuilder, StepId};
pub use extra::extra_reads;
pub use filters::child_key;
pub use pairing::{managed_children, ManagedChild, Wanted};
use serde_json::Value;
pub use solutions::campaign_key;

use super::blocker::Blocker;
use super::model::{Action, Plan};
use super::reason::Reason;
use crate::resource::{self, Address, Tags};
use crate::spec::{DatasetGroupSpec, Spec};
use crate::state::{LiveGroup, LiveState};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Delete unmanaged children (solutions, trackers, ...) of groups being deleted.
    pub cascade: bool,
    /// `--replace ADDRESS`: do these again though nothing changed (an
    /// import, a recommender or a solution's training held back after a
    /// failure).
    pub replace: BTreeSet<Address>,
    /// `--train ADDRESS`: train a new version of these solutions now.
    pub train: BTreeSet<Address>,
}

/// Plans `spec` against `live`.
pub fn plan(spec: &Spec, live: &LiveState, options: &PlanOptions) -> Plan {
    let mut p = Planner {
        spec,
        live,
        options,
        stack: spec.stack(),
        ignore: &spec.file.ignore_tags,
        out: PlanBuilder::new(&live.region),
        schema_steps: BTreeMap::new(),
        schema_released_by: BTreeMap::new(),
        cascaded: BTreeMap::new(),
        child_deletes: BTreeMap::new(),
        created_datasets: BTreeMap::new(),
        group_data: BTreeMap::new(),
    };
    p.plan_schemas();
    let mut names: BTreeSet<&str> = spec
        .file
        .dataset_groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    names.extend(
        live.groups
            .iter()
            .filter(|g| g.stack() == Some(p.stack))
            .map(|g| g.name.as_str()),
    );
    for name in names {
        match (spec_group(spec, name), live.group(name)) {
            (Some(g), live_group) => p.plan_group(g, live_group),
            (None, Some(l)) => p.delete_group(l),
            (None, None) => {}
        }
    }
    p.delete_stale_schemas();
    // An address `--replace` or `--train` names must be something this
    // plan does again.
    let asked = [
        ("--replace", &options.replace, "--replace takes an import (datasetImportJob.<group>.<type>) or an event tracker, filter, recommender, solution or campaign the spec declares"),
        ("--train", &options.train, "--train takes a solution (solution.<group>.<key>) the spec declares and the account has, not being trained"),
    ];
    for (flag, addresses, hint) in asked {
        for address in addresses {
            if p.out.change_at(address).is_none() {
                let message =
                    format!("{flag} {address}: this plan has nothing of that address to do again");
                p.out.error(address.clone(), message, hint);
            }
        }
    }
    p.out.build(spec.stack().to_string(), spec.digest.clone())
}

fn spec_group<'a>(spec: &'a Spec, name: &str) -> Option<&'a DatasetGroupSpec> {
    spec.file.dataset_groups.iter().find(|g| g.name == name)
}

struct Planner<'a> {
    spec: &'a Spec,
    live: &'a LiveState,
    options: &'a PlanOptions,
    stack: &'a str,
    ignore: &'a [String],
    out: PlanBuilder,
    /// Managed schema name -> the step creating it.
    schema_steps: BTreeMap<String, StepId>,
    /// Live schema ARN -> steps after which no dataset of this plan uses it.
    schema_released_by: BTreeMap<String, Vec<StepId>>,
    /// Children deleted with `--cascade` -> the step deleting each.
    cascaded: BTreeMap<Address, StepId>,
    /// Group name -> the steps deleting its managed children, which its
    /// dataset deletes wait for.
    child_deletes: BTreeMap<String, Vec<StepId>>,
    /// Dataset address -> the step creating it.
    created_datasets: BTreeMap<Address, StepId>,
    /// Group name -> its data as its serving sees it (`imports`).
    group_data: BTreeMap<String, imports::GroupData>,
}

impl Planner<'_> {
    fn owns(&self, tags: &Tags) -> bool {
        resource::owns(tags, self.stack)
    }

    fn stack_tags(&self, user: &Tags) -> Tags {
        resource::with_stack_tag(user, self.stack)
    }

    /// A group's tags: the user's, the stack's, and `pzr:protect=true` when
    /// the spec protects it.
    fn group_tags(&self, g: &DatasetGroupSpec) -> Tags {
        let mut tags = self.stack_tags(&g.tags);
        if g.protect {
            tags.insert(resource::PROTECT_TAG.to_string(), "true".to_string());
        }
        tags
    }

    /// What protects the data of `g`, live as `l`, from this plan: the
    /// spec's `protect`, else the tag an earlier apply of it left.
    fn protection(&self, g: Option<&DatasetGroupSpec>, l: Option<&LiveGroup>) -> Option<Blocker> {
        if g.is_some_and(|g| g.protect) {
            return Some(Blocker::ProtectedInGroup);
        }
        l.filter(|l| resource::protected(&l.tags))
            .map(|_| Blocker::ProtectedByTag)
    }

    fn observe(&mut self, address: &Address) {
        self.out.observe(self.live, address);
    }

    /// The reason that says an existing resource is taken over.
    fn take_over(&self, address: &Address) -> Reason {
        Reason::TakenOver {
            kind: address.kind(),
            stack: self.stack.to_string(),
        }
    }

    /// An existing resource changed in place: adopted (the first reason
    /// says it is taken over) or updated.
    fn update_in_place(
        &mut self,
        address: Address,
        adopt: bool,
        mut reasons: Vec<Reason>,
        before: Value,
        after: Value,
    ) -> ChangeId {
        let action = if adopt {
            reasons.insert(0, self.take_over(&address));
            Action::Adopt
        } else {
            Action::Update
        };
        self.out.change(NewChange {
            address,
            action,
            reasons,
            destructive: false,
            before: Some(before),
            after: Some(after),
            notes: Vec::new(),
        })
    }
}

/// Reasons as one sentence, for an error's message.
fn joined(reasons: &[Reason]) -> String {
    let all: Vec<String> = reasons.iter().map(Reason::to_string).collect();
    all.join("; ")
}
