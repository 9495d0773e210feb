//! Retraining: a new version of a kept solution when its group's
//! interactions arrived after its latest ACTIVE version was trained
//! (`training.onNewData`), or when `--train` asks, after this plan's imports.
//! Campaigns that sync with the latest version follow it by themselves; the
//! others are moved to it once it is ACTIVE, by a later plan (`managed`'s
//! campaign update: training takes hours, apply does not wait for it).

use super::builder::{NewChange, StepId};
use super::imports::rfc3339;
use super::serving_steps::Deployables;
use super::Planner;
use crate::plan::model::{Action, Op};
use crate::plan::{Note, Reason};
use crate::resource::{Address, Kind};
use crate::spec::{solution_name, DatasetGroupSpec};

impl Planner<'_> {
    /// Steps training a new version of each solution of `g` kept as
    /// `solutions` that new data or `--train` asks for, unless one is being
    /// trained already (an interrupted apply started it).
    pub(super) fn plan_retraining(&mut self, g: &DatasetGroupSpec, solutions: &Deployables) {
        for (key, s) in solutions {
            let Some(spec) = g.solutions.get(key) else {
                continue;
            };
            let address = Address::child(Kind::Solution, &g.name, key);
            let data = self.data_of(&g.name);
            let new_data = spec.training.on_new_data
                && s.active_version.is_some()
                && data.is_some_and(|d| d.arrived_since(s.trained_at));
            // After this plan's imports, in the same apply.
            let after: Vec<StepId> = data.map(|d| d.steps.clone()).unwrap_or_default();
            let reason = if self.options.train.contains(&address) {
                Reason::TrainRequested
            } else if new_data {
                Reason::NewDataSinceTraining {
                    trained: rfc3339(s.trained_at.unwrap_or_default()),
                }
            } else {
                continue;
            };
            if s.training {
                continue;
            }
            let note = Note::TrainsNewVersion {
                solution: solution_name(&g.name, key, spec),
            };
            match self.out.change_at(&address) {
                Some(id) => {
                    self.out.get_mut(id).reasons.push(reason);
                    self.out.note(id, note);
                }
                None => {
                    self.out.change(NewChange {
                        address: address.clone(),
                        action: Action::Update,
                        reasons: vec![reason],
                        destructive: false,
                        before: None,
                        after: None,
                        notes: vec![note],
                    });
                }
            }
            let op = Op::RetrainSolution {
                solution: s.arn.clone(),
            };
            self.out.step(&address, op, after);
        }
    }
}
