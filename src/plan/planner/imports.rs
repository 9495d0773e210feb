//! Dataset imports (`datasetImportJob.<group>.<type>`) and the data the
//! group's serving waits for. The desired state of a declared `import` is:
//! the dataset's latest import job is from `from`, ACTIVE, and no object
//! under `from` changed after it started. What each dataset's import does
//! is decided first, from the live state alone (`decide_data`), because the
//! group's children ask whether data arrives in this plan before the
//! import's steps exist; its change is recorded after the datasets'
//! (`import_changes`), its steps after theirs (`import_steps`).

use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::{json, Value};

use super::builder::{NewChange, StepId};
use super::Planner;
use crate::plan::model::{ArnRef, Op};
use crate::plan::{Deferral, Note, Reason};
use crate::resource::{Address, Status};
use crate::spec::{dataset_name, DatasetGroupSpec, DatasetType, ImportMode, ImportSpec};
use crate::state::{DataLocation, Listing, LiveDataset, LiveGroup, LiveImport};

/// What one dataset's import does in this plan.
#[derive(Debug, Clone, PartialEq)]
enum ImportPlan {
    /// The latest import is current: nothing to do.
    Current,
    /// An import an interrupted apply started: waited for.
    Wait { arn: String },
    /// A new import job, for `reasons`.
    Import {
        reasons: Vec<Reason>,
        notes: Vec<Note>,
    },
    /// An import the plan shows but does not start, for `why`.
    Held { reasons: Vec<Reason>, why: Deferral },
}

impl ImportPlan {
    /// Whether new data arrives with this plan's steps.
    fn brings_data(&self) -> bool {
        matches!(self, ImportPlan::Import { .. } | ImportPlan::Wait { .. })
    }
}

/// A group's data as its serving sees it: what each declared import does,
/// what the interactions dataset already holds, and the steps that bring
/// the rest.
#[derive(Debug, Default)]
pub(super) struct GroupData {
    imports: BTreeMap<DatasetType, ImportPlan>,
    /// The interactions dataset is fed by PutEvents only (`streamed`).
    streamed: bool,
    /// When its latest ACTIVE import ended (epoch seconds), if any: the
    /// interactions data that is there before this plan.
    imported_at: Option<f64>,
    /// The steps of this plan that import or wait for data.
    pub steps: Vec<StepId>,
}

impl GroupData {
    /// Whether the group has, or gets in this plan, the interactions data
    /// recommenders and trainings need.
    pub fn has_interactions(&self) -> bool {
        self.streamed || self.imported_at.is_some() || self.interactions_arrive()
    }

    /// Whether interactions data arrives after `at` (epoch seconds; `None`:
    /// unknown, so any import counts): imported since, or in this plan.
    pub fn arrived_since(&self, at: Option<f64>) -> bool {
        let since = match (self.imported_at, at) {
            (Some(imported), Some(at)) => imported > at,
            (Some(_), None) => true,
            (None, _) => false,
        };
        since || self.interactions_arrive()
    }

    fn interactions_arrive(&self) -> bool {
        self.imports
            .get(&DatasetType::Interactions)
            .is_some_and(ImportPlan::brings_data)
    }
}

/// What the import of `import` into `dataset` (`None`: created by this
/// plan) does, given the objects under its location and whether
/// `--replace` names it.
fn decide(
    import: &ImportSpec,
    dataset: Option<&LiveDataset>,
    location: Option<&DataLocation>,
    replace: bool,
    address: &Address,
) -> ImportPlan {
    let latest = dataset.and_then(LiveDataset::latest_import);
    let objects = match location.map(|l| &l.listing) {
        Some(Listing::Objects(objects)) => Some(objects.as_slice()),
        _ => None,
    };
    let mut notes = Vec::new();
    if import.mode == ImportMode::Full
        && dataset
            .and_then(LiveDataset::latest_active_import)
            .is_some()
    {
        notes.push(Note::FullImportReplaces);
    }
    if let Some(Listing::Unreadable { error }) = location.map(|l| &l.listing) {
        notes.push(Note::DataAgeUnknown {
            error: error.clone(),
        });
    }
    let changed_since = |job: &LiveImport| {
        let started = job.created.unwrap_or_default();
        objects.map(|o| o.iter().filter(|o| o.last_modified > started).count())
    };
    let reasons = match latest {
        _ if replace => vec![Reason::ReplaceRequested],
        None => vec![Reason::NoImportYet],
        Some(job) if job.data_location.as_deref() != Some(import.from.as_str()) => {
            vec![Reason::ImportLocationChanged {
                from: job.data_location.clone().unwrap_or_else(|| "?".into()),
                to: import.from.clone(),
            }]
        }
        Some(job) if job.status.is_settling() => {
            return ImportPlan::Wait {
                arn: job.arn.clone(),
            };
        }
        Some(job) => match changed_since(job) {
            Some(n) if n > 0 => vec![Reason::DataChanged {
                objects: n,
                since: rfc3339(job.created.unwrap_or_default()),
            }],
            _ if job.status == Status::CreateFailed => {
                let why = Deferral::ImportFailed {
                    failure_reason: job.failure_reason.clone().unwrap_or_default(),
                    replace: address.to_string(),
                };
                return ImportPlan::Held {
                    reasons: Vec::new(),
                    why,
                };
            }
            _ => return ImportPlan::Current,
        },
    };
    if objects.is_some_and(<[_]>::is_empty) {
        let why = Deferral::NoObjects {
            location: import.from.clone(),
        };
        return ImportPlan::Held { reasons, why };
    }
    ImportPlan::Import { reasons, notes }
}

