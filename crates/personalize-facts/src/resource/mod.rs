//! Personalize's resources as the API names them: what kinds exist (`Kind`),
//! where one is in its life cycle (`Status`), dataset types and domains, and
//! tags.

/// Serialises a type as its `Display` string and reads it back with
/// `FromStr`; its JSON Schema is a string. For vocabulary types whose JSON
/// form is a contract (statuses here; plan addresses and blockers in pzr).
#[macro_export]
macro_rules! serde_as_string {
    ($type:ty) => {
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$type, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl schemars::JsonSchema for $type {
            fn is_referenceable() -> bool {
                false
            }

            fn schema_name() -> String {
                String::schema_name()
            }

            fn json_schema(gen: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
                String::json_schema(gen)
            }
        }
    };
}

mod dataset;
mod kind;
mod metric_attribution;
mod serving_config;
mod status;

pub use dataset::{DatasetType, Domain};
pub use kind::{Kind, KindInfo};
pub use metric_attribution::{Metric, MetricsOutput};
pub use serving_config::{normalized, RecommenderState};
pub use status::Status;

use std::collections::BTreeMap;

/// A resource's tags, sorted by key.
pub type Tags = BTreeMap<String, String>;

/// Most tags Personalize lets a resource carry (limits.html), any tool's
/// included.
pub const MAX_TAGS: usize = 50;
