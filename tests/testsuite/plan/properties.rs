//! Properties of the planner over random specs and random accounts, event
//! trackers, filters, recommenders, solutions and campaigns included:
//! - it never targets a resource the stack does not own, unless the spec
//!   asks to adopt its group (or `--cascade` deletes what is inside an owned
//!   or adopted group in the way of a deletion);
//! - the state an apply would leave behind plans to no change at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
use pzr::plan::{self, Action, ArnRef, Op, Plan, PlanOptions};
use pzr::resource::{Address, Kind, RecommenderState, Status};
use pzr::spec::{
    dataset_name, event_tracker_name, filter_name, DatasetGroupSpec, DatasetType, Domain, Spec,
};
use pzr::state::{
    ChildConfig, ChildDetails, GroupDetails, LiveChild, LiveDataset, LiveGroup, LiveSchema,
    LiveState,
};
use pzr::STACK_TAG;

const STACK: &str = "shop";
const ACCOUNT: &str = "arn:aws:personalize:us-east-1:111122223333";
const KMS: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROLE: &str = "arn:aws:iam::111122223333:role/PersonalizeKms";
/// Group names of specs and accounts: the overlap makes name collisions common.
const NAMES: [&str; 5] = ["alpha", "beta", "gamma", "delta", "epsilon"];
const TYPES: [DatasetType; 3] = [
    DatasetType::Interactions,
    DatasetType::Items,
    DatasetType::Users,
];

/// Filter keys, each naming a field of one dataset type (so a spec has it
/// only with that dataset), and the two expressions each may have.
const FILTERS: [(&str, DatasetType, [&str; 2]); 2] = [
    (
        "recent",
        DatasetType::Interactions,
        [
            r#"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")"#,
            r#"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#,
        ],
    ),
    (
        "cheap",
        DatasetType::Items,
        [
            "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)",
            r#"EXCLUDE ItemID WHERE Items.CATEGORY IN ("toys")"#,
        ],
    ),
];

// ---- specs ---------------------------------------------------------------

#[derive(Debug, Clone)]
struct GroupGen {
    name: &'static str,
    ecommerce: bool,
    kms: bool,
    team: Option<&'static str>,
    adopt: bool,
    protect: bool,
    /// Per dataset type: (present, explicit name, tagged).
    datasets: [(bool, bool, bool); 3],
    /// The event tracker: (explicit name, tagged).
    tracker: Option<(bool, bool)>,
    /// Per filter of `FILTERS`: (which expression, tagged), when its dataset is there.
    filters: [Option<(usize, bool)>; 2],
    /// The serving side: (solution trained automatically, with a campaign,
    /// recommender stopped); the recommender only in ECOMMERCE groups with
    /// interactions.
    serving: Option<(bool, bool, bool)>,
}

fn group_gen() -> impl Strategy<Value = GroupGen> {
    (
        (
            0..NAMES.len(),
            any::<bool>(),
            any::<bool>(),
            prop::option::of(prop::sample::select(vec!["growth", "search"])),
            any::<bool>(),
            any::<bool>(),
            any::<[(bool, bool, bool); 3]>(),
        ),
        prop::option::of(any::<(bool, bool)>()),
        prop::array::uniform2(prop::option::of((0..2usize, any::<bool>()))),
        prop::option::of(any::<(bool, bool, bool)>()),
    )
        .prop_map(
            |(
                (name, ecommerce, kms, team, adopt, protect, datasets),
                tracker,
                filters,
                serving,
            )| GroupGen {
                name: NAMES[name],
                ecommerce,
                kms,
                team,
                adopt,
                protect,
                datasets,
                tracker,
                filters,
                serving,
            },
        )
}

/// 1..=3 groups with distinct names.
fn spec_gen() -> impl Strategy<Value = Vec<GroupGen>> {
    prop::collection::vec(group_gen(), 1..=3).prop_map(|mut groups| {
        let mut seen = BTreeSet::new();
        groups.retain(|g| seen.insert(g.name));
        groups
    })
}

