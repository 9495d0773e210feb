//! 50 concurrent clients creating and deleting: nothing lost or duplicated.

use std::collections::BTreeSet;

use personalize_emulator::EmulatorConfig;

use crate::support::account::{create_dataset, create_group, create_schema, interactions_schema};
use crate::support::emulator::{arn, instant, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_clients_create_and_delete_without_loss_or_duplicates() {
    let emu = start(EmulatorConfig {
        max_dataset_groups: 100,
        ..instant()
    })
    .await;
    let text = interactions_schema();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let client = emu.client();
        let text = text.clone();
        tasks.push(tokio::spawn(async move {
            let group = create_group(&client, &format!("g{i}")).await;
            let mut kept = Vec::new();
            for j in 0..4 {
                let arn = create_schema(&client, &format!("s{i}-{j}"), &text).await;
                if j % 2 == 0 {
                    client
                        .delete_schema()
                        .schema_arn(&arn)
                        .send()
                        .await
                        .unwrap();
                } else {
                    kept.push(format!("s{i}-{j}"));
                }
            }
            let dataset = create_dataset(
                &client,
                &format!("d{i}"),
                &group,
                &kept_arn(&kept[0]),
                "Interactions",
            )
            .await;
            if i % 2 == 0 {
                client
                    .delete_dataset()
                    .dataset_arn(&dataset)
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
            // Everyone races for one name: exactly one wins.
            client
                .create_schema()
                .name("shared")
                .schema(&text)
                .send()
                .await
                .is_ok()
        }));
    }
    let mut winners = 0;
    for task in tasks {
        if task.await.unwrap() {
            winners += 1;
        }
    }
    assert_eq!(winners, 1);

    let client = emu.client();
    let schemas: Vec<String> = client
        .list_schemas()
        .max_results(7)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap()
        .iter()
        .filter_map(|s| s.name().map(String::from))
        .collect();
    let unique: BTreeSet<_> = schemas.iter().cloned().collect();
    assert_eq!(unique.len(), schemas.len(), "no duplicates across pages");
    let mut expected: BTreeSet<String> = (0..50)
        .flat_map(|i| [format!("s{i}-1"), format!("s{i}-3")])
        .collect();
    expected.insert("shared".into());
    assert_eq!(unique, expected);

    let groups = client.list_dataset_groups().send().await.unwrap();
    let names: BTreeSet<_> = groups
        .dataset_groups()
        .iter()
        .filter_map(|g| g.name())
        .collect();
    let expected_groups: BTreeSet<String> = (0..50)
        .filter(|i| i % 2 == 1)
        .map(|i| format!("g{i}"))
        .collect();
    assert_eq!(names, expected_groups.iter().map(String::as_str).collect());
    assert_eq!(
        client
            .list_datasets()
            .send()
            .await
            .unwrap()
            .datasets()
            .len(),
        25
    );

    let stats = emu.stats().await.unwrap();
    assert_eq!(stats.requests_to("CreateSchema"), 250);
    assert_eq!(stats.rejected_with("ResourceAlreadyExistsException"), 49);
}

fn kept_arn(name: &str) -> String {
    arn(&format!("schema/{name}"))
}
