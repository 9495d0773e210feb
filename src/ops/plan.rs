//! `pzr plan` and `pzr drift`: read the account for a spec and plan it.

use std::path::Path;

use super::session::Place;
use super::{load, read, session, Error, Target};
use crate::plan::{drift::DriftReport, Plan, PlanOptions, Refusal};
use crate::state::LiveState;

/// The plan of the spec at `file`, unless a refusal stops `pzr plan`
/// itself (a conflict, a protected resource): then the plan comes with it.
pub async fn plan(target: &Target, file: &Path, options: &PlanOptions) -> Result<Plan, Error> {
    let (plan, _) = plan_file(target, file, options, true).await?;
    checked(plan)
}

/// How the account differs from the spec at `file`.
pub struct Drift {
    pub plan: Plan,
    pub report: DriftReport,
}

/// The drift of the account from the spec at `file`. Drift is reported
/// whatever is protected or blocked; a conflict means there is no managed
/// state to compare.
pub async fn drift(target: &Target, file: &Path) -> Result<Drift, Error> {
    let (plan, live) = plan_file(target, file, &PlanOptions::default(), false).await?;
    let conflict = plan
        .refusals(true)
        .into_iter()
        .find(|r| matches!(r, Refusal::Conflict(_)));
    let plan = unless(conflict, plan)?;
    let report = crate::plan::drift::report(&plan, &live);
    Ok(Drift { plan, report })
}

/// Loads the spec at `file` (offline, first), connects, reads and plans;
/// `with_origin`: also asks where the plan is made (one STS call), which
/// only a plan that may be saved needs (drift is never applied).
async fn plan_file(
    target: &Target,
    file: &Path,
    options: &PlanOptions,
    with_origin: bool,
) -> Result<(Plan, LiveState), Error> {
    let spec = load::spec(file)?;
    session::run(target, Place::of(&spec), async |client| {
        let (mut plan, live) = read::plan_spec(client, &spec, options).await?;
        if with_origin {
            // What a saved plan is refused anywhere else than.
            plan.origin = session::origin(target, client).await;
        }
        Ok((plan, live))
    })
    .await
}

/// The plan, unless it has a refusal that stops `pzr plan` itself (and
/// so apply too).
pub(super) fn checked(plan: Plan) -> Result<Plan, Error> {
    let refusal = plan.refusals(true).into_iter().find(Refusal::refuses_plan);
    unless(refusal, plan)
}

/// The plan, unless `refusal` (one of its own) stops it.
pub(super) fn unless(refusal: Option<Refusal>, plan: Plan) -> Result<Plan, Error> {
    match refusal {
        Some(refusal) => Err(Error::Refused {
            refusal,
            plan: Box::new(plan),
        }),
        None => Ok(plan),
    }
}
