//! Event trackers: at most one per group, addressed by the group. Its
//! `trackingId` goes into applications, and a new tracker gets a new one, so
//! replacing or deleting it is destructive.

use super::pairing::{Facts, Wanted};
use crate::plan::Reason;
use crate::resource::Address;
use crate::spec::{event_tracker_name, DatasetGroupSpec};
use crate::state::ChildConfig;

pub(super) static FACTS: Facts = Facts {
    destroys: Some(Reason::TrackingIdChanges),
    gap: None,
    in_place: &[],
};

/// The event tracker `g` declares.
pub(super) fn wanted(g: &DatasetGroupSpec) -> Option<Wanted> {
    let t = g.event_tracker.as_ref()?;
    Some(Wanted {
        address: Address::event_tracker(&g.name),
        name: event_tracker_name(&g.name, t),
        config: ChildConfig::EventTracker,
        tags: t.tags.clone(),
        solution: None,
    })
}
