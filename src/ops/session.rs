//! Connecting to Personalize for a command: the AWS config chain, an
//! explicit endpoint, or the in-process sandbox emulator. `run` is the one
//! place a command connects, calls, disconnects and explains a
//! failed call.

use std::path::{Path, PathBuf};

#[cfg(feature = "emulator")]
use super::sandbox::Sandbox;
use super::Error;
use crate::live::{self, Connection, Endpoint, Personalize};

/// Where a command sends its requests (the global flags).
#[derive(Debug, Clone)]
pub struct Target {
    pub profile: Option<String>,
    /// Overrides the spec's region and the AWS config chain's.
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// The state file of the in-process emulator to run against, instead of AWS.
    pub sandbox: Option<PathBuf>,
    /// Most requests per second to send (`--max-rps`): the one pacer of
    /// the command's requests.
    pub max_rps: Option<f64>,
}

/// A connected client, and the sandbox emulator behind it when there is one
/// (kept alive for the command's duration).
struct Session {
    client: Personalize,
    /// Where the client sends its requests, for messages about failures.
    endpoint: Endpoint,
    sandbox: Option<Sandbox>,
}

/// Connects for a spec (or plan) whose `region`, if any, applies unless the
/// target overrides it; runs `call`; disconnects, flushing the sandbox's
/// state; and explains a failed Personalize call.
pub(super) async fn run<T>(
    target: &Target,
    region: Option<&str>,
    call: impl AsyncFnOnce(&Personalize) -> Result<T, Error>,
) -> Result<T, Error> {
    let session = Session::open(target, region).await?;
    let result = call(&session.client).await;
    let endpoint = session.endpoint.clone();
    session.close().await;
    result.map_err(|e| e.explain(&endpoint))
}

impl Session {
    async fn open(target: &Target, region: Option<&str>) -> Result<Session, Error> {
        if let Some(state_file) = &target.sandbox {
            return Session::open_sandbox(target, state_file).await;
        }
        let connection = Connection {
            profile: target.profile.clone(),
            region: target.region.clone().or_else(|| region.map(str::to_string)),
            endpoint_url: target.endpoint_url.clone(),
        };
        let (client, endpoint) = live::connect(&connection).await;
        if client.config().region().is_none() {
            return Err(Error::NoRegion);
        }
        Ok(Session {
            client: Personalize::new(client, target.max_rps),
            endpoint,
            sandbox: None,
        })
    }

    #[cfg(feature = "emulator")]
    async fn open_sandbox(target: &Target, state_file: &Path) -> Result<Session, Error> {
        let sandbox = Sandbox::start(state_file).await?;
        // Nothing from the environment: the sandbox works with no AWS setup.
        let config = personalize_emulator::sdk_config(&sandbox.endpoint_url(), sandbox.region());
        Ok(Session {
            client: Personalize::new(live::client_from(&config), target.max_rps),
            endpoint: Endpoint::of(&config),
            sandbox: Some(sandbox),
        })
    }

    #[cfg(not(feature = "emulator"))]
    async fn open_sandbox(_: &Target, _: &Path) -> Result<Session, Error> {
        Err(Error::NoSandbox)
    }

    /// Stops the sandbox, if any, flushing its state.
    async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.stop().await;
        }
    }
}

/// A pzr built without the emulator has no sandbox to start.
#[cfg(not(feature = "emulator"))]
enum Sandbox {}

#[cfg(not(feature = "emulator"))]
impl Sandbox {
    async fn stop(self) {
        match self {}
    }
}
