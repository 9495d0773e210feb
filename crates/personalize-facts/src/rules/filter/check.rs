//! The rules the developer guide states about filter expressions beyond
//! their grammar: which datasets each target may test, what each field and
//! operator allows, the counts, and, given the group's schemas, that every
//! field exists and may be filtered.

use std::collections::HashSet;

use super::{
    parse, source, DatasetSchema, Expression, FieldRef, Filter, FilterError, Op, Owner, ValueKind,
    MAX_FIELDS_PER_FILTER, MAX_PARAMETERS,
};
use crate::resource::DatasetType;
use crate::rules::schema::{field_facts, FieldFacts};
use crate::rules::{did_you_mean, Primitive};

/// Every broken rule that needs no schema: the first syntax error, or else
/// every rule the parsed expression breaks.
pub fn check_grammar(expression: &str) -> Result<Filter, Vec<FilterError>> {
    let filter = parse(expression).map_err(|e| vec![e])?;
    let errors = grammar_rules(&filter);
    if errors.is_empty() {
        Ok(filter)
    } else {
        Err(errors)
    }
}

/// Every broken rule of `expression` in a group whose datasets' schemas
/// `schema_of` gives: the grammar's, then each field checked against its
/// dataset's schema.
pub fn check_filter<'s>(
    expression: &str,
    schema_of: impl Fn(DatasetType) -> DatasetSchema<'s>,
) -> Vec<FilterError> {
    let filter = match parse(expression) {
        Ok(filter) => filter,
        Err(e) => return vec![e],
    };
    let mut errors = grammar_rules(&filter);
    let refused: HashSet<usize> = errors.iter().map(|e| e.offset).collect();
    let mut absent_reported = HashSet::new();
    for (_, condition) in filter.conditions() {
        let refs =
            std::iter::once(&condition.field).chain(condition.values.iter().filter_map(|v| {
                match &v.kind {
                    ValueKind::CurrentItem(f) => Some(f),
                    _ => None,
                }
            }));
        for field in refs {
            if refused.contains(&field.at) || refused.contains(&field.field_at) {
                continue;
            }
            let dataset = field.owner.dataset();
            match schema_of(dataset) {
                DatasetSchema::Unknown => {}
                DatasetSchema::Absent => {
                    if absent_reported.insert(dataset) {
                        errors.push(absent(field, dataset));
                    }
                }
                DatasetSchema::Known(schema) => {
                    let facts = field_facts(schema);
                    errors.extend(check_field(field, condition.op, condition.op_at, &facts));
                }
            }
        }
    }
    errors.sort_by_key(|e| e.offset);
    errors
}

fn absent(field: &FieldRef, dataset: DatasetType) -> FilterError {
    let (message, source) = match field.owner {
        Owner::CurrentUser => (
            "IF CurrentUser conditions need a Users dataset, and the group has none".to_string(),
            source::EXPRESSIONS,
        ),
        _ => (
            format!(
                "`{field}` names the {} dataset, and the group has none",
                dataset.as_api()
            ),
            source::ELEMENTS,
        ),
    };
    FilterError::new(
        field.at,
        message,
        format!(
            "add a `{}` dataset to the group, or filter by a dataset it has",
            dataset.spec_key()
        ),
        source,
    )
}

