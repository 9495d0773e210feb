//! No input makes the loader panic or hang: arbitrary bytes, mutated valid
//! specs, deep nesting, huge scalars, invalid UTF-8 and alias bombs all end in
//! a `Spec` or diagnostics, quickly.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use pzr::spec::{load_bytes, load_str};

use crate::support::files::{spec_fixtures, valid_spec_text};

/// Generous for a debug build on a loaded machine; a hang or blow-up is far slower.
const BUDGET: Duration = Duration::from_secs(2);

fn spec_path() -> PathBuf {
    spec_fixtures().join("spec.yaml")
}

/// Loads `bytes` and requires an answer within the budget; returns whether it was valid.
fn loads_quickly(bytes: &[u8]) -> bool {
    let start = Instant::now();
    let result = load_bytes(bytes, &spec_path());
    let elapsed = start.elapsed();
    assert!(
        elapsed < BUDGET,
        "took {elapsed:?} on {} bytes",
        bytes.len()
    );
    if let Err(e) = &result {
        assert!(!e.diagnostics.is_empty(), "an error must carry diagnostics");
    }
    result.is_ok()
}

/// Fragments that are significant to YAML or to the spec.
const FRAGMENTS: &[&str] = &[
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a",
    "!!str ",
    "!x ",
    "\t",
    "\"",
    "'",
    "\n",
    "  ",
    "~",
    "null",
    "1e999",
    ".nan",
    "99999999999999999999999",
    "---\n",
    "...\n",
    "#",
    "|\n",
    ">-\n",
    "?",
    "%YAML 1.2\n",
    "\u{feff}",
    "é",
    "\u{0}",
    "stack: x\n",
    "version: 1\n",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, fragment: usize },
    DuplicateLine { line: usize },
    InvalidByte { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 0..FRAGMENTS.len())
            .prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        any::<usize>().prop_map(|at| Mutation::InvalidByte { at }),
    ]
}

fn apply(mut bytes: Vec<u8>, mutation: &Mutation) -> Vec<u8> {
    let len = bytes.len().max(1);
    match *mutation {
        Mutation::Delete { at, len: n } => {
            let start = at % len;
            let end = (start + n).min(bytes.len());
            bytes.drain(start.min(end)..end);
        }
        Mutation::Insert { at, fragment } => {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, FRAGMENTS[fragment].bytes());
        }
        Mutation::DuplicateLine { line } => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            if !lines.is_empty() {
                let i = line % lines.len();
                lines.insert(i, lines[i]);
            }
            bytes = lines.concat().into_bytes();
        }
        Mutation::InvalidByte { at } => {
            let at = at % (bytes.len() + 1);
            bytes.insert(at, 0xff);
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        loads_quickly(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[ -~\n\t]{0,512}") {
        loads_quickly(text.as_bytes());
    }

    #[test]
    fn mutated_valid_specs_never_panic(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let mutated = mutations.iter().fold(valid_spec_text().into_bytes(), apply);
        loads_quickly(&mutated);
    }

    #[test]
    fn deep_nesting_is_refused_quickly(depth in 1usize..50_000, flow_mapping in any::<bool>()) {
        let (open, close) = if flow_mapping { ("{a: ", "}") } else { ("[", "]") };
        let text = format!("version: 1\nstack: s\nschemas: {}{}\n", open.repeat(depth), close.repeat(depth));
        prop_assert!(!loads_quickly(text.as_bytes()));
    }

    #[test]
    fn alias_bombs_are_refused_quickly(width in 2usize..12, depth in 2usize..12) {
        let mut text = String::from("version: 1\nstack: s\na0: &a0 [x]\n");
        for level in 1..depth {
            let refs = vec![format!("*a{}", level - 1); width].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        loads_quickly(text.as_bytes());
    }
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let mut text = String::from("version: 1\nstack: s\nlol0: &lol0 \"lol\"\n");
    for level in 1..10 {
        let refs = vec![format!("*lol{}", level - 1); 10].join(",");
        text.push_str(&format!("lol{level}: &lol{level} [{refs}]\n"));
    }
    let start = Instant::now();
    let err = load_str(&text, &spec_path()).unwrap_err();
    assert!(start.elapsed() < BUDGET);
    assert!(
        err.diagnostics[0]
            .message
            .contains("counting alias expansions"),
        "{err}"
    );
}

#[test]
fn deep_block_nesting_is_refused_quickly() {
    let mut text = String::from("version: 1\nstack: s\nschemas:\n");
    for level in 0..400 {
        text.push_str(&format!("{}k{level}:\n", " ".repeat(2 * (level + 1))));
    }
    assert!(!loads_quickly(text.as_bytes()));
}

#[test]
fn huge_scalars_are_handled_quickly() {
    let huge = "x".repeat(900 * 1024);
    let text = format!("version: 1\nstack: {huge}\n");
    let err = load_str(&text, &spec_path()).unwrap_err();
    assert_eq!(err.diagnostics[0].path, "stack");
    let too_big = format!("version: 1\nstack: {}\n", "x".repeat(1024 * 1024));
    assert!(!loads_quickly(too_big.as_bytes()));
    let huge_number = format!("version: {}\nstack: s\n", "9".repeat(100_000));
    assert!(!loads_quickly(huge_number.as_bytes()));
}
