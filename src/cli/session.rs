//! Connecting to Personalize for a command: the AWS config chain, an
//! explicit endpoint, or the in-process sandbox emulator.

use super::{Failure, GlobalArgs};
use crate::live::{self, Connection, Endpoint, LiveError, Problem, PERSONALIZE_REGIONS};

/// A connected client, and the sandbox emulator behind it when there is one
/// (kept alive for the command's duration).
pub struct Session {
    /// The command's one pacer (`--max-rps`) goes with it.
    pub client: live::Personalize,
    /// Where the client sends its requests, for messages about failures.
    pub endpoint: Endpoint,
    sandbox: Option<super::sandbox::Sandbox>,
}

impl Session {
    /// Connects for a spec whose `region` (if any) applies unless `--region` overrides it.
    pub async fn open(global: &GlobalArgs, spec_region: Option<&str>) -> Result<Session, Failure> {
        if global.sandbox {
            let sandbox = super::sandbox::Sandbox::start(&global.sandbox_state).await?;
            // Nothing from the environment: the sandbox works with no AWS setup.
            let config =
                personalize_emulator::sdk_config(&sandbox.endpoint_url(), sandbox.region());
            let client = live::client_from(&config);
            return Ok(Session {
                client: live::Personalize::new(client, global.max_rps),
                endpoint: Endpoint::of(&config),
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
        let (client, endpoint) = live::connect(&connection).await;
        if client.config().region().is_none() {
            return Err(Failure::new(
                "CREDENTIALS",
                anyhow::anyhow!(
                    "no AWS region: set `region:` in the spec, pass --region, or set AWS_REGION"
                ),
            ));
        }
        Ok(Session {
            client: live::Personalize::new(client, global.max_rps),
            endpoint,
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

/// Maps a Personalize failure to what happened and what to do, with the
/// JSON envelope's code.
pub fn aws_failure(err: LiveError, endpoint: &Endpoint) -> Failure {
    let (code, advice) = match err.problem() {
        Problem::Credentials => (
            "CREDENTIALS",
            "no usable AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
             pass --profile (after `aws sso login` for SSO), or in CI assume a role by OIDC \
             (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE); or try pzr with --sandbox"
                .to_string(),
        ),
        Problem::AccessDenied { action } => (
            "ACCESS_DENIED",
            format!(
                "access denied: the AWS identity pzr runs as lacks the IAM permission `{action}`; \
                 add it to its policy (examples/gitops/iam-policy.json lists every action pzr calls)"
            ),
        ),
        Problem::Unreachable
            if !endpoint.custom && !PERSONALIZE_REGIONS.contains(&endpoint.region.as_str()) =>
        {
            (
                "UNKNOWN_REGION",
                format!(
                    "no answer from {}: Amazon Personalize is not offered in region `{}`; \
                     set `region:` in the spec, --region or AWS_REGION to one of {} \
                     (https://docs.aws.amazon.com/general/latest/gr/personalize.html)",
                    endpoint.url,
                    endpoint.region,
                    PERSONALIZE_REGIONS.join(", ")
                ),
            )
        }
        Problem::Unreachable => (
            "UNREACHABLE",
            format!(
                "cannot reach the Personalize endpoint {} (region `{}`): check the network \
                 and any proxy (HTTPS_PROXY), that the region is right{}",
                endpoint.url,
                endpoint.region,
                if endpoint.custom {
                    ", and the endpoint set by --endpoint-url or AWS_ENDPOINT_URL(_PERSONALIZE)"
                } else {
                    ""
                }
            ),
        ),
        Problem::LimitExceeded => return Failure::new("LIMIT_EXCEEDED", err),
        Problem::Other => return Failure::new("AWS_ERROR", err),
    };
    Failure::new(code, anyhow::Error::new(err).context(advice))
}
