//! Building the Personalize client pzr uses: the standard AWS config chain,
//! optional endpoint override, and the SDK's retries of throttling and server
//! errors (`LimitExceededException` is pzr's own to retry: see `limits`).

use std::time::Duration;

use aws_sdk_personalize::config::retry::RetryConfig;
use aws_sdk_personalize::Client;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};

/// Where to connect and as whom.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// Builds a client from the AWS config chain (environment, profiles, SSO, web
/// identity, IMDS), honouring `AWS_ENDPOINT_URL_PERSONALIZE`/`AWS_ENDPOINT_URL`.
pub async fn connect(connection: &Connection) -> Client {
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
    client_from(&sdk_config)
}

/// A client for `sdk_config` with pzr's retry policy.
pub fn client_from(sdk_config: &aws_config::SdkConfig) -> Client {
    let config = aws_sdk_personalize::config::Builder::from(sdk_config)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(10)
                .with_initial_backoff(Duration::from_millis(50))
                .with_max_backoff(Duration::from_secs(5)),
        )
        .retry_classifier(LimitsAreRetriedByPzr)
        .build();
    Client::from_conf(config)
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
