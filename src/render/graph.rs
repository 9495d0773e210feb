//! The stack's dependency graph as a Mermaid flowchart, for pull requests
//! (GitHub renders ```` ```mermaid ```` blocks): dataset groups, their
//! datasets and the schemas those use, and the children in a group that a
//! change deletes or is blocked by. Nodes are what the plan knows of: every
//! resource it changes or observed (each group and dataset of the spec, with
//! what it read), and the schemas named by those; changed ones are marked.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::symbol;
use crate::plan::{Action, Blocker, Change, Plan};
use crate::resource::{Address, Kind};

/// Graphs with more nodes than this are left out: past it GitHub's renderer
/// gives up or draws an unreadable hairball.
pub const MAX_NODES: usize = 80;

/// How a node looks: its change, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Unchanged,
    Changed(Action),
    /// A resource pzr does not own that blocks a change.
    Blocker,
}

#[derive(Debug)]
struct Node {
    label: String,
    mark: Mark,
    blocked: bool,
}

/// Graph nodes keyed by what identifies them (an address, or a schema's name).
#[derive(Default)]
struct Graph {
    nodes: BTreeMap<String, Node>,
    edges: Vec<(String, String)>,
}

impl Graph {
    fn node(&mut self, key: String, label: String, mark: Mark) -> String {
        let node = self.nodes.entry(key.clone()).or_insert(Node {
            label,
            mark,
            blocked: false,
        });
        if mark != Mark::Unchanged {
            node.mark = mark;
        }
        key
    }

    fn edge(&mut self, from: String, to: String) {
        if !self.edges.contains(&(from.clone(), to.clone())) {
            self.edges.push((from, to));
        }
    }

    /// A resource's node, with an edge from its group.
    fn resource(&mut self, address: &Address, mark: Mark) -> String {
        let key = self.node(address.to_string(), label(address), mark);
        if let (Some(group), false) = (
            address.group_address(),
            address.kind() == Kind::DatasetGroup,
        ) {
            let from = self.node(group.to_string(), label(&group), Mark::Unchanged);
            self.edge(from, key.clone());
        }
        key
    }
}

/// How a resource is named inside its group's part of the graph.
fn label(address: &Address) -> String {
    match address {
        Address::Schema { key } => format!("schema {key}"),
        Address::DatasetGroup { group } => format!("group {group}"),
        Address::Dataset { dataset_type, .. } => format!("dataset {dataset_type}"),
        Address::DatasetImportJob { dataset_type, .. } => format!("import {dataset_type}"),
        Address::OnePerGroup { kind, .. } => kind.label().to_string(),
        Address::Child { kind, name, .. } => format!("{kind} {name}"),
        Address::Campaign { solution, name, .. } => format!("campaign {solution}/{name}"),
    }
}

/// The schema name a dataset change's value points at.
fn schema_of(change: &Change) -> Option<&str> {
    change
        .after
        .as_ref()
        .or(change.before.as_ref())?
        .get("schema")?
        .as_str()
}

/// The Mermaid block, or a sentence saying why there is none.
pub fn mermaid(plan: &Plan) -> String {
    let mut g = Graph::default();
    for o in &plan.observed {
        g.resource(&o.address, Mark::Unchanged);
    }
    // Schema changes are keyed by the names they create or delete, so a
    // dataset's `schema` finds them.
    let mut schema_names: BTreeMap<&str, String> = BTreeMap::new();
    for c in plan
        .changes
        .iter()
        .filter(|c| c.address.kind() == Kind::Schema)
    {
        let key = g.resource(&c.address, Mark::Changed(c.action));
        for value in [&c.before, &c.after].into_iter().flatten() {
            if let Some(name) = value.get("name").and_then(|n| n.as_str()) {
                schema_names.insert(name, key.clone());
            }
        }
    }
    for c in plan
        .changes
        .iter()
        .filter(|c| c.address.kind() != Kind::Schema)
    {
        let key = g.resource(&c.address, Mark::Changed(c.action));
        if !c.blocked.is_empty() {
            if let Some(n) = g.nodes.get_mut(&key) {
                n.blocked = true;
            }
        }
        if let Some(schema) = schema_of(c) {
            let to = match schema_names.get(schema) {
                Some(k) => k.clone(),
                None => g.node(
                    schema.to_string(),
                    format!("schema {schema}"),
                    Mark::Unchanged,
                ),
            };
            g.edge(key.clone(), to);
        }
        for b in &c.blocked {
            if let Blocker::UnownedResources { resources: list } = b {
                for u in list {
                    let child = g.resource(&u.address, Mark::Blocker);
                    // The group's edge is there; a dataset is blocked by its group's children too.
                    if c.address.kind() == Kind::Dataset {
                        g.edge(child, key.clone());
                    }
                }
            }
        }
    }
    if g.nodes.is_empty() {
        return String::new();
    }
    if g.nodes.len() > MAX_NODES {
        return format!(
            "_The dependency graph is left out: {} resources are more than a diagram can show._\n",
            g.nodes.len()
        );
    }
    let ids: BTreeMap<&str, String> = g
        .nodes
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), format!("n{i}")))
        .collect();
    let mut out = String::from("```mermaid\nflowchart LR\n");
    for (key, node) in &g.nodes {
        let (prefix, class) = match node.mark {
            Mark::Unchanged => ("", "unchanged"),
            Mark::Changed(a) => (
                symbol(a),
                match a {
                    Action::Create => "create",
                    Action::Update | Action::Adopt => "update",
                    Action::Replace | Action::Delete => "destroy",
                },
            ),
            Mark::Blocker => ("!", "unmanaged"),
        };
        let label = format!("{prefix} {}", node.label)
            .trim()
            .replace('"', "#quot;");
        let _ = write!(out, "  {}[\"{label}\"]:::{class}", ids[key.as_str()]);
        if node.blocked {
            let _ = write!(out, "\n  class {} blocked", ids[key.as_str()]);
        }
        out.push('\n');
    }
    for (from, to) in &g.edges {
        let _ = writeln!(out, "  {} --> {}", ids[from.as_str()], ids[to.as_str()]);
    }
    out.push_str(
        "  classDef unchanged fill:#f6f8fa,stroke:#8c959f,color:#57606a\n\
         \x20 classDef create fill:#dafbe1,stroke:#1a7f37,color:#116329\n\
         \x20 classDef update fill:#fff8c5,stroke:#9a6700,color:#7d4e00\n\
         \x20 classDef destroy fill:#ffebe9,stroke:#cf222e,color:#a40e26\n\
         \x20 classDef unmanaged fill:#ffffff,stroke:#cf222e,stroke-dasharray:4 3,color:#57606a\n\
         \x20 classDef blocked stroke-width:3px\n```\n",
    );
    out
}
