//! The checks that apply `table` to a parsed Avro schema, returning every
//! violation with the JSON Pointer of what it concerns.

use std::collections::HashMap;

use serde_json::Value;

use super::table::{rules_for, Attr, DatasetRules, FieldRule, SCHEMA_FORMAT};
use super::{Primitive, Stage, Violation};
use crate::resource::{DatasetType, Domain};

/// A field's type in Personalize's flat type system: one primitive, or null,
/// or a union of one primitive with null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FieldType {
    base: Option<Primitive>,
    nullable: bool,
}

impl FieldType {
    fn describe(self) -> String {
        match (self.base, self.nullable) {
            (None, _) => "null".into(),
            (Some(base), false) => base.to_string(),
            (Some(base), true) => format!("{base} or null"),
        }
    }
}

/// One field of the record, as far as it could be read.
struct Field<'a> {
    index: usize,
    name: &'a str,
    json: &'a Value,
    /// `None` when the type breaks the type system (reported by `check_schema`).
    t: Option<FieldType>,
}

impl Field<'_> {
    fn flag(&self, attr: &str) -> bool {
        self.json.get(attr).and_then(Value::as_bool) == Some(true)
    }

    fn pointer(&self, member: &str) -> String {
        format!("/fields/{}/{member}", self.index)
    }
}

/// What breaks the type system, and where under the field's `type`.
struct Unsupported {
    suffix: String,
    what: String,
}

fn unsupported(suffix: String, what: impl Into<String>) -> Unsupported {
    Unsupported {
        suffix,
        what: what.into(),
    }
}

/// Reads a field's Avro type into the flat type system.
fn classify(t: &Value) -> Result<FieldType, Unsupported> {
    let named = |name: &str, suffix: String| match name {
        "null" => Ok(FieldType {
            base: None,
            nullable: true,
        }),
        _ => match Primitive::from_avro(name) {
            Some(base) => Ok(FieldType {
                base: Some(base),
                nullable: false,
            }),
            None => Err(unsupported(suffix, describe_avro(name))),
        },
    };
    match t {
        Value::String(name) => named(name, String::new()),
        // `{"type": "long"}` is the same Avro type as `"long"`.
        Value::Object(map) => match map.get("type") {
            Some(Value::String(name)) => named(name, String::new()),
            _ => Err(unsupported(String::new(), "not a type Personalize reads")),
        },
        Value::Array(branches) => {
            let mut union = FieldType {
                base: None,
                nullable: false,
            };
            for (j, branch) in branches.iter().enumerate() {
                let Value::String(name) = branch else {
                    let what = branch.get("type").and_then(Value::as_str).unwrap_or("");
                    return Err(unsupported(format!("/{j}"), describe_avro(what)));
                };
                let one = named(name, format!("/{j}"))?;
                union.nullable |= one.nullable;
                match (union.base, one.base) {
                    (Some(a), Some(b)) if a != b => {
                        return Err(unsupported(
                            format!("/{j}"),
                            format!("a union of {a} and {b}"),
                        ))
                    }
                    (None, b) => union.base = b,
                    _ => {}
                }
            }
            Ok(union)
        }
        _ => Err(unsupported(String::new(), "not a type Personalize reads")),
    }
}

fn describe_avro(name: &str) -> String {
    match name {
        "record" => "a nested record".into(),
        "array" => "an array".into(),
        "map" => "a map".into(),
        "enum" => "an enum".into(),
        "fixed" => "a fixed".into(),
        "bytes" => "bytes".into(),
        "" => "a complex type".into(),
        other => format!("the named type {other}"),
    }
}

fn fields(schema: &Value) -> Vec<Field<'_>> {
    let list = schema.get("fields").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .enumerate()
        .map(|(index, json)| Field {
            index,
            name: json.get("name").and_then(Value::as_str).unwrap_or(""),
            json,
            t: json.get("type").and_then(|t| classify(t).ok()),
        })
        .collect()
}

/// A field as the filter rules see it: its name, its primitive type (`None`
/// when the type breaks the type system or is only null) and whether it is
/// `textual`.
pub(super) struct FieldFacts<'a> {
    pub name: &'a str,
    pub base: Option<Primitive>,
    pub textual: bool,
}

pub(super) fn field_facts(schema: &Value) -> Vec<FieldFacts<'_>> {
    fields(schema)
        .iter()
        .map(|f| FieldFacts {
            name: f.name,
            base: f.t.and_then(|t| t.base),
            textual: f.flag("textual"),
        })
        .collect()
}

