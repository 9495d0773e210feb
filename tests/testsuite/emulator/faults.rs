//! Fault injection: throttling, server errors, the TPS limit, seeds.

use std::time::Duration;

use personalize_emulator::EmulatorConfig;

use crate::support::account::{create_schema, interactions_schema};
use crate::support::clock::manual;
use crate::support::emulator::{code, fast_retry, instant, no_retry, start};

#[tokio::test]
async fn throttle_rate_answers_throttling_exception() {
    let emu = start(EmulatorConfig {
        throttle_rate: 1.0,
        ..instant()
    })
    .await;
    let client = no_retry(&emu.client());
    let result = client.list_dataset_groups().send().await;
    assert_eq!(code(result), "ThrottlingException");
    // The admin routes are never throttled.
    let stats = emu.stats().await.unwrap();
    assert_eq!(stats.throttled, 1);
    assert_eq!(stats.requests_to("ListDatasetGroups"), 1);
    assert_eq!(stats.rejected_with("ThrottlingException"), 1);
}

#[tokio::test]
async fn error_rate_answers_http_500_which_the_sdk_retries() {
    let emu = start(EmulatorConfig {
        error_rate: 1.0,
        ..instant()
    })
    .await;
    let client = no_retry(&emu.client());
    let err = client.list_schemas().send().await.unwrap_err();
    let raw = err.raw_response().expect("an HTTP response");
    assert_eq!(raw.status().as_u16(), 500);
    assert_eq!(code(Err::<(), _>(err)), "InternalFailure");

    // With the default client, retries (3 attempts) are visible in the stats.
    let result = fast_retry(&emu.client()).list_schemas().send().await;
    assert!(result.is_err());
    let stats = emu.stats().await.unwrap();
    assert_eq!(stats.injected_errors, 4);
    assert_eq!(stats.requests_to("ListSchemas"), 4);
}

#[tokio::test]
async fn a_seed_makes_faults_repeatable_and_retries_absorb_them() {
    let config = || EmulatorConfig {
        throttle_rate: 0.2,
        error_rate: 0.2,
        seed: Some(7),
        ..instant()
    };
    let mut outcomes = Vec::new();
    for _ in 0..2 {
        let emu = start(config()).await;
        let client = no_retry(&emu.client());
        let mut run = Vec::new();
        for _ in 0..30 {
            let result = client.list_dataset_groups().send().await;
            run.push(result.err().map(|e| {
                use aws_sdk_personalize::error::ProvideErrorMetadata;
                e.code().unwrap_or_default().to_string()
            }));
        }
        outcomes.push(run);
    }
    assert_eq!(outcomes[0], outcomes[1]);
    let failures = outcomes[0].iter().flatten().count();
    assert!((3..=24).contains(&failures), "{failures} of 30 failed");

    // The standard retry of the SDK turns these faults into successes.
    let emu = start(config()).await;
    let client = fast_retry(&emu.client());
    for i in 0..10 {
        create_schema(&client, &format!("s{i}"), &interactions_schema()).await;
    }
    let stats = emu.stats().await.unwrap();
    assert!(stats.throttled + stats.injected_errors > 0, "{stats:?}");
    assert_eq!(
        stats.requests_to("CreateSchema") - stats.throttled - stats.injected_errors,
        10
    );
}

#[tokio::test]
async fn max_tps_answers_rate_exceeded() {
    let emu = start(EmulatorConfig {
        max_tps: Some(5),
        clock: manual(),
        ..instant()
    })
    .await;
    let client = no_retry(&emu.client());
    let mut limited = Vec::new();
    for _ in 0..20 {
        if let Err(e) = client.list_schemas().send().await {
            limited.push(e);
        }
    }
    // The clock stands still: 20 calls in one one-second window of 5.
    assert_eq!(limited.len(), 15);
    use aws_sdk_personalize::error::ProvideErrorMetadata;
    for e in &limited {
        assert_eq!(e.code(), Some("LimitExceededException"));
        assert_eq!(e.message(), Some("Rate exceeded"));
    }
    assert_eq!(emu.stats().await.unwrap().throttled, 15);
    // The next second is a new window.
    emu.clock().advance(Duration::from_secs(1)).unwrap();
    for _ in 0..5 {
        client
            .list_schemas()
            .send()
            .await
            .expect("within the new window");
    }
    let sixth = client.list_schemas().send().await;
    assert_eq!(code(sixth), "LimitExceededException");
}
