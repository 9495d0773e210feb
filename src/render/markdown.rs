//! Markdown for a pull-request comment: a one-line verdict with the counts,
//! what is destructive or blocked, the stack's dependency graph, then each
//! change's details collapsed, as many as fit in one GitHub comment.

use std::fmt::Write;

use super::{change_diff, graph, ordered, symbol, verb};
use crate::plan::{Change, Plan};

/// GitHub refuses a comment longer than 65,536 characters. A plan keeps
/// within this many bytes (never fewer than characters), leaving room for
/// what a workflow adds around it (a marker, a header, a footer).
pub const COMMENT_BUDGET: usize = 60_000;

/// What the plan's rendering keeps free for its last lines (the note on
/// left-out details and the summary).
const TAIL_RESERVE: usize = 1_000;

pub fn plan(plan: &Plan) -> String {
    let mut out = verdict(plan);
    if plan.changes.is_empty() && plan.errors.is_empty() {
        return out;
    }
    out.push('\n');
    for e in &plan.errors {
        let _ = writeln!(
            out,
            "> [!CAUTION]\n> **Error** `{}`: {} ({})\n",
            e.address, e.message, e.hint
        );
    }
    // Blocked first (apply refuses the plan), then what loses data, then the rest.
    let mut changes = ordered(&plan.changes);
    changes.sort_by_key(|c| (c.blocked.is_empty(), !c.destructive));
    let blocked: Vec<&Change> = changes
        .iter()
        .copied()
        .filter(|c| !c.blocked.is_empty())
        .collect();
    if !blocked.is_empty() {
        out.push_str("> [!WARNING]\n> **Blocked**: apply will refuse this plan:\n");
        for c in blocked {
            let why: Vec<String> = c.blocked.iter().map(|b| b.to_string()).collect();
            let _ = writeln!(out, "> - `{}`: {}", c.address, why.join("; "));
        }
        out.push('\n');
    }
    let destructive: Vec<&Change> = changes.iter().copied().filter(|c| c.destructive).collect();
    if !destructive.is_empty() {
        out.push_str(
            "> [!CAUTION]\n> **Destructive changes** (data is lost; apply needs --allow-destroy):\n",
        );
        for c in destructive {
            let _ = writeln!(out, "> - `{}` {}", c.address, verb(c.action));
        }
        out.push('\n');
    }
    let diagram = graph::mermaid(plan);
    if out.len() + diagram.len() + TAIL_RESERVE < COMMENT_BUDGET / 2 {
        out.push_str(&diagram);
        if diagram.starts_with("```") {
            out.push_str(
                "<sub>+ create, ~ update, -/+ replace, - destroy, ! not managed by pzr; \
                 a thick border: blocked.</sub>\n",
            );
        }
        out.push('\n');
    }
    let mut left_out = Vec::new();
    for c in changes {
        let block = details(c);
        if left_out.is_empty() && out.len() + block.len() + TAIL_RESERVE <= COMMENT_BUDGET {
            out.push_str(&block);
        } else {
            left_out.push(c);
        }
    }
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "**The details of {} more change(s) are left out to fit a pull-request comment**; \
             the full plan is in the saved plan (the workflow's plan artifact; `pzr show plan.json`).\n",
            left_out.len()
        );
        for (i, c) in left_out.iter().enumerate() {
            let line = format!(
                "- `{} {}` {}\n",
                symbol(c.action),
                c.address,
                verb(c.action)
            );
            if out.len() + line.len() + TAIL_RESERVE / 2 > COMMENT_BUDGET {
                let _ = writeln!(out, "- … and {} more", left_out.len() - i);
                break;
            }
            out.push_str(&line);
        }
        out.push('\n');
    }
    out
}

/// The first line: who, where, the counts, and whether apply would go ahead.
fn verdict(plan: &Plan) -> String {
    let s = plan.summary();
    let head = format!("pzr plan for `{}` in `{}`", plan.stack, plan.region);
    if plan.changes.is_empty() && plan.errors.is_empty() {
        return format!("### ✅ {head}: no changes, the account matches the spec.\n");
    }
    let destructive = plan.destructive();
    let (icon, state) = if !plan.errors.is_empty() {
        (
            "⛔",
            format!("cannot be applied ({} error(s))", plan.errors.len()),
        )
    } else if s.blocked > 0 {
        ("⛔", format!("{} blocked, apply will refuse it", s.blocked))
    } else if destructive > 0 {
        ("⚠️", format!("{destructive} destructive"))
    } else {
        ("📝", "ready to apply".to_string())
    };
    let more = super::billing_clause(plan)
        .map(|b| format!("\n\n{b}"))
        .unwrap_or_default();
    format!(
        "### {icon} {head}: {} to create, {} to update, {} to replace, {} to destroy, {} to adopt; {state}\n{more}",
        s.create, s.update, s.replace, s.delete, s.adopt
    )
}

/// One change, collapsed: its reasons and diff.
fn details(c: &Change) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<details><summary><code>{} {}</code> {}{}</summary>\n",
        symbol(c.action),
        c.address,
        verb(c.action),
        if c.destructive { " (destructive)" } else { "" }
    );
    for r in &c.reasons {
        let _ = writeln!(out, "- {r}");
    }
    for b in &c.blocked {
        let _ = writeln!(out, "- **blocked**: {b}");
    }
    if let Some(why) = &c.deferred {
        let _ = writeln!(out, "- **deferred**: {why}");
    }
    for note in &c.notes {
        let _ = writeln!(out, "- **{}**: {note}", note.note.topic());
    }
    // A change of no setting (a new version trained) has nothing to diff.
    let diff = change_diff(c);
    if !diff.is_empty() {
        out.push_str("\n```diff\n");
        for (sign, line) in diff {
            let _ = writeln!(out, "{sign} {line}");
        }
        out.push_str("```\n");
    }
    out.push_str("\n</details>\n\n");
    out
}

/// A drift report for an issue or a chat message.
pub fn drift(plan: &Plan, report: &crate::plan::drift::DriftReport) -> String {
    let mut out = String::new();
    let verdict = if report.in_sync {
        "in sync"
    } else {
        "**drift detected**"
    };
    let _ = writeln!(
        out,
        "### pzr drift: stack `{}` in `{}`: {verdict}\n",
        plan.stack, plan.region
    );
    if !report.in_sync {
        out.push_str("| resource | field | expected | actual |\n|---|---|---|---|\n");
        for d in &report.drift {
            for f in &d.fields {
                let _ = writeln!(
                    out,
                    "| `{}` | `{}` | `{}` | `{}` |",
                    d.address, f.field, f.expected, f.actual
                );
            }
        }
        out.push('\n');
        out.push_str(&self::plan(plan));
    }
    let _ = writeln!(
        out,
        "\nCoverage: {} of {} dataset groups managed.",
        report.coverage.managed, report.coverage.total
    );
    for u in &report.unmanaged {
        let _ = writeln!(
            out,
            "- unmanaged: `{}` ({}){}",
            u.name,
            u.status,
            u.managed_by()
        );
    }
    out
}
