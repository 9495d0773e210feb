//! Solution versions (trained models): CreateSolutionVersion,
//! StopSolutionVersionCreation, and the automatic training a solution starts
//! by itself (https://docs.aws.amazon.com/personalize/latest/dg/API_CreateSolution.html:
//! "By default, all new solutions use automatic training [...] Automatic
//! solution version creation starts within one hour after the solution is
//! ACTIVE. If you manually create a solution version within the hour, the
//! solution skips the first automatic training."). The emulator starts it
//! `--training-delay` after the solution turns ACTIVE,
//! then one every period of the solution's schedule, each only if
//! interaction data arrived since the last training (see
//! `start_due_trainings`). Every training, manual or automatic, ends CREATE
//! FAILED if its group's data falls short (`training_data`).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::create::text_attr;
use super::noun::Noun;
use super::record::Resource;
use super::{Model, NewResource};
use crate::clock::Millis;
use crate::error::ApiError;
use personalize_facts::import::training::Shortfall;
use personalize_facts::resource::{Kind, Status};

/// The members a version repeats from its solution (the SolutionVersion
/// shape of the API model).
const FROM_SOLUTION: [&str; 7] = [
    "performHPO",
    "performAutoML",
    "performIncrementalUpdate",
    "recipeArn",
    "eventType",
    "datasetGroupArn",
    "solutionConfig",
];

/// Recipes whose solutions may train with `trainingMode` UPDATE
/// (CreateSolutionVersion's `trainingMode` docs: User-Personalization or the
/// legacy HRNN-Coldstart).
const UPDATABLE_RECIPES: [&str; 2] = ["aws-user-personalization", "aws-hrnn-coldstart"];

impl Model {
    /// CreateSolutionVersion: "A solution [...] must be in the ACTIVE state
    /// before calling CreateSolutionVersion" (API_CreateSolutionVersion.html).
    pub fn create_solution_version(
        &mut self,
        now: Millis,
        new: NewResource,
    ) -> Result<&Resource, ApiError> {
        let solution_arn = text_attr(&new, "solutionArn");
        let solution = self.active_parent(now, Kind::Solution, &solution_arn)?;
        // "The default is FULL."
        let mode = new
            .attrs
            .get("trainingMode")
            .and_then(Value::as_str)
            .unwrap_or("FULL");
        if mode == "UPDATE" {
            self.check_update_training(now, solution)?;
        }
        if !new.name.is_empty() {
            self.ensure_name_free(now, Noun::SolutionVersion, &new.name)?;
        }
        let attrs = version_attrs(solution, mode, "MANUAL");
        let shortfall = self.solution_shortfall(now, solution);
        let seed = format!("{solution_arn}/manual/{}", self.account.next_seq);
        let new = NewResource { attrs, ..new };
        let arn = self
            .insert_version(now, &solution_arn, &seed, new)
            .arn
            .clone();
        Ok(self.fail_at_end(&arn, shortfall.map(|s| s.to_string())))
    }

    /// "The UPDATE option can only be used when you already have an active
    /// solution version created from the input solution using the FULL option
    /// and the input solution was trained with the User-Personalization recipe
    /// or the legacy HRNN-Coldstart recipe." (CreateSolutionVersion,
    /// `trainingMode`)
    fn check_update_training(&self, now: Millis, solution: &Resource) -> Result<(), ApiError> {
        let lc = self.lc();
        let recipe = solution.attr("recipeArn").unwrap_or_default();
        if !UPDATABLE_RECIPES
            .iter()
            .any(|r| recipe.rsplit('/').next() == Some(r))
        {
            return Err(ApiError::invalid_input(format!(
                "trainingMode UPDATE needs a solution of the User-Personalization or HRNN-Coldstart recipe; {} uses {}",
                solution.arn,
                if recipe.is_empty() { "none" } else { recipe }
            )));
        }
        let has_full = self.versions_of(now, &solution.arn).any(|v| {
            v.attr("trainingMode") == Some("FULL") && v.status(now, lc) == Some(Status::Active)
        });
        if !has_full {
            return Err(ApiError::invalid_input(format!(
                "trainingMode UPDATE needs an ACTIVE solution version of {} trained with FULL",
                solution.arn
            )));
        }
        Ok(())
    }

