//! `--sandbox`: the emulator in-process on a loopback port, backed by a
//! state file, so every command works with no AWS account.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Error;
use personalize_emulator::{EmulatorConfig, RunningEmulator};

pub(super) struct Sandbox {
    emulator: RunningEmulator,
    region: String,
}

impl Sandbox {
    /// The sandbox of `state_file` in `region` (the emulator's default,
    /// us-east-1, when none is given), its S3 serving `buckets` (name ->
    /// local directory). An emulator is one region, as a Personalize
    /// endpoint is: another region's account is kept beside
    /// `state_file`, in `<stem>-<region>.json`.
    pub(super) async fn start(
        state_file: &Path,
        region: Option<String>,
        buckets: BTreeMap<String, PathBuf>,
    ) -> Result<Sandbox, Error> {
        let default_region = EmulatorConfig::default().region;
        let region = region.unwrap_or_else(|| default_region.clone());
        let state_file = &state_file_of(state_file, &region, &default_region);
        // Run from another directory, the default `.pzr/sandbox.json` is
        // another account: say so rather than show an empty one silently.
        if !state_file.exists() {
            let shown = std::path::absolute(state_file).unwrap_or_else(|_| state_file.into());
            tracing::warn!(
                "the sandbox starts an empty account: its state file {} does not exist yet \
                 (the state is per directory; --sandbox-state names another file)",
                shown.display()
            );
        }
        if let Some(dir) = state_file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|error| Error::SandboxDir {
                dir: dir.to_path_buf(),
                error,
            })?;
        }
        let config = EmulatorConfig {
            // Short but visible, so a newcomer sees the ordering and the progress.
            create_delay: Duration::from_millis(1000),
            delete_delay: Duration::from_millis(500),
            training_delay: Duration::from_secs(1),
            state_file: Some(state_file.to_path_buf()),
            buckets,
            region,
            ..EmulatorConfig::default()
        };
        let region = config.region.clone();
        let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let emulator = RunningEmulator::start(config, listen)
            .await
            .map_err(|error| Error::SandboxStart { error })?;
        Ok(Sandbox { emulator, region })
    }

    pub(super) fn endpoint_url(&self) -> String {
        self.emulator.endpoint_url()
    }

    pub(super) fn region(&self) -> &str {
        &self.region
    }

    pub(super) async fn stop(self) {
        self.emulator.shutdown().await;
    }
}

/// The state file of the sandbox in `region`: `state_file` for the
/// emulator's default region, `<stem>-<region>.<ext>` beside it for others.
fn state_file_of(state_file: &Path, region: &str, default_region: &str) -> PathBuf {
    if region == default_region {
        return state_file.to_path_buf();
    }
    let stem = state_file.file_stem().unwrap_or_default().to_string_lossy();
    let name = match state_file.extension() {
        Some(ext) => format!("{stem}-{region}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{region}"),
    };
    state_file.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_region_keeps_its_account_beside_the_state_file() {
        let file = Path::new(".pzr/sandbox.json");
        assert_eq!(state_file_of(file, "us-east-1", "us-east-1"), file);
        assert_eq!(
            state_file_of(file, "us-west-2", "us-east-1"),
            Path::new(".pzr/sandbox-us-west-2.json")
        );
    }
}
