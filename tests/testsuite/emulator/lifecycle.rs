//! The life cycles the emulator runs as AWS does, through the real SDK on a
//! manual clock: asynchronous UpdateDataset (and a failed one), what blocks
//! DeleteDataset, DELETE IN_PROGRESS, solution versions (automatic training,
//! StopSolutionVersionCreation, DeleteSolution refused while training), one
//! event tracker per group and the per-group quotas.

use std::fmt::Debug;
use std::time::Duration;

use aws_sdk_personalize::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_personalize::operation::delete_solution::{DeleteSolutionError, DeleteSolutionOutput};
use aws_sdk_personalize::types::{Domain, TrainingMode, TrainingType};
use aws_sdk_personalize::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use personalize_emulator::{EmulatorConfig, RunningEmulator};

use crate::support::account::{
    create_campaign, create_dataset, create_event_tracker, create_filter, create_group_in,
    create_recommender, create_schema_in, create_solution, create_solution_version,
};
use crate::support::clock::manual;
use crate::support::data::Bucket;
use crate::support::emulator::{code, message, start};

pub(super) const CREATE_MS: u64 = 3_000;
const DELETE_MS: u64 = 900;
pub(super) const TRAINING_MS: u64 = 5_000;
const FILTER: &str = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")";
pub(super) const USER_PERSONALIZATION: &str =
    "arn:aws:personalize:::recipe/aws-user-personalization";

/// An emulator on a manual clock, a client of it, and the bucket it
/// imports data from.
pub(super) struct Lab {
    pub(super) emu: RunningEmulator,
    pub(super) client: Client,
    bucket: Bucket,
}

impl Lab {
    pub(super) async fn new(fail_update: Option<&str>) -> Lab {
        let bucket = Bucket::new();
        let config = EmulatorConfig {
            create_delay: Duration::from_millis(CREATE_MS),
            delete_delay: Duration::from_millis(DELETE_MS),
            training_delay: Duration::from_millis(TRAINING_MS),
            fail_update: fail_update.map(|re| regex::Regex::new(re).unwrap()),
            clock: manual(),
            buckets: bucket.buckets(),
            ..EmulatorConfig::default()
        };
        let emu = start(config).await;
        let client = emu.client();
        Lab {
            emu,
            client,
            bucket,
        }
    }

    /// Gives the group Item interactions data (and Items data if `items`)
    /// enough to train on, the clock moved until each import is ACTIVE.
    pub(super) async fn data(&self, group: &str, items: bool) {
        self.bucket.give_data(&self.emu, group, items).await;
    }

    pub(super) fn advance(&self, ms: u64) {
        self.emu
            .clock()
            .advance(Duration::from_millis(ms))
            .expect("a manual clock");
    }

    /// Epoch seconds `ms` after the clock's reading now.
    fn secs_from_now(&self, ms: u64) -> f64 {
        (self.emu.clock().now() + ms) as f64 / 1000.0
    }

    /// An ACTIVE dataset group (the clock moved past its creation).
    pub(super) async fn group(&self, name: &str, domain: Option<Domain>) -> String {
        let arn = create_group_in(&self.client, name, domain).await;
        self.advance(CREATE_MS);
        arn
    }

    pub(super) async fn schema(
        &self,
        name: &str,
        fields: serde_json::Value,
        domain: Option<Domain>,
    ) -> String {
        let text = serde_json::json!({
            "type": "record", "name": "Record",
            "namespace": "com.amazonaws.personalize.schema",
            "fields": fields, "version": "1.0"
        });
        create_schema_in(&self.client, name, &text.to_string(), domain).await
    }

    /// An ACTIVE dataset.
    pub(super) async fn dataset(
        &self,
        name: &str,
        group: &str,
        schema: &str,
        dataset_type: &str,
    ) -> String {
        let arn = create_dataset(&self.client, name, group, schema, dataset_type).await;
        self.advance(CREATE_MS);
        arn
    }

    /// A solution, CREATE PENDING.
    pub(super) async fn solution(
        &self,
        name: &str,
        group: &str,
        auto_training: Option<bool>,
    ) -> String {
        create_solution(
            &self.client,
            name,
            group,
            USER_PERSONALIZATION,
            auto_training,
        )
        .await
    }

    /// A filter on EVENT_TYPE, CREATE PENDING.
    async fn filter(&self, name: &str, group: &str) -> String {
        create_filter(&self.client, name, group, FILTER).await
    }

