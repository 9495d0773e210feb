//! The planner: a pure, deterministic function of the spec and the live state.
//! It implements DESIGN.md's ownership table row by row and emits both the
//! changes people review and the steps apply executes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::model::*;
use super::tags::{self, TagDiff};
use crate::avro;
use crate::live::{ChildKind, ExtraReads, LiveDataset, LiveGroup, LiveState, Tags};
use crate::spec::{dataset_name, DatasetGroupSpec, DatasetSpec, DatasetType, Spec};
use crate::STACK_TAG;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Delete unmanaged children (solutions, trackers, ...) of groups being deleted.
    pub cascade: bool,
}

/// What the live reader must fetch beyond the first read for this spec:
/// children of groups that would be deleted or replaced, and the content of
/// schemas datasets would move off.
pub fn extra_reads(spec: &Spec, live: &LiveState) -> ExtraReads {
    let stack = spec.stack();
    let mut extra = ExtraReads::default();
    for group in live.groups.iter().filter(|g| g.stack() == Some(stack)) {
        let replaced =
            spec_group(spec, &group.name).is_some_and(|g| !replace_reasons(g, group).is_empty());
        if replaced || spec_group(spec, &group.name).is_none() {
            extra.children_of.insert(group.name.clone());
        }
    }
    for g in &spec.file.dataset_groups {
        let Some(live_group) = live.group(&g.name) else {
            continue;
        };
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

fn spec_group<'a>(spec: &'a Spec, name: &str) -> Option<&'a DatasetGroupSpec> {
    spec.file.dataset_groups.iter().find(|g| g.name == name)
}

/// Why a live group must be replaced to match the spec (empty: it need not be).
fn replace_reasons(g: &DatasetGroupSpec, live: &LiveGroup) -> Vec<String> {
    let mut reasons = Vec::new();
    match live.status.as_str() {
        "CREATE FAILED" => {
            let why = live
                .details
                .as_ref()
                .and_then(|d| d.failure_reason.as_deref())
                .unwrap_or("no reason given");
            reasons.push(format!("creation failed ({why}); it is recreated"));
        }
        "DELETE PENDING" => reasons.push("it is being deleted; it is recreated once gone".into()),
        _ => {}
    }
    if g.domain != live.domain {
        reasons.push(format!(
            "domain: {} -> {} forces replacement",
            show(live.domain),
            show(g.domain)
        ));
    }
    if let Some(details) = &live.details {
        let fields = [
            ("kmsKeyArn", &details.kms_key_arn, &g.kms_key_arn),
            ("roleArn", &details.role_arn, &g.role_arn),
        ];
        for (field, have, want) in fields {
            if have != want {
                reasons.push(format!(
                    "{field}: {} -> {} forces replacement",
                    show(have.as_deref()),
                    show(want.as_deref())
                ));
            }
        }
    }
    reasons
}

fn show<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "(none)".into())
}

/// Plans `spec` against `live`.
pub fn plan(spec: &Spec, live: &LiveState, options: PlanOptions) -> Plan {
    let mut p = Planner {
        spec,
        live,
        options,
        stack: spec.stack(),
        ignore: &spec.file.ignore_tags,
        changes: Vec::new(),
        errors: Vec::new(),
        steps: Vec::new(),
        observed: Vec::new(),
        schema_steps: BTreeMap::new(),
        schema_released_by: BTreeMap::new(),
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
    Plan {
        format_version: FORMAT_VERSION,
        stack: spec.stack().to_string(),
        region: live.region.clone(),
        changes: p.changes,
        errors: p.errors,
        spec_digest: spec.digest.clone(),
        observed: p.observed,
        steps: p.steps,
    }
}

struct Planner<'a> {
    spec: &'a Spec,
    live: &'a LiveState,
    options: PlanOptions,
    stack: &'a str,
    ignore: &'a [String],
    changes: Vec<Change>,
    errors: Vec<PlanError>,
    steps: Vec<Step>,
    observed: Vec<Observed>,
    /// Managed schema name -> the step creating it.
    schema_steps: BTreeMap<String, usize>,
    /// Live schema ARN -> steps after which no dataset of this plan uses it.
    schema_released_by: BTreeMap<String, Vec<usize>>,
}

