//! Connecting to Personalize for a command: the AWS config chain, an
//! explicit endpoint, or the in-process sandbox emulator.

use aws_sdk_personalize::Client;

use super::{Failure, GlobalArgs};
use crate::emulator;
use crate::live::{self, Connection};

/// A connected client, and the sandbox emulator behind it when there is one
/// (kept alive for the command's duration).
pub struct Session {
    pub client: Client,
    sandbox: Option<super::sandbox::Sandbox>,
}

impl Session {
    /// Connects for a spec whose `region` (if any) applies unless `--region` overrides it.
    pub async fn open(global: &GlobalArgs, spec_region: Option<&str>) -> Result<Session, Failure> {
        if global.sandbox {
            let sandbox = super::sandbox::Sandbox::start(&global.sandbox_state).await?;
            // Nothing from the environment: the sandbox works with no AWS setup.
            let config = emulator::sdk_config(&sandbox.endpoint_url(), sandbox.region());
            let client = live::client_from(&config);
            return Ok(Session {
                client,
                sandbox: Some(sandbox),
            });
        }
        let connection = Connection {
            profile: global.profile.clone(),
            region: global
                .region
                .clone()
                .or_else(|| spec_region.map(str::to_string)),
            endpoint_url: global.endpoint_url.clone(),
        };
        let client = live::connect(&connection).await;
        if client.config().region().is_none() {
            return Err(Failure::new(
                "CREDENTIALS",
                anyhow::anyhow!(
                    "no AWS region: set `region:` in the spec, pass --region, or set AWS_REGION"
                ),
            ));
        }
        Ok(Session {
            client,
            sandbox: None,
        })
    }

    /// Stops the sandbox, if any, flushing its state.
    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.stop().await;
        }
    }
}

/// Maps a Personalize failure to the JSON envelope's code.
pub fn aws_failure(err: live::LiveError) -> Failure {
    if err.is_credentials() {
        let hint = "configure AWS credentials (environment, --profile, SSO, web identity, IMDS), or try pzr with --sandbox";
        let error = anyhow::Error::new(err).context(format!("no usable AWS credentials: {hint}"));
        return Failure::new("CREDENTIALS", error);
    }
    Failure::new("AWS_ERROR", err)
}
