//! Single Personalize actions, as apply uses them. Each is idempotent where
//! the API allows: creating what exists finds it, deleting what is gone is done.
//! `Actions` is the seam apply is written against; `Personalize` is the one
//! implementation that calls the SDK, each request through its one path
//! (paced, and retried when refused for a limit).

use aws_sdk_personalize::types::{Domain as ApiDomain, Tag};

use super::error::{found, LiveError};
use super::read;
use super::request::Personalize;
use crate::resource::{DatasetType, Domain, Kind, Status};
use crate::state::{ChildConfig, Tags};

mod child_actions;
mod imports;
mod status;

pub use imports::NewImport;
pub use status::{DatasetSchema, LatestUpdate, LiveStatus};

/// A child that was there when apply created one: the caller checks it is
/// the one it meant (same name, owned, same settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingChild {
    pub name: String,
    pub tags: Tags,
    /// `None` when Describe did not tell.
    pub config: Option<ChildConfig>,
}

/// A solution version (a training) and where it is in its life.
#[derive(Debug, Clone, PartialEq)]
pub struct SolutionVersion {
    pub arn: String,
    pub status: Status,
    /// When it was created (seconds since the epoch).
    pub created: f64,
    /// Why its training failed, when it did.
    pub failure_reason: Option<String>,
}

fn api_tags(tags: &Tags) -> Vec<Tag> {
    tags.iter()
        .filter_map(|(k, v)| Tag::builder().tag_key(k).tag_value(v).build().ok())
        .collect()
}

fn api_domain(d: Option<Domain>) -> Option<ApiDomain> {
    d.map(|d| ApiDomain::from(d.as_api()))
}

/// The Personalize actions apply takes, and nothing else: what its executor
/// is written against, so its scheduling can be tested without HTTP.
// No `Send` bounds: apply awaits these futures on its own task, never spawns them.
#[allow(async_fn_in_trait)]
pub trait Actions {
    /// Creates a schema; an existing one of that name is the same content
    /// (names are content-addressed), so its ARN is returned.
    async fn create_schema(
        &self,
        name: &str,
        definition: &str,
        domain: Option<Domain>,
    ) -> Result<String, LiveError>;

    /// Creates a dataset group; if one of that name exists, returns its ARN
    /// and tags so the caller can check it is the one it meant.
    async fn create_dataset_group(
        &self,
        name: &str,
        domain: Option<Domain>,
        kms_key_arn: Option<&str>,
        role_arn: Option<&str>,
        tags: &Tags,
    ) -> Result<(String, Option<Tags>), LiveError>;

    /// Creates a dataset; if the group already has one of that type, returns
    /// its ARN, name and tags so the caller can check it is the one it meant.
    async fn create_dataset(
        &self,
        name: &str,
        dataset_type: DatasetType,
        group_arn: &str,
        schema_arn: &str,
        tags: &Tags,
    ) -> Result<(String, Option<(String, Tags)>), LiveError>;

    async fn update_dataset(&self, arn: &str, schema_arn: &str) -> Result<(), LiveError>;

    /// Creates a child of a managed kind (`config` says which) in
    /// `parent_arn`: its group, or for a campaign the solution version it
    /// deploys. If one of that name exists (for an event tracker: if the
    /// group has one), returns its ARN and what it is.
    async fn create_child(
        &self,
        name: &str,
        parent_arn: &str,
        config: &ChildConfig,
        tags: &Tags,
    ) -> Result<(String, Option<ExistingChild>), LiveError>;

    /// Changes what of a recommender's, solution's or campaign's settings
    /// the API updates in place (`config` holds all of them; its kind says
    /// which call): UpdateRecommender, UpdateSolution, UpdateCampaign
    /// (naming `solution_version` when given).
    async fn update_child(
        &self,
        arn: &str,
        config: &ChildConfig,
        solution_version: Option<&str>,
    ) -> Result<(), LiveError>;

    /// StartRecommender (`running`) or StopRecommender.
    async fn set_recommender_state(&self, arn: &str, running: bool) -> Result<(), LiveError>;

    /// Starts training a new version of a solution; returns its ARN.
    async fn create_solution_version(&self, solution_arn: &str) -> Result<String, LiveError>;

