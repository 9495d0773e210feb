//! The emulator against botocore's API model
//! (`crates/personalize-facts/botocore/personalize-2018-05-22.json`): every operation
//! of the model is called over HTTP with a SigV4-looking request. The ones
//! the emulator implements get valid inputs from a small scenario, and every
//! answer must validate against the operation's output shape (no member the
//! shape does not declare, every type right, required members present); the
//! others get an empty body and must answer a clean HTTP 400
//! InvalidInputException saying the emulator does not implement them.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use personalize_emulator::{EmulatorConfig, RunningEmulator};
use serde_json::{json, Value};

use crate::support::clock::manual;
use crate::support::data::Bucket;
use crate::support::emulator::{raw_post, start};

const MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/personalize-facts/botocore/personalize-2018-05-22.json"
);
const CREATE_MS: u64 = 3_000;
const DELETE_MS: u64 = 1_000;

/// Checks `value` against the model's shape `shape`; problems go to `errors`
/// with the path where they are.
fn check(shapes: &Value, shape: &str, value: &Value, path: &str, errors: &mut Vec<String>) {
    let def = &shapes[shape];
    let mut wrong =
        |expected: &str| errors.push(format!("{path}: {value} is not {expected} ({shape})"));
    match def["type"].as_str().unwrap_or_default() {
        "structure" => {
            let Some(object) = value.as_object() else {
                return wrong("an object");
            };
            let members = def["members"].as_object().cloned().unwrap_or_default();
            for (name, member_value) in object {
                match members.get(name) {
                    None => errors.push(format!("{path}.{name}: not a member of {shape}")),
                    Some(member) => {
                        let inner = member["shape"].as_str().unwrap_or_default();
                        check(
                            shapes,
                            inner,
                            member_value,
                            &format!("{path}.{name}"),
                            errors,
                        );
                    }
                }
            }
            for required in def["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap_or_default();
                if !object.contains_key(name) {
                    errors.push(format!("{path}.{name}: required by {shape}, missing"));
                }
            }
        }
        "list" => {
            let Some(items) = value.as_array() else {
                return wrong("a list");
            };
            let inner = def["member"]["shape"].as_str().unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                check(shapes, inner, item, &format!("{path}[{i}]"), errors);
            }
        }
        "map" => {
            let Some(entries) = value.as_object() else {
                return wrong("a map");
            };
            let inner = def["value"]["shape"].as_str().unwrap_or_default();
            for (key, item) in entries {
                check(shapes, inner, item, &format!("{path}.{key}"), errors);
            }
        }
        "string" => match value.as_str() {
            None => wrong("a string"),
            Some(text) => {
                let allowed = def["enum"].as_array();
                if allowed.is_some_and(|values| !values.iter().any(|v| v == text)) {
                    wrong("one of the enum's values");
                }
            }
        },
        "integer" | "long" => {
            if value.as_i64().is_none() {
                wrong("an integer");
            }
        }
        "float" | "double" | "timestamp" => {
            if !value.is_number() {
                wrong("a number");
            }
        }
        "boolean" => {
            if !value.is_boolean() {
                wrong("a boolean");
            }
        }
        other => errors.push(format!("{path}: shape type {other} of {shape} not checked")),
    }
}

/// Calls the operations of the scenario and checks each answer.
struct Caller {
    emu: RunningEmulator,
    /// The bucket the emulator reads, where the groups' data is put.
    bucket: Bucket,
    model: Value,
    /// Operation → how many times it answered 200.
    answered: BTreeMap<String, usize>,
    errors: Vec<String>,
}

impl Caller {
    /// Calls `op` with `body`; it must succeed and conform. Returns the answer.
    async fn ok(&mut self, op: &str, body: Value) -> Value {
        let target = format!("AmazonPersonalize.{op}");
        let (status, error, answer) =
            raw_post(self.emu.addr(), Some(&target), true, &body.to_string()).await;
        assert_eq!((status, error), (200, None), "{op} {body}: {answer}");
        *self.answered.entry(op.to_string()).or_default() += 1;
        let output = self.model["operations"][op]["output"]["shape"].as_str();
        match output {
            Some(shape) => check(&self.model["shapes"], shape, &answer, op, &mut self.errors),
            // Operations without an output shape answer an empty object.
            None if answer == json!({}) => {}
            None => self
                .errors
                .push(format!("{op}: answered {answer} but has no output shape")),
        }
        answer
    }

