//! Bad requests get the error AWS would send, never a panic or a hang.

use serde_json::json;

use crate::support::emulator::{arn, code, instant, message, raw_post, start};

const CREATE_GROUP: &str = "AmazonPersonalize.CreateDatasetGroup";

#[tokio::test]
async fn bad_requests_get_aws_errors() {
    let emu = start(instant()).await;
    let addr = emu.addr();
    let cases = [
        (
            None,
            false,
            "{}",
            403,
            "MissingAuthenticationTokenException",
        ),
        (
            Some(CREATE_GROUP),
            false,
            r#"{"name":"g"}"#,
            403,
            "MissingAuthenticationTokenException",
        ),
        (
            Some("AmazonPersonalize.CreateSolutionVersions"),
            true,
            "{}",
            400,
            "UnknownOperationException",
        ),
        (
            Some("AmazonPersonalize.ListBatchInferenceJobs"),
            true,
            "{}",
            400,
            "InvalidInputException",
        ),
        (
            Some("Other.CreateDatasetGroup"),
            true,
            "{}",
            400,
            "UnknownOperationException",
        ),
        (None, true, "{}", 400, "UnknownOperationException"),
        (
            Some(CREATE_GROUP),
            true,
            "{\"name\": ",
            400,
            "SerializationException",
        ),
        (
            Some(CREATE_GROUP),
            true,
            "[1, 2]",
            400,
            "SerializationException",
        ),
        (
            Some(CREATE_GROUP),
            true,
            r#"{"name": 42}"#,
            400,
            "SerializationException",
        ),
        (
            Some(CREATE_GROUP),
            true,
            r#"{"name": "g", "tags": "x"}"#,
            400,
            "SerializationException",
        ),
        (Some(CREATE_GROUP), true, "{}", 400, "InvalidInputException"),
        (
            Some(CREATE_GROUP),
            true,
            r#"{"name": "g", "domain": "GAMES"}"#,
            400,
            "InvalidInputException",
        ),
        (
            Some("AmazonPersonalize.ListSchemas"),
            true,
            r#"{"maxResults": 1000}"#,
            400,
            "InvalidInputException",
        ),
        (
            Some("AmazonPersonalize.DescribeSchema"),
            true,
            r#"{"schemaArn": "nope"}"#,
            400,
            "InvalidInputException",
        ),
    ];
    for (target, signed, body, status, error) in cases {
        let (got_status, header, got) = raw_post(addr, target, signed, body).await;
        assert_eq!(
            (got_status, got["__type"].as_str()),
            (status, Some(error)),
            "{target:?} {body}"
        );
        assert_eq!(header.as_deref(), Some(error));
        assert!(got["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Still serving, and every refusal counted by code.
    let (status, _, body) = raw_post(addr, Some(CREATE_GROUP), true, r#"{"name":"ok"}"#).await;
    assert_eq!(
        (status, body),
        (200, json!({"datasetGroupArn": arn("dataset-group/ok")}))
    );
    let stats = emu.stats().await.unwrap();
    assert_eq!(
        stats.rejected_with("MissingAuthenticationTokenException"),
        2
    );
    assert_eq!(stats.rejected_with("SerializationException"), 4);
    assert_eq!(stats.rejected_with("InvalidInputException"), 5);
    // Unsigned requests are refused before their operation is read.
    assert_eq!(stats.requests_to("CreateDatasetGroup"), 7);
}

#[tokio::test]
async fn validation_errors_name_the_member_and_the_constraint() {
    let emu = start(instant()).await;
    let client = emu.client();
    let result = client.create_dataset_group().name("has space").send().await;
    let msg = message(result);
    assert!(
        msg.starts_with("1 validation error detected: Value 'has space' at 'name'"),
        "{msg}"
    );
    assert!(msg.contains("^[a-zA-Z0-9][a-zA-Z0-9\\-_]*"), "{msg}");
    let long = client
        .create_dataset_group()
        .name("a".repeat(64))
        .send()
        .await;
    assert_eq!(code(long), "InvalidInputException");
    let role = client
        .create_dataset_group()
        .name("g")
        .role_arn("arn:aws:iam::12:role/x")
        .kms_key_arn("arn:aws:kms:us-east-1:111122223333:key/k")
        .send()
        .await;
    assert_eq!(code(role), "InvalidInputException");
}
