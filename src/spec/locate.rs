//! Field paths (`datasetGroups[0].datasets.items.schema`) and the index that
//! maps each path to where it is written, so every finding can name its line
//! and column.

use std::collections::HashMap;

use super::yaml::{Mark, Node, NodeKind};

/// Which part of a `key: value` pair a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Key,
    Value,
}

/// A place outside the spec a finding points at: a field of an `.avsc` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct External {
    /// The file as shown to people.
    pub file: String,
    pub mark: Mark,
    /// Field path inside the file, such as `fields[2].type`.
    pub path: String,
}

/// A problem found at a field path, before it is given a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub path: String,
    pub at: At,
    pub message: String,
    pub hint: Option<String>,
    /// Other paths whose values the finding was derived from.
    pub depends_on: Vec<String>,
    /// For findings inside a schema: where, and what uses the schema.
    pub in_schema: Option<Box<InSchema>>,
}

/// Where a finding inside a schema lies, and what uses the schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InSchema {
    /// Where the finding lies when that is outside the spec; the issue's
    /// `path` is then the spec's reference to it.
    pub external: Option<External>,
    /// The spec path that brings the schema in (a dataset's `schema:`),
    /// shown as "used by".
    pub used_by: Option<String>,
}

impl Issue {
    /// A problem with the value at `path`.
    pub fn value(
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Issue {
        Issue::new(path.into(), At::Value, message.into(), hint.into())
    }

    /// A problem with the key that ends `path`.
    pub fn key(
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Issue {
        Issue::new(path.into(), At::Key, message.into(), hint.into())
    }

    fn new(path: String, at: At, message: String, hint: String) -> Issue {
        Issue {
            path,
            at,
            message,
            hint: (!hint.is_empty()).then_some(hint),
            depends_on: Vec::new(),
            in_schema: None,
        }
    }

    /// Places the finding at `external`, outside the spec.
    pub fn outside(mut self, external: External) -> Issue {
        self.in_schema.get_or_insert_default().external = Some(external);
        self
    }

    /// Records the spec path that uses the finding's schema.
    pub fn used_by(mut self, path: &str) -> Issue {
        self.in_schema.get_or_insert_default().used_by = Some(path.into());
        self
    }

    /// Records that the finding was derived from the value at `path` too.
    pub fn depending_on(mut self, path: impl Into<String>) -> Issue {
        self.depends_on.push(path.into());
        self
    }

    /// Whether the finding may be an artefact of leaving out the value at
    /// `dropped`: it is about that value (or something inside it), or was
    /// derived from it.
    pub fn derives_from(&self, dropped: &str) -> bool {
        std::iter::once(&self.path)
            .chain(&self.depends_on)
            .any(|related| nested(related, dropped))
    }
}

/// Whether `path` is `ancestor` or lies under it.
fn nested(path: &str, ancestor: &str) -> bool {
    match path.strip_prefix(ancestor) {
        Some(rest) => rest.is_empty() || rest.starts_with(['.', '[']),
        None => false,
    }
}

/// `parent.key`, or `parent["odd key"]` when the key is not a plain identifier.
pub fn child_key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (parent.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{parent}.{key}"),
        (_, false) => format!("{parent}[{}]", serde_json::Value::String(key.to_string())),
    }
}

/// `parent[index]`.
pub fn child_index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// Where each field path is written: its key (for mapping entries) and its value.
#[derive(Debug, Default)]
pub struct Index {
    marks: HashMap<String, (Option<Mark>, Mark)>,
}

impl Index {
    pub fn build(root: &Node) -> Index {
        let mut index = Index::default();
        index.add("", None, root);
        index
    }

    fn add(&mut self, path: &str, key_mark: Option<Mark>, node: &Node) {
        self.marks.insert(path.to_string(), (key_mark, node.mark));
        match &node.kind {
            NodeKind::Map(entries) => {
                for entry in entries {
                    self.add(
                        &child_key(path, &entry.key),
                        Some(entry.key_mark),
                        &entry.value,
                    );
                }
            }
            NodeKind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.add(&child_index(path, i), None, item);
                }
            }
            NodeKind::Scalar { .. } => {}
        }
    }

    /// The position of `path`, or of its nearest written ancestor (a defaulted
    /// field has no position of its own).
    pub fn locate(&self, path: &str, at: At) -> Mark {
        let mut current = path;
        loop {
            if let Some((key_mark, value_mark)) = self.marks.get(current) {
                return match (at, key_mark) {
                    (At::Key, Some(key_mark)) => *key_mark,
                    _ => *value_mark,
                };
            }
            match parent_path(current) {
                Some(parent) => current = parent,
                None => return Mark { line: 1, column: 1 },
            }
        }
    }
}

fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    // A separator inside a quoted key (`tags["a.b"]`) cuts too early, which
    // only yields an unindexed prefix that the caller skips; each step is
    // strictly shorter, so the walk ends.
    let cut = path.rfind(['.', '[']).unwrap_or_default();
    Some(&path[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::yaml::parse;

    #[test]
    fn findings_derive_from_dropped_values_they_concern_or_depend_on() {
        let issue =
            Issue::value("datasetGroups[0].roleArn", "m", "h").depending_on("schemas.a.domain");
        assert!(issue.derives_from("datasetGroups[0].roleArn"));
        assert!(issue.derives_from("datasetGroups"));
        assert!(issue.derives_from("schemas.a"));
        assert!(issue.derives_from("schemas.a.domain"));
        assert!(!issue.derives_from("schemas.a.file"));
        assert!(!issue.derives_from("schemas.ab"));
        assert!(!issue.derives_from("datasetGroups[0].kmsKeyArn"));
    }

    #[test]
    fn paths_locate_keys_values_and_fall_back_to_ancestors() {
        let root =
            parse("stack: a\ndatasetGroups:\n  - name: g\n    tags: {\"a b\": x}\n").unwrap();
        let index = Index::build(&root);
        assert_eq!(
            index.locate("stack", At::Value),
            Mark { line: 1, column: 8 }
        );
        assert_eq!(
            index.locate("datasetGroups[0].name", At::Key),
            Mark { line: 3, column: 5 }
        );
        let odd = child_key("datasetGroups[0].tags", "a b");
        assert_eq!(odd, "datasetGroups[0].tags[\"a b\"]");
        assert_eq!(
            index.locate(&odd, At::Key),
            Mark {
                line: 4,
                column: 12
            }
        );
        assert_eq!(
            index.locate("datasetGroups[0].datasets.items", At::Value),
            Mark { line: 3, column: 5 }
        );
    }
}
