//! A first training refused by the Region's quota on trainings in progress
//! (20, limits.html) is deferred, not retried: the apply completes and says
//! so, and a later apply, once a training has ended, starts it.

use crate::support::account::{
    create_dataset, create_group, create_schema, create_solution, create_solution_version,
    interactions_schema,
};
use crate::support::env::{frozen, Env};
use crate::support::stats::refused_since;

/// Personalize's "Total number of pending or in progress solution versions".
const TRAININGS_QUOTA: usize = 20;
/// Solutions per dataset group (limits.html).
const SOLUTIONS_PER_GROUP: usize = 10;

/// A custom group with a solution trained by hand; with `campaign`, the
/// campaign that makes pzr train it.
fn spec(env: &Env, campaign: bool) -> String {
    let mut spec = env.custom_datasets_only();
    spec.push_str(
        "    solutions:\n      ranked:\n        recipe: aws-user-personalization-v2\n        training: {automatic: false}\n",
    );
    if campaign {
        spec.push_str("        campaigns:\n          main: {minProvisionedTPS: 1}\n");
    }
    spec
}

/// Fills the Region's training quota with another team's trainings, which
/// stand still on the frozen clock.
async fn fill_the_training_quota(env: &Env) {
    let schema = create_schema(&env.client, "others", &interactions_schema()).await;
    let mut solutions = Vec::new();
    for g in 0..TRAININGS_QUOTA.div_ceil(SOLUTIONS_PER_GROUP) {
        let group = create_group(&env.client, &format!("others-{g}")).await;
        env.settle();
        create_dataset(
            &env.client,
            &format!("others-{g}-events"),
            &group,
            &schema,
            "Interactions",
        )
        .await;
        env.settle();
        for s in 0..SOLUTIONS_PER_GROUP {
            let name = format!("others-{g}-{s}");
            let recipe = "arn:aws:personalize:::recipe/aws-user-personalization-v2";
            solutions.push(create_solution(&env.client, &name, &group, recipe, Some(false)).await);
        }
    }
    env.settle();
    for solution in solutions.iter().take(TRAININGS_QUOTA) {
        create_solution_version(&env.client, solution).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_training_over_the_quota_is_deferred_and_a_later_apply_starts_it() {
    let env = Env::with(frozen()).await;
    // The solution first, untrained: without a campaign pzr trains nothing.
    env.apply_text("spec.yaml", &spec(&env, false), &[])
        .await
        .expect(0);
    fill_the_training_quota(&env).await;

    // Nothing moves the clock from here: no training ends, and the apply
    // does not wait for one.
    env.write("spec.yaml", &spec(&env, true));
    let s0 = env.stats().await;
    let deferred = env
        .pzr(&["apply", "-f", &env.arg("spec.yaml"), "--auto-approve"])
        .await
        .expect(0);
    let s1 = env.stats().await;
    let err = &deferred.stderr;
    assert!(
        err.contains(
            "deferred: train solution.offers-prod.ranked: Personalize did not start the training"
        ) && err.contains("a later apply starts it once a training in progress ends"),
        "{err}"
    );
    assert!(
        err.contains("Apply complete") && err.contains("1 deferred"),
        "{err}"
    );
    // Refused once, not retried into the quota.
    let sent = |s: &personalize_emulator::Stats| s.requests.get("CreateSolutionVersion").copied();
    assert_eq!(
        (sent(&s0), sent(&s1)),
        (Some(20), Some(21)),
        "{:?}",
        s1.requests
    );
    assert_eq!(refused_since(&s0, &s1), 1, "{:?}", s1.rejected);

    // The plan still shows the training to do.
    let plan = env
        .pzr(&["plan", "-f", &env.arg("spec.yaml"), "--detailed-exitcode"])
        .await
        .expect(2);
    assert!(
        plan.stdout
            .contains("trains a first version of solution offers-prod-ranked"),
        "{}",
        plan.stdout
    );

    // A deferral is not an error: with -q (only errors) apply says nothing.
    let quiet = env
        .pzr(&["-q", "apply", "-f", &env.arg("spec.yaml"), "--auto-approve"])
        .await
        .expect(0);
    assert_eq!(quiet.stderr, "", "-q printed on stderr");
    let s1 = env.stats().await;

    // Once the other trainings end, the next apply starts it.
    env.settle();
    let started = env
        .pzr(&["apply", "-f", &env.arg("spec.yaml"), "--auto-approve"])
        .await
        .expect(0);
    assert!(
        started
            .stderr
            .contains("train solution.offers-prod.ranked: done"),
        "{}",
        started.stderr
    );
    assert!(
        !started.stderr.contains("deferred: train"),
        "{}",
        started.stderr
    );
    let s2 = env.stats().await;
    assert_eq!(refused_since(&s1, &s2), 0, "{:?}", s2.rejected);
}
