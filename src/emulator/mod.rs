//! Emulator (placeholder until the emulator branch lands).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub region: String,
    pub create_delay: Duration,
    pub delete_delay: Duration,
    pub state_file: Option<PathBuf>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        todo!()
    }
}

pub struct RunningEmulator;

impl RunningEmulator {
    pub async fn start(
        _: EmulatorConfig,
        _: SocketAddr,
    ) -> Result<RunningEmulator, std::io::Error> {
        todo!()
    }
    pub fn endpoint_url(&self) -> String {
        todo!()
    }
    pub async fn shutdown(self) {}
}
