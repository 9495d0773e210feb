//! The operations: their names, input members, and how each maps a request
//! body onto the model and the model's answer onto a response body.

use std::sync::LazyLock;

use serde_json::{json, Map, Value};

use super::clock::Millis;
use super::error::{ApiError, ErrorCode};
use super::model::{epoch_seconds, CreateRule, Model, NewResource, Noun, Resource, Tag};
use super::recipes;
use super::validate::{present, Member, Shape};
use crate::resource::{Kind, Status};

/// Page size when the request gives no `maxResults`.
const DEFAULT_PAGE_SIZE: usize = 100;

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
const UNIMPLEMENTED: [&str; 24] = [
    "CreateBatchInferenceJob",
    "CreateBatchSegmentJob",
    "CreateDataDeletionJob",
    "CreateDatasetExportJob",
    "CreateDatasetImportJob",
    "CreateMetricAttribution",
    "DeleteMetricAttribution",
    "DescribeAlgorithm",
    "DescribeBatchInferenceJob",
    "DescribeBatchSegmentJob",
    "DescribeDataDeletionJob",
    "DescribeDatasetExportJob",
    "DescribeDatasetImportJob",
    "DescribeFeatureTransformation",
    "DescribeMetricAttribution",
    "GetSolutionMetrics",
    "ListBatchInferenceJobs",
    "ListBatchSegmentJobs",
    "ListDataDeletionJobs",
    "ListDatasetExportJobs",
    "ListDatasetImportJobs",
    "ListMetricAttributionMetrics",
    "ListMetricAttributions",
    "UpdateMetricAttribution",
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
            // There is no DeleteSolutionVersion: versions go with their solution.
            if k != Noun::SolutionVersion {
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

/// What one kind's Create takes and answers, and which of the model's rules
/// it runs.
struct Creation {
    /// Whether `name` is required (CreateSolutionVersion's is optional).
    name_required: bool,
    /// Input members besides `name` and (for taggable kinds) `tags`; they
    /// become the resource's attributes.
    members: &'static [Member],
    /// Members of the Create response besides the ARN, as its output shape
    /// declares them.
    echoed: &'static [&'static str],
    rule: CreateRule,
}

/// The emulator's one per-kind table: everything else that differs between
/// kinds is Personalize API data in `KindInfo`.
fn creation(kind: Noun) -> Creation {
    use Shape::*;
    let Noun::Kind(kind) = kind else {
        return Creation {
            name_required: false,
            members: const {
                &[
                    Member::required("solutionArn", Arn),
                    Member::optional("trainingMode", TrainingMode),
                ]
            },
            echoed: &[],
            rule: Model::create_solution_version,
        };
    };
    match kind {
        Kind::Schema => Creation {
            name_required: true,
            echoed: &[],
            members: const {
                &[
                    Member::required("schema", AvroSchema),
                    Member::optional("domain", Domain),
                ]
            },
            rule: Model::create_schema,
        },
        Kind::DatasetGroup => Creation {
            name_required: true,
            echoed: &["domain"],
            members: const {
                &[
                    Member::optional("roleArn", RoleArn),
                    Member::optional("kmsKeyArn", KmsKeyArn),
                    Member::optional("domain", Domain),
                ]
            },
            rule: Model::create_dataset_group,
        },
        Kind::Dataset => Creation {
            name_required: true,
            echoed: &[],
            members: const {
                &[
                    Member::required("schemaArn", Arn),
                    Member::required("datasetGroupArn", Arn),
                    Member::required("datasetType", DatasetType),
                ]
            },
            rule: Model::create_dataset,
        },
        Kind::EventTracker => Creation {
            name_required: true,
            echoed: &["trackingId"],
            members: const { &[Member::required("datasetGroupArn", Arn)] },
            rule: |model, now, new| model.create_group_child(now, Kind::EventTracker, new),
        },
        Kind::Filter => Creation {
            name_required: true,
            echoed: &[],
            members: const {
                &[
                    Member::required("datasetGroupArn", Arn),
                    Member::required("filterExpression", FilterExpression),
                ]
            },
            rule: |model, now, new| model.create_group_child(now, Kind::Filter, new),
        },
        Kind::Solution => Creation {
            name_required: true,
            echoed: &[],
            members: const {
                &[
                    Member::optional("performHPO", Boolean),
                    Member::optional("performAutoML", Boolean),
                    Member::optional("performAutoTraining", Boolean),
                    Member::optional("performIncrementalUpdate", Boolean),
                    Member::optional("recipeArn", Arn),
                    Member::required("datasetGroupArn", Arn),
                    Member::optional("eventType", EventType),
                    Member::optional("solutionConfig", Structure),
                ]
            },
            rule: |model, now, new| model.create_group_child(now, Kind::Solution, new),
        },
        Kind::Campaign => Creation {
            name_required: true,
            echoed: &[],
            members: const {
                &[
                    Member::required("solutionVersionArn", Arn),
                    Member::optional("minProvisionedTPS", TransactionsPerSecond),
                    Member::optional("campaignConfig", Structure),
                ]
            },
            rule: Model::create_campaign,
        },
        Kind::Recommender => Creation {
            name_required: true,
            echoed: &[],
            members: const {
                &[
                    Member::required("datasetGroupArn", Arn),
                    Member::required("recipeArn", Arn),
                    Member::optional("recommenderConfig", Structure),
                ]
            },
            rule: |model, now, new| model.create_group_child(now, Kind::Recommender, new),
        },
    }
}

/// A Create's input members: the name, the kind's own, and tags if it takes them.
fn create_members(kind: Noun) -> Vec<Member> {
    let creation = creation(kind);
    let mut members = vec![if creation.name_required {
        Member::required("name", Shape::Name)
    } else {
        Member::optional("name", Shape::Name)
    }];
    members.extend_from_slice(creation.members);
    if kind.info().taggable {
        members.push(Member::optional("tags", Shape::Tags));
    }
    members
}

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
    pub fn execute(self, model: &mut Model, now: Millis, body: &Value) -> Result<Value, ApiError> {
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
                let new = new_resource(creation.members, input)?;
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
            Operation::StopRecommender | Operation::StartRecommender => {
                let arn = text("recommenderArn");
                model.stop_or_start_recommender(now, arn, self == Operation::StartRecommender)?;
                Ok(json!({ "recommenderArn": arn }))
            }
            Operation::DescribeRecipe => recipes::describe(text("recipeArn")),
            Operation::ListRecipes => recipes::list(input, page_size(input)),
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

fn parse_tags(input: &Map<String, Value>) -> Result<Vec<Tag>, ApiError> {
    match present(input, "tags") {
        None => Ok(Vec::new()),
        Some(tags) => serde_json::from_value(tags.clone())
            .map_err(|e| ApiError::new(ErrorCode::Serialization, format!("Invalid tags: {e}"))),
    }
}

/// A create request as the model takes it: the kind's own `members` become
/// the resource's attributes.
fn new_resource(members: &[Member], input: &Map<String, Value>) -> Result<NewResource, ApiError> {
    let mut attrs = Map::new();
    for member in members {
        if let Some(value) = present(input, member.name) {
            attrs.insert(member.name.to_string(), value.clone());
        }
    }
    Ok(NewResource {
        name: present(input, "name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        attrs,
        tags: parse_tags(input)?,
    })
}

fn list(
    model: &Model,
    now: Millis,
    kind: Noun,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let after = match present(input, "nextToken").and_then(Value::as_str) {
        None => None,
        Some(token) => Some(decode_token(token).ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidNextToken, "The nextToken is not valid")
        })?),
    };
    let page_size = page_size(input);
    let info = kind.info();
    let parent = info
        .list_parent_member
        .and_then(|p| present(input, p))
        .and_then(Value::as_str);
    let found = model.list(now, kind, parent, after);
    let page = &found[..found.len().min(page_size)];
    let items: Vec<Value> = page.iter().map(|r| render(model, now, r, true)).collect();
    let mut out = json!({ info.list_member: items });
    if found.len() > page.len() {
        if let (Some(last), Some(o)) = (page.last(), out.as_object_mut()) {
            o.insert("nextToken".into(), Value::from(encode_token(last.seq)));
        }
    }
    Ok(out)
}

