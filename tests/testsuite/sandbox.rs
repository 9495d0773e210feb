//! `--sandbox` with no AWS configuration at all: empty HOME, no AWS_* variables.

use std::path::Path;
use std::process::Command;

use crate::support::files::copy_examples;

fn pzr(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", &home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("PZR_POLL_INTERVAL", "50ms")
        .output()
        .expect("pzr runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn sandbox_apply_then_plan_and_drift_with_no_aws_setup() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(&dir.path().join("examples"));
    let (code, out, err) = pzr(
        dir.path(),
        &[
            "--sandbox",
            "apply",
            "-f",
            "examples/retail.yaml",
            "--auto-approve",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // Three schemas, the group, three datasets and their imports, its
    // event tracker, two filters and two recommenders (one created, then
    // stopped): counted as the plan counts them.
    assert!(out.contains("Plan: 15 to create"), "{out}");
    assert!(
        err.contains("the sandbox starts an empty account: its state file")
            && err.contains(".pzr/sandbox.json does not exist yet"),
        "{err}"
    );
    assert!(err.contains("Apply complete: 15 done"), "{err}");
    assert!(
        dir.path().join(".pzr/sandbox.json").is_file(),
        "state file written"
    );

    let (code, out, err) = pzr(
        dir.path(),
        &[
            "--sandbox",
            "plan",
            "-f",
            "examples/retail.yaml",
            "--detailed-exitcode",
        ],
    );
    assert_eq!(code, 0, "state persisted between commands:\n{out}\n{err}");
    assert!(out.contains("No changes"), "{out}");
    assert!(!err.contains("empty account"), "{err}");

    let (code, out, _) = pzr(
        dir.path(),
        &[
            "--sandbox",
            "drift",
            "-f",
            "examples/retail.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["inSync"], true);

    // What applications are wired with: the tracker's trackingId among the ARNs.
    let (code, out, err) = pzr(
        dir.path(),
        &[
            "--sandbox",
            "output",
            "-f",
            "examples/retail.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let resources = doc["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 12, "{out}");
    let tracker = resources
        .iter()
        .find(|r| r["address"] == "eventTracker.retail-prod")
        .expect("the tracker");
    assert!(
        tracker["trackingId"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{out}"
    );
    assert!(resources
        .iter()
        .any(|r| r["address"] == "filter.retail-prod.not-purchased" && r["status"] == "ACTIVE"));

    // Another state file is another account.
    let (code, _, _) = pzr(
        dir.path(),
        &[
            "--sandbox",
            "--sandbox-state",
            "other.json",
            "plan",
            "-f",
            "examples/retail.yaml",
            "--detailed-exitcode",
        ],
    );
    assert_eq!(code, 2);
}

/// The custom example's campaign waits for its solution's first version:
/// deferred by the first apply (which exits 0), created by a later one once
/// the sandbox's automatic training (1 s) has made a version ACTIVE.
#[test]
fn sandbox_defers_a_campaign_until_its_solution_is_trained() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(&dir.path().join("examples"));
    let apply = [
        "--sandbox",
        "apply",
        "-f",
        "examples/custom.yaml",
        "--auto-approve",
    ];
    let (code, _, err) = pzr(dir.path(), &apply);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("deferred: create campaign.offers-prod.next-best-action.main"),
        "{err}"
    );
    let started = std::time::Instant::now();
    loop {
        let (code, _, err) = pzr(dir.path(), &apply);
        assert_eq!(code, 0, "{err}");
        if !err.contains("deferred:") {
            assert!(
                err.contains("create campaign.offers-prod.next-best-action.main: done"),
                "{err}"
            );
            break;
        }
        assert!(started.elapsed().as_secs() < 30, "never trained: {err}");
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let plan = [
        "--sandbox",
        "plan",
        "-f",
        "examples/custom.yaml",
        "--detailed-exitcode",
    ];
    let (code, out, _) = pzr(dir.path(), &plan);
    assert_eq!(code, 0, "a newer version is not drift: {out}");
}
