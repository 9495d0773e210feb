//! The emulated account: resources (`record`, of a `noun`), their status
//! life cycle (`lifecycle`) and Personalize's rules for creating (`create`),
//! changing and deleting (`change`), the serving kinds' updates
//! (`serving_updates`), training (`versions`) and what it finds in the
//! data (`training_data`), counting (`quotas`) and
//! tagging (`tagging`) them, with lookups derived from the resources
//! (`index`, `training_due`) so a request costs what it touches, not the
//! whole account. Pure: no I/O, and the
//! time is passed in (`now`, epoch milliseconds, read from the emulator's
//! `Clock` once per request), so status is derived from timestamps and a
//! restart continues where it stopped.

mod change;
mod create;
mod imports;
mod index;
mod lifecycle;
mod metric_attribution;
mod noun;
mod quotas;
mod record;
mod serving_updates;
mod tagging;
mod training_data;
mod training_due;
mod versions;

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::clock::Millis;
use super::error::{ApiError, ErrorCode};
use index::Index;
use personalize_facts::resource::{Kind, Status};
use training_due::Schedule;

pub use create::CreateRule;
pub use imports::Imported;
pub use lifecycle::Lifecycle;
pub use metric_attribution::MetricsUpdate;
pub use noun::Noun;
pub use record::{epoch_seconds, Resource, Tag};

/// The configuration the rules depend on.
#[derive(Debug, Clone)]
pub struct Rules {
    pub account_id: String,
    pub region: String,
    pub lifecycle: Lifecycle,
    pub max_dataset_groups: usize,
    /// Resources whose name matches end in CREATE FAILED.
    pub fail_create: Option<Regex>,
    /// Datasets, solutions, campaigns and recommenders whose name matches
    /// fail their updates.
    pub fail_update: Option<Regex>,
}

/// Everything the account holds; this is what the state file stores.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub next_seq: u64,
    /// By ARN.
    pub resources: BTreeMap<String, Resource>,
}

/// What a create request carries besides its name.
#[derive(Debug, Clone, Default)]
pub struct NewResource {
    pub name: String,
    pub attrs: Map<String, Value>,
    pub tags: Vec<Tag>,
    /// CreateDatasetImportJob: what reading its data location found (the
    /// API layer reads it; the model does no I/O).
    pub imported: Option<Imported>,
}

/// The account together with the rules that govern it.
#[derive(Debug)]
pub struct Model {
    pub rules: Rules,
    /// Resources are added, dropped and marked deleting only by `insert`,
    /// `remove` and `mark_deleting`, which keep `index` and `trainings` in
    /// step (other changes touch nothing `index` holds; UpdateSolution
    /// tells `trainings` itself).
    account: Account,
    index: Index,
    trainings: Schedule,
}

impl Model {
    pub fn new(rules: Rules, account: Account) -> Model {
        let index = Index::build(account.resources.values(), rules.lifecycle);
        let mut trainings = Schedule::default();
        for r in account.resources.values() {
            trainings_of_change(&mut trainings, r);
        }
        Model {
            rules,
            account,
            index,
            trainings,
        }
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    /// Empties the account.
    pub fn clear(&mut self) {
        self.account = Account::default();
        self.index = Index::default();
        self.trainings = Schedule::default();
    }

    fn lc(&self) -> Lifecycle {
        self.rules.lifecycle
    }

    fn arn(&self, kind: impl Into<Noun>, id: &str) -> String {
        format!(
            "arn:aws:personalize:{}:{}:{}/{}",
            self.rules.region,
            self.rules.account_id,
            kind.into().info().arn_type,
            id
        )
    }

    /// Brings the account to `now` before a request runs: drops resources
    /// whose deletion has completed and starts the automatic trainings that
    /// are due (with the time they were due, so what a request sees never
    /// depends on when the previous one came).
    pub fn settle(&mut self, now: Millis) {
        for arn in self.index.gone(now) {
            self.remove(&arn);
        }
        self.start_due_trainings(now);
    }

    /// The resource with this ARN if it is there and its deletion has not
    /// completed by `now`.
    fn live_at(&self, now: Millis, arn: &str) -> Option<&Resource> {
        self.account
            .resources
            .get(arn)
            .filter(|r| !r.is_gone(now, self.lc()))
    }

    /// Drops a resource from the account.
    fn remove(&mut self, arn: &str) {
        if let Some(r) = self.account.resources.remove(arn) {
            self.index.remove(&r, self.rules.lifecycle);
            trainings_of_change(&mut self.trainings, &r);
        }
    }

    /// Starts deleting a resource at `now`.
    fn mark_deleting(&mut self, now: Millis, arn: &str) {
        let lc = self.lc();
        if let Some(r) = self.account.resources.get_mut(arn) {
            self.index.remove(r, lc);
            r.deleting_since = Some(now);
            self.index.add(r, lc);
            trainings_of_change(&mut self.trainings, r);
        }
    }

    /// The dataset group `r` lives in: its parent, or its solution's.
    fn group_of<'a>(&'a self, r: &'a Resource) -> Option<&'a str> {
        let parent = r.parent.as_deref()?;
        match self.account.resources.get(parent) {
            Some(solution) if solution.kind == Kind::Solution => solution.parent.as_deref(),
            _ => Some(parent),
        }
    }

    /// Live resources of `kind` in the dataset group `group_arn`, directly or
    /// through a solution (campaigns, solution versions), in no set order.
    fn children<'a>(
        &'a self,
        now: Millis,
        kind: impl Into<Noun>,
        group_arn: &str,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        self.in_group(now, Some(kind.into()), group_arn)
    }