const FIELDS: [&str; 3] = [
    "[{name: USER_ID, type: string}, {name: ITEM_ID, type: string}, {name: TIMESTAMP, type: long}, {name: EVENT_TYPE, type: string}]",
    "[{name: ITEM_ID, type: string}, {name: CATEGORY, type: string}, {name: PRICE, type: float}, {name: CATEGORY_L1, type: string, categorical: true}]",
    "[{name: USER_ID, type: string}, {name: AGE, type: int}]",
];

fn spec_yaml(groups: &[GroupGen]) -> String {
    let mut out = format!(
        "version: 1\nstack: {STACK}\nregion: us-east-1\nignoreTags: [\"cost-*\"]\nschemas:\n"
    );
    for (prefix, domain) in [("", ""), ("ec-", "    domain: ECOMMERCE\n")] {
        for (t, fields) in TYPES.iter().zip(FIELDS) {
            out.push_str(&format!(
                "  {prefix}{t}:\n{domain}    definition: {{type: record, name: R, fields: {fields}}}\n"
            ));
        }
    }
    out.push_str("datasetGroups:\n");
    for g in groups {
        out.push_str(&format!("  - name: {}\n", g.name));
        if g.ecommerce {
            out.push_str("    domain: ECOMMERCE\n");
        }
        if g.kms {
            out.push_str(&format!("    kmsKeyArn: {KMS}\n    roleArn: {ROLE}\n"));
        }
        if let Some(team) = g.team {
            out.push_str(&format!("    tags: {{team: {team}}}\n"));
        }
        out.push_str(&format!(
            "    adopt: {}\n    protect: {}\n    datasets:\n",
            g.adopt, g.protect
        ));
        let prefix = if g.ecommerce { "ec-" } else { "" };
        for (t, (present, named, tagged)) in TYPES.iter().zip(g.datasets) {
            if !present {
                continue;
            }
            let mut fields = vec![format!("schema: {prefix}{t}")];
            if named {
                fields.push(format!("name: {}-{t}-named", g.name));
            }
            if tagged {
                fields.push("tags: {pii: \"no\"}".into());
            }
            out.push_str(&format!("      {t}: {{{}}}\n", fields.join(", ")));
        }
        if g.datasets.iter().all(|d| !d.0) {
            out.push_str("      {}\n");
        }
        if let Some((named, tagged)) = g.tracker {
            let mut fields = Vec::new();
            if named {
                fields.push(format!("name: {}-events", g.name));
            }
            if tagged {
                fields.push("tags: {team: growth}".to_string());
            }
            out.push_str(&format!("    eventTracker: {{{}}}\n", fields.join(", ")));
        }
        let filters: Vec<String> = FILTERS
            .iter()
            .zip(g.filters)
            .filter(|((_, t, _), f)| f.is_some() && has_dataset(g, *t))
            .filter_map(|((key, _, expressions), f)| {
                let (which, tagged) = f?;
                let tags = if tagged { ", tags: {team: search}" } else { "" };
                Some(format!(
                    "      {key}: {{expression: '{}'{tags}}}\n",
                    expressions[which]
                ))
            })
            .collect();
        if !filters.is_empty() {
            out.push_str(&format!("    filters:\n{}", filters.concat()));
        }
        if let Some((automatic, campaign, stopped)) = g.serving {
            // A use case trains on interactions (checked offline).
            if g.ecommerce && has_dataset(g, DatasetType::Interactions) {
                let state = if stopped { ", state: stopped" } else { "" };
                out.push_str(&format!(
                    "    recommenders:\n      popular: {{recipe: {RECOMMENDER_RECIPE}{state}}}\n"
                ));
            }
            out.push_str(&format!(
                "    solutions:\n      personal:\n        recipe: {SOLUTION_RECIPE}\n        training: {{automatic: {automatic}}}\n"
            ));
            if campaign {
                out.push_str("        campaigns:\n          main: {minProvisionedTPS: 2}\n");
            }
        }
    }
    out
}

const RECOMMENDER_RECIPE: &str = "aws-ecomm-popular-items-by-views";
const SOLUTION_RECIPE: &str = "aws-user-personalization-v2";

