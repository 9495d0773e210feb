//! The emulated account: resources (`resource`, of a `noun`), their status
//! life cycle (`lifecycle`) and Personalize's rules for creating (`create`),
//! changing and deleting (`change`), training (`versions`), counting
//! (`limits`) and tagging (`tags`) them. Pure: no I/O, and the
//! time is passed in (`now`, epoch milliseconds, read from the emulator's
//! `Clock` once per request), so status is derived from timestamps and a
//! restart continues where it stopped.

mod change;
mod create;
mod lifecycle;
mod limits;
mod noun;
mod resource;
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
    pub account: Account,
}

impl Model {
    pub fn new(rules: Rules, account: Account) -> Model {
        Model { rules, account }
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
        let lc = self.lc();
        self.account.resources.retain(|_, r| !r.is_gone(now, lc));
        self.start_due_trainings(now);
    }

    fn live(&self, now: Millis) -> impl Iterator<Item = &Resource> {
        let lc = self.lc();
        self.account
            .resources
            .values()
            .filter(move |r| !r.is_gone(now, lc))
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
    /// through a solution (campaigns, solution versions).
    fn children<'a>(
        &'a self,
        now: Millis,
        kind: impl Into<Noun>,
        group_arn: &'a str,
    ) -> impl Iterator<Item = &'a Resource> {
        let kind = kind.into();
        self.live(now)
            .filter(move |r| r.kind == kind && self.group_of(r) == Some(group_arn))
    }

    /// The live resource with this ARN, of any kind, or ResourceNotFoundException.
    fn live_arn(&self, now: Millis, arn: &str) -> Result<&Resource, ApiError> {
        self.account
            .resources
            .get(arn)
            .filter(|r| !r.is_gone(now, self.lc()))
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
    pub fn list(
        &self,
        now: Millis,
        kind: Noun,
        parent: Option<&str>,
        after: Option<u64>,
    ) -> Vec<&Resource> {
        let mut found: Vec<&Resource> = self
            .live(now)
            .filter(|r| r.kind == kind)
            .filter(|r| parent.is_none_or(|p| r.parent.as_deref() == Some(p)))
            .filter(|r| after.is_none_or(|a| r.seq > a))
            .collect();
        found.sort_by_key(|r| r.seq);
        found
    }

    fn ensure_name_free(
        &self,
        now: Millis,
        kind: impl Into<Noun>,
        name: &str,
    ) -> Result<(), ApiError> {
        let kind = kind.into();
        if self.live(now).any(|r| r.kind == kind && r.name == name) {
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
        match self.account.resources.entry(arn) {
            Entry::Vacant(slot) => slot.insert(resource),
            Entry::Occupied(mut slot) => {
                slot.insert(resource);
                slot.into_mut()
            }
        }
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
