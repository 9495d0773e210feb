//! The emulated account: resources (`resource`, of a `noun`), their status
//! life cycle (`lifecycle`) and Personalize's rules for creating (`create`),
//! changing and deleting (`change`), training (`versions`), counting
//! (`limits`) and tagging (`tags`) them, with lookups derived from the
//! resources (`index`, `schedule`) so a request costs what it touches, not
//! the whole account. Pure: no I/O, and the
//! time is passed in (`now`, epoch milliseconds, read from the emulator's
//! `Clock` once per request), so status is derived from timestamps and a
//! restart continues where it stopped.

mod change;
mod create;
mod index;
mod lifecycle;
mod limits;
mod noun;
mod resource;
mod schedule;
mod serving;
mod tags;
mod versions;

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::clock::Millis;
use super::error::{ApiError, ErrorCode};
use crate::resource::{Kind, Status};
use index::Index;
use schedule::Schedule;

pub use create::CreateRule;
pub use lifecycle::Lifecycle;
pub use noun::Noun;
pub use resource::{epoch_seconds, Resource, Tag};

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
        tags::merge_tags(&mut tags, new.tags);
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
mod tests {
    use super::*;

    fn model(fail_create: Option<&str>) -> Model {
        let rules = Rules {
            account_id: "111122223333".into(),
            region: "us-east-1".into(),
            lifecycle: Lifecycle {
                create_delay: 3000,
                delete_delay: 1000,
                training_delay: 5000,
            },
            max_dataset_groups: 5,
            fail_create: fail_create.map(|re| Regex::new(re).unwrap()),
            fail_update: None,
        };
        Model::new(rules, Account::default())
    }

    fn named(name: &str) -> NewResource {
        NewResource {
            name: name.into(),
            ..NewResource::default()
        }
    }

    #[test]
    fn status_is_derived_from_timestamps() {
        let mut m = model(None);
        let arn = m
            .create(
                10_000,
                Kind::DatasetGroup,
                Model::create_dataset_group,
                named("g"),
            )
            .unwrap()
            .arn
            .clone();
        let lc = m.rules.lifecycle;
        let at = |m: &Model, t| {
            let r = m.describe(t, Kind::DatasetGroup, &arn).unwrap();
            (r.status(t, lc), r.last_updated(t, lc))
        };
        assert_eq!(at(&m, 10_999), (Some(Status::CreatePending), 10_000));
        assert_eq!(at(&m, 11_000), (Some(Status::CreateInProgress), 11_000));
        assert_eq!(at(&m, 13_000), (Some(Status::Active), 13_000));
        m.delete(20_000, Kind::DatasetGroup, &arn).unwrap();
        assert_eq!(at(&m, 20_999), (Some(Status::DeletePending), 20_000));
        assert_eq!(
            m.describe(21_000, Kind::DatasetGroup, &arn)
                .unwrap_err()
                .code,
            ErrorCode::ResourceNotFound
        );
    }

    /// Inserts a resource as its Create would, without the Create's rules.
    fn put(m: &mut Model, now: Millis, kind: Noun, name: &str, parent: Option<&str>) -> String {
        let arn = m.arn(kind, name);
        m.insert(
            now,
            kind,
            arn.clone(),
            named(name),
            parent.map(String::from),
        );
        arn
    }