impl<'a> Planner<'a> {
    fn step(&mut self, address: &str, op: Op, after: Vec<usize>) -> usize {
        let id = self.steps.len();
        let mut after: Vec<usize> = after
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        after.retain(|a| *a != id);
        self.steps.push(Step {
            id,
            address: address.to_string(),
            op,
            after,
        });
        id
    }

    fn change(
        &mut self,
        address: String,
        action: Action,
        reasons: Vec<String>,
        before: Option<Value>,
        after: Option<Value>,
    ) -> &mut Change {
        let destructive =
            matches!(action, Action::Replace | Action::Delete) && !address.starts_with("schema.");
        self.changes.push(Change {
            address,
            action,
            reasons,
            blocked: Vec::new(),
            destructive,
            before,
            after,
        });
        self.changes.last_mut().expect("just pushed")
    }

    fn error(&mut self, address: String, message: String, hint: &str) {
        self.errors.push(PlanError {
            address,
            message,
            hint: hint.to_string(),
        });
    }

    fn observe(&mut self, address: &str) {
        self.observed
            .push(super::observe::observe(self.live, address));
    }

    fn stack_tags(&self, user: &Tags) -> Tags {
        let mut t = user.clone();
        t.insert(STACK_TAG.to_string(), self.stack.to_string());
        t
    }

    // ---- schemas -------------------------------------------------------

    fn plan_schemas(&mut self) {
        let spec = self.spec;
        for (key, schema) in &spec.schemas {
            let address = format!("schema.{key}");
            if self.live.schema_by_name(&schema.name).is_some() {
                continue;
            }
            let old: Vec<_> = self
                .stale_schemas()
                .filter(|(k, _)| *k == key)
                .map(|(_, s)| s)
                .collect();
            let after_value = schema_value(
                &schema.name,
                schema.domain.map(|d| d.as_api()),
                Some(&schema.canonical),
            );
            let (action, reasons, before) = match old.first() {
                Some(old_schema) => (
                    Action::Replace,
                    vec![format!("content changed: new schema {} (schemas are immutable); {} is deleted once unused", schema.name, old_schema.name)],
                    Some(schema_value(&old_schema.name, old_schema.domain.map(|d| d.as_api()), old_schema.definition.as_deref())),
                ),
                None => (Action::Create, Vec::new(), None),
            };
            self.change(address.clone(), action, reasons, before, Some(after_value));
            let id = self.step(
                &address,
                Op::CreateSchema {
                    name: schema.name.clone(),
                    definition: schema.canonical.clone(),
                    domain: schema.domain,
                },
                Vec::new(),
            );
            self.schema_steps.insert(schema.name.clone(), id);
        }
    }

