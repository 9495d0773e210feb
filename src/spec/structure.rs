//! Structural checks of the YAML tree against the spec's JSON Schema (which is
//! generated from the Rust types): unknown keys, missing keys, wrong types and
//! enum values, all reported in one pass rather than serde's first error.

use schemars::schema::{InstanceType, RootSchema, Schema, SchemaObject, SingleOrVec};
use serde_json::{Map, Value};

use super::locate::{child_index, child_key, Issue};
use super::yaml::{resolve_scalar, Node, NodeKind, Resolved};
use crate::rules::did_you_mean;

/// The outcome of the structural pass.
pub struct Checked {
    /// The document as JSON without unknown keys and ill-typed optional
    /// fields; `None` when a required field is missing or ill-typed.
    pub value: Option<Value>,
    pub issues: Vec<Issue>,
    /// Paths of the optional fields left out of `value` because they did not
    /// fit; later checks that depend on them would only add noise.
    pub dropped: Vec<String>,
}

/// Checks `root` against `schema`.
pub fn check(root: &Node, schema: &RootSchema) -> Checked {
    let mut walker = Walker {
        root: schema,
        issues: Vec::new(),
        dropped: Vec::new(),
    };
    let value = walker.node(root, &schema.schema, "");
    Checked {
        value,
        issues: walker.issues,
        dropped: walker.dropped,
    }
}

struct Walker<'s> {
    root: &'s RootSchema,
    issues: Vec<Issue>,
    dropped: Vec<String>,
}

