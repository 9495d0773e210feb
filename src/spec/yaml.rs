//! A YAML document read into a tree that remembers where every node is, with
//! hard limits so no input can exhaust the stack or memory (deep nesting,
//! alias "billion laughs" bombs).

use std::collections::HashMap;

use serde_json::{Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 64;
/// Most nodes a document may hold, counting every alias expansion: room
/// for the largest accounts (a group with three datasets, an event tracker
/// and a filter is about 30 values: 5,000 of them fit) while an alias bomb
/// is refused within a second even in a debug build.
pub const MAX_NODES: usize = 200_000;

/// A 1-based position in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

impl Mark {
    fn from_marker(marker: &Marker) -> Mark {
        // yaml-rust2 counts lines from 1 and columns from 0.
        Mark {
            line: marker.line(),
            column: marker.col() + 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub mark: Mark,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `plain` scalars are subject to YAML 1.2 core type resolution
    /// (`true`, `12`, `null`); quoted and block scalars are always strings.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_mark: Mark,
    pub value: Node,
}

/// A plain scalar's resolved type (YAML 1.2 core schema).
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

/// Why a document could not be read as a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub mark: Mark,
    pub message: String,
    pub hint: Option<String>,
}

impl YamlError {
    fn new(mark: Mark, message: impl Into<String>, hint: Option<&str>) -> YamlError {
        YamlError {
            mark,
            message: message.into(),
            hint: hint.map(str::to_string),
        }
    }
}

impl Node {
    /// Short name of the node's type for messages ("a mapping", "a string", ...).
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Map(_) => "a mapping",
            NodeKind::Seq(_) => "a list",
            NodeKind::Scalar { text, plain } => match resolve_scalar(text, *plain) {
                Resolved::Null => "null",
                Resolved::Bool(_) => "a boolean",
                Resolved::Int(_) => "an integer",
                Resolved::Float(_) => "a number",
                Resolved::Str => "a string",
            },
        }
    }

    /// The node as JSON, with YAML 1.2 core scalar resolution. Fails on
    /// values JSON cannot hold (`.nan`, `.inf`).
    pub fn to_json(&self) -> Result<Value, YamlError> {
        Ok(match &self.kind {
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| Ok((e.key.clone(), e.value.to_json()?)))
                    .collect::<Result<_, YamlError>>()?,
            ),
            NodeKind::Seq(items) => Value::Array(
                items
                    .iter()
                    .map(Node::to_json)
                    .collect::<Result<_, YamlError>>()?,
            ),
            NodeKind::Scalar { text, plain } => match resolve_scalar(text, *plain) {
                Resolved::Null => Value::Null,
                Resolved::Bool(b) => Value::Bool(b),
                Resolved::Int(i) => Value::Number(i.into()),
                Resolved::Float(f) => Value::Number(Number::from_f64(f).ok_or_else(|| {
                    YamlError::new(
                        self.mark,
                        format!("`{text}` cannot be represented in JSON"),
                        None,
                    )
                })?),
                Resolved::Str => Value::String(text.clone()),
            },
        })
    }
}

/// Resolves a scalar's type as the YAML 1.2 core schema does.
pub fn resolve_scalar(text: &str, plain: bool) -> Resolved {
    if !plain {
        return Resolved::Str;
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let int = if let Some(oct) = text.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()
    } else if let Some(hex) = text.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if is_decimal_int(text) {
        text.parse::<i64>().ok()
    } else {
        None
    };
    if let Some(i) = int {
        return Resolved::Int(i);
    }
    if is_decimal_int(text) || is_float(text) {
        // Integers too large for i64 keep their value as a float, as serde_yaml does.
        if let Ok(f) = text.parse::<f64>() {
            return Resolved::Float(f);
        }
    }
    Resolved::Str
}

fn is_decimal_int(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac_part {
        Some(f) => all_digits(int_part) && all_digits(f) && !(int_part.is_empty() && f.is_empty()),
        None => !int_part.is_empty() && all_digits(int_part),
    };
    let exponent_ok = exponent.is_none_or(is_decimal_int);
    mantissa_ok && exponent_ok
}

/// Parses a single YAML document into a tree.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut builder = Builder {
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        nodes: 0,
    };
    builder.document()
}

