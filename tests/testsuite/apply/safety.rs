//! Safety of saved plans and protected groups: a saved plan is applied only
//! where it was made (sandbox or not, region, endpoint, account), and a
//! group applied with `protect: true` stays protected by its
//! `pzr:protect=true` tag when the spec forgets it, until `protect: false`
//! is applied.

use personalize_emulator::EmulatorConfig;

use crate::support::account::{group_arn, tags_of};
use crate::support::env::{fast, Env};

#[tokio::test(flavor = "multi_thread")]
async fn a_sandbox_plan_is_refused_against_an_endpoint_and_the_reverse() {
    let env = Env::new().await;
    let spec = env.arg("custom.yaml");
    let (sandbox_plan, endpoint_plan) = (env.arg("sandbox.json"), env.arg("endpoint.json"));
    let saved = env
        .pzr(&["--sandbox", "plan", "-f", &spec, "-o", &sandbox_plan])
        .await
        .expect(0);
    assert!(
        saved
            .stderr
            .contains("apply it with `pzr --sandbox --region us-west-2 apply"),
        "the hint repeats the flags the plan needs: {}",
        saved.stderr
    );
    let refused = env
        .pzr(&["apply", &sandbox_plan, "--auto-approve"])
        .await
        .expect(1);
    assert!(
        refused.stderr.contains(
            "this plan was made against the sandbox in us-west-2, not account 111122223333"
        ) && refused
            .stderr
            .contains("`pzr --sandbox --region us-west-2 apply PLAN.json`"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        group_arn(&env.client, "offers-prod").await,
        None,
        "nothing applied"
    );

    env.pzr(&["plan", "-f", &spec, "-o", &endpoint_plan])
        .await
        .expect(0);
    let refused = env
        .pzr(&["--sandbox", "apply", &endpoint_plan, "--auto-approve"])
        .await
        .expect(1);
    assert!(
        refused
            .stderr
            .contains("this plan was made against account 111122223333 in us-west-2 at http://")
            && refused.stderr.contains("not the sandbox"),
        "{}",
        refused.stderr
    );
    // Where it was made, it applies.
    env.pzr(&["apply", &endpoint_plan, "--auto-approve"])
        .await
        .expect(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_for_one_account_is_refused_against_another() {
    let a = Env::new().await;
    let b = Env::with(EmulatorConfig {
        account_id: "444455556666".into(),
        ..fast()
    })
    .await;
    let spec = a.arg("custom.yaml");
    let plan = a.arg("a.json");
    a.pzr(&["plan", "-f", &spec, "-o", &plan]).await.expect(0);
    let refused = b.pzr(&["apply", &plan, "--auto-approve"]).await.expect(1);
    assert!(
        refused.stderr.contains("made against account 111122223333")
            && refused.stderr.contains("not account 444455556666")
            && refused
                .stderr
                .contains("with the credentials of account 111122223333"),
        "{}",
        refused.stderr
    );
    assert_eq!(group_arn(&b.client, "offers-prod").await, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_protected_group_forgotten_by_the_spec_stays_protected_until_protect_false_is_applied() {
    let env = Env::new().await;
    let spec = env.arg("retail.yaml");
    env.pzr(&["apply", "-f", &spec, "--auto-approve"])
        .await
        .expect(0);
    let group = group_arn(&env.client, "retail-prod")
        .await
        .expect("the group");
    assert_eq!(
        tags_of(&env.client, &group)
            .await
            .get("pzr:protect")
            .map(String::as_str),
        Some("true")
    );

    // Forgotten: the stack alone. Refused, even with --allow-destroy.
    let empty = env.write("empty.yaml", "version: 1\nstack: retail-prod\n");
    let empty = empty.to_str().expect("path");
    let refused = env
        .pzr(&["apply", "-f", empty, "--auto-approve", "--allow-destroy"])
        .await
        .expect(1);
    assert!(
        refused.stdout.contains("pzr:protect=true") || refused.stderr.contains("pzr:protect=true"),
        "{}\n{}",
        refused.stdout,
        refused.stderr
    );
    assert!(
        group_arn(&env.client, "retail-prod").await.is_some(),
        "not deleted"
    );

    // `protect: false` applied lifts it; then the delete goes through.
    let unprotected = env.retail_unprotected();
    env.apply_text("unprotected.yaml", &unprotected, &[])
        .await
        .expect(0);
    assert_eq!(tags_of(&env.client, &group).await.get("pzr:protect"), None);
    env.pzr(&["apply", "-f", empty, "--auto-approve", "--allow-destroy"])
        .await
        .expect(0);
    assert_eq!(group_arn(&env.client, "retail-prod").await, None);
}