/// `maxResults`, or the default page size.
fn page_size(input: &Map<String, Value>) -> usize {
    present(input, "maxResults")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_PAGE_SIZE)
}

/// Page tokens name the last resource returned, so concurrent deletes never
/// shift a page.
pub(super) fn encode_token(seq: u64) -> String {
    hex::encode(format!("pzr1:{seq}"))
}

pub(super) fn decode_token(token: &str) -> Option<u64> {
    let bytes = hex::decode(token).ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix("pzr1:")?
        .parse()
        .ok()
}

/// Whether a List summary of `noun` (or a summary nested in a Describe)
/// carries `member`: the ARN, status and times always; `name` everywhere but
/// in SolutionVersionSummary; `failureReason` only where the summary shape
/// declares it (DatasetGroupSummary, FilterSummary, CampaignSummary,
/// SolutionVersionSummary in botocore's model); the rest as
/// `KindInfo::summary_members` lists them.
fn in_summary(noun: Noun, member: &str) -> bool {
    let info = noun.info();
    match member {
        "status" | "creationDateTime" | "lastUpdatedDateTime" => true,
        "name" => noun != Noun::SolutionVersion,
        "failureReason" => matches!(
            noun,
            Noun::Kind(Kind::DatasetGroup | Kind::Filter | Kind::Campaign) | Noun::SolutionVersion
        ),
        _ => member == info.arn_member || info.summary_members.contains(&member),
    }
}

