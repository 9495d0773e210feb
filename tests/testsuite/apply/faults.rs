//! Apply converges through throttling, server errors and a request-rate limit.

use std::time::Duration;

use aws_sdk_personalize::config::retry::RetryConfig;
use aws_sdk_personalize::Client;
use personalize_emulator::{EmulatorConfig, Stats};

use crate::support::account::{datasets_of, group_arn};
use crate::support::clock::until;
use crate::support::env::{assert_converged, fast, frozen, Env};
use crate::support::stats::refused_since;
use crate::support::unowned::{assert_untouched, unowned_groups};

/// Creates the video example (then deletes it, if `delete`) under `config`'s
/// faults; each apply must succeed on its first run and leave nothing to do.
async fn converges_under(config: EmulatorConfig, delete: bool) -> Stats {
    let mut env = Env::with(config).await;
    // The test's own calls face the same faults: give them pzr's patience.
    env.client = Client::from_conf(
        env.client
            .config()
            .to_builder()
            .retry_config(RetryConfig::standard().with_max_attempts(10))
            .build(),
    );
    // On a manual clock (the rate limit's), the clock ticks all along: each
    // of its seconds is a new window of requests.
    let mut ticker = env.manual_clock().then(|| env.ticker());
    let unowned = unowned_groups(&env).await;
    let spec = env.path("video.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    let apply = ["apply", "-f", spec, "--auto-approve"];
    let run = match ticker.take() {
        None => env.pzr(&apply).await,
        Some(running) => {
            // Except from the apply's start until pzr is refused for the
            // rate: the limit is hit whatever the machine's speed.
            running.stop().await;
            let refused = async {
                until("pzr is refused for the rate", || async {
                    env.stats().await.rejected_with("LimitExceededException") > 0
                })
                .await;
                env.ticker()
            };
            let (run, running) = tokio::join!(env.pzr(&apply), refused);
            ticker = Some(running);
            run
        }
    };
    run.expect(0);
    assert_converged(&env, spec).await;
    let datasets = datasets_of(&env.client, "video-prod").await;
    assert_eq!(datasets.len(), 3, "{datasets:?}");
    assert!(datasets.iter().all(|d| d.2 == "ACTIVE"), "{datasets:?}");
    if !delete {
        assert_untouched(&env, &unowned).await;
        if let Some(running) = ticker {
            running.stop().await;
        }
        return ordered(env.stats().await);
    }

    let empty = env.write("empty.yaml", "version: 1\nstack: video-prod\n");
    let empty = empty.to_str().expect("utf-8 path");
    env.pzr(&["apply", "-f", empty, "--auto-approve", "--allow-destroy"])
        .await
        .expect(0);
    assert_converged(&env, empty).await;
    assert_eq!(group_arn(&env.client, "video-prod").await, None);
    assert_untouched(&env, &unowned).await;
    ordered(env.stats().await)
}

/// Asserts the ordering rule held: the only refusals were injected faults.
fn ordered(stats: Stats) -> Stats {
    let refused = refused_since(&Stats::default(), &stats);
    assert_eq!(
        refused,
        stats.throttled + stats.injected_errors,
        "refusals beyond the injected faults: {stats:?}"
    );
    stats
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_converges_under_throttling_and_server_errors() {
    let stats = converges_under(
        EmulatorConfig {
            throttle_rate: 0.2,
            error_rate: 0.05,
            seed: Some(5),
            ..fast()
        },
        true,
    )
    .await;
    assert!(stats.throttled > 0, "faults were injected: {stats:?}");
    assert!(stats.injected_errors > 0, "faults were injected: {stats:?}");
}

/// Creation only: at 5 requests a second a delete as well would take seconds more.
#[tokio::test(flavor = "multi_thread")]
async fn apply_converges_under_a_request_rate_limit() {
    let stats = converges_under(
        EmulatorConfig {
            max_tps: Some(5),
            // Life cycles of a second: the clock ticks in tenths, so a
            // window passes in a few real milliseconds once pzr was refused.
            create_delay: Duration::from_secs(1),
            delete_delay: Duration::from_secs(1),
            ..frozen()
        },
        false,
    )
    .await;
    assert!(
        stats.rejected_with("LimitExceededException") > 0,
        "the limit was hit: {stats:?}"
    );
}
