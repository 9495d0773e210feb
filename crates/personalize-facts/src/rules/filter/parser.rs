//! The filter grammar, from
//! https://docs.aws.amazon.com/personalize/latest/dg/creating-filter-expressions.html
//! and the examples pages:
//!
//! ```text
//! filter     := expression ( "|" expression )*
//! expression := ( INCLUDE | EXCLUDE ) ( ItemID | UserID | ActionID ) WHERE
//!               condition ( ( AND | OR ) condition )*
//!               [ IF user-cond ( AND user-cond )* ]
//! condition  := Dataset "." FIELD operator values
//! user-cond  := CurrentUser "." FIELD operator values
//! operator   := IN | NOT IN | = | != | < | <= | > | >=
//! values     := "(" value ( "," value )* ")" | CurrentItem "." FIELD      (IN, NOT IN)
//!             | value | "(" value ")"                                  (the others)
//! value      := "string" | number | $PARAMETER | * | CurrentItem "." FIELD
//! ```
//!
//! The pages never group conditions with parentheses, so `(` where a
//! condition starts is refused; how AND and OR bind is not stated and does
//! not matter for validation.

use super::lexer::{Tok, Token};
use super::{
    source, Action, Condition, Expression, FieldRef, Filter, FilterError, Op, Owner, Target, Value,
    ValueKind,
};
use crate::resource::DatasetType;

/// Parses the tokens of a whole filter.
pub fn parse(tokens: &[Token]) -> Result<Filter, FilterError> {
    let mut p = Parser { tokens, i: 0 };
    let mut expressions = vec![p.expression()?];
    while p.eat(&Tok::Pipe) {
        expressions.push(p.expression()?);
    }
    Ok(Filter { expressions })
}