    async fn dataset_status(&self, arn: &str) -> DatasetSeen {
        let out = self.client.describe_dataset().dataset_arn(arn).send().await;
        let dataset = out.unwrap().dataset().cloned().unwrap();
        let update = dataset.latest_dataset_update();
        DatasetSeen {
            status: dataset.status().unwrap_or_default().to_string(),
            schema: dataset.schema_arn().unwrap_or_default().to_string(),
            update: update.map(|u| {
                (
                    u.schema_arn().unwrap_or_default().to_string(),
                    u.status().unwrap_or_default().to_string(),
                    u.failure_reason().map(str::to_string),
                )
            }),
            last_updated: dataset.last_updated_date_time().unwrap().as_secs_f64(),
        }
    }

    /// A resource's status, or the error code its Describe answers.
    async fn version_status(&self, arn: &str) -> String {
        let out = self
            .client
            .describe_solution_version()
            .solution_version_arn(arn)
            .send()
            .await;
        coded(out).map_or_else(
            |code| code,
            |o| o.solution_version().unwrap().status().unwrap().to_string(),
        )
    }

    /// The solution's versions: (ARN, status, training type, training mode).
    async fn versions(&self, solution: &str) -> Vec<(String, String, String, String)> {
        let out = self
            .client
            .list_solution_versions()
            .solution_arn(solution)
            .send()
            .await
            .unwrap();
        out.solution_versions()
            .iter()
            .map(|v| {
                (
                    v.solution_version_arn().unwrap().to_string(),
                    v.status().unwrap().to_string(),
                    v.training_type()
                        .map_or("", TrainingType::as_str)
                        .to_string(),
                    v.training_mode()
                        .map_or("", TrainingMode::as_str)
                        .to_string(),
                )
            })
            .collect()
    }

    async fn delete_filter(&self, arn: &str) {
        let out = self.client.delete_filter().filter_arn(arn).send().await;
        out.expect("filter deleted");
    }

    /// An ACTIVE items dataset `name` on schema v1, in an ACTIVE custom
    /// group, and a schema v2 with one more field: (v1, v2, dataset).
    async fn items_on_v1(&self, name: &str) -> (String, String, String) {
        let group = self.group("shop", None).await;
        let v1 = self.schema("items-v1", items_fields(false), None).await;
        let v2 = self.schema("items-v2", items_fields(true), None).await;
        let items = self.dataset(name, &group, &v1, "Items").await;
        (v1, v2, items)
    }

    /// UpdateDataset: the dataset ARN it answers, or the error code.
    async fn update_dataset(&self, dataset: &str, schema: &str) -> Result<String, String> {
        let out = self
            .client
            .update_dataset()
            .dataset_arn(dataset)
            .schema_arn(schema)
            .send()
            .await;
        coded(out).map(|o| o.dataset_arn().unwrap_or_default().to_string())
    }

    /// DeleteSchema: done, or the error code.
    async fn delete_schema(&self, arn: &str) -> Result<(), String> {
        let out = self.client.delete_schema().schema_arn(arn).send().await;
        coded(out).map(drop)
    }

    /// Deletes schema `free`, which no dataset holds, and asserts that
    /// DeleteSchema refuses `used`, a dataset's.
    async fn assert_schema_used(&self, used: &str, free: &str) {
        self.delete_schema(free).await.unwrap();
        assert_eq!(
            self.delete_schema(used).await.unwrap_err(),
            "ResourceInUseException"
        );
    }

    /// CreateSolutionVersion (name and training mode: the API's defaults
    /// unless given): the version's ARN, or the error code.
    async fn version(
        &self,
        solution: &str,
        name: Option<&str>,
        mode: Option<TrainingMode>,
    ) -> Result<String, String> {
        let out = self
            .client
            .create_solution_version()
            .solution_arn(solution)
            .set_name(name.map(str::to_string))
            .set_training_mode(mode)
            .send()
            .await;
        coded(out).map(|o| o.solution_version_arn().unwrap().to_string())
    }

    /// StopSolutionVersionCreation: done, or the error code.
    async fn stop(&self, version: &str) -> Result<(), String> {
        let out = self
            .client
            .stop_solution_version_creation()
            .solution_version_arn(version)
            .send()
            .await;
        coded(out).map(drop)
    }

