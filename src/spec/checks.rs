//! Semantic checks of a structurally valid spec: every rule Personalize would
//! enforce that can be checked offline (API model patterns and lengths, tag
//! limits, references, domains, the schema rules of `rules`), each reported at its path.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;

use super::locate::{child_index, child_key, Issue};
use super::patterns::{
    self, MAX_KMS_KEY_ARN_CHARS, MAX_NAME_CHARS, MAX_ROLE_ARN_CHARS, MAX_TAG_KEY_CHARS,
    MAX_TAG_VALUE_CHARS,
};
use super::resolve::Parsed;
use super::{data_checks, metric_checks, serving_checks, tracker_filter_checks, use_case_checks};
use super::{dataset_name, DatasetGroupSpec, DatasetType, SpecFile};
use crate::resource::{MAX_TAGS, STACK_TAG};
use crate::rules::did_you_mean;
use crate::rules::{self, Stage};

/// Tag key prefix reserved for pzr's own tags.
const RESERVED_TAG_PREFIX: &str = "pzr:";

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("built-in pattern {pattern}: {e}"))
}

static STACK: LazyLock<Regex> = LazyLock::new(|| regex(patterns::STACK));
static SCHEMA_KEY: LazyLock<Regex> = LazyLock::new(|| regex(patterns::SCHEMA_KEY));
pub(super) static NAME: LazyLock<Regex> = LazyLock::new(|| regex(patterns::NAME));
static REGION: LazyLock<Regex> = LazyLock::new(|| regex(patterns::REGION));
static TAG_TEXT: LazyLock<Regex> = LazyLock::new(|| regex(patterns::TAG_TEXT));

/// How one kind of ARN is checked and explained.
pub(super) struct ArnRule {
    what: &'static str,
    pattern: LazyLock<Regex>,
    max_chars: usize,
    example: &'static str,
    /// ARNs of a near kind people give instead (a part of the ARN), and
    /// what to do then.
    mistaken: &'static [(&'static str, &'static str)],
}

static KMS_KEY_ARN: ArnRule = ArnRule {
    what: "KMS key",
    pattern: LazyLock::new(|| regex(patterns::KMS_KEY_ARN)),
    max_chars: MAX_KMS_KEY_ARN_CHARS,
    example: "arn:aws:kms:us-east-1:111122223333:key/<key-id>",
    // API shape KmsKeyArn takes only `key/` ARNs.
    mistaken: &[(
        ":alias/",
        "an alias ARN is not accepted: give the key's own ARN \
         (`aws kms describe-key --key-id alias/<name> --query KeyMetadata.Arn`)",
    )],
};

pub(super) static ROLE_ARN: ArnRule = ArnRule {
    what: "IAM role",
    pattern: LazyLock::new(|| regex(patterns::ROLE_ARN)),
    max_chars: MAX_ROLE_ARN_CHARS,
    example: "arn:aws:iam::111122223333:role/<role-name>",
    mistaken: &[],
};

/// Runs every semantic check; `schemas` holds the schemas that resolved.
pub fn check(spec: &SpecFile, schemas: &BTreeMap<String, Parsed>) -> Vec<Issue> {
    let mut issues = Vec::new();
    if spec.version != 1 {
        issues.push(Issue::value(
            "version",
            format!("unsupported spec version {}", spec.version),
            "this pzr reads `version: 1`",
        ));
    }
    if !STACK.is_match(&spec.stack) {
        issues.push(Issue::value(
            "stack",
            format!("invalid stack name `{}`", spec.stack),
            "use 1-32 lowercase letters, digits and `-`, starting with a letter or digit",
        ));
    }
    if let Some(region) = &spec.region {
        if !REGION.is_match(region) {
            issues.push(Issue::value(
                "region",
                format!("`{region}` is not an AWS region name"),
                "write a region such as us-east-1, or remove `region` to use the AWS config chain",
            ));
        }
    }
    for (i, glob) in spec.ignore_tags.iter().enumerate() {
        if glob.is_empty() {
            issues.push(Issue::value(
                child_index("ignoreTags", i),
                "empty tag glob",
                "write a tag key, optionally with `*` and `?` wildcards",
            ));
        }
    }
    for key in spec.schemas.keys() {
        if !SCHEMA_KEY.is_match(key) {
            issues.push(Issue::key(
                child_key("schemas", key),
                format!("invalid schema key `{key}`"),
                "use 1-20 lowercase letters, digits and `-`, starting with a letter or digit",
            ));
        }
    }
    let mut first_by_name: HashMap<&str, usize> = HashMap::new();
    for (i, group) in spec.dataset_groups.iter().enumerate() {
        let path = child_index("datasetGroups", i);
        let first = *first_by_name.entry(&group.name).or_insert(i);
        if first != i {
            issues.push(Issue::value(
                child_key(&path, "name"),
                format!("duplicate dataset group name `{}`", group.name),
                format!(
                    "datasetGroups[{first}] already uses this name; names are unique per region"
                ),
            ));
        }
        check_group(group, &path, spec, schemas, &mut issues);
    }
    issues.extend(tracker_filter_checks::check(spec, schemas));
    issues.extend(metric_checks::check(spec, schemas));
    issues.extend(serving_checks::check(spec));
    issues.extend(data_checks::check(spec));
    issues.extend(use_case_checks::check(spec));
    issues
}