    /// Live schemas of this stack whose content the spec no longer has, with their key.
    fn stale_schemas(&self) -> impl Iterator<Item = (&'a str, &'a crate::live::LiveSchema)> + '_ {
        let (spec, stack) = (self.spec, self.stack);
        self.live.schemas.iter().filter_map(move |s| {
            let key = avro::managed_schema_key(stack, &s.name)?;
            let wanted = spec.schemas.get(key).is_some_and(|r| r.name == s.name);
            (!wanted).then_some((key, s))
        })
    }

    fn delete_stale_schemas(&mut self) {
        let stale: Vec<_> = self
            .stale_schemas()
            .map(|(k, s)| (k.to_string(), s.clone()))
            .collect();
        for (key, schema) in stale {
            let address = format!("schema.{key}");
            let why = if self.spec.schemas.contains_key(&key) {
                // Left over by an interrupted apply, say: the step must not be invisible.
                format!(
                    "{} is an earlier version that the spec no longer uses",
                    schema.name
                )
            } else {
                format!("{} is no longer in the spec", schema.name)
            };
            match self.changes.iter_mut().find(|c| c.address == address) {
                // Another old version of the same key: one change lists them all.
                Some(c) if c.action == Action::Delete => c.reasons.push(why),
                Some(_) => {} // a replace, which names the old version
                None => {
                    self.change(
                        address.clone(),
                        Action::Delete,
                        vec![why],
                        Some(schema_value(
                            &schema.name,
                            schema.domain.map(|d| d.as_api()),
                            schema.definition.as_deref(),
                        )),
                        None,
                    );
                }
            }
            let after = self
                .schema_released_by
                .get(&schema.arn)
                .cloned()
                .unwrap_or_default();
            self.step(
                &address,
                Op::DeleteSchema {
                    arn: schema.arn.clone(),
                },
                after,
            );
        }
    }

    /// The ARN of the spec's schema `key`: live, or created by this plan.
    fn schema_ref(&self, key: &str) -> Option<ArnRef> {
        let name = &self.spec.schemas.get(key)?.name;
        if let Some(s) = self.live.schema_by_name(name) {
            return Some(ArnRef::Known(s.arn.clone()));
        }
        self.schema_steps.get(name).map(|id| ArnRef::CreatedBy(*id))
    }

    fn schema_after(&self, r: &ArnRef) -> Vec<usize> {
        match r {
            ArnRef::CreatedBy(id) => vec![*id],
            ArnRef::Known(_) => Vec::new(),
        }
    }

    fn release_schema(&mut self, schema_arn: &str, step: usize) {
        self.schema_released_by
            .entry(schema_arn.to_string())
            .or_default()
            .push(step);
    }

    // ---- dataset groups ------------------------------------------------

    fn plan_group(&mut self, g: &'a DatasetGroupSpec, live: Option<&'a LiveGroup>) {
        let address = format!("datasetGroup.{}", g.name);
        let Some(l) = live else {
            self.observe(&address);
            self.change(
                address.clone(),
                Action::Create,
                Vec::new(),
                None,
                Some(self.group_value(g)),
            );
            for (t, d) in g.datasets.iter() {
                let daddr = format!("dataset.{}.{}", g.name, t);
                self.observe(&daddr);
                let after = self.dataset_value(g, t, d);
                self.change(daddr, Action::Create, Vec::new(), None, Some(after));
            }
            self.create_group(g, Vec::new());
            return;
        };
        self.observe(&address);
        let adopting = match l.stack() {
            Some(s) if s == self.stack => false,
            Some(other) => {
                self.error(
                    address,
                    format!(
                        "dataset group {} exists and belongs to pzr stack {other:?}",
                        g.name
                    ),
                    "remove it from that stack's spec first, or rename the group in this spec",
                );
                return;
            }
            None if !g.adopt => {
                self.error(
                    address,
                    format!(
                        "dataset group {} exists and is not managed by stack {:?}",
                        g.name, self.stack
                    ),
                    "set `adopt: true` on this group to take it over, or rename it",
                );
                return;
            }
            None => true,
        };
        let replace = replace_reasons(g, l);
        if !replace.is_empty() {
            if adopting {
                self.error(
                    address,
                    format!("cannot adopt dataset group {}: {}", g.name, replace.join("; ")),
                    "adoption never replaces a group: make the spec match the live group's immutable fields",
                );
                return;
            }
            self.replace_group(g, l, replace);
            return;
        }
        let desired = self.stack_tags(&g.tags);
        let diff = tags::diff(&desired, &l.tags, self.ignore);
        let mut ready = Vec::new();
        if adopting || !diff.is_empty() {
            let mut reasons = diff.reasons(&l.tags);
            let action = if adopting {
                reasons.insert(
                    0,
                    format!(
                        "take over the existing group (tag {STACK_TAG}={})",
                        self.stack
                    ),
                );
                Action::Adopt
            } else {
                Action::Update
            };
            let before = self.live_group_value(l);
            self.change(
                address.clone(),
                action,
                reasons,
                Some(before),
                Some(self.group_value(g)),
            );
            ready.extend(self.tag_steps(&address, &l.arn, &diff));
        }
        // Still being created (an interrupted apply): wait for it, whether or
        // not datasets are to be created in it.
        if l.status != "ACTIVE" {
            ready.push(self.step(
                &address,
                Op::WaitDatasetGroupActive { arn: l.arn.clone() },
                Vec::new(),
            ));
        }
        for t in DatasetType::ALL {
            self.plan_dataset(g, l, t, adopting, &ready);
        }
    }

    /// Tag and untag steps for `diff`; adoption tags first, so nothing is
    /// ever changed in a group before it is marked as owned.
    fn tag_steps(&mut self, address: &str, arn: &str, diff: &TagDiff) -> Vec<usize> {
        let mut ids = Vec::new();
        if !diff.set.is_empty() {
            ids.push(self.step(
                address,
                Op::TagResource {
                    arn: arn.to_string(),
                    tags: diff.set.clone(),
                },
                Vec::new(),
            ));
        }
        if !diff.remove.is_empty() {
            ids.push(self.step(
                address,
                Op::UntagResource {
                    arn: arn.to_string(),
                    keys: diff.remove.clone(),
                },
                Vec::new(),
            ));
        }
        ids
    }

    /// Steps creating `g` and all its datasets, after `after`. The caller
    /// shows the changes (a replace shows them its own way).
    fn create_group(&mut self, g: &DatasetGroupSpec, after: Vec<usize>) {
        let address = format!("datasetGroup.{}", g.name);
        let op = Op::CreateDatasetGroup {
            name: g.name.clone(),
            domain: g.domain,
            kms_key_arn: g.kms_key_arn.clone(),
            role_arn: g.role_arn.clone(),
            tags: self.stack_tags(&g.tags),
        };
        let group_step = self.step(&address, op, after);
        for (t, d) in g.datasets.iter() {
            self.create_dataset(g, t, d, ArnRef::CreatedBy(group_step), vec![group_step]);
        }
    }

    fn create_dataset(
        &mut self,
        g: &DatasetGroupSpec,
        t: DatasetType,
        d: &DatasetSpec,
        group: ArnRef,
        mut after: Vec<usize>,
    ) -> Option<usize> {
        let address = format!("dataset.{}.{}", g.name, t);
        let schema = self.schema_ref(&d.schema)?;
        after.extend(self.schema_after(&schema));
        let op = Op::CreateDataset {
            name: dataset_name(&g.name, t, d),
            dataset_type: t,
            group,
            schema,
            tags: self.stack_tags(&d.tags),
        };
        Some(self.step(&address, op, after))
    }

    fn replace_group(&mut self, g: &'a DatasetGroupSpec, l: &'a LiveGroup, reasons: Vec<String>) {
        let address = format!("datasetGroup.{}", g.name);
        // A group being deleted or whose creation failed holds no data to lose.
        let destructive = !matches!(l.status.as_str(), "DELETE PENDING" | "CREATE FAILED");
        let before = self.live_group_value(l);
        let after = self.group_value(g);
        let change = self.change(
            address.clone(),
            Action::Replace,
            reasons,
            Some(before),
            Some(after),
        );
        change.destructive = destructive;
        if g.protect && destructive {
            change
                .blocked
                .push("protected: the spec sets `protect: true` on this group".into());
        }
        let mut dataset_changes = Vec::new();
        for t in DatasetType::ALL {
            let daddr = format!("dataset.{}.{}", g.name, t);
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
            let before = live_ds.map(|d| self.live_dataset_value(d));
            let after = spec_ds.map(|d| self.dataset_value(g, t, d));
            dataset_changes.push((daddr, action, before, after));
        }
        for (daddr, action, before, after) in dataset_changes {
            self.observe(&daddr);
            let c = self.change(
                daddr,
                action,
                vec!["its dataset group is replaced".into()],
                before,
                after,
            );
            c.destructive = c.destructive && destructive;
        }
        let deleted = self.delete_group_contents(l);
        self.create_group(g, vec![deleted]);
    }

    /// Plans the deletion of an owned group that the spec no longer has.
    fn delete_group(&mut self, l: &'a LiveGroup) {
        let address = format!("datasetGroup.{}", l.name);
        self.observe(&address);
        let mut reasons = vec!["the dataset group is no longer in the spec".to_string()];
        if l.status == "DELETE PENDING" {
            reasons.push("its deletion is already in progress".into());
        }
        let before = self.live_group_value(l);
        self.change(address, Action::Delete, reasons, Some(before), None);
        for d in &l.datasets {
            if !self.owns(&d.tags) {
                continue;
            }
            let daddr = format!("dataset.{}.{}", l.name, d.dataset_type);
            self.observe(&daddr);
            let before = self.live_dataset_value(d);
            self.change(
                daddr,
                Action::Delete,
                vec!["its dataset group is deleted".into()],
                Some(before),
                None,
            );
        }
        self.delete_group_contents(l);
    }

    fn owns(&self, tags: &Tags) -> bool {
        tags.get(STACK_TAG).map(String::as_str) == Some(self.stack)
    }

    /// Steps deleting a group with everything in it; marks the group's change
    /// blocked by unmanaged children unless cascading. Returns the final step.
    fn delete_group_contents(&mut self, l: &LiveGroup) -> usize {
        let group_address = format!("datasetGroup.{}", l.name);
        // Datasets not tagged with this stack are someone else's: like solutions, they block.
        let foreign: Vec<String> = l
            .datasets
            .iter()
            .filter(|d| !self.owns(&d.tags))
            .map(|d| format!("dataset.{}.{} ({})", l.name, d.dataset_type, d.name))
            .collect();
        let children: Vec<String> = l
            .children
            .iter()
            .map(|c| format!("{}.{}.{}", c.kind.address_prefix(), l.name, c.name))
            .chain(foreign)
            .collect();
        let cascade = self.options.cascade;
        if !children.is_empty() && !cascade {
            let blocker = format!(
                "the group holds resources pzr does not manage: {}; delete them first, or plan with --cascade",
                children.join(", ")
            );
            if let Some(c) = self.changes.iter_mut().find(|c| c.address == group_address) {
                c.blocked.push(blocker);
            }
        }
        let mut previous: Vec<usize> = Vec::new();
        if cascade {
            for kind in ChildKind::DELETE_ORDER {
                let mut this_kind = Vec::new();
                for c in l.children.iter().filter(|c| c.kind == kind) {
                    let address = format!("{}.{}.{}", kind.address_prefix(), l.name, c.name);
                    self.observe(&address);
                    let before = json!({"name": c.name, "arn": c.arn, "status": c.status});
                    self.change(
                        address.clone(),
                        Action::Delete,
                        vec!["--cascade: it is inside a dataset group being deleted".into()],
                        Some(before),
                        None,
                    );
                    this_kind.push(self.step(
                        &address,
                        Op::DeleteChild {
                            kind,
                            arn: c.arn.clone(),
                        },
                        previous.clone(),
                    ));
                }
                if !this_kind.is_empty() {
                    previous = this_kind;
                }
            }
        }
        let mut dataset_steps = Vec::new();
        for d in &l.datasets {
            if !self.owns(&d.tags) && !cascade {
                continue;
            }
            let address = format!("dataset.{}.{}", l.name, d.dataset_type);
            let listed = self.changes.iter().any(|c| c.address == address);
            if !self.owns(&d.tags) && !listed {
                self.observe(&address);
                let before = self.live_dataset_value(d);
                self.change(
                    address.clone(),
                    Action::Delete,
                    vec!["--cascade: it is inside a dataset group being deleted".into()],
                    Some(before),
                    None,
                );
            }
            let id = self.step(
                &address,
                Op::DeleteDataset { arn: d.arn.clone() },
                previous.clone(),
            );
            self.release_schema(&d.schema_arn, id);
            dataset_steps.push(id);
        }
        let after = if dataset_steps.is_empty() {
            previous
        } else {
            dataset_steps
        };
        self.step(
            &group_address,
            Op::DeleteDatasetGroup { arn: l.arn.clone() },
            after,
        )
    }

    // ---- datasets ------------------------------------------------------

    fn plan_dataset(
        &mut self,
        g: &'a DatasetGroupSpec,
        l: &'a LiveGroup,
        t: DatasetType,
        adopting: bool,
        ready: &[usize],
    ) {
        let address = format!("dataset.{}.{}", g.name, t);
        let (spec_ds, live_ds) = (g.datasets.get(t), l.dataset(t));
        match (spec_ds, live_ds) {
            (None, None) => {}
            (Some(d), None) => {
                self.observe(&address);
                self.change(
                    address.clone(),
                    Action::Create,
                    Vec::new(),
                    None,
                    Some(self.dataset_value(g, t, d)),
                );
                self.create_dataset(g, t, d, ArnRef::Known(l.arn.clone()), ready.to_vec());
            }
            (None, Some(ld)) => {
                if !self.owns(&ld.tags) {
                    return; // not ours: never touched
                }
                self.observe(&address);
                let before = self.live_dataset_value(ld);
                self.change(
                    address.clone(),
                    Action::Delete,
                    vec!["the dataset is no longer in the spec".into()],
                    Some(before),
                    None,
                );
                self.delete_dataset(&address, ld, g.protect, ready.to_vec());
            }
            (Some(d), Some(ld)) => self.update_dataset(g, l, t, d, ld, adopting, ready),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn update_dataset(
        &mut self,
        g: &'a DatasetGroupSpec,
        l: &LiveGroup,
        t: DatasetType,
        d: &DatasetSpec,
        ld: &LiveDataset,
        adopting: bool,
        ready: &[usize],
    ) {
        let address = format!("dataset.{}.{}", g.name, t);
        let adopt = !self.owns(&ld.tags);
        if let Some(other) = ld.tags.get(STACK_TAG).filter(|s| *s != self.stack) {
            // `adopt: true` takes over untagged resources, never another stack's.
            self.error(
                address,
                format!(
                    "dataset {} in group {} belongs to pzr stack {other:?}",
                    ld.name, g.name
                ),
                "remove it from that stack's spec first, or remove the dataset from this spec",
            );
            return;
        }
        if adopt && !adopting {
            self.error(
                address,
                format!(
                    "dataset {} exists in group {} and is not managed by stack {:?}",
                    ld.name, g.name, self.stack
                ),
                "set `adopt: true` on the group to take over its datasets",
            );
            return;
        }
        self.observe(&address);
        let mut replace = Vec::new();
        if ld.status == "CREATE FAILED" {
            replace.push("creation failed; it is recreated".to_string());
        }
        let name = dataset_name(&g.name, t, d);
        if name != ld.name {
            replace.push(format!("name: {} -> {name} forces replacement", ld.name));
        }
        let Some(schema) = self.spec.schemas.get(&d.schema) else {
            return;
        };
        let current = self.live.schema_by_arn(&ld.schema_arn);
        // Same content under another name (an adopted dataset's own schema) is no change.
        let same_content = current.is_some_and(|c| {
            c.definition.as_deref() == Some(schema.canonical.as_str()) && c.domain == schema.domain
        });
        let schema_moves =
            current.map(|s| s.name.as_str()) != Some(schema.name.as_str()) && !same_content;
        let mut update_reasons = Vec::new();
        if schema_moves {
            let old = current
                .and_then(|s| s.definition.as_deref())
                .and_then(|text| serde_json::from_str::<Value>(text).ok());
            let new: Value = serde_json::from_str(&schema.canonical).unwrap_or(Value::Null);
            let from = current
                .map(|s| s.name.as_str())
                .unwrap_or(ld.schema_arn.as_str());
            match old.map(|old| avro::check_schema_update(t, &old, &new)) {
                Some(Ok(())) => update_reasons.push(format!("schema: {from} -> {} (compatible: UpdateDataset in place)", schema.name)),
                Some(Err(why)) => replace.push(format!("schema: {from} -> {} is not compatible ({}); replacing loses the imported data", schema.name, why.join("; "))),
                None => replace.push(format!("schema: {from} -> {} (the current schema could not be read)", schema.name)),
            }
        }
        let desired_tags = self.stack_tags(&d.tags);
        let before = self.live_dataset_value(ld);
        let mut after = self.dataset_value(g, t, d);
        if !schema_moves && replace.is_empty() {
            // The dataset keeps its schema (an adopted one's own, of the same
            // content): showing the managed name would promise a change.
            after["schema"] = before["schema"].clone();
        }
        if !replace.is_empty() {
            let c = self.change(
                address.clone(),
                Action::Replace,
                replace,
                Some(before),
                Some(after),
            );
            c.destructive = ld.status != "CREATE FAILED";
            let deleted = self.delete_dataset(&address, ld, g.protect, ready.to_vec());
            self.create_dataset(g, t, d, ArnRef::Known(l.arn.clone()), vec![deleted]);
            return;
        }
        let mut ready = ready.to_vec();
        if crate::live::actions::settling(&ld.status) {
            // Being created or updated (an interrupted apply): finish by waiting.
            ready.push(self.step(
                &address,
                Op::WaitDatasetActive {
                    arn: ld.arn.clone(),
                },
                ready.clone(),
            ));
        }
        let diff = tags::diff(&desired_tags, &ld.tags, self.ignore);
        if !schema_moves && diff.is_empty() {
            return;
        }
        let mut reasons = update_reasons;
        reasons.extend(diff.reasons(&ld.tags));
        let action = if adopt {
            reasons.insert(
                0,
                format!(
                    "take over the existing dataset (tag {STACK_TAG}={})",
                    self.stack
                ),
            );
            Action::Adopt
        } else {
            Action::Update
        };
        self.change(address.clone(), action, reasons, Some(before), Some(after));
        // Tag first: an adopted dataset is marked as owned before anything else changes.
        let tagged = self.tag_steps(&address, &ld.arn, &diff);
        if schema_moves {
            if let Some(schema_ref) = self.schema_ref(&d.schema) {
                let mut after = self.schema_after(&schema_ref);
                after.extend(tagged);
                after.extend(&ready);
                let id = self.step(
                    &address,
                    Op::UpdateDataset {
                        arn: ld.arn.clone(),
                        schema: schema_ref,
                    },
                    after,
                );
                self.release_schema(&ld.schema_arn, id);
            }
        }
    }

    /// The step deleting `ld`, after `after`. The last change (the one about
    /// `ld`) is marked blocked when it destroys data of a protected group.
    fn delete_dataset(
        &mut self,
        address: &str,
        ld: &LiveDataset,
        protect: bool,
        after: Vec<usize>,
    ) -> usize {
        if let Some(c) = self.changes.last_mut().filter(|c| protect && c.destructive) {
            c.blocked
                .push("protected: the spec sets `protect: true` on its dataset group".into());
        }
        let id = self.step(
            address,
            Op::DeleteDataset {
                arn: ld.arn.clone(),
            },
            after,
        );
        self.release_schema(&ld.schema_arn, id);
        id
    }

    // ---- values shown in before/after ------------------------------------

    fn group_value(&self, g: &DatasetGroupSpec) -> Value {
        json!({
            "name": g.name,
            "domain": g.domain.map(|d| d.as_api()),
            "kmsKeyArn": g.kms_key_arn,
            "roleArn": g.role_arn,
            "tags": tags::visible(&self.stack_tags(&g.tags), self.ignore),
        })
    }

    fn live_group_value(&self, l: &LiveGroup) -> Value {
        let details = l.details.clone().unwrap_or_default();
        json!({
            "name": l.name,
            "domain": l.domain.map(|d| d.as_api()),
            "kmsKeyArn": details.kms_key_arn,
            "roleArn": details.role_arn,
            "tags": tags::visible(&l.tags, self.ignore),
            "arn": l.arn,
            "status": l.status,
        })
    }

    fn dataset_value(&self, g: &DatasetGroupSpec, t: DatasetType, d: &DatasetSpec) -> Value {
        json!({
            "name": dataset_name(&g.name, t, d),
            "datasetType": t.as_api(),
            "schema": self.spec.schemas.get(&d.schema).map(|s| s.name.clone()),
            "tags": tags::visible(&self.stack_tags(&d.tags), self.ignore),
        })
    }

    fn live_dataset_value(&self, d: &LiveDataset) -> Value {
        let schema = self
            .live
            .schema_by_arn(&d.schema_arn)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| d.schema_arn.clone());
        json!({
            "name": d.name,
            "datasetType": d.dataset_type.as_api(),
            "schema": schema,
            "tags": tags::visible(&d.tags, self.ignore),
            "arn": d.arn,
            "status": d.status,
        })
    }
}

/// A schema as shown; its definition only where it was read.
fn schema_value(name: &str, domain: Option<&str>, canonical: Option<&str>) -> Value {
    let mut value = json!({"name": name, "domain": domain});
    if let Some(definition) = canonical.and_then(|c| serde_json::from_str::<Value>(c).ok()) {
        value["definition"] = definition;
    }
    value
}
