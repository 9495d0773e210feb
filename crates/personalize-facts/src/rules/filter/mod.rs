//! Personalize's filter expressions: the grammar (`lexer`, `parser`) and the
//! rules the developer guide states about them (`check`), each with its
//! page. `pzr validate` and the emulator's CreateFilter both call
//! [`check_filter`], so the same expression is refused offline and online.

mod check;
mod lexer;
mod parser;

use std::fmt;

use serde_json::Value as Json;

use crate::resource::DatasetType;

pub use check::{check_filter, check_grammar};

/// The developer-guide pages the rules come from.
pub mod source {
    pub const ELEMENTS: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/creating-filter-expressions.html";
    pub const EXPRESSIONS: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/filter-expressions.html";
    pub const GUIDELINES: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/filter-expression-guidelines-requirements.html";
    pub const ITEM_EXAMPLES: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/item-recommendation-filter-examples.html";
    pub const USER_SEGMENT_EXAMPLES: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/user-segment-filter-examples.html";
    pub const ACTION_EXAMPLES: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/action-recommendation-filter-examples.html";
    pub const BUILDER: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/filter-real-time.html";
    pub const CREATE_FILTER: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/API_CreateFilter.html";
    pub const RUNTIME_FILTER_VALUES: &str =
        "https://docs.aws.amazon.com/personalize/latest/dg/API_RS_GetRecommendations.html";
    pub const LIMITS: &str = "https://docs.aws.amazon.com/personalize/latest/dg/limits.html";
}

/// `filterExpression`: "Minimum length of 1. Maximum length of 2500."
/// (API_CreateFilter, and the vendored botocore model).
pub const MAX_EXPRESSION_CHARS: usize = 2500;
/// "Total number of filters per dataset group" (limits.html), shared with
/// the emulator's quotas.
pub const MAX_FILTERS_PER_GROUP: usize = 30;
/// "The maximum number of distinct dataset fields for a filter, either in one
/// expression or across multiple expressions chained together, is 10"
/// (filter-expression-guidelines-requirements).
pub const MAX_FIELDS_PER_FILTER: usize = 10;
/// "The maximum number of distinct dataset fields across all filters in a
/// dataset group is 20" (filter-expression-guidelines-requirements).
pub const MAX_FIELDS_PER_GROUP: usize = 20;
/// Most placeholder parameters a filter may have: GetRecommendations'
/// `filterValues` holds at most 25 ("Map Entries: Maximum number of 25
/// items", API_RS_GetRecommendations), and an INCLUDE filter needs a value
/// for every parameter.
pub const MAX_PARAMETERS: usize = 25;

/// One broken rule, at a character of the expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {}: {message}", .offset + 1)]
pub struct FilterError {
    /// 0-based character offset of the bad token in the expression.
    pub offset: usize,
    pub message: String,
    pub hint: String,
    /// The developer-guide page the rule comes from.
    pub page: &'static str,
}

impl FilterError {
    fn new(
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
        page: &'static str,
    ) -> FilterError {
        FilterError {
            offset,
            message: message.into(),
            hint: hint.into(),
            page,
        }
    }

    /// 1-based character column of the bad token.
    pub fn column(&self) -> usize {
        self.offset + 1
    }
}

/// What the group holds for a dataset type the expression names.
#[derive(Debug, Clone, Copy)]
pub enum DatasetSchema<'a> {
    /// The group has no dataset of that type.
    Absent,
    /// It has one whose schema is not known (already reported elsewhere):
    /// its fields go unchecked.
    Unknown,
    /// Its Avro schema.
    Known(&'a Json),
}

/// A parsed filter: expressions joined by `|`.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub expressions: Vec<Expression>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Include,
    Exclude,
}

/// What an expression filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    ItemId,
    UserId,
    ActionId,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::ItemId => "ItemID",
            Target::UserId => "UserID",
            Target::ActionId => "ActionID",
        }
    }

    /// The datasets its WHERE conditions may test: items by item data or
    /// item interactions; users (user segments) by user data or item
    /// interactions; actions by action data or action interactions
    /// (filter-expressions, and the three examples pages).
    pub fn datasets(self) -> &'static [DatasetType] {
        match self {
            Target::ItemId => &[DatasetType::Items, DatasetType::Interactions],
            Target::UserId => &[DatasetType::Users, DatasetType::Interactions],
            Target::ActionId => &[DatasetType::Actions, DatasetType::ActionInteractions],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    pub action: Action,
    /// Offset of INCLUDE/EXCLUDE.
    pub at: usize,
    pub target: Target,
    pub target_at: usize,
    /// The WHERE conditions.
    pub conditions: Vec<Condition>,
    /// The IF conditions on the CurrentUser.
    pub user_conditions: Vec<Condition>,
}

/// Whose field a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Dataset(DatasetType),
    /// The user getting recommendations: a field of Users.
    CurrentUser,
    /// The item of a related-items request: a field of Items.
    CurrentItem,
}

impl Owner {
    /// The dataset whose schema holds the field.
    pub fn dataset(self) -> DatasetType {
        match self {
            Owner::Dataset(t) => t,
            Owner::CurrentUser => DatasetType::Users,
            Owner::CurrentItem => DatasetType::Items,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Dataset(t) => t.as_api(),
            Owner::CurrentUser => "CurrentUser",
            Owner::CurrentItem => "CurrentItem",
        }
    }
}

