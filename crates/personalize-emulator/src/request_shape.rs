//! Input validation as the API model states it: member types, required
//! members, lengths, patterns, enums and ranges. Type mismatches are
//! `SerializationException` (the request cannot be read); constraint
//! violations are collected into one `InvalidInputException`.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::error::{ApiError, ErrorCode};
use personalize_facts::patterns;

/// The shapes of the API model that the emulated operations use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Name,
    Arn,
    RoleArn,
    KmsKeyArn,
    Domain,
    TrainingMode,
    ImportMode,
    RecipeProvider,
    AvroSchema,
    DatasetType,
    NextToken,
    MaxResults,
    FilterExpression,
    EventType,
    TransactionsPerSecond,
    Boolean,
    Structure,
    /// CreateDatasetImportJob's `dataSource`: `{"dataLocation": S3Location}`.
    DataSource,
    /// A list whose members the operation's model rule checks (a metric
    /// attribution's `metrics`, `addMetrics`, `removeMetrics`).
    List,
    /// `MetricAttributionOutput`: `{"roleArn": RoleArn, "s3DataDestination":
    /// {"path": S3Location, "kmsKeyArn": KmsKeyArn}}`.
    MetricsOutput,
    S3Location,
    Tags,
    TagKeys,
}

/// One input member of an operation.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
}

impl Member {
    pub const fn required(name: &'static str, shape: Shape) -> Member {
        Member {
            name,
            shape,
            required: true,
        }
    }

    pub const fn optional(name: &'static str, shape: Shape) -> Member {
        Member {
            name,
            shape,
            required: false,
        }
    }
}

/// A string shape's constraints.
struct StringRule {
    min: usize,
    max: usize,
    pattern: Option<&'static LazyLock<Regex>>,
    values: &'static [&'static str],
}

/// Compiles an API model pattern with Java's `matches()` semantics: the whole
/// value must match.
fn whole(pattern: &str) -> Regex {
    Regex::new(&format!("^(?:{pattern})$")).expect("API model patterns are valid regexes")
}

// Patterns the spec validator checks too come from one place.
static NAME: LazyLock<Regex> = LazyLock::new(|| whole(patterns::NAME));
static ARN: LazyLock<Regex> = LazyLock::new(|| whole(r"arn:([a-z\d-]+):personalize:.*:.*:.+"));
static ROLE_ARN: LazyLock<Regex> = LazyLock::new(|| whole(patterns::ROLE_ARN));
static KMS_KEY_ARN: LazyLock<Regex> = LazyLock::new(|| whole(patterns::KMS_KEY_ARN));
static DATASET_TYPE: LazyLock<Regex> = LazyLock::new(|| whole(r"^[A-Za-z_]+$"));
static ASCII: LazyLock<Regex> = LazyLock::new(|| whole(r"\p{ASCII}*"));
static TAG_TEXT: LazyLock<Regex> = LazyLock::new(|| whole(patterns::TAG_TEXT));
static S3_LOCATION: LazyLock<Regex> = LazyLock::new(|| whole("(s3|http|https)://.+"));

/// The S3Location shape of botocore's model.
const S3_LOCATION_RULE: StringRule = StringRule {
    min: 0,
    max: 256,
    pattern: Some(&S3_LOCATION),
    values: &[],
};

const TAG_KEY: StringRule = StringRule {
    min: 1,
    max: 128,
    pattern: Some(&TAG_TEXT),
    values: &[],
};
const TAG_VALUE: StringRule = StringRule {
    min: 0,
    max: 256,
    pattern: Some(&TAG_TEXT),
    values: &[],
};
/// Most elements of the Tags and TagKeys lists.
const MAX_TAG_LIST: usize = 200;

impl Shape {
    fn string_rule(self) -> Option<StringRule> {
        let rule = |min, max, pattern, values| {
            Some(StringRule {
                min,
                max,
                pattern,
                values,
            })
        };
        match self {
            Shape::Name => rule(1, 63, Some(&NAME), &[]),
            Shape::Arn => rule(0, 256, Some(&ARN), &[]),
            Shape::RoleArn => rule(0, 256, Some(&ROLE_ARN), &[]),
            Shape::KmsKeyArn => rule(0, 2048, Some(&KMS_KEY_ARN), &[]),
            Shape::Domain => rule(0, usize::MAX, None, &["ECOMMERCE", "VIDEO_ON_DEMAND"]),
            Shape::RecipeProvider => rule(0, usize::MAX, None, &["SERVICE"]),
            Shape::TrainingMode => rule(0, usize::MAX, None, &["FULL", "UPDATE", "AUTOTRAIN"]),
            Shape::ImportMode => rule(0, usize::MAX, None, &["FULL", "INCREMENTAL"]),
            Shape::AvroSchema => rule(0, personalize_facts::avro::MAX_SCHEMA_CHARS, None, &[]),
            Shape::DatasetType => rule(0, 256, Some(&DATASET_TYPE), &[]),
            Shape::NextToken => rule(0, 1500, Some(&ASCII), &[]),
            Shape::FilterExpression => rule(1, 2500, None, &[]),
            Shape::EventType => rule(0, 256, None, &[]),
            Shape::S3Location => Some(S3_LOCATION_RULE),
            _ => None,
        }
    }
}

