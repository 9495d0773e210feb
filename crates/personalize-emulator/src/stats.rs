//! Request counters served at `GET /_emulator/stats`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The stats document: every request under its operation, every refusal
/// under its error code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub requests: BTreeMap<String, u64>,
    pub rejected: BTreeMap<String, u64>,
    pub throttled: u64,
    pub injected_errors: u64,
}

/// Operation name prefixes that change the account.
const MUTATING_PREFIXES: [&str; 7] = [
    "Create", "Delete", "Update", "Tag", "Untag", "Stop", "Start",
];

impl Stats {
    /// Requests to operations that can change the account
    /// (Create*, Delete*, Update*, Stop*, Start*, TagResource, UntagResource).
    pub fn mutating_requests(&self) -> u64 {
        self.requests
            .iter()
            .filter(|(op, _)| MUTATING_PREFIXES.iter().any(|p| op.starts_with(p)))
            .map(|(_, n)| n)
            .sum()
    }

    /// Requests to one operation.
    pub fn requests_to(&self, operation: &str) -> u64 {
        self.requests.get(operation).copied().unwrap_or(0)
    }

    /// Refusals with one error code.
    pub fn rejected_with(&self, code: &str) -> u64 {
        self.rejected.get(code).copied().unwrap_or(0)
    }
}

/// Thread-safe counters.
#[derive(Debug, Default)]
pub struct Counters(Mutex<Stats>);

impl Counters {
    fn update(&self, f: impl FnOnce(&mut Stats)) {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()));
    }

    pub fn request(&self, operation: &str) {
        self.update(|s| *s.requests.entry(operation.to_string()).or_default() += 1);
    }

    pub fn rejected(&self, code: &str) {
        self.update(|s| *s.rejected.entry(code.to_string()).or_default() += 1);
    }

    pub fn throttled(&self) {
        self.update(|s| s.throttled += 1);
    }

    pub fn injected_error(&self) {
        self.update(|s| s.injected_errors += 1);
    }

    pub fn snapshot(&self) -> Stats {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn reset(&self) {
        self.update(|s| *s = Stats::default());
    }
}
