//! Under a request-rate limit pzr paces itself to the limit it learns
//! instead of retrying into it: a plan and an apply of several groups
//! complete, and few calls are refused.

use std::fmt::Write as _;

use pzr::emulator::EmulatorConfig;

use crate::support::env::{fast, Env};
use crate::support::stats::{calls_since, refused_since};

const GROUPS: usize = 3;
/// Refusals a process may meet while it learns the limit.
const BURST: u64 = 8;

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
async fn plan_and_apply_complete_under_five_requests_a_second() {
    let env = Env::with(EmulatorConfig {
        max_tps: Some(5),
        max_dataset_groups: GROUPS,
        ..fast()
    })
    .await;
    let spec = env.write("paced.yaml", &spec());
    let spec = spec.to_str().expect("utf-8 path");

    let before = env.stats().await;
    env.pzr(&["plan", "-f", spec]).await.expect(0);
    let planned = env.stats().await;
    let refused = refused_since(&before, &planned);
    // Each process starts unpaced and learns the limit from its first
    // refusals: at most a burst (reads go eight at once) is refused, then
    // the pace holds.
    assert!(refused <= BURST, "plan: {refused} calls refused");

    let run = env
        .pzr(&["apply", "-f", spec, "--auto-approve"])
        .await
        .expect(0);
    let applied = env.stats().await;
    let refused = refused_since(&planned, &applied);
    assert!(
        refused <= BURST,
        "apply: {refused} of {} calls refused\n{}",
        calls_since(&planned, &applied),
        run.stderr
    );
    env.pzr(&["plan", "-f", spec, "--detailed-exitcode"])
        .await
        .expect(0);
}
