//! Resources pzr does not own, made by the apply tests to prove that pzr
//! never touches them.

use std::collections::BTreeMap;

use aws_sdk_personalize::Client;

use super::account::{tag, tags_of, wait_group_status};
use super::env::Env;

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
/// by another stack. Lets them become ACTIVE (so their own life cycle does
/// not move them: on a manual clock by advancing it, on the system clock by
/// waiting out the millisecond delay) and returns their state.
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
    if env.manual_clock() {
        env.settle();
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
