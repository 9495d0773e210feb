//! Why a change may not go ahead (`Blocker`, recorded on the change) and why
//! a whole plan is refused (`Refusal`, derived from the plan): the policy
//! that `plan` and `apply` enforce, as types.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model::{Change, Plan, PlanError};
use crate::resource::Address;

/// A resource inside a group that pzr does not own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Unowned {
    pub address: Address,
    /// The live name, where the address does not show it (datasets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Why apply must refuse one change; a stable code and the sentence people
/// read (see `said.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Blocker {
    /// The change deletes or replaces a group the spec protects.
    ProtectedGroup,
    /// The change destroys something inside a group the spec protects.
    ProtectedInGroup,
    /// The change deletes or replaces, or destroys something inside, a
    /// group that carries `pzr:protect=true` though the spec no longer
    /// protects it (or mentions it).
    ProtectedByTag,
    /// The group holds resources pzr does not own (and the plan does not cascade).
    UnownedResources { resources: Vec<Unowned> },
}

impl Blocker {
    pub fn code(&self) -> &'static str {
        match self {
            Blocker::ProtectedGroup => "protected_group",
            Blocker::ProtectedInGroup => "protected_in_group",
            Blocker::ProtectedByTag => "protected_by_tag",
            Blocker::UnownedResources { .. } => "unowned_resources",
        }
    }

    pub fn is_protected(&self) -> bool {
        matches!(
            self,
            Blocker::ProtectedGroup | Blocker::ProtectedInGroup | Blocker::ProtectedByTag
        )
    }
}

impl fmt::Display for Unowned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{} ({name})", self.address),
            None => write!(f, "{}", self.address),
        }
    }
}

impl fmt::Display for Blocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocker::ProtectedGroup => {
                f.write_str("protected: the spec sets `protect: true` on this group")
            }
            Blocker::ProtectedInGroup => {
                f.write_str("protected: the spec sets `protect: true` on its dataset group")
            }
            Blocker::ProtectedByTag => f.write_str(
                "protected: its dataset group carries pzr:protect=true from an applied `protect: true`; apply the group with `protect: false` first",
            ),
            Blocker::UnownedResources { resources } => {
                let names: Vec<String> = resources.iter().map(Unowned::to_string).collect();
                write!(
                    f,
                    "the group holds resources pzr does not manage: {}; delete them first, or plan with --cascade",
                    names.join(", ")
                )
            }
        }
    }
}

/// Why a plan must not be applied (and, for `Conflict` and `Protected`, not
/// even saved). Each has the code of the JSON error envelope.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Names taken by resources the stack does not own.
    Conflict(Vec<PlanError>),
    /// Changes that delete or replace what `protect: true` guards.
    Protected(Vec<Change>),
    /// Changes blocked by resources pzr does not own (without `--cascade`).
    Blocked(Vec<Change>),
    /// Changes that lose data, without `--allow-destroy`.
    Destructive(usize),
}

impl Refusal {
    /// The JSON envelope's `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Conflict(_) => "CONFLICT",
            Refusal::Protected(_) => "PROTECTED",
            Refusal::Blocked(_) => "BLOCKED",
            Refusal::Destructive(_) => "DESTRUCTIVE",
        }
    }

    /// Whether `pzr plan` itself fails with it (the others only stop apply).
    pub fn refuses_plan(&self) -> bool {
        matches!(self, Refusal::Conflict(_) | Refusal::Protected(_))
    }

    /// Each item as JSON, for the envelope's `details`.
    pub fn details(&self) -> Vec<serde_json::Value> {
        let json = |v: Result<serde_json::Value, _>| v.unwrap_or_default();
        match self {
            Refusal::Conflict(errors) => errors
                .iter()
                .map(|e| json(serde_json::to_value(e)))
                .collect(),
            Refusal::Protected(changes) | Refusal::Blocked(changes) => changes
                .iter()
                .map(|c| json(serde_json::to_value(c)))
                .collect(),
            Refusal::Destructive(_) => Vec::new(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Conflict(errors) => {
                f.write_str("the plan cannot be made:")?;
                for e in errors {
                    write!(f, "\n{}: {} ({})", e.address, e.message, e.hint)?;
                }
                Ok(())
            }
            Refusal::Protected(changes) => {
                let names: Vec<String> = changes.iter().map(|c| c.address.to_string()).collect();
                write!(f, "the plan deletes or replaces protected resources: {}; remove `protect: true` first if that is really wanted", names.join(", "))
            }
            Refusal::Blocked(changes) => {
                f.write_str("apply refuses blocked changes:")?;
                for c in changes {
                    let why: Vec<String> = c.blocked.iter().map(Blocker::to_string).collect();
                    write!(f, "\n  {}: {}", c.address, why.join("; "))?;
                }
                f.write_str("\ndelete those resources first, or re-run with --cascade to have pzr delete them first, in the order Personalize needs")
            }
            Refusal::Destructive(n) => write!(f, "the plan deletes or replaces {n} resource(s) holding data; re-run with --allow-destroy if that is intended"),
        }
    }
}

