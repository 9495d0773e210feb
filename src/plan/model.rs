//! The plan: what will change and why (for people), and the exact ordered
//! steps that make it so (for apply). Serialises to JSON as a saved plan.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::blocker::Blocker;
use super::deferral::Deferral;
use super::document::SavedPlan;
use super::dollars::PricedNote;
use super::reason::Reason;
use super::said::{self, Said};
use crate::resource::{Address, DatasetType, Domain, Kind, Status, Tags};
use crate::spec::ImportMode;
use crate::state::ChildConfig;

/// 2: reasons, notes, blockers and deferrals are `{code, message}` objects.
pub const FORMAT_VERSION: u32 = 2;

/// Fields of a change's `before` that describe the live resource rather than
/// its configuration: shown, never diffed.
pub const READ_ONLY_FIELDS: [&str; 2] = ["arn", "status"];

/// Serialised as a saved plan, and read back only through its checks
/// (see `document.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "SavedPlan", try_from = "serde_json::Value")]
pub struct Plan {
    pub format_version: u32,
    pub stack: String,
    pub region: String,
    pub changes: Vec<Change>,
    /// Problems that make the plan impossible (ownership conflicts).
    pub errors: Vec<PlanError>,
    /// SHA-256 of the spec the plan was computed from.
    pub spec_digest: String,
    /// The state of every resource the plan touches, as read; apply refuses a
    /// saved plan when any of it moved.
    pub observed: Vec<Observed>,
    /// What apply executes, in order; `after` names the steps each waits for.
    pub steps: Vec<Step>,
    /// What the plan was made against (with `region`): apply refuses it
    /// anywhere else.
    pub origin: Origin,
}

/// Where a plan was made, besides its region: the sandbox or not, the
/// endpoint when overridden, and the account (STS `GetCallerIdentity`;
/// `None` when it could not be asked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Origin {
    pub sandbox: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

impl Origin {
    /// Where, in words: "the sandbox", "account 1111 at http://...".
    pub fn describe(&self, region: &str) -> String {
        let mut text = if self.sandbox {
            "the sandbox".to_string()
        } else {
            match &self.account {
                Some(account) => format!("account {account}"),
                None => "an unknown account".to_string(),
            }
        };
        text.push_str(&format!(" in {region}"));
        if let Some(endpoint) = &self.endpoint {
            text.push_str(&format!(" at {endpoint}"));
        }
        text
    }

    /// The global flags that send a command where this plan was made.
    pub fn flags(&self, region: &str) -> String {
        let mut flags = Vec::new();
        if self.sandbox {
            flags.push("--sandbox".to_string());
        }
        if let Some(endpoint) = &self.endpoint {
            flags.push(format!("--endpoint-url {endpoint}"));
        }
        flags.push(format!("--region {region}"));
        flags.join(" ")
    }

    /// Whether a plan made at `self` (in `region`) may not run at `here`
    /// (in `here_region`). An account that could not be asked on either
    /// side is not compared.
    pub fn mismatch(&self, region: &str, here: &Origin, here_region: &str) -> bool {
        let accounts_differ =
            matches!((&self.account, &here.account), (Some(a), Some(b)) if a != b);
        self.sandbox != here.sandbox
            || region != here_region
            || self.endpoint != here.endpoint
            || accounts_differ
    }
}

impl Plan {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for c in &self.changes {
            match c.action {
                Action::Create => s.create += 1,
                Action::Update => s.update += 1,
                Action::Replace => s.replace += 1,
                Action::Delete => s.delete += 1,
                Action::Adopt => s.adopt += 1,
            }
            if !c.blocked.is_empty() {
                s.blocked += 1;
            }
        }
        s
    }

    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }

    /// Changes that lose data (these need `--allow-destroy`).
    pub fn destructive(&self) -> usize {
        self.changes.iter().filter(|c| c.destructive).count()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub replace: usize,
    pub delete: usize,
    pub adopt: usize,
    pub blocked: usize,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    Create,
    Update,
    Replace,
    Delete,
    Adopt,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Delete => "delete",
            Action::Adopt => "adopt",
        }
    }
}