/// A recommender, solution and campaign of group `group` as an apply of
/// `serving` leaves them (with `tags`), and their Describe details.
fn serving_children(
    group: &str,
    serving: (bool, bool, bool),
    ecommerce: bool,
    tags: &BTreeMap<String, String>,
) -> Vec<LiveChild> {
    let (automatic, campaign, stopped) = serving;
    let recipe = |name: &str| format!("arn:aws:personalize:::recipe/{name}");
    let served = |config: ChildConfig| ChildDetails {
        served: Some(config),
        ..ChildDetails::default()
    };
    let mut rps = serde_json::Map::new();
    rps.insert("minRecommendationRequestsPerSecond".into(), 1.into());
    let recommender = ecommerce.then(|| {
        let state = if stopped {
            RecommenderState::Stopped
        } else {
            RecommenderState::Running
        };
        managed_child(
            Kind::Recommender,
            format!("{group}-popular"),
            tags.clone(),
            served(ChildConfig::Recommender {
                recipe_arn: recipe(RECOMMENDER_RECIPE),
                recommender_config: rps,
                state,
            }),
        )
    });
    let solution = managed_child(
        Kind::Solution,
        format!("{group}-personal"),
        tags.clone(),
        ChildDetails {
            active_version: Some(format!("{ACCOUNT}:solution/{group}-personal/1")),
            ..served(ChildConfig::Solution {
                recipe_arn: recipe(SOLUTION_RECIPE),
                event_type: None,
                perform_hpo: false,
                solution_config: serde_json::Map::new(),
                perform_auto_training: automatic,
                scheduling_expression: automatic.then(|| "rate(7 days)".to_string()),
            })
        },
    );
    let campaign = campaign.then(|| LiveChild {
        solution: Some(solution.arn.clone()),
        ..managed_child(
            Kind::Campaign,
            format!("{group}-personal-main"),
            tags.clone(),
            served(ChildConfig::Campaign {
                min_provisioned_tps: 2,
                campaign_config: serde_json::Map::new(),
            }),
        )
    });
    recommender
        .into_iter()
        .chain([solution])
        .chain(campaign)
        .collect()
}

fn has_dataset(g: &GroupGen, t: DatasetType) -> bool {
    TYPES
        .iter()
        .zip(g.datasets)
        .any(|(d, (present, _, _))| *d == t && present)
}

fn load(groups: &[GroupGen]) -> Spec {
    let text = spec_yaml(groups);
    pzr::spec::load_str(&text, Path::new("spec.yaml"))
        .unwrap_or_else(|e| panic!("generated spec is invalid: {e}\n{text}"))
}

// ---- accounts ------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Us,
    OtherStack,
    Untagged,
}

fn owner_gen() -> impl Strategy<Value = Owner> {
    prop_oneof![
        Just(Owner::Us),
        Just(Owner::OtherStack),
        Just(Owner::Untagged)
    ]
}

fn owner_tags(owner: Owner) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::new();
    match owner {
        Owner::Us => tags.insert(STACK_TAG.to_string(), STACK.to_string()),
        Owner::OtherStack => tags.insert(STACK_TAG.to_string(), "warehouse".to_string()),
        Owner::Untagged => None,
    };
    tags.insert("cost-center".into(), "42".into());
    tags
}

#[derive(Debug, Clone)]
struct LiveGroupGen {
    name: &'static str,
    owner: Owner,
    failed: bool,
    ecommerce: bool,
    kms: bool,
    /// Per dataset type: present with this owner, and which live schema it uses.
    datasets: [Option<(Owner, usize)>; 3],
    solutions: usize,
    /// Its event tracker, with this owner and (or not) the default name.
    tracker: Option<(Owner, bool)>,
    /// Per filter of `FILTERS` (its default name): this owner, this expression.
    filters: [Option<(Owner, usize)>; 2],
    /// The serving side (see `GroupGen::serving`), with this owner.
    serving: Option<(Owner, (bool, bool, bool))>,
}

fn live_group_gen() -> impl Strategy<Value = LiveGroupGen> {
    (
        0..NAMES.len(),
        owner_gen(),
        prop::bool::weighted(0.15),
        any::<bool>(),
        any::<bool>(),
        prop::array::uniform3(prop::option::of((owner_gen(), 0..8usize))),
        0..3usize,
        prop::option::of((owner_gen(), any::<bool>())),
        prop::array::uniform2(prop::option::of((owner_gen(), 0..2usize))),
        prop::option::of((owner_gen(), any::<(bool, bool, bool)>())),
    )
        .prop_map(
            |(
                name,
                owner,
                failed,
                ecommerce,
                kms,
                datasets,
                solutions,
                tracker,
                filters,
                serving,
            )| {
                LiveGroupGen {
                    name: NAMES[name],
                    owner,
                    failed,
                    ecommerce,
                    kms,
                    datasets,
                    solutions,
                    tracker,
                    filters,
                    serving,
                }
            },
        )
}

