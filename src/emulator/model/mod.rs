//! The emulated account: resources, their status life cycle and Personalize's
//! rules. Pure: no I/O, and the clock is passed in (`now`, epoch milliseconds), so
//! status is derived from timestamps and a restart continues where it stopped.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::error::{ApiError, ErrorCode};
use crate::avro;
use crate::spec::DatasetType;

/// Milliseconds since the Unix epoch (or a duration in milliseconds):
/// integers, so times survive the state file exactly.
pub type Millis = u64;

/// Most tags a resource may carry.
pub const MAX_TAGS: usize = 50;

/// The kinds of resource the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Schema,
    DatasetGroup,
    Dataset,
    EventTracker,
    Filter,
    Solution,
    Campaign,
    Recommender,
}

impl Kind {
    /// The resource type inside its ARN (`arn:aws:personalize:r:a:<type>/...`).
    pub fn arn_type(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::DatasetGroup => "dataset-group",
            Kind::Dataset => "dataset",
            Kind::EventTracker => "event-tracker",
            Kind::Filter => "filter",
            Kind::Solution => "solution",
            Kind::Campaign => "campaign",
            Kind::Recommender => "recommender",
        }
    }

    /// The API member that holds this kind's ARN.
    pub fn arn_member(self) -> &'static str {
        match self {
            Kind::Schema => "schemaArn",
            Kind::DatasetGroup => "datasetGroupArn",
            Kind::Dataset => "datasetArn",
            Kind::EventTracker => "eventTrackerArn",
            Kind::Filter => "filterArn",
            Kind::Solution => "solutionArn",
            Kind::Campaign => "campaignArn",
            Kind::Recommender => "recommenderArn",
        }
    }

    /// Words for messages ("dataset group").
    pub fn label(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::DatasetGroup => "dataset group",
            Kind::Dataset => "dataset",
            Kind::EventTracker => "event tracker",
            Kind::Filter => "filter",
            Kind::Solution => "solution",
            Kind::Campaign => "campaign",
            Kind::Recommender => "recommender",
        }
    }
}

/// A resource's status as the API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    CreatePending,
    CreateInProgress,
    Active,
    CreateFailed,
    DeletePending,
}

impl Status {
    pub fn as_api(self) -> &'static str {
        match self {
            Status::CreatePending => "CREATE PENDING",
            Status::CreateInProgress => "CREATE IN_PROGRESS",
            Status::Active => "ACTIVE",
            Status::CreateFailed => "CREATE FAILED",
            Status::DeletePending => "DELETE PENDING",
        }
    }
}

/// A resource tag, as the API spells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "tagKey")]
    pub key: String,
    #[serde(rename = "tagValue")]
    pub value: String,
}

/// One resource of the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub kind: Kind,
    pub name: String,
    pub arn: String,
    /// Creation order: lists are sorted by it and page tokens point into it.
    pub seq: u64,
    pub created: Millis,
    /// When an update (UpdateDataset) last changed it.
    pub updated: Option<Millis>,
    pub deleting_since: Option<Millis>,
    /// Set at creation when the resource is doomed to end in CREATE FAILED.
    pub failure_reason: Option<String>,
    /// The dataset group (or, for a campaign, the solution) it belongs to.
    pub parent: Option<String>,
    /// Kind-specific API members echoed back by Describe (domain, schemaArn...).
    pub attrs: Map<String, Value>,
    pub tags: Vec<Tag>,
}

/// How long the status life cycle takes.
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle {
    pub create_delay: Millis,
    pub delete_delay: Millis,
}

impl Resource {
    /// Status at `now`; `None` for schemas, which have none.
    pub fn status(&self, now: Millis, lc: Lifecycle) -> Option<Status> {
        if self.kind == Kind::Schema {
            return None;
        }
        if self.deleting_since.is_some() {
            return Some(Status::DeletePending);
        }
        let elapsed = now.saturating_sub(self.created);
        Some(if elapsed >= lc.create_delay {
            if self.failure_reason.is_some() {
                Status::CreateFailed
            } else {
                Status::Active
            }
        } else if elapsed < lc.create_delay / 3 {
            Status::CreatePending
        } else {
            Status::CreateInProgress
        })
    }

    /// Time of the last change visible through the API (a status transition
    /// or an update).
    pub fn last_updated(&self, now: Millis, lc: Lifecycle) -> Millis {
        if let Some(since) = self.deleting_since {
            return since;
        }
        let transition = match self.status(now, lc) {
            None | Some(Status::CreatePending) => self.created,
            Some(Status::CreateInProgress) => self.created + lc.create_delay / 3,
            Some(_) => self.created + lc.create_delay,
        };
        self.updated.map_or(transition, |u| u.max(transition))
    }

