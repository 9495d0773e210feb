//! The account as the tests arrange and check it: through the real
//! `aws-sdk-personalize` client, never through pzr, so pzr's reads and
//! writes are judged by a second party.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_personalize::types::{Dataset, Domain, Tag};
use aws_sdk_personalize::Client;

/// A tag as the SDK's builders take it.
pub fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .tag_key(key)
        .tag_value(value)
        .build()
        .expect("tag has key and value")
}

/// Tags of a resource.
pub async fn tags_of(client: &Client, arn: &str) -> BTreeMap<String, String> {
    client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .expect("tags")
        .tags()
        .iter()
        .map(|t| (t.tag_key().to_string(), t.tag_value().to_string()))
        .collect()
}

/// An Avro record schema's text; a field type that is JSON (a union) is kept as JSON.
pub fn schema(name: &str, fields: &[(&str, &str)]) -> String {
    let fields: Vec<serde_json::Value> = fields
        .iter()
        .map(|(n, t)| {
            let ty: serde_json::Value =
                serde_json::from_str(t).unwrap_or_else(|_| serde_json::Value::from(*t));
            serde_json::json!({"name": n, "type": ty})
        })
        .collect();
    serde_json::json!({
        "type": "record", "name": name,
        "namespace": "com.amazonaws.personalize.schema",
        "fields": fields, "version": "1.0"
    })
    .to_string()
}

pub fn interactions_schema() -> String {
    schema(
        "Interactions",
        &[
            ("USER_ID", "string"),
            ("ITEM_ID", "string"),
            ("TIMESTAMP", "long"),
        ],
    )
}

