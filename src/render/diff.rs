//! Line diffs of a change's before/after, with `similar`.

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use crate::plan::{Change, READ_ONLY_FIELDS};

/// One line of a change's diff: `' '`, `'+'` or `'-'`, and its text.
pub type DiffLine = (char, String);

/// Pretty JSON of a value without its read-only fields, one line each.
fn lines(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return String::new();
    };
    let mut value = value.clone();
    if let Value::Object(map) = &mut value {
        for k in READ_ONLY_FIELDS {
            map.remove(k);
        }
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The unified diff (3 lines of context) of before and after; creates and
/// deletes show every line added or removed.
pub fn change_diff(change: &Change) -> Vec<DiffLine> {
    let (old, new) = (lines(change.before.as_ref()), lines(change.after.as_ref()));
    let diff = TextDiff::from_lines(&old, &new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            out.push((' ', "...".to_string()));
        }
        for op in group {
            for c in diff.iter_changes(op) {
                let sign = match c.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Insert => '+',
                    ChangeTag::Delete => '-',
                };
                out.push((sign, c.value().trim_end_matches('\n').to_string()));
            }
        }
    }
    out
}
