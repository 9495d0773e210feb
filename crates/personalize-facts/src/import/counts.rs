//! What a dataset's data amounts to for training, counted as it streams by:
//! records, interactions per user (only up to the 2 the training minimum
//! asks about) and events per EVENT_TYPE. Memory grows with distinct users
//! and event types, never with rows.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// "at least 25 unique user IDs with at least two item interactions for
/// each" (https://docs.aws.amazon.com/personalize/latest/dg/limits.html,
/// Users): a user's interactions are counted up to this.
const ENOUGH_PER_USER: u8 = 2;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub records: u64,
    /// USER_ID → its interactions, up to `ENOUGH_PER_USER`.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    users: HashMap<String, u8>,
    /// EVENT_TYPE → records of that type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events_by_type: BTreeMap<String, u64>,
}

impl Counts {
    /// Counts one record: an interaction of `user` (if the dataset records
    /// users' interactions) of type `event_type` (if it has one).
    pub fn record(&mut self, user: Option<&str>, event_type: Option<&str>) {
        self.records += 1;
        if let Some(user) = user {
            match self.users.get_mut(user) {
                Some(n) => *n = (*n + 1).min(ENOUGH_PER_USER),
                None => {
                    self.users.insert(user.to_string(), 1);
                }
            }
        }
        if let Some(event_type) = event_type {
            *self
                .events_by_type
                .entry(event_type.to_string())
                .or_default() += 1;
        }
    }

    /// Adds `other` (an INCREMENTAL import adds to the bulk data).
    pub fn add(&mut self, other: &Counts) {
        self.records += other.records;
        for (user, n) in &other.users {
            let mine = self.users.entry(user.clone()).or_default();
            *mine = (*mine + n).min(ENOUGH_PER_USER);
        }
        for (event_type, n) in &other.events_by_type {
            *self.events_by_type.entry(event_type.clone()).or_default() += n;
        }
    }

    /// Distinct users with 2 or more interactions.
    pub fn users_with_two_or_more(&self) -> u64 {
        self.users
            .values()
            .filter(|n| **n >= ENOUGH_PER_USER)
            .count() as u64
    }

    /// Distinct users with any interaction.
    pub fn users(&self) -> u64 {
        self.users.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_users_with_two_or_more_across_imports() {
        let mut full = Counts::default();
        full.record(Some("u1"), Some("View"));
        full.record(Some("u1"), Some("View"));
        full.record(Some("u2"), Some("Purchase"));
        assert_eq!((full.records, full.users_with_two_or_more()), (3, 1));
        let mut incremental = Counts::default();
        incremental.record(Some("u2"), Some("View"));
        incremental.record(Some("u3"), None);
        full.add(&incremental);
        assert_eq!(full.records, 5);
        assert_eq!((full.users(), full.users_with_two_or_more()), (3, 2));
        assert_eq!(full.events_by_type["View"], 3);
        assert_eq!(full.events_by_type["Purchase"], 1);
    }

    #[test]
    fn a_users_count_stops_at_two() {
        let mut counts = Counts::default();
        for _ in 0..5 {
            counts.record(Some("u"), None);
        }
        assert_eq!(counts.users.get("u"), Some(&ENOUGH_PER_USER));
        let json = serde_json::to_value(&counts).unwrap();
        assert_eq!(serde_json::from_value::<Counts>(json).unwrap(), counts);
    }
}
