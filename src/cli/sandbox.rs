//! `--sandbox`: the emulator in-process on a loopback port, backed by a
//! state file, so every command works with no AWS account.

use std::path::Path;
use std::time::Duration;

use super::Failure;
use personalize_emulator::{EmulatorConfig, RunningEmulator};

pub struct Sandbox {
    emulator: RunningEmulator,
    region: String,
}

impl Sandbox {
    pub async fn start(state_file: &Path) -> Result<Sandbox, Failure> {
        if let Some(dir) = state_file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                Failure::new(
                    "ERROR",
                    anyhow::anyhow!("cannot create {}: {e}", dir.display()),
                )
            })?;
        }
        let config = EmulatorConfig {
            // Short but visible, so a newcomer sees the ordering and the progress.
            create_delay: Duration::from_millis(1000),
            delete_delay: Duration::from_millis(500),
            training_delay: Duration::from_secs(1),
            state_file: Some(state_file.to_path_buf()),
            ..EmulatorConfig::default()
        };
        let region = config.region.clone();
        let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let emulator = RunningEmulator::start(config, listen).await.map_err(|e| {
            Failure::new(
                "ERROR",
                anyhow::anyhow!("cannot start the sandbox emulator: {e}"),
            )
        })?;
        Ok(Sandbox { emulator, region })
    }

    pub fn endpoint_url(&self) -> String {
        self.emulator.endpoint_url()
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub async fn stop(self) {
        self.emulator.shutdown().await;
    }
}
