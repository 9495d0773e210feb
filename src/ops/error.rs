//! Why a command did not do its job, each with the JSON envelope's code
//! (docs/commands.md, "JSON output and error codes"), so `cli` only maps them to output.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::read::StalePlan;
use crate::live::{Endpoint, LiveError, Problem, PERSONALIZE_REGIONS};
use crate::plan::{Plan, Refusal};
use crate::spec::SpecError;
#[cfg(feature = "emulator")]
use personalize_emulator::EmulatorError;

// An underlying error whose text is already in the message is not a
// `source` (no field is named so): people should not read it twice.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("cannot read {}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{} is not a plan pzr can apply: {error}", path.display())]
    NotAPlan {
        path: PathBuf,
        error: serde_json::Error,
    },
    #[error("give a spec (-f SPEC) or a saved plan (PLAN.json)")]
    NothingToApply,
    #[error("no AWS region: set `region:` in the spec, pass --region, or set AWS_REGION")]
    NoRegion,
    #[error("cannot create {}: {error}", dir.display())]
    SandboxDir { dir: PathBuf, error: std::io::Error },
    #[cfg(feature = "emulator")]
    #[error("cannot start the sandbox emulator: {error}")]
    SandboxStart { error: EmulatorError },
    #[cfg(not(feature = "emulator"))]
    #[error("this pzr was built without the sandbox emulator: build it with the cargo feature `emulator` (on by default)")]
    NoSandbox,
    /// A Personalize failure pzr knows what to do about.
    #[error("{advice}")]
    Aws {
        code: &'static str,
        advice: String,
        #[source]
        error: Box<LiveError>,
    },
    /// Any other Personalize failure (`session::run` explains the ones it can).
    #[error(transparent)]
    Live(Box<LiveError>),
    #[error(transparent)]
    Stale(#[from] StalePlan),
    /// The plan is refused; it is kept for the JSON envelope and for the
    /// people who read it before the refusal.
    #[error("{refusal}")]
    Refused { refusal: Refusal, plan: Box<Plan> },
    #[error("apply needs confirmation and stdin is not a terminal; pass --auto-approve")]
    NoOneToAsk,
    #[error("apply cancelled: the answer was `{answer}`, not `{expected}`; nothing was changed")]
    Cancelled { expected: String, answer: String },
    /// The question could not be asked or answered.
    #[error(transparent)]
    Prompt(std::io::Error),
}

// By hand, boxed: a `LiveError` would make every `Result` of ops large.
impl From<LiveError> for Error {
    fn from(error: LiveError) -> Error {
        Error::Live(Box::new(error))
    }
}

impl Error {
    /// The JSON envelope's `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Spec(_) | Error::NotAPlan { .. } => "VALIDATION_ERROR",
            Error::NoRegion => "CREDENTIALS",
            Error::Aws { code, .. } => code,
            Error::Live(e) => match e.problem() {
                Problem::LimitExceeded => "LIMIT_EXCEEDED",
                _ => "AWS_ERROR",
            },
            Error::Stale(_) => "STALE_PLAN",
            Error::Refused { refusal, .. } => refusal.code(),
            Error::NoOneToAsk | Error::Cancelled { .. } => "NOT_CONFIRMED",
            Error::Read { .. }
            | Error::NothingToApply
            | Error::SandboxDir { .. }
            | Error::Prompt(_) => "ERROR",
            #[cfg(feature = "emulator")]
            Error::SandboxStart { .. } => "ERROR",
            #[cfg(not(feature = "emulator"))]
            Error::NoSandbox => "ERROR",
        }
    }

    /// Each item as JSON, for the envelope's `details`.
    pub fn details(&self) -> Vec<Value> {
        match self {
            Error::Spec(e) => e.details(),
            Error::Stale(StalePlan::AccountMoved(moved)) => {
                moved.iter().map(|m| json!({"message": m})).collect()
            }
            Error::Refused { refusal, .. } => refusal.details(),
            _ => Vec::new(),
        }
    }

    /// Says what happened and what to do, when pzr knows, for a failure of
    /// a call to `endpoint`.
    pub(super) fn explain(self, endpoint: &Endpoint) -> Error {
        let Error::Live(error) = self else {
            return self;
        };
        let (code, advice) = match error.problem() {
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
                if !endpoint.custom
                    && !PERSONALIZE_REGIONS.contains(&endpoint.region.as_str()) =>
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
            Problem::LimitExceeded | Problem::Other => return Error::Live(error),
        };
        Error::Aws {
            code,
            advice,
            error,
        }
    }
}
