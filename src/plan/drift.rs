//! The drift report: the plan's changes seen as differences between what the
//! spec expects and what the account has, plus the groups nobody manages.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::model::{Change, Plan, READ_ONLY_FIELDS};
use crate::resource::{Address, Status};
use crate::state::LiveState;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DriftReport {
    pub in_sync: bool,
    pub drift: Vec<DriftedResource>,
    pub unmanaged: Vec<Unmanaged>,
    pub coverage: Coverage,
}

/// One drifted resource: its change, and each field that differs.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DriftedResource {
    pub address: Address,
    pub fields: Vec<FieldDrift>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FieldDrift {
    /// `domain`, `tags.team`, ...
    pub field: String,
    pub expected: Value,
    pub actual: Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Unmanaged {
    pub name: String,
    pub arn: String,
    pub status: Status,
    /// The other pzr stack that manages it, if one does.
    #[serde(rename = "ownerStack", skip_serializing_if = "Option::is_none")]
    pub owner_stack: Option<String>,
}

impl Unmanaged {
    /// ", managed by pzr stack X" when another stack manages it.
    pub fn managed_by(&self) -> String {
        self.owner_stack
            .as_ref()
            .map(|s| format!(", managed by pzr stack {s}"))
            .unwrap_or_default()
    }
}

/// Dataset groups in the region that this stack manages, of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Coverage {
    pub managed: usize,
    pub total: usize,
}

/// Field-level differences of a change: `after` is what the spec expects,
/// `before` what the account has.
pub fn field_drift(change: &Change) -> Vec<FieldDrift> {
    let empty = serde_json::Map::new();
    let expected = change
        .after
        .as_ref()
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let actual = change
        .before
        .as_ref()
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut keys: Vec<&String> = expected
        .keys()
        .chain(actual.keys())
        .filter(|k| !READ_ONLY_FIELDS.contains(&k.as_str()))
        .collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        let (e, a) = (
            expected.get(key).unwrap_or(&Value::Null),
            actual.get(key).unwrap_or(&Value::Null),
        );
        if e == a {
            continue;
        }
        match (e.as_object(), a.as_object()) {
            // Tag maps: one entry per tag, so a report names exactly what moved.
            (Some(eo), Some(ao)) if key == "tags" => {
                let mut tag_keys: Vec<&String> = eo.keys().chain(ao.keys()).collect();
                tag_keys.sort();
                tag_keys.dedup();
                for t in tag_keys {
                    let (ev, av) = (
                        eo.get(t).unwrap_or(&Value::Null),
                        ao.get(t).unwrap_or(&Value::Null),
                    );
                    if ev != av {
                        out.push(FieldDrift {
                            field: format!("tags.{t}"),
                            expected: ev.clone(),
                            actual: av.clone(),
                        });
                    }
                }
            }
            _ => out.push(FieldDrift {
                field: key.clone(),
                expected: e.clone(),
                actual: a.clone(),
            }),
        }
    }
    out
}

pub fn report(plan: &Plan, live: &LiveState) -> DriftReport {
    let unmanaged: Vec<Unmanaged> = live
        .groups
        .iter()
        .filter(|g| g.stack() != Some(plan.stack.as_str()))
        .map(|g| Unmanaged {
            name: g.name.clone(),
            arn: g.arn.clone(),
            status: g.status.clone(),
            owner_stack: g.stack().map(str::to_string),
        })
        .collect();
    DriftReport {
        in_sync: plan.changes.is_empty() && plan.errors.is_empty(),
        drift: plan
            .changes
            .iter()
            .map(|c| DriftedResource {
                address: c.address.clone(),
                fields: field_drift(c),
            })
            .collect(),
        coverage: Coverage {
            managed: live.groups.len() - unmanaged.len(),
            total: live.groups.len(),
        },
        unmanaged,
    }
}