/// One resource's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub address: Address,
    pub action: Action,
    #[serde(serialize_with = "said::list")]
    #[schemars(with = "Vec<Said<Reason>>")]
    pub reasons: Vec<Reason>,
    /// Why apply must refuse this change (protected, children in the way).
    #[serde(serialize_with = "said::list")]
    #[schemars(with = "Vec<Said<Blocker>>")]
    pub blocked: Vec<Blocker>,
    /// Data is lost: a dataset or group is deleted or replaced.
    pub destructive: bool,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// What the change does to the bill (starts, changes or stops charges)
    /// or to the data, each with its figure where priced; possibly empty.
    #[serde(default, serialize_with = "said::list")]
    #[schemars(with = "Vec<Said<PricedNote>>")]
    pub notes: Vec<PricedNote>,
    /// Why this create waits for a later apply (a campaign whose solution
    /// has no ACTIVE version yet): apply does everything else.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "said::option"
    )]
    #[schemars(with = "Option<Said<Deferral>>")]
    pub deferred: Option<Deferral>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanError {
    pub address: Address,
    pub message: String,
    pub hint: String,
}

/// What a saved plan recorded of one resource; `arn: None` means absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Observed {
    pub address: Address,
    /// The live name of a child whose address holds its spec key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub arn: Option<String>,
    pub status: Option<Status>,
    pub last_updated: Option<f64>,
    pub tags: Option<Tags>,
}

/// An ARN known when planning, or the one an earlier step creates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ArnRef {
    Known(String),
    CreatedBy(usize),
}

impl ArnRef {
    /// The step that creates this ARN, if it is not known yet.
    pub fn created_by(&self) -> Option<usize> {
        match self {
            ArnRef::CreatedBy(id) => Some(*id),
            ArnRef::Known(_) => None,
        }
    }
}

/// One step of apply. Creates and updates wait until ACTIVE; deletes wait
/// until the resource is gone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub id: usize,
    pub address: Address,
    pub op: Op,
    /// Steps that must be done first.
    pub after: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "type"
)]
pub enum Op {
    CreateSchema {
        name: String,
        definition: String,
        domain: Option<Domain>,
    },
    CreateDatasetGroup {
        name: String,
        domain: Option<Domain>,
        kms_key_arn: Option<String>,
        role_arn: Option<String>,
        tags: Tags,
    },
    /// The group exists but is still being created.
    WaitDatasetGroupActive {
        arn: String,
    },
    /// The dataset exists but is still being created or updated (an earlier
    /// apply was interrupted): apply finishes by waiting for it.
    WaitDatasetActive {
        arn: String,
    },
    CreateDataset {
        name: String,
        dataset_type: DatasetType,
        group: ArnRef,
        schema: ArnRef,
        tags: Tags,
    },
    UpdateDataset {
        arn: String,
        schema: ArnRef,
    },
    /// An event tracker, a filter, ...: a child of a managed kind, in
    /// `parent`: its group, or for a campaign the solution version it
    /// deploys (`<solution ARN>/$LATEST` for one that syncs with the latest).
    CreateChild {
        name: String,
        #[serde(alias = "group")]
        parent: ArnRef,
        config: ChildConfig,
        tags: Tags,
    },
    /// UpdateRecommender, UpdateSolution, UpdateCampaign or
    /// UpdateMetricAttribution to `config`'s settings; waits until the
    /// update is ACTIVE.
    UpdateChild {
        kind: Kind,
        arn: String,
        config: ChildConfig,
        /// A campaign that syncs with its solution's latest version names it
        /// as `<solution ARN>/$LATEST`, which UpdateCampaign requires then
        /// (https://docs.aws.amazon.com/personalize/latest/dg/API_CampaignConfig.html).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        solution_version: Option<String>,
    },
    /// Imports `location` into the dataset (CreateDatasetImportJob, the job
    /// named `<dataset name>-<UTC yyyymmddThhmmss>` when the step runs, so
    /// never twice the same) and waits until the job is ACTIVE; one that
    /// ends CREATE FAILED fails the step with Personalize's reason.
    ImportData {
        dataset: ArnRef,
        dataset_name: String,
        location: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role_arn: Option<String>,
        mode: ImportMode,
        tags: Tags,
    },
    /// An import an earlier, interrupted apply started: waits for it.
    WaitImportActive {
        arn: String,
    },
    /// StartRecommender (`running`) or StopRecommender; waits until ACTIVE
    /// or INACTIVE.
    SetRecommenderState {
        arn: ArnRef,
        running: bool,
    },
    /// Trains a solution's first version (CreateSolutionVersion) unless one
    /// exists or is being trained; does not wait for the training.
    TrainSolution {
        solution: ArnRef,
    },
    /// Trains a new version of a solution that has one (CreateSolutionVersion)
    /// unless one is being trained; does not wait for the training.
    RetrainSolution {
        solution: ArnRef,
    },
    /// The child exists but is still being created (an earlier apply was
    /// interrupted): apply finishes by waiting for it.
    WaitChildActive {
        kind: Kind,
        arn: String,
    },
    TagResource {
        arn: String,
        tags: Tags,
    },
    UntagResource {
        arn: String,
        keys: Vec<String>,
    },
    /// Stops the solution's versions in training
    /// (StopSolutionVersionCreation) and waits until none is: DeleteSolution
    /// is refused until then, DeleteDataset too, and the group's datasets
    /// need no more than that of the solution
    /// (https://docs.aws.amazon.com/personalize/latest/dg/delete-dataset.html).
    StopTraining {
        arn: String,
    },
    DeleteChild {
        kind: Kind,
        arn: String,
    },
    DeleteDataset {
        arn: String,
    },
    DeleteDatasetGroup {
        arn: String,
    },
    DeleteSchema {
        arn: String,
    },
}

