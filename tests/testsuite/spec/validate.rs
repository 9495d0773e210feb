//! Every offline check of the spec, asserting message, field path, line and
//! column. Variants are derived from `tests/fixtures/spec/valid.yaml`.

use pzr::spec::{load, load_bytes, load_str, Diagnostic, Spec};

use crate::support::files::{copy_dir, repo, spec_fixtures, valid_spec_text};

/// The valid fixture with `from` (which must occur exactly once) replaced.
fn variant(from: &str, to: &str) -> String {
    let text = valid_spec_text();
    assert_eq!(
        text.matches(from).count(),
        1,
        "fixture must contain {from:?} once"
    );
    text.replace(from, to)
}

fn load_text(text: &str) -> Result<Spec, Vec<Diagnostic>> {
    load_str(text, &spec_fixtures().join("spec.yaml")).map_err(|e| e.diagnostics)
}

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match load_text(text) {
        Ok(_) => panic!("expected validation errors for:\n{text}"),
        Err(d) => d,
    }
}

/// Exactly one diagnostic, at `line:column` on `path`, whose message contains `fragment`.
fn assert_one(text: &str, line: usize, column: usize, path: &str, fragment: &str) -> Diagnostic {
    let all = diagnostics(text);
    assert_eq!(all.len(), 1, "expected one diagnostic, got {all:#?}");
    assert_at(&all[0], line, column, path, fragment);
    all.into_iter().next().expect("one")
}

fn assert_at(d: &Diagnostic, line: usize, column: usize, path: &str, fragment: &str) {
    assert!(
        d.message.contains(fragment),
        "message {:?} lacks {fragment:?}",
        d.message
    );
    assert_eq!(
        (d.line, d.column, d.path.as_str()),
        (line, column, path),
        "{d}"
    );
    assert!(d.file.ends_with("spec.yaml"), "{}", d.file);
}

#[test]
fn the_valid_fixture_loads_with_named_schemas() {
    let spec = load_text(&valid_spec_text()).expect("valid");
    assert_eq!(spec.stack(), "shop");
    assert_eq!(spec.file.dataset_groups.len(), 2);
    assert_eq!(spec.schemas.len(), 6);
    for (key, schema) in &spec.schemas {
        assert!(
            schema.name.starts_with(&format!("shop_{key}_")),
            "{}",
            schema.name
        );
        assert_eq!(schema.name.len(), format!("shop_{key}_").len() + 8);
    }
    // Same content, different domain: different managed names.
    assert_ne!(
        spec.schemas["items"].name,
        spec.schemas["custom-items"].name
    );
    assert_eq!(
        spec.schemas["items"].canonical,
        spec.schemas["custom-items"].canonical
    );
    assert_eq!(spec.digest.len(), 64);
}

#[test]
fn every_example_is_valid() {
    let examples = repo("examples");
    for name in ["retail.yaml", "video.yaml", "custom.yaml"] {
        let spec = load(&examples.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!spec.file.dataset_groups.is_empty(), "{name}");
        assert!(
            spec.file.dataset_groups.len() <= 2,
            "{name}: default quota is 5 groups"
        );
    }
    let retail = load(&examples.join("retail.yaml")).expect("retail");
    assert_eq!(retail.stack(), "retail-prod");
    let group = &retail.file.dataset_groups[0];
    assert!(group.kms_key_arn.is_some() && group.role_arn.is_some());
    let custom = load(&examples.join("custom.yaml")).expect("custom");
    let datasets = &custom.file.dataset_groups[0].datasets;
    assert!(datasets.actions.is_some() && datasets.action_interactions.is_some());
}

#[test]
fn version_must_be_1() {
    assert_one(
        &variant("version: 1", "version: 2"),
        2,
        10,
        "version",
        "unsupported spec version 2",
    );
}

#[test]
fn stack_name_follows_its_pattern() {
    assert_one(
        &variant("stack: shop", "stack: Shop_1"),
        3,
        8,
        "stack",
        "invalid stack name `Shop_1`",
    );
    let long = format!("stack: {}", "s".repeat(33));
    assert_one(
        &variant("stack: shop", &long),
        3,
        8,
        "stack",
        "invalid stack name",
    );
    assert!(load_text(&variant(
        "stack: shop",
        &format!("stack: {}", "s".repeat(32))
    ))
    .is_ok());
}