fn check_group(
    group: &DatasetGroupSpec,
    path: &str,
    spec: &SpecFile,
    schemas: &BTreeMap<String, Parsed>,
    issues: &mut Vec<Issue>,
) {
    check_name(
        &group.name,
        &child_key(path, "name"),
        "dataset group",
        issues,
    );
    let (kms_path, role_path) = (child_key(path, "kmsKeyArn"), child_key(path, "roleArn"));
    match (&group.kms_key_arn, &group.role_arn) {
        (Some(_), None) => issues.push(
            Issue::value(
                &kms_path,
                "`kmsKeyArn` without `roleArn`",
                "Personalize needs both: add the `roleArn` of a role that may use the key",
            )
            .depending_on(&role_path),
        ),
        (None, Some(_)) => issues.push(
            Issue::value(
                &role_path,
                "`roleArn` without `kmsKeyArn`",
                "a role is only used with a KMS key: add `kmsKeyArn` or remove `roleArn`",
            )
            .depending_on(&kms_path),
        ),
        _ => {}
    }
    if let Some(arn) = &group.kms_key_arn {
        check_arn(arn, &KMS_KEY_ARN, &kms_path, issues);
    }
    if let Some(arn) = &group.role_arn {
        check_arn(arn, &ROLE_ARN, &role_path, issues);
    }
    check_tags(&group.tags, &child_key(path, "tags"), issues);

    let datasets_path = child_key(path, "datasets");
    let mut names: HashMap<String, DatasetType> = HashMap::new();
    for (dataset_type, dataset) in group.datasets.iter() {
        let dataset_path = child_key(&datasets_path, dataset_type.spec_key());
        if dataset_type.custom_only() {
            if let Some(domain) = group.domain {
                issues.push(Issue::key(
                    &dataset_path,
                    format!("{dataset_type} datasets are only allowed in custom dataset groups, and this group's domain is {domain}"),
                    "remove this dataset, or remove `domain` from the group to make it a custom group",
                ).depending_on(child_key(path, "domain")));
            }
        }
        let name = dataset_name(&group.name, dataset_type, dataset);
        let name_path = child_key(&dataset_path, "name");
        check_child_name(
            dataset.name.as_deref(),
            &name,
            &dataset_path,
            "dataset",
            issues,
        );
        if let Some(other) = names.insert(name.clone(), dataset_type) {
            issues.push(
                Issue::value(
                    &name_path,
                    format!(
                        "dataset name `{name}` is also used by the {other} dataset of this group"
                    ),
                    "give each dataset its own name",
                )
                .depending_on(child_key(
                    &child_key(&datasets_path, other.spec_key()),
                    "name",
                )),
            );
        }
        check_tags(&dataset.tags, &child_key(&dataset_path, "tags"), issues);
        issues.extend(check_schema_use(
            group,
            path,
            dataset_type,
            &dataset.schema,
            &child_key(&dataset_path, "schema"),
            spec,
            schemas,
        ));
    }
}