/// What CreateSchema can check with no dataset type: the flat type system,
/// `categorical`/`textual` on strings only, unique alphanumeric names.
pub fn check_schema(schema: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, &str> = HashMap::new();
    for field in fields(schema) {
        let name = field.name;
        match field.json.get("type").map(classify) {
            Some(Err(bad)) => out.push(Violation {
                pointer: format!("{}{}", field.pointer("type"), bad.suffix),
                stage: Stage::CreateSchema,
                message: format!(
                    "field {name} is {}, but Personalize schemas are flat: a field is string, int, long, float, double or boolean, optionally in a union with null",
                    bad.what
                ),
                hint: "flatten it into top-level fields; several values go in one string separated by `|` (with \"categorical\": true)".into(),
                source: SCHEMA_FORMAT,
            }),
            Some(Ok(t)) if t.base != Some(Primitive::String) => {
                for attr in ["categorical", "textual"] {
                    if field.flag(attr) {
                        out.push(Violation {
                            pointer: field.pointer(attr),
                            stage: Stage::CreateSchema,
                            message: format!(
                                "field {name} has type {}, but `{attr}` applies to string fields only",
                                t.describe()
                            ),
                            hint: format!("remove \"{attr}\": true, or make {name} a string"),
                            source: SCHEMA_FORMAT,
                        });
                    }
                }
            }
            _ => {}
        }
        // "Schema fields must have unique alphanumeric names. For example,
        // you can't add both a GENRES_FIELD_1 field and a GENRESFIELD1 field."
        let key: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        if let Some(first) = seen.insert(key, name) {
            out.push(Violation {
                pointer: field.pointer("name"),
                stage: Stage::CreateSchema,
                message: format!(
                    "field {name} has the same alphanumeric name as field {first}; Personalize needs field names unique once `_` and other symbols are removed"
                ),
                hint: format!("rename {name} or {first}"),
                source: SCHEMA_FORMAT,
            });
        }
    }
    out
}

/// Every rule a schema breaks as the schema of a `dataset_type` dataset in a
/// group of `domain` (`None`: custom): `check_schema`'s and CreateDataset's.
pub fn check_dataset_schema(
    schema: &Value,
    domain: Option<Domain>,
    dataset_type: DatasetType,
) -> Vec<Violation> {
    let mut out = check_schema(schema);
    let fit = Fit {
        rules: rules_for(domain, dataset_type),
        what: match domain {
            Some(domain) => format!("{domain} {dataset_type} datasets"),
            None => format!("custom {dataset_type} datasets"),
        },
        dataset_type,
    };
    fit.check(&fields(schema), &mut out);
    out
}

struct Fit {
    rules: &'static DatasetRules,
    what: String,
    dataset_type: DatasetType,
}

impl Fit {
    fn check(&self, fields: &[Field], out: &mut Vec<Violation>) {
        let violation = |pointer: String, message: String, hint: String, source| Violation {
            pointer,
            stage: Stage::CreateDataset,
            message,
            hint,
            source,
        };
        let what = &self.what;
        for rule in self.rules.fields {
            match fields.iter().find(|f| f.name == rule.name) {
                None if rule.required => out.push(violation(
                    "/fields".into(),
                    format!(
                        "lacks the field {} ({}) that {what} require",
                        rule.name,
                        expected(rule)
                    ),
                    format!("add {} to \"fields\"", declaration(rule, false)),
                    rule.source,
                )),
                Some(field) => {
                    if let Some(t) = field.t {
                        self.check_field(rule, field, t, out);
                    }
                }
                None => {}
            }
        }
        // "only Items schemas support fields with the textual attribute"
        if self.dataset_type != DatasetType::Items {
            for field in fields.iter().filter(|f| f.flag("textual")) {
                out.push(violation(
                    field.pointer("textual"),
                    format!(
                        "field {} is textual, but only items datasets take textual fields",
                        field.name
                    ),
                    format!("remove \"textual\": true from {}", field.name),
                    SCHEMA_FORMAT,
                ));
            }
        }
        self.check_counts(fields, out);
    }

