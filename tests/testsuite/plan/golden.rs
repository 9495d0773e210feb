//! Golden tests of the planner and its three renderers, one folder per case
//! under `tests/plan_cases/<case>/`:
//!
//! - `spec.yaml`: the spec (schemas inline, or Avro files beside it);
//! - `live.yaml`: a `LiveState` in YAML. `{{schema:KEY}}` becomes the spec's
//!   managed schema name for KEY and `{{canonical:KEY}}` its canonical JSON,
//!   so fixtures need no hashes. Empty `tags`, `datasets` and `children` may
//!   be left out;
//! - `options.yaml` (optional): `cascade: true`, `replace: [ADDRESS, ...]`;
//! - `expect.yaml`: the summary counts and the number of errors.
//!
//! The counts are asserted; the text (no colour), JSON and Markdown renders
//! and the apply steps are snapshots, with ARNs, account ids and times masked.
//! Each case is a test of its own, listed in `cases!`; a folder missing
//! from that list fails `every_case_folder_has_its_test`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pzr::plan::{self, Plan, PlanOptions, Summary};
use pzr::render;
use pzr::resource::Address;
use pzr::spec::Spec;
use pzr::state::LiveState;
use serde::Deserialize;
use serde_json::Value;

use crate::support::files::repo;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    create: usize,
    #[serde(default)]
    update: usize,
    #[serde(default)]
    replace: usize,
    #[serde(default)]
    delete: usize,
    #[serde(default)]
    adopt: usize,
    #[serde(default)]
    blocked: usize,
    #[serde(default)]
    errors: usize,
}

