//! The emulator against AWS's own material (`tests/rules/cases.yaml`, shared
//! with `spec::rules`): through the real SDK, the published schemas are
//! accepted by CreateSchema and CreateDataset, and each schema breaking a
//! documented rule is refused with InvalidInputException at the call the
//! case names, with a message naming the field and rule.

use std::fmt::Debug;

use aws_sdk_personalize::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_personalize::operation::create_dataset::{CreateDatasetError, CreateDatasetOutput};
use aws_sdk_personalize::operation::create_schema::{CreateSchemaError, CreateSchemaOutput};
use aws_sdk_personalize::types::Domain;
use aws_sdk_personalize::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::spec::rules::{cases, Case};
use crate::support::account::create_group_in;
use crate::support::emulator::{instant, start};

/// Custom, ECOMMERCE and VIDEO_ON_DEMAND groups (ACTIVE at once: `instant`).
async fn groups(client: &Client) -> [(Option<&'static str>, String); 3] {
    let mut out = Vec::new();
    for (name, domain) in [
        ("custom", None),
        ("ecommerce", Some("ECOMMERCE")),
        ("video", Some("VIDEO_ON_DEMAND")),
    ] {
        let arn = create_group_in(client, name, domain.map(Domain::from)).await;
        out.push((domain, arn));
    }
    out.try_into().expect("three groups")
}

fn schema_name(case: &Case) -> String {
    case.file.trim_end_matches(".avsc").to_string()
}

/// The `datasetType` the API takes for the spec's key.
fn api_type(case: &Case) -> &'static str {
    match case.dataset_type.as_str() {
        "interactions" => "Interactions",
        "items" => "Items",
        "users" => "Users",
        "actions" => "Actions",
        "actionInteractions" => "Action_Interactions",
        other => panic!("unknown dataset type {other}"),
    }
}

type Sent<T, E> = Result<T, SdkError<E, HttpResponse>>;

/// CreateSchema of the case's text, in its domain, named after its file.
async fn create_schema(
    client: &Client,
    case: &Case,
) -> Sent<CreateSchemaOutput, CreateSchemaError> {
    client
        .create_schema()
        .name(schema_name(case))
        .schema(case.text())
        .set_domain(case.domain.as_deref().map(Domain::from))
        .send()
        .await
}

/// CreateDataset of the case's type on `schema` in `group`, named after its file.
async fn create_dataset(
    client: &Client,
    case: &Case,
    group: String,
    schema: &CreateSchemaOutput,
) -> Sent<CreateDatasetOutput, CreateDatasetError> {
    client
        .create_dataset()
        .name(schema_name(case))
        .dataset_group_arn(group)
        .schema_arn(schema.schema_arn().expect("schema ARN"))
        .dataset_type(api_type(case))
        .send()
        .await
}

#[tokio::test]
async fn published_schemas_are_accepted_and_each_rule_is_refused_where_aws_refuses_it() {
    let emu = start(instant()).await;
    let client = emu.client();
    let groups = groups(&client).await;
    let group_of = |case: &Case| {
        let (_, arn) = groups
            .iter()
            .find(|(d, _)| d.map(str::to_string) == case.domain)
            .expect("a group for the case's domain");
        arn.clone()
    };
    let cases = cases();
    for case in &cases.accepted {
        let schema = create_schema(&client, case)
            .await
            .unwrap_or_else(|e| panic!("{}: CreateSchema refused: {e:?}", case.file));
        create_dataset(&client, case, group_of(case), &schema)
            .await
            .unwrap_or_else(|e| panic!("{}: CreateDataset refused: {e:?}", case.file));
    }
    for case in &cases.refused {
        let created = create_schema(&client, case).await;
        if case.stage.as_deref() == Some("CreateSchema") {
            assert_refused(case, created);
            continue;
        }
        let schema =
            created.unwrap_or_else(|e| panic!("{}: CreateSchema refused: {e:?}", case.file));
        let dataset = create_dataset(&client, case, group_of(case), &schema).await;
        assert_refused(case, dataset);
    }
}

/// InvalidInputException whose message has the case's fragment.
fn assert_refused<T: Debug, E: ProvideErrorMetadata + Debug>(case: &Case, result: Sent<T, E>) {
    let err = result.expect_err(&case.file);
    let fragment = case.message.as_deref().expect("message");
    assert_eq!(
        err.code(),
        Some("InvalidInputException"),
        "{}: {err:?}",
        case.file
    );
    let msg = err.message().unwrap_or_default();
    assert!(msg.contains(fragment), "{}: {msg}", case.file);
}