/// Findings about a dataset's use of schema `key`: the reference resolves,
/// domains agree, and the schema keeps Personalize's rules for the type.
fn check_schema_use(
    group: &DatasetGroupSpec,
    group_path: &str,
    dataset_type: DatasetType,
    key: &str,
    path: &str,
    spec: &SpecFile,
    schemas: &BTreeMap<String, Parsed>,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    let schema_path = child_key("schemas", key);
    let Some(schema) = spec.schemas.get(key) else {
        let hint = match did_you_mean(key, spec.schemas.keys().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None if spec.schemas.is_empty() => "define it under `schemas:`".to_string(),
            None => format!(
                "defined schemas: {}",
                spec.schemas
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        issues.push(
            Issue::value(path, format!("unknown schema `{key}`"), hint).depending_on(schema_path),
        );
        return issues;
    };
    let domain_issue = match (schema.domain, group.domain) {
        (Some(schema_domain), Some(group_domain)) if schema_domain != group_domain => {
            Some(Issue::value(
                path,
                format!("schema `{key}` has domain {schema_domain} but dataset group `{}` has domain {group_domain}", group.name),
                format!("a schema's domain must equal its group's: use a separate schema with `domain: {group_domain}`"),
            ))
        }
        (Some(schema_domain), None) => Some(Issue::value(
            path,
            format!("schema `{key}` has domain {schema_domain} but dataset group `{}` is a custom group", group.name),
            "remove `domain` from the schema, or use a schema without a domain for custom groups",
        )),
        (None, Some(group_domain)) => Some(Issue::value(
            path,
            format!("schema `{key}` has no domain but dataset group `{}` has domain {group_domain}", group.name),
            format!("add `domain: {group_domain}` to schema `{key}`; domain dataset groups need domain schemas"),
        )),
        _ => None,
    };
    if let Some(issue) = domain_issue {
        // Which dataset rules apply depends on the domain, so they wait
        // until the domains agree (CreateDataset refuses the mismatch first).
        issues.push(
            issue
                .depending_on(child_key(&schema_path, "domain"))
                .depending_on(child_key(group_path, "domain")),
        );
    } else if let Some(parsed) = schemas.get(key) {
        // CreateSchema's rules were reported once, with the schema.
        let violations = rules::check_dataset_schema(&parsed.avro, group.domain, dataset_type);
        issues.extend(
            violations
                .iter()
                .filter(|v| v.stage == Stage::CreateDataset)
                .map(|v| parsed.issue(v, Some(path)).depending_on(&schema_path)),
        );
    }
    issues
}

/// The name of a group's child at `path`: its explicit `name`, or a default
/// `name` derived from the group's that must still fit the API's length.
pub(super) fn check_child_name(
    explicit: Option<&str>,
    name: &str,
    path: &str,
    what: &str,
    issues: &mut Vec<Issue>,
) {
    let name_path = child_key(path, "name");
    match explicit {
        Some(explicit) => check_name(explicit, &name_path, what, issues),
        None if name.chars().count() > MAX_NAME_CHARS => issues.push(
            Issue::key(
                path,
                format!("default {what} name `{name}` is longer than {MAX_NAME_CHARS} characters"),
                format!("set `name:` on this {what}, or shorten the group name"),
            )
            .depending_on(&name_path),
        ),
        None => {}
    }
}

fn check_name(name: &str, path: &str, what: &str, issues: &mut Vec<Issue>) {
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS || !NAME.is_match(name) {
        issues.push(Issue::value(
            path,
            format!("invalid {what} name `{name}`"),
            format!("use 1-{MAX_NAME_CHARS} letters, digits, `-` and `_`, starting with a letter or digit"),
        ));
    }
}

pub(super) fn check_arn(arn: &str, rule: &ArnRule, path: &str, issues: &mut Vec<Issue>) {
    if arn.chars().count() > rule.max_chars || !rule.pattern.is_match(arn) {
        issues.push(Issue::value(
            path,
            format!("`{arn}` is not a valid {} ARN", rule.what),
            match rule.mistaken.iter().find(|(part, _)| arn.contains(part)) {
                Some((_, hint)) => hint.to_string(),
                None => format!(
                    "expected the form {} (at most {} characters)",
                    rule.example, rule.max_chars
                ),
            },
        ));
    }
}

pub(super) fn check_tags(tags: &BTreeMap<String, String>, path: &str, issues: &mut Vec<Issue>) {
    for (key, value) in tags {
        let tag_path = child_key(path, key);
        let key_chars = key.chars().count();
        if key.starts_with(RESERVED_TAG_PREFIX) {
            issues.push(Issue::key(
                &tag_path,
                format!("tag key `{key}` uses the reserved prefix `{RESERVED_TAG_PREFIX}`"),
                format!("pzr sets `{STACK_TAG}` itself; remove this tag"),
            ));
        } else if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
            issues.push(Issue::key(
                &tag_path,
                format!("tag key `{key}` uses the prefix `aws:`, which AWS reserves"),
                "rename the tag",
            ));
        } else if key_chars == 0 || key_chars > MAX_TAG_KEY_CHARS || !TAG_TEXT.is_match(key) {
            issues.push(Issue::key(
                &tag_path,
                format!("invalid tag key `{key}`"),
                format!("use 1-{MAX_TAG_KEY_CHARS} letters, digits, spaces and _ . : / = + - @"),
            ));
        }
        if value.chars().count() > MAX_TAG_VALUE_CHARS || !TAG_TEXT.is_match(value) {
            issues.push(Issue::value(
                &tag_path,
                format!("invalid value for tag `{key}`"),
                format!("use 0-{MAX_TAG_VALUE_CHARS} letters, digits, spaces and _ . : / = + - @"),
            ));
        }
    }
    let user_tags = tags.keys().filter(|k| k.as_str() != STACK_TAG).count();
    if user_tags >= MAX_TAGS {
        issues.push(Issue::value(
            path,
            format!("{user_tags} tags, but a resource holds at most {MAX_TAGS} and pzr adds `{STACK_TAG}`"),
            format!("keep at most {} tags here", MAX_TAGS - 1),
        ));
    }
}
