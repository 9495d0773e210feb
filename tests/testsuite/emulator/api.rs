//! Every operation, the status life cycle and every refusal, through the SDK.

use std::time::Duration;

use aws_sdk_personalize::primitives::DateTime;
use aws_sdk_personalize::types::Domain;
use personalize_emulator::EmulatorConfig;

use crate::support::account::{
    create_dataset, create_filter, create_group, create_group_in, create_recommender,
    create_schema, create_solution, create_solution_version, group_status, interactions_schema,
    items_schema, schema, tag,
};
use crate::support::clock::{manual, START};
use crate::support::data::Bucket;
use crate::support::emulator::{arn, code, instant, message, start, ACCOUNT};

#[tokio::test]
async fn schemas_are_created_described_listed_and_deleted() {
    let emu = start(instant()).await;
    let client = emu.client();
    let text = interactions_schema();
    let arn_s = create_schema(&client, "clicks", &text).await;
    assert_eq!(arn_s, arn("schema/clicks"));

    let described = client
        .describe_schema()
        .schema_arn(&arn_s)
        .send()
        .await
        .unwrap();
    let schema = described.schema().unwrap();
    assert_eq!(schema.name(), Some("clicks"));
    assert_eq!(schema.schema(), Some(text.as_str()));
    assert!(schema.creation_date_time().unwrap().secs() > 1_700_000_000);

    let domain = client
        .create_schema()
        .name("items-ecom")
        .schema(items_schema())
        .domain(Domain::Ecommerce)
        .send()
        .await;
    assert!(domain.is_ok());
    let listed = client.list_schemas().send().await.unwrap();
    let names: Vec<_> = listed.schemas().iter().filter_map(|s| s.name()).collect();
    assert_eq!(names, ["clicks", "items-ecom"]);
    assert_eq!(listed.schemas()[1].domain(), Some(&Domain::Ecommerce));

    let dup = client
        .create_schema()
        .name("clicks")
        .schema(&text)
        .send()
        .await;
    assert_eq!(code(dup), "ResourceAlreadyExistsException");
    let bad_avro = client
        .create_schema()
        .name("bad")
        .schema("{\"type\": \"nope\"}")
        .send()
        .await;
    assert_eq!(code(bad_avro), "InvalidInputException");
    let too_long = format!("{}{}", text, " ".repeat(20_001 - text.len()));
    let long = client
        .create_schema()
        .name("long")
        .schema(too_long)
        .send()
        .await;
    assert_eq!(code(long), "InvalidInputException");

    client
        .delete_schema()
        .schema_arn(&arn_s)
        .send()
        .await
        .unwrap();
    let gone = client.describe_schema().schema_arn(&arn_s).send().await;
    assert_eq!(code(gone), "ResourceNotFoundException");
    let again = client.delete_schema().schema_arn(&arn_s).send().await;
    assert_eq!(code(again), "ResourceNotFoundException");
}

