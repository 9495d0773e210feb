//! Markdown for a pull-request comment: a summary table, destructive changes
//! called out, each change's details collapsible.

use std::fmt::Write;

use super::{change_diff, ordered, summary_line, symbol, verb};
use crate::plan::Plan;

pub fn plan(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### pzr plan: stack `{}` in `{}`\n",
        plan.stack, plan.region
    );
    if plan.changes.is_empty() && plan.errors.is_empty() {
        out.push_str("No changes: the account matches the spec.\n");
        return out;
    }
    let s = plan.summary();
    out.push_str("| create | update | replace | destroy | adopt | blocked |\n|---:|---:|---:|---:|---:|---:|\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n",
        s.create, s.update, s.replace, s.delete, s.adopt, s.blocked
    );
    let destructive: Vec<_> = ordered(&plan.changes)
        .into_iter()
        .filter(|c| c.destructive)
        .collect();
    if !destructive.is_empty() {
        out.push_str("> [!CAUTION]\n> **Destructive changes** (data is lost):\n");
        for c in destructive {
            let _ = writeln!(out, "> - `{}` {}", c.address, verb(c.action));
        }
        out.push('\n');
    }
    let blocked: Vec<_> = plan
        .changes
        .iter()
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
    for e in &plan.errors {
        let _ = writeln!(
            out,
            "**Error** `{}`: {} ({})\n",
            e.address, e.message, e.hint
        );
    }
    for c in ordered(&plan.changes) {
        let _ = writeln!(
            out,
            "<details><summary><code>{} {}</code> {}</summary>\n",
            symbol(c.action),
            c.address,
            verb(c.action)
        );
        for r in &c.reasons {
            let _ = writeln!(out, "- {r}");
        }
        out.push_str("\n```diff\n");
        for (sign, line) in change_diff(c) {
            let _ = writeln!(out, "{sign} {line}");
        }
        out.push_str("```\n\n</details>\n\n");
    }
    let _ = writeln!(out, "**{}**", summary_line(plan));
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
        let _ = writeln!(out, "- unmanaged: `{}` ({})", u.name, u.status);
    }
    out
}