    /// Whether its deletion has completed by `now`.
    fn is_gone(&self, now: Millis, lc: Lifecycle) -> bool {
        self.deleting_since
            .is_some_and(|since| now >= since.saturating_add(lc.delete_delay))
    }

    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).and_then(Value::as_str)
    }

    fn domain(&self) -> Option<&str> {
        self.attr("domain")
    }
}

/// The configuration the rules depend on.
#[derive(Debug, Clone)]
pub struct Rules {
    pub account_id: String,
    pub region: String,
    pub lifecycle: Lifecycle,
    pub max_dataset_groups: usize,
    /// Resources whose name matches end in CREATE FAILED.
    pub fail_create: Option<Regex>,
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

    fn arn(&self, kind: Kind, id: &str) -> String {
        format!(
            "arn:aws:personalize:{}:{}:{}/{}",
            self.rules.region,
            self.rules.account_id,
            kind.arn_type(),
            id
        )
    }

    /// Drops resources whose deletion has completed.
    fn purge(&mut self, now: Millis) {
        let lc = self.lc();
        self.account.resources.retain(|_, r| !r.is_gone(now, lc));
    }

    fn live(&self, now: Millis) -> impl Iterator<Item = &Resource> {
        let lc = self.lc();
        self.account
            .resources
            .values()
            .filter(move |r| !r.is_gone(now, lc))
    }

    /// The live resource of `kind` with this ARN, or ResourceNotFoundException.
    pub fn describe(&self, now: Millis, kind: Kind, arn: &str) -> Result<&Resource, ApiError> {
        self.account
            .resources
            .get(arn)
            .filter(|r| r.kind == kind && !r.is_gone(now, self.lc()))
            .ok_or_else(|| ApiError::not_found(arn))
    }