    /// Starts a dataset import job (CreateDatasetImportJob); returns its ARN.
    async fn create_import(&self, import: &NewImport<'_>) -> Result<String, LiveError>;

    /// The names of a dataset's import jobs (ListDatasetImportJobs).
    async fn import_job_names(&self, dataset_arn: &str) -> Result<Vec<String>, LiveError>;

    async fn tag(&self, arn: &str, tags: &Tags) -> Result<(), LiveError>;

    async fn untag(&self, arn: &str, keys: &[String]) -> Result<(), LiveError>;

    /// Deletes a resource; one already gone counts as deleted.
    async fn delete(&self, kind: Kind, arn: &str) -> Result<(), LiveError>;

    /// The life-cycle status of a resource; `None` when it does not exist.
    async fn status(&self, kind: Kind, arn: &str) -> Result<Option<LiveStatus>, LiveError>;

    /// The versions of a solution; none when the solution is gone.
    async fn solution_versions(
        &self,
        solution_arn: &str,
    ) -> Result<Vec<SolutionVersion>, LiveError>;

    /// Stops the creation (training) of a solution version; one gone counts
    /// as stopped.
    async fn stop_solution_version_creation(&self, version_arn: &str) -> Result<(), LiveError>;
}

impl Actions for Personalize {
    async fn create_schema(
        &self,
        name: &str,
        definition: &str,
        domain: Option<Domain>,
    ) -> Result<String, LiveError> {
        let out = self
            .send("CreateSchema", name, |c| {
                c.create_schema()
                    .name(name)
                    .schema(definition)
                    .set_domain(api_domain(domain))
                    .send()
            })
            .await;
        match out {
            Ok(o) => Ok(o.schema_arn().unwrap_or_default().to_string()),
            Err(e) if e.is_already_exists() => read::list_schemas(self)
                .await?
                .into_iter()
                .find(|s| s.name == name)
                .map(|s| s.arn)
                .ok_or(e),
            Err(e) => Err(e),
        }
    }

    async fn create_dataset_group(
        &self,
        name: &str,
        domain: Option<Domain>,
        kms_key_arn: Option<&str>,
        role_arn: Option<&str>,
        tags: &Tags,
    ) -> Result<(String, Option<Tags>), LiveError> {
        let out = self
            .send("CreateDatasetGroup", name, |c| {
                c.create_dataset_group()
                    .name(name)
                    .set_domain(api_domain(domain))
                    .set_kms_key_arn(kms_key_arn.map(str::to_string))
                    .set_role_arn(role_arn.map(str::to_string))
                    .set_tags(Some(api_tags(tags)))
                    .send()
            })
            .await;
        match out {
            Ok(o) => Ok((o.dataset_group_arn().unwrap_or_default().to_string(), None)),
            Err(e) if e.is_already_exists() => {
                let groups = read::list_groups(self).await?;
                let Some(group) = groups.into_iter().find(|g| g.name == name) else {
                    return Err(e);
                };
                let existing = read::tags(self, &group.arn).await?;
                Ok((group.arn, Some(existing.unwrap_or_default())))
            }
            Err(e) => Err(e),
        }
    }

