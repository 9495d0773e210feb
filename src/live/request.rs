//! The one request path: every Personalize request pzr makes, read or
//! action, goes through [`Personalize::send`], which waits its turn at the
//! run's pacer, sends, names the operation in its error and retries a
//! `LimitExceededException` under the policy (`limits`). The value carries
//! its pacer (kube-rs's client carrying its retry layer is the model), so a
//! task it is moved into, spawned or not, is paced with the rest of the run.

use std::error::Error as StdError;
use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;

use aws_sdk_personalize::Client;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::client::Endpoint;
use super::error::LiveError;
use super::limits::{LimitRetry, Pacer};

/// Personalize as pzr calls it: the SDK client, how refused requests are
/// retried, and the pace every request waits for. Clones share the pacer.
/// It carries the S3 client that lists what imports read (`data`), a
/// service apart with its own limits, so not paced here.
#[derive(Debug, Clone)]
pub struct Personalize {
    client: Client,
    data: aws_sdk_s3::Client,
    /// STS, asked which account the credentials are of.
    identity: aws_sdk_sts::Client,
    /// Where Personalize requests go.
    endpoint: Endpoint,
    retry: LimitRetry,
    pacer: Arc<Pacer>,
}

impl Personalize {
    /// `client` under the default policy, with a pacer of its own capped at
    /// `max_rps` requests per second (`--max-rps`): one per run, never per
    /// process, so two runs never share a pace.
    pub fn new(config: &aws_config::SdkConfig, max_rps: Option<f64>) -> Personalize {
        Personalize {
            client: super::client_from(config),
            data: super::data_client_from(config),
            identity: aws_sdk_sts::Client::new(config),
            endpoint: Endpoint::of(config),
            retry: LimitRetry::default(),
            pacer: Arc::new(Pacer::new(max_rps)),
        }
    }

    /// The same client and pacer, retrying under `retry`.
    pub fn with_retry(&self, retry: LimitRetry) -> Personalize {
        Personalize {
            retry,
            ..self.clone()
        }
    }

    /// The account the credentials are of (STS `GetCallerIdentity`);
    /// `None` when STS does not answer (the plan then records none).
    pub async fn account(&self) -> Option<String> {
        let answer = self.identity.get_caller_identity().send().await;
        answer.ok()?.account().map(str::to_string)
    }

    /// The same, its requests going to `endpoint` (as `connect` found it:
    /// a service-specific variable is read by the client, not the config).
    pub fn at(self, endpoint: Endpoint) -> Personalize {
        Personalize { endpoint, ..self }
    }

    /// Where requests go, and whether that is overridden.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The S3 client of the data imports read.
    pub(super) fn data(&self) -> &aws_sdk_s3::Client {
        &self.data
    }

    pub(super) fn retry(&self) -> LimitRetry {
        self.retry
    }

    /// The region requests go to.
    pub fn region(&self) -> String {
        let region = self.client.config().region();
        region.map(|r| r.to_string()).unwrap_or_default()
    }

    /// Sends the request `request` makes about `resource` (an ARN or a
    /// name; `operation` and it name the request in its error), again for
    /// as long as the policy retries its refusals (`LimitRetry::run`). A
    /// paginated list is one request: it is paced, and retried from its
    /// first page, as a whole.
    pub(super) async fn send<T, E, R, F, Fut>(
        &self,
        operation: &'static str,
        resource: &str,
        request: F,
    ) -> Result<T, LiveError>
    where
        F: Fn(&Client) -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, R>>>,
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
        R: Debug + Send + Sync + 'static,
    {
        let call = || async {
            let answer = request(&self.client).await;
            answer.map_err(|e| LiveError::from_sdk(operation, resource, e))
        };
        self.retry.run(&self.pacer, call).await
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aws_sdk_personalize::operation::describe_dataset::DescribeDatasetError;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use tokio::time::Instant;

    use super::*;

    fn personalize(max_rps: Option<f64>) -> Personalize {
        let config = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        Personalize::new(&config, max_rps)
    }

    /// A request answered at once, without HTTP.
    async fn answered(p: &Personalize) {
        let ok = |_: &Client| async { Ok::<_, SdkError<DescribeDatasetError, HttpResponse>>(()) };
        p.send("DescribeDataset", "", ok).await.expect("answered");
    }

    #[tokio::test(start_paused = true)]
    async fn a_spawned_task_holding_a_clone_is_paced_by_the_same_pacer() {
        let p = personalize(Some(10.0));
        let start = Instant::now();
        let spawned = p.clone();
        let task = tokio::spawn(async move {
            for _ in 0..10 {
                answered(&spawned).await;
            }
        });
        for _ in 0..11 {
            answered(&p).await;
        }
        task.await.expect("the spawned task ends");
        // 21 requests at 10 a second between the two tasks: a pacer each
        // would have let them all through within one second.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn another_policy_keeps_the_pacer() {
        let p = personalize(Some(10.0));
        let quick = p.with_retry(LimitRetry::scaled(Duration::from_millis(5)));
        assert_eq!(quick.retry(), LimitRetry::scaled(Duration::from_millis(5)));
        let start = Instant::now();
        for _ in 0..10 {
            answered(&p).await;
            answered(&quick).await;
        }
        answered(&p).await;
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }
}