impl<'s> Walker<'s> {
    /// The node's JSON value, or `None` after recording why it does not fit.
    fn node(&mut self, node: &Node, schema: &'s SchemaObject, path: &str) -> Option<Value> {
        if let Some(target) = self.reference(schema) {
            return self.node(node, target, path);
        }
        if let Some(sub) = &schema.subschemas {
            if let Some(branches) = sub.all_of.as_ref().or(sub.any_of.as_ref()) {
                return self.branches(node, branches, path);
            }
        }
        let Some(types) = &schema.instance_type else {
            // An unconstrained value (the inline Avro `definition`).
            return self.any(node, path);
        };
        let allows = |t: InstanceType| match types {
            SingleOrVec::Single(single) => **single == t,
            SingleOrVec::Vec(all) => all.contains(&t),
        };
        match &node.kind {
            NodeKind::Map(_) if allows(InstanceType::Object) => self.object(node, schema, path),
            NodeKind::Seq(items) if allows(InstanceType::Array) => {
                let item_schema = schema.array.as_ref().and_then(|a| match &a.items {
                    Some(SingleOrVec::Single(s)) => Some(&**s),
                    _ => None,
                });
                let values: Vec<Option<Value>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| match item_schema {
                        Some(s) => self.schema(item, s, &child_index(path, i)),
                        None => self.any(item, &child_index(path, i)),
                    })
                    .collect();
                values
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Value::Array)
            }
            NodeKind::Scalar { text, plain } => self.scalar(
                node,
                text,
                resolve_scalar(text, *plain),
                schema,
                &allows,
                path,
            ),
            _ => {
                self.mismatch(node, expected(types), path);
                None
            }
        }
    }

    fn scalar(
        &mut self,
        node: &Node,
        text: &str,
        resolved: Resolved,
        schema: &SchemaObject,
        allows: &dyn Fn(InstanceType) -> bool,
        path: &str,
    ) -> Option<Value> {
        let value = match resolved {
            Resolved::Null if allows(InstanceType::Null) => Value::Null,
            Resolved::Bool(b) if allows(InstanceType::Boolean) => Value::Bool(b),
            Resolved::Int(i) if allows(InstanceType::Integer) => {
                if schema.format.as_deref() == Some("uint32") && u32::try_from(i).is_err() {
                    self.issues.push(Issue::value(
                        path,
                        format!("`{text}` is out of range"),
                        "use a whole number between 0 and 4294967295",
                    ));
                    return None;
                }
                Value::from(i)
            }
            // Numbers are kept as written ("1.10" stays "1.10"), so an unquoted
            // number is an unambiguous string; booleans and null are not.
            Resolved::Str | Resolved::Int(_) | Resolved::Float(_)
                if allows(InstanceType::String) =>
            {
                Value::String(text.to_string())
            }
            _ => {
                let types = schema.instance_type.as_ref()?;
                self.mismatch(node, expected(types), path);
                return None;
            }
        };
        if let (Some(allowed), Value::String(s)) = (&schema.enum_values, &value) {
            if !allowed.contains(&value) {
                let names: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
                let hint = match did_you_mean(s, names.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`? allowed: {}", names.join(", ")),
                    None => format!("allowed: {}", names.join(", ")),
                };
                self.issues.push(Issue::value(
                    path,
                    format!("`{s}` is not an allowed value"),
                    hint,
                ));
                return None;
            }
        }
        Some(value)
    }

    fn object(&mut self, node: &Node, schema: &'s SchemaObject, path: &str) -> Option<Value> {
        let NodeKind::Map(entries) = &node.kind else {
            return None;
        };
        let Some(object) = &schema.object else {
            return self.any(node, path);
        };
        let mut out = Map::new();
        let mut complete = true;
        for entry in entries {
            let entry_path = child_key(path, &entry.key);
            let entry_schema = object
                .properties
                .get(&entry.key)
                .or(object.additional_properties.as_deref());
            let value = match entry_schema {
                Some(Schema::Bool(false)) => {
                    // Unknown keys are dropped so the rest of the spec is still checked.
                    let known: Vec<&str> = object.properties.keys().map(String::as_str).collect();
                    let hint = match did_you_mean(&entry.key, known.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!("valid keys here: {}", known.join(", ")),
                    };
                    self.issues.push(Issue::key(
                        entry_path,
                        format!("unknown key `{}`", entry.key),
                        hint,
                    ));
                    continue;
                }
                Some(s) => self.schema(&entry.value, s, &entry_path),
                None => self.any(&entry.value, &entry_path),
            };
            match value {
                Some(v) => {
                    out.insert(entry.key.clone(), v);
                }
                None if object.required.contains(&entry.key) => complete = false,
                // An optional field that does not fit is left out, so the
                // checks of everything else still run.
                None => self.dropped.push(entry_path),
            }
        }
        for required in &object.required {
            if !entries.iter().any(|e| &e.key == required) {
                self.issues.push(Issue::value(
                    path,
                    format!("missing required key `{required}`"),
                    missing_hint(required),
                ));
                complete = false;
            }
        }
        complete.then_some(Value::Object(out))
    }

    fn schema(&mut self, node: &Node, schema: &'s Schema, path: &str) -> Option<Value> {
        match schema {
            Schema::Object(object) => self.node(node, object, path),
            Schema::Bool(true) => self.any(node, path),
            Schema::Bool(false) => None,
        }
    }

    /// `anyOf`/`allOf` as schemars emits them: one real schema, optionally
    /// paired with `{"type": "null"}` for an `Option`.
    fn branches(&mut self, node: &Node, branches: &'s [Schema], path: &str) -> Option<Value> {
        let is_null_schema = |s: &Schema| {
            matches!(s, Schema::Object(o)
                if o.instance_type == Some(SingleOrVec::Single(Box::new(InstanceType::Null))))
        };
        if let NodeKind::Scalar { text, plain } = &node.kind {
            if resolve_scalar(text, *plain) == Resolved::Null && branches.iter().any(is_null_schema)
            {
                return Some(Value::Null);
            }
        }
        let main = branches.iter().find(|s| !is_null_schema(s))?;
        self.schema(node, main, path)
    }

    /// Any value JSON can hold.
    fn any(&mut self, node: &Node, path: &str) -> Option<Value> {
        match node.to_json() {
            Ok(value) => Some(value),
            Err(e) => {
                self.issues
                    .push(Issue::value(path, e.message, "quote the value"));
                None
            }
        }
    }

    fn reference(&self, schema: &SchemaObject) -> Option<&'s SchemaObject> {
        let name = schema.reference.as_ref()?.strip_prefix("#/definitions/")?;
        match self.root.definitions.get(name)? {
            Schema::Object(object) => Some(object),
            Schema::Bool(_) => None,
        }
    }

    fn mismatch(&mut self, node: &Node, expected: String, path: &str) {
        let found = node.describe();
        let hint = if found == "a boolean" && expected.contains("a string") {
            "quote the value to make it a string".to_string()
        } else {
            format!("write {expected} here")
        };
        self.issues.push(Issue::value(
            path,
            format!("expected {expected}, found {found}"),
            hint,
        ));
    }
}

/// What to write for a missing required key: most need only naming; a
/// solution's `training` is required so that its cost is a decision, and
/// the hint says so.
fn missing_hint(required: &str) -> String {
    match required {
        "training" => "training costs money, so pzr asks you to decide: write `training: {automatic: false}` (no scheduled retraining) or `training: {automatic: true, schedule: \"rate(7 days)\"}` (a new, billed solution version every 7 days)".to_string(),
        _ => format!("add `{required}: ...` here"),
    }
}

/// "a string", "a mapping or null", ... for the types a schema allows.
fn expected(types: &SingleOrVec<InstanceType>) -> String {
    let all: Vec<InstanceType> = match types {
        SingleOrVec::Single(t) => vec![**t],
        SingleOrVec::Vec(ts) => ts.clone(),
    };
    all.iter()
        .filter(|t| **t != InstanceType::Null)
        .map(|t| match t {
            InstanceType::Object => "a mapping",
            InstanceType::Array => "a list",
            InstanceType::String => "a string",
            InstanceType::Integer => "a whole number",
            InstanceType::Number => "a number",
            InstanceType::Boolean => "true or false",
            InstanceType::Null => "null",
        })
        .collect::<Vec<_>>()
        .join(" or ")
}