    async fn create_dataset(
        &self,
        name: &str,
        dataset_type: DatasetType,
        group_arn: &str,
        schema_arn: &str,
        tags: &Tags,
    ) -> Result<(String, Option<(String, Tags)>), LiveError> {
        let out = self
            .send("CreateDataset", name, |c| {
                c.create_dataset()
                    .name(name)
                    .dataset_type(dataset_type.as_api())
                    .dataset_group_arn(group_arn)
                    .schema_arn(schema_arn)
                    .set_tags(Some(api_tags(tags)))
                    .send()
            })
            .await;
        match out {
            Ok(o) => Ok((o.dataset_arn().unwrap_or_default().to_string(), None)),
            Err(e) if e.is_already_exists() => {
                for arn in read::list_datasets(self, group_arn).await? {
                    match read::describe_dataset(self, &arn).await? {
                        Some(d) if d.dataset_type == dataset_type => {
                            return Ok((d.arn, Some((d.name, d.tags))))
                        }
                        _ => {}
                    }
                }
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    async fn update_dataset(&self, arn: &str, schema_arn: &str) -> Result<(), LiveError> {
        self.send("UpdateDataset", arn, |c| {
            c.update_dataset()
                .dataset_arn(arn)
                .schema_arn(schema_arn)
                .send()
        })
        .await
        .map(|_| ())
    }

    async fn create_child(
        &self,
        name: &str,
        parent_arn: &str,
        config: &ChildConfig,
        tags: &Tags,
    ) -> Result<(String, Option<ExistingChild>), LiveError> {
        child_actions::create_child(self, name, parent_arn, config, tags).await
    }

    async fn update_child(
        &self,
        arn: &str,
        config: &ChildConfig,
        solution_version: Option<&str>,
    ) -> Result<(), LiveError> {
        child_actions::update_child(self, arn, config, solution_version).await
    }

    async fn set_recommender_state(&self, arn: &str, running: bool) -> Result<(), LiveError> {
        child_actions::set_recommender_state(self, arn, running).await
    }

    async fn create_solution_version(&self, solution_arn: &str) -> Result<String, LiveError> {
        child_actions::create_solution_version(self, solution_arn).await
    }

    async fn import_job_names(&self, dataset_arn: &str) -> Result<Vec<String>, LiveError> {
        read::import_job_names(self, dataset_arn).await
    }

    async fn create_import(&self, import: &NewImport<'_>) -> Result<String, LiveError> {
        imports::create_import(self, import).await
    }

    async fn tag(&self, arn: &str, tags: &Tags) -> Result<(), LiveError> {
        self.send("TagResource", arn, |c| {
            c.tag_resource()
                .resource_arn(arn)
                .set_tags(Some(api_tags(tags)))
                .send()
        })
        .await
        .map(|_| ())
    }

    async fn untag(&self, arn: &str, keys: &[String]) -> Result<(), LiveError> {
        self.send("UntagResource", arn, |c| {
            c.untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(keys.to_vec()))
                .send()
        })
        .await
        .map(|_| ())
    }

    async fn delete(&self, kind: Kind, arn: &str) -> Result<(), LiveError> {
        // Each kind's request is its own SDK type, so the dispatch is a table.
        macro_rules! delete {
            ($($kind:ident: $request:ident.$member:ident, $op:literal;)*) => {
                match kind {
                    $(Kind::$kind => self.send($op, arn, |c| c.$request().$member(arn).send()).await.map(|_| ()),)*
                    // The API has no delete: a job stays listed once ended.
                    Kind::DatasetImportJob => Ok(()),
                }
            };
        }
        let result = delete! {
            Schema: delete_schema.schema_arn, "DeleteSchema";
            DatasetGroup: delete_dataset_group.dataset_group_arn, "DeleteDatasetGroup";
            Dataset: delete_dataset.dataset_arn, "DeleteDataset";
            Recommender: delete_recommender.recommender_arn, "DeleteRecommender";
            Campaign: delete_campaign.campaign_arn, "DeleteCampaign";
            Filter: delete_filter.filter_arn, "DeleteFilter";
            Solution: delete_solution.solution_arn, "DeleteSolution";
            EventTracker: delete_event_tracker.event_tracker_arn, "DeleteEventTracker";
            MetricAttribution: delete_metric_attribution.metric_attribution_arn, "DeleteMetricAttribution";
        };
        found(result).map(|_| ())
    }

    async fn solution_versions(
        &self,
        solution_arn: &str,
    ) -> Result<Vec<SolutionVersion>, LiveError> {
        read::solution_versions(self, solution_arn).await
    }

    async fn stop_solution_version_creation(&self, version_arn: &str) -> Result<(), LiveError> {
        let stopped = self.send("StopSolutionVersionCreation", version_arn, |c| {
            c.stop_solution_version_creation()
                .solution_version_arn(version_arn)
                .send()
        });
        found(stopped.await).map(|_| ())
    }

    async fn status(&self, kind: Kind, arn: &str) -> Result<Option<LiveStatus>, LiveError> {
        status::status(self, kind, arn).await
    }
}
