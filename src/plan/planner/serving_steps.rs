//! What only the serving kinds do: settings changed in place
//! (UpdateRecommender, UpdateSolution, UpdateCampaign), a recommender
//! stopped or started, a campaign deployed on its solution's latest ACTIVE
//! version or deferred until one exists, a solution's first training, and
//! the order Personalize deletes them in (a solution only once its
//! campaigns are gone).

use std::collections::BTreeMap;

use super::builder::StepId;
use super::pairing::Wanted;
use super::Planner;
use crate::plan::model::{ArnRef, Op};
use crate::plan::{Deferral, Note};
use crate::resource::{Address, Kind, RecommenderState};
use crate::spec::{solution_name, DatasetGroupSpec};
use crate::state::{ChildConfig, FailedTraining, LiveChild, LiveGroup};

/// How the API names "the solution's latest version" for a campaign that
/// syncs with it (https://docs.aws.amazon.com/personalize/latest/dg/API_CreateCampaign.html).
fn latest_version(solution_arn: &str) -> String {
    format!("{solution_arn}/$LATEST")
}

/// A solution its campaigns may be deployed on: one this stack keeps (or
/// adopts), or one this plan creates. Its ARN, whether it trains by
/// itself, its latest ACTIVE version if any, and whether this plan trains
/// it already.
pub(super) struct Deployable {
    pub arn: ArnRef,
    automatic: bool,
    pub active_version: Option<String>,
    /// When that version was trained (its creation, epoch seconds).
    pub trained_at: Option<f64>,
    /// A version is being trained now.
    pub training: bool,
    trained: bool,
    /// Its newest version's training failed.
    failed: Option<FailedTraining>,
}

impl Deployable {
    /// A live solution the plan keeps: its settings and versions as read.
    pub(super) fn kept(c: &LiveChild) -> Deployable {
        let automatic = matches!(
            c.config(),
            Some(ChildConfig::Solution {
                perform_auto_training: true,
                ..
            }) | None
        );
        let details = c.details.as_ref();
        Deployable {
            arn: ArnRef::Known(c.arn.clone()),
            automatic,
            active_version: details.and_then(|d| d.active_version.clone()),
            trained_at: details.and_then(|d| d.active_version_trained),
            training: details.is_some_and(|d| d.training),
            trained: false,
            failed: details.and_then(|d| d.failed_training.clone()),
        }
    }
}

/// The newer ACTIVE version of its solution that campaign `c` (wanted as
/// `w`, in `l`, of `g`) is moved to: one that does not sync with the latest
/// version stays on the one it deploys until UpdateCampaign names another.
/// Only a solution that retrains on new data (`training.onNewData`) moves
/// its campaigns: otherwise a campaign left on its version stays there, as
/// Personalize leaves it.
pub(super) fn newer_version(
    g: &DatasetGroupSpec,
    l: &LiveGroup,
    w: &Wanted,
    c: &LiveChild,
) -> Option<String> {
    let retrains = w
        .solution
        .as_ref()
        .and_then(|key| g.solutions.get(key))
        .is_some_and(|s| s.training.on_new_data);
    if c.kind != Kind::Campaign || w.config.syncs_with_latest() || !retrains {
        return None;
    }
    let deployed = c.details.as_ref()?.deployed_version.as_ref()?;
    let solution = super::solutions::live_solution_of(l, c)?;
    let active = solution.details.as_ref()?.active_version.as_ref()?;
    (active != deployed).then(|| active.clone())
}

/// Solution keys to what their campaigns may be deployed on.
pub(super) type Deployables = BTreeMap<String, Deployable>;

