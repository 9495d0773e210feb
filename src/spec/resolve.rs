//! Resolves each schema of the spec to its Avro content: reads `file`
//! (relative to the spec) or takes the inline `definition`, parses and
//! canonicalises it, and names it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde_json::Value;

use super::jsonpos;
use super::locate::{child_index, child_key, External, Issue};
use super::yaml::Mark;
use super::{ResolvedSchema, SchemaSpec, SpecFile};
use crate::avro;
use crate::rules::{self, Violation};

/// Largest Avro file read; anything near it is far over Personalize's limit anyway.
const MAX_AVRO_FILE_BYTES: u64 = 1024 * 1024;

/// A schema whose Avro content parsed.
pub struct Parsed {
    /// The Avro schema as JSON, for field checks.
    pub avro: Value,
    pub resolved: ResolvedSchema,
    origin: Origin,
}

/// Where a schema's text was written, to place findings inside it.
enum Origin {
    /// An `.avsc` file: its name as shown, its text, and the spec's `file:` path.
    File {
        shown: String,
        text: String,
        path: String,
    },
    /// An inline `definition` written as YAML: each JSON path is a spec path under it.
    Mapping { path: String },
    /// An inline `definition` written as a JSON string, located as a whole
    /// (a YAML scalar's escapes and folding make inner columns unreliable).
    Text { path: String },
}

impl Parsed {
    /// A broken rule as a finding placed inside the schema's text, with the
    /// spec path that uses the schema (a dataset's `schema:`), if any.
    pub fn issue(&self, violation: &Violation, used_by: Option<&str>) -> Issue {
        let message = format!("schema `{}`: {}", self.resolved.key, violation.message);
        let hint = format!("{} (rule: {})", violation.hint, violation.source);
        let pointer = violation.pointer.as_str();
        let issue = match &self.origin {
            Origin::File { shown, text, path } => {
                let reference = used_by.unwrap_or(path);
                let external = External {
                    file: shown.clone(),
                    mark: jsonpos::locate(text, pointer).unwrap_or(Mark { line: 1, column: 1 }),
                    path: json_path("", pointer),
                };
                return Issue::value(reference, message, hint)
                    .outside(external)
                    .used_by(reference);
            }
            Origin::Mapping { path } => {
                let inner = json_path(path, pointer);
                match pointer.rsplit('/').next() {
                    Some(last) if last.parse::<usize>().is_err() && !last.is_empty() => {
                        Issue::key(inner, message, hint)
                    }
                    _ => Issue::value(inner, message, hint),
                }
            }
            Origin::Text { path } => {
                let message = format!(
                    "schema `{}`: {}: {}",
                    self.resolved.key,
                    json_path("", pointer),
                    violation.message
                );
                Issue::value(path, message, hint)
            }
        };
        match used_by {
            Some(used_by) => issue.used_by(used_by),
            None => issue,
        }
    }
}

/// `parent.fields[2].type` for the pointer `/fields/2/type`.
fn json_path(parent: &str, pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(jsonpos::unescape)
        .fold(parent.to_string(), |path, segment| {
            match segment.parse::<usize>() {
                Ok(index) if !path.is_empty() => child_index(&path, index),
                _ => child_key(&path, &segment),
            }
        })
}

/// Resolves every schema; the map holds those that parsed, the issues say
/// why the others did not.
pub fn resolve_schemas(spec: &SpecFile, spec_dir: &Path) -> (BTreeMap<String, Parsed>, Vec<Issue>) {
    let mut parsed = BTreeMap::new();
    let mut issues = Vec::new();
    for (key, schema) in &spec.schemas {
        let path = child_key("schemas", key);
        match resolve_one(&spec.stack, key, schema, spec_dir, &path) {
            Ok(p) => {
                // What CreateSchema would refuse, whichever dataset uses it.
                let violations = rules::check_schema(&p.avro);
                issues.extend(violations.iter().map(|v| p.issue(v, None)));
                parsed.insert(key.clone(), p);
            }
            Err(issue) => issues.push(issue),
        }
    }
    (parsed, issues)
}

fn resolve_one(
    stack: &str,
    key: &str,
    schema: &SchemaSpec,
    spec_dir: &Path,
    path: &str,
) -> Result<Parsed, Issue> {
    let (text, origin) = match (&schema.file, &schema.definition) {
        (Some(_), Some(_)) => {
            return Err(Issue::value(
                path,
                "has both `file` and `definition`",
                "keep one: `file` for an .avsc next to the spec, or `definition` inline",
            ))
        }
        (None, None) => {
            return Err(Issue::value(
                path,
                "has neither `file` nor `definition`",
                "add `file: avro/<name>.avsc` (relative to the spec) or an inline `definition`",
            )
            .depending_on(child_key(path, "file"))
            .depending_on(child_key(path, "definition")))
        }
        (Some(file), None) => {
            let path = child_key(path, "file");
            let text = read_avro_file(spec_dir, file, &path)?;
            let shown = spec_dir.join(file).display().to_string();
            let origin = Origin::File {
                shown,
                text: text.clone(),
                path,
            };
            (text, origin)
        }
        (None, Some(definition)) => {
            let path = child_key(path, "definition");
            let text = inline_text(definition, &path)?;
            let origin = match definition {
                Value::String(_) => Origin::Text { path },
                _ => Origin::Mapping { path },
            };
            (text, origin)
        }
    };
    let text_path = match &origin {
        Origin::File { path, .. } | Origin::Mapping { path } | Origin::Text { path } => {
            path.clone()
        }
    };
    let avro = avro::parse(&text).map_err(|e| {
        let issue = Issue::value(
            &text_path,
            format!("schema `{key}`: {e}"),
            "write an Avro record schema: {\"type\": \"record\", \"name\": ..., \"fields\": [...]}",
        );
        // Text that is not JSON is placed where the parser stopped, in the
        // `.avsc` itself, not at the spec's reference to it.
        match (&origin, serde_json::from_str::<serde_json::Value>(&text)) {
            (Origin::File { shown, path, .. }, Err(json)) => issue
                .outside(External {
                    file: shown.clone(),
                    mark: Mark {
                        line: json.line().max(1),
                        column: json.column().max(1),
                    },
                    path: String::new(),
                })
                .used_by(path),
            _ => issue,
        }
    })?;
    let canonical = avro::canonical_json(&avro);
    let chars = canonical.chars().count();
    if chars > avro::MAX_SCHEMA_CHARS {
        return Err(Issue::value(
            &text_path,
            format!(
                "schema `{key}` is {chars} characters (canonical JSON); Personalize accepts at most {}",
                avro::MAX_SCHEMA_CHARS
            ),
            "remove fields or shorten docs; whitespace does not count",
        ));
    }
    let name = avro::managed_schema_name(stack, key, &canonical, schema.domain);
    Ok(Parsed {
        avro,
        resolved: ResolvedSchema {
            key: key.to_string(),
            canonical,
            domain: schema.domain,
            name,
        },
        origin,
    })
}

