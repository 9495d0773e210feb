//! Turning plans and drift reports into text for people, JSON for machines
//! and Markdown for pull requests. Nothing here computes a diff of state:
//! the planner did; this only lays it out.

mod diff;
mod graph;
pub mod json;
pub mod markdown;
pub mod text;

pub use diff::change_diff;

use crate::plan::{Action, Billing, Change, Delta, Usd};
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
    let mut parts = Vec::new();
    if deferred > 0 {
        parts.push(format!("{deferred} deferred to a later apply."));
    }
    let billing = bill(&plan.billing(), &plan.region);
    if !billing.is_empty() {
        parts.push(format!("Billing: {}.", billing.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The bill's clauses: the monthly total of the priced hourly charges
/// (hourly × 730), the price of a training hour, the flags, and what got no
/// figure and why.
fn bill(b: &Billing, region: &str) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(usd) = b.usd_per_month {
        parts.push(format!("{}/month estimated", Delta(usd)));
    }
    if b.starts_training {
        parts.push("turns on automatic training".to_string());
    }
    if let Some(usd) = b.usd_per_training_hour {
        parts.push(format!("training at {} per training hour", Usd(usd)));
    }
    if b.raises_capacity && b.usd_per_month.is_none() {
        parts.push("raises capacity billed by the hour".to_string());
    }
    if b.not_estimated > 0 {
        parts.push(if b.region_priced {
            format!(
                "{} charge(s) not estimated (no published price for them)",
                b.not_estimated
            )
        } else {
            format!("no estimate (pzr knows no published Personalize price in {region})")
        });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bill_totals_the_month_and_prices_training() {
        let b = Billing {
            starts_training: false,
            raises_capacity: true,
            usd_per_month: Some(292.0),
            usd_per_training_hour: Some(0.24),
            not_estimated: 0,
            region_priced: true,
        };
        assert_eq!(
            bill(&b, "us-east-1").join(", "),
            "+$292.00/month estimated, training at $0.24 per training hour"
        );
    }

    #[test]
    fn a_region_without_prices_says_so() {
        let b = Billing {
            raises_capacity: true,
            not_estimated: 1,
            ..Billing::default()
        };
        assert_eq!(
            bill(&b, "eu-west-1").join(", "),
            "raises capacity billed by the hour, \
             no estimate (pzr knows no published Personalize price in eu-west-1)"
        );
    }
}