#[tokio::test]
async fn dataset_groups_go_through_the_status_life_cycle() {
    let emu = start(EmulatorConfig {
        create_delay: Duration::from_millis(1500),
        delete_delay: Duration::from_millis(600),
        clock: manual(),
        ..EmulatorConfig::default()
    })
    .await;
    let clock = emu.clock();
    let client = emu.client();
    let group = create_group(&client, "retail").await;
    assert_eq!(group, arn("dataset-group/retail"));
    assert_eq!(group_status(&client, &group).await, "CREATE PENDING");

    let schema = create_schema(&client, "clicks", &interactions_schema()).await;
    let early = client
        .create_dataset()
        .name("retail-interactions")
        .dataset_group_arn(&group)
        .schema_arn(&schema)
        .dataset_type("Interactions")
        .send()
        .await;
    assert_eq!(code(early), "ResourceInUseException");
    let delete_early = client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await;
    assert_eq!(code(delete_early), "ResourceInUseException");

    // Pending for the first third (500ms), in progress until 1500ms.
    clock.advance(Duration::from_millis(499)).unwrap();
    assert_eq!(group_status(&client, &group).await, "CREATE PENDING");
    clock.advance(Duration::from_millis(1)).unwrap();
    assert_eq!(group_status(&client, &group).await, "CREATE IN_PROGRESS");
    clock.advance(Duration::from_millis(999)).unwrap();
    assert_eq!(group_status(&client, &group).await, "CREATE IN_PROGRESS");
    clock.advance(Duration::from_millis(1)).unwrap();
    let described = client
        .describe_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    let g = described.dataset_group().unwrap();
    assert_eq!(g.status(), Some("ACTIVE"));
    let millis = |t: Option<&DateTime>| t.unwrap().to_millis().unwrap();
    assert_eq!(millis(g.creation_date_time()), START as i64);
    assert_eq!(millis(g.last_updated_date_time()), START as i64 + 1500);

    client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(group_status(&client, &group).await, "DELETE PENDING");
    let listed = client.list_dataset_groups().send().await.unwrap();
    assert_eq!(listed.dataset_groups()[0].status(), Some("DELETE PENDING"));
    let twice = client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await;
    assert_eq!(code(twice), "ResourceInUseException");
    clock.advance(Duration::from_millis(599)).unwrap();
    assert_eq!(group_status(&client, &group).await, "DELETE PENDING");
    clock.advance(Duration::from_millis(1)).unwrap();
    let gone = client
        .describe_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
    assert!(client
        .list_dataset_groups()
        .send()
        .await
        .unwrap()
        .dataset_groups()
        .is_empty());
}

#[tokio::test]
async fn dataset_group_quota_kms_rules_and_fail_create() {
    let emu = start(EmulatorConfig {
        max_dataset_groups: 2,
        fail_create: Some(regex::Regex::new("^doomed").unwrap()),
        ..instant()
    })
    .await;
    let client = emu.client();
    let kms = "arn:aws:kms:us-east-1:111122223333:key/abc";
    let role = "arn:aws:iam::111122223333:role/PersonalizeKms";
    let half = client
        .create_dataset_group()
        .name("half")
        .kms_key_arn(kms)
        .send()
        .await;
    assert_eq!(code(half), "InvalidInputException");
    let out = client
        .create_dataset_group()
        .name("secure")
        .kms_key_arn(kms)
        .role_arn(role)
        .domain(Domain::VideoOnDemand)
        .send()
        .await
        .unwrap();
    assert_eq!(out.domain(), Some(&Domain::VideoOnDemand));
    let described = client
        .describe_dataset_group()
        .dataset_group_arn(out.dataset_group_arn().unwrap())
        .send()
        .await
        .unwrap();
    let g = described.dataset_group().unwrap();
    assert_eq!((g.kms_key_arn(), g.role_arn()), (Some(kms), Some(role)));

    let doomed = create_group(&client, "doomed-1").await;
    let described = client
        .describe_dataset_group()
        .dataset_group_arn(&doomed)
        .send()
        .await
        .unwrap();
    let g = described.dataset_group().unwrap();
    assert_eq!(g.status(), Some("CREATE FAILED"));
    assert!(g.failure_reason().unwrap().contains("doomed-1"));

    let over = client.create_dataset_group().name("third").send().await;
    let err = over.unwrap_err();
    use aws_sdk_personalize::error::ProvideErrorMetadata;
    assert_eq!(err.code(), Some("LimitExceededException"));
    assert!(!err.message().unwrap().contains("Rate exceeded"));

    // A group being deleted no longer counts against the quota.
    client
        .delete_dataset_group()
        .dataset_group_arn(&doomed)
        .send()
        .await
        .unwrap();
    create_group(&client, "third").await;
    let dup = client.create_dataset_group().name("third").send().await;
    assert_eq!(code(dup), "ResourceAlreadyExistsException");
}

