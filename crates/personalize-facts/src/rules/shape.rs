//! Values against the shapes botocore's API model declares (strings with
//! lengths, patterns and enums; doubles with bounds; maps, lists and
//! structures): every mismatch with where it is below the value, for the
//! rulebook's tables of API members (`solution_config.rs`).

use regex::Regex;
use serde_json::Value;

/// The shape of a value, as botocore declares it (bounds included).
#[derive(Debug)]
pub enum Shape {
    /// `string`: lengths in characters; `pattern` anchored; `allowed` the enum.
    Str {
        botocore: &'static str,
        min: Option<usize>,
        max: Option<usize>,
        pattern: Option<&'static str>,
        allowed: &'static [&'static str],
    },
    /// `double`.
    Double {
        botocore: &'static str,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// `map` of at most `max` entries.
    Map {
        botocore: &'static str,
        max: Option<usize>,
        key: &'static Shape,
        value: &'static Shape,
    },
    /// `list` of at most `max` members.
    List {
        botocore: &'static str,
        max: Option<usize>,
        member: &'static Shape,
    },
    /// `structure` with these members.
    Struct {
        botocore: &'static str,
        members: &'static [(&'static str, &'static Shape)],
    },
}

impl Shape {
    /// The botocore shape name it mirrors.
    pub fn botocore(&self) -> &'static str {
        match self {
            Shape::Str { botocore, .. }
            | Shape::Double { botocore, .. }
            | Shape::Map { botocore, .. }
            | Shape::List { botocore, .. }
            | Shape::Struct { botocore, .. } => botocore,
        }
    }
}

/// One step into a value: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// One value that does not fit its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where below the checked value.
    pub steps: Vec<Step>,
    /// Whether it is about the key that ends `steps` (an unknown member,
    /// a map key) rather than its value.
    pub at_key: bool,
    pub message: String,
    pub hint: String,
}

/// Every way `value` does not fit `shape`.
pub fn check(value: &Value, shape: &Shape) -> Vec<Mismatch> {
    let mut out = Vec::new();
    walk(value, shape, &mut Vec::new(), &mut out);
    out
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn mismatch(steps: &[Step], message: String, hint: impl Into<String>) -> Mismatch {
    Mismatch {
        steps: steps.to_vec(),
        at_key: false,
        message,
        hint: hint.into(),
    }
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("built-in pattern {pattern}: {e}"))
}

fn walk(value: &Value, shape: &Shape, steps: &mut Vec<Step>, out: &mut Vec<Mismatch>) {
    match (shape, value) {
        (Shape::Str { .. }, Value::String(text)) => check_str(text, shape, steps, out),
        (Shape::Str { .. }, Value::Number(n)) => out.push(mismatch(
            steps,
            format!("expected a string, found the number {n}"),
            format!("the API takes this as a string: quote it, \"{n}\""),
        )),
        (Shape::Double { min, max, .. }, Value::Number(n)) => {
            let x = n.as_f64().unwrap_or_default();
            if min.is_some_and(|m| x < m) || max.is_some_and(|m| x > m) {
                out.push(mismatch(
                    steps,
                    format!("{n} is out of range"),
                    format!("use a number {}", range(*min, *max)),
                ));
            }
        }
        (
            Shape::Map {
                max, key, value, ..
            },
            Value::Object(map),
        ) => {
            if max.is_some_and(|m| map.len() > m) {
                out.push(mismatch(
                    steps,
                    format!(
                        "{} entries, but the API takes at most {}",
                        map.len(),
                        max.unwrap_or_default()
                    ),
                    "remove entries",
                ));
            }
            for (k, v) in map {
                steps.push(Step::Key(k.clone()));
                let mut key_issues = Vec::new();
                check_str(k, key, steps, &mut key_issues);
                out.extend(
                    key_issues
                        .into_iter()
                        .map(|m| Mismatch { at_key: true, ..m }),
                );
                walk(v, value, steps, out);
                steps.pop();
            }
        }
        (Shape::List { max, member, .. }, Value::Array(items)) => {
            if max.is_some_and(|m| items.len() > m) {
                out.push(mismatch(
                    steps,
                    format!(
                        "{} items, but the API takes at most {}",
                        items.len(),
                        max.unwrap_or_default()
                    ),
                    "remove items",
                ));
            }
            for (i, item) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                walk(item, member, steps, out);
                steps.pop();
            }
        }
        (Shape::Struct { members, .. }, Value::Object(map)) => {
            for (k, v) in map {
                steps.push(Step::Key(k.clone()));
                match members.iter().find(|(name, _)| name == k) {
                    Some((_, member)) => walk(v, member, steps, out),
                    None => {
                        let names = members.iter().map(|(name, _)| *name);
                        let hint = match super::did_you_mean(k, names.clone()) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => format!("members: {}", names.collect::<Vec<_>>().join(", ")),
                        };
                        out.push(Mismatch {
                            at_key: true,
                            ..mismatch(steps, format!("unknown member `{k}`"), hint)
                        });
                    }
                }
                steps.pop();
            }
        }
        (_, other) => out.push(mismatch(
            steps,
            format!("expected {}, found {}", expected(shape), kind(other)),
            format!("write {} here", expected(shape)),
        )),
    }
}

fn expected(shape: &Shape) -> &'static str {
    match shape {
        Shape::Str { .. } => "a string",
        Shape::Double { .. } => "a number",
        Shape::Map { .. } | Shape::Struct { .. } => "a mapping",
        Shape::List { .. } => "a list",
    }
}

fn range(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("from {a} to {b}"),
        (Some(a), None) => format!("of at least {a}"),
        (None, Some(b)) => format!("of at most {b}"),
        (None, None) => String::new(),
    }
}

fn check_str(text: &str, shape: &Shape, steps: &[Step], out: &mut Vec<Mismatch>) {
    let Shape::Str {
        min,
        max,
        pattern,
        allowed,
        ..
    } = shape
    else {
        return;
    };
    let chars = text.chars().count();
    if min.is_some_and(|m| chars < m) || max.is_some_and(|m| chars > m) {
        out.push(mismatch(
            steps,
            format!("`{text}` has {chars} characters"),
            format!(
                "use {}-{} characters",
                min.unwrap_or_default(),
                max.map_or("any".to_string(), |m| m.to_string())
            ),
        ));
    }
    if let Some(pattern) = pattern {
        // Specs are small: compiling per value costs nothing noticeable.
        let matches = regex(pattern).is_match(text);
        if !matches {
            out.push(mismatch(
                steps,
                format!("`{text}` does not match the API's pattern {pattern}"),
                "use letters, digits and `_`, starting with a letter or `_`",
            ));
        }
    }
    if !allowed.is_empty() && !allowed.contains(&text) {
        let hint = match super::did_you_mean(text, allowed.iter().copied()) {
            Some(close) => format!("did you mean `{close}`? allowed: {}", allowed.join(", ")),
            None => format!("allowed: {}", allowed.join(", ")),
        };
        out.push(mismatch(
            steps,
            format!("`{text}` is not an allowed value"),
            hint,
        ));
    }
}
