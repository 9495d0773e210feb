//! Personalize's rules for creating each kind of resource: names unique per
//! kind, parents that exist and are ACTIVE, schemas that suit their dataset,
//! the dataset group quota, and ARNs shaped like AWS's.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::noun::Noun;
use super::record::Resource;
use super::serving_updates::{check_schedule, with_defaults};
use super::tagging::check_new_tags;
use super::{Model, NewResource};
use crate::clock::Millis;
use crate::error::{ApiError, ErrorCode};
use personalize_facts::avro;
use personalize_facts::resource::{DatasetType, Domain, Kind};
use personalize_facts::rules;
use personalize_facts::rules::filter::{self, DatasetSchema};

/// One kind's own rules for a Create, run by `Model::create`.
pub type CreateRule =
    for<'m> fn(&'m mut Model, Millis, NewResource) -> Result<&'m Resource, ApiError>;

impl Model {
    /// Runs a Create of `kind`: the rules every kind shares (tags, for the
    /// kinds that have them), then `rule`, the kind's own.
    pub fn create(
        &mut self,
        now: Millis,
        kind: impl Into<Noun>,
        rule: CreateRule,
        new: NewResource,
    ) -> Result<&Resource, ApiError> {
        let kind = kind.into();
        if kind.info().taggable {
            check_new_tags(&new.tags)?;
        }
        self.check_account_limit(now, kind)?;
        rule(self, now, new)
    }

    pub fn create_schema(&mut self, now: Millis, new: NewResource) -> Result<&Resource, ApiError> {
        let parsed = avro::parse(&text_attr(&new, "schema"))
            .map_err(|e| ApiError::invalid_input(format!("Invalid schema: {e}")))?;
        // What CreateSchema can know without a dataset type (see `rules`).
        refuse(rules::check_schema(&parsed), "Invalid schema")?;
        self.ensure_name_free(now, Kind::Schema, &new.name)?;
        let arn = self.arn(Kind::Schema, &new.name);
        Ok(self.insert(now, Kind::Schema, arn, new, None))
    }

    pub fn create_dataset_group(
        &mut self,
        now: Millis,
        new: NewResource,
    ) -> Result<&Resource, ApiError> {
        if new.attrs.contains_key("kmsKeyArn") != new.attrs.contains_key("roleArn") {
            return Err(ApiError::invalid_input(
                "kmsKeyArn and roleArn must be given together or not at all",
            ));
        }
        self.ensure_name_free(now, Kind::DatasetGroup, &new.name)?;
        // Those being deleted no longer count (nor do those gone, which were).
        let groups = self.index.undeleted(Kind::DatasetGroup.into());
        if groups >= self.rules.max_dataset_groups {
            return Err(ApiError::new(
                ErrorCode::LimitExceeded,
                format!(
                    "The account already has {groups} dataset groups, the quota in this Region ({}); delete one or request a quota increase",
                    self.rules.max_dataset_groups
                ),
            ));
        }
        let arn = self.arn(Kind::DatasetGroup, &new.name);
        Ok(self.insert(now, Kind::DatasetGroup, arn, new, None))
    }

    /// CreateDataset; `new.attrs` holds `datasetGroupArn`, `schemaArn`, `datasetType`.
    pub fn create_dataset(&mut self, now: Millis, new: NewResource) -> Result<&Resource, ApiError> {
        let attr = |k: &str| text_attr(&new, k);
        let (group_arn, schema_arn, type_text) = (
            attr("datasetGroupArn"),
            attr("schemaArn"),
            attr("datasetType"),
        );
        let dataset_type = DatasetType::from_api(&type_text)
            .ok_or_else(|| ApiError::invalid_input(format!("Invalid datasetType {type_text}")))?;
        let group = self.describe(now, Kind::DatasetGroup, &group_arn)?;
        let schema = self.describe(now, Kind::Schema, &schema_arn)?;
        check_schema_fits(group, schema, dataset_type)?;
        self.ensure_name_free(now, Kind::Dataset, &new.name)?;
        let id = format!("{}/{}", group.name, dataset_type.as_api().to_uppercase());
        let arn = self.arn(Kind::Dataset, &id);
        if self.live_at(now, &arn).is_some() {
            return Err(ApiError::new(
                ErrorCode::ResourceAlreadyExists,
                format!(
                    "The dataset group already has a dataset of type {}",
                    dataset_type.as_api()
                ),
            ));
        }
        self.active_parent(now, Kind::DatasetGroup, &group_arn)?;
        // `datasetType` stays as given: the API takes it in any case
        // (CreateDataset's docs: "One of the following (case insensitive)
        // values") and Describe echoes what was sent.
        Ok(self.insert(now, Kind::Dataset, arn, new, Some(group_arn)))
    }