/// 0..=5 groups with distinct names, plus which of the spec's schemas exist.
fn account_gen() -> impl Strategy<Value = (Vec<LiveGroupGen>, [bool; 6])> {
    (
        prop::collection::vec(live_group_gen(), 0..=5).prop_map(|mut groups| {
            let mut seen = BTreeSet::new();
            groups.retain(|g| seen.insert(g.name));
            groups
        }),
        any::<[bool; 6]>(),
    )
}

fn schema_arn(name: &str) -> String {
    format!("{ACCOUNT}:schema/{name}")
}

/// Live schemas: some of the spec's managed ones, a stale one of this stack,
/// another stack's and a hand-made one.
fn live_schemas(spec: &Spec, present: [bool; 6]) -> Vec<LiveSchema> {
    let mut schemas: Vec<LiveSchema> = spec
        .schemas
        .values()
        .zip(present)
        .filter(|(_, p)| *p)
        .map(|(s, _)| LiveSchema {
            name: s.name.clone(),
            arn: schema_arn(&s.name),
            domain: s.domain,
            definition: Some(s.canonical.clone()),
        })
        .collect();
    let old = r#"{"fields":[{"name":"ITEM_ID","type":"string"}],"name":"R","type":"record"}"#;
    for name in [
        "shop_items_0a1b2c3d",
        "warehouse_items_0a1b2c3d",
        "legacy-items",
    ] {
        schemas.push(LiveSchema {
            name: name.to_string(),
            arn: schema_arn(name),
            domain: None,
            definition: Some(old.to_string()),
        });
    }
    schemas.sort_by(|a, b| a.name.cmp(&b.name));
    schemas
}

fn account(spec: &Spec, groups: &[LiveGroupGen], present: [bool; 6]) -> LiveState {
    let schemas = live_schemas(spec, present);
    let mut live_groups: Vec<LiveGroup> = groups
        .iter()
        .map(|g| {
            let arn = format!("{ACCOUNT}:dataset-group/{}", g.name);
            let datasets = TYPES
                .iter()
                .zip(g.datasets)
                .filter_map(|(t, d)| {
                    let (owner, schema) = d?;
                    Some(LiveDataset {
                        name: format!("{}-{t}", g.name),
                        arn: format!("{ACCOUNT}:dataset/{}/{t}", g.name),
                        dataset_type: *t,
                        status: Status::Active,
                        schema_arn: schemas[schema % schemas.len()].arn.clone(),
                        last_updated: Some(1_764_000_000.0),
                        tags: owner_tags(owner),
                        imports: None,
                    })
                })
                .collect();
            LiveGroup {
                name: g.name.to_string(),
                arn,
                status: if g.failed {
                    Status::CreateFailed
                } else {
                    Status::Active
                },
                domain: g.ecommerce.then_some(Domain::Ecommerce),
                last_updated: Some(1_764_000_000.0),
                tags: owner_tags(g.owner),
                details: Some(GroupDetails {
                    kms_key_arn: g.kms.then(|| KMS.to_string()),
                    role_arn: g.kms.then(|| ROLE.to_string()),
                    failure_reason: g.failed.then(|| "it failed".to_string()),
                }),
                datasets: if g.failed { Vec::new() } else { datasets },
                children: (0..g.solutions)
                    .map(|i| LiveChild {
                        kind: Kind::Solution,
                        name: format!("{}-solution-{i}", g.name),
                        arn: format!("{ACCOUNT}:solution/{}-solution-{i}", g.name),
                        status: Status::Active,
                        tags: None,
                        last_updated: None,
                        details: None,
                        solution: None,
                    })
                    .chain(live_managed_children(g))
                    .collect(),
            }
        })
        .collect();
    live_groups.sort_by(|a, b| a.name.cmp(&b.name));
    LiveState {
        region: "us-east-1".into(),
        groups: live_groups,
        schemas,
        data_locations: Vec::new(),
    }
}

