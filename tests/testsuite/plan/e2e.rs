//! `pzr plan` end to end: accounts arranged in the emulator through the SDK,
//! `pzr` run as a process, exit codes and JSON asserted, and the emulator's
//! counters proving that planning reads only, and no more than it needs.

use std::collections::BTreeMap;

use personalize_emulator::{EmulatorConfig, Stats};
use serde_json::{json, Value};

use crate::support::account::{group_arn, tag};
use crate::support::emulator::instant;
use crate::support::env::Env;
use crate::support::stats::mutating_since;

const SCHEMAS: &str = r#"schemas:
  interactions:
    definition: {type: record, name: Interactions, fields: [{name: USER_ID, type: string}, {name: ITEM_ID, type: string}, {name: TIMESTAMP, type: long}]}
  items:
    definition: {type: record, name: Items, fields: [{name: ITEM_ID, type: string}, {name: CATEGORY, type: string}]}
  users:
    definition: {type: record, name: Users, fields: [{name: USER_ID, type: string}, {name: AGE, type: int}]}
"#;

/// A spec of stack `e2e` with the given dataset groups (YAML list items).
fn spec(groups: &str) -> String {
    format!("version: 1\nstack: e2e\nregion: us-east-1\n{SCHEMAS}datasetGroups:\n{groups}")
}

const MAIN: &str = "  - name: e2e-main
    tags: {team: growth}
    datasets:
      interactions: {schema: interactions}
      items: {schema: items}
";

fn total(stats: &Stats) -> u64 {
    stats.requests.values().sum()
}

