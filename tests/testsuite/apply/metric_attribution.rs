//! A group's metric attribution end to end, through the real SDK against
//! the emulator: created after its datasets, its metrics and output changed
//! in place (UpdateMetricAttribution, same ARN), re-applied with no call,
//! deleted before the datasets it references with no refused call; drift,
//! export and `pzr output` cover it.

use aws_sdk_personalize::Client;

use crate::support::account::group_arn;
use crate::support::env::{assert_converged, frozen, Env};
use crate::support::stats::{mutating_since, refused_since};

const CLICKS: &str = "{eventType: click, metricName: clicks, expression: SAMPLECOUNT()}";
const REVENUE: &str = "{eventType: purchase, metricName: revenue, expression: SUM(Items.PRICE)}";

/// A custom group with interactions and items (PRICE, which a metric sums),
/// and a metric attribution of `metrics` reporting under `s3`; `items`
/// false leaves the items dataset out, `attribution` false the attribution.
fn spec(metrics: &[&str], s3: &str, items: bool, attribution: bool) -> String {
    let mut text = r#"version: 1
stack: shop
schemas:
  interactions:
    definition:
      type: record
      name: Interactions
      namespace: com.example.shop
      fields:
        - {name: USER_ID, type: string}
        - {name: ITEM_ID, type: string}
        - {name: TIMESTAMP, type: long}
        - {name: EVENT_TYPE, type: string}
  items:
    definition:
      type: record
      name: Items
      namespace: com.example.shop
      fields:
        - {name: ITEM_ID, type: string}
        - {name: PRICE, type: ["null", float], default: null}
datasetGroups:
  - name: shop
    datasets:
      interactions: {schema: interactions}
"#
    .to_string();
    if items {
        text.push_str("      items: {schema: items}\n");
    }
    if attribution {
        text.push_str(&format!(
            "    metricAttribution:\n      metrics: [{}]\n      output: {{s3: \"{s3}\", roleArn: \"arn:aws:iam::111122223333:role/metrics\"}}\n",
            metrics.join(", ")
        ));
    }
    text
}

/// The group's metric attributions: ARN, status, metric names (sorted) and
/// output path.
async fn attributions(client: &Client, group: &str) -> Vec<(String, String, Vec<String>, String)> {
    let group = group_arn(client, group).await.expect("group");
    let listed = client
        .list_metric_attributions()
        .dataset_group_arn(group)
        .send()
        .await
        .expect("list");
    let mut out = Vec::new();
    for a in listed.metric_attributions() {
        let arn = a.metric_attribution_arn().unwrap_or_default().to_string();
        let metrics = client
            .list_metric_attribution_metrics()
            .metric_attribution_arn(&arn)
            .send()
            .await
            .expect("metrics");
        let mut names: Vec<String> = metrics
            .metrics()
            .iter()
            .map(|m| m.metric_name().to_string())
            .collect();
        names.sort();
        let described = client
            .describe_metric_attribution()
            .metric_attribution_arn(&arn)
            .send()
            .await
            .expect("describe");
        let path = described
            .metric_attribution()
            .and_then(|m| m.metrics_output_config())
            .and_then(|o| o.s3_data_destination())
            .map(|d| d.path().to_string())
            .unwrap_or_default();
        let status = a.status().unwrap_or_default().to_string();
        out.push((arn, status, names, path));
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_metric_attribution_is_created_updated_in_place_and_deleted_before_its_datasets() {
    let env = Env::with(frozen()).await;
    let first = spec(&[CLICKS], "s3://reports/v1/", true, true);
    let s0 = env.stats().await;
    env.apply_text("spec.yaml", &first, &[]).await.expect(0);
    assert_eq!(refused_since(&s0, &env.stats().await), 0);
    let created = attributions(&env.client, "shop").await;
    assert_eq!(created.len(), 1);
    let (arn, status, names, path) = created[0].clone();
    assert!(arn.ends_with("metric-attribution/shop-metrics"), "{arn}");
    assert_eq!(
        (status.as_str(), names, path.as_str()),
        ("ACTIVE", vec!["clicks".to_string()], "s3://reports/v1/")
    );

    // Applied again: nothing to do, no mutating call.
    let s1 = env.stats().await;
    env.apply_text("spec.yaml", &first, &[]).await.expect(0);
    assert_eq!(mutating_since(&s1, &env.stats().await), 0);

    // Metrics and output changed in place: the same ARN.
    let second = spec(&[CLICKS, REVENUE], "s3://reports/v2/", true, true);
    let s2 = env.stats().await;
    env.apply_text("spec.yaml", &second, &[]).await.expect(0);
    assert_eq!(refused_since(&s2, &env.stats().await), 0);
    let updated = attributions(&env.client, "shop").await;
    assert_eq!(
        updated,
        vec![(
            arn.clone(),
            "ACTIVE".to_string(),
            vec!["clicks".to_string(), "revenue".to_string()],
            "s3://reports/v2/".to_string()
        )]
    );
    let spec_path = env.arg("spec.yaml");
    assert_eq!(env.drift_fields(&spec_path).await, (0, Vec::new()));

    // A metric removed out of band is drift, and the next apply puts it back
    // in place.
    env.client
        .update_metric_attribution()
        .metric_attribution_arn(&arn)
        .remove_metrics("revenue")
        .send()
        .await
        .expect("update out of band");
    env.settle();
    env.assert_drifted(&spec_path, &[("metricAttribution.shop", &["metrics"])])
        .await;
    env.apply_text("spec.yaml", &second, &[]).await.expect(0);
    assert_eq!(attributions(&env.client, "shop").await, updated);

    // `pzr output` lists its ARN; an export plans to nothing.
    let doc = env
        .pzr(&["output", "-f", &spec_path, "--format", "json"])
        .await
        .expect(0)
        .json();
    let listed = doc["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["address"] == "metricAttribution.shop")
        .expect("listed")
        .clone();
    assert_eq!(listed["arn"], arn.as_str());
    let out = env.arg("exported.yaml");
    env.pzr(&["export", "--stack", "shop", "-o", &out])
        .await
        .expect(0);
    let exported = std::fs::read_to_string(&out).expect("exported");
    assert!(exported.contains("SUM(Items.PRICE)"), "{exported}");
    assert_converged(&env, &out).await;

    // Gone with the items dataset it sums: deleted first, nothing refused.
    let third = spec(&[], "", false, false);
    let s3 = env.stats().await;
    env.apply_text("spec.yaml", &third, &["--allow-destroy"])
        .await
        .expect(0);
    assert_eq!(refused_since(&s3, &env.stats().await), 0);
    assert_eq!(attributions(&env.client, "shop").await, Vec::new());
}