    fn check_field(&self, rule: &FieldRule, field: &Field, t: FieldType, out: &mut Vec<Violation>) {
        let what = &self.what;
        let name = rule.name;
        let mut push = |pointer: String, message: String| {
            out.push(Violation {
                pointer,
                stage: Stage::CreateDataset,
                message,
                hint: format!("write {}", declaration(rule, t.nullable)),
                source: rule.source,
            })
        };
        if !t.base.is_some_and(|b| rule.types.contains(&b)) {
            push(
                field.pointer("type"),
                format!(
                    "field {name} has type {}, but {what} need {}",
                    t.describe(),
                    expected(rule)
                ),
            );
        } else if t.nullable && !rule.nullable {
            push(
                field.pointer("type"),
                format!("field {name} may not be null in {what}"),
            );
        }
        let string = t.base == Some(Primitive::String);
        match rule.attr {
            Attr::Categorical if !field.flag("categorical") => push(
                field.pointer("name"),
                format!("field {name} must be categorical in {what}"),
            ),
            Attr::Textual if !field.flag("textual") => push(
                field.pointer("name"),
                format!("field {name} must be textual in {what}"),
            ),
            Attr::Plain if string && field.flag("categorical") => push(
                field.pointer("categorical"),
                format!("field {name} is a reserved keyword of {what} and may not be categorical"),
            ),
            _ => {}
        }
    }

    fn check_counts(&self, fields: &[Field], out: &mut Vec<Violation>) {
        let what = &self.what;
        let metadata = self.rules.metadata;
        let rule_of = |f: &Field| self.rules.fields.iter().find(|r| r.name == f.name);
        let extra: Vec<&Field> = fields.iter().filter(|f| rule_of(f).is_none()).collect();
        if let Some(max) = metadata.max.filter(|max| extra.len() > *max) {
            out.push(Violation {
                pointer: extra[max].pointer("name"),
                stage: Stage::CreateDataset,
                message: format!(
                    "{} metadata fields (fields neither required nor reserved), but {what} take at most {max}",
                    extra.len()
                ),
                hint: format!("remove {} of them, from {} on", extra.len() - max, extra[max].name),
                source: metadata.max_source,
            });
        }
        if let Some(max) = metadata.max_fields.filter(|max| fields.len() > *max) {
            out.push(Violation {
                pointer: fields[max].pointer("name"),
                stage: Stage::CreateDataset,
                message: format!("{} fields, but {what} take at most {max}", fields.len()),
                hint: format!(
                    "remove {} fields, from {} on",
                    fields.len() - max,
                    fields[max].name
                ),
                source: metadata.max_source,
            });
        }
        // The custom table asks for "1 metadata field (categorical string or
        // numerical)", the dataset pages for "minimum one metadata field"
        // and "Amazon Personalize can use non-categorical string data"
        // (how-it-works-dataset-schema): any typed metadata field counts.
        let qualifies = |f: &&Field| match rule_of(f) {
            Some(rule) => rule.counts_as_metadata,
            None => f.t.is_some_and(|t| t.base.is_some()),
        };
        if fields.iter().filter(qualifies).count() < metadata.min {
            out.push(Violation {
                pointer: "/fields".into(),
                stage: Stage::CreateDataset,
                message: format!(
                    "has no metadata field, but {what} need at least one besides the required and reserved fields"
                ),
                hint: "add one, such as {\"name\": \"CATEGORY\", \"type\": [\"null\", \"string\"], \"categorical\": true}"
                    .into(),
                source: metadata.min_source,
            });
        }
    }
}

/// `long`, `float or double`, `categorical string`, saying when null is allowed.
fn expected(rule: &FieldRule) -> String {
    let types: Vec<&str> = rule.types.iter().map(|t| t.as_avro()).collect();
    let attr = match rule.attr {
        Attr::Categorical => "categorical ",
        Attr::Textual => "textual ",
        Attr::Plain => "",
    };
    let null = if rule.nullable { " (null allowed)" } else { "" };
    format!("{attr}{}{null}", types.join(" or "))
}

/// The field as it should be written, nullable when the rule allows it and
/// the schema wanted it.
fn declaration(rule: &FieldRule, nullable: bool) -> String {
    let base = rule.types[0].as_avro();
    let t = if nullable && rule.nullable {
        format!("[\"null\", \"{base}\"]")
    } else {
        format!("\"{base}\"")
    };
    let attr = match rule.attr {
        Attr::Categorical => ", \"categorical\": true",
        Attr::Textual => ", \"textual\": true",
        Attr::Plain => "",
    };
    format!("{{\"name\": \"{}\", \"type\": {t}{attr}}}", rule.name)
}