    /// StopSolutionVersionCreation: only while CREATE PENDING or CREATE
    /// IN_PROGRESS ("Stops creating a solution version that is in a state of
    /// CREATE_PENDING or CREATE IN_PROGRESS",
    /// https://docs.aws.amazon.com/personalize/latest/dg/API_StopSolutionVersionCreation.html).
    pub fn stop_solution_version_creation(
        &mut self,
        now: Millis,
        arn: &str,
    ) -> Result<(), ApiError> {
        let lc = self.lc();
        let version = self.describe(now, Noun::SolutionVersion, arn)?;
        if !version.is_being_created(now, lc) {
            return Err(ApiError::in_use(format!(
                "The solution version {arn} can only be stopped while CREATE PENDING or CREATE IN_PROGRESS; its status is {}",
                version.status(now, lc).as_ref().map_or("none", Status::as_str)
            )));
        }
        if let Some(version) = self.account.resources.get_mut(arn) {
            version.stopped_since = Some(now);
        }
        Ok(())
    }

    /// Starts, at the time each was due, the automatic trainings of every
    /// ACTIVE solution with `performAutoTraining` (absent: true, "The default
    /// is True"): the first `--training-delay` after it turned ACTIVE (or
    /// after an UpdateSolution turned training on), unless a version was
    /// created in between, then one every period of its schedule
    /// (`training_period`), each only if interaction data arrived since the
    /// last training (`data_arrived`). Each version's ARN is drawn from its due time, so
    /// a due training is started once whenever the account is settled. Only
    /// the solutions `trainings` has due are looked at (the others can have
    /// no training due).
    pub(super) fn start_due_trainings(&mut self, now: Millis) {
        // In ARN order: the versions due are created (and numbered) in it.
        let mut looked_at = self.trainings.due(now);
        looked_at.sort();
        let mut due: Vec<DueTraining> = Vec::new();
        let mut next: Vec<(String, Option<Millis>)> = Vec::new();
        for arn in looked_at {
            let solution = self.live_at(now, &arn).filter(|s| s.kind == Kind::Solution);
            let Some(s) = solution else {
                next.push((arn, None));
                continue;
            };
            let (times, next_look) = self.automatic_trainings(now, s);
            for at in times {
                due.push(DueTraining {
                    solution: s.arn.clone(),
                    at,
                    attrs: version_attrs(s, "AUTOTRAIN", "AUTOMATIC"),
                    shortfall: self.solution_shortfall(at, s),
                });
            }
            next.push((arn, next_look));
        }
        for due in due {
            let seed = automatic_seed(&due.solution, due.at);
            let new = NewResource {
                attrs: due.attrs,
                ..NewResource::default()
            };
            let arn = self
                .insert_version(due.at, &due.solution, &seed, new)
                .arn
                .clone();
            self.fail_at_end(&arn, due.shortfall.map(|s| s.to_string()));
        }
        for (arn, when) in next {
            self.trainings.set(&arn, when);
        }
    }

    /// The automatic trainings of the solution `s` due by `now` and not yet
    /// started, and the next time that can change with no request changing
    /// `s` or its versions (a change looks at it again): when it turns
    /// ACTIVE, its update completes, or its next training falls due.
    fn automatic_trainings(&self, now: Millis, s: &Resource) -> (Vec<Millis>, Option<Millis>) {
        let lc = self.lc();
        let changes = [Some(s.created), s.update.as_ref().map(|u| u.started)];
        let changes = changes
            .into_iter()
            .flatten()
            .map(|start| start.saturating_add(lc.create_delay))
            .filter(|t| *t > now)
            .min();
        let attrs = s.current_attrs(now, lc);
        if attrs.get("performAutoTraining") == Some(&Value::Bool(false)) {
            return (Vec::new(), changes);
        }
        let Some(active) = s.active_since(now, lc) else {
            return (Vec::new(), changes);
        };
        let turned_on = s
            .update
            .as_ref()
            .filter(|u| u.changes.get("performAutoTraining") == Some(&Value::Bool(true)))
            .and(s.update_status(now, lc))
            .filter(|(status, _)| *status == Status::Active)
            .map(|(_, done)| done);
        let anchor = turned_on.map_or(active, |t| t.max(active));
        let first = anchor.saturating_add(lc.training_delay);
        if now < first {
            return (Vec::new(), Some(earliest(changes, first)));
        }
        let period = super::serving_updates::training_period(&attrs);
        let mut trainings: Vec<Millis> = self.versions_of(now, &s.arn).map(|v| v.created).collect();
        let skipped = trainings.iter().any(|t| *t >= anchor && *t < first);
        let arrivals = self.interaction_arrivals(now, s);
        let periods = (now - first) / period;
        let mut times = Vec::new();
        for at in (0..=periods).map(|k| first + k * period) {
            let arn = self.version_arn(&s.arn, &automatic_seed(&s.arn, at));
            let started = self.account.resources.contains_key(&arn);
            if started || (skipped && at == first) || !data_arrived(&arrivals, &trainings, at) {
                continue;
            }
            times.push(at);
            trainings.push(at);
        }
        let next_due = first.saturating_add((periods + 1).saturating_mul(period));
        (times, Some(earliest(changes, next_due)))
    }

