//! Connecting to Personalize for a command: the AWS config chain, an
//! explicit endpoint, or the in-process sandbox emulator. `run` is the one
//! place a command connects, calls, disconnects and explains a
//! failed call.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[cfg(feature = "emulator")]
use super::sandbox::Sandbox;
use super::Error;
use crate::live::{self, Connection, Personalize};
use crate::spec::Spec;

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
    sandbox: Option<Sandbox>,
}

/// What a command's spec says of where it runs: its `region`, which applies
/// unless the target overrides it, and the local directories of its
/// buckets, which the sandbox's S3 serves (`sandbox.buckets`).
#[derive(Debug, Clone, Default)]
pub(super) struct Place {
    pub region: Option<String>,
    pub buckets: BTreeMap<String, PathBuf>,
}

impl Place {
    pub fn of(spec: &Spec) -> Place {
        Place {
            region: spec.file.region.clone(),
            buckets: spec.sandbox_buckets.clone(),
        }
    }
}

/// Connects for a spec (or plan) at `place`; runs `call`; disconnects,
/// flushing the sandbox's state; and explains a failed Personalize call.
pub(super) async fn run<T>(
    target: &Target,
    place: Place,
    call: impl AsyncFnOnce(&Personalize) -> Result<T, Error>,
) -> Result<T, Error> {
    let session = Session::open(target, place).await?;
    let result = call(&session.client).await;
    let endpoint = session.client.endpoint().clone();
    session.close().await;
    result.map_err(|e| e.explain(&endpoint))
}

impl Session {
    async fn open(target: &Target, place: Place) -> Result<Session, Error> {
        // --region over the spec's `region`.
        let region = target.region.clone().or(place.region);
        if let Some(state_file) = &target.sandbox {
            return Session::open_sandbox(target, state_file, region, place.buckets).await;
        }
        let connection = Connection {
            profile: target.profile.clone(),
            region,
            endpoint_url: target.endpoint_url.clone(),
        };
        let (config, endpoint) = live::connect(&connection).await;
        if config.region().is_none() {
            return Err(Error::NoRegion);
        }
        Ok(Session {
            client: Personalize::new(&config, target.max_rps).at(endpoint),
            sandbox: None,
        })
    }

    #[cfg(feature = "emulator")]
    async fn open_sandbox(
        target: &Target,
        state_file: &Path,
        region: Option<String>,
        buckets: BTreeMap<String, PathBuf>,
    ) -> Result<Session, Error> {
        let sandbox = Sandbox::start(state_file, region, buckets).await?;
        // Nothing from the environment: the sandbox works with no AWS setup.
        let config = personalize_emulator::sdk_config(&sandbox.endpoint_url(), sandbox.region());
        Ok(Session {
            client: Personalize::new(&config, target.max_rps),
            sandbox: Some(sandbox),
        })
    }

    #[cfg(not(feature = "emulator"))]
    async fn open_sandbox(
        _: &Target,
        _: &Path,
        _: Option<String>,
        _: BTreeMap<String, PathBuf>,
    ) -> Result<Session, Error> {
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

/// Where `client` (connected for `target`) sends its requests, as a saved
/// plan records it. A sandbox's endpoint is a new port each run: not
/// recorded.
pub(super) async fn origin(target: &Target, client: &Personalize) -> crate::plan::Origin {
    let sandbox = target.sandbox.is_some();
    crate::plan::Origin {
        sandbox,
        endpoint: (client.endpoint().custom && !sandbox).then(|| client.endpoint().url.clone()),
        account: client.account().await,
    }
}