/// The parser's words for a broken document, said as what is wrong with
/// the text and what to do; the parser's own words stay, after.
fn explain(info: &str) -> (String, &'static str) {
    let (what, hint) = if info.contains("did not find expected '-' indicator") {
        (
            "this line is not indented as the list it is in",
            "list items start with `- ` at the same column; a key of an item goes two columns right of its `- `",
        )
    } else if info.contains("did not find expected key") {
        (
            "this line is not indented as the keys beside it",
            "keys of one mapping start at the same column; check this line's indentation against the key above it",
        )
    } else if info.contains("mapping values are not allowed") {
        (
            "a `key: value` where a plain value was expected",
            "quote a value that contains `: `, or put the key on its own line, indented under its parent",
        )
    } else if info.contains("found character that cannot start any token") {
        (
            "a character YAML cannot start a value with (a tab, `@` or a backquote)",
            "indent with spaces, not tabs; quote a value that starts with `@` or a backquote",
        )
    } else {
        (
            "the text is not valid YAML",
            "check the indentation and quoting around this position",
        )
    };
    (format!("invalid YAML: {what} ({info})"), hint)
}

struct Builder<'a> {
    parser: Parser<std::str::Chars<'a>>,
    /// Anchored nodes by anchor id, with their node counts (for the alias budget).
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
}

impl Builder<'_> {
    fn next(&mut self) -> Result<(Event, Mark), YamlError> {
        self.parser
            .next_token()
            .map(|(event, marker)| (event, Mark::from_marker(&marker)))
            .map_err(|e| {
                let (message, hint) = explain(e.info());
                YamlError::new(Mark::from_marker(e.marker()), message, Some(hint))
            })
    }

    fn document(&mut self) -> Result<Node, YamlError> {
        let mut root = None;
        loop {
            let (event, mark) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::DocumentStart if root.is_some() => {
                    return Err(YamlError::new(
                        mark,
                        "the spec must be a single YAML document",
                        Some("remove the second `---` and everything after it, or split it into another spec file"),
                    ))
                }
                Event::DocumentStart => {}
                Event::StreamEnd => {
                    return root.ok_or_else(|| {
                        YamlError::new(
                            mark,
                            "the spec is empty",
                            Some("start with `version: 1` and `stack: <name>`"),
                        )
                    })
                }
                other => root = Some(self.node(other, mark, 0)?),
            }
        }
    }

    fn node(&mut self, event: Event, mark: Mark, depth: usize) -> Result<Node, YamlError> {
        if depth > MAX_DEPTH {
            return Err(YamlError::new(
                mark,
                format!("nesting deeper than {MAX_DEPTH} levels"),
                Some("flatten the structure; no spec field nests this deep"),
            ));
        }
        let start = self.nodes;
        let (node, anchor) = match event {
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(YamlError::new(
                        mark,
                        "alias to an unknown anchor",
                        Some("define `&name` before using `*name`"),
                    ));
                };
                // Count before copying, so a bomb is refused before it costs memory.
                count(&mut self.nodes, *size, mark)?;
                return Ok(node.clone());
            }
            Event::Scalar(text, style, anchor, tag) => {
                count(&mut self.nodes, 1, mark)?;
                let forced_string = check_tag(tag.as_ref(), mark)?;
                let plain = style == TScalarStyle::Plain && !forced_string;
                (
                    Node {
                        mark,
                        kind: NodeKind::Scalar { text, plain },
                    },
                    anchor,
                )
            }
            Event::SequenceStart(anchor, tag) => {
                count(&mut self.nodes, 1, mark)?;
                check_tag(tag.as_ref(), mark)?;
                let mut items = Vec::new();
                loop {
                    let (event, item_mark) = self.next()?;
                    if event == Event::SequenceEnd {
                        break;
                    }
                    items.push(self.node(event, item_mark, depth + 1)?);
                }
                (
                    Node {
                        mark,
                        kind: NodeKind::Seq(items),
                    },
                    anchor,
                )
            }
            Event::MappingStart(anchor, tag) => {
                count(&mut self.nodes, 1, mark)?;
                check_tag(tag.as_ref(), mark)?;
                let entries = self.entries(depth)?;
                // yaml-rust2 marks a block mapping after its first key; point at the key.
                let first_key = entries.first().map_or(mark, |e| e.key_mark);
                let mark = std::cmp::min_by_key(mark, first_key, |m| (m.line, m.column));
                (
                    Node {
                        mark,
                        kind: NodeKind::Map(entries),
                    },
                    anchor,
                )
            }
            other => {
                return Err(YamlError::new(
                    mark,
                    format!("unexpected YAML event {other:?}"),
                    None,
                ))
            }
        };
        if anchor != 0 {
            let size = self.nodes - start;
            self.anchors.insert(anchor, (node.clone(), size));
        }
        Ok(node)
    }

    fn entries(&mut self, depth: usize) -> Result<Vec<Entry>, YamlError> {
        let mut entries: Vec<Entry> = Vec::new();
        loop {
            let (event, key_mark) = self.next()?;
            if event == Event::MappingEnd {
                return Ok(entries);
            }
            let key_node = self.node(event, key_mark, depth + 1)?;
            let key = match key_node.kind {
                NodeKind::Scalar { text, .. } => text,
                _ => {
                    return Err(YamlError::new(
                        key_mark,
                        "mapping keys must be plain strings",
                        Some("use a simple `key: value` here"),
                    ))
                }
            };
            if entries.iter().any(|e| e.key == key) {
                return Err(YamlError::new(
                    key_mark,
                    format!("duplicate key `{key}`"),
                    Some("each key may appear once in a mapping; remove or merge the duplicates"),
                ));
            }
            let (event, value_mark) = self.next()?;
            let value = self.node(event, value_mark, depth + 1)?;
            entries.push(Entry {
                key,
                key_mark,
                value,
            });
        }
    }
}

