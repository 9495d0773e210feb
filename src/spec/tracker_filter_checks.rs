//! Offline checks of what a dataset group serves from its datasets: its
//! event tracker and filters. Names follow the API's pattern and are unique
//! per kind across the spec (ARNs are `<kind>/<name>` in a region); each
//! filter expression is checked with the rulebook's grammar against the
//! schemas of the group's datasets, and its findings point at the bad token
//! inside the expression.

use std::collections::{BTreeMap, HashMap};

use super::checks::{check_child_name, check_tags, NAME};
use super::locate::{child_index, child_key, Issue};
use super::patterns::MAX_NAME_CHARS;
use super::resolve::Parsed;
use super::{event_tracker_name, filter_name, DatasetGroupSpec, DatasetType, SpecFile};
use crate::rules::filter::{
    self, check_filter, DatasetSchema, MAX_FIELDS_PER_GROUP, MAX_FILTERS_PER_GROUP,
};

/// Findings about every group's event tracker and filters.
pub fn check(spec: &SpecFile, schemas: &BTreeMap<String, Parsed>) -> Vec<Issue> {
    let mut issues = Vec::new();
    // Name → the path that uses it first, per kind.
    let mut trackers: HashMap<String, String> = HashMap::new();
    let mut filters: HashMap<String, String> = HashMap::new();
    for (i, group) in spec.dataset_groups.iter().enumerate() {
        let path = child_index("datasetGroups", i);
        if let Some(tracker) = &group.event_tracker {
            let tracker_path = child_key(&path, "eventTracker");
            let name = event_tracker_name(&group.name, tracker);
            check_child_name(
                tracker.name.as_deref(),
                &name,
                &tracker_path,
                "event tracker",
                &mut issues,
            );
            unique(
                &mut trackers,
                name,
                &tracker_path,
                "event tracker",
                &mut issues,
            );
            check_tags(
                &tracker.tags,
                &child_key(&tracker_path, "tags"),
                &mut issues,
            );
        }
        check_filters(group, &path, schemas, spec, &mut filters, &mut issues);
    }
    issues
}

/// Records that `path` uses `name`, refusing it when another path did first.
pub(super) fn unique(
    seen: &mut HashMap<String, String>,
    name: String,
    path: &str,
    what: &str,
    issues: &mut Vec<Issue>,
) {
    let name_path = child_key(path, "name");
    match seen.get(&name) {
        Some(first) => issues.push(
            Issue::value(
                &name_path,
                format!("{what} name `{name}` is also used by {first}"),
                format!("{what} names are unique in a region: give this one its own `name:`"),
            )
            .depending_on(child_key(first, "name")),
        ),
        None => {
            seen.insert(name, path.to_string());
        }
    }
}

/// Refuses more `what` (plural) at `path` than a group's quota `max`
/// (limits.html).
pub(super) fn check_quota(
    count: usize,
    max: usize,
    path: &str,
    what: &str,
    issues: &mut Vec<Issue>,
) {
    if count > max {
        issues.push(Issue::key(
            path,
            format!("{count} {what}, but a dataset group holds at most {max}"),
            format!(
                "keep at most {max} {what} (rule: {})",
                filter::source::LIMITS
            ),
        ));
    }
}

/// A child's spec key and its name: the key follows the name pattern (it
/// makes the default name), and the name the API's pattern and length.
pub(super) fn check_key_and_name(
    key: &str,
    explicit: Option<&str>,
    name: &str,
    path: &str,
    what: &str,
    issues: &mut Vec<Issue>,
) {
    let valid_key = key.chars().count() <= MAX_NAME_CHARS && NAME.is_match(key);
    if !valid_key {
        issues.push(Issue::key(
            path,
            format!("invalid {what} key `{key}`"),
            format!("use 1-{MAX_NAME_CHARS} letters, digits, `-` and `_`, starting with a letter or digit (the key makes the default name)"),
        ));
    }
    // An invalid key already explains an invalid default name.
    if valid_key || explicit.is_some() {
        check_child_name(explicit, name, path, what, issues);
    }
}

/// What `group` holds of dataset type `t`, for checks that read its
/// fields.
pub(super) fn dataset_schema<'a>(
    group: &DatasetGroupSpec,
    spec: &SpecFile,
    schemas: &'a BTreeMap<String, Parsed>,
    t: DatasetType,
) -> DatasetSchema<'a> {
    match group.datasets.get(t) {
        None => DatasetSchema::Absent,
        Some(dataset) => match (
            spec.schemas.get(&dataset.schema),
            schemas.get(&dataset.schema),
        ) {
            (Some(_), Some(parsed)) => DatasetSchema::Known(&parsed.avro),
            _ => DatasetSchema::Unknown,
        },
    }
}

fn check_filters(
    group: &DatasetGroupSpec,
    path: &str,
    schemas: &BTreeMap<String, Parsed>,
    spec: &SpecFile,
    names: &mut HashMap<String, String>,
    issues: &mut Vec<Issue>,
) {
    let filters_path = child_key(path, "filters");
    check_quota(
        group.filters.len(),
        MAX_FILTERS_PER_GROUP,
        &filters_path,
        "filters",
        issues,
    );
    let schema_of = |t: DatasetType| dataset_schema(group, spec, schemas, t);
    let mut group_fields: Vec<(DatasetType, String)> = Vec::new();
    for (key, spec_filter) in &group.filters {
        let filter_path = child_key(&filters_path, key);
        let name = filter_name(&group.name, key, spec_filter);
        check_key_and_name(
            key,
            spec_filter.name.as_deref(),
            &name,
            &filter_path,
            "filter",
            issues,
        );
        unique(names, name, &filter_path, "filter", issues);
        check_tags(&spec_filter.tags, &child_key(&filter_path, "tags"), issues);
        let expression_path = child_key(&filter_path, "expression");
        for error in check_filter(&spec_filter.expression, schema_of) {
            issues.push(
                Issue::value(
                    &expression_path,
                    format!("filter `{key}`: {}", error.message),
                    format!("{} (rule: {})", error.hint, error.page),
                )
                .inside(error.offset),
            );
        }
        if let Ok(parsed) = filter::parse(&spec_filter.expression) {
            for (dataset, field) in parsed.fields() {
                let field = (dataset, field.to_string());
                if !group_fields.contains(&field) {
                    group_fields.push(field);
                }
            }
        }
    }
    if group_fields.len() > MAX_FIELDS_PER_GROUP {
        issues.push(Issue::key(
            &filters_path,
            format!(
                "the group's filters read {} distinct dataset fields; Personalize allows at most {MAX_FIELDS_PER_GROUP} across a group's filters",
                group_fields.len()
            ),
            format!("filter on fewer fields (rule: {})", filter::source::GUIDELINES),
        ));
    }
}
