//! The operations: their names, input members, and how each maps a request
//! body onto the model and the model's answer onto a response body.
//! Creates are described per kind in `creation`, lists and their page
//! tokens in `listing`, Describe's and List's shapes in `render`, what an
//! import job reads in `imports`.

mod creation;
mod imports;
mod listing;
mod render;

use creation::{create_members, creation, new_resource, parse_tags};
use listing::list;
pub(crate) use listing::{after, paged};
use render::render;

use std::sync::LazyLock;

use serde_json::{json, Map, Value};

use super::clock::Millis;
use super::error::ApiError;
use super::model::{MetricsUpdate, Model, Noun};
use super::recipe_listing;
use super::request_shape::{present, Member, Shape};
use super::s3::Buckets;
use personalize_facts::resource::Kind;

/// An emulated Personalize operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create(Noun),
    Describe(Noun),
    List(Noun),
    Delete(Noun),
    UpdateDataset,
    UpdateSolution,
    UpdateCampaign,
    UpdateRecommender,
    UpdateMetricAttribution,
    ListMetricAttributionMetrics,
    StopRecommender,
    StartRecommender,
    StopSolutionVersionCreation,
    DescribeRecipe,
    ListRecipes,
    TagResource,
    UntagResource,
    ListTagsForResource,
    /// An operation of the API model that the emulator does not implement.
    Unimplemented(&'static str),
}

/// The operations of botocore's API model (personalize-2018-05-22) that the
/// emulator does not implement. They answer HTTP 400 InvalidInputException
/// "The pzr emulator does not implement <Op>": every operation of the model
/// but ListDatasetGroups and ListSchemas (both emulated) declares
/// InvalidInputException, so each SDK decodes it as that operation's own
/// modelled error, and no SDK retries it. UnknownOperationException would
/// deny the operation exists, a 5xx would be retried, and ResourceNotFound
/// would mislead waiters.
const UNIMPLEMENTED: [&str; 15] = [
    "CreateBatchInferenceJob",
    "CreateBatchSegmentJob",
    "CreateDataDeletionJob",
    "CreateDatasetExportJob",
    "DescribeAlgorithm",
    "DescribeBatchInferenceJob",
    "DescribeBatchSegmentJob",
    "DescribeDataDeletionJob",
    "DescribeDatasetExportJob",
    "DescribeFeatureTransformation",
    "GetSolutionMetrics",
    "ListBatchInferenceJobs",
    "ListBatchSegmentJobs",
    "ListDataDeletionJobs",
    "ListDatasetExportJobs",
];

/// Every operation with its name (`X-Amz-Target: AmazonPersonalize.<name>`).
static OPERATIONS: LazyLock<Vec<(String, Operation)>> = LazyLock::new(|| {
    let mut all: Vec<(String, Operation)> = Noun::all()
        .flat_map(|k| {
            let name = k.info().api_noun;
            let mut ops = vec![
                (format!("Create{name}"), Operation::Create(k)),
                (format!("Describe{name}"), Operation::Describe(k)),
                (format!("List{name}s"), Operation::List(k)),
            ];
            if k.deletable() {
                ops.push((format!("Delete{name}"), Operation::Delete(k)));
            }
            ops
        })
        .collect();
    all.extend(
        [
            Operation::UpdateDataset,
            Operation::UpdateSolution,
            Operation::UpdateCampaign,
            Operation::UpdateRecommender,
            Operation::UpdateMetricAttribution,
            Operation::ListMetricAttributionMetrics,
            Operation::StopRecommender,
            Operation::StartRecommender,
            Operation::StopSolutionVersionCreation,
            Operation::DescribeRecipe,
            Operation::ListRecipes,
            Operation::TagResource,
            Operation::UntagResource,
            Operation::ListTagsForResource,
        ]
        .map(|op| (format!("{op:?}"), op)),
    );
    all.extend(
        UNIMPLEMENTED
            .iter()
            .map(|name| (name.to_string(), Operation::Unimplemented(name))),
    );
    all
});