    /// What the index answers equals a scan of the whole account, and an
    /// index built afresh (as after loading the state file) equals it.
    fn assert_index_matches_a_scan(m: &Model, now: Millis) {
        let lc = m.rules.lifecycle;
        let live: Vec<&Resource> = m
            .account
            .resources
            .values()
            .filter(|r| !r.is_gone(now, lc))
            .collect();
        let arns = |rs: Vec<&Resource>| rs.iter().map(|r| r.arn.clone()).collect::<Vec<_>>();
        let sorted = |mut rs: Vec<&Resource>| {
            rs.sort_by(|a, b| a.arn.cmp(&b.arn));
            arns(rs)
        };
        let parents = m.account.resources.keys().map(|p| Some(p.as_str()));
        for noun in Noun::all() {
            for parent in parents.clone().chain([None]) {
                for after in [None, Some(0), Some(3)] {
                    let mut scan: Vec<&Resource> = live
                        .iter()
                        .copied()
                        .filter(|r| r.kind == noun)
                        .filter(|r| parent.is_none_or(|p| r.parent.as_deref() == Some(p)))
                        .filter(|r| after.is_none_or(|a| r.seq > a))
                        .collect();
                    scan.sort_by_key(|r| r.seq);
                    assert_eq!(arns(m.list(now, noun, parent, after).collect()), arns(scan));
                }
                let Some(group) = parent else { continue };
                let scan = live
                    .iter()
                    .copied()
                    .filter(|r| r.kind == noun && m.group_of(r) == Some(group))
                    .collect();
                assert_eq!(sorted(m.children(now, noun, group).collect()), sorted(scan));
            }
            for r in &live {
                let scan = live.iter().filter(|o| o.kind == noun && o.name == r.name);
                let found = m
                    .index
                    .named(noun, &r.name)
                    .filter(|a| m.live_at(now, a).is_some());
                assert_eq!(found.count(), scan.count(), "{noun:?} named {}", r.name);
            }
            let undeleted = live
                .iter()
                .filter(|r| r.kind == noun && r.deleting_since.is_none())
                .count();
            assert_eq!(m.index.undeleted(noun), undeleted, "{noun:?}");
        }
        let text = serde_json::to_string(&m.account).unwrap();
        let reloaded = Model::new(m.rules.clone(), serde_json::from_str(&text).unwrap());
        assert_eq!(reloaded.index, m.index);
        assert_eq!(Index::build(m.account.resources.values(), lc), m.index);
    }

    #[test]
    fn the_index_answers_as_a_scan_through_creates_trainings_and_deletes() {
        let mut m = model(None);
        let sv = Noun::SolutionVersion;
        let group = |i| format!("g{i}");
        let mut groups = Vec::new();
        for i in 0..3 {
            let g = put(&mut m, 0, Kind::DatasetGroup.into(), &group(i), None);
            put(&mut m, 0, Kind::Filter.into(), &format!("f{i}"), Some(&g));
            put(
                &mut m,
                0,
                Kind::EventTracker.into(),
                &format!("t{i}"),
                Some(&g),
            );
            let s = put(&mut m, 0, Kind::Solution.into(), &format!("s{i}"), Some(&g));
            put(&mut m, 0, Kind::Campaign.into(), &format!("c{i}"), Some(&s));
            groups.push(g);
        }
        put(&mut m, 0, Kind::Schema.into(), "schema", None);
        assert_index_matches_a_scan(&m, 0);
        // Automatic trainings start: versions (all named "") in each solution.
        let trained = 3000 + 5000;
        m.settle(trained);
        assert_eq!(m.list(trained, sv, None, None).count(), 3);
        assert_index_matches_a_scan(&m, trained);
        // A deletion under way, then completed; a schema goes at once.
        let t = trained + 3000;
        m.delete(t, Kind::Filter, &m.arn(Kind::Filter, "f0"))
            .unwrap();
        m.delete(t, Kind::Campaign, &m.arn(Kind::Campaign, "c1"))
            .unwrap();
        m.delete(t, Kind::Schema, &m.arn(Kind::Schema, "schema"))
            .unwrap();
        assert_index_matches_a_scan(&m, t);
        assert_index_matches_a_scan(&m, t + 1000);
        m.settle(t + 1000);
        assert_index_matches_a_scan(&m, t + 1000);
        // A solution's delete drops its versions with it.
        let s1 = m.arn(Kind::Solution, "s1");
        m.delete(t + 1000, Kind::Solution, &s1).unwrap();
        assert_eq!(m.list(t + 1000, sv, Some(&s1), None).count(), 0);
        assert_index_matches_a_scan(&m, t + 1000);
        m.settle(t + 2000);
        assert_index_matches_a_scan(&m, t + 2000);
        // A name is free again once its holder is gone.
        put(
            &mut m,
            t + 2000,
            Kind::Filter.into(),
            "f0",
            Some(&groups[0]),
        );
        assert_index_matches_a_scan(&m, t + 2000);
        m.clear();
        assert_eq!(m.index, Index::default());
    }