#[tokio::test]
async fn datasets_follow_personalize_rules() {
    let emu = start(instant()).await;
    let client = emu.client();
    let group = create_group(&client, "retail").await;
    let ecom = client
        .create_dataset_group()
        .name("shop")
        .domain(Domain::Ecommerce)
        .send()
        .await
        .unwrap()
        .dataset_group_arn()
        .unwrap()
        .to_string();
    let clicks = create_schema(&client, "clicks", &interactions_schema()).await;
    let items = create_schema(&client, "items", &items_schema()).await;
    let actions = create_schema(
        &client,
        "actions",
        &schema(
            "Actions",
            &[("ACTION_ID", "string"), ("CHANNEL", r#"["null","string"]"#)],
        ),
    )
    .await;

    let missing_group = client
        .create_dataset()
        .name("x")
        .dataset_group_arn(arn("dataset-group/nope"))
        .schema_arn(&clicks)
        .dataset_type("Interactions")
        .send()
        .await;
    assert_eq!(code(missing_group), "ResourceNotFoundException");
    let missing_schema = client
        .create_dataset()
        .name("x")
        .dataset_group_arn(&group)
        .schema_arn(arn("schema/nope"))
        .dataset_type("Interactions")
        .send()
        .await;
    assert_eq!(code(missing_schema), "ResourceNotFoundException");
    let lacks_fields = client
        .create_dataset()
        .name("x")
        .dataset_group_arn(&group)
        .schema_arn(&items)
        .dataset_type("Interactions")
        .send()
        .await;
    let msg = message(lacks_fields);
    assert!(
        msg.contains("USER_ID") && msg.contains("TIMESTAMP"),
        "{msg}"
    );
    let wrong_domain = client
        .create_dataset()
        .name("x")
        .dataset_group_arn(&ecom)
        .schema_arn(&items)
        .dataset_type("Items")
        .send()
        .await;
    assert_eq!(code(wrong_domain), "InvalidInputException");
    let bad_type = client
        .create_dataset()
        .name("x")
        .dataset_group_arn(&group)
        .schema_arn(&items)
        .dataset_type("Things")
        .send()
        .await;
    assert_eq!(code(bad_type), "InvalidInputException");

    let interactions = create_dataset(
        &client,
        "retail-interactions",
        &group,
        &clicks,
        "Interactions",
    )
    .await;
    assert_eq!(interactions, arn("dataset/retail/INTERACTIONS"));
    let actions_ds = create_dataset(&client, "retail-actions", &group, &actions, "ACTIONS").await;
    let second = client
        .create_dataset()
        .name("other")
        .dataset_group_arn(&group)
        .schema_arn(&clicks)
        .dataset_type("Interactions")
        .send()
        .await;
    assert_eq!(code(second), "ResourceAlreadyExistsException");
    let ecom_clicks = create_ecommerce_clicks(&client, "clicks-ecom").await;
    let same_name = client
        .create_dataset()
        .name("retail-interactions")
        .dataset_group_arn(&ecom)
        .schema_arn(&ecom_clicks)
        .dataset_type("Interactions")
        .send()
        .await;
    assert_eq!(code(same_name), "ResourceAlreadyExistsException");

    let described = client
        .describe_dataset()
        .dataset_arn(&interactions)
        .send()
        .await
        .unwrap();
    let d = described.dataset().unwrap();
    assert_eq!(d.dataset_group_arn(), Some(group.as_str()));
    assert_eq!(d.schema_arn(), Some(clicks.as_str()));
    assert_eq!(d.status(), Some("ACTIVE"));

    let all = client.list_datasets().send().await.unwrap();
    assert_eq!(all.datasets().len(), 2);
    let in_ecom = client
        .list_datasets()
        .dataset_group_arn(&ecom)
        .send()
        .await
        .unwrap();
    assert!(in_ecom.datasets().is_empty());

    let busy_group = client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await;
    assert_eq!(code(busy_group), "ResourceInUseException");
    let busy_schema = client.delete_schema().schema_arn(&clicks).send().await;
    assert_eq!(code(busy_schema), "ResourceInUseException");

    client
        .delete_dataset()
        .dataset_arn(&interactions)
        .send()
        .await
        .unwrap();
    client
        .delete_dataset()
        .dataset_arn(&actions_ds)
        .send()
        .await
        .unwrap();
    client
        .delete_schema()
        .schema_arn(&clicks)
        .send()
        .await
        .unwrap();
    client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_schema_of_a_dataset_being_deleted_is_still_in_use() {
    let emu = start(EmulatorConfig {
        create_delay: Duration::ZERO,
        delete_delay: Duration::from_secs(60),
        clock: manual(),
        ..EmulatorConfig::default()
    })
    .await;
    let client = emu.client();
    let group = create_group(&client, "retail").await;
    let clicks = create_schema(&client, "clicks", &interactions_schema()).await;
    let ds = create_dataset(&client, "d", &group, &clicks, "Interactions").await;
    client
        .delete_dataset()
        .dataset_arn(&ds)
        .send()
        .await
        .unwrap();
    let status = client
        .describe_dataset()
        .dataset_arn(&ds)
        .send()
        .await
        .unwrap();
    assert_eq!(status.dataset().unwrap().status(), Some("DELETE PENDING"));
    let busy = client.delete_schema().schema_arn(&clicks).send().await;
    assert_eq!(code(busy), "ResourceInUseException");
    let busy = client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await;
    assert_eq!(code(busy), "ResourceInUseException");
}

#[tokio::test]
async fn update_dataset_accepts_only_compatible_items_and_users_schemas() {
    let emu = start(EmulatorConfig {
        clock: manual(),
        ..instant()
    })
    .await;
    let client = emu.client();
    let group = create_group(&client, "retail").await;
    let items_v1 = create_schema(&client, "items-v1", &items_schema()).await;
    let nullable = schema(
        "Items",
        &[
            ("ITEM_ID", "string"),
            ("CATEGORY", r#"["null","string"]"#),
            ("PRICE", r#"["null","float"]"#),
        ],
    );
    let items_v2 = create_schema(&client, "items-v2", &nullable).await;
    let required = schema(
        "Items",
        &[
            ("ITEM_ID", "string"),
            ("CATEGORY", r#"["null","string"]"#),
            ("PRICE", "float"),
        ],
    );
    let items_bad = create_schema(&client, "items-bad", &required).await;
    let clicks = create_schema(&client, "clicks", &interactions_schema()).await;
    let clicks_v2 = create_schema(
        &client,
        "clicks-v2",
        &schema(
            "Interactions",
            &[
                ("USER_ID", "string"),
                ("ITEM_ID", "string"),
                ("TIMESTAMP", "long"),
                ("X", r#"["null","string"]"#),
            ],
        ),
    )
    .await;
    let items = create_dataset(&client, "retail-items", &group, &items_v1, "Items").await;
    let interactions = create_dataset(
        &client,
        "retail-interactions",
        &group,
        &clicks,
        "Interactions",
    )
    .await;

    let incompatible = client
        .update_dataset()
        .dataset_arn(&items)
        .schema_arn(&items_bad)
        .send()
        .await;
    let msg = message(incompatible);
    assert!(msg.contains("PRICE is not nullable"), "{msg}");
    let wrong_type = client
        .update_dataset()
        .dataset_arn(&interactions)
        .schema_arn(&clicks_v2)
        .send()
        .await;
    assert_eq!(code(wrong_type), "InvalidInputException");
    let missing = client
        .update_dataset()
        .dataset_arn(arn("dataset/retail/USERS"))
        .schema_arn(&items_v2)
        .send()
        .await;
    assert_eq!(code(missing), "ResourceNotFoundException");

    let before = client
        .describe_dataset()
        .dataset_arn(&items)
        .send()
        .await
        .unwrap();
    emu.clock().advance(Duration::from_millis(20)).unwrap();
    let out = client
        .update_dataset()
        .dataset_arn(&items)
        .schema_arn(&items_v2)
        .send()
        .await
        .unwrap();
    assert_eq!(out.dataset_arn(), Some(items.as_str()));
    let after = client
        .describe_dataset()
        .dataset_arn(&items)
        .send()
        .await
        .unwrap();
    let d = after.dataset().unwrap();
    assert_eq!(d.schema_arn(), Some(items_v2.as_str()));
    assert!(d.last_updated_date_time() > before.dataset().unwrap().last_updated_date_time());
    assert_eq!(
        d.latest_dataset_update().and_then(|u| u.schema_arn()),
        Some(items_v2.as_str())
    );
    // The old schema is free now.
    client
        .delete_schema()
        .schema_arn(&items_v1)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn tags_are_added_listed_removed_and_limited() {
    let emu = start(instant()).await;
    let client = emu.client();
    let group = client
        .create_dataset_group()
        .name("retail")
        .tags(tag("pzr:stack", "retail"))
        .tags(tag("team", "growth"))
        .send()
        .await
        .unwrap()
        .dataset_group_arn()
        .unwrap()
        .to_string();
    client
        .tag_resource()
        .resource_arn(&group)
        .tags(tag("team", "search"))
        .tags(tag("cost", "42"))
        .send()
        .await
        .unwrap();
    let listed = client
        .list_tags_for_resource()
        .resource_arn(&group)
        .send()
        .await
        .unwrap();
    let pairs: Vec<_> = listed
        .tags()
        .iter()
        .map(|t| (t.tag_key(), t.tag_value()))
        .collect();
    assert_eq!(
        pairs,
        [("pzr:stack", "retail"), ("team", "search"), ("cost", "42")]
    );

    client
        .untag_resource()
        .resource_arn(&group)
        .tag_keys("team")
        .tag_keys("absent")
        .send()
        .await
        .unwrap();
    let listed = client
        .list_tags_for_resource()
        .resource_arn(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.tags().len(), 2);

    let many: Vec<_> = (0..49).map(|i| tag(&format!("k{i}"), "v")).collect();
    let over = client
        .tag_resource()
        .resource_arn(&group)
        .set_tags(Some(many))
        .send()
        .await;
    assert_eq!(code(over), "TooManyTagsException");
    let fifty: Vec<_> = (0..48).map(|i| tag(&format!("k{i}"), "v")).collect();
    client
        .tag_resource()
        .resource_arn(&group)
        .set_tags(Some(fifty))
        .send()
        .await
        .unwrap();
    let too_many_at_create: Vec<_> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
    let create = client
        .create_dataset_group()
        .name("big")
        .set_tags(Some(too_many_at_create))
        .send()
        .await;
    assert_eq!(code(create), "TooManyTagsException");

    let keys: Vec<_> = (0..51).map(|i| format!("k{i}")).collect();
    let untag = client
        .untag_resource()
        .resource_arn(&group)
        .set_tag_keys(Some(keys))
        .send()
        .await;
    assert_eq!(code(untag), "TooManyTagKeysException");
    let reserved = client
        .tag_resource()
        .resource_arn(&group)
        .tags(tag("aws:x", "v"))
        .send()
        .await;
    assert_eq!(code(reserved), "InvalidInputException");
    let bad_key = client
        .tag_resource()
        .resource_arn(&group)
        .tags(tag("a*b", "v"))
        .send()
        .await;
    assert_eq!(code(bad_key), "InvalidInputException");
    let schema = create_schema(&client, "clicks", &interactions_schema()).await;
    let on_schema = client
        .tag_resource()
        .resource_arn(&schema)
        .tags(tag("a", "b"))
        .send()
        .await;
    assert_eq!(code(on_schema), "InvalidInputException");
    let missing = client
        .list_tags_for_resource()
        .resource_arn(arn("dataset-group/nope"))
        .send()
        .await;
    assert_eq!(code(missing), "ResourceNotFoundException");
}

/// An ECOMMERCE Interactions schema (which needs EVENT_TYPE); its ARN.
async fn create_ecommerce_clicks(client: &aws_sdk_personalize::Client, name: &str) -> String {
    let fields = [
        ("USER_ID", "string"),
        ("ITEM_ID", "string"),
        ("TIMESTAMP", "long"),
        ("EVENT_TYPE", "string"),
    ];
    client
        .create_schema()
        .name(name)
        .schema(schema("Interactions", &fields))
        .domain(Domain::Ecommerce)
        .send()
        .await
        .unwrap()
        .schema_arn()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn children_block_deletes_until_removed() {
    let bucket = Bucket::new();
    let emu = start(EmulatorConfig {
        buckets: bucket.buckets(),
        ..instant()
    })
    .await;
    let client = emu.client();
    let group = create_group_in(&client, "shop", Some(Domain::Ecommerce)).await;
    let custom = create_group(&client, "custom").await;
    // CreateFilter checks the expression's fields against the group's datasets.
    let clicks = create_ecommerce_clicks(&client, "clicks-shop").await;
    let interactions =
        create_dataset(&client, "shop-clicks", &group, &clicks, "Interactions").await;
    bucket.give_data(&emu, &group, false).await;

    let tracker = client
        .create_event_tracker()
        .name("t1")
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    let tracker_arn = tracker.event_tracker_arn().unwrap().to_string();
    assert!(tracker_arn.starts_with(&arn("event-tracker/")));
    assert_eq!(tracker.tracking_id().map(str::len), Some(36));
    let filter_expression = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")";
    let filter_arn = create_filter(&client, "f1", &group, filter_expression).await;
    let personalization = "arn:aws:personalize:::recipe/aws-user-personalization";
    let solution_arn = create_solution(&client, "s1", &group, personalization, None).await;
    let popular = "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views";
    let recommender_arn = create_recommender(&client, "r1", &group, popular).await;
    let custom_recommender = client
        .create_recommender()
        .name("r2")
        .dataset_group_arn(&custom)
        .recipe_arn(popular)
        .send()
        .await;
    assert_eq!(code(custom_recommender), "InvalidInputException");
    let bad_version = client
        .create_campaign()
        .name("c0")
        .solution_version_arn(arn("solution/nope/1"))
        .send()
        .await;
    assert_eq!(code(bad_version), "ResourceNotFoundException");
    let fabricated = client
        .create_campaign()
        .name("c0")
        .solution_version_arn(format!("{solution_arn}/abcdef12"))
        .send()
        .await;
    assert_eq!(code(fabricated), "ResourceNotFoundException");
    let version_arn = create_solution_version(&client, &solution_arn).await;
    assert!(version_arn.starts_with(&format!("{solution_arn}/")));
    let campaign_arn = client
        .create_campaign()
        .name("c1")
        .solution_version_arn(&version_arn)
        .min_provisioned_tps(2)
        .send()
        .await
        .unwrap()
        .campaign_arn()
        .unwrap()
        .to_string();
    assert_eq!(campaign_arn, arn("campaign/c1"));

    let tracker_d = client
        .describe_event_tracker()
        .event_tracker_arn(&tracker_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        tracker_d.event_tracker().unwrap().account_id(),
        Some(ACCOUNT)
    );
    let filter_d = client
        .describe_filter()
        .filter_arn(&filter_arn)
        .send()
        .await
        .unwrap();
    assert!(filter_d
        .filter()
        .unwrap()
        .filter_expression()
        .unwrap()
        .contains("click"));
    let solution_d = client
        .describe_solution()
        .solution_arn(&solution_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(solution_d.solution().unwrap().status(), Some("ACTIVE"));
    let campaign_d = client
        .describe_campaign()
        .campaign_arn(&campaign_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        campaign_d.campaign().unwrap().min_provisioned_tps(),
        Some(2)
    );
    let recommender_d = client
        .describe_recommender()
        .recommender_arn(&recommender_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        recommender_d.recommender().unwrap().dataset_group_arn(),
        Some(group.as_str())
    );

    assert_eq!(
        client
            .list_event_trackers()
            .send()
            .await
            .unwrap()
            .event_trackers()
            .len(),
        1
    );
    assert_eq!(
        client
            .list_filters()
            .dataset_group_arn(&group)
            .send()
            .await
            .unwrap()
            .filters()
            .len(),
        1
    );
    assert!(client
        .list_filters()
        .dataset_group_arn(&custom)
        .send()
        .await
        .unwrap()
        .filters()
        .is_empty());
    assert_eq!(
        client
            .list_solutions()
            .send()
            .await
            .unwrap()
            .solutions()
            .len(),
        1
    );
    assert_eq!(
        client
            .list_campaigns()
            .solution_arn(&solution_arn)
            .send()
            .await
            .unwrap()
            .campaigns()
            .len(),
        1
    );
    assert_eq!(
        client
            .list_recommenders()
            .send()
            .await
            .unwrap()
            .recommenders()
            .len(),
        1
    );
    let tags = client
        .tag_resource()
        .resource_arn(&campaign_arn)
        .tags(tag("a", "b"))
        .send()
        .await;
    assert!(tags.is_ok());

    let blocked = client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await;
    let msg = message(blocked);
    for child in [&tracker_arn, &filter_arn, &solution_arn, &recommender_arn] {
        assert!(msg.contains(child.as_str()), "{msg}");
    }
    let blocked = client
        .delete_solution()
        .solution_arn(&solution_arn)
        .send()
        .await;
    assert_eq!(code(blocked), "ResourceInUseException");

    client
        .delete_recommender()
        .recommender_arn(&recommender_arn)
        .send()
        .await
        .unwrap();
    client
        .delete_campaign()
        .campaign_arn(&campaign_arn)
        .send()
        .await
        .unwrap();
    client
        .delete_filter()
        .filter_arn(&filter_arn)
        .send()
        .await
        .unwrap();
    client
        .delete_solution()
        .solution_arn(&solution_arn)
        .send()
        .await
        .unwrap();
    client
        .delete_event_tracker()
        .event_tracker_arn(&tracker_arn)
        .send()
        .await
        .unwrap();
    client
        .delete_dataset()
        .dataset_arn(&interactions)
        .send()
        .await
        .unwrap();
    client
        .delete_dataset_group()
        .dataset_group_arn(&group)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_campaign()
        .campaign_arn(&campaign_arn)
        .send()
        .await;
    assert_eq!(code(gone), "ResourceNotFoundException");
}

#[tokio::test]
async fn lists_page_in_creation_order() {
    let emu = start(instant()).await;
    let client = emu.client();
    let text = interactions_schema();
    for i in 0..7 {
        create_schema(&client, &format!("s{i}"), &text).await;
    }
    let mut names = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let page = client
            .list_schemas()
            .max_results(3)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        pages += 1;
        names.extend(
            page.schemas()
                .iter()
                .filter_map(|s| s.name().map(String::from)),
        );
        token = page.next_token().map(String::from);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, (0..7).map(|i| format!("s{i}")).collect::<Vec<_>>());

    let all: Vec<_> = client
        .list_schemas()
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);

    let bad = client.list_schemas().next_token("not-a-token").send().await;
    assert_eq!(code(bad), "InvalidNextTokenException");
    let zero = client.list_schemas().max_results(0).send().await;
    assert_eq!(code(zero), "InvalidInputException");
    let big = client.list_dataset_groups().max_results(101).send().await;
    assert_eq!(code(big), "InvalidInputException");
}