impl Plan {
    /// Every reason to refuse this plan, in the order they are checked:
    /// conflicts, protected changes, blocked changes, destructive changes
    /// (unless `allow_destroy`).
    pub fn refusals(&self, allow_destroy: bool) -> Vec<Refusal> {
        let mut out = Vec::new();
        if !self.errors.is_empty() {
            out.push(Refusal::Conflict(self.errors.clone()));
        }
        let blocked_by = |pick: fn(&Blocker) -> bool| -> Vec<Change> {
            self.changes
                .iter()
                .filter(|c| c.blocked.iter().any(pick))
                .cloned()
                .collect()
        };
        let protected = blocked_by(Blocker::is_protected);
        if !protected.is_empty() {
            out.push(Refusal::Protected(protected));
        }
        let blocked = blocked_by(|_| true);
        if !blocked.is_empty() {
            out.push(Refusal::Blocked(blocked));
        }
        let destructive = self.destructive();
        if destructive > 0 && !allow_destroy {
            out.push(Refusal::Destructive(destructive));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Kind;

    fn change(address: &str, blocked: Vec<Blocker>, destructive: bool) -> Change {
        Change {
            address: address.parse().expect("an address"),
            action: crate::plan::Action::Delete,
            reasons: Vec::new(),
            blocked,
            destructive,
            before: None,
            after: None,
            notes: Vec::new(),
            deferred: None,
        }
    }

    fn plan(changes: Vec<Change>, errors: Vec<PlanError>) -> Plan {
        Plan {
            format_version: crate::plan::FORMAT_VERSION,
            stack: "s".into(),
            region: "r".into(),
            changes,
            errors,
            spec_digest: String::new(),
            observed: Vec::new(),
            steps: Vec::new(),
            origin: Default::default(),
        }
    }

    #[test]
    fn refusals_in_the_order_they_are_checked() {
        let unowned = Blocker::UnownedResources {
            resources: vec![Unowned {
                address: Address::child(Kind::Filter, "g", "f"),
                name: None,
            }],
        };
        let p = plan(
            vec![
                change("datasetGroup.g", vec![unowned], true),
                change("datasetGroup.h", vec![Blocker::ProtectedGroup], true),
                change("dataset.h.items", Vec::new(), false),
            ],
            Vec::new(),
        );
        let codes: Vec<&str> = p.refusals(false).iter().map(Refusal::code).collect();
        assert_eq!(codes, ["PROTECTED", "BLOCKED", "DESTRUCTIVE"]);
        assert_eq!(
            p.refusals(true).len(),
            2,
            "--allow-destroy lifts only DESTRUCTIVE"
        );
        let Refusal::Protected(protected) = &p.refusals(true)[0] else {
            panic!("protected first");
        };
        assert_eq!(protected.len(), 1);
        assert!(p.refusals(true)[0].refuses_plan() && !p.refusals(true)[1].refuses_plan());
    }

    #[test]
    fn a_conflict_refuses_first_and_carries_its_errors() {
        let error = PlanError {
            address: Address::group("g"),
            message: "taken".into(),
            hint: "rename".into(),
        };
        let p = plan(Vec::new(), vec![error]);
        let refusals = p.refusals(false);
        assert_eq!(refusals.len(), 1);
        assert_eq!(refusals[0].code(), "CONFLICT");
        assert_eq!(refusals[0].details().len(), 1);
        assert!(refusals[0]
            .to_string()
            .contains("datasetGroup.g: taken (rename)"));
    }
}
