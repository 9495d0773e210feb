//! The emulator against AWS's own material (`tests/rules/cases.yaml`, shared
//! with `spec::rules`): through the real SDK, the published schemas are
//! accepted by CreateSchema and CreateDataset, and each schema breaking a
//! documented rule is refused with InvalidInputException at the call the
//! case names, with a message naming the field and rule.

use std::fmt::Debug;

use aws_sdk_personalize::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_personalize::types::Domain;
use aws_sdk_personalize::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::spec::rules::{cases, Case};
use crate::support::emulator::{instant, start};

/// Custom, ECOMMERCE and VIDEO_ON_DEMAND groups (ACTIVE at once: `instant`).
async fn groups(client: &Client) -> [(Option<&'static str>, String); 3] {
    let mut out = Vec::new();
    for (name, domain) in [
        ("custom", None),
        ("ecommerce", Some("ECOMMERCE")),
        ("video", Some("VIDEO_ON_DEMAND")),
    ] {
        let arn = client
            .create_dataset_group()
            .name(name)
            .set_domain(domain.map(Domain::from))
            .send()
            .await
            .expect("group created")
            .dataset_group_arn()
            .expect("group ARN")
            .to_string();
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
        let schema = client
            .create_schema()
            .name(schema_name(case))
            .schema(case.text())
            .set_domain(case.domain.as_deref().map(Domain::from))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: CreateSchema refused: {e:?}", case.file));
        client
            .create_dataset()
            .name(schema_name(case))
            .dataset_group_arn(group_of(case))
            .schema_arn(schema.schema_arn().expect("schema ARN"))
            .dataset_type(api_type(case))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: CreateDataset refused: {e:?}", case.file));
    }
    for case in &cases.refused {
        let created = client
            .create_schema()
            .name(schema_name(case))
            .schema(case.text())
            .set_domain(case.domain.as_deref().map(Domain::from))
            .send()
            .await;
        if case.stage.as_deref() == Some("CreateSchema") {
            assert_refused(case, created);
            continue;
        }
        let schema =
            created.unwrap_or_else(|e| panic!("{}: CreateSchema refused: {e:?}", case.file));
        let dataset = client
            .create_dataset()
            .name(schema_name(case))
            .dataset_group_arn(group_of(case))
            .schema_arn(schema.schema_arn().expect("schema ARN"))
            .dataset_type(api_type(case))
            .send()
            .await;
        assert_refused(case, dataset);
    }
}

/// InvalidInputException whose message has the case's fragment.
fn assert_refused<T: Debug, E: ProvideErrorMetadata + Debug>(
    case: &Case,
    result: Result<T, SdkError<E, HttpResponse>>,
) {
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
