//! What each kind's Create takes and answers, and how a request becomes a
//! resource for the model.

use serde_json::{Map, Value};

use crate::error::{ApiError, ErrorCode};
use crate::model::{CreateRule, Model, NewResource, Noun, Tag};
use crate::request_shape::{present, Member, Shape};
use personalize_facts::resource::Kind;

/// What one kind's Create takes and answers, and which of the model's rules
/// it runs.
pub(super) struct Creation {
    /// Whether `name` is required (CreateSolutionVersion's is optional).
    pub(super) name_required: bool,
    /// Input members besides `name` and (for taggable kinds) `tags`; they
    /// become the resource's attributes.
    pub(super) members: &'static [Member],
    /// Members of the Create response besides the ARN, as its output shape
    /// declares them.
    pub(super) echoed: &'static [&'static str],
    pub(super) rule: CreateRule,
}

/// The emulator's one per-kind table: everything else that differs between
/// kinds is Personalize API data in `KindInfo`.
pub(super) fn creation(kind: Noun) -> Creation {
    use Shape::*;
    let kind = match kind {
        Noun::Kind(kind) => kind,
        Noun::SolutionVersion => {
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
            }
        }
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
        // CreateMetricAttributionRequest in botocore's model: no tags.
        Kind::MetricAttribution => Creation {
            name_required: true,
            echoed: &[],
            members: const {
                &[
                    Member::required("datasetGroupArn", Arn),
                    Member::required("metrics", List),
                    Member::required("metricsOutputConfig", MetricsOutput),
                ]
            },
            rule: |model, now, new| model.create_group_child(now, Kind::MetricAttribution, new),
        },
        // CreateDatasetImportJobRequest in botocore's model.
        Kind::DatasetImportJob => Creation {
            name_required: true,
            members: const {
                &[
                    Member::required("datasetArn", Arn),
                    Member::required("dataSource", DataSource),
                    Member::optional("roleArn", RoleArn),
                    Member::optional("importMode", ImportMode),
                    Member::optional("publishAttributionMetricsToS3", Boolean),
                ]
            },
            echoed: &[],
            rule: Model::create_dataset_import_job,
        },
    }
}

/// A Create's input members: the name, the kind's own, and tags if it takes them.
pub(super) fn create_members(kind: Noun) -> Vec<Member> {
    let creation = creation(kind);
    let name = kind.name_member();
    let mut members = vec![if creation.name_required {
        Member::required(name, Shape::Name)
    } else {
        Member::optional(name, Shape::Name)
    }];
    members.extend_from_slice(creation.members);
    if kind.info().taggable {
        members.push(Member::optional("tags", Shape::Tags));
    }
    members
}

pub(super) fn parse_tags(input: &Map<String, Value>) -> Result<Vec<Tag>, ApiError> {
    match present(input, "tags") {
        None => Ok(Vec::new()),
        Some(tags) => serde_json::from_value(tags.clone())
            .map_err(|e| ApiError::new(ErrorCode::Serialization, format!("Invalid tags: {e}"))),
    }
}

/// A create request as the model takes it: the kind's own `members` become
/// the resource's attributes.
pub(super) fn new_resource(
    kind: Noun,
    members: &[Member],
    input: &Map<String, Value>,
) -> Result<NewResource, ApiError> {
    let mut attrs = Map::new();
    for member in members {
        if let Some(value) = present(input, member.name) {
            attrs.insert(member.name.to_string(), value.clone());
        }
    }
    Ok(NewResource {
        name: present(input, kind.name_member())
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        attrs,
        tags: parse_tags(input)?,
        imported: None,
    })
}
