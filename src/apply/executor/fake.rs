//! Personalize in memory, for the scheduler's tests: what a call starts
//! settles a fixed time later on tokio's (paused) clock, and faults are
//! scripted by resource name.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::live::{
    Actions, DatasetSchema, ExistingChild, LimitRetry, LiveError, LiveStatus, NewImport,
    SolutionVersion,
};
use crate::resource::{DatasetType, Domain, Kind, Status, Tags};
use crate::state::{ChildConfig, DatasetUpdate};

/// What goes wrong with one resource.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// Every call that changes it (create, update, tag, delete) is refused
    /// with this AWS error code.
    Refused(&'static str),
    /// As `Refused` with `LimitExceededException`, answered as the request
    /// path answers a limit it retried until its policy gave up (a quota):
    /// the executor never retries.
    LimitStays,
    /// Reading its status is refused with this AWS error code.
    StatusRefused(&'static str),
    /// Its create ends in CREATE FAILED with this reason.
    CreateFails(&'static str),
    /// It stays where its create left it (CREATE PENDING) for ever.
    NeverSettles,
    /// Another apply deletes it at the moment of this one's delete: the
    /// delete is refused as in use, and the resource is gone right after.
    DeletedMeanwhile,
    /// Its schema updates fail with this reason, leaving the old schema.
    UpdateFails(&'static str),
}

pub struct Fake {
    settles_in: Duration,
    faults: HashMap<&'static str, Fault>,
    world: RefCell<World>,
}

#[derive(Default)]
struct World {
    /// By ARN.
    resources: HashMap<String, Resource>,
    /// Every call in order: its operation and the unit (group or schema) it
    /// was about.
    calls: Vec<(&'static str, String)>,
    /// Solution ARN -> the ARNs of its versions (resources too).
    versions: HashMap<String, Vec<String>>,
}

struct Resource {
    /// The dataset group it belongs to (itself for a group), or the schema.
    unit: String,
    tags: Tags,
    now: Status,
    /// What `now` turns into once settled; `None` is gone.
    then: Option<Status>,
    since: Instant,
    /// Datasets: the schema it has, and its latest update.
    schema: Option<DatasetSchema>,
}

/// The ARN of `name`; the name is its last part.
pub fn arn(kind: Kind, name: &str) -> String {
    format!(
        "arn:aws:personalize:us-east-1:000000000000:{}/{name}",
        kind.info().arn_type
    )
}

fn name_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Personalize's answer `code` to `operation` on `arn`, naming the resource
/// by its name to keep the texts tests expect short.
fn refusal(operation: &'static str, arn: &str, code: &str) -> LiveError {
    LiveError::Api {
        operation,
        resource: name_of(arn).to_string(),
        code: code.to_string(),
        message: "injected".to_string(),
    }
}

impl Fake {
    /// Creates, updates and deletes settle after `settles_in`.
    pub fn new(settles_in: Duration) -> Fake {
        Fake {
            settles_in,
            faults: HashMap::new(),
            world: RefCell::default(),
        }
    }

    pub fn fault(mut self, name: &'static str, fault: Fault) -> Fake {
        self.faults.insert(name, fault);
        self
    }

    /// A resource that exists before apply, in `status` (one being deleted
    /// goes in `settles_in`, one being created becomes ACTIVE).
    pub fn existing(self, kind: Kind, name: &str, status: Status, tags: Tags) -> Fake {
        let then = if status.is_deleting() {
            None
        } else {
            Some(Status::Active)
        };
        self.world.borrow_mut().resources.insert(
            arn(kind, name),
            Resource {
                unit: name.to_string(),
                tags,
                now: status,
                then,
                since: Instant::now(),
                schema: None,
            },
        );
        self
    }

    /// A dataset that exists before apply on `schema`: ACTIVE, or (with
    /// `updating`) in the middle of an update to that schema, which then
    /// settles as the others do.
    pub fn existing_dataset(self, name: &str, schema: &str, updating: Option<&str>) -> Fake {
        let status = match updating {
            Some(_) => Status::UpdateInProgress,
            None => Status::Active,
        };
        let fake = self.existing(Kind::Dataset, name, status, Tags::new());
        let latest_update = updating.map(|target| DatasetUpdate {
            schema_arn: target.to_string(),
            status: Status::CreateInProgress,
            failure_reason: None,
        });
        if let Some(r) = fake
            .world
            .borrow_mut()
            .resources
            .get_mut(&arn(Kind::Dataset, name))
        {
            r.schema = Some(DatasetSchema {
                schema_arn: schema.to_string(),
                latest_update,
            });
        }
        fake
    }

    /// A version of the existing solution `solution`, being trained: it
    /// would be ACTIVE after `settles_in`, and stopped it is CREATE STOPPED
    /// then. Personalize refuses to delete the solution meanwhile.
    pub fn training(self, solution: &str, version: &str) -> Fake {
        let solution_arn = arn(Kind::Solution, solution);
        let version_arn = format!("{solution_arn}/{version}");
        let resource = Resource {
            unit: solution.to_string(),
            tags: Tags::new(),
            now: Status::CreateInProgress,
            then: Some(Status::Active),
            since: Instant::now(),
            schema: None,
        };
        {
            let mut world = self.world.borrow_mut();
            world.resources.insert(version_arn.clone(), resource);
            world
                .versions
                .entry(solution_arn)
                .or_default()
                .push(version_arn);
        }
        self
    }

    /// The calls made, in order: operation and unit.
    pub fn calls(&self) -> Vec<(&'static str, String)> {
        self.world.borrow().calls.clone()
    }

    /// Logs a call about `arn`, made for `unit`, and refuses it if so scripted.
    fn call(&self, operation: &'static str, arn: &str, unit: String) -> Result<(), LiveError> {
        let mut world = self.world.borrow_mut();
        world.calls.push((operation, unit));
        match self.faults.get(name_of(arn)) {
            Some(Fault::Refused(code)) => Err(refusal(operation, arn, code)),
            Some(Fault::LimitStays) => Err(LiveError::LimitExceeded {
                error: Box::new(refusal(operation, arn, "LimitExceededException")),
                attempts: LimitRetry::default().attempts,
                waited: LimitRetry::default().total,
            }),
            _ => Ok(()),
        }
    }

    /// The unit of the resource `arn`; its name if it is unknown.
    fn unit_of(&self, arn: &str) -> String {
        let world = self.world.borrow();
        let unit = world.resources.get(arn).map(|r| r.unit.as_str());
        unit.unwrap_or(name_of(arn)).to_string()
    }

    /// Creates `arn`, starting `now`, unless it exists: then the tags of the
    /// one that does.
    fn create(
        &self,
        operation: &'static str,
        arn: &str,
        unit: String,
        now: Status,
        tags: &Tags,
    ) -> Result<Option<Tags>, LiveError> {
        self.call(operation, arn, unit.clone())?;
        let mut world = self.world.borrow_mut();
        if let Some(existing) = world.resources.get(arn) {
            return Ok(Some(existing.tags.clone()));
        }
        let then = match self.faults.get(name_of(arn)) {
            Some(Fault::CreateFails(_)) => Status::CreateFailed,
            Some(Fault::NeverSettles) => now.clone(),
            _ => Status::Active,
        };
        let resource = Resource {
            unit,
            tags: tags.clone(),
            now,
            then: Some(then),
            since: Instant::now(),
            schema: None,
        };
        world.resources.insert(arn.to_string(), resource);
        Ok(None)
    }

    /// Starts moving `arn` from `now` to `then`.
    fn start(&self, arn: &str, now: Status, then: Option<Status>) {
        if let Some(r) = self.world.borrow_mut().resources.get_mut(arn) {
            (r.now, r.then, r.since) = (now, then, Instant::now());
        }
    }

    /// Where `arn` is in its life now, settling what has had time to.
    fn status_now(&self, arn: &str) -> Option<Status> {
        self.describe(arn).map(|s| s.status)
    }

    /// `status_now` with a dataset's schema; a settled update either moved
    /// it to its schema or (`Fault::UpdateFails`) failed, leaving the old one.
    /// An update's own status runs as every update summary of the API
    /// documents: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED.
    fn describe(&self, arn: &str) -> Option<LiveStatus> {
        let mut world = self.world.borrow_mut();
        let r = world.resources.get_mut(arn)?;
        if r.since.elapsed() >= self.settles_in {
            match r.then.clone() {
                Some(then) => r.now = then,
                None => {
                    world.resources.remove(arn);
                    return None;
                }
            }
            let fails = match self.faults.get(name_of(arn)) {
                Some(Fault::UpdateFails(reason)) => Some(reason.to_string()),
                _ => None,
            };
            let schema = r.schema.as_mut();
            if let Some(s) = schema.filter(|s| {
                s.latest_update
                    .as_ref()
                    .is_some_and(|u| u.status.is_settling())
            }) {
                let update = s.latest_update.as_mut().expect("an update");
                match fails {
                    Some(reason) => {
                        update.status = Status::CreateFailed;
                        update.failure_reason = Some(reason);
                    }
                    None => {
                        update.status = Status::Active;
                        s.schema_arn = update.schema_arn.clone();
                    }
                }
            }
        }
        Some(LiveStatus {
            schema: r.schema.clone(),
            ..LiveStatus::of(r.now.clone())
        })
    }
}

impl Actions for Fake {
    async fn create_schema(
        &self,
        name: &str,
        _definition: &str,
        _domain: Option<Domain>,
    ) -> Result<String, LiveError> {
        let arn = arn(Kind::Schema, name);
        // Schemas have no life cycle: created is ACTIVE.
        self.create(
            "CreateSchema",
            &arn,
            name.to_string(),
            Status::Active,
            &Tags::new(),
        )?;
        Ok(arn)
    }

    async fn create_dataset_group(
        &self,
        name: &str,
        _domain: Option<Domain>,
        _kms_key_arn: Option<&str>,
        _role_arn: Option<&str>,
        tags: &Tags,
    ) -> Result<(String, Option<Tags>), LiveError> {
        let arn = arn(Kind::DatasetGroup, name);
        let unit = name.to_string();
        let existing = self.create(
            "CreateDatasetGroup",
            &arn,
            unit,
            Status::CreatePending,
            tags,
        )?;
        Ok((arn, existing))
    }

    async fn create_dataset(
        &self,
        name: &str,
        _dataset_type: DatasetType,
        group_arn: &str,
        schema_arn: &str,
        tags: &Tags,
    ) -> Result<(String, Option<(String, Tags)>), LiveError> {
        let arn = arn(Kind::Dataset, name);
        let unit = self.unit_of(group_arn);
        let existing = self.create("CreateDataset", &arn, unit, Status::CreatePending, tags)?;
        if existing.is_none() {
            if let Some(r) = self.world.borrow_mut().resources.get_mut(&arn) {
                r.schema = Some(DatasetSchema {
                    schema_arn: schema_arn.to_string(),
                    latest_update: None,
                });
            }
        }
        Ok((arn, existing.map(|tags| (name.to_string(), tags))))
    }

    /// Asynchronous, as Personalize's: refused while the dataset is busy.
    async fn update_dataset(&self, arn: &str, schema_arn: &str) -> Result<(), LiveError> {
        self.call("UpdateDataset", arn, self.unit_of(arn))?;
        if self.status_now(arn).is_some_and(|s| s.is_settling()) {
            return Err(refusal("UpdateDataset", arn, "ResourceInUseException"));
        }
        self.start(arn, Status::UpdatePending, Some(Status::Active));
        if let Some(r) = self.world.borrow_mut().resources.get_mut(arn) {
            let old = r.schema.as_ref().map(|s| s.schema_arn.clone());
            r.schema = Some(DatasetSchema {
                schema_arn: old.unwrap_or_default(),
                latest_update: Some(DatasetUpdate {
                    schema_arn: schema_arn.to_string(),
                    status: Status::CreatePending,
                    failure_reason: None,
                }),
            });
        }
        Ok(())
    }

    async fn create_child(
        &self,
        name: &str,
        group_arn: &str,
        config: &ChildConfig,
        tags: &Tags,
    ) -> Result<(String, Option<ExistingChild>), LiveError> {
        let arn = arn(config.kind(), name);
        let unit = self.unit_of(group_arn);
        let existing = self.create("CreateChild", &arn, unit, Status::CreatePending, tags)?;
        let existing = existing.map(|tags| ExistingChild {
            name: name.to_string(),
            tags,
            config: Some(config.clone()),
        });
        Ok((arn, existing))
    }

    /// Takes effect at once: the fake has no latest updates.
    async fn update_child(
        &self,
        arn: &str,
        _config: &ChildConfig,
        _solution_version: Option<&str>,
    ) -> Result<(), LiveError> {
        self.call("UpdateChild", arn, self.unit_of(arn))
    }

    async fn set_recommender_state(&self, arn: &str, _running: bool) -> Result<(), LiveError> {
        self.call("SetRecommenderState", arn, self.unit_of(arn))
    }

    async fn create_solution_version(&self, solution_arn: &str) -> Result<String, LiveError> {
        self.call(
            "CreateSolutionVersion",
            solution_arn,
            self.unit_of(solution_arn),
        )?;
        Ok(format!("{solution_arn}/version"))
    }

    async fn create_import(&self, import: &NewImport<'_>) -> Result<String, LiveError> {
        let arn = arn(Kind::DatasetImportJob, import.name);
        let unit = self.unit_of(import.dataset_arn);
        let status = Status::CreatePending;
        self.create("CreateDatasetImportJob", &arn, unit, status, import.tags)?;
        Ok(arn)
    }

    async fn import_job_names(&self, dataset_arn: &str) -> Result<Vec<String>, LiveError> {
        self.call(
            "ListDatasetImportJobs",
            dataset_arn,
            self.unit_of(dataset_arn),
        )?;
        Ok(Vec::new())
    }

    async fn tag(&self, arn: &str, _tags: &Tags) -> Result<(), LiveError> {
        self.call("TagResource", arn, self.unit_of(arn))
    }

    async fn untag(&self, arn: &str, _keys: &[String]) -> Result<(), LiveError> {
        self.call("UntagResource", arn, self.unit_of(arn))
    }

    async fn delete(&self, kind: Kind, arn: &str) -> Result<(), LiveError> {
        self.call("Delete", arn, self.unit_of(arn))?;
        let versions = self.world.borrow().versions.get(arn).cloned();
        let training = versions
            .unwrap_or_default()
            .iter()
            .any(|v| self.status_now(v).is_some_and(|s| s.is_settling()));
        if training {
            return Err(refusal("Delete", arn, "ResourceInUseException"));
        }
        if let Some(Fault::DeletedMeanwhile) = self.faults.get(name_of(arn)) {
            self.world.borrow_mut().resources.remove(arn);
            return Err(refusal("Delete", arn, "ResourceInUseException"));
        }
        match self.status_now(arn) {
            None => Ok(()),
            Some(s) if s.is_settling() || s.is_deleting() => {
                Err(refusal("Delete", arn, "ResourceInUseException"))
            }
            // Schemas have no life cycle: deleted is gone.
            Some(_) if kind == Kind::Schema => {
                self.world.borrow_mut().resources.remove(arn);
                Ok(())
            }
            Some(_) => {
                self.start(arn, Status::DeleteInProgress, None);
                Ok(())
            }
        }
    }

    async fn solution_versions(
        &self,
        solution_arn: &str,
    ) -> Result<Vec<SolutionVersion>, LiveError> {
        let unit = self.unit_of(solution_arn);
        self.world
            .borrow_mut()
            .calls
            .push(("ListSolutionVersions", unit));
        let versions = self.world.borrow().versions.get(solution_arn).cloned();
        Ok(versions
            .unwrap_or_default()
            .into_iter()
            .filter_map(|arn| {
                let status = self.status_now(&arn)?;
                Some(SolutionVersion {
                    failure_reason: None,
                    arn,
                    status,
                    created: 0.0,
                })
            })
            .collect())
    }

    async fn stop_solution_version_creation(&self, version_arn: &str) -> Result<(), LiveError> {
        self.call(
            "StopSolutionVersionCreation",
            version_arn,
            self.unit_of(version_arn),
        )?;
        let stopped = Status::CreateStopped;
        self.start(version_arn, Status::CreateStopping, Some(stopped));
        Ok(())
    }

    async fn status(&self, _kind: Kind, arn: &str) -> Result<Option<LiveStatus>, LiveError> {
        let unit = self.unit_of(arn);
        self.world.borrow_mut().calls.push(("Describe", unit));
        let failure_reason = match self.faults.get(name_of(arn)) {
            Some(Fault::StatusRefused(code)) => return Err(refusal("Describe", arn, code)),
            Some(Fault::CreateFails(reason)) => Some(reason.to_string()),
            _ => None,
        };
        Ok(self.describe(arn).map(|s| LiveStatus {
            failure_reason: failure_reason.filter(|_| s.status.is_failed()),
            ..s
        }))
    }
}
