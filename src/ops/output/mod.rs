//! `pzr output`: read a spec's managed resources as they are.

mod outputs;

pub use outputs::{to_text, Output, Outputs};

use std::path::Path;

use super::session::Place;
use super::{load, read, session, Error, Target};
use crate::live;
use crate::resource::Kind;
use crate::state::ExtraReads;

/// The managed resources of the spec at `file` as they are.
pub async fn output(target: &Target, file: &Path) -> Result<Outputs, Error> {
    let spec = load::spec(file)?;
    session::run(target, Place::of(&spec), async |client| {
        // The plan's reads, and the event trackers' Describe, which only
        // output needs (their trackingId).
        let mut live = read::read_for(client, &spec).await?;
        let trackers = live
            .groups
            .iter()
            .filter(|g| g.stack() == Some(spec.stack()))
            .flat_map(|g| g.children_of(Kind::EventTracker))
            .filter(|c| c.owned_by(spec.stack()))
            .map(|c| c.arn.clone());
        let extra = ExtraReads {
            child_details: trackers.collect(),
            ..ExtraReads::default()
        };
        live::read_extra(client, &mut live, &extra).await?;
        Ok(outputs::outputs(&spec, &live))
    })
    .await
}