    /// Live resources of `kind` (of `parent` if given) created after the
    /// resource numbered `after`, in creation order.
    pub fn list(
        &self,
        now: Millis,
        kind: Kind,
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

    fn ensure_name_free(&self, now: Millis, kind: Kind, name: &str) -> Result<(), ApiError> {
        if self.live(now).any(|r| r.kind == kind && r.name == name) {
            return Err(ApiError::new(
                ErrorCode::ResourceAlreadyExists,
                format!("A {} named {name} already exists", kind.label()),
            ));
        }
        Ok(())
    }

    /// The live parent that must be ACTIVE before a child is created in it.
    fn active_parent(&self, now: Millis, kind: Kind, arn: &str) -> Result<&Resource, ApiError> {
        let parent = self.describe(now, kind, arn)?;
        match parent.status(now, self.lc()) {
            Some(Status::Active) => Ok(parent),
            status => Err(ApiError::in_use(format!(
                "The {} {arn} is not ACTIVE (status: {})",
                kind.label(),
                status.map_or("none", Status::as_api)
            ))),
        }
    }

    fn insert(
        &mut self,
        now: Millis,
        kind: Kind,
        arn: String,
        new: NewResource,
        parent: Option<String>,
    ) -> &Resource {
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
        merge_tags(&mut tags, new.tags);
        let seq = self.account.next_seq;
        self.account.next_seq += 1;
        let resource = Resource {
            kind,
            name: new.name,
            arn: arn.clone(),
            seq,
            created: now,
            updated: None,
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

    pub fn create_schema(&mut self, now: Millis, new: NewResource) -> Result<&Resource, ApiError> {
        self.purge(now);
        let text = new
            .attrs
            .get("schema")
            .and_then(Value::as_str)
            .unwrap_or_default();
        avro::parse(text).map_err(|e| ApiError::invalid_input(format!("Invalid schema: {e}")))?;
        self.ensure_name_free(now, Kind::Schema, &new.name)?;
        let arn = self.arn(Kind::Schema, &new.name);
        Ok(self.insert(now, Kind::Schema, arn, new, None))
    }

    pub fn create_dataset_group(
        &mut self,
        now: Millis,
        new: NewResource,
    ) -> Result<&Resource, ApiError> {
        self.purge(now);
        check_new_tags(&new.tags)?;
        if new.attrs.contains_key("kmsKeyArn") != new.attrs.contains_key("roleArn") {
            return Err(ApiError::invalid_input(
                "kmsKeyArn and roleArn must be given together or not at all",
            ));
        }
        self.ensure_name_free(now, Kind::DatasetGroup, &new.name)?;
        let groups = self
            .live(now)
            .filter(|r| r.kind == Kind::DatasetGroup && r.deleting_since.is_none())
            .count();
        if groups >= self.rules.max_dataset_groups {
            return Err(ApiError::new(
                ErrorCode::LimitExceeded,
                format!(
                    "The account already has {groups} dataset groups, the quota in this Region ({}); delete one or request a quota increase",
                    self.rules.max_dataset_groups
                ),
            ));
        }
        let arn = self.arn(Kind::DatasetGroup, &new.name);
        Ok(self.insert(now, Kind::DatasetGroup, arn, new, None))
    }

    /// CreateDataset; `new.attrs` holds `datasetGroupArn`, `schemaArn`, `datasetType`.
    pub fn create_dataset(
        &mut self,
        now: Millis,
        mut new: NewResource,
    ) -> Result<&Resource, ApiError> {
        self.purge(now);
        check_new_tags(&new.tags)?;
        let attr = |k: &str| {
            new.attrs
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let (group_arn, schema_arn, type_text) = (
            attr("datasetGroupArn"),
            attr("schemaArn"),
            attr("datasetType"),
        );
        let dataset_type = DatasetType::from_api(&type_text)
            .ok_or_else(|| ApiError::invalid_input(format!("Invalid datasetType {type_text}")))?;
        let group = self.describe(now, Kind::DatasetGroup, &group_arn)?;
        let schema = self.describe(now, Kind::Schema, &schema_arn)?;
        check_schema_fits(group, schema, dataset_type)?;
        self.ensure_name_free(now, Kind::Dataset, &new.name)?;
        let id = format!("{}/{}", group.name, dataset_type.as_api().to_uppercase());
        let arn = self.arn(Kind::Dataset, &id);
        if self.live(now).any(|r| r.arn == arn) {
            return Err(ApiError::new(
                ErrorCode::ResourceAlreadyExists,
                format!(
                    "The dataset group already has a dataset of type {}",
                    dataset_type.as_api()
                ),
            ));
        }
        self.active_parent(now, Kind::DatasetGroup, &group_arn)?;
        new.attrs
            .insert("datasetType".into(), Value::from(dataset_type.as_api()));
        Ok(self.insert(now, Kind::Dataset, arn, new, Some(group_arn)))
    }

    /// CreateEventTracker, CreateFilter, CreateSolution, CreateRecommender:
    /// children of an ACTIVE dataset group named by `attrs.datasetGroupArn`.
    pub fn create_group_child(
        &mut self,
        now: Millis,
        kind: Kind,
        mut new: NewResource,
    ) -> Result<&Resource, ApiError> {
        self.purge(now);
        check_new_tags(&new.tags)?;
        let group_arn = new
            .attrs
            .get("datasetGroupArn")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let group = self.describe(now, Kind::DatasetGroup, &group_arn)?;
        if kind == Kind::Recommender && group.domain().is_none() {
            return Err(ApiError::invalid_input(
                "Recommenders need a domain dataset group",
            ));
        }
        self.ensure_name_free(now, kind, &new.name)?;
        self.active_parent(now, Kind::DatasetGroup, &group_arn)?;
        let id = if kind == Kind::EventTracker {
            let digest = hex::encode(Sha256::digest(format!(
                "{}/{}",
                new.name, self.account.next_seq
            )));
            new.attrs
                .insert("trackingId".into(), Value::from(tracking_id(&digest)));
            new.attrs.insert(
                "accountId".into(),
                Value::from(self.rules.account_id.clone()),
            );
            digest[..8].to_string()
        } else {
            new.name.clone()
        };
        let arn = self.arn(kind, &id);
        Ok(self.insert(now, kind, arn, new, Some(group_arn)))
    }

    /// CreateCampaign; `attrs.solutionVersionArn` must name a version of an
    /// ACTIVE solution (`.../solution/<name>/<version>`).
    pub fn create_campaign(
        &mut self,
        now: Millis,
        new: NewResource,
    ) -> Result<&Resource, ApiError> {
        self.purge(now);
        check_new_tags(&new.tags)?;
        let version = new
            .attrs
            .get("solutionVersionArn")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let prefix = self.arn(Kind::Solution, "");
        let solution_name = version
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split_once('/'))
            .filter(|(name, v)| !name.is_empty() && !v.is_empty())
            .map(|(name, _)| name.to_string())
            .ok_or_else(|| ApiError::not_found(version))?;
        let solution_arn = self.arn(Kind::Solution, &solution_name);
        self.describe(now, Kind::Solution, &solution_arn)?;
        self.ensure_name_free(now, Kind::Campaign, &new.name)?;
        self.active_parent(now, Kind::Solution, &solution_arn)?;
        let arn = self.arn(Kind::Campaign, &new.name);
        Ok(self.insert(now, Kind::Campaign, arn, new, Some(solution_arn)))
    }

    pub fn delete(&mut self, now: Millis, kind: Kind, arn: &str) -> Result<(), ApiError> {
        self.purge(now);
        let resource = self.describe(now, kind, arn)?;
        let blockers: Vec<String> = self
            .live(now)
            .filter(|r| match kind {
                Kind::Schema => r.kind == Kind::Dataset && r.attr("schemaArn") == Some(arn),
                _ => r.parent.as_deref() == Some(arn),
            })
            .map(|r| format!("{} {}", r.kind.label(), r.arn))
            .collect();
        if !blockers.is_empty() {
            return Err(ApiError::in_use(format!(
                "The {} {arn} is in use by: {}",
                kind.label(),
                blockers.join(", ")
            )));
        }
        match resource.status(now, self.lc()) {
            None => {
                self.account.resources.remove(arn);
            }
            Some(Status::Active | Status::CreateFailed) => {
                if let Some(r) = self.account.resources.get_mut(arn) {
                    r.deleting_since = Some(now);
                }
                self.purge(now);
            }
            Some(status) => {
                return Err(ApiError::in_use(format!(
                    "The {} {arn} cannot be deleted while its status is {}",
                    kind.label(),
                    status.as_api()
                )))
            }
        }
        Ok(())
    }

    /// UpdateDataset: moves an ACTIVE Items or Users dataset to a schema that
    /// keeps every field and adds only nullable ones.
    pub fn update_dataset(
        &mut self,
        now: Millis,
        arn: &str,
        schema_arn: &str,
    ) -> Result<&Resource, ApiError> {
        self.purge(now);
        let dataset = self.describe(now, Kind::Dataset, arn)?;
        let new_schema = self.describe(now, Kind::Schema, schema_arn)?;
        if dataset.status(now, self.lc()) != Some(Status::Active) {
            return Err(ApiError::in_use(format!("The dataset {arn} is not ACTIVE")));
        }
        let dataset_type = dataset
            .attr("datasetType")
            .and_then(DatasetType::from_api)
            .ok_or_else(|| ApiError::invalid_input("The dataset has no known type"))?;
        let group = self.describe(
            now,
            Kind::DatasetGroup,
            dataset.parent.as_deref().unwrap_or_default(),
        )?;
        check_schema_fits(group, new_schema, dataset_type)?;
        let old_schema = self.describe(
            now,
            Kind::Schema,
            dataset.attr("schemaArn").unwrap_or_default(),
        )?;
        let parse = |r: &Resource| {
            avro::parse(r.attr("schema").unwrap_or_default()).map_err(ApiError::invalid_input)
        };
        avro::check_schema_update(dataset_type, &parse(old_schema)?, &parse(new_schema)?).map_err(
            |reasons| {
                ApiError::invalid_input(format!(
                    "Incompatible schema update: {}",
                    reasons.join("; ")
                ))
            },
        )?;
        let summary = serde_json::json!({
            "schemaArn": schema_arn, "status": "ACTIVE",
            "creationDateTime": epoch_seconds(now), "lastUpdatedDateTime": epoch_seconds(now),
        });
        let dataset = self
            .account
            .resources
            .get_mut(arn)
            .ok_or_else(|| ApiError::not_found(arn))?;
        dataset
            .attrs
            .insert("schemaArn".into(), Value::from(schema_arn));
        dataset.attrs.insert("latestDatasetUpdate".into(), summary);
        dataset.updated = Some(now);
        Ok(dataset)
    }

    /// The resource a tag operation names; schemas cannot be tagged.
    fn taggable_mut(&mut self, now: Millis, arn: &str) -> Result<&mut Resource, ApiError> {
        self.purge(now);
        let resource = self
            .account
            .resources
            .get_mut(arn)
            .ok_or_else(|| ApiError::not_found(arn))?;
        if resource.kind == Kind::Schema {
            return Err(ApiError::invalid_input(format!(
                "Schemas cannot be tagged: {arn}"
            )));
        }
        Ok(resource)
    }

    pub fn tag(&mut self, now: Millis, arn: &str, tags: Vec<Tag>) -> Result<(), ApiError> {
        check_new_tags(&tags)?;
        let resource = self.taggable_mut(now, arn)?;
        let mut merged = resource.tags.clone();
        merge_tags(&mut merged, tags);
        if merged.len() > MAX_TAGS {
            return Err(too_many_tags(merged.len()));
        }
        resource.tags = merged;
        Ok(())
    }

    pub fn untag(&mut self, now: Millis, arn: &str, keys: &[String]) -> Result<(), ApiError> {
        if keys.len() > MAX_TAGS {
            return Err(ApiError::new(
                ErrorCode::TooManyTagKeys,
                format!(
                    "At most {MAX_TAGS} tag keys can be removed at once; got {}",
                    keys.len()
                ),
            ));
        }
        let resource = self.taggable_mut(now, arn)?;
        resource.tags.retain(|t| !keys.contains(&t.key));
        Ok(())
    }

    pub fn tags(&self, now: Millis, arn: &str) -> Result<&[Tag], ApiError> {
        let resource = self
            .account
            .resources
            .get(arn)
            .filter(|r| !r.is_gone(now, self.lc()))
            .ok_or_else(|| ApiError::not_found(arn))?;
        if resource.kind == Kind::Schema {
            return Err(ApiError::invalid_input(format!(
                "Schemas cannot be tagged: {arn}"
            )));
        }
        Ok(&resource.tags)
    }
}

/// Checks that `schema` suits a dataset of `dataset_type` in `group`.
fn check_schema_fits(
    group: &Resource,
    schema: &Resource,
    dataset_type: DatasetType,
) -> Result<(), ApiError> {
    if dataset_type.custom_only() && group.domain().is_some() {
        return Err(ApiError::invalid_input(format!(
            "{} datasets are only allowed in custom dataset groups",
            dataset_type.as_api()
        )));
    }
    if schema.domain() != group.domain() {
        return Err(ApiError::invalid_input(format!(
            "The schema's domain ({}) does not match the dataset group's domain ({})",
            schema.domain().unwrap_or("none"),
            group.domain().unwrap_or("none")
        )));
    }
    let parsed =
        avro::parse(schema.attr("schema").unwrap_or_default()).map_err(ApiError::invalid_input)?;
    let missing = avro::missing_required_fields(&parsed, dataset_type);
    if !missing.is_empty() {
        return Err(ApiError::invalid_input(format!(
            "The schema lacks the fields a {} dataset requires: {}",
            dataset_type.as_api(),
            missing.join(", ")
        )));
    }
    Ok(())
}

/// Tag rules that do not depend on the resource: count and reserved prefix.
fn check_new_tags(tags: &[Tag]) -> Result<(), ApiError> {
    if tags.len() > MAX_TAGS {
        return Err(too_many_tags(tags.len()));
    }
    match tags
        .iter()
        .find(|t| t.key.to_ascii_lowercase().starts_with("aws:"))
    {
        Some(t) => Err(ApiError::invalid_input(format!(
            "Tag keys starting with aws: are reserved: {}",
            t.key
        ))),
        None => Ok(()),
    }
}

fn too_many_tags(count: usize) -> ApiError {
    ApiError::new(
        ErrorCode::TooManyTags,
        format!("A resource can have at most {MAX_TAGS} tags; this request would give it {count}"),
    )
}

/// Adds `new` to `tags`; a key already present takes the new value.
fn merge_tags(tags: &mut Vec<Tag>, new: Vec<Tag>) {
    for tag in new {
        match tags.iter_mut().find(|t| t.key == tag.key) {
            Some(existing) => existing.value = tag.value,
            None => tags.push(tag),
        }
    }
}

/// Epoch seconds as the AWS JSON protocol sends timestamps.
pub fn epoch_seconds(time: Millis) -> f64 {
    // Exact for any date before the year 285,000.
    time as f64 / 1000.0
}

/// A tracking ID shaped like AWS's (a UUID) from a hex digest.
fn tracking_id(hex: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
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
            },
            max_dataset_groups: 5,
            fail_create: fail_create.map(|re| Regex::new(re).unwrap()),
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
            .create_dataset_group(10_000, named("g"))
            .unwrap()
            .arn
            .clone();
        let lc = m.rules.lifecycle;
        let at = |m: &Model, t| {
            let r = m.describe(t, Kind::DatasetGroup, &arn).unwrap();
            (r.status(t, lc).map(Status::as_api), r.last_updated(t, lc))
        };
        assert_eq!(at(&m, 10_999), (Some("CREATE PENDING"), 10_000));
        assert_eq!(at(&m, 11_000), (Some("CREATE IN_PROGRESS"), 11_000));
        assert_eq!(at(&m, 13_000), (Some("ACTIVE"), 13_000));
        m.delete(20_000, Kind::DatasetGroup, &arn).unwrap();
        assert_eq!(at(&m, 20_999), (Some("DELETE PENDING"), 20_000));
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
            .create_dataset_group(0, named("bad-1"))
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
