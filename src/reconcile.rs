//! What the commands do with the account, as library calls: read what a
//! spec's plan needs and plan it, re-read what a saved plan observed, read
//! live groups for an export, read a spec's resources for `pzr output`. `cli` calls these and only maps their
//! outcomes to output and exit codes.

use std::collections::BTreeSet;

use regex::Regex;

use crate::export;
use crate::live::{self, ExtraReads, LiveError, LiveGroup, LiveState, Personalize};
use crate::output::{self, Outputs};
use crate::plan::{self, Plan, PlanOptions};
use crate::resource::Kind;
use crate::spec::{Spec, SpecFile};

/// Why a saved plan is not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StalePlan {
    #[error("plan is stale: the spec changed since the plan was made; run `pzr plan -o PLAN.json` again and review it")]
    SpecChanged,
    #[error("plan is stale: the account changed since the plan was made:\n  {}\nrun `pzr plan` again", .0.join("\n  "))]
    AccountMoved(Vec<String>),
}

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error(transparent)]
    Live(#[from] LiveError),
    #[error(transparent)]
    Stale(#[from] StalePlan),
}

/// Reads what the plan of `spec` needs, and plans.
pub async fn plan_spec(
    client: &Personalize,
    spec: &Spec,
    options: PlanOptions,
) -> Result<(Plan, LiveState), LiveError> {
    let live = read_for(client, spec).await?;
    Ok((plan::plan(spec, &live, options), live))
}

/// The managed resources of `spec` as they are (`pzr output`).
pub async fn output_spec(client: &Personalize, spec: &Spec) -> Result<Outputs, LiveError> {
    // The plan's reads, and the event trackers' Describe, which only
    // output needs (their trackingId).
    let mut live = read_for(client, spec).await?;
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
    Ok(output::outputs(spec, &live))
}

/// Reads what the plan of `spec` needs.
async fn read_for(client: &Personalize, spec: &Spec) -> Result<LiveState, LiveError> {
    // Other groups are only classified: a spec group colliding with one that
    // is another stack's, or untagged without `adopt`, is an error whatever
    // is inside it.
    let adopting: BTreeSet<&str> = spec
        .file
        .dataset_groups
        .iter()
        .filter(|g| g.adopt)
        .map(|g| g.name.as_str())
        .collect();
    let detailed = |g: &LiveGroup| match g.stack() {
        Some(stack) => stack == spec.stack(),
        None => adopting.contains(g.name.as_str()),
    };
    let mut live = live::read(client, detailed).await?;
    // A second round only when a schema's content, once read, shows that a
    // dataset is replaced: then its group's children are needed too.
    let mut done = ExtraReads::default();
    loop {
        let extra = plan::extra_reads(spec, &live).without(&done);
        if extra.is_empty() {
            break;
        }
        live::read_extra(client, &mut live, &extra).await?;
        done.extend(extra);
    }
    Ok(live)
}

/// Refuses a saved plan made from another spec than `spec` (when given) or
/// whose observed resources moved since.
pub async fn check_saved(
    client: &Personalize,
    plan: &Plan,
    spec: Option<&Spec>,
) -> Result<(), ReconcileError> {
    if spec.is_some_and(|s| s.digest != plan.spec_digest) {
        return Err(StalePlan::SpecChanged.into());
    }
    let detail = plan::observed_groups(&plan.observed);
    let detailed =
        |g: &LiveGroup| g.stack() == Some(plan.stack.as_str()) || detail.contains(&g.name);
    // The whole region is re-read: a name someone else took since matters too.
    let now = live::read(client, detailed).await?;
    let moved = plan::stale(&plan.observed, &now);
    if moved.is_empty() {
        Ok(())
    } else {
        Err(StalePlan::AccountMoved(moved).into())
    }
}

/// Which live groups an export describes.
#[derive(Debug, Clone)]
pub enum ExportSelection {
    /// The groups `stack` owns.
    Owned,
    /// Groups `stack` does not own whose name matches, to be adopted.
    Matching(Regex),
}

/// A spec describing the selected live groups of `stack`.
pub async fn export_spec(
    client: &Personalize,
    stack: &str,
    selection: &ExportSelection,
) -> Result<SpecFile, LiveError> {
    let selected = |g: &LiveGroup| match selection {
        ExportSelection::Matching(re) => g.stack() != Some(stack) && re.is_match(&g.name),
        ExportSelection::Owned => g.stack() == Some(stack),
    };
    let mut state = live::read(client, selected).await?;
    let chosen = || state.groups.iter().filter(|g| selected(g));
    let schema_definitions = chosen()
        .flat_map(|g| g.datasets.iter().map(|d| d.schema_arn.clone()))
        .collect();
    // Every child's settings but a tracker's are only in its Describe.
    let child_details = chosen()
        .flat_map(|g| export::taken_children(stack, g))
        .filter(|c| c.kind != Kind::EventTracker)
        .map(|c| c.arn.clone())
        .collect();
    let extra = ExtraReads {
        schema_definitions,
        child_details,
    };
    live::read_extra(client, &mut state, &extra).await?;
    let groups: Vec<&LiveGroup> = state.groups.iter().filter(|g| selected(g)).collect();
    Ok(export::spec_for(stack, &state, &groups))
}
