//! The single entry point from a spec file to a validated `Spec`: read, parse,
//! structural checks, semantic checks, schema resolution. Its only I/O is
//! reading the spec and its Avro files; it never touches the network.

use std::io::Read;
use std::path::Path;
use std::sync::LazyLock;

use schemars::schema::RootSchema;
use sha2::{Digest, Sha256};

use super::locate::{At, Index, Issue};
use super::yaml::{self, Mark};
use super::{
    checks, data_checks, resolve, structure, Diagnostic, Location, Spec, SpecError, SpecFile,
};

/// Largest spec file read; real specs are a few kilobytes.
pub const MAX_SPEC_BYTES: usize = 1024 * 1024;

static SCHEMA: LazyLock<RootSchema> = LazyLock::new(super::json_schema);

/// Loads and validates a spec file, reporting every independent error at once.
pub fn load(path: &Path) -> Result<Spec, SpecError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SPEC_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            single(
                path,
                Mark::default(),
                format!("cannot read the spec: {e}"),
                "check the path given to -f",
            )
        })?;
    load_bytes(&bytes, path)
}

/// Validates spec content as if read from `path` (which names it in messages
/// and anchors relative Avro paths).
pub fn load_bytes(bytes: &[u8], path: &Path) -> Result<Spec, SpecError> {
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(single(
            path,
            Mark::default(),
            format!("the spec is larger than {MAX_SPEC_BYTES} bytes"),
            "a spec this large is almost certainly not a pzr spec; split it by stack",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        single(
            path,
            position_of(bytes, e.valid_up_to()),
            "the spec is not valid UTF-8".into(),
            "save the file as UTF-8",
        )
    })?;
    load_str(text, path)
}

/// Validates spec text as if read from `path`.
pub fn load_str(text: &str, path: &Path) -> Result<Spec, SpecError> {
    // Editors on Windows may save a byte order mark, which YAML allows but yaml-rust2 reads as text.
    let yaml_text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = yaml::parse(yaml_text).map_err(|e| {
        let hint = e.hint.clone().unwrap_or_default();
        single(path, e.mark, e.message, &hint)
    })?;
    let index = Index::build(&root, yaml_text);
    let checked = structure::check(&root, &SCHEMA);
    let mut issues = checked.issues;
    let mut resolved = None;
    let spec_dir = path.parent().unwrap_or(Path::new(""));
    if let Some(value) = checked.value {
        match serde_json::from_value::<SpecFile>(value) {
            Ok(file) => {
                let (schemas, schema_issues) = resolve::resolve_schemas(&file, spec_dir);
                let dropped = &checked.dropped;
                issues.extend(
                    schema_issues
                        .into_iter()
                        .chain(checks::check(&file, &schemas))
                        .filter(|issue| !dropped.iter().any(|d| issue.derives_from(d))),
                );
                resolved = Some((file, schemas));
            }
            // The structural pass mirrors the types, so this is a safety net.
            Err(e) => issues.push(Issue::value("", e.to_string(), "")),
        }
    }
    match resolved {
        Some((file, schemas)) if issues.is_empty() => {
            let schemas = schemas
                .into_iter()
                .map(|(key, parsed)| (key, parsed.resolved))
                .collect();
            Ok(Spec {
                path: path.to_path_buf(),
                digest: digest(text, &schemas),
                sandbox_buckets: data_checks::sandbox_buckets(&file, spec_dir),
                file,
                schemas,
            })
        }
        _ => Err(SpecError {
            diagnostics: diagnostics(path, &index, issues),
        }),
    }
}

/// SHA-256 over the spec text and each schema's canonical JSON, by key, so a
/// changed Avro file changes the digest even when the YAML did not change.
fn digest(
    text: &str,
    schemas: &std::collections::BTreeMap<String, super::ResolvedSchema>,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    for (key, schema) in schemas {
        hasher.update([0]);
        hasher.update(key.as_bytes());
        hasher.update([0]);
        hasher.update(schema.canonical.as_bytes());
    }
    hex::encode(hasher.finalize())
}

fn diagnostics(path: &Path, index: &Index, issues: Vec<Issue>) -> Vec<Diagnostic> {
    let spec_file = path.display().to_string();
    let in_spec = |path: &str, at| {
        let mark = index.locate(path, at);
        Location {
            file: spec_file.clone(),
            line: mark.line,
            column: mark.column,
            path: path.to_string(),
        }
    };
    let mut diagnostics: Vec<Diagnostic> = issues
        .into_iter()
        .map(|issue| {
            let in_schema = issue.in_schema.map(|s| *s).unwrap_or_default();
            let here = match in_schema.external {
                Some(external) => Location {
                    file: external.file,
                    line: external.mark.line,
                    column: external.mark.column,
                    path: external.path,
                },
                None => in_spec(&issue.path, issue.at),
            };
            Diagnostic {
                file: here.file,
                line: here.line,
                column: here.column,
                path: here.path,
                message: issue.message,
                hint: issue.hint,
                used_by: in_schema.used_by.map(|used| in_spec(&used, At::Value)),
            }
        })
        .collect();
    // The spec's own findings first, then each other file's, by position.
    diagnostics.sort_by(|a, b| {
        (a.file != spec_file, &a.file, a.line, a.column).cmp(&(
            b.file != spec_file,
            &b.file,
            b.line,
            b.column,
        ))
    });
    diagnostics
}

fn single(path: &Path, mark: Mark, message: String, hint: &str) -> SpecError {
    SpecError {
        diagnostics: vec![Diagnostic {
            file: path.display().to_string(),
            line: mark.line,
            column: mark.column,
            path: String::new(),
            message,
            hint: (!hint.is_empty()).then(|| hint.to_string()),
            used_by: None,
        }],
    }
}

/// 1-based line and column (in characters) of byte `offset`.
fn position_of(bytes: &[u8], offset: usize) -> Mark {
    let before = String::from_utf8_lossy(&bytes[..offset.min(bytes.len())]).into_owned();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Mark { line, column }
}