pub(super) fn rfc3339(secs: f64) -> String {
    let at = UNIX_EPOCH + Duration::from_secs_f64(secs.max(0.0));
    humantime::format_rfc3339_seconds(at).to_string()
}

impl Planner<'_> {
    /// Decides what the imports of `g` do (`l`: its live group, `None` when
    /// every dataset is created by this plan; `replaced`: the types whose
    /// datasets it replaces), before any of its children are planned.
    pub(super) fn decide_data(
        &mut self,
        g: &DatasetGroupSpec,
        l: Option<&LiveGroup>,
        replaced: &[DatasetType],
    ) {
        let mut data = GroupData::default();
        for (t, d) in g.datasets.iter() {
            let live = l
                .and_then(|l| l.dataset(t))
                .filter(|_| !replaced.contains(&t));
            if t == DatasetType::Interactions {
                data.streamed = d.streamed;
                data.imported_at = live
                    .and_then(LiveDataset::latest_active_import)
                    .map(|i| i.last_updated.or(i.created).unwrap_or_default());
            }
            let Some(import) = &d.import else {
                continue;
            };
            let address = Address::dataset_import(&g.name, t);
            let location = self.live.data_location(&import.from);
            let replace = self.options.replace.contains(&address);
            let plan = decide(import, live, location, replace, &address);
            data.imports.insert(t, plan);
        }
        self.group_data.insert(g.name.clone(), data);
    }

    /// Records the changes of the imports `decide_data` decided for `g`
    /// (shown after its datasets').
    pub(super) fn import_changes(&mut self, g: &DatasetGroupSpec) {
        let Some(data) = self.group_data.get(&g.name) else {
            return;
        };
        let mut changes = Vec::new();
        for (t, plan) in &data.imports {
            let Some(import) = g.datasets.get(*t).and_then(|d| d.import.as_ref()) else {
                continue;
            };
            let change = |reasons: &[Reason], notes: &[Note]| NewChange {
                reasons: reasons.to_vec(),
                notes: notes.to_vec(),
                ..NewChange::create(Address::dataset_import(&g.name, *t), import_value(import))
            };
            match plan {
                ImportPlan::Current | ImportPlan::Wait { .. } => {}
                ImportPlan::Import { reasons, notes } => {
                    changes.push((change(reasons, notes), None))
                }
                ImportPlan::Held { reasons, why } => {
                    changes.push((change(reasons, &[]), Some(why.clone())))
                }
            }
        }
        for (change, deferred) in changes {
            let id = self.out.change(change);
            self.out.get_mut(id).deferred = deferred;
        }
    }

    /// Records the steps of the imports `decide_data` decided for `g`, each
    /// after everything this plan does to its dataset (`l`: the live group,
    /// if it stays).
    pub(super) fn import_steps(&mut self, g: &DatasetGroupSpec, l: Option<&LiveGroup>) {
        let Some(mut data) = self.group_data.remove(&g.name) else {
            return;
        };
        for (t, plan) in &data.imports {
            let Some(d) = g.datasets.get(*t) else {
                continue;
            };
            let Some(import) = &d.import else {
                continue;
            };
            let address = Address::dataset_import(&g.name, *t);
            let dataset_address = Address::dataset(&g.name, *t);
            let dataset_steps = self.out.steps_where(|a| *a == dataset_address);
            let dataset = match self.created_datasets.get(&dataset_address) {
                Some(step) => ArnRef::CreatedBy(*step),
                None => match l.and_then(|l| l.dataset(*t)) {
                    Some(ld) => ArnRef::Known(ld.arn.clone()),
                    None => continue, // not created (its schema is missing: an error already)
                },
            };
            match plan {
                ImportPlan::Current => {}
                ImportPlan::Wait { arn } => {
                    let op = Op::WaitImportActive { arn: arn.clone() };
                    data.steps.push(self.out.step(&address, op, dataset_steps));
                }
                ImportPlan::Import { .. } => {
                    let op = Op::ImportData {
                        dataset,
                        dataset_name: dataset_name(&g.name, *t, d),
                        location: import.from.clone(),
                        role_arn: import.role_arn.clone(),
                        mode: import.mode,
                        tags: self.stack_tags(&Default::default()),
                    };
                    data.steps.push(self.out.step(&address, op, dataset_steps));
                }
                ImportPlan::Held { .. } => {}
            }
        }
        self.group_data.insert(g.name.clone(), data);
    }

    /// The data of group `g` as decided (none decided: no data).
    pub(super) fn data_of(&self, g: &str) -> Option<&GroupData> {
        self.group_data.get(g)
    }
}

/// What an import change shows.
fn import_value(import: &ImportSpec) -> Value {
    let mut value = json!({
        "from": import.from,
        "mode": import.mode,
    });
    if let Some(role) = &import.role_arn {
        value["roleArn"] = json!(role);
    }
    value
}
