//! The plan: what will change and why (for people), and the exact ordered
//! steps that make it so (for apply). Serialises to JSON as a saved plan.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::live::{ChildKind, Tags};
use crate::spec::{DatasetType, Domain};

pub const FORMAT_VERSION: u32 = 1;

/// Fields of a change's `before` that describe the live resource rather than
/// its configuration: shown, never diffed.
pub const READ_ONLY_FIELDS: [&str; 2] = ["arn", "status"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub format_version: u32,
    pub stack: String,
    pub region: String,
    pub changes: Vec<Change>,
    /// Problems that make the plan impossible (ownership conflicts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<PlanError>,
    /// SHA-256 of the spec the plan was computed from.
    pub spec_digest: String,
    /// The state of every resource the plan touches, as read; apply refuses a
    /// saved plan when any of it moved.
    pub observed: Vec<Observed>,
    /// What apply executes, in order; `after` names the steps each waits for.
    pub steps: Vec<Step>,
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
    pub address: String,
    pub action: Action,
    pub reasons: Vec<String>,
    /// Why apply must refuse this change (protected, children in the way).
    pub blocked: Vec<String>,
    /// Data is lost: a dataset or group is deleted or replaced.
    pub destructive: bool,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanError {
    pub address: String,
    pub message: String,
    pub hint: String,
}

/// What a saved plan recorded of one resource; `arn: None` means absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Observed {
    pub address: String,
    pub arn: Option<String>,
    pub status: Option<String>,
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

/// One step of apply. Creates and updates wait until ACTIVE; deletes wait
/// until the resource is gone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub id: usize,
    pub address: String,
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
    TagResource {
        arn: String,
        tags: Tags,
    },
    UntagResource {
        arn: String,
        keys: Vec<String>,
    },
    DeleteChild {
        kind: ChildKind,
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
