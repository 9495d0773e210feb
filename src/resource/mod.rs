//! The shared vocabulary of pzr: how a resource is named in plans
//! (`Address`) and who owns it (`owns`), beside Personalize's own vocabulary
//! (`Kind`, `Status`, dataset types, domains, tags) from `personalize_facts`.
//! Every other module speaks these types; none builds or parses their
//! strings itself.

mod address;

pub use address::{Address, AddressError};
pub use personalize_facts::resource::{
    normalized, DatasetType, Domain, Kind, KindInfo, Metric, MetricsOutput, RecommenderState,
    Status, Tags, MAX_TAGS,
};
pub(crate) use personalize_facts::serde_as_string;

/// The tag key that marks a resource as owned by a pzr stack. The whole
/// `pzr:` prefix is reserved for pzr.
pub const STACK_TAG: &str = "pzr:stack";

/// Written on a group whose spec sets `protect: true`: it stays protected
/// when a spec forgets the group, until `protect: false` is applied (as
/// CloudFormation's termination protection outlives a template).
pub const PROTECT_TAG: &str = "pzr:protect";

/// Whether a resource with `tags` carries [`PROTECT_TAG`].
pub fn protected(tags: &Tags) -> bool {
    tags.get(PROTECT_TAG).map(String::as_str) == Some("true")
}

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

/// The ownership tag of a resource with `tags`, alone: what a child
/// Personalize cannot tag (a metric attribution) takes from its group, to
/// which it belongs.
pub fn ownership_tags(tags: &Tags) -> Tags {
    tags.iter()
        .filter(|(k, _)| *k == STACK_TAG)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