    /// CreateCampaign `c` of `version`: its ARN, or the error code.
    async fn campaign(&self, version: &str) -> Result<String, String> {
        let out = self
            .client
            .create_campaign()
            .name("c")
            .solution_version_arn(version)
            .send()
            .await;
        coded(out).map(|o| o.campaign_arn().unwrap().to_string())
    }

    async fn delete_solution(
        &self,
        arn: &str,
    ) -> Result<DeleteSolutionOutput, SdkError<DeleteSolutionError, HttpResponse>> {
        self.client.delete_solution().solution_arn(arn).send().await
    }

    async fn delete_dataset(&self, arn: &str) -> Result<(), String> {
        let out = self.client.delete_dataset().dataset_arn(arn).send().await;
        out.map(drop).map_err(|e| message::<(), _, _>(Err(e)))
    }
}

/// A call's result, its error reduced to the error code.
fn coded<T: Debug, E: ProvideErrorMetadata + Debug>(
    result: Result<T, SdkError<E, HttpResponse>>,
) -> Result<T, String> {
    result.map_err(|e| code::<(), _, _>(Err(e)))
}

/// What DescribeDataset shows.
#[derive(Debug, PartialEq)]
struct DatasetSeen {
    status: String,
    schema: String,
    /// latestDatasetUpdate: (schemaArn, status, failureReason).
    update: Option<(String, String, Option<String>)>,
    last_updated: f64,
}

fn items_fields(extra: bool) -> serde_json::Value {
    let mut fields = vec![
        serde_json::json!({"name": "ITEM_ID", "type": "string"}),
        serde_json::json!({"name": "GENRE", "type": ["null", "string"], "categorical": true}),
    ];
    if extra {
        fields.push(serde_json::json!({"name": "PRICE", "type": ["null", "float"]}));
    }
    serde_json::Value::from(fields)
}

fn interactions_fields(event_type: bool) -> serde_json::Value {
    let mut fields = vec![
        serde_json::json!({"name": "USER_ID", "type": "string"}),
        serde_json::json!({"name": "ITEM_ID", "type": "string"}),
        serde_json::json!({"name": "TIMESTAMP", "type": "long"}),
    ];
    if event_type {
        fields.push(serde_json::json!({"name": "EVENT_TYPE", "type": "string"}));
    }
    serde_json::Value::from(fields)
}

#[tokio::test]
async fn update_dataset_runs_through_update_states_and_switches_the_schema_at_its_end() {
    let lab = Lab::new(None).await;
    let (v1, v2, items) = lab.items_on_v1("shop-items").await;
    let before = lab.dataset_status(&items).await;
    assert_eq!(
        (before.status.as_str(), &before.schema, &before.update),
        ("ACTIVE", &v1, &None)
    );

    let started = lab.secs_from_now(0);
    assert_eq!(lab.update_dataset(&items, &v2).await, Ok(items.clone()));
    let pending = lab.dataset_status(&items).await;
    assert_eq!(
        pending,
        DatasetSeen {
            status: "UPDATE PENDING".into(),
            schema: v1.clone(),
            update: Some((v2.clone(), "CREATE PENDING".into(), None)),
            last_updated: started,
        }
    );
    // Nothing else happens to a dataset being updated.
    assert_eq!(
        lab.update_dataset(&items, &v2).await.unwrap_err(),
        "ResourceInUseException"
    );
    let delete = lab.delete_dataset(&items).await.unwrap_err();
    assert!(delete.contains("UPDATE PENDING"), "{delete}");
    assert_eq!(
        lab.delete_schema(&v2).await.unwrap_err(),
        "ResourceInUseException",
        "v2 is being moved to"
    );

    lab.advance(CREATE_MS / 3);
    let in_progress = lab.dataset_status(&items).await;
    assert_eq!(
        (
            in_progress.status.as_str(),
            &in_progress.schema,
            in_progress.last_updated
        ),
        ("UPDATE IN_PROGRESS", &v1, lab.secs_from_now(0))
    );
    assert_eq!(in_progress.update.unwrap().1, "CREATE IN_PROGRESS");

    lab.advance(CREATE_MS - CREATE_MS / 3 - 1);
    assert_eq!(
        lab.dataset_status(&items).await.status,
        "UPDATE IN_PROGRESS"
    );
    lab.advance(1);
    let done = lab.dataset_status(&items).await;
    assert_eq!(
        done,
        DatasetSeen {
            status: "ACTIVE".into(),
            schema: v2.clone(),
            update: Some((v2.clone(), "ACTIVE".into(), None)),
            last_updated: lab.secs_from_now(0),
        }
    );
    // v1 is free now; v2 is the dataset's.
    lab.assert_schema_used(&v2, &v1).await;
    lab.emu.shutdown().await;
}