fn read_avro_file(spec_dir: &Path, file: &str, path: &str) -> Result<String, Issue> {
    let full = spec_dir.join(file);
    let unreadable = |why: String| {
        Issue::value(
            path,
            format!("cannot read Avro file {}: {why}", full.display()),
            match spec_dir.as_os_str().is_empty() {
                true => {
                    "the path is relative to the spec's directory (here, the current directory)"
                        .to_string()
                }
                false => format!(
                    "the path is relative to the spec's directory ({})",
                    spec_dir.display()
                ),
            },
        )
    };
    // Only regular files: opening a FIFO or device could block forever.
    match std::fs::metadata(&full) {
        Ok(meta) if !meta.is_file() => return Err(unreadable("not a regular file".into())),
        Err(e) => return Err(unreadable(e.to_string())),
        Ok(_) => {}
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&full)
        .and_then(|f| f.take(MAX_AVRO_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_AVRO_FILE_BYTES {
        return Err(unreadable(format!(
            "larger than {MAX_AVRO_FILE_BYTES} bytes"
        )));
    }
    String::from_utf8(bytes).map_err(|_| unreadable("not UTF-8 text".into()))
}

/// An inline definition: a JSON string, or a mapping written in YAML.
fn inline_text(definition: &Value, path: &str) -> Result<String, Issue> {
    match definition {
        Value::String(text) => Ok(text.clone()),
        Value::Object(_) => Ok(definition.to_string()),
        _ => Err(Issue::value(
            path,
            "`definition` must be a mapping or a JSON string",
            "write the Avro record inline as a mapping, or quote its JSON text",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Domain;

    const ITEMS: &str = r#"{"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
        "fields": [{"name": "ITEM_ID", "type": "string"}], "version": "1.0"}"#;

    fn spec_with(schema: SchemaSpec) -> SpecFile {
        SpecFile {
            version: 1,
            stack: "retail-prod".into(),
            region: None,
            ignore_tags: vec![],
            schemas: BTreeMap::from([("items".to_string(), schema)]),
            dataset_groups: vec![],
            sandbox: None,
        }
    }

    fn name_of(schema: SchemaSpec) -> String {
        let (parsed, issues) = resolve_schemas(&spec_with(schema), Path::new("."));
        assert_eq!(issues, vec![]);
        parsed["items"].resolved.name.clone()
    }

    fn inline(definition: Value, domain: Option<Domain>) -> SchemaSpec {
        SchemaSpec {
            file: None,
            definition: Some(definition),
            domain,
        }
    }

    #[test]
    fn names_are_pinned_and_ignore_formatting() {
        let as_string = inline(Value::String(ITEMS.into()), Some(Domain::Ecommerce));
        let reordered: Value = serde_json::from_str(
            r#"{"version":"1.0","fields":[{"type":"string","name":"ITEM_ID"}],
                "namespace":"com.amazonaws.personalize.schema","name":"Items","type":"record"}"#,
        )
        .unwrap();
        let as_mapping = inline(reordered, Some(Domain::Ecommerce));
        let name = name_of(as_string);
        assert_eq!(name, name_of(as_mapping));
        // Pinned (checked with Python hashlib): changing canonicalisation or
        // hashing would rename every managed schema.
        assert_eq!(name, "retail-prod_items_a9e902af");
        assert_ne!(name, name_of(inline(Value::String(ITEMS.into()), None)));
    }

    #[test]
    fn longest_stack_and_key_fit_the_name_limit() {
        let name = avro::managed_schema_name(&"s".repeat(32), &"k".repeat(20), "{}", None);
        assert_eq!(name.len(), 62);
        assert!(name.len() <= 63);
    }

    #[test]
    fn both_neither_and_bad_definitions_are_reported() {
        let both = SchemaSpec {
            file: Some("x.avsc".into()),
            definition: Some(Value::String(ITEMS.into())),
            domain: None,
        };
        let (_, issues) = resolve_schemas(&spec_with(both), Path::new("."));
        assert_eq!(issues[0].message, "has both `file` and `definition`");
        let (_, issues) = resolve_schemas(&spec_with(inline(Value::from(3), None)), Path::new("."));
        assert_eq!(issues[0].path, "schemas.items.definition");
        let (_, issues) = resolve_schemas(
            &spec_with(inline(Value::String("{".into()), None)),
            Path::new("."),
        );
        assert!(
            issues[0]
                .message
                .starts_with("schema `items`: not valid JSON"),
            "{issues:?}"
        );
    }
}