impl Operation {
    pub fn from_name(name: &str) -> Option<Operation> {
        OPERATIONS
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, op)| *op)
    }

    pub fn name(self) -> &'static str {
        OPERATIONS
            .iter()
            .find(|(_, op)| *op == self)
            .map_or("", |(n, _)| n.as_str())
    }

    /// Whether the operation can change the account (and so the state file).
    pub fn mutates(self) -> bool {
        !matches!(
            self,
            Operation::Describe(_)
                | Operation::List(_)
                | Operation::DescribeRecipe
                | Operation::ListRecipes
                | Operation::ListTagsForResource
                | Operation::ListMetricAttributionMetrics
                | Operation::Unimplemented(_)
        )
    }

    /// The input members of the API model.
    pub fn members(self) -> Vec<Member> {
        use Shape::*;
        let arn_of = |k: Noun| Member::required(k.info().arn_member, Arn);
        match self {
            Operation::Create(k) => create_members(k),
            Operation::Describe(k) | Operation::Delete(k) => vec![arn_of(k)],
            Operation::List(k) => {
                let mut members = vec![
                    Member::optional("nextToken", NextToken),
                    Member::optional("maxResults", MaxResults),
                ];
                members.extend(
                    k.info()
                        .list_parent_member
                        .map(|p| Member::optional(p, Arn)),
                );
                members
            }
            Operation::UpdateDataset => vec![
                Member::required("datasetArn", Arn),
                Member::required("schemaArn", Arn),
            ],
            Operation::UpdateSolution => vec![
                arn_of(Kind::Solution.into()),
                Member::optional("performAutoTraining", Boolean),
                Member::optional("performIncrementalUpdate", Boolean),
                Member::optional("solutionUpdateConfig", Structure),
            ],
            Operation::UpdateCampaign => vec![
                arn_of(Kind::Campaign.into()),
                Member::optional("solutionVersionArn", Arn),
                Member::optional("minProvisionedTPS", TransactionsPerSecond),
                Member::optional("campaignConfig", Structure),
            ],
            Operation::UpdateRecommender => vec![
                arn_of(Kind::Recommender.into()),
                Member::required("recommenderConfig", Structure),
            ],
            // UpdateMetricAttributionRequest and
            // ListMetricAttributionMetricsRequest in botocore's model: even
            // the ARN is optional there.
            Operation::UpdateMetricAttribution => vec![
                Member::optional("metricAttributionArn", Arn),
                Member::optional("addMetrics", List),
                Member::optional("removeMetrics", List),
                Member::optional("metricsOutputConfig", MetricsOutput),
            ],
            Operation::ListMetricAttributionMetrics => vec![
                Member::optional("metricAttributionArn", Arn),
                Member::optional("nextToken", NextToken),
                Member::optional("maxResults", MaxResults),
            ],
            Operation::StopRecommender | Operation::StartRecommender => {
                vec![arn_of(Kind::Recommender.into())]
            }
            Operation::StopSolutionVersionCreation => vec![arn_of(Noun::SolutionVersion)],
            Operation::DescribeRecipe => vec![Member::required("recipeArn", Arn)],
            Operation::ListRecipes => vec![
                Member::optional("recipeProvider", RecipeProvider),
                Member::optional("nextToken", NextToken),
                Member::optional("maxResults", MaxResults),
                Member::optional("domain", Domain),
            ],
            Operation::Unimplemented(_) => Vec::new(),
            Operation::TagResource => vec![
                Member::required("resourceArn", Arn),
                Member::required("tags", Tags),
            ],
            Operation::UntagResource => vec![
                Member::required("resourceArn", Arn),
                Member::required("tagKeys", TagKeys),
            ],
            Operation::ListTagsForResource => vec![Member::required("resourceArn", Arn)],
        }
    }

    /// Runs the operation on a validated body; returns the response body.
    /// An import job reads its data from `buckets`.
    pub fn execute(
        self,
        model: &mut Model,
        buckets: &Buckets,
        now: Millis,
        body: &Value,
    ) -> Result<Value, ApiError> {
        model.settle(now);
        let empty = Map::new();
        let input = body.as_object().unwrap_or(&empty);
        let text = |name: &str| {
            present(input, name)
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        match self {
            Operation::Create(kind) => {
                let creation = creation(kind);
                let mut new = new_resource(kind, creation.members, input)?;
                if kind == Noun::DATASET_IMPORT_JOB {
                    new.imported = Some(imports::read(model, buckets, now, &new)?);
                }
                let created = model.create(now, kind, creation.rule, new)?;
                let mut out = Map::new();
                out.insert(
                    kind.info().arn_member.into(),
                    Value::from(created.arn.clone()),
                );
                for member in creation.echoed {
                    if let Some(v) = created.attrs.get(*member) {
                        out.insert(member.to_string(), v.clone());
                    }
                }
                Ok(Value::Object(out))
            }
            Operation::Describe(kind) => {
                let info = kind.info();
                let resource = model.describe(now, kind, text(info.arn_member))?;
                Ok(json!({ info.describe_member: render(model, now, resource, false) }))
            }
            Operation::List(kind) => list(model, now, kind, input),
            Operation::Delete(kind) => {
                model.delete(now, kind, text(kind.info().arn_member))?;
                Ok(json!({}))
            }
            Operation::UpdateDataset => {
                let dataset = model.update_dataset(now, text("datasetArn"), text("schemaArn"))?;
                Ok(json!({ "datasetArn": dataset.arn }))
            }
            Operation::UpdateSolution
            | Operation::UpdateCampaign
            | Operation::UpdateRecommender => {
                let kind = match self {
                    Operation::UpdateSolution => Kind::Solution,
                    Operation::UpdateCampaign => Kind::Campaign,
                    _ => Kind::Recommender,
                };
                let arn_member = kind.info().arn_member;
                let mut request = input.clone();
                request.remove(arn_member);
                let updated = model.update_child(now, kind, text(arn_member), request)?;
                Ok(json!({ arn_member: updated.arn }))
            }
            Operation::UpdateMetricAttribution => {
                let list = |member: &str| {
                    present(input, member)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                };
                let remove = list("removeMetrics");
                let request = MetricsUpdate {
                    add: list("addMetrics"),
                    remove: remove
                        .iter()
                        .filter_map(|n| n.as_str().map(String::from))
                        .collect(),
                    output: present(input, "metricsOutputConfig").cloned(),
                };
                let arn = text("metricAttributionArn");
                let updated = model.update_metric_attribution(now, arn, request)?;
                Ok(json!({ "metricAttributionArn": updated.arn }))
            }
            Operation::ListMetricAttributionMetrics => {
                let metrics =
                    model.metric_attribution_metrics(now, text("metricAttributionArn"))?;
                let start = after(input)?.map_or(0, |last| last + 1);
                let found = (0u64..)
                    .zip(metrics)
                    .skip(usize::try_from(start).unwrap_or(usize::MAX));
                Ok(paged(input, found, "metrics", |m| m))
            }
            Operation::StopRecommender | Operation::StartRecommender => {
                let arn = text("recommenderArn");
                model.stop_or_start_recommender(now, arn, self == Operation::StartRecommender)?;
                Ok(json!({ "recommenderArn": arn }))
            }
            Operation::DescribeRecipe => recipe_listing::describe(text("recipeArn")),
            Operation::ListRecipes => recipe_listing::list(input),
            Operation::StopSolutionVersionCreation => {
                model.stop_solution_version_creation(now, text("solutionVersionArn"))?;
                Ok(json!({}))
            }
            Operation::TagResource => {
                model.tag(now, text("resourceArn"), parse_tags(input)?)?;
                Ok(json!({}))
            }
            Operation::UntagResource => {
                let keys: Vec<String> = present(input, "tagKeys")
                    .and_then(Value::as_array)
                    .map(|keys| {
                        keys.iter()
                            .filter_map(|k| k.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                model.untag(now, text("resourceArn"), &keys)?;
                Ok(json!({}))
            }
            Operation::ListTagsForResource => {
                let tags = model.tags(now, text("resourceArn"))?;
                Ok(json!({ "tags": tags }))
            }
            Operation::Unimplemented(name) => Err(ApiError::invalid_input(format!(
                "The pzr emulator does not implement {name}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_round_trip() {
        assert_eq!(OPERATIONS.len(), 71, "as many as in botocore's model");
        for (name, op) in OPERATIONS.iter() {
            assert_eq!(Operation::from_name(name), Some(*op));
            assert_eq!(op.name(), name);
        }
        assert_eq!(
            Operation::from_name("ListFilters"),
            Some(Operation::List(Noun::Kind(Kind::Filter)))
        );
        assert_eq!(Operation::from_name("DeleteSolutionVersion"), None);
        assert_eq!(Operation::from_name("Nope"), None);
    }
}