/// The field exists in its dataset's schema and may be filtered with `op`.
fn check_field(field: &FieldRef, op: Op, op_at: usize, facts: &[FieldFacts]) -> Vec<FilterError> {
    let dataset = field.owner.dataset().as_api();
    let Some(fact) = facts.iter().find(|f| f.name == field.field) else {
        let names = facts.iter().map(|f| f.name);
        let hint = match did_you_mean(&field.field, names.clone()) {
            Some(close) => format!("did you mean `{}.{close}`?", field.owner.as_str()),
            None => format!(
                "the {dataset} schema's fields are {}",
                names.collect::<Vec<_>>().join(", ")
            ),
        };
        return vec![FilterError::new(
            field.field_at,
            format!(
                "`{field}`: the {dataset} schema has no field `{}`",
                field.field
            ),
            hint,
            source::ELEMENTS,
        )];
    };
    let mut errors = Vec::new();
    if fact.base == Some(Primitive::Boolean) {
        errors.push(FilterError::new(
            field.field_at,
            format!("`{field}` is a boolean, and filters cannot test boolean fields"),
            "store the value as a string (\"True\"/\"False\") or an int or long (0/1) and filter on that",
            source::GUIDELINES,
        ));
    } else if fact.textual {
        errors.push(FilterError::new(
            field.field_at,
            format!("`{field}` is a textual field, and filters cannot test unstructured text"),
            "filter on a categorical or numeric field instead",
            source::GUIDELINES,
        ));
    } else if op.is_range() && !fact.base.is_some_and(is_numeric) {
        let t = fact.base.map_or("null".into(), |b| b.to_string());
        errors.push(FilterError::new(
            op_at,
            format!("`{}` compares numbers, and `{field}` is {t}", op.as_str()),
            "test strings with IN (...) or NOT IN (...)",
            source::ELEMENTS,
        ));
    }
    errors
}

fn is_numeric(p: Primitive) -> bool {
    matches!(
        p,
        Primitive::Int | Primitive::Long | Primitive::Float | Primitive::Double
    )
}

/// The rules that need no schema.
fn grammar_rules(filter: &Filter) -> Vec<FilterError> {
    let mut errors = Vec::new();
    for expression in &filter.expressions {
        expression_rules(expression, &mut errors);
    }
    // Counts over the whole filter, `|`-joined expressions included.
    let mut seen = Vec::new();
    for field in filter.field_refs() {
        let key = (field.owner.dataset(), field.field.as_str());
        if !seen.contains(&key) {
            seen.push(key);
            if seen.len() == MAX_FIELDS_PER_FILTER + 1 {
                errors.push(FilterError::new(
                    field.at,
                    format!("the filter reads more than {MAX_FIELDS_PER_FILTER} distinct dataset fields"),
                    "split it into several filters",
                    source::GUIDELINES,
                ));
            }
        }
    }
    let mut params = Vec::new();
    for (_, condition) in filter.conditions() {
        for value in &condition.values {
            if let ValueKind::Param(name) = &value.kind {
                if !params.contains(&name) {
                    params.push(name);
                    if params.len() == MAX_PARAMETERS + 1 {
                        errors.push(FilterError::new(
                            value.at,
                            format!("the filter has more than {MAX_PARAMETERS} placeholder parameters"),
                            format!("a request gives values for at most {MAX_PARAMETERS}; use fixed values or split the filter"),
                            source::RUNTIME_FILTER_VALUES,
                        ));
                    }
                }
            }
        }
    }
    errors.sort_by_key(|e| e.offset);
    errors
}

