//! `pzr export`: read live groups and describe them as a spec.

mod spec;
mod yaml;

pub use yaml::to_yaml;

use regex::Regex;

use super::session::Place;
use super::{session, Error, Target};
use crate::live;
use crate::resource::Kind;
use crate::spec::SpecFile;
use crate::state::{ExtraReads, LiveGroup};

/// Which live groups an export describes.
#[derive(Debug, Clone)]
pub enum ExportSelection {
    /// The groups `stack` owns.
    Owned,
    /// Groups `stack` does not own whose name matches, to be adopted.
    Matching(Regex),
}

/// A spec describing the selected live groups of `stack`.
pub async fn export(
    target: &Target,
    stack: &str,
    selection: &ExportSelection,
) -> Result<SpecFile, Error> {
    let selected = |g: &LiveGroup| match selection {
        ExportSelection::Matching(re) => g.stack() != Some(stack) && re.is_match(&g.name),
        ExportSelection::Owned => g.stack() == Some(stack),
    };
    // An export has no spec to take a region from.
    session::run(target, Place::default(), async |client| {
        let mut state = live::read(client, selected).await?;
        let chosen = || state.groups.iter().filter(|g| selected(g));
        let schema_definitions = chosen()
            .flat_map(|g| g.datasets.iter().map(|d| d.schema_arn.clone()))
            .collect();
        // Every child's settings but a tracker's are only in its Describe.
        let child_details = chosen()
            .flat_map(|g| spec::taken_children(stack, g))
            .filter(|c| c.kind != Kind::EventTracker)
            .map(|c| c.arn.clone())
            .collect();
        let imports = chosen()
            .flat_map(|g| g.datasets.iter().map(|d| d.arn.clone()))
            .collect();
        let extra = ExtraReads {
            schema_definitions,
            child_details,
            imports,
            ..ExtraReads::default()
        };
        live::read_extra(client, &mut state, &extra).await?;
        let groups: Vec<&LiveGroup> = state.groups.iter().filter(|g| selected(g)).collect();
        Ok(spec::spec_for(stack, &state, &groups))
    })
    .await
}
