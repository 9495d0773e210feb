//! The command line's small parts: completions, the man page, help.

use std::process::Command;

use crate::support::files::repo;

fn pzr(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(args)
        .output()
        .expect("pzr runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out) = pzr(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(
            out.contains("pzr") && out.contains("drift") && out.contains("allow-destroy"),
            "{shell}: {out}"
        );
    }
}

#[test]
fn man_page_is_roff() {
    let (code, out) = pzr(&["man"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(".ie") || out.contains(".TH pzr"),
        "{}",
        &out[..out.len().min(200)]
    );
    assert!(out.contains("apply"));
}

#[test]
fn usage_errors_exit_nonzero_without_panicking() {
    let out = Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(["apply"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "clap usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--file"));
    let out = Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(["show", "/nonexistent/plan.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/plan.json"));
}

#[test]
fn missing_credentials_are_a_clear_json_error() {
    let dir = tempfile::tempdir().unwrap();
    let spec = repo("examples/retail.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(["--endpoint-url", "http://127.0.0.1:9", "plan", "-f"])
        .arg(&spec)
        .args(["--format", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["success"], false);
    assert_eq!(doc["error"]["code"], "CREDENTIALS");
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--sandbox"));
}

#[test]
fn global_flags_have_their_own_heading_and_format_says_what_it_does() {
    let (code, out) = pzr(&["plan", "--help"]);
    assert_eq!(code, 0);
    let (own, global) = out.split_once("Global options:").expect("a global heading");
    assert!(
        own.contains("--format <FORMAT>") && own.contains("How to print it"),
        "{out}"
    );
    assert!(
        !own.contains("--sandbox") && global.contains("--sandbox"),
        "{out}"
    );
    // validate has no Markdown form: refused, not printed as text.
    let (code, _) = pzr(&["validate", "-f", "x.yaml", "--format", "markdown"]);
    assert_eq!(code, 2);
    let (_, out) = pzr(&["emulator", "--help"]);
    let own = out.split("Global options:").next().unwrap_or_default();
    assert!(
        !own.contains("--profile") && !own.contains("--region"),
        "{out}"
    );
}