struct Parser<'t> {
    tokens: &'t [Token],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.i.min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.i += 1;
        t
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        let hit = &self.peek().tok == tok;
        if hit {
            self.i += 1;
        }
        hit
    }

    fn word(&self) -> Option<&str> {
        match &self.peek().tok {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let hit = self.word() == Some(word);
        if hit {
            self.i += 1;
        }
        hit
    }

    /// An error at the next token.
    fn unexpected(&self, expected: &str, hint: impl Into<String>) -> FilterError {
        let t = self.peek();
        FilterError::new(
            t.at,
            format!("expected {expected}, found {}", t.tok.describe()),
            hint,
            source::ELEMENTS,
        )
    }

    fn expression(&mut self) -> Result<Expression, FilterError> {
        let at = self.peek().at;
        let action = match self.word() {
            Some("INCLUDE") => Action::Include,
            Some("EXCLUDE") => Action::Exclude,
            _ => {
                return Err(self.unexpected(
                    "INCLUDE or EXCLUDE",
                    "each expression starts `INCLUDE ItemID WHERE` or `EXCLUDE ItemID WHERE` (or UserID, ActionID)",
                ))
            }
        };
        self.i += 1;
        let target_at = self.peek().at;
        let target = match self.word() {
            Some("ItemID") => Target::ItemId,
            Some("UserID") => Target::UserId,
            Some("ActionID") => Target::ActionId,
            _ => {
                return Err(self.unexpected(
                    "ItemID, UserID or ActionID",
                    "filter items with ItemID, users (user segments) with UserID, actions with ActionID",
                ))
            }
        };
        self.i += 1;
        if !self.eat_word("WHERE") {
            return Err(
                self.unexpected("WHERE", format!("write `WHERE` after {}", target.as_str()))
            );
        }
        let mut conditions = vec![self.condition(false)?];
        let mut user_conditions = Vec::new();
        loop {
            if self.eat_word("AND") || self.eat_word("OR") {
                conditions.push(self.condition(false)?);
                continue;
            }
            if self.eat_word("IF") {
                user_conditions.push(self.condition(true)?);
                while self.eat_word("AND") {
                    user_conditions.push(self.condition(true)?);
                }
            }
            break;
        }
        match self.peek().tok {
            Tok::Pipe | Tok::End => {}
            _ if !user_conditions.is_empty() => {
                return Err(self.unexpected(
                    "AND, `|` or the end of the expression",
                    "an IF condition comes once, at the end of an expression, and is extended only with AND",
                ))
            }
            _ => {
                return Err(self.unexpected(
                    "AND, OR, IF, `|` or the end of the expression",
                    "chain conditions with AND or OR, and expressions with `|`",
                ))
            }
        }
        Ok(Expression {
            action,
            at,
            target,
            target_at,
            conditions,
            user_conditions,
        })
    }

    /// `Dataset.FIELD op values`; `CurrentUser.FIELD op values` in an IF.
    fn condition(&mut self, in_if: bool) -> Result<Condition, FilterError> {
        if self.peek().tok == Tok::Open {
            return Err(FilterError::new(
                self.peek().at,
                "parentheses cannot group conditions",
                "write the conditions one after another, joined by AND or OR; split alternatives into expressions joined by `|`",
                source::ELEMENTS,
            ));
        }
        let field = self.field_ref()?;
        match (field.owner, in_if) {
            (Owner::CurrentUser, false) => {
                return Err(FilterError::new(
                    field.at,
                    "CurrentUser can only be used in an IF condition",
                    "end the expression with `IF CurrentUser.FIELD = $VALUE`",
                    source::ELEMENTS,
                ))
            }
            (Owner::CurrentItem, _) => {
                return Err(FilterError::new(
                    field.at,
                    "CurrentItem is a value, not the field a condition tests",
                    "compare an Items field with it: `Items.PRICE < CurrentItem.PRICE`",
                    source::ITEM_EXAMPLES,
                ))
            }
            (Owner::Dataset(_), true) => {
                return Err(FilterError::new(
                    field.at,
                    "an IF condition tests the CurrentUser only",
                    "write `IF CurrentUser.FIELD ...`, or move this condition before IF",
                    source::ELEMENTS,
                ))
            }
            _ => {}
        }
        let op_at = self.peek().at;
        let op = match self.next().tok {
            Tok::Word(w) if w == "IN" => Op::In,
            Tok::Word(w) if w == "NOT" => {
                if !self.eat_word("IN") {
                    return Err(self.unexpected("IN after NOT", "write `NOT IN (...)`"));
                }
                Op::NotIn
            }
            Tok::Op(op) => Op::Compare(op),
            _ => {
                self.i -= 1;
                return Err(self.unexpected(
                    "an operator (IN, NOT IN, =, !=, <, <=, >, >=)",
                    "a condition reads `Dataset.FIELD IN (\"value\")` or `Dataset.FIELD < $PARAMETER`",
                ));
            }
        };
        let values = match op {
            Op::In | Op::NotIn => self.list(op)?,
            Op::Compare(_) => {
                let open = self.eat(&Tok::Open);
                let value = self.value()?;
                if open && !self.eat(&Tok::Close) {
                    return Err(self.unexpected("`)`", "a comparison takes one value"));
                }
                vec![value]
            }
        };
        Ok(Condition {
            field,
            op,
            op_at,
            values,
        })
    }

    /// The values of IN / NOT IN: a parenthesised list, or CurrentItem.FIELD
    /// (`Items.GENRE IN CurrentItem.GENRE`, item-recommendation-filter-examples).
    fn list(&mut self, op: Op) -> Result<Vec<Value>, FilterError> {
        if self.word() == Some("CurrentItem") {
            return Ok(vec![self.value()?]);
        }
        if !self.eat(&Tok::Open) {
            return Err(self.unexpected(
                "`(`",
                format!(
                    "write the values in parentheses: `{} (\"a\", \"b\")`",
                    op.as_str()
                ),
            ));
        }
        let mut values = vec![self.value()?];
        while self.eat(&Tok::Comma) {
            values.push(self.value()?);
        }
        if !self.eat(&Tok::Close) {
            return Err(self.unexpected(
                "`,` or `)`",
                "separate values with commas and close the list with `)`",
            ));
        }
        Ok(values)
    }

    fn value(&mut self) -> Result<Value, FilterError> {
        let at = self.peek().at;
        let kind = match self.peek().tok.clone() {
            Tok::Str(s) => ValueKind::Str(s),
            Tok::Number(n) => ValueKind::Number(n),
            Tok::Param(p) => ValueKind::Param(p),
            Tok::Star => ValueKind::Star,
            Tok::Word(w) if w == "CurrentItem" => {
                let field = self.field_ref()?;
                return Ok(Value {
                    kind: ValueKind::CurrentItem(field),
                    at,
                });
            }
            _ => {
                return Err(self.unexpected(
                    "a value",
                    "write a \"string\", a number, a $PARAMETER or CurrentItem.FIELD",
                ))
            }
        };
        self.i += 1;
        Ok(Value { kind, at })
    }

    /// `Owner.FIELD`, where the owner is a dataset, CurrentUser or CurrentItem.
    fn field_ref(&mut self) -> Result<FieldRef, FilterError> {
        let at = self.peek().at;
        let Some(name) = self.word().map(str::to_string) else {
            return Err(self.unexpected(
                "a Dataset.FIELD name",
                "name the field as `Items.GENRE`, `Users.AGE`, `Interactions.EVENT_TYPE`, `Actions.VALUE` or `Action_Interactions.EVENT_TYPE`",
            ));
        };
        let owner = match name.as_str() {
            "CurrentUser" => Owner::CurrentUser,
            "CurrentItem" => Owner::CurrentItem,
            other => match DatasetType::ALL.into_iter().find(|t| t.as_api() == other) {
                Some(t) => Owner::Dataset(t),
                None => {
                    let names = DatasetType::ALL.map(DatasetType::as_api);
                    let hint = match crate::rules::did_you_mean(other, names) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!("the datasets are {}", names.join(", ")),
                    };
                    return Err(FilterError::new(
                        at,
                        format!("`{other}` is not a dataset"),
                        hint,
                        source::ELEMENTS,
                    ));
                }
            },
        };
        self.i += 1;
        if !self.eat(&Tok::Dot) {
            return Err(self.unexpected("`.`", format!("write `{name}.FIELD`")));
        }
        let field_at = self.peek().at;
        let Some(field) = self.word().map(str::to_string) else {
            return Err(self.unexpected("a field name", format!("write `{name}.FIELD`")));
        };
        self.i += 1;
        Ok(FieldRef {
            owner,
            field,
            at,
            field_at,
        })
    }
}