    #[test]
    fn trainings_start_as_when_every_solution_is_looked_at_each_time() {
        const DAY: Millis = 86_400_000;
        let mut m = model(None);
        let g = put(&mut m, 0, Kind::DatasetGroup.into(), "g", None);
        let s0 = put(&mut m, 0, Kind::Solution.into(), "s0", Some(&g));
        let s1 = m.arn(Kind::Solution, "s1");
        let off = NewResource {
            attrs: Map::from_iter([("performAutoTraining".into(), Value::Bool(false))]),
            ..named("s1")
        };
        m.insert(0, Kind::Solution, s1.clone(), off, Some(g.clone()));
        let request = |json: Value| json.as_object().unwrap().clone();
        // (time, a change made at that time), settling after each.
        type Change = Box<dyn Fn(&mut Model, Millis)>;
        let steps: Vec<(Millis, Option<Change>)> = vec![
            (1000, None),
            (3000, None),
            (
                3000,
                Some(Box::new(|m, t| {
                    put(
                        m,
                        t,
                        Kind::Solution.into(),
                        "s2",
                        Some(&m.arn(Kind::DatasetGroup, "g")),
                    );
                })),
            ),
            (6000, None),
            (7999, None),
            (8000, None),
            (
                8500,
                Some(Box::new(|m, t| {
                    let manual = NewResource {
                        attrs: Map::from_iter([(
                            "solutionArn".into(),
                            Value::from(m.arn(Kind::Solution, "s2")),
                        )]),
                        ..NewResource::default()
                    };
                    m.create_solution_version(t, manual).unwrap();
                })),
            ),
            (
                DAY,
                Some(Box::new(move |m, t| {
                    let on = request(serde_json::json!({"performAutoTraining": true,
                    "solutionUpdateConfig": {"autoTrainingConfig": {"schedulingExpression": "rate(1 day)"}}}));
                    m.update_child(t, Kind::Solution, &m.arn(Kind::Solution, "s1"), on)
                        .unwrap();
                })),
            ),
            (DAY + 3000, None),
            (DAY + 8000, None),
            (3 * DAY + 8000, None),
            (8 * DAY, None),
            (
                8 * DAY + 1,
                Some(Box::new(|m, t| {
                    m.delete(t, Kind::Solution, &m.arn(Kind::Solution, "s0"))
                        .unwrap()
                })),
            ),
            (16 * DAY, None),
        ];
        for (t, change) in steps {
            if let Some(change) = change {
                change(&mut m, t);
            }
            // Built afresh, a model looks at every solution.
            let mut every = Model::new(m.rules.clone(), m.account.clone());
            every.settle(t);
            m.settle(t);
            assert_eq!(m.account, every.account, "at {t}");
        }
        let versions = |arn: &str| {
            m.list(16 * DAY, Noun::SolutionVersion, Some(arn), None)
                .count()
        };
        assert_eq!(
            (versions(&s0), versions(&s1)),
            (0, 15),
            "s0 deleted, s1 daily from day 1 + 8 s"
        );
    }

    #[test]
    fn fail_create_ends_in_create_failed_with_a_reason() {
        let mut m = model(Some("^bad"));
        let arn = m
            .create(
                0,
                Kind::DatasetGroup,
                Model::create_dataset_group,
                named("bad-1"),
            )
            .unwrap()
            .arn
            .clone();
        let r = m.describe(3000, Kind::DatasetGroup, &arn).unwrap();
        assert_eq!(
            r.status(3000, m.rules.lifecycle),
            Some(Status::CreateFailed)
        );
        assert!(r.failure_reason.as_deref().unwrap().contains("bad-1"));
        assert_eq!(
            m.delete(1000, Kind::DatasetGroup, &arn).unwrap_err().code,
            ErrorCode::ResourceInUse
        );
        m.delete(3000, Kind::DatasetGroup, &arn).unwrap();
    }
}
