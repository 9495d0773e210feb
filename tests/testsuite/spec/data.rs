//! The spec's data keys offline: `import` and `streamed` on datasets,
//! `sandbox.buckets`, and the datasets each recommender's use case needs.
//! Variants of `tests/fixtures/spec/valid.yaml` (ECOMMERCE group
//! `shop-main`) and of `examples/video.yaml`.

use std::path::Path;

use pzr::spec::{load_str, ImportMode, S3Uri, Spec};

use super::serving::{assert_finding, diagnostics, load, position, position_after};
use crate::support::files::{repo, spec_fixtures, valid_spec_text};

/// `shop-main`'s datasets as the fixture writes them.
const DATASETS: &str = "      interactions: {schema: interactions}
      items: {schema: items, name: shop-items, tags: {pii: \"no\"}}
      users: {schema: users}
";

/// The fixture with `shop-main`'s datasets replaced and `top` appended.
fn with_datasets(datasets: &str, top: &str) -> String {
    let text = valid_spec_text();
    assert_eq!(text.matches(DATASETS).count(), 1);
    format!("{}{top}", text.replace(DATASETS, datasets))
}

const WITH_DATA: &str = r#"      interactions:
        schema: interactions
        import:
          from: s3://acme-personalize/retail/interactions/
          roleArn: arn:aws:iam::111122223333:role/PersonalizeS3Read
          mode: INCREMENTAL
        streamed: true
      items: {schema: items, import: {from: "s3://acme.archive/items.csv"}}
      users: {schema: users, streamed: true}
"#;

const SANDBOX: &str = "sandbox:
  buckets: {acme-personalize: ./data, acme.archive: /srv/archive}
";

#[test]
fn imports_streamed_datasets_and_sandbox_buckets_load_resolved() {
    let spec = load(&with_datasets(WITH_DATA, SANDBOX)).unwrap_or_else(|all| panic!("{all:#?}"));
    let datasets = &spec.file.dataset_groups[0].datasets;
    let interactions = datasets.interactions.as_ref().expect("interactions");
    let import = interactions.import.as_ref().expect("import");
    assert_eq!(import.mode, ImportMode::Incremental);
    assert_eq!(
        import.role_arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/PersonalizeS3Read")
    );
    let location = S3Uri::parse(&import.from).expect("an s3:// URI");
    assert_eq!(location.bucket, "acme-personalize");
    assert_eq!(location.key, "retail/interactions/");
    // Bulk history and streaming together.
    assert!(interactions.streamed);
    let items = datasets.items.as_ref().expect("items");
    let items_import = items.import.as_ref().expect("items import");
    assert_eq!(
        (items_import.mode, items.streamed),
        (ImportMode::Full, false)
    );
    let users = datasets.users.as_ref().expect("users");
    assert!(users.streamed && users.import.is_none());
    // Relative to the spec's directory, as `.avsc` files are.
    assert_eq!(
        spec.sandbox_buckets["acme-personalize"],
        spec_fixtures().join("./data")
    );
    assert_eq!(
        spec.sandbox_buckets["acme.archive"],
        Path::new("/srv/archive")
    );
}

#[test]
fn a_spec_without_data_keys_has_none() {
    let spec = load(&valid_spec_text()).unwrap_or_else(|all| panic!("{all:#?}"));
    assert!(spec.sandbox_buckets.is_empty() && spec.file.sandbox.is_none());
    let spec_has_data = |spec: &Spec| {
        spec.file
            .dataset_groups
            .iter()
            .flat_map(|g| g.datasets.iter())
            .any(|(_, d)| d.import.is_some() || d.streamed)
    };
    assert!(!spec_has_data(&spec));
}

#[test]
fn every_import_mistake_is_reported_in_one_run_with_a_hint() {
    let text = with_datasets(
        r#"      interactions:
        schema: interactions
        import: {from: s3:/acme-data/interactions.csv, mode: incremental}
      items:
        schema: items
        import:
          from: https://acme-data.s3.us-east-1.amazonaws.com/items.csv
          roleArn: arn:aws:iam::1111:role/Reader
      users: {schema: users, import: {from: data/users.csv}}
"#,
        "",
    )
    .replace(
        "      items: {schema: custom-items}\n",
        "      items: {schema: custom-items, import: {from: s3://Acme_Data/items/}}\n",
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 6, "{all:#?}");
    let main = "datasetGroups[0].datasets";
    assert_finding(
        &all,
        &format!("{main}.interactions.import.from"),
        position(&text, "s3:/acme-data"),
        "`s3:/acme-data/interactions.csv` is not an s3:// location",
        "did you mean `s3://acme-data/interactions.csv`?",
    );
    assert_finding(
        &all,
        &format!("{main}.interactions.import.mode"),
        position(&text, "incremental"),
        "`incremental` is not an allowed value",
        "did you mean `INCREMENTAL`?",
    );
    assert_finding(
        &all,
        &format!("{main}.items.import.from"),
        position(&text, "https://acme-data"),
        "is not an s3:// location",
        "did you mean `s3://acme-data/items.csv`?",
    );
    assert_finding(
        &all,
        &format!("{main}.items.import.roleArn"),
        position(&text, "arn:aws:iam::1111:role/Reader"),
        "is not a valid IAM role ARN",
        "arn:aws:iam::111122223333:role/<role-name>",
    );
    assert_finding(
        &all,
        &format!("{main}.users.import.from"),
        position(&text, "data/users.csv"),
        "`data/users.csv` is not an s3:// location",
        "write `s3://bucket/key.csv` for one CSV file",
    );
    assert_finding(
        &all,
        "datasetGroups[1].datasets.items.import.from",
        position(&text, "s3://Acme_Data"),
        "bucket name `Acme_Data` has characters other than lowercase letters",
        "bucketnamingrules.html",
    );
}

#[test]
fn sandbox_buckets_are_bucket_names_with_a_directory() {
    let text = format!(
        "{}sandbox:\n  buckets:\n    Acme_Data: ./data\n    acme-data: \"\"\n    ok.bucket: ./ok\n",
        valid_spec_text()
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_finding(
        &all,
        "sandbox.buckets.Acme_Data",
        position(&text, "Acme_Data"),
        "bucket name `Acme_Data` has characters other than",
        "a bucket name is 3-63 lowercase letters",
    );
    assert_finding(
        &all,
        "sandbox.buckets.acme-data",
        position_after(&text, "acme-data:", "\"\""),
        "no directory for bucket `acme-data`",
        "relative to the spec file",
    );
}

#[test]
fn sandbox_keys_are_checked_like_every_other() {
    let text = format!(
        "{}sandbox:\n  bucket: {{acme: ./data}}\n",
        valid_spec_text()
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_finding(
        &all,
        "sandbox.bucket",
        position(&text, "bucket:"),
        "unknown key `bucket`",
        "did you mean `buckets`?",
    );
}

#[test]
fn recommenders_need_the_datasets_their_use_case_trains_on() {
    let recommenders = "    recommenders:
      popular: {recipe: aws-ecomm-popular-items-by-views}
      for-you: {recipe: arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you}
      typo: {recipe: aws-ecomm-popular-items-by-veiws}
";
    let datasets = "      users: {schema: users}\n";
    let text = valid_spec_text().replace(DATASETS, &format!("{datasets}{recommenders}"));
    let all = diagnostics(&text);
    // The misspelt recipe is reported once, as a recipe, not for its data.
    assert_eq!(all.len(), 3, "{all:#?}");
    let main = "datasetGroups[0].recommenders";
    assert_finding(
        &all,
        &format!("{main}.popular.recipe"),
        position(&text, "aws-ecomm-popular-items-by-views"),
        "use case `aws-ecomm-popular-items-by-views` trains on at least 1000 `View` interactions, and dataset group `shop-main` declares no interactions dataset",
        "add `interactions: {schema: ...}` under `datasetGroups[0].datasets`, with `import: {from: s3://...}` or `streamed: true` (rule: https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html#most-viewed-use-case)",
    );
    assert_finding(
        &all,
        &format!("{main}.for-you.recipe"),
        position(&text, "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you"),
        "trains on at least 1000 interactions, and dataset group `shop-main` declares no interactions dataset",
        "#recommended-for-you-use-case",
    );
}

#[test]
fn more_like_x_needs_an_items_dataset() {
    let path = repo("examples/video.yaml");
    let text = std::fs::read_to_string(&path)
        .expect("example")
        .replace(
            "      items: {schema: items, import: {from: s3://pzr-examples/video/items.csv}}\n",
            "",
        )
        .replace("aws-vod-top-picks", "aws-vod-more-like-x");
    let all = load_str(&text, &path)
        .expect_err("items missing")
        .diagnostics;
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = &all[0];
    assert_eq!(d.path, "datasetGroups[0].recommenders.top-picks.recipe");
    assert_eq!((d.line, d.column), position(&text, "aws-vod-more-like-x"));
    assert!(
        d.message.contains(
            "trains on the items dataset, and dataset group `video-prod` declares no items dataset"
        ),
        "{d}"
    );
    let hint = d.hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("add `items: {schema: ...}`")
            && hint.contains("VIDEO_ON_DEMAND-use-cases.html#more-like-y-use-case"),
        "{d}"
    );
}

#[test]
fn the_json_schema_describes_import_and_sandbox() {
    let schema: serde_json::Value =
        serde_json::from_str(&pzr::spec::json_schema_text()).expect("schema is JSON");
    let definitions = &schema["definitions"];
    let dataset = &definitions["DatasetSpec"]["properties"];
    assert!(dataset.get("import").is_some() && dataset.get("streamed").is_some());
    assert_eq!(
        definitions["ImportSpec"]["required"],
        serde_json::json!(["from"])
    );
    assert_eq!(
        definitions["ImportMode"]["enum"],
        serde_json::json!(["FULL", "INCREMENTAL"])
    );
    assert!(schema["properties"].get("sandbox").is_some());
}
