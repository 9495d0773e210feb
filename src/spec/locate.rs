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
    /// A character of a string value (0-based offset in its text), such as
    /// the bad token of a filter expression.
    Inside(usize),
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

    /// Points the finding at character `offset` of the string value.
    pub fn inside(mut self, offset: usize) -> Issue {
        self.at = At::Inside(offset);
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

/// Where each field path is written: its key (for mapping entries) and its
/// value, and the text they were read from (to place `At::Inside`).
#[derive(Debug, Default)]
pub struct Index {
    marks: HashMap<String, (Option<Mark>, Mark)>,
    scalars: HashMap<String, String>,
    source: Vec<char>,
}

impl Index {
    pub fn build(root: &Node, source: &str) -> Index {
        let mut index = Index {
            source: source.chars().collect(),
            ..Index::default()
        };
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
            NodeKind::Scalar { text, .. } => {
                self.scalars.insert(path.to_string(), text.clone());
            }
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
                    (At::Inside(offset), _) if current == path => self
                        .scalars
                        .get(path)
                        .and_then(|text| self.inside(*value_mark, text, offset))
                        .unwrap_or(*value_mark),
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

impl Index {
    /// Where character `offset` of the scalar `text`, written at `start`,
    /// lies in the source. The scalar's text is matched against its source
    /// character by character, skipping what YAML drops (the opening quote,
    /// a doubled `''`, a `\` escape, line breaks and indentation folded
    /// into a space or kept as `\n`), so plain, quoted and block scalars
    /// (whose mark is their first content line) all resolve; `None` when
    /// the text cannot be matched (an escape such as `\u0041`), and the
    /// caller falls back to the scalar's start.
    fn inside(&self, start: Mark, text: &str, offset: usize) -> Option<Mark> {
        let mut positions = Vec::new();
        let (mut line, mut column) = (1, 1);
        for (i, c) in self.source.iter().enumerate() {
            if (line, column) >= (start.line, start.column) {
                positions.push((i, Mark { line, column }));
            }
            if *c == '\n' {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
        }
        let source: Vec<(char, Mark)> = positions
            .into_iter()
            .map(|(i, mark)| (self.source[i], mark))
            .collect();
        let value: Vec<char> = text.chars().collect();
        let mut p = usize::from(matches!(source.first(), Some(('\'' | '"', _))));
        for (i, c) in value.iter().enumerate().take(offset + 1) {
            if c.is_whitespace() {
                // A folded or kept line break stands for the break and the
                // next line's indentation.
                if !source.get(p)?.0.is_whitespace() {
                    return None;
                }
                p += 1;
                if value.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
                    while source.get(p).is_some_and(|(s, _)| s.is_whitespace()) {
                        p += 1;
                    }
                }
                if i == offset {
                    return source.get(p - 1).map(|(_, mark)| *mark);
                }
                continue;
            }
            // Skip escape characters YAML drops (`\`, the second `'`).
            let skipped = source[p..].iter().take(4).position(|(s, _)| s == c)?;
            p += skipped;
            if i == offset {
                return Some(source[p].1);
            }
            p += 1;
        }
        None
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
        let text = "stack: a\ndatasetGroups:\n  - name: g\n    tags: {\"a b\": x}\n";
        let index = Index::build(&parse(text).unwrap(), text);
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

    #[test]
    fn offsets_inside_plain_quoted_and_block_scalars_locate_their_character() {
        let text = "a: x IN (1)\nb: 'it''s IN'\nc: \"q\\\"x IN\"\nd: |\n  one\n  two IN\ne: >-\n  one\n  two IN\n";
        let index = Index::build(&parse(text).unwrap(), text);
        let at = |path: &str, offset| index.locate(path, At::Inside(offset));
        assert_eq!(at("a", 2), Mark { line: 1, column: 6 });
        // 'it''s IN': the doubled quote is one character of the value.
        assert_eq!(
            at("b", 5),
            Mark {
                line: 2,
                column: 11
            }
        );
        assert_eq!(
            at("c", 4),
            Mark {
                line: 3,
                column: 10
            }
        );
        assert_eq!(at("d", 8), Mark { line: 6, column: 7 });
        assert_eq!(at("e", 8), Mark { line: 9, column: 7 });
        // Out of range: the scalar's start.
        assert_eq!(at("a", 99), Mark { line: 1, column: 4 });
    }
}
