//! Whose a resource is decides what the plan may do with it: the
//! ownership table of docs/spec.md, shared by datasets and the children a
//! spec declares.

use super::Planner;
use crate::resource::{self, Address, Kind, Tags};

/// A resource whose owner decides what the plan may do with it.
pub(super) struct Owner<'a> {
    pub address: Address,
    pub kind: Kind,
    pub name: &'a str,
    pub group: &'a str,
    pub tags: &'a Tags,
}

impl Planner<'_> {
    /// Whether the spec may manage `o`, inside a group `adopting` or not:
    /// `Some(adopt)` when it may (adopt: it is untagged and the group
    /// adopts), `None` (an error recorded) when not.
    pub(super) fn check_owner(&mut self, o: Owner, adopting: bool) -> Option<bool> {
        let adopt = !self.owns(o.tags);
        let label = o.kind.label();
        if let Some(other) = resource::owner(o.tags).filter(|s| *s != self.stack) {
            // `adopt: true` takes over untagged resources, never another stack's.
            self.out.error(
                o.address,
                format!(
                    "{label} {} in group {} belongs to pzr stack {other:?}",
                    o.name, o.group
                ),
                &format!(
                    "remove it from that stack's spec first, or remove the {label} from this spec"
                ),
            );
            return None;
        }
        if adopt && !adopting {
            self.out.error(
                o.address,
                format!(
                    "{label} {} exists in group {} and is not managed by stack {:?}",
                    o.name, o.group, self.stack
                ),
                &format!("set `adopt: true` on the group to take over its {label}s"),
            );
            return None;
        }
        Some(adopt)
    }
}