    /// Calls `op` and returns the ARN member `member` of its answer.
    async fn arn(&mut self, op: &str, body: Value, member: &str) -> String {
        let answer = self.ok(op, body).await;
        answer[member]
            .as_str()
            .unwrap_or_else(|| panic!("{op}: no {member} in {answer}"))
            .to_string()
    }

    fn advance(&self, ms: u64) {
        self.emu
            .clock()
            .advance(Duration::from_millis(ms))
            .expect("a manual clock");
    }
}

fn schema(fields: Value) -> String {
    json!({
        "type": "record", "name": "Record",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": fields, "version": "1.0"
    })
    .to_string()
}

/// Runs every implemented operation at least once, with the members they
/// answer (failure reasons, latestDatasetUpdate, latestSolutionVersion,
/// page tokens) present.
async fn scenario(c: &mut Caller) {
    let item = json!({"name": "ITEM_ID", "type": "string"});
    let genre = json!({"name": "GENRE", "type": ["null", "string"], "categorical": true});
    let price = json!({"name": "PRICE", "type": ["null", "float"]});
    let interactions = json!([
        {"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}
    ]);
    let items_v1 = c
        .arn(
            "CreateSchema",
            json!({"name": "items-v1", "schema": schema(json!([item, genre]))}),
            "schemaArn",
        )
        .await;
    let items_v2 = c
        .arn(
            "CreateSchema",
            json!({"name": "items-v2", "schema": schema(json!([item, genre, price]))}),
            "schemaArn",
        )
        .await;
    let clicks = c
        .arn(
            "CreateSchema",
            json!({"name": "clicks", "schema": schema(interactions.clone())}),
            "schemaArn",
        )
        .await;
    let shop_clicks = c
        .arn(
            "CreateSchema",
            json!({"name": "shop-clicks", "schema": schema(interactions), "domain": "ECOMMERCE"}),
            "schemaArn",
        )
        .await;
    let tags = json!([{"tagKey": "team", "tagValue": "recs"}]);
    let custom = c
        .arn(
            "CreateDatasetGroup",
            json!({"name": "custom", "tags": tags}),
            "datasetGroupArn",
        )
        .await;
    let shop = c
        .arn(
            "CreateDatasetGroup",
            json!({"name": "shop", "domain": "ECOMMERCE"}),
            "datasetGroupArn",
        )
        .await;
    c.ok("CreateDatasetGroup", json!({"name": "failing-group"}))
        .await;
    c.advance(CREATE_MS);

    let items = c.arn("CreateDataset", json!({"name": "doomed-items", "datasetGroupArn": custom, "schemaArn": items_v1, "datasetType": "Items"}), "datasetArn").await;
    c.ok("CreateDataset", json!({"name": "custom-clicks", "datasetGroupArn": custom, "schemaArn": clicks, "datasetType": "Interactions", "tags": tags})).await;
    let shop_interactions = c.arn("CreateDataset", json!({"name": "shop-clicks", "datasetGroupArn": shop, "schemaArn": shop_clicks, "datasetType": "interactions"}), "datasetArn").await;
    let tracker = c
        .arn(
            "CreateEventTracker",
            json!({"name": "tracker", "datasetGroupArn": custom}),
            "eventTrackerArn",
        )
        .await;
    let filter = c.arn("CreateFilter", json!({"name": "filter", "datasetGroupArn": custom, "filterExpression": "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")"}), "filterArn").await;
    let role = "arn:aws:iam::111122223333:role/metrics";
    let output = json!({"roleArn": role, "s3DataDestination": {"path": "s3://bucket/metrics/"}});
    let clicks_metric =
        json!({"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"});
    let attribution = c.arn("CreateMetricAttribution", json!({"name": "attribution", "datasetGroupArn": custom, "metrics": [clicks_metric], "metricsOutputConfig": output}), "metricAttributionArn").await;
    let recipe = "arn:aws:personalize:::recipe/aws-user-personalization";
    let solution = c.arn("CreateSolution", json!({"name": "solution", "datasetGroupArn": custom, "recipeArn": recipe, "performAutoTraining": false, "solutionConfig": {}}), "solutionArn").await;
    c.advance(CREATE_MS);
    // Data to train on, so that the version and the recommender serve.
    for group in [&custom, &shop] {
        c.bucket.give_data(&c.emu, group, false).await;
    }
    let recommender = c.arn("CreateRecommender", json!({"name": "recommender", "datasetGroupArn": shop, "recipeArn": "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views"}), "recommenderArn").await;
    // No bucket `nobucket` here: the import ends CREATE FAILED, with its
    // failureReason in both answers.
    let import = c.arn("CreateDatasetImportJob", json!({"jobName": "import", "datasetArn": shop_interactions, "dataSource": {"dataLocation": "s3://nobucket/clicks.csv"}, "roleArn": "arn:aws:iam::111122223333:role/Read", "publishAttributionMetricsToS3": false, "tags": tags}), "datasetImportJobArn").await;

    let version = c
        .arn(
            "CreateSolutionVersion",
            json!({"solutionArn": solution, "name": "v1", "trainingMode": "FULL", "tags": tags}),
            "solutionVersionArn",
        )
        .await;
    c.advance(CREATE_MS);
    let failed = c
        .ok(
            "DescribeDatasetImportJob",
            json!({"datasetImportJobArn": import}),
        )
        .await;
    assert_eq!(
        failed["datasetImportJob"]["failureReason"],
        "Invalid Data location."
    );
    let listed = c
        .ok(
            "ListDatasetImportJobs",
            json!({"datasetArn": shop_interactions, "maxResults": 5}),
        )
        .await;
    assert_eq!(listed["datasetImportJobs"][0]["importMode"], "FULL");
    let stopped = c
        .arn(
            "CreateSolutionVersion",
            json!({"solutionArn": solution}),
            "solutionVersionArn",
        )
        .await;
    c.advance(CREATE_MS / 2);
    c.ok(
        "StopSolutionVersionCreation",
        json!({"solutionVersionArn": stopped}),
    )
    .await;
    let campaign = c
        .arn(
            "CreateCampaign",
            json!({"name": "campaign", "solutionVersionArn": version, "minProvisionedTPS": 1}),
            "campaignArn",
        )
        .await;
    c.ok(
        "UpdateDataset",
        json!({"datasetArn": items, "schemaArn": items_v2}),
    )
    .await;
    c.advance(CREATE_MS);
    c.ok("UpdateCampaign", json!({"campaignArn": campaign, "minProvisionedTPS": 2, "campaignConfig": {"enableMetadataWithRecommendations": true}})).await;
    c.ok("UpdateSolution", json!({"solutionArn": solution, "performAutoTraining": true, "solutionUpdateConfig": {"autoTrainingConfig": {"schedulingExpression": "rate(3 days)"}}})).await;
    c.ok("UpdateRecommender", json!({"recommenderArn": recommender, "recommenderConfig": {"minRecommendationRequestsPerSecond": 2}})).await;
    c.ok("StopRecommender", json!({"recommenderArn": recommender}))
        .await;
    let views_metric = json!({"eventType": "view", "metricName": "watched", "expression": "SUM(Interactions.TIMESTAMP)"});
    c.ok("UpdateMetricAttribution", json!({"metricAttributionArn": attribution, "addMetrics": [views_metric], "removeMetrics": ["clicks"], "metricsOutputConfig": output})).await;
    c.advance(CREATE_MS);

    let describes = [
        ("DescribeSchema", "schemaArn", &items_v1),
        ("DescribeDatasetGroup", "datasetGroupArn", &custom),
        ("DescribeDataset", "datasetArn", &items),
        ("DescribeEventTracker", "eventTrackerArn", &tracker),
        ("DescribeFilter", "filterArn", &filter),
        ("DescribeSolution", "solutionArn", &solution),
        ("DescribeSolutionVersion", "solutionVersionArn", &version),
        ("DescribeSolutionVersion", "solutionVersionArn", &stopped),
        ("DescribeCampaign", "campaignArn", &campaign),
        ("DescribeRecommender", "recommenderArn", &recommender),
        (
            "DescribeMetricAttribution",
            "metricAttributionArn",
            &attribution,
        ),
    ];
    for (op, member, arn) in describes {
        c.ok(op, json!({ member: arn })).await;
    }
    let failed = c.ok("DescribeDataset", json!({"datasetArn": items})).await;
    assert!(
        failed["dataset"]["latestDatasetUpdate"]["failureReason"].is_string(),
        "{failed}"
    );
    let latest = c
        .ok("DescribeSolution", json!({"solutionArn": solution}))
        .await;
    assert!(
        latest["solution"]["latestSolutionVersion"].is_object(),
        "{latest}"
    );
    for (member, key) in [
        ("campaign", "latestCampaignUpdate"),
        ("solution", "latestSolutionUpdate"),
        ("recommender", "latestRecommenderUpdate"),
    ] {
        let op = format!("Describe{}{}", member[..1].to_uppercase(), &member[1..]);
        let arn = match member {
            "campaign" => &campaign,
            "solution" => &solution,
            _ => &recommender,
        };
        let answer = c.ok(&op, json!({ format!("{member}Arn"): arn })).await;
        assert_eq!(answer[member][key]["status"], "ACTIVE", "{answer}");
    }
    c.ok("StartRecommender", json!({"recommenderArn": recommender}))
        .await;
    c.advance(CREATE_MS);
    let recipe_arn = "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you";
    c.ok("DescribeRecipe", json!({ "recipeArn": recipe_arn }))
        .await;
    c.ok("DescribeRecipe", json!({ "recipeArn": recipe })).await;
    let page = c
        .ok(
            "ListRecipes",
            json!({"domain": "ECOMMERCE", "maxResults": 2}),
        )
        .await;
    assert!(page["nextToken"].is_string(), "{page}");
    c.ok("ListRecipes", json!({"recipeProvider": "SERVICE"}))
        .await;
    let lists = [
        ("ListSchemas", json!({"maxResults": 1})),
        ("ListDatasetGroups", json!({"maxResults": 1})),
        (
            "ListDatasets",
            json!({"datasetGroupArn": custom, "maxResults": 1}),
        ),
        ("ListEventTrackers", json!({"datasetGroupArn": custom})),
        ("ListFilters", json!({"datasetGroupArn": custom})),
        ("ListSolutions", json!({})),
        (
            "ListSolutionVersions",
            json!({"solutionArn": solution, "maxResults": 1}),
        ),
        ("ListCampaigns", json!({"solutionArn": solution})),
        ("ListRecommenders", json!({"datasetGroupArn": shop})),
    ];
    for (op, body) in lists {
        c.ok(op, body).await;
    }
    c.ok(
        "DescribeMetricAttribution",
        json!({"metricAttributionArn": attribution}),
    )
    .await;
    c.ok("ListMetricAttributions", json!({"datasetGroupArn": custom}))
        .await;
    c.ok(
        "ListMetricAttributionMetrics",
        json!({"metricAttributionArn": attribution, "maxResults": 1}),
    )
    .await;
    c.ok("ListDatasetGroups", json!({})).await;
    c.ok("ListSolutionVersions", json!({})).await;
    c.ok(
        "TagResource",
        json!({"resourceArn": campaign, "tags": tags}),
    )
    .await;
    c.ok("ListTagsForResource", json!({"resourceArn": campaign}))
        .await;
    c.ok(
        "UntagResource",
        json!({"resourceArn": campaign, "tagKeys": ["team"]}),
    )
    .await;

    c.ok("DeleteCampaign", json!({"campaignArn": campaign}))
        .await;
    c.ok("DeleteRecommender", json!({"recommenderArn": recommender}))
        .await;
    c.ok("DeleteFilter", json!({"filterArn": filter})).await;
    c.ok(
        "DeleteMetricAttribution",
        json!({"metricAttributionArn": attribution}),
    )
    .await;
    c.ok("DeleteEventTracker", json!({"eventTrackerArn": tracker}))
        .await;
    c.advance(DELETE_MS);
    c.ok("DeleteSolution", json!({"solutionArn": solution}))
        .await;
    c.ok("DeleteDataset", json!({"datasetArn": shop_interactions}))
        .await;
    c.advance(DELETE_MS);
    c.ok("DeleteDatasetGroup", json!({"datasetGroupArn": shop}))
        .await;
    c.ok("DeleteSchema", json!({"schemaArn": shop_clicks}))
        .await;
}

#[tokio::test]
async fn every_operation_of_the_api_model_answers_as_its_shapes_say() {
    let model: Value = serde_json::from_str(&std::fs::read_to_string(MODEL).unwrap()).unwrap();
    let bucket = Bucket::new();
    let config = EmulatorConfig {
        create_delay: Duration::from_millis(CREATE_MS),
        delete_delay: Duration::from_millis(DELETE_MS),
        fail_create: Some(regex::Regex::new("^failing-").unwrap()),
        fail_update: Some(regex::Regex::new("^doomed-").unwrap()),
        clock: manual(),
        buckets: bucket.buckets(),
        ..EmulatorConfig::default()
    };
    let mut caller = Caller {
        emu: start(config).await,
        bucket,
        model,
        answered: BTreeMap::new(),
        errors: Vec::new(),
    };
    scenario(&mut caller).await;
    assert!(
        caller.errors.is_empty(),
        "answers outside their shapes:\n{}",
        caller.errors.join("\n")
    );

    let all: BTreeSet<String> = caller.model["operations"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut unimplemented = Vec::new();
    for op in all.iter().filter(|op| !caller.answered.contains_key(*op)) {
        let target = format!("AmazonPersonalize.{op}");
        let (status, error, body) = raw_post(caller.emu.addr(), Some(&target), true, "{}").await;
        assert_eq!(
            (status, error.as_deref()),
            (400, Some("InvalidInputException")),
            "{op}: {body}"
        );
        let message = body["message"].as_str().unwrap_or_default();
        assert_eq!(message, format!("The pzr emulator does not implement {op}"));
        unimplemented.push(op.as_str());
    }
    // What the emulator implements is what the scenario covered: 56 of the
    // model's 71 operations.
    assert_eq!(
        (caller.answered.len(), unimplemented.len()),
        (56, 15),
        "{unimplemented:?}"
    );
    caller.emu.shutdown().await;
}

#[test]
fn the_check_finds_what_the_shapes_do_not_allow() {
    let model: Value = serde_json::from_str(&std::fs::read_to_string(MODEL).unwrap()).unwrap();
    let shapes = &model["shapes"];
    let errors = |shape: &str, value: Value| {
        let mut errors = Vec::new();
        check(shapes, shape, &value, "out", &mut errors);
        errors
    };
    let arn = "arn:aws:personalize:us-east-1:111122223333:schema/s";
    assert!(errors("CreateSchemaResponse", json!({ "schemaArn": arn })).is_empty());
    let cases = [
        (
            "CreateSchemaResponse",
            json!({"schemaArn": arn, "domain": "ECOMMERCE"}),
            "not a member",
        ),
        (
            "DescribeDatasetResponse",
            json!({"dataset": {"status": 5}}),
            "not a string",
        ),
        (
            "ListTagsForResourceResponse",
            json!({"tags": [{"tagKey": "k"}]}),
            "tagValue: required",
        ),
        (
            "DescribeDatasetGroupResponse",
            json!({"datasetGroup": {"domain": "GAMES"}}),
            "enum",
        ),
        (
            "DescribeCampaignResponse",
            json!({"campaign": {"minProvisionedTPS": 1.5}}),
            "integer",
        ),
        (
            "DescribeSchemaResponse",
            json!({"schema": {"creationDateTime": "today"}}),
            "number",
        ),
    ];
    for (shape, value, expected) in cases {
        let found = errors(shape, value);
        assert!(
            found.iter().any(|e| e.contains(expected)),
            "{shape}: {found:?}"
        );
    }
}
