//! Avro schema mechanics shared by the spec validator, the planner and the
//! emulator: parsing, canonical form, content-addressed names, and the
//! `UpdateDataset` compatibility rule. What Personalize accepts in a schema's
//! fields is `rules`'. One implementation, so pzr and its emulator can never
//! disagree.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::resource::{DatasetType, Domain};

/// Most characters Personalize accepts in a schema.
pub const MAX_SCHEMA_CHARS: usize = 20_000;

/// Parses schema text as JSON and checks it is a valid Avro schema whose top
/// level is a record.
pub fn parse(text: &str) -> Result<Value, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    check_type_names(&value)?;
    apache_avro::Schema::parse(&value).map_err(|e| format!("not a valid Avro schema: {e}"))?;
    if value.get("type").and_then(Value::as_str) != Some("record") {
        return Err("the top level of the schema must be an Avro record".into());
    }
    Ok(value)
}

/// Checks the name of every named type (record, enum, fixed) against the Avro
/// specification's rule (https://avro.apache.org/docs/1.11.1/specification/#names):
/// dotted parts that start with a letter or `_` and hold only letters, digits
/// and `_`. apache-avro 0.17 panics on such a name instead of failing.
fn check_type_names(value: &Value) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            let named = matches!(
                map.get("type").and_then(Value::as_str),
                Some("record" | "error" | "enum" | "fixed")
            );
            if let (true, Some(name)) = (named, map.get("name").and_then(Value::as_str)) {
                let part_ok = |part: &str| {
                    part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                };
                if !name.split('.').all(part_ok) {
                    return Err(format!(
                        "not a valid Avro schema: the type name `{name}` is not an Avro name; \
                         use letters, digits and `_`, starting with a letter or `_`"
                    ));
                }
            }
            map.values().try_for_each(check_type_names)
        }
        Value::Array(items) => items.iter().try_for_each(check_type_names),
        _ => Ok(()),
    }
}

/// Canonical JSON: object keys sorted, no insignificant whitespace, array
/// order kept. Reformatting a schema never changes this text.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Name of a managed schema: `<stack>_<key>_<8 hex of SHA-256(canonical + domain)>`.
/// The name identifies both the owning stack and the content.
pub fn managed_schema_name(
    stack: &str,
    key: &str,
    canonical: &str,
    domain: Option<Domain>,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(canonical.as_bytes());
    hasher.update(domain.map(Domain::as_api).unwrap_or("").as_bytes());
    let digest = hex::encode(hasher.finalize());
    format!("{stack}_{key}_{}", &digest[..8])
}

/// If `name` is a managed schema name of `stack`, returns its schema key.
pub fn managed_schema_key<'a>(stack: &str, name: &'a str) -> Option<&'a str> {
    let rest = name.strip_prefix(stack)?.strip_prefix('_')?;
    let (key, hash) = rest.rsplit_once('_')?;
    let is_hash = hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    (is_hash && !key.is_empty()).then_some(key)
}

/// The top-level record's fields, by name, with their canonical JSON.
pub fn fields(schema: &Value) -> Vec<(String, Value)> {
    schema
        .get("fields")
        .and_then(Value::as_array)
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| Some((f.get("name")?.as_str()?.to_string(), f.clone())))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether an Avro field type admits null (`"null"` or a union with `"null"`).
fn is_nullable(field_type: &Value) -> bool {
    match field_type {
        Value::String(s) => s == "null",
        Value::Array(branches) => branches.iter().any(|b| b.as_str() == Some("null")),
        _ => false,
    }
}

/// Checks Personalize's `UpdateDataset` rule for moving a dataset from schema
/// `old` to schema `new`: Items and Users datasets only, every existing field
/// kept unchanged, every new field nullable. Returns every reason it fails.
pub fn check_schema_update(
    dataset_type: DatasetType,
    old: &Value,
    new: &Value,
) -> Result<(), Vec<String>> {
    if !dataset_type.schema_updatable() {
        return Err(vec![format!(
            "UpdateDataset changes the schema of items and users datasets only, not {}",
            dataset_type
        )]);
    }
    let old_fields = fields(old);
    let new_fields = fields(new);
    let mut reasons = Vec::new();
    for (name, old_field) in &old_fields {
        match new_fields.iter().find(|(n, _)| n == name) {
            None => reasons.push(format!("field {name} is removed")),
            Some((_, new_field)) if canonical_json(new_field) != canonical_json(old_field) => {
                reasons.push(format!("field {name} is changed"))
            }
            Some(_) => {}
        }
    }
    for (name, new_field) in &new_fields {
        let added = !old_fields.iter().any(|(n, _)| n == name);
        if added && !is_nullable(new_field.get("type").unwrap_or(&Value::Null)) {
            reasons.push(format!("new field {name} is not nullable"));
        }
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(reasons)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(fields: Value) -> Value {
        json!({"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "fields": fields, "version": "1.0"})
    }

    #[test]
    fn canonical_json_ignores_key_order_and_whitespace() {
        let a: Value = serde_json::from_str(r#"{ "b": 1, "a": [ {"y":2, "x":1} ] }"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":[{"x":1,"y":2}],"b":1}"#).unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_eq!(canonical_json(&a), r#"{"a":[{"x":1,"y":2}],"b":1}"#);
    }

    #[test]
    fn managed_name_is_pinned_and_round_trips() {
        let name = managed_schema_name(
            "retail-prod",
            "items",
            r#"{"a":1}"#,
            Some(Domain::Ecommerce),
        );
        assert_eq!(
            name,
            managed_schema_name(
                "retail-prod",
                "items",
                r#"{"a":1}"#,
                Some(Domain::Ecommerce)
            )
        );
        assert_ne!(
            name,
            managed_schema_name("retail-prod", "items", r#"{"a":1}"#, None)
        );
        assert!(
            name.starts_with("retail-prod_items_") && name.len() == "retail-prod_items_".len() + 8
        );
        assert_eq!(managed_schema_key("retail-prod", &name), Some("items"));
        assert_eq!(managed_schema_key("retail", &name), None);
        assert_eq!(
            managed_schema_key("retail-prod", "retail-prod_items_zz"),
            None
        );
    }

    #[test]
    fn schema_update_rules() {
        let id = json!({"name": "ITEM_ID", "type": "string"});
        let old = record(json!([id]));
        let nullable = record(json!([id, {"name": "PRICE", "type": ["null", "float"]}]));
        let required = record(json!([id, {"name": "PRICE", "type": "float"}]));
        let changed = record(json!([{"name": "ITEM_ID", "type": "long"}]));
        assert!(check_schema_update(DatasetType::Items, &old, &nullable).is_ok());
        assert_eq!(
            check_schema_update(DatasetType::Items, &old, &required).unwrap_err(),
            vec!["new field PRICE is not nullable"]
        );
        assert_eq!(
            check_schema_update(DatasetType::Users, &old, &changed).unwrap_err(),
            vec!["field ITEM_ID is changed"]
        );
        assert!(check_schema_update(DatasetType::Interactions, &old, &nullable).is_err());
    }

    #[test]
    fn bad_record_name_is_an_error_not_a_panic() {
        for name in ["items-v1", "1items", "a.b-c", ""] {
            let text = format!(
                r#"{{"type":"record","name":"{name}","fields":[{{"name":"ITEM_ID","type":"string"}}]}}"#
            );
            assert!(parse(&text).is_err(), "{name}");
        }
    }
}