/// A resource as Describe (`summary` false) or List shows it. Times are
/// epoch seconds, as the AWS JSON protocol sends them.
fn render(model: &Model, now: Millis, r: &Resource, summary: bool) -> Value {
    let lc = model.rules.lifecycle;
    let mut out = r.current_attrs(now, lc);
    if !r.name.is_empty() {
        out.insert("name".into(), Value::from(r.name.clone()));
    }
    out.insert(r.kind.info().arn_member.into(), Value::from(r.arn.clone()));
    out.insert(
        "creationDateTime".into(),
        Value::from(epoch_seconds(r.created)),
    );
    out.insert(
        "lastUpdatedDateTime".into(),
        Value::from(epoch_seconds(r.last_updated(now, lc))),
    );
    if let Some(status) = r.status(now, lc) {
        out.insert("status".into(), Value::from(status.as_str()));
        if let Some(reason) = r
            .failure_reason
            .as_ref()
            .filter(|_| status == Status::CreateFailed)
        {
            out.insert("failureReason".into(), Value::from(reason.clone()));
        }
    }
    if let Some(schema) = r.schema_arn(now, lc).filter(|_| r.kind == Kind::Dataset) {
        out.insert("schemaArn".into(), Value::from(schema));
    }
    if let (Some(update), Some((status, since))) = (&r.update, r.update_status(now, lc)) {
        // `latestDatasetUpdate`, `latestSolutionUpdate`, `latestCampaignUpdate`,
        // `latestRecommenderUpdate`: the request's members, status and times.
        let mut latest = update.summary.clone();
        latest.insert("status".into(), Value::from(status.as_str()));
        latest.insert(
            "creationDateTime".into(),
            Value::from(epoch_seconds(update.started)),
        );
        latest.insert(
            "lastUpdatedDateTime".into(),
            Value::from(epoch_seconds(since)),
        );
        if let Some(reason) = update
            .failure_reason
            .as_ref()
            .filter(|_| status == Status::CreateFailed)
        {
            latest.insert("failureReason".into(), Value::from(reason.clone()));
        }
        out.insert(
            format!("latest{}Update", r.kind.info().api_noun),
            Value::Object(latest),
        );
    }
    if r.kind == Kind::Solution {
        let versions = model.list(now, Noun::SolutionVersion, Some(&r.arn), None);
        if let Some(latest) = versions.last() {
            out.insert(
                "latestSolutionVersion".into(),
                render(model, now, latest, true),
            );
        }
    }
    if summary {
        out.retain(|member, _| in_summary(r.kind, member));
    }
    Value::Object(out)
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

    #[test]
    fn page_tokens_round_trip_and_reject_garbage() {
        assert_eq!(decode_token(&encode_token(42)), Some(42));
        for bad in ["", "zz", "00", &hex::encode("pzr1:x")] {
            assert_eq!(decode_token(bad), None, "{bad}");
        }
    }
}