/// A live event tracker or filter.
fn managed_child(
    kind: Kind,
    name: String,
    tags: BTreeMap<String, String>,
    details: ChildDetails,
) -> LiveChild {
    LiveChild {
        kind,
        arn: format!("{ACCOUNT}:{}/{name}", kind.info().arn_type),
        name,
        status: Status::Active,
        tags: Some(tags),
        last_updated: Some(1_764_000_000.0),
        solution: None,
        details: Some(details),
    }
}

fn tracker_details() -> ChildDetails {
    ChildDetails {
        tracking_id: Some("9f86d081-884c-4d63-a5e2-0c1d2e3f4a5b".into()),
        ..ChildDetails::default()
    }
}

fn filter_details(expression: &str) -> ChildDetails {
    ChildDetails {
        filter_expression: Some(expression.to_string()),
        ..ChildDetails::default()
    }
}

/// The event tracker and filters `g` generates.
fn live_managed_children(g: &LiveGroupGen) -> Vec<LiveChild> {
    let tracker = g.tracker.map(|(owner, default)| {
        let name = if default {
            format!("{}-tracker", g.name)
        } else {
            format!("{}-other", g.name)
        };
        managed_child(
            Kind::EventTracker,
            name,
            owner_tags(owner),
            tracker_details(),
        )
    });
    let filters = FILTERS
        .iter()
        .zip(g.filters)
        .filter_map(|((key, _, expressions), f)| {
            let (owner, which) = f?;
            let name = format!("{}-{key}", g.name);
            Some(managed_child(
                Kind::Filter,
                name,
                owner_tags(owner),
                filter_details(expressions[which]),
            ))
        });
    let serving = g
        .serving
        .map(|(owner, serving)| serving_children(g.name, serving, g.ecommerce, &owner_tags(owner)))
        .unwrap_or_default();
    tracker.into_iter().chain(filters).chain(serving).collect()
}

/// The account an apply of `spec` leaves behind (with an ignored tag that
/// another tool set), next to other stacks' and untagged groups.
fn applied(spec: &Spec, others: &[LiveGroupGen]) -> LiveState {
    let schemas: Vec<LiveSchema> = spec
        .schemas
        .values()
        .map(|s| LiveSchema {
            name: s.name.clone(),
            arn: schema_arn(&s.name),
            domain: s.domain,
            definition: None,
        })
        .collect();
    let with_stack = |tags: &BTreeMap<String, String>| {
        let mut t = tags.clone();
        t.insert(STACK_TAG.to_string(), STACK.to_string());
        t.insert("cost-center".into(), "42".into());
        t
    };
    let mut groups: Vec<LiveGroup> = spec
        .file
        .dataset_groups
        .iter()
        .map(|g| LiveGroup {
            name: g.name.clone(),
            arn: format!("{ACCOUNT}:dataset-group/{}", g.name),
            status: Status::Active,
            domain: g.domain,
            last_updated: Some(1_764_000_000.0),
            tags: protect_tag(g, with_stack(&g.tags)),
            details: Some(GroupDetails {
                kms_key_arn: g.kms_key_arn.clone(),
                role_arn: g.role_arn.clone(),
                failure_reason: None,
            }),
            datasets: g
                .datasets
                .iter()
                .map(|(t, d)| LiveDataset {
                    name: dataset_name(&g.name, t, d),
                    arn: format!("{ACCOUNT}:dataset/{}/{t}", g.name),
                    dataset_type: t,
                    status: Status::Active,
                    schema_arn: schema_arn(&spec.schemas[&d.schema].name),
                    last_updated: Some(1_764_000_000.0),
                    tags: with_stack(&d.tags),
                    // Read (the serving side needs to know), none made.
                    imports: Some(Vec::new()),
                })
                .collect(),
            children: g
                .event_tracker
                .iter()
                .map(|t| {
                    let name = event_tracker_name(&g.name, t);
                    managed_child(
                        Kind::EventTracker,
                        name,
                        with_stack(&t.tags),
                        tracker_details(),
                    )
                })
                .chain(g.filters.iter().map(|(key, f)| {
                    let name = filter_name(&g.name, key, f);
                    let details = filter_details(&f.expression);
                    managed_child(Kind::Filter, name, with_stack(&f.tags), details)
                }))
                .chain(applied_serving(g, &with_stack(&BTreeMap::new())))
                .collect(),
        })
        .collect();
    let taken: BTreeSet<String> = groups.iter().map(|g| g.name.clone()).collect();
    let foreign = others
        .iter()
        .filter(|o| o.owner != Owner::Us && !taken.contains(o.name));
    groups.extend(account(spec, &foreign.cloned().collect::<Vec<_>>(), [false; 6]).groups);
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    LiveState {
        region: "us-east-1".into(),
        groups,
        schemas,
        data_locations: Vec::new(),
    }
}

