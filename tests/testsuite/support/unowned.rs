//! Helpers the `apply_*` tests share on top of `common`: resources pzr does
//! not own (to prove they are never touched), SDK-side waits and counts.
#![allow(dead_code)] // each test crate uses its own subset

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_personalize::Client;

use crate::support::env::{groups, tag, tags_of, Env};

/// What a test checks of a resource pzr must leave alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Untouched {
    pub name: String,
    pub arn: String,
    pub status: String,
    pub last_updated: Option<f64>,
    pub tags: BTreeMap<String, String>,
}

/// Creates two dataset groups pzr must never modify: one untagged, one owned
/// by another stack. Waits until they are ACTIVE (so their own life cycle does
/// not move them) and returns their state.
pub async fn unowned_groups(env: &Env) -> Vec<Untouched> {
    let specs = [
        ("legacy-untagged", None),
        ("other-team-recs", Some("other-stack")),
    ];
    let mut arns = Vec::new();
    for (name, stack) in specs {
        let mut create = env.client.create_dataset_group().name(name);
        if let Some(stack) = stack {
            create = create
                .tags(tag("pzr:stack", stack))
                .tags(tag("team", "other"));
        }
        let out = create.send().await.expect("create unowned group");
        arns.push(out.dataset_group_arn().expect("arn").to_string());
    }
    let mut snapshot = Vec::new();
    for arn in arns {
        wait_group_status(&env.client, &arn, "ACTIVE").await;
        snapshot.push(untouched(&env.client, &arn).await);
    }
    snapshot
}

/// Asserts that the unowned groups are exactly as they were.
pub async fn assert_untouched(env: &Env, before: &[Untouched]) {
    for b in before {
        let now = untouched(&env.client, &b.arn).await;
        assert_eq!(&now, b, "pzr modified a group it does not own");
    }
}

async fn untouched(client: &Client, arn: &str) -> Untouched {
    let out = client
        .describe_dataset_group()
        .dataset_group_arn(arn)
        .send()
        .await
        .expect("describe unowned group");
    let g = out.dataset_group().expect("group");
    Untouched {
        name: g.name().unwrap_or_default().to_string(),
        arn: arn.to_string(),
        status: g.status().unwrap_or_default().to_string(),
        last_updated: g.last_updated_date_time().map(|t| t.as_secs_f64()),
        tags: tags_of(client, arn).await,
    }
}

/// Polls a group until it has `status` (the emulator's delays are milliseconds).
pub async fn wait_group_status(client: &Client, arn: &str, status: &str) {
    for _ in 0..400 {
        let out = client
            .describe_dataset_group()
            .dataset_group_arn(arn)
            .send()
            .await
            .expect("describe group");
        if out.dataset_group().and_then(|g| g.status()) == Some(status) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("group {arn} never reached {status}");
}

/// (name, type, status) of each dataset of the group named `group`, sorted by type.
pub async fn datasets_of(client: &Client, group: &str) -> Vec<(String, String, String)> {
    let Some(arn) = crate::support::env::group_arn(client, group).await else {
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

/// How many dataset groups are named `name`.
pub async fn count_groups_named(client: &Client, name: &str) -> usize {
    groups(client).await.iter().filter(|g| g.0 == name).count()
}

/// Asserts that a plan of `spec` is empty (exit 0 with --detailed-exitcode).
pub async fn assert_converged(env: &Env, spec: &str) {
    env.pzr(&["plan", "-f", spec, "--detailed-exitcode"])
        .await
        .expect(0);
}