#[tokio::test]
async fn a_failed_update_keeps_the_old_schema_and_shows_the_failure_only_in_latest_dataset_update()
{
    let lab = Lab::new(Some("^doomed-")).await;
    let (v1, v2, doomed) = lab.items_on_v1("doomed-items").await;
    lab.update_dataset(&doomed, &v2).await.unwrap();
    assert_eq!(lab.dataset_status(&doomed).await.status, "UPDATE PENDING");
    lab.advance(CREATE_MS);
    let failed = lab.dataset_status(&doomed).await;
    assert_eq!((failed.status.as_str(), &failed.schema), ("ACTIVE", &v1));
    let (schema, status, reason) = failed.update.unwrap();
    assert_eq!((schema, status.as_str()), (v2.clone(), "CREATE FAILED"));
    assert!(reason.unwrap().contains("doomed-items"));
    // The dataset is usable again, and still on v1: v2 may go.
    lab.assert_schema_used(&v1, &v2).await;
    lab.emu.shutdown().await;
}

#[tokio::test]
async fn delete_dataset_is_refused_while_the_group_has_what_the_docs_list() {
    let lab = Lab::new(None).await;
    let group = lab.group("shop", Some(Domain::Ecommerce)).await;
    let fields = interactions_fields(true);
    let clicks = lab.schema("clicks", fields, Some(Domain::Ecommerce)).await;
    let interactions = lab
        .dataset("shop-interactions", &group, &clicks, "Interactions")
        .await;

    // A filter blocks any dataset.
    let filter = lab.filter("f", &group).await;
    let refused = lab.delete_dataset(&interactions).await.unwrap_err();
    assert!(refused.contains(&filter), "{refused}");
    lab.advance(CREATE_MS);
    lab.delete_filter(&filter).await;
    assert!(
        lab.delete_dataset(&interactions)
            .await
            .unwrap_err()
            .contains(&filter),
        "until gone"
    );
    lab.advance(DELETE_MS);

    // An event tracker blocks the interactions dataset.
    let tracker = create_event_tracker(&lab.client, "t", &group).await;
    assert!(lab
        .delete_dataset(&interactions)
        .await
        .unwrap_err()
        .contains(&tracker));
    lab.advance(CREATE_MS);
    lab.client
        .delete_event_tracker()
        .event_tracker_arn(&tracker)
        .send()
        .await
        .unwrap();
    lab.advance(DELETE_MS);

    // A recommender blocks while it is being created, not once ACTIVE.
    lab.data(&group, false).await;
    let recommender = create_recommender(
        &lab.client,
        "r",
        &group,
        "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views",
    )
    .await;
    assert!(lab
        .delete_dataset(&interactions)
        .await
        .unwrap_err()
        .contains(&recommender));

    // A solution version blocks while it is trained, a campaign while it is
    // being created and when ACTIVE.
    let solution = lab.solution("s", &group, Some(false)).await;
    lab.advance(CREATE_MS);
    let version = create_solution_version(&lab.client, &solution).await;
    let refused = lab.delete_dataset(&interactions).await.unwrap_err();
    assert!(
        refused.contains(&version) && !refused.contains(&recommender),
        "{refused}"
    );
    lab.advance(CREATE_MS);
    let campaign = create_campaign(&lab.client, "c", &version).await;
    let refused = lab.delete_dataset(&interactions).await.unwrap_err();
    assert!(
        refused.contains(&campaign) && !refused.contains(&version),
        "{refused}"
    );
    lab.advance(CREATE_MS);
    assert!(lab
        .delete_dataset(&interactions)
        .await
        .unwrap_err()
        .contains(&campaign));
    lab.client
        .delete_campaign()
        .campaign_arn(&campaign)
        .send()
        .await
        .unwrap();
    lab.advance(DELETE_MS);

    // Nothing left that blocks: it goes through DELETE PENDING and DELETE IN_PROGRESS.
    lab.delete_dataset(&interactions).await.unwrap();
    assert_eq!(
        lab.dataset_status(&interactions).await.status,
        "DELETE PENDING"
    );
    lab.advance(DELETE_MS / 3);
    assert_eq!(
        lab.dataset_status(&interactions).await.status,
        "DELETE IN_PROGRESS"
    );
    lab.advance(DELETE_MS);
    let gone = lab
        .client
        .describe_dataset()
        .dataset_arn(&interactions)
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
    lab.emu.shutdown().await;
}

