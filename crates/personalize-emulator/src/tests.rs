//! The clock driving the emulator end to end: SDK requests against a running
//! emulator on a manual clock, with no real sleeps.

use std::net::SocketAddr;
use std::time::Duration;

use aws_sdk_personalize::config::retry::RetryConfig;
use aws_sdk_personalize::error::ProvideErrorMetadata;
use aws_sdk_personalize::primitives::DateTime;
use aws_sdk_personalize::types::DatasetGroup;
use aws_sdk_personalize::Client;

use super::*;

const START: u64 = 1_700_000_000_000;

async fn start(clock: Clock, max_tps: Option<u32>) -> RunningEmulator {
    let config = EmulatorConfig {
        create_delay: Duration::from_secs(3),
        delete_delay: Duration::from_secs(1),
        max_tps,
        clock,
        ..EmulatorConfig::default()
    };
    RunningEmulator::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator starts")
}

/// A client that shows every refusal instead of retrying it.
fn client(emulator: &RunningEmulator) -> Client {
    let config = emulator.client().config().to_builder();
    Client::from_conf(config.retry_config(RetryConfig::disabled()).build())
}

/// The group as DescribeDatasetGroup shows it, or the error code it answers.
async fn describe(client: &Client, arn: &str) -> Result<DatasetGroup, String> {
    let call = client.describe_dataset_group().dataset_group_arn(arn);
    match call.send().await {
        Ok(out) => Ok(out.dataset_group().cloned().expect("a dataset group")),
        Err(e) => Err(e.code().unwrap_or_default().to_string()),
    }
}

/// The group's status, or the error code DescribeDatasetGroup answers.
async fn status_of(client: &Client, arn: &str) -> String {
    describe(client, arn)
        .await
        .map_or_else(|code| code, |g| g.status().unwrap_or_default().to_string())
}

#[tokio::test]
async fn the_life_cycle_moves_only_when_the_clock_is_advanced() {
    let emulator = start(Clock::manual(START), None).await;
    let client = client(&emulator);
    let arn = client
        .create_dataset_group()
        .name("retail")
        .send()
        .await
        .expect("created")
        .dataset_group_arn()
        .expect("an ARN")
        .to_string();
    let status = || status_of(&client, &arn);
    assert_eq!(status().await, "CREATE PENDING");
    let clock = emulator.clock();
    clock.advance(Duration::from_millis(1_000)).unwrap();
    assert_eq!(status().await, "CREATE IN_PROGRESS");
    clock.advance(Duration::from_millis(1_999)).unwrap();
    assert_eq!(status().await, "CREATE IN_PROGRESS");
    clock.advance(Duration::from_millis(1)).unwrap();
    assert_eq!(status().await, "ACTIVE");
    let group = describe(&client, &arn).await.unwrap();
    let secs = |t: Option<&DateTime>| t.unwrap().secs();
    assert_eq!(secs(group.creation_date_time()), 1_700_000_000);
    assert_eq!(secs(group.last_updated_date_time()), 1_700_000_003);

    client
        .delete_dataset_group()
        .dataset_group_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(status().await, "DELETE PENDING");
    clock.advance(Duration::from_secs(1)).unwrap();
    assert_eq!(status().await, "ResourceNotFoundException");
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_admin_route_advances_a_manual_clock_and_refuses_the_system_one() {
    let manual = start(Clock::manual(START), None).await;
    let now = advance_clock(manual.addr(), Duration::from_millis(2_500)).await;
    assert_eq!(now.unwrap(), START + 2_500);
    assert_eq!(manual.clock().now(), START + 2_500);
    let bad = admin_request(manual.addr(), "POST", "/_emulator/clock", "{}").await;
    let message = bad.unwrap_err().to_string();
    assert!(
        message.contains("400") && message.contains("advanceMs"),
        "{message}"
    );
    manual.shutdown().await;

    let system = start(Clock::system(), None).await;
    let refused = advance_clock(system.addr(), Duration::from_secs(1)).await;
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("409") && message.contains("--manual-clock"),
        "{message}"
    );
    system.shutdown().await;
}

#[tokio::test]
async fn the_tps_limit_reads_the_same_clock() {
    let emulator = start(Clock::manual(START), Some(2)).await;
    let client = client(&emulator);
    let list = || async {
        client
            .list_dataset_groups()
            .send()
            .await
            .map_err(|e| e.code().map(String::from))
    };
    assert!(list().await.is_ok());
    assert!(list().await.is_ok());
    let refused = list().await.unwrap_err();
    assert_eq!(refused.as_deref(), Some("LimitExceededException"));
    emulator.clock().advance(Duration::from_secs(1)).unwrap();
    assert!(list().await.is_ok(), "a new second, a new window");
    emulator.shutdown().await;
}
