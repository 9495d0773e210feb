//! Vocabulary of the serving side shared by spec, live state and plans: a
//! recommender's state, and the one comparison form of the API's config
//! members (`recommenderConfig`, `solutionConfig`, `campaignConfig`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Whether a recommender serves (and bills) or is stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RecommenderState {
    #[default]
    Running,
    Stopped,
}

impl RecommenderState {
    pub fn is_running(&self) -> bool {
        *self == RecommenderState::Running
    }
}

/// `config` without what means "unset" in the API: nulls, `false` (every
/// boolean member defaults to false) and empty maps and lists, at any
/// depth. A spec that leaves a member out and a Describe that shows its
/// default then compare equal.
pub fn normalized(config: Map<String, Value>) -> Map<String, Value> {
    config
        .into_iter()
        .filter_map(|(k, v)| Some((k, normalized_value(v)?)))
        .collect()
}

fn normalized_value(value: Value) -> Option<Value> {
    match value {
        Value::Null | Value::Bool(false) => None,
        Value::Object(map) => {
            Some(Value::Object(normalized(map))).filter(|v| v != &Value::Object(Map::new()))
        }
        Value::Array(items) if items.is_empty() => None,
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unset_members_vanish_at_any_depth() {
        let config = json!({
            "a": null, "b": false, "c": true, "d": {}, "e": [],
            "f": {"g": {"h": null}, "i": "x"}, "j": 0
        });
        let Value::Object(map) = config else {
            unreachable!()
        };
        assert_eq!(
            Value::Object(normalized(map)),
            json!({"c": true, "f": {"i": "x"}, "j": 0})
        );
    }
}