    /// CreateEventTracker, CreateFilter, CreateSolution, CreateRecommender:
    /// children of an ACTIVE dataset group named by `attrs.datasetGroupArn`.
    /// A recommender trains as it is created: it ends CREATE FAILED if the
    /// group's data falls short of its use case's (`training_data`).
    pub fn create_group_child(
        &mut self,
        now: Millis,
        kind: Kind,
        mut new: NewResource,
    ) -> Result<&Resource, ApiError> {
        let group_arn = text_attr(&new, "datasetGroupArn");
        let group = self.describe(now, Kind::DatasetGroup, &group_arn)?;
        if kind == Kind::Recommender && group.domain().is_none() {
            return Err(ApiError::invalid_input(
                "Recommenders need a domain dataset group",
            ));
        }
        if matches!(kind, Kind::Solution | Kind::Recommender) {
            let domain = group.domain().and_then(Domain::from_api);
            Model::check_recipe(kind, domain, &new.attrs)?;
            if let Some(auto) = new
                .attrs
                .get("solutionConfig")
                .and_then(|c| c.get("autoTrainingConfig"))
            {
                check_schedule(auto)?;
            }
            with_defaults(kind, &mut new.attrs);
        }
        self.ensure_name_free(now, kind, &new.name)?;
        self.active_parent(now, Kind::DatasetGroup, &group_arn)?;
        // One per group, for the kinds Personalize allows one of: "Only one
        // event tracker can be associated with a dataset group. You will get
        // an error if you call CreateEventTracker using the same dataset
        // group as an existing event tracker."
        // (https://docs.aws.amazon.com/personalize/latest/dg/API_CreateEventTracker.html);
        // "You can create at most one metric attribution per dataset group."
        // (https://docs.aws.amazon.com/personalize/latest/dg/metric-attribution-requirements.html)
        // Neither page names the error; ResourceAlreadyExistsException, as for
        // a second dataset of one type, tells a client the one is there (and
        // LimitExceededException would be retried as a passing limit).
        if kind.info().one_per_group {
            if let Some(one) = self.children(now, kind, &group_arn).next() {
                return Err(ApiError::new(
                    ErrorCode::ResourceAlreadyExists,
                    format!(
                        "The dataset group {group_arn} already has a {}: {}",
                        kind.label(),
                        one.arn
                    ),
                ));
            }
        }
        if kind == Kind::Filter {
            self.check_filter_expression(now, &group_arn, &text_attr(&new, "filterExpression"))?;
        }
        if kind == Kind::MetricAttribution {
            let metrics = new.attrs.get("metrics").cloned().unwrap_or_default();
            self.check_metrics(now, &group_arn, &metrics)?;
        }
        self.check_group_limit(now, kind, &group_arn)?;
        let id = if kind == Kind::EventTracker {
            let digest = hex::encode(Sha256::digest(format!(
                "{}/{}",
                new.name, self.account.next_seq
            )));
            new.attrs
                .insert("trackingId".into(), Value::from(tracking_id(&digest)));
            new.attrs.insert(
                "accountId".into(),
                Value::from(self.rules.account_id.clone()),
            );
            digest[..8].to_string()
        } else {
            new.name.clone()
        };
        let shortfall = (kind == Kind::Recommender)
            .then(|| self.recommender_shortfall(now, &group_arn, &text_attr(&new, "recipeArn")))
            .flatten();
        let arn = self.arn(kind, &id);
        self.insert(now, kind, arn.clone(), new, Some(group_arn));
        Ok(self.fail_at_end(&arn, shortfall.map(|s| s.to_string())))
    }

    /// CreateFilter refuses an expression that breaks the filter grammar or
    /// names a field missing from the group's datasets as they are now
    /// ("Filter expression must follow specific format rules",
    /// https://docs.aws.amazon.com/personalize/latest/dg/API_CreateFilter.html;
    /// the rules and their pages are `rules::filter`'s).
    fn check_filter_expression(
        &self,
        now: Millis,
        group_arn: &str,
        expression: &str,
    ) -> Result<(), ApiError> {
        let schemas = self.group_schemas(now, group_arn);
        let errors = filter::check_filter(expression, |t| match schemas.get(&t) {
            None => DatasetSchema::Absent,
            Some(None) => DatasetSchema::Unknown,
            Some(Some(schema)) => DatasetSchema::Known(schema),
        });
        if errors.is_empty() {
            return Ok(());
        }
        let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
        Err(ApiError::invalid_input(format!(
            "Invalid filter expression: {}",
            reasons.join("; ")
        )))
    }