/// `Owner.FIELD`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRef {
    pub owner: Owner,
    pub field: String,
    pub at: usize,
    pub field_at: usize,
}

impl fmt::Display for FieldRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.owner.as_str(), self.field)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    In,
    NotIn,
    /// `=`, `!=`, `<`, `<=`, `>`, `>=`.
    Compare(&'static str),
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::In => "IN",
            Op::NotIn => "NOT IN",
            Op::Compare(op) => op,
        }
    }

    /// `<`, `<=`, `>`, `>=`: an order, so numbers only.
    fn is_range(self) -> bool {
        matches!(self, Op::Compare("<" | "<=" | ">" | ">="))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: FieldRef,
    pub op: Op,
    pub op_at: usize,
    pub values: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub at: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Str(String),
    Number(String),
    Param(String),
    /// Every event type.
    Star,
    CurrentItem(FieldRef),
}

impl Filter {
    /// Every field the filter reads, as (dataset, field), in order of first use.
    pub fn fields(&self) -> Vec<(DatasetType, &str)> {
        let mut out: Vec<(DatasetType, &str)> = Vec::new();
        for field in self.field_refs() {
            let key = (field.owner.dataset(), field.field.as_str());
            if !out.contains(&key) {
                out.push(key);
            }
        }
        out
    }

    fn field_refs(&self) -> impl Iterator<Item = &FieldRef> {
        self.conditions().flat_map(|(_, c)| {
            std::iter::once(&c.field).chain(c.values.iter().filter_map(|v| match &v.kind {
                ValueKind::CurrentItem(f) => Some(f),
                _ => None,
            }))
        })
    }

    fn conditions(&self) -> impl Iterator<Item = (&Expression, &Condition)> {
        self.expressions.iter().flat_map(|e| {
            e.conditions
                .iter()
                .chain(&e.user_conditions)
                .map(move |c| (e, c))
        })
    }
}

/// Parses `expression` with the grammar alone (no schema), stopping at the
/// first syntax error.
pub fn parse(expression: &str) -> Result<Filter, FilterError> {
    let chars = expression.chars().count();
    if chars > MAX_EXPRESSION_CHARS {
        return Err(FilterError::new(
            MAX_EXPRESSION_CHARS,
            format!("the expression is {chars} characters long; Personalize takes at most {MAX_EXPRESSION_CHARS}"),
            "shorten it, or split it into several filters",
            source::CREATE_FILTER,
        ));
    }
    let tokens = lexer::lex(expression)?;
    if tokens.len() == 1 {
        return Err(FilterError::new(
            0,
            "the expression is empty",
            "write an expression such as `EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")`",
            source::CREATE_FILTER,
        ));
    }
    parser::parse(&tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grammar(expression: &str) -> Vec<FilterError> {
        check_grammar(expression).err().unwrap_or_default()
    }

    #[test]
    fn the_length_limit_is_the_api_models() {
        let long = format!(
            "INCLUDE ItemID WHERE Items.GENRE IN (\"{}\")",
            "a".repeat(2500)
        );
        let error = parse(&long).unwrap_err();
        assert_eq!(error.column(), MAX_EXPRESSION_CHARS + 1);
        assert_eq!(error.page, source::CREATE_FILTER);
    }

    #[test]
    fn parameter_names_are_filter_values_keys() {
        let long = format!("INCLUDE ItemID WHERE Items.GENRE IN (${})", "P".repeat(51));
        assert!(parse(&long)
            .unwrap_err()
            .message
            .contains("invalid placeholder"));
        let ok = format!("INCLUDE ItemID WHERE Items.GENRE IN (${})", "P".repeat(50));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn fields_and_parameters_are_counted_over_the_whole_filter() {
        let conditions = |n: usize, value: &dyn Fn(usize) -> String| {
            (0..n)
                .map(|i| format!("Items.F{i} IN ({})", value(i)))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        let ten = format!(
            "INCLUDE ItemID WHERE {}",
            conditions(10, &|_| "\"a\"".into())
        );
        assert!(grammar(&ten).is_empty());
        let eleven = format!("{ten} | EXCLUDE ItemID WHERE Items.F10 IN (\"a\")");
        let errors = grammar(&eleven);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0]
            .message
            .contains("more than 10 distinct dataset fields"));
        assert_eq!(errors[0].offset, eleven.rfind("Items.F10").unwrap());

        let params = (0..26)
            .map(|i| format!("INCLUDE ItemID WHERE Items.F IN ($P{i})"))
            .collect::<Vec<_>>()
            .join(" | ");
        let errors = grammar(&params);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0]
            .message
            .contains("more than 25 placeholder parameters"));
    }

    #[test]
    fn fields_lists_each_dataset_field_once_with_current_ones_as_their_datasets() {
        let filter = parse("INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE IF CurrentUser.AGE > 3").unwrap();
        assert_eq!(
            filter.fields(),
            vec![
                (DatasetType::Items, "PRICE"),
                (DatasetType::Items, "GENRE"),
                (DatasetType::Users, "AGE"),
            ]
        );
    }
}
