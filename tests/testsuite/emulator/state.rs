//! The state file: a restart continues where it stopped; reset empties all.

use std::time::Duration;

use personalize_emulator::EmulatorConfig;

use crate::support::account::{
    create_group, create_schema, group_status, interactions_schema, tag,
};
use crate::support::clock::manual;
use crate::support::emulator::{instant, start};

#[tokio::test]
async fn a_restart_continues_from_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/state.json");
    // One clock for both runs: the time between them is what the test says.
    let clock = manual();
    let config = || EmulatorConfig {
        create_delay: Duration::from_millis(1500),
        state_file: Some(path.clone()),
        clock: clock.clone(),
        ..EmulatorConfig::default()
    };
    let emu = start(config()).await;
    let client = emu.client();
    let group = create_group(&client, "retail").await;
    create_schema(&client, "clicks", &interactions_schema()).await;
    client
        .tag_resource()
        .resource_arn(&group)
        .tags(tag("k", "v"))
        .send()
        .await
        .unwrap();
    let before = client
        .describe_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(
        before.dataset_group().unwrap().status(),
        Some("CREATE PENDING")
    );
    emu.shutdown().await;

    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved["resources"].as_object().unwrap().len(), 2);
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");

    let emu = start(config()).await;
    let client = emu.client();
    let after = client
        .describe_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.dataset_group().unwrap().creation_date_time(),
        before.dataset_group().unwrap().creation_date_time()
    );
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().len(), 1);
    clock.advance(Duration::from_millis(1499)).unwrap();
    assert_eq!(group_status(&client, &group).await, "CREATE IN_PROGRESS");
    clock.advance(Duration::from_millis(1)).unwrap();
    assert_eq!(group_status(&client, &group).await, "ACTIVE");
    // The next resource continues the numbering: lists stay in creation order.
    create_schema(&client, "later", &interactions_schema()).await;
    let names: Vec<_> = client
        .list_schemas()
        .send()
        .await
        .unwrap()
        .schemas()
        .iter()
        .filter_map(|s| s.name().map(String::from))
        .collect();
    assert_eq!(names, ["clicks", "later"]);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_corrupt_state_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, "{not json").unwrap();
    let started = personalize_emulator::RunningEmulator::start(
        EmulatorConfig {
            state_file: Some(path.clone()),
            ..EmulatorConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await;
    let err = started.err().expect("refused").to_string();
    assert!(err.contains("state.json"), "{err}");
}

#[tokio::test]
async fn reset_empties_the_account_and_the_counters() {
    let emu = start(instant()).await;
    let client = emu.client();
    create_group(&client, "retail").await;
    assert_eq!(emu.stats().await.unwrap().mutating_requests(), 1);
    emu.reset().await.unwrap();
    assert!(client
        .list_dataset_groups()
        .send()
        .await
        .unwrap()
        .dataset_groups()
        .is_empty());
    let stats = emu.stats().await.unwrap();
    assert_eq!(stats.mutating_requests(), 0);
    assert_eq!(stats.requests_to("ListDatasetGroups"), 1);
}
