//! The shared vocabulary of pzr: what kinds of resource exist (`Kind`), how a
//! resource is named in plans (`Address`), where it is in its life cycle
//! (`Status`), and who owns it (`owns`). Every other module speaks these
//! types; none builds or parses their strings itself.

/// Serialises a type as its `Display` string and reads it back with
/// `FromStr`; its JSON Schema is a string. For vocabulary types whose JSON
/// form is a contract (plan addresses, statuses, blockers).
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
pub(crate) use serde_as_string;

mod address;
mod dataset;
mod kind;
mod serving;
mod status;

pub use address::{Address, AddressError};
pub use dataset::{DatasetType, Domain};
pub use kind::{Kind, KindInfo};
pub use serving::{normalized, RecommenderState};
pub use status::Status;

use std::collections::BTreeMap;

/// A resource's tags, sorted by key.
pub type Tags = BTreeMap<String, String>;

/// The tag key that marks a resource as owned by a pzr stack. The whole
/// `pzr:` prefix is reserved for pzr.
pub const STACK_TAG: &str = "pzr:stack";

/// Most tags Personalize lets a resource carry, pzr's own included.
pub const MAX_TAGS: usize = 50;

/// Whether a resource with `tags` belongs to `stack`: the one ownership rule.
pub fn owns(tags: &Tags, stack: &str) -> bool {
    tags.get(STACK_TAG).map(String::as_str) == Some(stack)
}

/// The pzr stack a resource with `tags` belongs to, if any.
pub fn owner(tags: &Tags) -> Option<&str> {
    tags.get(STACK_TAG).map(String::as_str)
}

/// `tags` plus the ownership tag of `stack`.
pub fn with_stack_tag(tags: &Tags, stack: &str) -> Tags {
    let mut all = tags.clone();
    all.insert(STACK_TAG.to_string(), stack.to_string());
    all
}
