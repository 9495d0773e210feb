//! Reading the account for a command: what a spec's plan needs, and again
//! what a saved plan observed, to tell whether it is stale.

use std::collections::BTreeSet;

use super::{session, Error, Target};
use crate::live::{self, LiveError, Personalize};
use crate::plan::{self, Plan, PlanOptions};
use crate::spec::Spec;
use crate::state::{ExtraReads, LiveGroup, LiveState};

/// Why a saved plan is not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StalePlan {
    #[error("plan is stale: the spec changed since the plan was made; run `pzr plan -o PLAN.json` again and review it")]
    SpecChanged,
    #[error("plan is stale: the account changed since the plan was made:\n  {}\nrun `pzr plan` again", .0.join("\n  "))]
    AccountMoved(Vec<String>),
    #[error("this plan was made against {made}, not {here}; apply it where it was made: `pzr {flags} apply PLAN.json`{credentials}")]
    MadeElsewhere {
        made: String,
        here: String,
        flags: String,
        /// What else to set: the credentials of the plan's account.
        credentials: String,
    },
}

/// Reads what the plan of `spec` needs, and plans.
pub(super) async fn plan_spec(
    client: &Personalize,
    spec: &Spec,
    options: &PlanOptions,
) -> Result<(Plan, LiveState), LiveError> {
    let live = read_for(client, spec).await?;
    Ok((plan::plan(spec, &live, options), live))
}

/// Reads what the plan of `spec` needs.
pub(super) async fn read_for(client: &Personalize, spec: &Spec) -> Result<LiveState, LiveError> {
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
pub(super) async fn check_saved(
    target: &Target,
    client: &Personalize,
    plan: &Plan,
    spec: Option<&Spec>,
) -> Result<(), Error> {
    let here = session::origin(target, client).await;
    let here_region = client.region();
    if plan.origin.mismatch(&plan.region, &here, &here_region) {
        let credentials = match (&plan.origin.account, &here.account) {
            (Some(made), Some(now)) if made != now => {
                format!(", with the credentials of account {made}")
            }
            _ => String::new(),
        };
        return Err(StalePlan::MadeElsewhere {
            made: plan.origin.describe(&plan.region),
            here: here.describe(&here_region),
            flags: plan.origin.flags(&plan.region),
            credentials,
        }
        .into());
    }
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
