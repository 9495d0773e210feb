//! The Markdown plan as a pull request shows it: a huge plan still fits in
//! one GitHub comment, and says where the rest is.

use pzr::plan::{self, PlanOptions};
use pzr::render;
use pzr::state::LiveState;

use crate::support::files::copy_examples;

/// GitHub's limit on a comment's body, in characters.
const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// `groups` ECOMMERCE groups of three datasets each, planned on an empty account.
fn huge_plan(groups: usize) -> pzr::plan::Plan {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_examples(dir.path());
    let mut spec = String::from(
        "version: 1\nstack: huge\nregion: us-east-1\nschemas:\n\
         \x20 interactions: {file: avro/retail-interactions.avsc, domain: ECOMMERCE}\n\
         \x20 items: {file: avro/retail-items.avsc, domain: ECOMMERCE}\n\
         \x20 users: {file: avro/retail-users.avsc, domain: ECOMMERCE}\n\
         datasetGroups:\n",
    );
    for i in 0..groups {
        spec.push_str(&format!(
            "  - name: shop-{i:04}\n    domain: ECOMMERCE\n    tags: {{team: growth}}\n    datasets:\n\
             \x20     interactions: {{schema: interactions}}\n\
             \x20     items: {{schema: items}}\n\
             \x20     users: {{schema: users}}\n"
        ));
    }
    let path = dir.path().join("huge.yaml");
    std::fs::write(&path, spec).expect("write");
    let spec = pzr::spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let live = LiveState {
        region: "us-east-1".into(),
        ..LiveState::default()
    };
    plan::plan(&spec, &live, &PlanOptions::default())
}

#[test]
fn a_thousand_change_plan_fits_in_one_comment_and_points_at_the_artifact() {
    let plan = huge_plan(250);
    assert!(plan.changes.len() >= 1000, "{}", plan.changes.len());
    let md = render::markdown::plan(&plan);
    let chars = md.chars().count();
    assert!(
        md.len() <= render::markdown::COMMENT_BUDGET,
        "{} bytes",
        md.len()
    );
    // Room for what the workflow adds: its marker, a header, a footer.
    assert!(chars + 5_000 < GITHUB_COMMENT_LIMIT, "{chars} characters");
    let first = md.lines().next().unwrap_or_default();
    assert!(
        first.contains("1003 to create") && first.contains("ready to apply"),
        "the verdict comes first: {first}"
    );
    assert!(
        md.contains("left out to fit a pull-request comment"),
        "{md}"
    );
    assert!(md.contains("plan artifact"), "{md}");
    // Past its size a graph is not drawn; the changes that do fit are whole.
    assert!(!md.contains("```mermaid"));
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count()
    );
    assert!(md.contains("… and "), "the one-line list is cut too");
}

#[test]
fn a_small_plan_shows_every_change_and_its_graph() {
    let plan = huge_plan(2);
    let md = render::markdown::plan(&plan);
    assert_eq!(md.matches("<details>").count(), plan.changes.len());
    assert!(!md.contains("left out"));
    let graph = md
        .split("```mermaid\n")
        .nth(1)
        .and_then(|g| g.split("```").next())
        .expect("a mermaid graph");
    // Each group points at its datasets, each dataset at its schema.
    assert_eq!(graph.matches(" --> ").count(), 2 * 3 + 2 * 3, "{graph}");
    assert_eq!(graph.matches(":::create").count(), 2 + 6 + 3, "{graph}");
}
