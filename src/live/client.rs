//! Building the Personalize client pzr uses: the standard AWS config chain,
//! optional endpoint override, and the SDK's retries of throttling and server
//! errors (`LimitExceededException` is pzr's own to retry: see `limits`).

use std::time::{Duration, Instant};

use aws_sdk_personalize::config::retry::RetryConfig;
use aws_sdk_personalize::Client;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef, InterceptorContext,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// Where to connect and as whom.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// Loads the AWS config chain (environment, profiles, SSO, web identity,
/// IMDS) for `connection`, and says where Personalize requests go, honouring
/// `AWS_ENDPOINT_URL_PERSONALIZE`/`AWS_ENDPOINT_URL`.
pub async fn connect(connection: &Connection) -> (aws_config::SdkConfig, Endpoint) {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(profile) = &connection.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &connection.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(url) = &connection.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let sdk_config = loader.load().await;
    let mut endpoint = Endpoint::of(&sdk_config);
    // The service-specific variable is read by the service's config, not
    // into `SdkConfig`; an explicit --endpoint-url wins over it.
    if let (None, Ok(url)) = (
        &connection.endpoint_url,
        std::env::var("AWS_ENDPOINT_URL_PERSONALIZE"),
    ) {
        endpoint.url = url;
        endpoint.custom = true;
    }
    (sdk_config, endpoint)
}

/// A client for `sdk_config` with pzr's retry policy.
pub fn client_from(sdk_config: &aws_config::SdkConfig) -> Client {
    let config = aws_sdk_personalize::config::Builder::from(sdk_config)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(max_attempts())
                .with_initial_backoff(Duration::from_millis(50))
                .with_max_backoff(Duration::from_secs(5)),
        )
        .retry_classifier(LimitsAreRetriedByPzr)
        .interceptor(CallLog)
        .build();
    Client::from_conf(config)
}

/// Attempts per call for throttling, server errors and unreachable
/// endpoints: 10, or `AWS_MAX_ATTEMPTS` as every AWS SDK reads it (the
/// retry settings set here would otherwise hide it).
fn max_attempts() -> u32 {
    std::env::var("AWS_MAX_ATTEMPTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(10)
}

/// The SDK's standard retry classifier counts `LimitExceededException` as
/// throttling (`THROTTLING_ERRORS` in aws-runtime's
/// `retries/classifiers.rs`), so it would retry it within the SDK's attempts,
/// with no bound on the total time and sharing the retry quota with
/// everything else; and Personalize uses that code for quotas too, which no
/// retry clears. pzr retries it itself, after its own policy
/// (`limits::LimitRetry`), and then says what it may be: this classifier
/// runs after the SDK's and forbids the SDK's retry of it.
#[derive(Debug)]
struct LimitsAreRetriedByPzr;

impl ClassifyRetry for LimitsAreRetriedByPzr {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(body) = ctx.response().and_then(|r| r.body().bytes()) else {
            return RetryAction::NoActionIndicated;
        };
        if String::from_utf8_lossy(body).contains("LimitExceededException") {
            RetryAction::RetryForbidden
        } else {
            RetryAction::NoActionIndicated
        }
    }

    fn name(&self) -> &'static str {
        "pzr::LimitsAreRetriedByPzr"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// Where a client sends its requests and for which region: for messages
/// about a call that got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub region: String,
    /// Set by --endpoint-url or AWS_ENDPOINT_URL*, not derived from the region.
    pub custom: bool,
}

impl Endpoint {
    pub fn of(sdk_config: &aws_config::SdkConfig) -> Endpoint {
        let region = sdk_config
            .region()
            .map(|r| r.to_string())
            .unwrap_or_default();
        match sdk_config.endpoint_url() {
            Some(url) => Endpoint {
                url: url.to_string(),
                region,
                custom: true,
            },
            // The SDK's endpoint rules for the aws partition (FIPS and
            // dual-stack differ; those users know their endpoint).
            None => Endpoint {
                url: format!("https://personalize.{region}.amazonaws.com"),
                region,
                custom: false,
            },
        }
    }
}

/// The regions where Amazon Personalize is offered, from
/// https://docs.aws.amazon.com/general/latest/gr/personalize.html. Used only
/// to explain an endpoint that does not answer: a region added later still
/// works, it just gets the generic hint.
pub const PERSONALIZE_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "cn-north-1",
    "eu-central-1",
    "eu-west-1",
];

/// Logs each call (`-v`): operation, outcome, duration and the SDK's
/// retries. It sees only the operation's name and the HTTP status, never
/// the request, so no credential, signature or token can reach the log.
#[derive(Debug)]
struct CallLog;

/// When the call began, kept in the call's config bag.
#[derive(Debug, Clone, Copy)]
struct CallStart(Instant);

impl Storable for CallStart {
    type Storer = StoreReplace<CallStart>;
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "pzr::CallLog"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(CallStart(Instant::now()));
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = cfg.load::<Metadata>().map(Metadata::name).unwrap_or("?");
        let elapsed = cfg
            .load::<CallStart>()
            .map(|s| s.0.elapsed())
            .unwrap_or_default();
        let retries = cfg
            .load::<RequestAttempts>()
            .map(|a| a.attempts().saturating_sub(1))
            .unwrap_or(0);
        let status = context.response().map(|r| r.status().as_u16());
        let outcome = match (context.output_or_error(), status) {
            (Some(Ok(_)), _) => "ok".to_string(),
            (_, Some(status)) => format!("HTTP {status}"),
            (_, None) => "no answer".to_string(),
        };
        tracing::info!(
            target: "pzr::aws",
            "{operation}: {outcome} in {}ms, {retries} retries",
            elapsed.as_millis()
        );
        Ok(())
    }
}
