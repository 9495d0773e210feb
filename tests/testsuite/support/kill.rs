//! `kill -9` at random moments of an apply, then the apply again: the loop
//! the interrupt tests share, each test giving its specs, spans and checks.

use std::path::Path;
use std::time::Duration;

use personalize_emulator::EmulatorConfig;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::clock::tick_until;
use super::env::{frozen, Env};
use super::stats::refused_since;

/// An env for [`kill_9_rounds`]: life cycles of 150ms (create) and 100ms
/// (delete) on a clock that moves only when the test advances it, so that
/// a kill lands at the emulator time the test chose.
pub async fn env() -> Env {
    Env::with(EmulatorConfig {
        create_delay: Duration::from_millis(150),
        delete_delay: Duration::from_millis(100),
        ..frozen()
    })
    .await
}

/// Applies each round's spec, the rounds in order and then once more, on
/// a manual clock: once the first step has started, the clock moves a
/// random part of the round's span (the emulator time its last life cycle
/// cannot end before) while pzr works, then pzr is killed (`kill -9`) and
/// run again with the clock ticking. The rerun must succeed with nothing
/// refused and pass `check(spec, expected, context)`, and every kill must
/// have left it work (what `snapshot` sees changed).
///
/// `KILL_SEED=n` tries other moments than `seed`; a failure names its seed
/// and round (in `context`).
pub async fn kill_9_rounds<P: AsRef<Path>, T, S: PartialEq>(
    env: &Env,
    seed: u64,
    rounds: &[(P, T, u64)],
    snapshot: impl AsyncFn() -> S,
    check: impl AsyncFn(&str, &T, &str),
) {
    let seed = std::env::var("KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(seed);
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut interrupted = 0;
    let total = 2 * rounds.len();
    for (round, (spec, expected, span)) in rounds.iter().cycle().take(total).enumerate() {
        let spec = spec.as_ref().to_str().expect("utf-8 path");
        let args = ["apply", "-f", spec, "--auto-approve", "--allow-destroy"];
        let spawned = env.spawn_until(&args, ": started").await;
        let after: u64 = rng.gen_range(0..*span);
        let clock = env.emulator.clock();
        tick_until(clock, Duration::from_millis(10), clock.now() + after).await;
        spawned.kill().await;
        let at_kill = snapshot().await;
        let s0 = env.stats().await;
        let run = env.pzr_ticking(&args).await;
        let context = format!("seed {seed}, round {round}, killed after {after}ms");
        assert_eq!(run.code, 0, "{context}\n{}\n{}", run.stdout, run.stderr);
        let s1 = env.stats().await;
        assert_eq!(
            refused_since(&s0, &s1),
            0,
            "{context}: {:?} -> {:?}\n{}",
            s0.rejected,
            s1.rejected,
            run.stderr
        );
        check(spec, expected, &context).await;
        if at_kill != snapshot().await {
            interrupted += 1;
        }
    }
    assert_eq!(
        interrupted, total,
        "seed {seed}: every kill lands before the apply could end, so the rerun had work left"
    );
}
