//! CreateFilter through the real SDK against AWS's filter examples
//! (`tests/rules/filters.yaml`, shared with `spec::filters`): every published
//! example is accepted in a group whose datasets hold its fields, and every
//! broken variant, a missing field included, is refused with
//! InvalidInputException naming the problem and its column.

use aws_sdk_personalize::Client;

use crate::spec::filters::{cases, Case, Cases};
use crate::support::account::create_group;
use crate::support::emulator::{code, instant, message, start};

/// Creates a custom group per test group of the cases, each with its
/// datasets (and one without Users for the cases that drop it); returns
/// the group ARN for a case.
async fn groups(client: &Client, cases: &Cases) -> Vec<((String, Option<String>), String)> {
    let mut out = Vec::new();
    let variants = cases.groups.keys().map(|g| (g.clone(), None)).chain(
        cases
            .refused
            .iter()
            .filter_map(|c| c.drop.clone().map(|d| (c.group.clone(), Some(d)))),
    );
    for (i, (group, drop)) in variants.enumerate() {
        let name = format!("{group}-{i}");
        let group_arn = create_group(client, &name).await;
        let probe = Case {
            group: group.clone(),
            expression: String::new(),
            source: None,
            column: None,
            message: None,
            hint: None,
            drop: drop.clone(),
            typo: None,
        };
        for (dataset_type, schema) in cases.datasets(&probe) {
            let schema_arn = client
                .create_schema()
                .name(format!("{name}-{}", dataset_type.spec_key()))
                .schema(schema.to_string())
                .send()
                .await
                .expect("schema created")
                .schema_arn()
                .expect("schema ARN")
                .to_string();
            client
                .create_dataset()
                .name(format!("{name}-{}", dataset_type.spec_key()))
                .dataset_group_arn(&group_arn)
                .schema_arn(schema_arn)
                .dataset_type(dataset_type.as_api())
                .send()
                .await
                .unwrap_or_else(|e| panic!("{name} {dataset_type}: {e:?}"));
        }
        out.push(((group, drop), group_arn));
    }
    out
}

fn group_of(groups: &[((String, Option<String>), String)], case: &Case) -> String {
    groups
        .iter()
        .find(|((g, d), _)| *g == case.group && *d == case.drop)
        .map(|(_, arn)| arn.clone())
        .expect("a group for the case")
}

#[tokio::test]
async fn create_filter_accepts_the_published_examples_and_refuses_each_broken_one() {
    let emu = start(instant()).await;
    let client = emu.client();
    let cases = cases();
    let groups = groups(&client, &cases).await;
    for (i, case) in cases.examples.iter().enumerate() {
        let result = client
            .create_filter()
            .name(format!("example-{i}"))
            .dataset_group_arn(group_of(&groups, case))
            .filter_expression(&case.expression)
            .send()
            .await;
        match &case.typo {
            None => {
                result.unwrap_or_else(|e| panic!("{}: {e:?}", case.expression));
            }
            Some(typo) => {
                let text = message(result);
                assert!(text.contains(&typo.message), "{text}");
                assert!(text.contains(&format!("column {}", typo.column)), "{text}");
            }
        }
    }
    for (i, case) in cases.refused.iter().enumerate() {
        let send = || {
            client
                .create_filter()
                .name(format!("refused-{i}"))
                .dataset_group_arn(group_of(&groups, case))
                .filter_expression(&case.expression)
                .send()
        };
        assert_eq!(
            code(send().await),
            "InvalidInputException",
            "{}",
            case.expression
        );
        let text = message(send().await);
        let expected = case.message.as_deref().expect("message");
        assert!(text.starts_with("Invalid filter expression: "), "{text}");
        assert!(text.contains(expected), "{}: {text}", case.expression);
        let column = format!("column {}", case.column.expect("column"));
        assert!(text.contains(&column), "{}: {text}", case.expression);
    }
    let listed = client
        .list_filters()
        .dataset_group_arn(group_of(&groups, &cases.examples[0]))
        .max_results(100)
        .send()
        .await
        .expect("listed");
    let items_examples = cases.examples.iter().filter(|c| c.group == "items").count();
    assert_eq!(listed.filters().len(), items_examples);
}