/// Requests per operation between two stats.
fn requests_since(before: &Stats, after: &Stats) -> BTreeMap<String, u64> {
    after
        .requests
        .iter()
        .map(|(op, n)| (op.clone(), n - before.requests_to(op)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn addresses(doc: &Value) -> Vec<(String, String)> {
    doc["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["address"].as_str().unwrap_or_default().to_string(),
                c["action"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_exit_codes_json_and_saved_plans() {
    let env = Env::new().await;
    let path = env.write("spec.yaml", &spec(MAIN));
    let spec_path = path.to_str().expect("utf-8 path");
    let plan_json = ["plan", "-f", spec_path, "--format", "json"];
    let detailed = [&plan_json[..], &["--detailed-exitcode"]].concat();

    // Empty account: everything is created; exit 2 only when asked for.
    let s0 = env.stats().await;
    let run = env.pzr(&detailed).await.expect(2);
    let doc = run.json();
    assert_eq!(
        doc["summary"],
        json!({"create": 6, "update": 0, "replace": 0, "delete": 0, "adopt": 0, "blocked": 0})
    );
    let expected = [
        ("schema.interactions", "create"),
        ("schema.items", "create"),
        ("schema.users", "create"),
        ("datasetGroup.e2e-main", "create"),
        ("dataset.e2e-main.interactions", "create"),
        ("dataset.e2e-main.items", "create"),
    ];
    assert_eq!(
        addresses(&doc),
        expected.map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(doc["stack"], "e2e");
    assert_eq!(doc["region"], "us-east-1");
    env.pzr(&plan_json).await.expect(0);
    assert_eq!(
        mutating_since(&s0, &env.stats().await),
        0,
        "planning changed nothing"
    );

    // Applied: no changes, exit 0 even with --detailed-exitcode.
    env.pzr(&["apply", "-f", spec_path, "--auto-approve"])
        .await
        .expect(0);
    let doc = env.pzr(&detailed).await.expect(0).json();
    assert_eq!(doc["changes"], json!([]));
    assert_eq!(doc["summary"]["create"], 0);

    // Someone retagged the group and tagged it for cost allocation: one update.
    let arn = group_arn(&env.client, "e2e-main").await.expect("group");
    env.client
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("team", "search"))
        .tags(tag("owner", "bob"))
        .send()
        .await
        .expect("tag");
    let doc = env.pzr(&detailed).await.expect(2).json();
    assert_eq!(
        addresses(&doc),
        vec![("datasetGroup.e2e-main".to_string(), "update".to_string())]
    );
    assert_eq!(
        doc["changes"][0]["reasons"],
        json!([
            {"code": "tag_changed", "key": "team", "from": "search", "to": "growth",
             "message": "tag team: \"search\" -> \"growth\""},
            {"code": "tag_removed", "key": "owner", "message": "tag owner removed"},
        ])
    );
    assert_eq!(doc["changes"][0]["before"]["arn"], json!(arn));

    // The same plan for people and for pull requests.
    let text = env.pzr(&["plan", "-f", spec_path]).await.expect(0).stdout;
    assert!(
        text.contains("~ datasetGroup.e2e-main will be updated in place"),
        "{text}"
    );
    assert!(
        text.contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to destroy, 0 to adopt.")
    );
    assert!(!text.contains('\x1b'), "NO_COLOR is honoured");
    let markdown = env
        .pzr(&["plan", "-f", spec_path, "--format", "markdown"])
        .await
        .expect(0)
        .stdout;
    assert!(
        markdown
            .lines()
            .next()
            .is_some_and(|l| l.contains("0 to create, 1 to update, 0 to replace")),
        "the verdict first: {markdown}"
    );

    // A saved plan shows as the same document.
    let s1 = env.stats().await;
    let saved = env.path("plan.json");
    let saved = saved.to_str().expect("utf-8 path");
    let planned = env
        .pzr(&[&plan_json[..], &["-o", saved]].concat())
        .await
        .expect(0)
        .json();
    assert_eq!(planned, doc);
    let s2 = env.stats().await;
    let shown = env
        .pzr(&["show", saved, "--format", "json"])
        .await
        .expect(0)
        .json();
    assert_eq!(shown, planned);
    assert_eq!(
        total(&env.stats().await),
        total(&s2),
        "show reads no account"
    );
    assert_eq!(mutating_since(&s1, &env.stats().await), 0);
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(saved).expect("saved plan")).expect("json");
    assert!(file["specDigest"].as_str().is_some_and(|d| d.len() == 64));
    assert_eq!(file["steps"].as_array().map(Vec::len), Some(2)); // tag, untag

    // A plan of format 1 (sentences where format 2 has codes) is refused by
    // its version, not by the first entry serde trips on.
    let mut old = file.clone();
    old["formatVersion"] = json!(1);
    old["changes"][0]["reasons"] = json!(["tag owner removed"]);
    let old_path = env.write("old-plan.json", &old.to_string());
    let refused = env
        .pzr(&["show", old_path.to_str().expect("utf-8 path")])
        .await
        .expect(1);
    assert!(
        refused
            .stderr
            .contains("made by an older pzr (plan format 1); plan again"),
        "{}",
        refused.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conflicts_fail_with_exit_1_and_the_plan_in_the_envelope() {
    let env = Env::new().await;
    let path = env.write("spec.yaml", &spec(MAIN));
    let spec_path = path.to_str().expect("utf-8 path");

    // A group of the spec's name that nobody tagged.
    env.client
        .create_dataset_group()
        .name("e2e-main")
        .send()
        .await
        .expect("create");
    let s0 = env.stats().await;
    let doc = env.plan_json(spec_path, 1).await;
    assert_eq!(doc["success"], false);
    assert_eq!(doc["error"]["code"], "CONFLICT");
    assert_eq!(
        doc["error"]["details"][0]["address"],
        "datasetGroup.e2e-main"
    );
    assert!(doc["error"]["details"][0]["hint"]
        .as_str()
        .is_some_and(|h| h.contains("adopt: true")));
    assert_eq!(
        doc["error"]["plan"]["errors"].as_array().map(Vec::len),
        Some(1)
    );
    let s1 = env.stats().await;
    assert_eq!(mutating_since(&s0, &s1), 0);
    // What is inside a group that is not ours cannot change the verdict: not read.
    assert_eq!(
        requests_since(&s0, &s1),
        BTreeMap::from([
            ("ListDatasetGroups".to_string(), 1),
            ("ListSchemas".to_string(), 1),
            ("ListTagsForResource".to_string(), 1),
        ])
    );

    // The same group tagged by another stack: still a conflict, naming it.
    let arn = group_arn(&env.client, "e2e-main").await.expect("group");
    env.client
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("pzr:stack", "warehouse"))
        .send()
        .await
        .expect("tag");
    let doc = env
        .pzr(&["plan", "-f", spec_path, "--format", "json"])
        .await
        .expect(1)
        .json();
    assert!(doc["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("\"warehouse\"")));

    // Adopting it is refused too: it belongs to another stack.
    let adopting = spec(&MAIN.replace("    tags:", "    adopt: true\n    tags:"));
    let path = env.write("adopt.yaml", &adopting);
    env.pzr(&[
        "plan",
        "-f",
        path.to_str().expect("path"),
        "--format",
        "json",
    ])
    .await
    .expect(1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_spec_fails_before_any_request() {
    let env = Env::new().await;
    let path = env.write(
        "spec.yaml",
        &spec(&MAIN.replace("schema: items", "schema: itemz")),
    );
    let s0 = env.stats().await;
    let doc = env.plan_json(path.to_str().expect("path"), 1).await;
    assert_eq!(doc["success"], false);
    assert_eq!(doc["error"]["code"], "VALIDATION_ERROR");
    assert!(doc["error"]["details"]
        .as_array()
        .is_some_and(|d| d.iter().any(|d| d["path"]
            .as_str()
            .is_some_and(|p| p.contains("datasets.items.schema")))));
    assert_eq!(env.stats().await, s0, "no request reached the emulator");
}

#[tokio::test(flavor = "multi_thread")]
async fn protected_replace_fails_and_blocked_delete_is_shown() {
    let env = Env::new().await;
    let two = format!("{MAIN}  - name: e2e-old\n    datasets: {{}}\n");
    let path = env.write("spec.yaml", &spec(&two));
    let spec_path = path.to_str().expect("path");
    env.pzr(&["apply", "-f", spec_path, "--auto-approve"])
        .await
        .expect(0);

    // e2e-old leaves the spec while a solution lives in it: a blocked delete.
    let old = group_arn(&env.client, "e2e-old").await.expect("group");
    env.client
        .create_solution()
        .name("old-solution")
        .dataset_group_arn(&old)
        .recipe_arn("arn:aws:personalize:::recipe/aws-user-personalization")
        .send()
        .await
        .expect("solution");
    let path = env.write("spec.yaml", &spec(MAIN));
    let spec_path = path.to_str().expect("path");
    let doc = env.plan_json(spec_path, 2).await;
    assert_eq!(doc["summary"]["delete"], 1);
    assert_eq!(doc["summary"]["blocked"], 1);
    let blocker = &doc["changes"][0]["blocked"][0];
    assert_eq!(blocker["code"], "unowned_resources");
    assert_eq!(
        blocker["resources"],
        json!([{"address": "solution.e2e-old.old-solution"}])
    );
    assert!(blocker["message"]
        .as_str()
        .is_some_and(|b| b.contains("solution.e2e-old.old-solution")));
    let doc = env
        .pzr(&["plan", "-f", spec_path, "--format", "json", "--cascade"])
        .await
        .expect(0)
        .json();
    assert_eq!(doc["summary"]["delete"], 2);
    assert_eq!(doc["summary"]["blocked"], 0);

    // A protected group whose domain changes: the plan is refused.
    let protected = spec(
        &MAIN
            .replace("    tags:", "    domain: ECOMMERCE\n    protect: true\n    tags:")
            .replace(
                "datasets:\n      interactions: {schema: interactions}\n      items: {schema: items}\n",
                "datasets: {}\n",
            ),
    );
    let path = env.write("protected.yaml", &protected);
    let doc = env
        .pzr(&[
            "plan",
            "-f",
            path.to_str().expect("path"),
            "--format",
            "json",
        ])
        .await
        .expect(1)
        .json();
    assert_eq!(doc["error"]["code"], "PROTECTED");
    // Blocked: the protected group, and e2e-old's delete (its solution).
    assert_eq!(doc["error"]["plan"]["summary"]["blocked"], 2);
}

/// 30 managed groups of 3 datasets, plus an untagged group and another
/// stack's: planning reads each thing the plan needs exactly once.
#[tokio::test(flavor = "multi_thread")]
async fn planning_30_groups_reads_no_more_than_it_needs() {
    const GROUPS: u64 = 30;
    let env = Env::with(EmulatorConfig {
        max_dataset_groups: 40,
        ..instant()
    })
    .await;
    let groups: String = (0..GROUPS)
        .map(|i| {
            format!(
                "  - name: bulk-{i:02}\n    datasets: {{interactions: {{schema: interactions}}, items: {{schema: items}}, users: {{schema: users}}}}\n"
            )
        })
        .collect();
    let path = env.write("spec.yaml", &spec(&groups));
    let spec_path = path.to_str().expect("path");
    env.pzr(&["apply", "-f", spec_path, "--auto-approve"])
        .await
        .expect(0);
    for (name, tags) in [
        ("hand-made", None),
        ("theirs", Some(vec![tag("pzr:stack", "warehouse")])),
    ] {
        env.client
            .create_dataset_group()
            .name(name)
            .set_tags(tags)
            .send()
            .await
            .expect("foreign group");
    }

    let before = env.stats().await;
    env.plan_json(spec_path, 0).await;
    let after = env.stats().await;
    let calls = requests_since(&before, &after);
    assert_eq!(mutating_since(&before, &after), 0, "{calls:?}");

    // The lower bound: one page each of groups, schemas, filters and
    // recommenders (their summaries name their group, so the account's one
    // list serves every group); per group its tags (to classify it); per
    // managed group DescribeDatasetGroup (kms and role are only there),
    // ListDatasets, ListEventTrackers, ListSolutions and ListMetricAttributions
    // (an owned child no longer in the spec is deleted; campaigns are listed
    // per solution, and these groups have none; a metric attribution's
    // summary does not name its group, so the account's list cannot serve
    // them); per dataset DescribeDataset (schemaArn is
    // only there) and its tags.
    let datasets = GROUPS * 3;
    let bound = BTreeMap::from([
        ("DescribeDataset".to_string(), datasets),
        ("DescribeDatasetGroup".to_string(), GROUPS),
        ("ListDatasetGroups".to_string(), 1),
        ("ListDatasets".to_string(), GROUPS),
        ("ListEventTrackers".to_string(), GROUPS),
        ("ListFilters".to_string(), 1),
        ("ListMetricAttributions".to_string(), GROUPS),
        ("ListRecommenders".to_string(), 1),
        ("ListSchemas".to_string(), 1),
        ("ListSolutions".to_string(), GROUPS),
        ("ListTagsForResource".to_string(), GROUPS + 2 + datasets),
    ]);
    assert_eq!(calls, bound);
    assert_eq!(total(&after) - total(&before), 276 + 3 * GROUPS);
}
