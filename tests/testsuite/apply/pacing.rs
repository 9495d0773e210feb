//! Under a request-rate limit pzr paces itself to the limit it learns
//! instead of retrying into it: a plan and an apply of several groups
//! complete, and few calls are refused. Scaled down from the 30
//! groups at 5 requests a second: 3 groups at 10.

use std::fmt::Write as _;

use personalize_emulator::EmulatorConfig;

use crate::support::env::{fast, Env};
use crate::support::stats::{calls_since, refused_since};

const GROUPS: usize = 3;
const MAX_TPS: u32 = 10;
/// Refusals a process may meet while it learns the limit, however many
/// calls it makes: the burst in flight that shows it (every group read at
/// once, each group's Describe and five lists at once: datasets, event
/// trackers, solutions, metric attributions, tags), the calls retried
/// until the service's second is over, and the paced call that confirms it.
const BURST: u64 = 27;

fn spec() -> String {
    let mut s = String::from(
        "version: 1\nstack: paced\nschemas:\n  interactions: {file: avro/offers-interactions.avsc}\ndatasetGroups:\n",
    );
    for g in 0..GROUPS {
        let _ = writeln!(
            s,
            "  - name: paced-{g}\n    datasets:\n      interactions: {{schema: interactions}}"
        );
    }
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_and_apply_complete_under_a_request_rate_limit() {
    let env = Env::with(EmulatorConfig {
        max_tps: Some(MAX_TPS),
        max_dataset_groups: GROUPS,
        ..fast()
    })
    .await;
    let spec = env.write("paced.yaml", &spec());
    let spec = spec.to_str().expect("utf-8 path");

    let before = env.stats().await;
    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let applied = env.stats().await;
    let refused = refused_since(&before, &applied);
    // The waits poll every 15ms: unpaced, the apply would meet the limit.
    assert!(refused > 0, "the limit was met");
    assert!(
        refused <= BURST,
        "apply: {refused} of {} calls refused\n{}",
        calls_since(&before, &applied),
        run.stderr
    );

    // Reading what it made: a burst of reads of every group.
    env.pzr(&["plan", "-f", spec, "--detailed-exitcode"])
        .await
        .expect(0);
    let planned = env.stats().await;
    let refused = refused_since(&applied, &planned);
    assert!(refused <= BURST, "plan: {refused} calls refused");
}