/// The serving children an apply of `g` leaves behind.
fn applied_serving(g: &DatasetGroupSpec, tags: &BTreeMap<String, String>) -> Vec<LiveChild> {
    let Some(solution) = g.solutions.get("personal") else {
        return Vec::new();
    };
    let stopped = g
        .recommenders
        .get("popular")
        .is_some_and(|r| !r.state.is_running());
    let serving = (
        solution.training.automatic,
        !solution.campaigns.is_empty(),
        stopped,
    );
    let recommender = g.recommenders.contains_key("popular");
    let mut children = serving_children(&g.name, serving, recommender, tags);
    // The spec's campaign asks for 2 TPS, as `serving_children` has it.
    children.retain(|c| c.kind != Kind::Campaign || !solution.campaigns.is_empty());
    children
}

// ---- what a plan may touch -------------------------------------------------

/// ARNs a plan may change or delete: this stack's groups, datasets, event
/// trackers, filters and schemas; untagged groups the spec adopts with their
/// untagged datasets, trackers and filters; with `--cascade`, everything
/// inside an owned or adopted group.
fn allowed_targets(spec: &Spec, live: &LiveState, cascade: bool) -> BTreeSet<String> {
    let ours =
        |tags: &BTreeMap<String, String>| tags.get(STACK_TAG).map(String::as_str) == Some(STACK);
    let adopts = |name: &str| {
        spec.file
            .dataset_groups
            .iter()
            .any(|g| g.name == name && g.adopt)
    };
    let mut allowed = BTreeSet::new();
    for g in &live.groups {
        let owned = ours(&g.tags);
        let adopted = g.stack().is_none() && adopts(&g.name);
        if !(owned || adopted) {
            continue;
        }
        allowed.insert(g.arn.clone());
        for d in &g.datasets {
            if ours(&d.tags) || (adopted && !d.tags.contains_key(STACK_TAG)) || (owned && cascade) {
                allowed.insert(d.arn.clone());
            }
        }
        for c in &g.children {
            let tags = c.tags.clone().unwrap_or_default();
            if ours(&tags) || (adopted && c.tags.is_some() && !tags.contains_key(STACK_TAG)) {
                allowed.insert(c.arn.clone());
                // A campaign is created on a version of a solution it may touch.
                let version = c.details.as_ref().and_then(|d| d.active_version.clone());
                allowed.extend(version);
            }
        }
        // A group taken over is the stack's too: `--cascade` clears what is
        // in the way of deleting one of its datasets.
        if cascade {
            allowed.extend(g.children.iter().map(|c| c.arn.clone()));
        }
    }
    allowed.extend(
        live.schemas
            .iter()
            .filter(|s| pzr::avro::managed_schema_key(STACK, &s.name).is_some())
            .map(|s| s.arn.clone()),
    );
    allowed
}

/// The live ARN a change is about (`None` for creates of new resources).
fn change_target(live: &LiveState, address: &Address) -> Option<String> {
    let group = live.group(address.group_name()?)?;
    match address {
        Address::Schema { .. } | Address::DatasetImportJob { .. } => None,
        Address::DatasetGroup { .. } => Some(group.arn.clone()),
        Address::Dataset { dataset_type, .. } => {
            group.dataset(*dataset_type).map(|d| d.arn.clone())
        }
        Address::OnePerGroup { .. } => group
            .children_of(Kind::EventTracker)
            .next()
            .map(|c| c.arn.clone()),
        Address::Campaign { solution, name, .. } => {
            let name = format!("{}-{solution}-{name}", group.name);
            group
                .children_of(Kind::Campaign)
                .find(|c| c.name == name)
                .map(|c| c.arn.clone())
        }
        // A managed filter by its key (generated names are the default
        // `<group>-<key>`), one pzr does not own by its name.
        Address::Child {
            kind,
            name,
            group: g,
        } => group
            .children
            .iter()
            .find(|c| c.kind == *kind && (c.name == *name || c.name == format!("{g}-{name}")))
            .map(|c| c.arn.clone()),
    }
}