    /// Live resources (of `noun`, or of every noun) whose `group_of` is
    /// `group_arn`, in no set order: its children, and its solutions'.
    fn in_group<'a>(
        &'a self,
        now: Millis,
        noun: Option<Noun>,
        group_arn: &str,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        // A solution's own children are in its group, not in it.
        let is_solution = self
            .account
            .resources
            .get(group_arn)
            .is_some_and(|r| r.kind == Kind::Solution);
        let direct = (!is_solution).then(|| self.index.children_of(group_arn, noun));
        let through_solutions = self
            .index
            .children_of(group_arn, Some(Kind::Solution.into()))
            .flat_map(move |solution| self.index.children_of(solution, noun));
        direct
            .into_iter()
            .flatten()
            .chain(through_solutions)
            .filter_map(move |arn| self.live_at(now, arn))
    }

    /// The live resource with this ARN, of any kind, or ResourceNotFoundException.
    fn live_arn(&self, now: Millis, arn: &str) -> Result<&Resource, ApiError> {
        self.live_at(now, arn)
            .ok_or_else(|| ApiError::not_found(arn))
    }

    /// The live resource of `kind` with this ARN, or ResourceNotFoundException.
    pub fn describe(
        &self,
        now: Millis,
        kind: impl Into<Noun>,
        arn: &str,
    ) -> Result<&Resource, ApiError> {
        let kind = kind.into();
        self.live_arn(now, arn)
            .ok()
            .filter(|r| r.kind == kind)
            .ok_or_else(|| ApiError::not_found(arn))
    }

    /// Live resources of `kind` (of `parent` if given) created after the
    /// resource numbered `after`, in creation order.
    pub fn list<'a>(
        &'a self,
        now: Millis,
        kind: Noun,
        parent: Option<&str>,
        after: Option<u64>,
    ) -> impl DoubleEndedIterator<Item = &'a Resource> + 'a {
        self.index
            .listed(kind, parent, after)
            .filter_map(move |arn| self.live_at(now, arn))
    }

    fn ensure_name_free(
        &self,
        now: Millis,
        kind: impl Into<Noun>,
        name: &str,
    ) -> Result<(), ApiError> {
        let kind = kind.into();
        let mut named = self.index.named(kind, name);
        if named.any(|arn| self.live_at(now, arn).is_some()) {
            return Err(ApiError::new(
                ErrorCode::ResourceAlreadyExists,
                format!("A {} named {name} already exists", kind.label()),
            ));
        }
        Ok(())
    }

    /// The live parent that must be ACTIVE before a child is created in it.
    fn active_parent(
        &self,
        now: Millis,
        kind: impl Into<Noun>,
        arn: &str,
    ) -> Result<&Resource, ApiError> {
        let kind = kind.into();
        let parent = self.describe(now, kind, arn)?;
        match parent.status(now, self.lc()) {
            Some(Status::Active) => Ok(parent),
            status => Err(ApiError::in_use(format!(
                "The {} {arn} is not ACTIVE (status: {})",
                kind.label(),
                status.as_ref().map_or("none", Status::as_str)
            ))),
        }
    }

    fn insert(
        &mut self,
        now: Millis,
        kind: impl Into<Noun>,
        arn: String,
        new: NewResource,
        parent: Option<String>,
    ) -> &Resource {
        let kind = kind.into();
        let failure_reason = (kind != Kind::Schema)
            .then_some(self.rules.fail_create.as_ref())
            .flatten()
            .filter(|re| re.is_match(&new.name))
            .map(|_| {
                format!(
                    "Creation of {} {} failed (injected by --fail-create)",
                    kind.label(),
                    new.name
                )
            });
        let mut tags = Vec::new();
        tagging::merge_tags(&mut tags, new.tags);
        let seq = self.account.next_seq;
        self.account.next_seq += 1;
        let resource = Resource {
            kind,
            name: new.name,
            arn: arn.clone(),
            seq,
            created: now,
            update: None,
            stopped_since: None,
            restarted_since: None,
            deleting_since: None,
            failure_reason,
            parent,
            attrs: new.attrs,
            tags,
            data: None,
        };
        // Callers have checked that the ARN is free.
        let lc = self.lc();
        if let Some(old) = self.account.resources.get(&arn) {
            self.index.remove(old, lc);
        }
        self.index.add(&resource, lc);
        trainings_of_change(&mut self.trainings, &resource);
        match self.account.resources.entry(arn) {
            Entry::Vacant(slot) => slot.insert(resource),
            Entry::Occupied(mut slot) => {
                slot.insert(resource);
                slot.into_mut()
            }
        }
    }
}

/// A change to a solution, or to one of its versions, can change its
/// automatic trainings: `settle` looks at it again.
fn trainings_of_change(trainings: &mut Schedule, changed: &Resource) {
    let solution = match changed.kind {
        Noun::Kind(Kind::Solution) => Some(&changed.arn),
        Noun::SolutionVersion => changed.parent.as_ref(),
        _ => None,
    };
    if let Some(solution) = solution {
        trainings.set(solution, Some(0));
    }
}

#[cfg(test)]
mod data_tests;
#[cfg(test)]
mod metric_attribution_tests;
#[cfg(test)]
mod tests;
