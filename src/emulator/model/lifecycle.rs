//! The status life cycle, derived from a resource's timestamps and the time
//! asked about, so a restart (or an advanced clock) continues where it was:
//! CREATE PENDING (first third of the create delay) → CREATE IN_PROGRESS →
//! ACTIVE (or CREATE FAILED), and DELETE PENDING → gone after the delete delay.

use super::resource::Resource;
use crate::emulator::clock::Millis;
use crate::resource::{Kind, Status};

/// How long the status life cycle takes.
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle {
    pub create_delay: Millis,
    pub delete_delay: Millis,
}

impl Resource {
    /// Status at `now`; `None` for schemas, which have none.
    pub fn status(&self, now: Millis, lc: Lifecycle) -> Option<Status> {
        if self.kind == Kind::Schema {
            return None;
        }
        if self.deleting_since.is_some() {
            return Some(Status::DeletePending);
        }
        let elapsed = now.saturating_sub(self.created);
        Some(if elapsed >= lc.create_delay {
            if self.failure_reason.is_some() {
                Status::CreateFailed
            } else {
                Status::Active
            }
        } else if elapsed < lc.create_delay / 3 {
            Status::CreatePending
        } else {
            Status::CreateInProgress
        })
    }

    /// Time of the last change visible through the API (a status transition
    /// or an update).
    pub fn last_updated(&self, now: Millis, lc: Lifecycle) -> Millis {
        if let Some(since) = self.deleting_since {
            return since;
        }
        let transition = match self.status(now, lc) {
            None | Some(Status::CreatePending) => self.created,
            Some(Status::CreateInProgress) => self.created + lc.create_delay / 3,
            Some(_) => self.created + lc.create_delay,
        };
        self.updated.map_or(transition, |u| u.max(transition))
    }

    /// Whether its deletion has completed by `now`.
    pub(super) fn is_gone(&self, now: Millis, lc: Lifecycle) -> bool {
        self.deleting_since
            .is_some_and(|since| now >= since.saturating_add(lc.delete_delay))
    }
}