impl Expect {
    fn of(plan: &Plan) -> Expect {
        let Summary {
            create,
            update,
            replace,
            delete,
            adopt,
            blocked,
        } = plan.summary();
        Expect {
            create,
            update,
            replace,
            delete,
            adopt,
            blocked,
            errors: plan.errors.len(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default)]
    cascade: bool,
    /// `--replace ADDRESS`.
    #[serde(default)]
    replace: Vec<Address>,
    /// `--train ADDRESS`.
    #[serde(default)]
    train: Vec<Address>,
}

/// insta's folder beside the cases: not a case.
const SNAPSHOTS: &str = "snapshots";

fn cases_dir() -> PathBuf {
    repo("tests/plan_cases")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Replaces `{{schema:KEY}}` and `{{canonical:KEY}}` with the spec's values.
fn substitute(text: &str, spec: &Spec) -> String {
    let mut out = text.to_string();
    for (key, schema) in &spec.schemas {
        out = out
            .replace(&format!("{{{{schema:{key}}}}}"), &schema.name)
            .replace(&format!("{{{{canonical:{key}}}}}"), &schema.canonical);
    }
    assert!(!out.contains("{{"), "unknown placeholder in:\n{out}");
    out
}

/// Fills the collections a fixture may leave out.
fn with_defaults(mut live: Value) -> Value {
    let default = |v: &mut Value, key: &str, empty: Value| {
        if let Some(map) = v.as_object_mut() {
            map.entry(key).or_insert(empty);
        }
    };
    default(&mut live, "schemas", Value::Array(Vec::new()));
    default(&mut live, "groups", Value::Array(Vec::new()));
    if let Some(groups) = live["groups"].as_array_mut() {
        for g in groups {
            default(g, "tags", Value::Object(Default::default()));
            default(g, "datasets", Value::Array(Vec::new()));
            default(g, "children", Value::Array(Vec::new()));
            if let Some(datasets) = g["datasets"].as_array_mut() {
                for d in datasets {
                    default(d, "tags", Value::Object(Default::default()));
                }
            }
        }
    }
    live
}

fn load_live(dir: &Path, spec: &Spec) -> LiveState {
    let text = substitute(&read(&dir.join("live.yaml")), spec);
    let value: Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}/live.yaml: {e}", dir.display()));
    serde_json::from_value(with_defaults(value))
        .unwrap_or_else(|e| panic!("{}/live.yaml is not a LiveState: {e}", dir.display()))
}

/// One line per apply step: what it does, to what, after which steps.
fn steps(plan: &Plan) -> String {
    let mut out = String::new();
    for s in &plan.steps {
        let op = serde_json::to_value(&s.op).unwrap_or(Value::Null);
        let kind = op["type"].as_str().unwrap_or("?").to_string();
        let mut fields = op.as_object().cloned().unwrap_or_default();
        fields.remove("type");
        fields.remove("definition"); // the schema's content is in the JSON snapshot
        out.push_str(&format!(
            "{} {} {} {} after {:?}\n",
            s.id,
            kind,
            s.address,
            Value::Object(fields),
            s.after
        ));
    }
    out
}

fn masked() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(cases_dir().join(SNAPSHOTS));
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(r#"arn:aws:[^"\s\\]*"#, "[ARN]");
    settings.add_filter(r"\b[0-9]{12}\b", "[ACCOUNT]");
    settings.add_filter(r"\b1[0-9]{9}(\.[0-9]+)?\b", "[TIME]");
    settings
}

/// Plans one case and asserts its snapshots, then its summary counts.
fn run_case(case: &str) {
    let dir = cases_dir().join(case);
    let spec = pzr::spec::load(&dir.join("spec.yaml"))
        .unwrap_or_else(|e| panic!("{case}: the spec does not load: {e}"));
    let live = load_live(&dir, &spec);
    let options_path = dir.join("options.yaml");
    let options: Options = if options_path.exists() {
        serde_yaml::from_str(&read(&options_path)).expect("options.yaml")
    } else {
        Options::default()
    };
    let expect: Expect = serde_yaml::from_str(&read(&dir.join("expect.yaml")))
        .unwrap_or_else(|e| panic!("{case}/expect.yaml: {e}"));
    let options = PlanOptions {
        cascade: options.cascade,
        replace: options.replace.into_iter().collect(),
        train: options.train.into_iter().collect(),
    };
    let plan = plan::plan(&spec, &live, &options);
    assert_eq!(
        plan,
        plan::plan(&spec, &live, &options),
        "{case}: planning is deterministic"
    );
    masked().bind(|| {
        insta::assert_snapshot!(
            format!("{case}@text"),
            render::text::plan(&plan, render::text::Style { color: false })
        );
        insta::assert_snapshot!(
            format!("{case}@json"),
            serde_json::to_string_pretty(&render::json::plan(&plan)).expect("json")
        );
        insta::assert_snapshot!(format!("{case}@markdown"), render::markdown::plan(&plan));
        insta::assert_snapshot!(format!("{case}@steps"), steps(&plan));
    });
    let got = Expect::of(&plan);
    assert_eq!(got, expect, "{case}: summary counts differ");
}

/// One test per case folder, named after it, so that every mismatch shows
/// and one case runs alone (`cargo test --test testsuite no_op`).
macro_rules! cases {
    ($($case:ident),* $(,)?) => {
        /// The case folders this file tests, in order.
        const CASES: &[&str] = &[$(stringify!($case)),*];

        $(
            #[test]
            fn $case() {
                run_case(stringify!($case));
            }
        )*
    };
}

cases! {
    import_create,
    import_data_changed,
    import_location_changed,
    import_replace_requested,
    import_interrupted_is_waited_for,
    import_failed_held_back,
    import_location_empty,
    serving_deferred_no_data,
    recommender_failed_held_back,
    recommender_failed_retried_after_new_data,
    training_failed_held_back,
    adopt,
    adopt_immutable_difference,
    adopt_other_stacks_dataset,
    children_adopt,
    children_blocked_by_unowned,
    children_conflict,
    children_create,
    children_delete_ordering,
    children_tag_update,
    campaign_deploys_latest_version,
    billing_monthly_total,
    conflict_other_stack,
    conflict_untagged_group,
    create_failed,
    create_from_empty,
    dataset_added,
    dataset_delete_blocked_by_children,
    dataset_delete_cascade,
    dataset_removed,
    dataset_replace_blocked,
    delete_blocked_by_children,
    delete_cascade,
    delete_owned_group,
    filter_expression_replace,
    group_being_deleted,
    group_still_creating,
    items_delete_not_blocked_by_tracker,
    metric_attribution_create,
    metric_attribution_delete_before_dataset,
    metric_attribution_rename_replaces,
    metric_attribution_update_in_place,
    no_op,
    protect_blocks_replace,
    protect_tag_outlives_the_spec,
    recommender_stop_interrupted,
    retrain_on_new_data,
    replace_domain,
    replace_kms_role,
    replace_with_foreign_dataset,
    schema_compatible_change,
    schema_incompatible_change,
    schema_interactions_change,
    schema_removed,
    schema_update_in_progress,
    serving_create,
    serving_delete_order,
    serving_replace,
    serving_update_in_place,
    stale_schema_versions,
    tag_update,
    tracker_replace,
    unmanaged_groups_untouched,
}

/// A folder added without its test (or a test whose folder is gone) fails
/// here instead of going unnoticed.
#[test]
fn every_case_folder_has_its_test() {
    let folders: BTreeSet<String> = std::fs::read_dir(cases_dir())
        .expect("tests/plan_cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir() && !p.ends_with(SNAPSHOTS))
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = CASES.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        folders.difference(&listed).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "folders under tests/plan_cases without a test: add them to cases!"
    );
    assert_eq!(
        listed.difference(&folders).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "cases listed in cases! without a folder under tests/plan_cases"
    );
    assert!(CASES.len() >= 20, "only {} cases found", CASES.len());
}