/// Every ARN a step changes or deletes, or creates something in.
fn step_targets(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::TagResource { arn, .. }
            | Op::UntagResource { arn, .. }
            | Op::UpdateDataset { arn, .. }
            | Op::UpdateChild { arn, .. }
            | Op::DeleteChild { arn, .. }
            | Op::StopTraining { arn }
            | Op::DeleteDataset { arn }
            | Op::DeleteDatasetGroup { arn }
            | Op::DeleteSchema { arn } => Some(arn.clone()),
            Op::CreateDataset {
                group: ArnRef::Known(arn),
                ..
            }
            | Op::CreateChild {
                parent: ArnRef::Known(arn),
                ..
            }
            | Op::SetRecommenderState {
                arn: ArnRef::Known(arn),
                ..
            }
            | Op::TrainSolution {
                solution: ArnRef::Known(arn),
            } => Some(arn.clone()),
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_touches_what_the_stack_does_not_own(
        groups in spec_gen(),
        (live_groups, present) in account_gen(),
        cascade in any::<bool>(),
    ) {
        let spec = load(&groups);
        let live = account(&spec, &live_groups, present);
        let plan = plan::plan(&spec, &live, &PlanOptions { cascade, ..PlanOptions::default() });
        let allowed = allowed_targets(&spec, &live, cascade);
        let mut addresses = BTreeSet::new();
        for c in &plan.changes {
            prop_assert!(addresses.insert(&c.address), "{} is listed twice", c.address);
        }
        for c in &plan.changes {
            if c.address.kind() == Kind::Schema {
                if let Some(before) = &c.before {
                    let name = before["name"].as_str().unwrap_or_default();
                    prop_assert!(pzr::avro::managed_schema_key(STACK, name).is_some(),
                        "{} {:?} targets schema {name}", c.address, c.action);
                }
                continue;
            }
            if c.action == Action::Create {
                continue; // a new resource (its group is checked through the steps)
            }
            let arn = change_target(&live, &c.address);
            prop_assert!(arn.as_ref().is_some_and(|a| allowed.contains(a)),
                "{} {:?} targets {arn:?}, which stack {STACK} does not own\n{:#?}", c.address, c.action, live);
        }
        for s in plan.steps.iter().filter(|s| !matches!(s.op, Op::WaitDatasetGroupActive { .. })) {
            prop_assert!(addresses.contains(&s.address), "step {} on {} has no change shown", s.id, s.address);
        }
        for arn in step_targets(&plan) {
            prop_assert!(allowed.contains(&arn), "a step targets {arn}, which stack {STACK} does not own");
        }
        // A saved plan is applied exactly: it reads back as the same plan.
        let saved = serde_json::to_value(&plan).expect("a plan serialises");
        prop_assert_eq!(serde_json::from_value::<Plan>(saved).ok(), Some(plan));
    }

    #[test]
    fn the_applied_state_plans_to_nothing(
        groups in spec_gen(),
        (others, _) in account_gen(),
    ) {
        let spec = load(&groups);
        let live = applied(&spec, &others);
        let plan = plan::plan(&spec, &live, &PlanOptions::default());
        prop_assert!(plan.changes.is_empty(), "changes: {:#?}", plan.changes);
        prop_assert!(plan.errors.is_empty(), "errors: {:#?}", plan.errors);
        prop_assert!(plan.steps.is_empty(), "steps: {:#?}", plan.steps);
        prop_assert_eq!(plan::extra_reads(&spec, &live), Default::default());
    }
}

/// A group's tags once applied: `pzr:protect=true` on a protected one.
fn protect_tag(g: &pzr::spec::DatasetGroupSpec, mut tags: pzr::state::Tags) -> pzr::state::Tags {
    if g.protect {
        tags.insert("pzr:protect".into(), "true".into());
    }
    tags
}
