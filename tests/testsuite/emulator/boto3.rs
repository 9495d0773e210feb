//! boto3 against the `pzr emulator` binary, which is then stopped with
//! SIGTERM and must exit cleanly with its state written. The emulator runs
//! on a manual clock that the script advances. When python3 or
//! boto3 is missing the test fails under CI (the `CI` variable set: `.ci/run`
//! installs boto3, so a missing one is a broken setup, not a pass) and
//! elsewhere is skipped with a notice.

use std::process::{Command, Stdio};

use crate::support::emulator::{spawn_pzr_emulator, terminate};

#[test]
fn boto3_works_against_pzr_emulator() {
    let has_boto3 = Command::new("python3")
        .args(["-c", "import boto3"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_boto3 {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 with boto3 is not installed, and CI is set: a second client must check the emulator in CI"
        );
        eprintln!("NOTICE: skipping boto3_works_against_pzr_emulator: python3 with boto3 is not installed (with CI set, this fails)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let bucket = dir.path().join("bucket");
    std::fs::create_dir(&bucket).unwrap();
    let bucket_arg = format!("data={}", bucket.display());
    let args = [
        "--create-delay",
        "150ms",
        "--delete-delay",
        "100ms",
        "--training-delay",
        "300ms",
        "--fail-update",
        "^py-doomed",
        "--manual-clock",
        "--bucket",
        &bucket_arg,
    ];
    let (mut emulator, endpoint) = spawn_pzr_emulator(&state, &args);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/boto3_emulator.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(&endpoint)
        .arg(&bucket)
        .output()
        .unwrap();
    let exit = terminate(&mut emulator);

    assert!(
        output.status.success(),
        "boto3 script failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "boto3 ok");
    assert!(exit.success(), "pzr emulator exits 0 on SIGTERM: {exit:?}");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    // 11 schemas, the group, the items and users datasets, and the
    // interactions dataset (DELETE PENDING: the clock stands still between
    // the script's advances); the import jobs with their datasets, the
    // filter, the solution, its versions and campaign, the recommender and
    // its ECOMMERCE group are gone.
    assert_eq!(saved["resources"].as_object().unwrap().len(), 15);
}

#[test]
fn pzr_emulator_prints_its_address_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let (mut emulator, endpoint) = spawn_pzr_emulator(&state, &[]);
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    let exit = terminate(&mut emulator);
    assert!(exit.success(), "{exit:?}");
}