impl Op {
    /// The ARN references of the op, in order of appearance.
    pub fn arn_refs(&self) -> Vec<&ArnRef> {
        match self {
            Op::CreateDataset { group, schema, .. } => vec![group, schema],
            Op::CreateChild { parent, .. } => vec![parent],
            Op::SetRecommenderState { arn, .. } => vec![arn],
            Op::TrainSolution { solution } | Op::RetrainSolution { solution } => vec![solution],
            Op::ImportData { dataset, .. } => vec![dataset],
            Op::UpdateDataset { schema, .. } => vec![schema],
            _ => Vec::new(),
        }
    }

    /// What the op does, as a verb for progress lines.
    pub fn verb(&self) -> &'static str {
        match self {
            Op::CreateSchema { .. }
            | Op::CreateDatasetGroup { .. }
            | Op::CreateDataset { .. }
            | Op::CreateChild { .. } => "create",
            Op::WaitDatasetGroupActive { .. }
            | Op::WaitDatasetActive { .. }
            | Op::WaitChildActive { .. }
            | Op::WaitImportActive { .. } => "wait for",
            Op::ImportData { .. } => "import",
            Op::UpdateDataset { .. } => "update schema of",
            Op::UpdateChild { .. } => "update",
            Op::SetRecommenderState { running: true, .. } => "start",
            Op::SetRecommenderState { running: false, .. } => "stop",
            Op::TrainSolution { .. } | Op::RetrainSolution { .. } => "train",
            Op::StopTraining { .. } => "stop training of",
            Op::TagResource { .. } => "tag",
            Op::UntagResource { .. } => "untag",
            Op::DeleteChild { .. }
            | Op::DeleteDataset { .. }
            | Op::DeleteDatasetGroup { .. }
            | Op::DeleteSchema { .. } => "delete",
        }
    }

    /// What Personalize refusing this op with `ResourceInUseException` means
    /// for the plan: `Some(why)` when the resource may stay (the step is done
    /// and `why` is told), `None` when the refusal fails the step.
    ///
    /// A schema is deleted because no dataset of the stack uses it any more;
    /// one still used by a dataset pzr does not manage is not pzr's to take
    /// away, so the plan keeps it. Any other op refused in use is in the way
    /// of the plan (apply still recognises a delete another apply started).
    pub fn kept_when_in_use(&self) -> Option<String> {
        match self {
            Op::DeleteSchema { arn } => Some(format!(
                "schema {arn} is still used by a dataset pzr does not manage; it was kept"
            )),
            _ => None,
        }
    }
}

impl Step {
    /// `create datasetGroup.retail-prod`, ...
    pub fn label(&self) -> String {
        format!("{} {}", self.op.verb(), self.address)
    }
}

/// A step graph apply cannot run: a saved plan is input, and may have been
/// edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("step {position}: {problem}")]
pub struct InvalidSteps {
    pub position: usize,
    pub problem: String,
}

impl Plan {
    /// Checks what apply relies on: each step's id is its position, and each
    /// step refers only to earlier steps (so the graph has no cycle).
    pub fn check_steps(&self) -> Result<(), InvalidSteps> {
        for (position, step) in self.steps.iter().enumerate() {
            let invalid = |problem: String| InvalidSteps { position, problem };
            if step.id != position {
                return Err(invalid(format!("has id {}", step.id)));
            }
            let created_by = step
                .op
                .arn_refs()
                .into_iter()
                .filter_map(ArnRef::created_by);
            if let Some(bad) = step
                .after
                .iter()
                .copied()
                .chain(created_by)
                .find(|a| *a >= position)
            {
                return Err(invalid(format!(
                    "refers to step {bad}, which does not come before it"
                )));
            }
        }
        Ok(())
    }
}
