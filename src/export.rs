//! `pzr export`: a spec that describes live dataset groups, so they can be
//! brought under management (adopted) or a lost spec recovered.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::avro;
use crate::live::{ChildConfig, LiveChild, LiveGroup, LiveState};
use crate::plan::{child_key, managed_children};
use crate::resource::{owner, Kind};
use crate::spec::{
    dataset_name, event_tracker_name, filter_name, DatasetGroupSpec, DatasetSpec, DatasetsSpec,
    EventTrackerSpec, FilterSpec, SchemaSpec, SpecFile,
};
use crate::STACK_TAG;

/// Builds a spec for `groups` (all read in detail, with their datasets'
/// schema definitions and their children's details). Groups not owned by
/// `stack` are marked `adopt: true`; their untagged event tracker and
/// filters are taken with them, as adoption takes them over.
pub fn spec_for(stack: &str, live: &LiveState, groups: &[&LiveGroup]) -> SpecFile {
    let mut schemas: BTreeMap<String, SchemaSpec> = BTreeMap::new();
    let mut keys_by_arn: BTreeMap<String, String> = BTreeMap::new();
    let mut dataset_groups = Vec::new();
    for g in groups {
        let mut datasets = DatasetsSpec::default();
        for d in &g.datasets {
            let Some(schema) = live.schema_by_arn(&d.schema_arn) else {
                continue;
            };
            let key = match keys_by_arn.get(&schema.arn) {
                Some(k) => k.clone(),
                None => {
                    let taken: BTreeSet<String> = schemas.keys().cloned().collect();
                    let key = schema_key(stack, &schema.name, &taken);
                    let definition = schema
                        .definition
                        .as_deref()
                        .and_then(|t| serde_json::from_str::<Value>(t).ok());
                    schemas.insert(
                        key.clone(),
                        SchemaSpec {
                            file: None,
                            definition,
                            domain: schema.domain,
                        },
                    );
                    keys_by_arn.insert(schema.arn.clone(), key.clone());
                    key
                }
            };
            let mut spec = DatasetSpec {
                schema: key,
                name: Some(d.name.clone()),
                tags: user_tags(&d.tags),
            };
            if dataset_name(
                &g.name,
                d.dataset_type,
                &DatasetSpec {
                    name: None,
                    ..spec.clone()
                },
            ) == d.name
            {
                spec.name = None;
            }
            datasets.set(d.dataset_type, spec);
        }
        let details = g.details.clone().unwrap_or_default();
        let adopt = g.stack() != Some(stack);
        let (event_tracker, filters) = children_spec(stack, g, adopt);
        dataset_groups.push(DatasetGroupSpec {
            name: g.name.clone(),
            domain: g.domain,
            kms_key_arn: details.kms_key_arn,
            role_arn: details.role_arn,
            tags: user_tags(&g.tags),
            protect: false,
            adopt,
            datasets,
            event_tracker,
            filters,
            recommenders: BTreeMap::new(),
            solutions: BTreeMap::new(),
        });
    }
    SpecFile {
        version: 1,
        stack: stack.to_string(),
        region: Some(live.region.clone()).filter(|r| !r.is_empty()),
        ignore_tags: Vec::new(),
        schemas,
        dataset_groups,
    }
}

/// The event tracker and filters of `g` a spec of `stack` manages: its
/// own, and (`adopt`) those nobody owns. A filter whose expression was not
/// read is left out.
fn children_spec(
    stack: &str,
    g: &LiveGroup,
    adopt: bool,
) -> (Option<EventTrackerSpec>, BTreeMap<String, FilterSpec>) {
    let taken_by = |c: &LiveChild| match c.tags.as_ref().and_then(owner) {
        Some(s) => s == stack,
        None => adopt,
    };
    let mut tracker = None;
    let mut filters = BTreeMap::new();
    for c in managed_children(&g.name, None, Some(g))
        .into_iter()
        .filter_map(|p| p.live)
        .filter(|c| taken_by(c))
    {
        let tags = user_tags(&c.tags.clone().unwrap_or_default());
        match (c.kind, c.config()) {
            (Kind::EventTracker, _) => {
                let mut spec = EventTrackerSpec { name: None, tags };
                if event_tracker_name(&g.name, &spec) != c.name {
                    spec.name = Some(c.name.clone());
                }
                tracker = Some(spec);
            }
            (Kind::Filter, Some(ChildConfig::Filter { expression })) => {
                let taken: BTreeSet<String> = filters.keys().cloned().collect();
                let key = spec_key(child_key(&g.name, &c.name), &taken);
                let mut spec = FilterSpec {
                    expression,
                    name: None,
                    tags,
                };
                if filter_name(&g.name, &key, &spec) != c.name {
                    spec.name = Some(c.name.clone());
                }
                filters.insert(key, spec);
            }
            _ => {}
        }
    }
    (tracker, filters)
}

fn user_tags(tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    tags.iter()
        .filter(|(k, _)| k.as_str() != STACK_TAG)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The spec key of a live schema: its own key when it is a managed schema of
/// `stack` (so its content-addressed name survives the round trip), else a
/// key made from its name, unique among `taken`.
fn schema_key(stack: &str, name: &str, taken: &BTreeSet<String>) -> String {
    if let Some(key) = avro::managed_schema_key(stack, name).filter(|k| !taken.contains(*k)) {
        return key.to_string();
    }
    spec_key(name, taken)
}

/// A spec key (`^[a-z0-9][a-z0-9-]{0,19}$`) made from `name`, unique among `taken`.
fn spec_key(name: &str, taken: &BTreeSet<String>) -> String {
    let mut base: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .chars()
        .take(16)
        .collect();
    if base.is_empty() {
        base = "schema".into();
    }
    let base = base.trim_end_matches('-').to_string();
    (0..)
        .map(|i| {
            if i == 0 {
                base.clone()
            } else {
                format!("{base}-{i}")
            }
        })
        .find(|k| !taken.contains(k))
        .unwrap_or(base)
}

/// YAML text of an exported spec, with a header saying where it came from.
pub fn to_yaml(spec: &SpecFile) -> Result<String, serde_yaml::Error> {
    let body = serde_yaml::to_string(spec)?;
    Ok(format!(
        "# Exported by `pzr export`: review it, then `pzr plan -f` this file.\n{body}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_keys_are_valid_and_unique() {
        let taken: BTreeSet<String> = ["items".to_string()].into();
        assert_eq!(
            schema_key("s", "s_items_0123abcd", &BTreeSet::new()),
            "items"
        );
        assert_eq!(
            schema_key("s", "s_items_0123abcd", &taken),
            "s-items-0123abcd"
        );
        assert_eq!(schema_key("s", "Items", &taken), "items-1");
        assert_eq!(schema_key("s", "__", &BTreeSet::new()), "schema");
        assert!(schema_key("s", "A_Very_Long_Schema_Name_Indeed", &BTreeSet::new()).len() <= 20);
        assert_eq!(spec_key("not-bought", &BTreeSet::new()), "not-bought");
        assert_eq!(spec_key("Not_Bought", &BTreeSet::new()), "not-bought");
    }
}