#[tokio::test]
async fn an_event_tracker_blocks_only_the_interactions_dataset() {
    let lab = Lab::new(None).await;
    let group = lab.group("shop", None).await;
    let items_schema = lab.schema("items", items_fields(false), None).await;
    let items = lab
        .dataset("shop-items", &group, &items_schema, "items")
        .await;
    create_event_tracker(&lab.client, "t", &group).await;
    lab.advance(CREATE_MS);
    // A second tracker in the group is refused.
    let second = lab
        .client
        .create_event_tracker()
        .name("t2")
        .dataset_group_arn(&group)
        .send()
        .await;
    assert_eq!(code(second), "ResourceAlreadyExistsException");
    // datasetType is echoed as given.
    let listed = lab
        .client
        .list_datasets()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.datasets()[0].dataset_type(), Some("items"));
    lab.delete_dataset(&items).await.unwrap();
    lab.emu.shutdown().await;
}

#[tokio::test]
async fn deletes_pass_through_delete_in_progress_except_a_groups() {
    let lab = Lab::new(None).await;
    let group = lab.group("shop", None).await;
    // CreateFilter checks FILTER's fields against the group's datasets.
    let clicks = lab.schema("clicks", interactions_fields(true), None).await;
    let clicks = lab
        .dataset("shop-clicks", &group, &clicks, "Interactions")
        .await;
    let filter = lab.filter("f", &group).await;
    lab.advance(CREATE_MS);
    lab.delete_filter(&filter).await;
    let filter_status = || async {
        let out = lab
            .client
            .describe_filter()
            .filter_arn(&filter)
            .send()
            .await;
        out.map(|o| o.filter().unwrap().status().unwrap().to_string())
    };
    assert_eq!(filter_status().await.unwrap(), "DELETE PENDING");
    lab.advance(DELETE_MS / 3);
    assert_eq!(filter_status().await.unwrap(), "DELETE IN_PROGRESS");
    lab.advance(DELETE_MS);
    assert_eq!(code(filter_status().await), "ResourceNotFoundException");
    lab.delete_dataset(&clicks).await.unwrap();
    lab.advance(DELETE_MS);

    lab.client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    lab.advance(DELETE_MS - 1);
    let out = lab
        .client
        .describe_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await;
    assert_eq!(
        out.unwrap().dataset_group().unwrap().status(),
        Some("DELETE PENDING")
    );
    lab.emu.shutdown().await;
}