    /// The schema of each dataset in the group at `now` (`None`: unreadable).
    pub(super) fn group_schemas(
        &self,
        now: Millis,
        group_arn: &str,
    ) -> BTreeMap<DatasetType, Option<Value>> {
        self.children(now, Kind::Dataset, group_arn)
            .filter(|d| d.deleting_since.is_none())
            .filter_map(|d| {
                let t = DatasetType::from_api(d.attr("datasetType")?)?;
                let schema = d
                    .attr("schemaArn")
                    .and_then(|arn| self.describe(now, Kind::Schema, arn).ok())
                    .and_then(|s| avro::parse(s.attr("schema")?).ok());
                Some((t, schema))
            })
            .collect()
    }

    /// CreateCampaign: it deploys a solution version (`deployable_version`).
    /// The campaign belongs to the version's solution (ListCampaigns narrows
    /// by `solutionArn`).
    pub fn create_campaign(
        &mut self,
        now: Millis,
        mut new: NewResource,
    ) -> Result<&Resource, ApiError> {
        // "We recommend starting with 1 for minProvisionedTPS (the default)"
        // (https://docs.aws.amazon.com/personalize/latest/dg/API_CreateCampaign.html):
        // Describe shows it when it was not sent.
        new.attrs
            .entry("minProvisionedTPS")
            .or_insert(Value::from(1));
        let version_arn = text_attr(&new, "solutionVersionArn");
        let sync = syncs_with_latest(&new.attrs);
        let solution_arn = self.deployable_version(now, &version_arn, sync)?;
        self.ensure_name_free(now, Kind::Campaign, &new.name)?;
        let solution = self.active_parent(now, Kind::Solution, &solution_arn)?;
        let group_arn = solution.parent.clone().unwrap_or_default();
        self.check_group_limit(now, Kind::Campaign, &group_arn)?;
        let arn = self.arn(Kind::Campaign, &new.name);
        Ok(self.insert(now, Kind::Campaign, arn, new, Some(solution_arn)))
    }
}

/// Whether a campaign's `campaignConfig.syncWithLatestSolutionVersion` is true.
pub(super) fn syncs_with_latest(attrs: &Map<String, Value>) -> bool {
    attrs
        .get("campaignConfig")
        .and_then(|c| c.get("syncWithLatestSolutionVersion"))
        == Some(&Value::Bool(true))
}

/// A text member of a create request ("" when absent: validation has
/// already required the members each Create needs).
pub(super) fn text_attr(new: &NewResource, key: &str) -> String {
    new.attrs
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Checks that `schema` suits a dataset of `dataset_type` in `group`.
pub(super) fn check_schema_fits(
    group: &Resource,
    schema: &Resource,
    dataset_type: DatasetType,
) -> Result<(), ApiError> {
    if dataset_type.custom_only() && group.domain().is_some() {
        return Err(ApiError::invalid_input(format!(
            "{} datasets are only allowed in custom dataset groups",
            dataset_type.as_api()
        )));
    }
    if schema.domain() != group.domain() {
        return Err(ApiError::invalid_input(format!(
            "The schema's domain ({}) does not match the dataset group's domain ({})",
            schema.domain().unwrap_or("none"),
            group.domain().unwrap_or("none")
        )));
    }
    let parsed =
        avro::parse(schema.attr("schema").unwrap_or_default()).map_err(ApiError::invalid_input)?;
    let domain = group.domain().and_then(Domain::from_api);
    refuse(
        rules::check_dataset_schema(&parsed, domain, dataset_type),
        &format!(
            "The schema does not suit a {} dataset",
            dataset_type.as_api()
        ),
    )
}

/// InvalidInputException naming every broken rule, each with its field.
fn refuse(violations: Vec<rules::Violation>, lead: &str) -> Result<(), ApiError> {
    if violations.is_empty() {
        return Ok(());
    }
    let reasons: Vec<String> = violations.iter().map(|v| v.message.clone()).collect();
    Err(ApiError::invalid_input(format!(
        "{lead}: {}",
        reasons.join("; ")
    )))
}

/// A tracking ID shaped like AWS's (a UUID) from a hex digest.
fn tracking_id(hex: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