#[test]
fn region_must_look_like_a_region() {
    assert_one(
        &variant("region: us-east-1", "region: useast1"),
        4,
        9,
        "region",
        "not an AWS region",
    );
    assert!(load_text(&variant("region: us-east-1", "region: us-gov-west-1")).is_ok());
}

#[test]
fn ignore_tags_globs_are_not_empty() {
    assert_one(
        &variant(r#"["cost-*"]"#, r#"["cost-*", ""]"#),
        5,
        24,
        "ignoreTags[1]",
        "empty tag glob",
    );
}

#[test]
fn unknown_keys_are_all_reported_with_suggestions() {
    let text = variant("region:", "regoin:").replace("    adopt: true", "    adpot: true");
    let all = diagnostics(&text);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_at(&all[0], 4, 1, "regoin", "unknown key `regoin`");
    assert_eq!(all[0].hint.as_deref(), Some("did you mean `region`?"));
    assert_at(
        &all[1],
        25,
        5,
        "datasetGroups[1].adpot",
        "unknown key `adpot`",
    );
    assert_eq!(all[1].hint.as_deref(), Some("did you mean `adopt`?"));
    let far = assert_one(
        &variant("    adopt: true", "    colour: red"),
        25,
        5,
        "datasetGroups[1].colour",
        "unknown key",
    );
    assert!(
        far.hint
            .as_deref()
            .is_some_and(|h| h.starts_with("valid keys here: adopt, datasets")),
        "{far:?}"
    );
}

#[test]
fn unknown_dataset_types_suggest_the_right_one() {
    let d = assert_one(
        &variant(
            "      interactions: {schema: interactions}",
            "      interaction: {schema: interactions}",
        ),
        21,
        7,
        "datasetGroups[0].datasets.interaction",
        "unknown key `interaction`",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `interactions`?"));
}

#[test]
fn snake_case_keys_suggest_camel_case() {
    let all = diagnostics(&variant("    kmsKeyArn:", "    kms_key_arn:"));
    let unknown = all
        .iter()
        .find(|d| d.message == "unknown key `kms_key_arn`")
        .expect("reported");
    assert_eq!(unknown.hint.as_deref(), Some("did you mean `kmsKeyArn`?"));
    assert_eq!((unknown.line, unknown.column), (16, 5));
}

#[test]
fn missing_required_keys_are_reported() {
    assert_one(
        &variant("stack: shop\n", ""),
        2,
        1,
        "",
        "missing required key `stack`",
    );
    assert_one(
        &variant("{schema: actions}", "{name: x}"),
        28,
        16,
        "datasetGroups[1].datasets.actions",
        "missing required key `schema`",
    );
}

#[test]
fn wrong_types_are_reported_and_other_checks_still_run() {
    let text = variant("protect: true", r#"protect: "yes""#).replace("stack: shop", "stack: Shop");
    let all = diagnostics(&text);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_at(&all[0], 3, 8, "stack", "invalid stack name");
    assert_at(
        &all[1],
        19,
        14,
        "datasetGroups[0].protect",
        "expected true or false, found a string",
    );
    let d = assert_one(
        &variant("team: growth", "team: true"),
        18,
        18,
        "datasetGroups[0].tags.team",
        "expected a string, found a boolean",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("quote the value to make it a string")
    );
    assert_one(
        &variant("version: 1", r#"version: "1""#),
        2,
        10,
        "version",
        "expected a whole number, found a string",
    );
    assert_one(
        &variant("version: 1", "version: 99999999999"),
        2,
        10,
        "version",
        "out of range",
    );
}

#[test]
fn numbers_are_accepted_as_strings_as_written() {
    let spec = load_text(&variant("team: growth", "team: 1.10")).expect("valid");
    assert_eq!(spec.file.dataset_groups[0].tags["team"], "1.10");
}

#[test]
fn domains_are_enum_values_with_suggestions() {
    let d = assert_one(
        &variant("    domain: ECOMMERCE", "    domain: ECOMERCE"),
        15,
        13,
        "datasetGroups[0].domain",
        "`ECOMERCE` is not an allowed value",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("did you mean `ECOMMERCE`? allowed: ECOMMERCE, VIDEO_ON_DEMAND")
    );
}

#[test]
fn dataset_group_and_dataset_names_follow_the_api_pattern() {
    assert_one(
        &variant("name: shop-main", "name: -shop"),
        14,
        11,
        "datasetGroups[0].name",
        "invalid dataset group name `-shop`",
    );
    let long = format!("name: {}", "g".repeat(64));
    let all = diagnostics(&variant("name: shop-main", &long));
    assert_at(
        &all[0],
        14,
        11,
        "datasetGroups[0].name",
        "invalid dataset group name",
    );
    assert_one(
        &variant("name: shop-items", "name: shop items"),
        22,
        36,
        "datasetGroups[0].datasets.items.name",
        "invalid dataset name `shop items`",
    );
}

#[test]
fn default_dataset_names_must_fit_63_characters() {
    // 50 + "-actionInteractions" is 69; "-actions" and "-items" still fit.
    let group = "o".repeat(50);
    assert_one(
        &variant("name: shop-offers", &format!("name: {group}")),
        29,
        7,
        "datasetGroups[1].datasets.actionInteractions",
        "default dataset name",
    );
}

#[test]
fn dataset_names_are_unique_within_a_group() {
    assert_one(
        &variant(
            "{schema: custom-items}",
            "{schema: custom-items, name: shop-offers-actions}",
        ),
        28,
        16,
        "datasetGroups[1].datasets.actions.name",
        "dataset name `shop-offers-actions` is also used by the items dataset",
    );
}

#[test]
fn kms_key_and_role_come_together() {
    let role_line = "    roleArn: arn:aws:iam::111122223333:role/PersonalizeKms\n";
    assert_one(
        &variant(role_line, ""),
        16,
        16,
        "datasetGroups[0].kmsKeyArn",
        "`kmsKeyArn` without `roleArn`",
    );
    let kms_line = "    kmsKeyArn: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\n";
    assert_one(
        &variant(kms_line, ""),
        16,
        14,
        "datasetGroups[0].roleArn",
        "`roleArn` without `kmsKeyArn`",
    );
}

#[test]
fn arns_follow_the_api_patterns_and_lengths() {
    assert_one(
        &variant("role/PersonalizeKms", "user/PersonalizeKms"),
        17,
        14,
        "datasetGroups[0].roleArn",
        "not a valid IAM role ARN",
    );
    assert_one(
        &variant("111122223333:key", "1111:key"),
        16,
        16,
        "datasetGroups[0].kmsKeyArn",
        "not a valid KMS key ARN",
    );
    let alias = assert_one(
        &variant(
            "key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "alias/personalize",
        ),
        16,
        16,
        "datasetGroups[0].kmsKeyArn",
        "not a valid KMS key ARN",
    );
    assert!(
        alias
            .hint
            .as_deref()
            .is_some_and(|h| h.starts_with("an alias ARN is not accepted")),
        "{alias:?}"
    );
    let long_key = format!("111122223333:key/{}", "k".repeat(2048));
    assert_one(
        &variant(
            "111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            &long_key,
        ),
        16,
        16,
        "datasetGroups[0].kmsKeyArn",
        "not a valid KMS key ARN",
    );
    // Anchored: trailing junk after a valid role ARN is refused.
    assert_one(
        &variant("role/PersonalizeKms", "role/PersonalizeKms junk"),
        17,
        14,
        "datasetGroups[0].roleArn",
        "not a valid IAM role ARN",
    );
}

#[test]
fn dataset_group_names_are_unique() {
    let d = assert_one(
        &variant("name: shop-offers", "name: shop-main"),
        24,
        11,
        "datasetGroups[1].name",
        "duplicate dataset group name `shop-main`",
    );
    assert!(d
        .hint
        .as_deref()
        .is_some_and(|h| h.contains("datasetGroups[0]")));
}

#[test]
fn schema_references_resolve() {
    let d = assert_one(
        &variant("{schema: custom-items}", "{schema: custom-item}"),
        27,
        23,
        "datasetGroups[1].datasets.items.schema",
        "unknown schema `custom-item`",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `custom-items`?"));
}

#[test]
fn schema_keys_follow_their_pattern() {
    let text = valid_spec_text().replace("custom-items", "Custom_Items");
    assert_one(
        &text,
        10,
        3,
        "schemas.Custom_Items",
        "invalid schema key `Custom_Items`",
    );
}

#[test]
fn missing_avro_files_name_the_resolved_path() {
    let d = assert_one(
        &variant("avro/users.avsc", "avro/userz.avsc"),
        9,
        17,
        "schemas.users.file",
        "cannot read Avro file",
    );
    let resolved = spec_fixtures().join("avro/userz.avsc");
    assert!(
        d.message.contains(&resolved.display().to_string()),
        "{}",
        d.message
    );
}

#[test]
fn avro_must_parse() {
    assert_one(
        &variant("avro/users.avsc", "avro/broken.avsc"),
        9,
        17,
        "schemas.users.file",
        "schema `users`: not a valid Avro schema",
    );
    // Text that is not JSON is placed where the parser stopped, in the
    // `.avsc`, with the spec's reference to it.
    let all = diagnostics(&variant("avro/users.avsc", "avro/not-json.avsc"));
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = &all[0];
    assert!(d.file.ends_with("avro/not-json.avsc"), "{d}");
    assert_eq!((d.line, d.column), (2, 1), "{d}");
    assert!(d.message.contains("schema `users`: not valid JSON"), "{d}");
    assert!(d.to_string().contains("used by: "), "{d}");
    assert_one(
        &variant(
            "{file: avro/users.avsc, domain",
            r#"{definition: '{"type": "enum", "name": "E", "symbols": ["A"]}', domain"#,
        ),
        9,
        23,
        "schemas.users.definition",
        "top level of the schema must be an Avro record",
    );
}

#[test]
fn a_schema_has_exactly_one_of_file_and_definition() {
    assert_one(
        &variant(
            "{file: avro/users.avsc, domain",
            r#"{file: avro/users.avsc, definition: "{}", domain"#,
        ),
        9,
        10,
        "schemas.users",
        "has both `file` and `definition`",
    );
    assert_one(
        &variant("{file: avro/users.avsc, domain", "{domain"),
        9,
        10,
        "schemas.users",
        "has neither `file` nor `definition`",
    );
}

#[test]
fn inline_definitions_as_mapping_or_json_string_are_the_same_schema() {
    let json = std::fs::read_to_string(spec_fixtures().join("avro/users.avsc")).expect("fixture");
    let as_string = variant(
        "{file: avro/users.avsc, domain",
        &format!(
            "{{definition: {}, domain",
            serde_json::to_string(&json).expect("json")
        ),
    );
    let mapping = "{definition: {type: record, name: Users, namespace: com.amazonaws.personalize.schema, version: \"1.0\", \
         fields: [{name: USER_ID, type: string}, {name: MEMBERSHIP_STATUS, type: [\"null\", string], categorical: true}, \
         {name: AGE, type: [\"null\", int]}]}, domain";
    let as_mapping = variant("{file: avro/users.avsc, domain", mapping);
    let from_file = load_text(&valid_spec_text()).expect("valid").schemas["users"].clone();
    assert_eq!(
        load_text(&as_string).expect("valid").schemas["users"],
        from_file
    );
    assert_eq!(
        load_text(&as_mapping).expect("valid").schemas["users"],
        from_file
    );
}

/// Every diagnostic of `text`, as (file name, line, column, path, message).
fn located(text: &str) -> Vec<(String, usize, usize, String, String)> {
    diagnostics(text)
        .into_iter()
        .map(|d| {
            let file = d.file.rsplit('/').next().unwrap_or_default().to_string();
            (file, d.line, d.column, d.path, d.message)
        })
        .collect()
}

#[test]
fn dataset_rules_are_reported_inside_the_avsc_with_the_dataset_that_uses_it() {
    // The ECOMMERCE items schema used for ECOMMERCE interactions.
    let text = variant(
        "interactions: {file: avro/interactions.avsc",
        "interactions: {file: avro/items.avsc",
    );
    let all = diagnostics(&text);
    let at: Vec<_> = located(&text)
        .into_iter()
        .map(|(f, l, c, p, _)| (f, l, c, p))
        .collect();
    let fields = ("items.avsc".to_string(), 5, 3, "fields".to_string());
    assert_eq!(
        at,
        vec![
            fields.clone(),
            fields.clone(),
            fields,
            ("items.avsc".into(), 10, 65, "fields[4].textual".into())
        ],
        "{all:#?}"
    );
    for (d, fragment) in all.iter().zip([
        "schema `interactions`: lacks the field USER_ID (string) that ECOMMERCE interactions datasets require",
        "lacks the field TIMESTAMP (long)",
        "lacks the field EVENT_TYPE (string)",
        "field PRODUCT_DESCRIPTION is textual, but only items datasets take textual fields",
    ]) {
        assert!(d.message.contains(fragment), "{d}");
        let used = d.used_by.as_ref().expect("used by");
        assert_eq!(
            (used.line, used.column, used.path.as_str()),
            (21, 30, "datasetGroups[0].datasets.interactions.schema")
        );
        assert!(used.file.ends_with("spec.yaml"), "{}", used.file);
    }
    assert!(all[0]
        .hint
        .as_deref()
        .unwrap_or_default()
        .starts_with(r#"add {"name": "USER_ID", "type": "string"} to "fields""#));
    let actions = located(&variant("{schema: actions}", "{schema: custom-items}"));
    assert_eq!(actions.len(), 2, "{actions:#?}");
    assert!(actions[0].4.contains("lacks the field ACTION_ID (string)"));
    assert!(actions[1].4.contains("PRODUCT_DESCRIPTION is textual"));
    let events = located(&variant("{schema: action-events}", "{schema: actions}"));
    let messages: Vec<&str> = events.iter().map(|e| e.4.as_str()).collect();
    assert_eq!(events.len(), 3, "{events:#?}");
    for (message, field) in messages.iter().zip(["USER_ID", "TIMESTAMP", "EVENT_TYPE"]) {
        assert!(
            message.contains(&format!("lacks the field {field}")),
            "{message}"
        );
    }
}

#[test]
fn schema_text_is_at_most_20000_characters() {
    let doc = "d".repeat(20_000);
    let definition = format!("{{definition: {{type: record, name: Users, doc: {doc}, fields: [{{name: USER_ID, type: string}}]}}, domain");
    assert_one(
        &variant("{file: avro/users.avsc, domain", &definition),
        9,
        23,
        "schemas.users.definition",
        "Personalize accepts at most 20000",
    );
}

fn tags(count: usize) -> String {
    let pairs: Vec<String> = (0..count).map(|i| format!("t{i}: v")).collect();
    format!("tags: {{{}}}", pairs.join(", "))
}

#[test]
fn at_most_49_user_tags_because_pzr_adds_its_own() {
    assert!(load_text(&variant("tags: {team: growth}", &tags(49))).is_ok());
    assert_one(
        &variant("tags: {team: growth}", &tags(50)),
        18,
        11,
        "datasetGroups[0].tags",
        "50 tags, but a resource holds at most 50 and pzr adds `pzr:stack`",
    );
}

#[test]
fn tag_keys_and_values_follow_aws_rules() {
    assert_one(
        &variant("team: growth", "pzr:stack: shop"),
        18,
        12,
        "datasetGroups[0].tags[\"pzr:stack\"]",
        "reserved prefix `pzr:`",
    );
    assert_one(
        &variant("team: growth", "AWS:team: growth"),
        18,
        12,
        "datasetGroups[0].tags[\"AWS:team\"]",
        "prefix `aws:`, which AWS reserves",
    );
    assert_one(
        &variant("team: growth", r#""team!": growth"#),
        18,
        12,
        "datasetGroups[0].tags[\"team!\"]",
        "invalid tag key `team!`",
    );
    let long_key = "k".repeat(129);
    assert_one(
        &variant("team: growth", &format!("{long_key}: growth")),
        18,
        12,
        &format!("datasetGroups[0].tags.{long_key}"),
        "invalid tag key",
    );
    assert!(load_text(&variant(
        "team: growth",
        &format!("{}: growth", "k".repeat(128))
    ))
    .is_ok());
    let long_value = "v".repeat(257);
    assert_one(
        &variant("team: growth", &format!("team: {long_value}")),
        18,
        18,
        "datasetGroups[0].tags.team",
        "invalid value for tag `team`",
    );
    assert_one(
        &variant(r#"{pii: "no"}"#, r#"{pii: "no!"}"#),
        22,
        60,
        "datasetGroups[0].datasets.items.tags.pii",
        "invalid value for tag `pii`",
    );
    // Unicode letters, spaces and the allowed punctuation pass.
    assert!(load_text(&variant(
        "team: growth",
        r#""Équipe 1/a=b+c-d@e:f_g.h": "café au lait""#
    ))
    .is_ok());
}

#[test]
fn schema_domains_match_their_groups() {
    assert_one(
        &variant("{schema: custom-items}", "{schema: items}"),
        27,
        23,
        "datasetGroups[1].datasets.items.schema",
        "schema `items` has domain ECOMMERCE but dataset group `shop-offers` is a custom group",
    );
    assert_one(
        &variant("{schema: items, name", "{schema: custom-items, name"),
        22,
        23,
        "datasetGroups[0].datasets.items.schema",
        "schema `custom-items` has no domain but dataset group `shop-main` has domain ECOMMERCE",
    );
    let all = diagnostics(&variant(
        "    domain: ECOMMERCE",
        "    domain: VIDEO_ON_DEMAND",
    ));
    assert_eq!(all.len(), 3, "{all:#?}");
    assert_at(
        &all[0],
        21,
        30,
        "datasetGroups[0].datasets.interactions.schema",
        "has domain ECOMMERCE but dataset group `shop-main` has domain VIDEO_ON_DEMAND",
    );
}

#[test]
fn actions_datasets_only_in_custom_groups() {
    let text = variant(
        "      users: {schema: users}\n",
        "      users: {schema: users}\n      actions: {schema: actions}\n",
    );
    let all = diagnostics(&text);
    assert_at(
        &all[0],
        24,
        7,
        "datasetGroups[0].datasets.actions",
        "actions datasets are only allowed in custom dataset groups",
    );
    assert_at(
        &all[1],
        24,
        25,
        "datasetGroups[0].datasets.actions.schema",
        "has no domain",
    );
}

#[test]
fn every_independent_error_is_reported_in_one_run() {
    let text = variant("version: 1", "version: 3")
        .replace("stack: shop", "stack: SHOP")
        .replace("    adopt: true", "    adopted: true")
        .replace("{schema: action-events}", "{schema: nope}")
        .replace("team: growth", "aws:team: growth")
        .replace(
            "    roleArn: arn:aws:iam::111122223333:role/PersonalizeKms\n",
            "",
        );
    let all = diagnostics(&text);
    assert!(
        all.iter().all(|d| d.hint.is_some()),
        "every diagnostic says what to do: {all:#?}"
    );
    let summary: Vec<(usize, &str)> = all.iter().map(|d| (d.line, d.path.as_str())).collect();
    assert_eq!(
        summary,
        vec![
            (2, "version"),
            (3, "stack"),
            (16, "datasetGroups[0].kmsKeyArn"),
            (17, "datasetGroups[0].tags[\"aws:team\"]"),
            (24, "datasetGroups[1].adopted"),
            (28, "datasetGroups[1].datasets.actionInteractions.schema"),
        ]
    );
}

#[test]
fn yaml_errors_are_located() {
    let d = &diagnostics(&variant("stack: shop", "stack: [shop"))[0];
    assert!(d.message.starts_with("invalid YAML"), "{d}");
    assert!(d.line >= 3, "{d}");
    assert_one(
        &variant("stack: shop\n", "stack: shop\nstack: again\n"),
        4,
        1,
        "",
        "duplicate key `stack`",
    );
    assert_one(
        &format!("{}---\nversion: 1\n", valid_spec_text()),
        30,
        1,
        "",
        "single YAML document",
    );
    assert_one("", 1, 1, "", "the spec is empty");
    assert_one("# only a comment\n", 2, 1, "", "the spec is empty");
    assert_one("- a\n- b\n", 1, 1, "", "expected a mapping, found a list");
}

/// An indentation mistake is said as one, with what to do, before the
/// parser's own words.
#[test]
fn a_yaml_indentation_error_says_what_is_wrong() {
    let d = &diagnostics(&variant("  - name: shop-offers", "   - name: shop-offers"))[0];
    assert!(
        d.message
            .starts_with("invalid YAML: this line is not indented as the list it is in"),
        "{d}"
    );
    assert!(
        d.message.contains("did not find expected '-' indicator"),
        "{d}"
    );
    assert!(
        d.hint
            .as_deref()
            .is_some_and(|h| h.contains("list items start with `- ` at the same column")),
        "{d}"
    );
}

#[test]
fn byte_order_marks_and_crlf_line_ends_are_accepted() {
    let bom = format!("\u{feff}{}", valid_spec_text());
    assert!(load_text(&bom).is_ok());
    let crlf = variant("stack: shop", "stack: Shop").replace('\n', "\r\n");
    assert_one(&crlf, 3, 8, "stack", "invalid stack name");
}

#[test]
fn avro_paths_must_be_regular_files() {
    assert_one(
        &variant("avro/users.avsc", "avro"),
        9,
        17,
        "schemas.users.file",
        "not a regular file",
    );
}

#[test]
fn anchors_and_aliases_work_within_limits() {
    let text = variant("tags: {team: growth}", "tags: &common {team: growth}")
        .replace("    adopt: true", "    adopt: true\n    tags: *common");
    let spec = load_text(&text).expect("valid");
    assert_eq!(spec.file.dataset_groups[1].tags["team"], "growth");
}

#[test]
fn bytes_that_are_not_utf8_or_too_large_are_refused() {
    let path = spec_fixtures().join("spec.yaml");
    let err = load_bytes(b"version: 1\nstack: \xff\n", &path).unwrap_err();
    assert_eq!((err.diagnostics[0].line, err.diagnostics[0].column), (2, 8));
    assert!(err.diagnostics[0].message.contains("not valid UTF-8"));
    let big = vec![b'#'; pzr::spec::MAX_SPEC_BYTES + 1];
    let err = load_bytes(&big, &path).unwrap_err();
    assert!(err.diagnostics[0].message.contains("larger than"));
    let err = load(&spec_fixtures().join("does-not-exist.yaml")).unwrap_err();
    assert!(err.diagnostics[0]
        .message
        .starts_with("cannot read the spec"));
}

/// Copies the fixture into a fresh directory so its Avro files can be edited.
fn scratch_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&spec_fixtures(), dir.path());
    std::fs::write(dir.path().join("spec.yaml"), valid_spec_text()).expect("write");
    dir
}

#[test]
fn reformatting_an_avro_file_changes_neither_names_nor_digest_but_editing_does() {
    let dir = scratch_copy();
    let spec_path = dir.path().join("spec.yaml");
    let users_path = dir.path().join("avro/users.avsc");
    let before = load(&spec_path).expect("valid");

    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&users_path).expect("read")).expect("json");
    std::fs::write(&users_path, serde_json::to_string(&value).expect("compact")).expect("write");
    let reformatted = load(&spec_path).expect("valid");
    assert_eq!(reformatted.schemas, before.schemas);
    assert_eq!(reformatted.digest, before.digest);

    let edited = std::fs::read_to_string(&users_path)
        .expect("read")
        .replace("\"AGE\"", "\"YEARS\"");
    std::fs::write(&users_path, edited).expect("write");
    let after = load(&spec_path).expect("valid");
    assert_ne!(after.schemas["users"].name, before.schemas["users"].name);
    assert_eq!(after.schemas["items"].name, before.schemas["items"].name);
    assert_ne!(after.digest, before.digest);
}