    fn versions_of<'a>(
        &'a self,
        now: Millis,
        solution_arn: &str,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        self.list(now, Noun::SolutionVersion, Some(solution_arn), None)
    }

    fn version_arn(&self, solution_arn: &str, seed: &str) -> String {
        let id = &hex::encode(Sha256::digest(seed))[..8];
        let solution_name = solution_arn.rsplit('/').next().unwrap_or_default();
        self.arn(Noun::SolutionVersion, &format!("{solution_name}/{id}"))
    }

    /// A version of the solution, created at `at`, its ARN
    /// `solution/<solution name>/<8 hex digits>` (as AWS's) drawn from `seed`.
    fn insert_version(
        &mut self,
        at: Millis,
        solution_arn: &str,
        seed: &str,
        new: NewResource,
    ) -> &Resource {
        let arn = self.version_arn(solution_arn, seed);
        self.insert(
            at,
            Noun::SolutionVersion,
            arn,
            new,
            Some(solution_arn.to_string()),
        )
    }
}

/// An automatic training that fell due: the solution, when, the version's
/// members, and why it fails if its data falls short.
struct DueTraining {
    solution: String,
    at: Millis,
    attrs: Map<String, Value>,
    shortfall: Option<Shortfall>,
}

/// Whether interaction data arrived (an import turned ACTIVE) by `at` and
/// after the last training started before `at`: "Automatic training occurs
/// only if you imported bulk or real-time interaction data since the last
/// training"
/// (https://docs.aws.amazon.com/personalize/latest/dg/solution-config-auto-training.html).
/// Before the first training, any data will do; a version that ended
/// failed or stopped counts as a training (AWS does not say; counting it
/// means data too small to train on is not trained on again, and billed
/// again, until more arrives).
fn data_arrived(arrivals: &[Millis], trainings: &[Millis], at: Millis) -> bool {
    let last = trainings.iter().filter(|t| **t < at).max();
    arrivals
        .iter()
        .any(|a| *a <= at && last.is_none_or(|last| a > last))
}

fn earliest(a: Option<Millis>, b: Millis) -> Millis {
    a.map_or(b, |a| a.min(b))
}

/// What an automatic version's ARN is drawn from: its solution and due time.
fn automatic_seed(solution_arn: &str, at: Millis) -> String {
    format!("{solution_arn}/automatic/{at}")
}

/// A version's own members: what it repeats from its solution, and how it
/// was trained. `trainingType` is MANUAL or AUTOMATIC (the TrainingType
/// enum); an automatic version's `trainingMode` is AUTOTRAIN, the value the
/// TrainingMode enum has for it.
fn version_attrs(solution: &Resource, mode: &str, training_type: &str) -> Map<String, Value> {
    let mut attrs: Map<String, Value> = FROM_SOLUTION
        .iter()
        .filter_map(|k| Some((k.to_string(), solution.attrs.get(*k)?.clone())))
        .collect();
    attrs.insert("solutionArn".into(), Value::from(solution.arn.clone()));
    attrs.insert("trainingMode".into(), Value::from(mode));
    attrs.insert("trainingType".into(), Value::from(training_type));
    attrs
}
