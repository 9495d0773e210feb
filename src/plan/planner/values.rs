//! The `before`/`after` values changes show: the spec's side and the live
//! side of each kind, in the same shape so renderers can diff them.

use serde_json::{json, Map, Value};

use super::super::tags;
use super::pairing::Wanted;
use super::Planner;
use crate::spec::{dataset_name, DatasetGroupSpec, DatasetSpec, DatasetType, ResolvedSchema};
use crate::state::{ChildConfig, LiveChild, LiveDataset, LiveGroup, LiveSchema};

impl Planner<'_> {
    pub(super) fn group_value(&self, g: &DatasetGroupSpec) -> Value {
        json!({
            "name": g.name,
            "domain": g.domain.map(|d| d.as_api()),
            "kmsKeyArn": g.kms_key_arn,
            "roleArn": g.role_arn,
            "tags": tags::visible(&self.group_tags(g), self.ignore),
        })
    }

    pub(super) fn live_group_value(&self, l: &LiveGroup) -> Value {
        let details = l.details.clone().unwrap_or_default();
        json!({
            "name": l.name,
            "domain": l.domain.map(|d| d.as_api()),
            "kmsKeyArn": details.kms_key_arn,
            "roleArn": details.role_arn,
            "tags": tags::visible(&l.tags, self.ignore),
            "arn": l.arn,
            "status": l.status,
        })
    }

    pub(super) fn dataset_value(
        &self,
        g: &DatasetGroupSpec,
        t: DatasetType,
        d: &DatasetSpec,
    ) -> Value {
        json!({
            "name": dataset_name(&g.name, t, d),
            "datasetType": t.as_api(),
            "schema": self.spec.schemas.get(&d.schema).map(|s| s.name.clone()),
            "tags": tags::visible(&self.stack_tags(&d.tags), self.ignore),
        })
    }

    pub(super) fn live_dataset_value(&self, d: &LiveDataset) -> Value {
        let schema = self
            .live
            .schema_by_arn(&d.schema_arn)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| d.schema_arn.clone());
        json!({
            "name": d.name,
            "datasetType": d.dataset_type.as_api(),
            "schema": schema,
            "tags": tags::visible(&d.tags, self.ignore),
            "arn": d.arn,
            "status": d.status,
        })
    }
}

/// A spec schema as shown.
pub(super) fn schema_value(schema: &ResolvedSchema) -> Value {
    shown_schema(
        &schema.name,
        schema.domain.map(|d| d.as_api()),
        Some(&schema.canonical),
    )
}

/// A live schema as shown; its definition only where it was read.
pub(super) fn live_schema_value(schema: &LiveSchema) -> Value {
    shown_schema(
        &schema.name,
        schema.domain.map(|d| d.as_api()),
        schema.definition.as_deref(),
    )
}

fn shown_schema(name: &str, domain: Option<&str>, canonical: Option<&str>) -> Value {
    let mut value = json!({"name": name, "domain": domain});
    if let Some(definition) = canonical.and_then(|c| serde_json::from_str::<Value>(c).ok()) {
        value["definition"] = definition;
    }
    value
}

/// `(none)` for an absent value in a reason.
pub(super) fn show<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "(none)".into())
}

impl Planner<'_> {
    /// A managed child as the spec wants it.
    pub(super) fn wanted_value(&self, w: &Wanted) -> Value {
        let mut value = json!({"name": w.name});
        if let Some(m) = value.as_object_mut() {
            m.extend(config_fields(&w.config));
        }
        value["tags"] = json!(tags::visible(&self.stack_tags(&w.tags), self.ignore));
        value
    }

    /// A live managed child, its settings where Describe was read.
    pub(super) fn live_child_value(&self, c: &LiveChild) -> Value {
        let mut value = json!({"name": c.name});
        if let (Some(config), Some(m)) = (c.config(), value.as_object_mut()) {
            m.extend(config_fields(&config));
        }
        let live_tags = c.tags.clone().unwrap_or_default();
        value["tags"] = json!(tags::visible(&live_tags, self.ignore));
        value["arn"] = json!(c.arn);
        value["status"] = json!(c.status);
        value
    }
}

/// A child's settings as the fields its values show (`expression`, ...).
pub(super) fn config_fields(config: &ChildConfig) -> Map<String, Value> {
    let mut fields = match serde_json::to_value(config) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    fields.remove("kind");
    fields
}
