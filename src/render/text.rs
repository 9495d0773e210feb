//! Terraform-like text for people.

use std::fmt::Write;

use super::{change_diff, ordered, summary_line, symbol, verb};
use crate::plan::{Action, Plan};

/// ANSI colours, on only when the caller decided the output is a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn action(&self, action: Action, text: &str) -> String {
        let code = match action {
            Action::Create => "32",
            Action::Update | Action::Adopt => "33",
            Action::Replace | Action::Delete => "31",
        };
        self.paint(code, text)
    }

    fn sign(&self, sign: char, text: &str) -> String {
        match sign {
            '+' => self.paint("32", text),
            '-' => self.paint("31", text),
            _ => text.to_string(),
        }
    }
}

/// Renders a plan: header, each change with reasons and diff, errors, summary.
pub fn plan(plan: &Plan, style: Style) -> String {
    let mut out = String::new();
    if plan.changes.is_empty() && plan.errors.is_empty() {
        let _ = writeln!(
            out,
            "No changes. Stack {} in {} matches the spec.",
            plan.stack, plan.region
        );
        return out;
    }
    let _ = writeln!(
        out,
        "pzr will perform these actions on stack {} in {}:",
        plan.stack, plan.region
    );
    let mut current_group: Option<Option<&str>> = None;
    for change in ordered(&plan.changes) {
        let group = super::group_of(change);
        if current_group != Some(group) {
            let title = group
                .map(|g| format!("dataset group {g}"))
                .unwrap_or_else(|| "schemas".into());
            let _ = writeln!(out, "\n{}", style.paint("1", &format!("## {title}")));
            current_group = Some(group);
        }
        let head = format!("{} {}", symbol(change.action), change.address);
        let _ = write!(
            out,
            "\n  {} {}",
            style.action(change.action, &head),
            verb(change.action)
        );
        if change.destructive {
            let _ = write!(out, " {}", style.paint("31;1", "(destructive)"));
        }
        out.push('\n');
        for reason in &change.reasons {
            let _ = writeln!(out, "      # {reason}");
        }
        for blocked in &change.blocked {
            let _ = writeln!(out, "      {} {blocked}", style.paint("31;1", "BLOCKED:"));
        }
        if let Some(why) = &change.deferred {
            let _ = writeln!(out, "      {} {why}", style.paint("33;1", "DEFERRED:"));
        }
        for note in &change.notes {
            let label = format!("{}:", note.note.topic());
            let _ = writeln!(out, "      {} {note}", style.paint("36", &label));
        }
        for (sign, line) in change_diff(change) {
            let _ = writeln!(out, "      {}", style.sign(sign, &format!("{sign} {line}")));
        }
    }
    for e in &plan.errors {
        let _ = writeln!(
            out,
            "\n{} {}: {}\n  hint: {}",
            style.paint("31;1", "error:"),
            e.address,
            e.message,
            e.hint
        );
    }
    let _ = writeln!(out, "\n{}", style.paint("1", &summary_line(plan)));
    out
}

/// Renders a drift report: the verdict, each drifted field, the plan that
/// would fix it, and the groups nobody manages.
pub fn drift(plan: &Plan, report: &crate::plan::drift::DriftReport, style: Style) -> String {
    let mut out = String::new();
    if report.in_sync {
        let _ = writeln!(
            out,
            "In sync: stack {} in {} matches the spec.",
            plan.stack, plan.region
        );
    } else {
        let _ = writeln!(
            out,
            "{}",
            style.paint(
                "31;1",
                &format!(
                    "Drift detected: stack {} in {} differs from the spec in {} resource(s).",
                    plan.stack,
                    plan.region,
                    report.drift.len()
                )
            )
        );
        for d in &report.drift {
            let _ = writeln!(out, "\n  {}", d.address);
            for f in &d.fields {
                let _ = writeln!(
                    out,
                    "      {}: expected {}, actual {}",
                    f.field, f.expected, f.actual
                );
            }
        }
        let _ = writeln!(out, "\nApplying the spec would do this:\n");
        out.push_str(&self::plan(plan, style));
    }
    let _ = writeln!(
        out,
        "\nCoverage: {} of {} dataset group(s) in {} are managed by this stack.",
        report.coverage.managed, report.coverage.total, plan.region
    );
    if !report.unmanaged.is_empty() {
        let _ = writeln!(out, "Unmanaged dataset groups:");
        for u in &report.unmanaged {
            let _ = writeln!(
                out,
                "  {} ({}) {}{}",
                u.name,
                u.status,
                u.arn,
                u.managed_by()
            );
        }
    }
    out
}