/// Custom Items schemas need a metadata field besides ITEM_ID.
pub fn items_schema() -> String {
    schema(
        "Items",
        &[("ITEM_ID", "string"), ("CATEGORY", r#"["null","string"]"#)],
    )
}

/// Creates a schema; its ARN.
pub async fn create_schema(client: &Client, name: &str, text: &str) -> String {
    create_schema_in(client, name, text, None).await
}

/// Creates a schema for `domain` (none: custom); its ARN.
pub async fn create_schema_in(
    client: &Client,
    name: &str,
    text: &str,
    domain: Option<Domain>,
) -> String {
    client
        .create_schema()
        .name(name)
        .schema(text)
        .set_domain(domain)
        .send()
        .await
        .expect("schema created")
        .schema_arn()
        .expect("schema ARN")
        .to_string()
}

/// Names of all schemas, sorted.
pub async fn schema_names(client: &Client) -> Vec<String> {
    let out = client
        .list_schemas()
        .max_results(100)
        .send()
        .await
        .expect("schemas");
    let mut names: Vec<String> = out
        .schemas()
        .iter()
        .filter_map(|s| s.name().map(str::to_string))
        .collect();
    names.sort();
    names
}

/// Creates a custom dataset group with no tags; its ARN.
pub async fn create_group(client: &Client, name: &str) -> String {
    create_group_in(client, name, None).await
}

/// Creates a dataset group with no tags in `domain` (none: custom); its ARN.
pub async fn create_group_in(client: &Client, name: &str, domain: Option<Domain>) -> String {
    client
        .create_dataset_group()
        .name(name)
        .set_domain(domain)
        .send()
        .await
        .expect("group created")
        .dataset_group_arn()
        .expect("group ARN")
        .to_string()
}

/// All dataset groups: (name, arn, status).
pub async fn groups(client: &Client) -> Vec<(String, String, String)> {
    let out = client
        .list_dataset_groups()
        .max_results(100)
        .send()
        .await
        .expect("list groups");
    out.dataset_groups()
        .iter()
        .map(|g| {
            (
                g.name().unwrap_or_default().to_string(),
                g.dataset_group_arn().unwrap_or_default().to_string(),
                g.status().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The ARN of the group named `name`.
pub async fn group_arn(client: &Client, name: &str) -> Option<String> {
    groups(client)
        .await
        .into_iter()
        .find(|g| g.0 == name)
        .map(|g| g.1)
}

/// How many dataset groups are named `name`.
pub async fn count_groups_named(client: &Client, name: &str) -> usize {
    groups(client).await.iter().filter(|g| g.0 == name).count()
}

/// A group's status now (`CREATE PENDING`, `ACTIVE`, ...).
pub async fn group_status(client: &Client, arn: &str) -> String {
    client
        .describe_dataset_group()
        .dataset_group_arn(arn)
        .send()
        .await
        .expect("group described")
        .dataset_group()
        .and_then(|g| g.status())
        .expect("status")
        .to_string()
}

/// Polls a group until it has `status` (the emulator's delays are milliseconds).
pub async fn wait_group_status(client: &Client, arn: &str, status: &str) {
    for _ in 0..400 {
        if group_status(client, arn).await == status {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("group {arn} never reached {status}");
}

/// A group's creation time, in epoch seconds.
pub async fn group_created_at(client: &Client, arn: &str) -> f64 {
    client
        .describe_dataset_group()
        .dataset_group_arn(arn)
        .send()
        .await
        .expect("describe")
        .dataset_group()
        .and_then(|g| g.creation_date_time())
        .expect("creation time")
        .as_secs_f64()
}

/// Creates a dataset; its ARN.
pub async fn create_dataset(
    client: &Client,
    name: &str,
    group: &str,
    schema: &str,
    dataset_type: &str,
) -> String {
    client
        .create_dataset()
        .name(name)
        .dataset_group_arn(group)
        .schema_arn(schema)
        .dataset_type(dataset_type)
        .send()
        .await
        .expect("dataset created")
        .dataset_arn()
        .expect("dataset ARN")
        .to_string()
}

/// The dataset of type `kind` (as in the spec: items, users, ...) in group `group`.
pub async fn dataset(client: &Client, group: &str, kind: &str) -> Dataset {
    let arn = group_arn(client, group).await.expect("group exists");
    let list = client
        .list_datasets()
        .dataset_group_arn(arn)
        .send()
        .await
        .expect("list datasets");
    let summary = list
        .datasets()
        .iter()
        .find(|d| {
            d.dataset_type()
                .is_some_and(|t| t.eq_ignore_ascii_case(kind))
        })
        .unwrap_or_else(|| panic!("no {kind} dataset in {group}"));
    let out = client
        .describe_dataset()
        .dataset_arn(summary.dataset_arn().unwrap_or_default())
        .send()
        .await
        .expect("describe");
    out.dataset().expect("dataset").clone()
}

/// (name, type, status) of each dataset of the group named `group`, sorted by type.
pub async fn datasets_of(client: &Client, group: &str) -> Vec<(String, String, String)> {
    let Some(arn) = group_arn(client, group).await else {
        return Vec::new();
    };
    let list = client
        .list_datasets()
        .dataset_group_arn(arn)
        .max_results(100)
        .send()
        .await
        .expect("list datasets");
    let mut out: Vec<_> = list
        .datasets()
        .iter()
        .map(|d| {
            (
                d.name().unwrap_or_default().to_string(),
                d.dataset_type().unwrap_or_default().to_string(),
                d.status().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// An event tracker or filter as the SDK describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    pub name: String,
    pub arn: String,
    pub status: String,
    /// A tracker's trackingId, a filter's expression.
    pub detail: String,
}

/// The event trackers of the group named `group`, described (one at most:
/// Personalize allows one a group).
pub async fn trackers_of(client: &Client, group: &str) -> Vec<Child> {
    children_of(client, group, ChildKind::Tracker).await
}

/// The filters of the group named `group`, described, sorted by name.
pub async fn filters_of(client: &Client, group: &str) -> Vec<Child> {
    children_of(client, group, ChildKind::Filter).await
}

#[derive(Clone, Copy)]
enum ChildKind {
    Tracker,
    Filter,
}

/// The children of one kind of the group named `group`, described, sorted
/// by name.
async fn children_of(client: &Client, group: &str, kind: ChildKind) -> Vec<Child> {
    let Some(group) = group_arn(client, group).await else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for arn in kind.list(client, &group).await {
        out.push(kind.describe(client, arn).await);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

impl ChildKind {
    /// The ARNs of this kind in the group `group` (an ARN).
    async fn list(self, client: &Client, group: &str) -> Vec<String> {
        match self {
            ChildKind::Tracker => {
                let list = client.list_event_trackers().dataset_group_arn(group);
                let list = list.send().await.expect("list event trackers");
                let arns = list.event_trackers().iter();
                arns.map(|t| owned(t.event_tracker_arn())).collect()
            }
            ChildKind::Filter => {
                let list = client.list_filters().dataset_group_arn(group);
                let list = list.send().await.expect("list filters");
                let arns = list.filters().iter();
                arns.map(|f| owned(f.filter_arn())).collect()
            }
        }
    }

    /// The child `arn` of this kind, described; its detail is a tracker's
    /// trackingId, a filter's expression.
    async fn describe(self, client: &Client, arn: String) -> Child {
        let [name, status, detail] = match self {
            ChildKind::Tracker => {
                let out = client.describe_event_tracker().event_tracker_arn(&arn);
                let out = out.send().await.expect("describe event tracker");
                let d = out.event_tracker().expect("event tracker");
                [d.name(), d.status(), d.tracking_id()].map(owned)
            }
            ChildKind::Filter => {
                let out = client.describe_filter().filter_arn(&arn);
                let out = out.send().await.expect("describe filter");
                let d = out.filter().expect("filter");
                [d.name(), d.status(), d.filter_expression()].map(owned)
            }
        };
        Child {
            name,
            arn,
            status,
            detail,
        }
    }
}

/// A string the SDK may leave out, empty when it does.
fn owned(s: Option<&str>) -> String {
    s.unwrap_or_default().to_string()
}

/// Creates a filter in `group`; its ARN.
pub async fn create_filter(client: &Client, name: &str, group: &str, expression: &str) -> String {
    client
        .create_filter()
        .name(name)
        .dataset_group_arn(group)
        .filter_expression(expression)
        .send()
        .await
        .expect("filter created")
        .filter_arn()
        .expect("filter ARN")
        .to_string()
}

/// Creates an event tracker in `group`; its ARN.
pub async fn create_event_tracker(client: &Client, name: &str, group: &str) -> String {
    client
        .create_event_tracker()
        .name(name)
        .dataset_group_arn(group)
        .send()
        .await
        .expect("event tracker created")
        .event_tracker_arn()
        .expect("event tracker ARN")
        .to_string()
}

/// Creates a solution of `recipe` in `group`; `auto_training` as sent
/// (none: the API's default, automatic training on); its ARN.
pub async fn create_solution(
    client: &Client,
    name: &str,
    group: &str,
    recipe: &str,
    auto_training: Option<bool>,
) -> String {
    client
        .create_solution()
        .name(name)
        .dataset_group_arn(group)
        .recipe_arn(recipe)
        .set_perform_auto_training(auto_training)
        .send()
        .await
        .expect("solution created")
        .solution_arn()
        .expect("solution ARN")
        .to_string()
}

/// Creates a solution version (training mode: the API's default); its ARN.
pub async fn create_solution_version(client: &Client, solution: &str) -> String {
    client
        .create_solution_version()
        .solution_arn(solution)
        .send()
        .await
        .expect("solution version created")
        .solution_version_arn()
        .expect("solution version ARN")
        .to_string()
}

/// Creates a campaign of a solution version; its ARN.
pub async fn create_campaign(client: &Client, name: &str, version: &str) -> String {
    client
        .create_campaign()
        .name(name)
        .solution_version_arn(version)
        .send()
        .await
        .expect("campaign created")
        .campaign_arn()
        .expect("campaign ARN")
        .to_string()
}

/// Creates a recommender of `recipe` in `group`; its ARN.
pub async fn create_recommender(client: &Client, name: &str, group: &str, recipe: &str) -> String {
    client
        .create_recommender()
        .name(name)
        .dataset_group_arn(group)
        .recipe_arn(recipe)
        .send()
        .await
        .expect("recommender created")
        .recommender_arn()
        .expect("recommender ARN")
        .to_string()
}