#[tokio::test]
async fn solutions_train_automatically_and_training_blocks_their_delete_until_stopped() {
    let lab = Lab::new(None).await;
    let group = lab.group("shop", None).await;
    lab.data(&group, false).await;
    let auto = lab.solution("auto", &group, None).await;
    let manual_only = lab.solution("manual-only", &group, Some(false)).await;
    let early = lab.solution("early", &group, Some(true)).await;
    assert_eq!(
        lab.version(&auto, None, None).await.unwrap_err(),
        "ResourceInUseException",
        "the solution is not ACTIVE yet"
    );
    lab.advance(CREATE_MS);
    // A manual version before the automatic training's time skips it.
    let early_version = lab
        .version(&early, Some("v1"), Some(TrainingMode::Full))
        .await
        .unwrap();

    lab.advance(TRAINING_MS - 1);
    assert!(lab.versions(&auto).await.is_empty());
    lab.advance(1);
    let versions = lab.versions(&auto).await;
    assert_eq!(versions.len(), 1, "{versions:?}");
    let (version, status, training_type, mode) = versions[0].clone();
    assert!(version.starts_with(&format!("{auto}/")), "{version}");
    assert_eq!(
        (status.as_str(), training_type.as_str(), mode.as_str()),
        ("CREATE PENDING", "AUTOMATIC", "AUTOTRAIN")
    );
    assert!(lab.versions(&manual_only).await.is_empty());
    assert_eq!(lab.versions(&early).await.len(), 1);
    let described = lab
        .client
        .describe_solution()
        .solution_arn(&auto)
        .send()
        .await
        .unwrap();
    let latest = described
        .solution()
        .unwrap()
        .latest_solution_version()
        .unwrap();
    assert_eq!(latest.solution_version_arn(), Some(version.as_str()));

    // Training blocks the solution's delete, until stopped.
    assert!(message(lab.delete_solution(&auto).await).contains(&version));
    lab.advance(CREATE_MS / 3);
    assert_eq!(lab.version_status(&version).await, "CREATE IN_PROGRESS");
    assert_eq!(
        lab.campaign(&version).await.unwrap_err(),
        "ResourceInUseException",
        "not ACTIVE yet"
    );
    lab.stop(&version).await.unwrap();
    assert_eq!(lab.version_status(&version).await, "CREATE STOPPING");
    assert_eq!(
        code(lab.delete_solution(&auto).await),
        "ResourceInUseException",
        "still stopping"
    );
    lab.advance(DELETE_MS);
    assert_eq!(lab.version_status(&version).await, "CREATE STOPPED");
    assert_eq!(
        lab.stop(&version).await.unwrap_err(),
        "ResourceInUseException"
    );
    assert_eq!(
        lab.campaign(&version).await.unwrap_err(),
        "InvalidInputException",
        "a stopped version never deploys"
    );

    // Deleting the solution takes its versions with it.
    lab.delete_solution(&auto).await.unwrap();
    assert_eq!(
        lab.version_status(&version).await,
        "ResourceNotFoundException"
    );

    // A version stopped while CREATE PENDING is stopped at once; UPDATE
    // training needs an ACTIVE FULL version.
    assert_eq!(lab.version_status(&early_version).await, "ACTIVE");
    let update = lab
        .version(&manual_only, None, Some(TrainingMode::Update))
        .await;
    assert_eq!(update.unwrap_err(), "InvalidInputException");
    let pending = lab
        .version(&early, None, Some(TrainingMode::Update))
        .await
        .unwrap();
    lab.stop(&pending).await.unwrap();
    assert_eq!(lab.version_status(&pending).await, "CREATE STOPPED");
    let deployed = lab.campaign(&early_version).await;
    assert!(deployed.is_ok(), "{deployed:?}");
    lab.emu.shutdown().await;
}

#[tokio::test]
async fn solution_versions_list_by_solution_and_page() {
    let lab = Lab::new(None).await;
    let group = lab.group("shop", None).await;
    let solution = lab.solution("s", &group, Some(false)).await;
    let other = lab.solution("other", &group, Some(false)).await;
    lab.advance(CREATE_MS);
    let mut made = Vec::new();
    for _ in 0..3 {
        made.push(create_solution_version(&lab.client, &solution).await);
    }
    create_solution_version(&lab.client, &other).await;
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = lab
            .client
            .list_solution_versions()
            .solution_arn(&solution)
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        seen.extend(
            page.solution_versions()
                .iter()
                .map(|v| v.solution_version_arn().unwrap().to_string()),
        );
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, made);
    let all = lab.client.list_solution_versions().send().await.unwrap();
    assert_eq!(all.solution_versions().len(), 4);
    lab.emu.shutdown().await;
}

#[tokio::test]
async fn per_group_quotas_answer_limit_exceeded_naming_the_quota() {
    let lab = Lab::new(None).await;
    let group = lab.group("shop", None).await;
    // CreateFilter checks FILTER's fields against the group's datasets.
    let clicks = lab.schema("clicks", interactions_fields(true), None).await;
    lab.dataset("shop-clicks", &group, &clicks, "Interactions")
        .await;
    for i in 0..30 {
        lab.filter(&format!("f{i}"), &group).await;
    }
    let over = lab
        .client
        .create_filter()
        .name("f30")
        .dataset_group_arn(&group)
        .filter_expression(FILTER)
        .send()
        .await;
    let msg = message(over);
    assert!(
        msg.contains("Total number of filters per dataset group is 30"),
        "{msg}"
    );
    for i in 0..10 {
        lab.solution(&format!("s{i}"), &group, Some(false)).await;
    }
    let over = lab
        .client
        .create_solution()
        .name("s10")
        .dataset_group_arn(&group)
        .recipe_arn(USER_PERSONALIZATION)
        .send()
        .await;
    assert_eq!(code(over), "LimitExceededException");
    // Another group has its own quota.
    let other = lab.group("other", None).await;
    lab.solution("s10", &other, Some(false)).await;
    lab.emu.shutdown().await;
}