/// Adds `n` nodes to the document's total, refusing documents over `MAX_NODES`.
fn count(nodes: &mut usize, n: usize, mark: Mark) -> Result<(), YamlError> {
    *nodes = nodes.saturating_add(n);
    if *nodes > MAX_NODES {
        return Err(YamlError::new(
            mark,
            format!("the document has more than {MAX_NODES} values (counting alias expansions)"),
            Some("a spec this large is almost certainly a mistake or an alias bomb; reduce aliases (`*name`)"),
        ));
    }
    Ok(())
}

/// Accepts no tag or `!!str`; returns whether the scalar is forced to a string.
fn check_tag(tag: Option<&Tag>, mark: Mark) -> Result<bool, YamlError> {
    match tag {
        None => Ok(false),
        Some(t) if (t.handle == "tag:yaml.org,2002:" || t.handle == "!!") && t.suffix == "str" => {
            Ok(true)
        }
        Some(t) => Err(YamlError::new(
            mark,
            format!("unsupported YAML tag `{}{}`", t.handle, t.suffix),
            Some("remove the tag; quote the value to make it a string"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(node: &Node) -> (&str, bool) {
        match &node.kind {
            NodeKind::Scalar { text, plain } => (text, *plain),
            other => panic!("not a scalar: {other:?}"),
        }
    }

    #[test]
    fn marks_are_one_based() {
        let root = parse("a: 1\nb:\n  - x\n").unwrap();
        let NodeKind::Map(entries) = &root.kind else {
            panic!()
        };
        assert_eq!(entries[0].key_mark, Mark { line: 1, column: 1 });
        assert_eq!(entries[0].value.mark, Mark { line: 1, column: 4 });
        let NodeKind::Seq(items) = &entries[1].value.kind else {
            panic!()
        };
        assert_eq!(items[0].mark, Mark { line: 3, column: 5 });
        assert_eq!(scalar(&items[0]), ("x", true));
    }

    #[test]
    fn scalars_resolve_like_yaml_1_2_core() {
        assert_eq!(resolve_scalar("1", true), Resolved::Int(1));
        assert_eq!(resolve_scalar("0x1f", true), Resolved::Int(31));
        assert_eq!(resolve_scalar("1.5e3", true), Resolved::Float(1500.0));
        assert_eq!(resolve_scalar("no", true), Resolved::Str);
        assert_eq!(resolve_scalar("~", true), Resolved::Null);
        assert_eq!(resolve_scalar("true", true), Resolved::Bool(true));
        assert_eq!(resolve_scalar("true", false), Resolved::Str);
        assert_eq!(resolve_scalar("1.2.3", true), Resolved::Str);
        assert_eq!(resolve_scalar(".", true), Resolved::Str);
    }

    #[test]
    fn str_tag_forces_a_string_and_other_tags_are_refused() {
        let root = parse("a: !!str 12").unwrap();
        assert_eq!(root.to_json().unwrap(), serde_json::json!({"a": "12"}));
        assert!(parse("a: !custom 12")
            .unwrap_err()
            .message
            .contains("unsupported YAML tag"));
    }

    #[test]
    fn aliases_expand_within_budget_and_bombs_are_refused() {
        let ok = parse("a: &x {k: v}\nb: *x\n").unwrap();
        assert_eq!(
            ok.to_json().unwrap(),
            serde_json::json!({"a": {"k": "v"}, "b": {"k": "v"}})
        );
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let err = parse(&bomb).unwrap_err();
        assert!(
            err.message
                .contains(&format!("more than {MAX_NODES} values")),
            "{err:?}"
        );
    }

    #[test]
    fn deep_nesting_and_duplicates_and_multiple_documents_are_refused() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let err = parse(&deep(100)).unwrap_err();
        assert!(err.message.contains("nesting deeper"), "{err:?}");
        // yaml-rust2 itself stops at its own recursion limit first.
        assert!(parse(&deep(100_000)).is_err());
        let dup = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!((dup.mark.line, dup.mark.column), (2, 1));
        assert!(parse("a: 1\n---\nb: 2\n")
            .unwrap_err()
            .message
            .contains("single YAML document"));
        assert!(parse("").unwrap_err().message.contains("empty"));
    }
}
