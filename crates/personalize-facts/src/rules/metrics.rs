//! A metric attribution's metrics: how many, and what an `expression` may
//! say. `pzr validate` and the emulator's CreateMetricAttribution and
//! UpdateMetricAttribution both apply these.

use std::fmt;

use serde_json::Value as Json;

use super::filter::DatasetSchema;
use super::Primitive;
use crate::avro;
use crate::resource::DatasetType;

/// "Each metric attribution can have at most 10 metrics."
/// (https://docs.aws.amazon.com/personalize/latest/dg/metric-attribution-requirements.html;
/// botocore's `MetricAttributes` list has `max: 10`.)
pub const MAX_METRICS: usize = 10;

/// Where the rules of an expression come from.
pub const EXPRESSION_PAGE: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/creating-metric-attribution.html";

/// A parsed `expression`: "Available functions include
/// `SUM(DatasetType.COLUMN_NAME)` and `SAMPLECOUNT()`" (EXPRESSION_PAGE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expression {
    SampleCount,
    Sum { dataset: DatasetType, field: String },
}

/// Why an expression is refused, with a hint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExpressionError {
    pub message: String,
    pub hint: String,
}

fn error(message: impl Into<String>, hint: impl Into<String>) -> ExpressionError {
    ExpressionError {
        message: message.into(),
        hint: hint.into(),
    }
}

/// The datasets `SUM()` may read: "You can apply SUM() functions to only
/// numeric columns of Items and Item interactions datasets" (EXPRESSION_PAGE).
const SUMMABLE: [DatasetType; 2] = [DatasetType::Items, DatasetType::Interactions];

/// Parses `SAMPLECOUNT()` or `SUM(<Items|Interactions>.<FIELD>)`.
pub fn parse(text: &str) -> Result<Expression, ExpressionError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact == "SAMPLECOUNT()" {
        return Ok(Expression::SampleCount);
    }
    let forms = "write SAMPLECOUNT() or SUM(Items.<FIELD>) (or SUM(Interactions.<FIELD>))";
    let Some(inner) = compact
        .strip_prefix("SUM(")
        .and_then(|t| t.strip_suffix(')'))
    else {
        return Err(error(format!("{text:?} is not a metric expression"), forms));
    };
    let (dataset, field) = inner.split_once('.').unwrap_or((inner, ""));
    let dataset = SUMMABLE
        .into_iter()
        .find(|t| t.as_api() == dataset)
        .ok_or_else(|| {
            error(
                format!(
                    "SUM() reads a column of the Items or Interactions dataset, not {dataset:?}"
                ),
                forms,
            )
        })?;
    if field.is_empty() || field.contains(['.', '(', ')']) {
        return Err(error(format!("{text:?} names no column"), forms));
    }
    Ok(Expression::Sum {
        dataset,
        field: field.to_string(),
    })
}

/// Whether `field` of `schema` can be summed: it exists and is numeric
/// (int, long, float or double, perhaps nullable).
pub fn check_sum_field(
    dataset: DatasetType,
    field: &str,
    schema: DatasetSchema<'_>,
) -> Result<(), ExpressionError> {
    let schema = match schema {
        DatasetSchema::Unknown => return Ok(()),
        DatasetSchema::Absent => {
            return Err(error(
                format!(
                    "SUM() reads the {} dataset, which the group does not have",
                    dataset.as_api()
                ),
                format!(
                    "declare the {} dataset, or use SAMPLECOUNT()",
                    dataset.spec_key()
                ),
            ))
        }
        DatasetSchema::Known(schema) => schema,
    };
    let fields = avro::fields(schema);
    let Some((_, declared)) = fields.iter().find(|(name, _)| name == field) else {
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        return Err(error(
            format!("the {} schema has no field {field}", dataset.as_api()),
            format!("use one of its fields: {}", names.join(", ")),
        ));
    };
    if is_numeric(declared.get("type").unwrap_or(&Json::Null)) {
        Ok(())
    } else {
        Err(error(
            format!(
                "{}.{field} is not numeric: SUM() needs an int, long, float or double",
                dataset.as_api()
            ),
            "sum a numeric field, or use SAMPLECOUNT()",
        ))
    }
}

fn is_numeric(field_type: &Json) -> bool {
    let numeric = |t: &Json| {
        matches!(
            t.as_str().and_then(Primitive::from_avro),
            Some(Primitive::Int | Primitive::Long | Primitive::Float | Primitive::Double)
        )
    };
    match field_type {
        Json::Array(branches) => {
            branches.iter().any(numeric)
                && branches
                    .iter()
                    .all(|b| numeric(b) || b.as_str() == Some("null"))
        }
        t => numeric(t),
    }
}

/// Whether metrics with these `expressions` reference a dataset of type
/// `t`, which DeleteDataset then refuses: "If you created a metric
/// attribution that references the dataset, you must delete the metric
/// attribution first."
/// (https://docs.aws.amazon.com/personalize/latest/dg/delete-dataset.html)
/// Every metric counts Interactions events; `SUM()` also reads the dataset
/// it names.
pub fn references<'a>(expressions: impl IntoIterator<Item = &'a str>, t: DatasetType) -> bool {
    t == DatasetType::Interactions
        || expressions
            .into_iter()
            .any(|e| matches!(parse(e), Ok(Expression::Sum { dataset, .. }) if dataset == t))
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expression::SampleCount => f.write_str("SAMPLECOUNT()"),
            Expression::Sum { dataset, field } => write!(f, "SUM({}.{field})", dataset.as_api()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_two_functions() {
        assert_eq!(parse("SAMPLECOUNT()"), Ok(Expression::SampleCount));
        let sum = parse("SUM(Items.PRICE)").expect("sum");
        assert_eq!(sum.to_string(), "SUM(Items.PRICE)");
        assert!(parse(" SUM( Interactions.EVENT_VALUE ) ").is_ok());
        for bad in [
            "COUNT()",
            "SUM(Users.AGE)",
            "SUM(Items)",
            "SUM(Items.)",
            "sum(Items.PRICE)",
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn metrics_reference_interactions_and_what_they_sum() {
        let sums = ["SAMPLECOUNT()", "SUM(Items.PRICE)"];
        assert!(references(sums, DatasetType::Interactions));
        assert!(references(sums, DatasetType::Items));
        assert!(!references(sums, DatasetType::Users));
        assert!(!references(["SAMPLECOUNT()"], DatasetType::Items));
    }

    #[test]
    fn sums_only_numeric_fields_that_exist() {
        let schema = json!({"type": "record", "name": "Items", "fields": [
            {"name": "ITEM_ID", "type": "string"},
            {"name": "PRICE", "type": ["null", "float"]},
            {"name": "STOCK", "type": "int"},
        ]});
        let known = DatasetSchema::Known(&schema);
        assert!(check_sum_field(DatasetType::Items, "PRICE", known).is_ok());
        assert!(check_sum_field(DatasetType::Items, "STOCK", known).is_ok());
        assert!(check_sum_field(DatasetType::Items, "ITEM_ID", known).is_err());
        assert!(check_sum_field(DatasetType::Items, "NOPE", known).is_err());
        assert!(check_sum_field(DatasetType::Items, "PRICE", DatasetSchema::Absent).is_err());
        assert!(check_sum_field(DatasetType::Items, "X", DatasetSchema::Unknown).is_ok());
    }
}
