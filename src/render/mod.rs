//! Turning plans and drift reports into text for people, JSON for machines
//! and Markdown for pull requests. Nothing here computes a diff of state:
//! the planner did; this only lays it out.

mod diff;
mod graph;
pub mod json;
pub mod markdown;
pub mod text;

pub use diff::change_diff;

use crate::plan::{Action, Change};
use crate::resource::Kind;

/// Terraform's symbols.
pub fn symbol(action: Action) -> &'static str {
    match action {
        Action::Create => "+",
        Action::Update => "~",
        Action::Replace => "-/+",
        Action::Delete => "-",
        Action::Adopt => "&",
    }
}

/// "will be created", ...
pub fn verb(action: Action) -> &'static str {
    match action {
        Action::Create => "will be created",
        Action::Update => "will be updated in place",
        Action::Replace => "must be replaced",
        Action::Delete => "will be destroyed",
        Action::Adopt => "will be adopted",
    }
}

/// The dataset group a change belongs to (`None` for schemas), for grouping.
pub fn group_of(change: &Change) -> Option<&str> {
    change.address.group_name()
}

/// Changes in display order: schemas first, then by dataset group, each
/// group's own change before its contents; stable otherwise.
pub fn ordered(changes: &[Change]) -> Vec<&Change> {
    let mut out: Vec<&Change> = changes.iter().collect();
    out.sort_by_key(|c| {
        (
            group_of(c).map(str::to_string),
            c.address.kind() != Kind::DatasetGroup,
        )
    });
    out
}

/// The summary line: `Plan: 1 to create, ...`.
pub fn summary_line(plan: &crate::plan::Plan) -> String {
    let s = plan.summary();
    let mut line = format!(
        "Plan: {} to create, {} to update, {} to replace, {} to destroy, {} to adopt.",
        s.create, s.update, s.replace, s.delete, s.adopt
    );
    if s.blocked > 0 {
        line.push_str(&format!(" {} blocked.", s.blocked));
    }
    if let Some(more) = billing_clause(plan) {
        line.push(' ');
        line.push_str(&more);
    }
    line
}

/// What the summary adds about deferred creates and the bill: a plan that
/// turns on automatic training or raises capacity billed by the hour says
/// so where nobody misses it.
pub fn billing_clause(plan: &crate::plan::Plan) -> Option<String> {
    let deferred = plan.changes.iter().filter(|c| c.deferred.is_some()).count();
    let billing = plan.billing();
    let mut parts = Vec::new();
    if deferred > 0 {
        parts.push(format!("{deferred} deferred to a later apply."));
    }
    match (billing.starts_training, billing.raises_capacity) {
        (true, true) => parts.push(
            "Billing: turns on automatic training and raises capacity billed by the hour.".into(),
        ),
        (true, false) => parts.push("Billing: turns on automatic training.".into()),
        (false, true) => parts.push("Billing: raises capacity billed by the hour.".into()),
        (false, false) => {}
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}