/// Validates a request body against an operation's members.
pub fn validate(members: &[Member], body: &Value) -> Result<(), ApiError> {
    let object = body
        .as_object()
        .ok_or_else(|| serialization("the request body must be a JSON object"))?;
    let mut violations = Vec::new();
    for member in members {
        match present(object, member.name) {
            None if member.required => violations.push(format!(
                "Value null at '{}' failed to satisfy constraint: Member must not be null",
                member.name
            )),
            None => {}
            Some(value) => check_member(member, value, &mut violations)?,
        }
    }
    if violations.is_empty() {
        return Ok(());
    }
    let count = violations.len();
    let plural = if count == 1 { "" } else { "s" };
    Err(ApiError::invalid_input(format!(
        "{count} validation error{plural} detected: {}",
        violations.join("; ")
    )))
}

/// A member's value; JSON null counts as absent, as in AWS's deserialisers.
pub fn present<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).filter(|v| !v.is_null())
}

fn serialization(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Serialization, message)
}

fn wrong_type(name: &str, expected: &str) -> ApiError {
    serialization(format!(
        "Unexpected value type at '{name}': expected {expected}"
    ))
}

fn check_member(
    member: &Member,
    value: &Value,
    violations: &mut Vec<String>,
) -> Result<(), ApiError> {
    let name = member.name;
    if let Some(rule) = member.shape.string_rule() {
        let text = value.as_str().ok_or_else(|| wrong_type(name, "a string"))?;
        check_string(name, text, &rule, violations);
        return Ok(());
    }
    match member.shape {
        Shape::MaxResults | Shape::TransactionsPerSecond => {
            let number = value
                .as_i64()
                .ok_or_else(|| wrong_type(name, "an integer"))?;
            let (min, max) = match member.shape {
                Shape::MaxResults => (1, 100),
                _ => (1, i64::from(i32::MAX)),
            };
            if number < min || number > max {
                violations.push(format!(
                    "Value '{number}' at '{name}' failed to satisfy constraint: Member must have value between {min} and {max}"
                ));
            }
        }
        Shape::Boolean => {
            value
                .as_bool()
                .ok_or_else(|| wrong_type(name, "a boolean"))?;
        }
        Shape::Structure => {
            value
                .as_object()
                .ok_or_else(|| wrong_type(name, "an object"))?;
        }
        Shape::DataSource => {
            let source = value
                .as_object()
                .ok_or_else(|| wrong_type(name, "an object"))?;
            if let Some(location) = present(source, "dataLocation") {
                let path = format!("{name}.dataLocation");
                let text = location
                    .as_str()
                    .ok_or_else(|| wrong_type(&path, "a string"))?;
                check_string(&path, text, &S3_LOCATION_RULE, violations);
            }
        }
        Shape::List => {
            value.as_array().ok_or_else(|| wrong_type(name, "a list"))?;
        }
        Shape::MetricsOutput => {
            let output = value
                .as_object()
                .ok_or_else(|| wrong_type(name, "an object"))?;
            check_nested(
                name,
                output,
                Member::required("roleArn", Shape::RoleArn),
                violations,
            )?;
            if let Some(d) = present(output, "s3DataDestination") {
                let at = format!("{name}.s3DataDestination");
                let d = d.as_object().ok_or_else(|| wrong_type(&at, "an object"))?;
                check_nested(
                    &at,
                    d,
                    Member::required("path", Shape::S3Location),
                    violations,
                )?;
                let kms = Member::optional("kmsKeyArn", Shape::KmsKeyArn);
                check_nested(&at, d, kms, violations)?;
            }
        }
        Shape::Tags => {
            let tags = list(name, value, violations)?;
            for (i, tag) in tags.iter().enumerate() {
                let tag = tag
                    .as_object()
                    .ok_or_else(|| wrong_type(name, "a list of tags"))?;
                for (member, rule) in [("tagKey", &TAG_KEY), ("tagValue", &TAG_VALUE)] {
                    let path = format!("{name}.{}.member.{member}", i + 1);
                    match present(tag, member) {
                        None => violations.push(format!(
                            "Value null at '{path}' failed to satisfy constraint: Member must not be null"
                        )),
                        Some(v) => {
                            let text = v.as_str().ok_or_else(|| wrong_type(&path, "a string"))?;
                            check_string(&path, text, rule, violations);
                        }
                    }
                }
            }
        }
        Shape::TagKeys => {
            let keys = list(name, value, violations)?;
            for (i, key) in keys.iter().enumerate() {
                let path = format!("{name}.{}.member", i + 1);
                let text = key.as_str().ok_or_else(|| wrong_type(&path, "a string"))?;
                check_string(&path, text, &TAG_KEY, violations);
            }
        }
        _ => {}
    }
    Ok(())
}