impl Planner<'_> {
    /// Steps changing `c`'s settings in place to `w`'s, after `ready`. A
    /// recommender is updated only while ACTIVE, so a stopped one is
    /// started first (and stopped again if the spec wants it stopped).
    /// `moved`: the newer version a campaign is moved to (`newer_version`).
    pub(super) fn update_steps(
        &mut self,
        w: &Wanted,
        c: &LiveChild,
        l: &LiveGroup,
        moved: Option<String>,
        ready: &[StepId],
    ) {
        let address = &w.address;
        let latest = super::solutions::live_solution_of(l, c)
            .filter(|_| w.config.syncs_with_latest())
            .map(|s| latest_version(&s.arn))
            .or(moved);
        let update = Op::UpdateChild {
            kind: c.kind,
            arn: c.arn.clone(),
            config: w.config.clone(),
            solution_version: latest,
        };
        let (
            ChildConfig::Recommender {
                recommender_config: want,
                state,
                ..
            },
            Some(ChildConfig::Recommender {
                recommender_config: have,
                state: live_state,
                ..
            }),
        ) = (&w.config, c.config())
        else {
            self.out.step(address, update, ready.to_vec());
            return;
        };
        let arn = ArnRef::Known(c.arn.clone());
        let mut after = ready.to_vec();
        let reconfigure = *want != have;
        let start = !live_state.is_running() && (state.is_running() || reconfigure);
        if start {
            let op = Op::SetRecommenderState {
                arn: arn.clone(),
                running: true,
            };
            after = vec![self.out.step(address, op, after)];
        }
        if reconfigure {
            after = vec![self.out.step(address, update, after)];
        }
        if *state == RecommenderState::Stopped && (live_state.is_running() || start) {
            let op = Op::SetRecommenderState {
                arn,
                running: false,
            };
            self.out.step(address, op, after);
        }
    }

    /// What a new child needs once created (its step `step`): a recommender
    /// the spec wants stopped is stopped; a solution is remembered for its
    /// campaigns (`solutions`).
    pub(super) fn after_create(&mut self, w: &Wanted, step: StepId, solutions: &mut Deployables) {
        match &w.config {
            ChildConfig::Recommender {
                state: RecommenderState::Stopped,
                ..
            } => {
                let op = Op::SetRecommenderState {
                    arn: ArnRef::CreatedBy(step),
                    running: false,
                };
                self.out.step(&w.address, op, [step]);
            }
            ChildConfig::Solution {
                perform_auto_training,
                ..
            } => {
                let solution = Deployable {
                    arn: ArnRef::CreatedBy(step),
                    automatic: *perform_auto_training,
                    active_version: None,
                    trained_at: None,
                    training: false,
                    trained: false,
                    failed: None,
                };
                solutions.insert(w.address.key().to_string(), solution);
            }
            _ => {}
        }
    }

    /// The solution version campaign `w` of solution `key` deploys: the
    /// solution's latest ACTIVE version (`<solution>/$LATEST` for a campaign
    /// that syncs with the latest). `None` when there is none yet: the
    /// campaign's change is then deferred, and a solution that does not
    /// train by itself is trained once, after the group's data arrives;
    /// not without data, nor again after a failed training while no data
    /// arrived since (`--replace` replaces the solution). A solution the
    /// plan cannot use (another stack's: an error of the plan already)
    /// defers it too.
    pub(super) fn deployable(
        &mut self,
        g: &DatasetGroupSpec,
        key: &str,
        w: &Wanted,
        solutions: &mut Deployables,
    ) -> Option<ArnRef> {
        let name = g
            .solutions
            .get(key)
            .map(|s| solution_name(&g.name, key, s))
            .unwrap_or_default();
        let Some(s) = solutions.get_mut(key) else {
            self.defer(w, Deferral::SolutionUnusable { solution: name });
            return None;
        };
        if let (Some(version), ArnRef::Known(arn)) = (&s.active_version, &s.arn) {
            return Some(ArnRef::Known(if w.config.syncs_with_latest() {
                latest_version(arn)
            } else {
                version.clone()
            }));
        }
        let solution = Address::child(Kind::Solution, &g.name, key);
        let Some(data) = self.data_of(&g.name).filter(|d| d.has_interactions()) else {
            self.defer(w, Deferral::NoInteractionsData);
            return None;
        };
        let data_steps = data.steps.clone();
        let failed = s
            .failed
            .as_ref()
            .filter(|f| !data.arrived_since(Some(f.at)));
        if let (false, Some(f)) = (s.automatic, failed) {
            let why = Deferral::FailedForData {
                failure_reason: f.failure_reason.clone().unwrap_or_default(),
                replace: solution.to_string(),
            };
            self.defer(w, why);
            return None;
        }
        let why = if s.automatic {
            Deferral::AwaitingAutomaticTraining {
                solution: name.clone(),
            }
        } else {
            Deferral::AwaitingTraining {
                solution: name.clone(),
            }
        };
        if !s.automatic && !s.trained {
            s.trained = true;
            let after: Vec<StepId> = s.arn.created_by().into_iter().chain(data_steps).collect();
            let op = Op::TrainSolution {
                solution: s.arn.clone(),
            };
            self.out.step(&solution, op, after);
            self.note(w, Note::TrainsFirstVersion { solution: name });
        }
        self.defer(w, why);
        None
    }

    pub(super) fn defer(&mut self, w: &Wanted, why: Deferral) {
        if let Some(id) = self.out.change_at(&w.address) {
            self.out.get_mut(id).deferred = Some(why);
        }
    }

    fn note(&mut self, w: &Wanted, note: Note) {
        if let Some(id) = self.out.change_at(&w.address) {
            self.out.note(id, note);
        }
    }

    /// Steps deleting `children` (with their addresses) in Personalize's
    /// order: a solution only once its campaigns are gone (DeleteSolution is
    /// refused while it has any,
    /// https://docs.aws.amazon.com/personalize/latest/dg/API_DeleteSolution.html);
    /// the rest independently.
    pub(super) fn delete_child_steps(
        &mut self,
        children: &[(Address, &LiveChild)],
    ) -> ChildDeletes {
        let mut deletes = ChildDeletes::default();
        let mut campaigns: Vec<(&str, StepId)> = Vec::new();
        for kind in Kind::CHILD_DELETE_ORDER {
            for (address, c) in children.iter().filter(|(_, c)| c.kind == kind) {
                let after = campaigns
                    .iter()
                    .filter(|(solution, _)| kind == Kind::Solution && *solution == c.arn)
                    .map(|(_, step)| *step)
                    .collect();
                let (cleared, gone) = self.delete_child_step(address, c, after);
                if let Some(solution) = &c.solution {
                    campaigns.push((solution.as_str(), gone));
                }
                deletes.gone.insert(address.clone(), gone);
                deletes.clear_for_datasets.push(cleared);
            }
        }
        deletes
    }
}

/// The steps deleting a group's managed children.
#[derive(Debug, Default)]
pub(super) struct ChildDeletes {
    /// By address, the step after which each child is gone.
    pub gone: BTreeMap<Address, StepId>,
    /// What the group's dataset deletes wait for (see `delete_child_step`).
    pub clear_for_datasets: Vec<StepId>,
}