fn expression_rules(e: &Expression, errors: &mut Vec<FilterError>) {
    let allowed = e.target.datasets();
    let first = e.conditions.first().map(|c| c.field.owner.dataset());
    for condition in &e.conditions {
        let field = &condition.field;
        let dataset = field.owner.dataset();
        if !allowed.contains(&dataset) {
            errors.push(FilterError::new(
                field.at,
                format!(
                    "{} expressions cannot test the {} dataset",
                    e.target.as_str(),
                    dataset.as_api()
                ),
                format!(
                    "{} expressions test {}",
                    e.target.as_str(),
                    allowed
                        .iter()
                        .map(|t| t.as_api())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                source::EXPRESSIONS,
            ));
        } else if first.is_some_and(|first| first != dataset) {
            errors.push(FilterError::new(
                field.at,
                format!(
                    "conditions joined by AND or OR test the dataset of the first one ({}), not {}",
                    first.map_or("", DatasetType::as_api),
                    dataset.as_api()
                ),
                "move this condition into its own expression, joined with `|`",
                source::GUIDELINES,
            ));
        }
        dataset_field_rules(condition.field.owner, condition, errors);
    }
    for condition in e.conditions.iter().chain(&e.user_conditions) {
        value_rules(e, condition, errors);
    }
}

/// What the guidelines say about particular datasets' fields.
fn dataset_field_rules(owner: Owner, condition: &super::Condition, errors: &mut Vec<FilterError>) {
    let field = &condition.field;
    match owner {
        Owner::Dataset(DatasetType::Interactions | DatasetType::ActionInteractions) => {
            if field.field != "EVENT_TYPE" {
                errors.push(FilterError::new(
                    field.field_at,
                    format!("`{field}`: interactions can be filtered only by EVENT_TYPE"),
                    format!("write `{}.EVENT_TYPE IN (...)`", owner.as_str()),
                    source::GUIDELINES,
                ));
            } else if let Op::Compare(op) = condition.op {
                errors.push(FilterError::new(
                    condition.op_at,
                    format!("`{op}` cannot test an event type"),
                    "event types are strings: use IN (...) or NOT IN (...)",
                    source::ELEMENTS,
                ));
            }
        }
        Owner::Dataset(DatasetType::Actions)
            if matches!(
                field.field.as_str(),
                "EXPIRATION_TIMESTAMP" | "REPEAT_FREQUENCY"
            ) =>
        {
            errors.push(FilterError::new(
                field.field_at,
                // "You can't create filters that filter based on Action expiration
                // timestamp and Repeat frequency data" (the reserved
                // EXPIRATION_TIMESTAMP and REPEAT_FREQUENCY fields of Actions).
                format!("filters cannot test `{field}`: Personalize already filters actions by it"),
                "remove this condition",
                source::GUIDELINES,
            ));
        }
        _ => {}
    }
}

fn value_rules(e: &Expression, condition: &super::Condition, errors: &mut Vec<FilterError>) {
    let field = &condition.field;
    let is_event_type = matches!(
        field.owner,
        Owner::Dataset(DatasetType::Interactions | DatasetType::ActionInteractions)
    ) && field.field == "EVENT_TYPE";
    let several = condition.values.len() > 1;
    for value in &condition.values {
        let refusal = match (&value.kind, condition.op) {
            (ValueKind::Param(name), Op::NotIn) => Some((
                format!("`${name}`: NOT IN cannot take a placeholder parameter"),
                "use IN with the opposite action (INCLUDE instead of EXCLUDE, or the reverse)"
                    .to_string(),
                source::GUIDELINES,
            )),
            (ValueKind::Param(name), _) if several => Some((
                format!("`${name}` must be the only value in its list"),
                format!(
                    "write `IN (${name})`; the request gives it several comma-separated values"
                ),
                source::BUILDER,
            )),
            (ValueKind::Star, Op::In | Op::NotIn) if is_event_type => None,
            (ValueKind::Star, _) => Some((
                "`*` stands only for every event type".to_string(),
                "use `*` only in `Interactions.EVENT_TYPE IN (*)`".to_string(),
                source::ELEMENTS,
            )),
            (ValueKind::Str(_), op) if op.is_range() => Some((
                format!("`{}` compares numbers, not strings", op.as_str()),
                "test strings with IN (...) or NOT IN (...)".to_string(),
                source::ELEMENTS,
            )),
            (ValueKind::CurrentItem(_), _) if e.target != super::Target::ItemId => Some((
                "CurrentItem applies only to related-items recommendations: ItemID expressions"
                    .to_string(),
                format!("remove it from this {} expression", e.target.as_str()),
                source::ITEM_EXAMPLES,
            )),
            _ => None,
        };
        if let Some((message, hint, source)) = refusal {
            errors.push(FilterError::new(value.at, message, hint, source));
        }
    }
}