/// A member of a structure inside `at`, checked as a top-level one is.
fn check_nested(
    at: &str,
    object: &Map<String, Value>,
    member: Member,
    violations: &mut Vec<String>,
) -> Result<(), ApiError> {
    let path = format!("{at}.{}", member.name);
    match present(object, member.name) {
        None if member.required => violations.push(format!(
            "Value null at '{path}' failed to satisfy constraint: Member must not be null"
        )),
        None => {}
        Some(value) => {
            let text = value
                .as_str()
                .ok_or_else(|| wrong_type(&path, "a string"))?;
            if let Some(rule) = member.shape.string_rule() {
                check_string(&path, text, &rule, violations);
            }
        }
    }
    Ok(())
}

fn list<'a>(
    name: &str,
    value: &'a Value,
    violations: &mut Vec<String>,
) -> Result<&'a [Value], ApiError> {
    let items = value.as_array().ok_or_else(|| wrong_type(name, "a list"))?;
    if items.len() > MAX_TAG_LIST {
        violations.push(format!(
            "Value at '{name}' failed to satisfy constraint: Member must have length less than or equal to {MAX_TAG_LIST}"
        ));
    }
    Ok(items)
}

/// The pattern as the API model writes it (without the whole-match wrapper).
fn model_pattern(regex: &Regex) -> &str {
    let text = regex.as_str();
    text.strip_prefix("^(?:")
        .and_then(|t| t.strip_suffix(")$"))
        .unwrap_or(text)
}

fn check_string(name: &str, text: &str, rule: &StringRule, violations: &mut Vec<String>) {
    let chars = text.chars().count();
    if chars < rule.min {
        violations.push(format!(
            "Value '{text}' at '{name}' failed to satisfy constraint: Member must have length greater than or equal to {}",
            rule.min
        ));
    }
    if chars > rule.max {
        // Long values are not echoed back whole.
        violations.push(format!(
            "Value at '{name}' failed to satisfy constraint: Member must have length less than or equal to {}",
            rule.max
        ));
    }
    if let Some(pattern) = rule.pattern {
        if !pattern.is_match(text) {
            violations.push(format!(
                "Value '{text}' at '{name}' failed to satisfy constraint: Member must satisfy regular expression pattern: {}",
                model_pattern(pattern)
            ));
        }
    }
    if !rule.values.is_empty() && !rule.values.contains(&text) {
        violations.push(format!(
            "Value '{text}' at '{name}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            rule.values.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CREATE_GROUP: &[Member] = &[
        Member::required("name", Shape::Name),
        Member::optional("domain", Shape::Domain),
        Member::optional("tags", Shape::Tags),
        Member::optional("maxResults", Shape::MaxResults),
    ];

    #[test]
    fn accepts_a_valid_body_and_ignores_unknown_members() {
        let body = json!({"name": "a-b_1", "domain": "ECOMMERCE", "extra": 1, "tags": [{"tagKey": "k", "tagValue": ""}]});
        assert_eq!(validate(CREATE_GROUP, &body), Ok(()));
    }

    #[test]
    fn collects_every_constraint_violation() {
        let body = json!({"name": "-bad", "domain": "GAMES", "maxResults": 0});
        let err = validate(CREATE_GROUP, &body).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(
            err.message.starts_with("3 validation errors detected"),
            "{}",
            err.message
        );
        let err = validate(CREATE_GROUP, &json!({})).unwrap_err();
        assert!(
            err.message.contains("Value null at 'name'"),
            "{}",
            err.message
        );
    }

    #[test]
    fn wrong_types_are_serialization_errors() {
        for body in [
            json!({"name": 5}),
            json!({"name": "a", "tags": {}}),
            json!([1]),
            json!({"name": "a", "maxResults": "1"}),
        ] {
            assert_eq!(
                validate(CREATE_GROUP, &body).unwrap_err().code,
                ErrorCode::Serialization,
                "{body}"
            );
        }
    }

    #[test]
    fn patterns_must_match_the_whole_value() {
        let err = validate(CREATE_GROUP, &json!({"name": "ok name"})).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        let long = "a".repeat(64);
        assert!(validate(CREATE_GROUP, &json!({"name": long})).is_err());
        assert!(validate(CREATE_GROUP, &json!({"name": "a".repeat(63)})).is_ok());
    }
}
