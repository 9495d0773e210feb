//! `pzr` as a process for what needs no account (`validate`): run from the
//! repository, with AWS settings that reach nothing, so a test fails if a
//! command consults them.

use std::process::{Command, Output};

/// Runs `pzr args...` in the repository's directory.
pub fn pzr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("AWS_PROFILE")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .expect("run pzr")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
