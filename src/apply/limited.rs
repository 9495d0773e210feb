//! Every call apply makes, paced by the process's pacer and retried while
//! Personalize refuses it for a limit (`LimitRetry`): a step fails with a
//! limit only once the policy gives up.

use crate::live::{
    Actions, ChildConfig, ExistingChild, LimitRetry, LiveError, LiveStatus, SolutionVersion,
};
use crate::resource::{DatasetType, Domain, Kind, Tags};

/// `A`'s calls under `policy`.
pub(super) struct Limited<'a, A> {
    pub inner: &'a A,
    pub policy: LimitRetry,
}

impl<A: Actions> Actions for Limited<'_, A> {
    async fn create_schema(
        &self,
        name: &str,
        definition: &str,
        domain: Option<Domain>,
    ) -> Result<String, LiveError> {
        let call = || self.inner.create_schema(name, definition, domain);
        self.policy.run(call).await
    }

    async fn create_dataset_group(
        &self,
        name: &str,
        domain: Option<Domain>,
        kms_key_arn: Option<&str>,
        role_arn: Option<&str>,
        tags: &Tags,
    ) -> Result<(String, Option<Tags>), LiveError> {
        let call = || {
            self.inner
                .create_dataset_group(name, domain, kms_key_arn, role_arn, tags)
        };
        self.policy.run(call).await
    }

    async fn create_dataset(
        &self,
        name: &str,
        dataset_type: DatasetType,
        group_arn: &str,
        schema_arn: &str,
        tags: &Tags,
    ) -> Result<(String, Option<(String, Tags)>), LiveError> {
        let call = || {
            self.inner
                .create_dataset(name, dataset_type, group_arn, schema_arn, tags)
        };
        self.policy.run(call).await
    }

    async fn update_dataset(&self, arn: &str, schema_arn: &str) -> Result<(), LiveError> {
        let call = || self.inner.update_dataset(arn, schema_arn);
        self.policy.run(call).await
    }

    async fn create_child(
        &self,
        name: &str,
        parent_arn: &str,
        config: &ChildConfig,
        tags: &Tags,
    ) -> Result<(String, Option<ExistingChild>), LiveError> {
        let call = || self.inner.create_child(name, parent_arn, config, tags);
        self.policy.run(call).await
    }

    async fn update_child(
        &self,
        arn: &str,
        config: &ChildConfig,
        solution_version: Option<&str>,
    ) -> Result<(), LiveError> {
        let call = || self.inner.update_child(arn, config, solution_version);
        self.policy.run(call).await
    }

    async fn set_recommender_state(&self, arn: &str, running: bool) -> Result<(), LiveError> {
        let call = || self.inner.set_recommender_state(arn, running);
        self.policy.run(call).await
    }

    async fn create_solution_version(&self, solution_arn: &str) -> Result<String, LiveError> {
        // Paced, but a quota refusal is not retried: the quota is on
        // trainings in progress, which end in hours (see `step::train_once`).
        let once = LimitRetry {
            attempts: 1,
            ..self.policy
        };
        once.run(|| self.inner.create_solution_version(solution_arn))
            .await
    }

    async fn tag(&self, arn: &str, tags: &Tags) -> Result<(), LiveError> {
        self.policy.run(|| self.inner.tag(arn, tags)).await
    }

    async fn untag(&self, arn: &str, keys: &[String]) -> Result<(), LiveError> {
        self.policy.run(|| self.inner.untag(arn, keys)).await
    }

    async fn delete(&self, kind: Kind, arn: &str) -> Result<(), LiveError> {
        self.policy.run(|| self.inner.delete(kind, arn)).await
    }

    async fn status(&self, kind: Kind, arn: &str) -> Result<Option<LiveStatus>, LiveError> {
        self.policy.run(|| self.inner.status(kind, arn)).await
    }

    async fn solution_versions(
        &self,
        solution_arn: &str,
    ) -> Result<Vec<SolutionVersion>, LiveError> {
        let call = || self.inner.solution_versions(solution_arn);
        self.policy.run(call).await
    }

    async fn stop_solution_version_creation(&self, version_arn: &str) -> Result<(), LiveError> {
        let call = || self.inner.stop_solution_version_creation(version_arn);
        self.policy.run(call).await
    }
}
