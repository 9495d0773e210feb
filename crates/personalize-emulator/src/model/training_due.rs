//! When each solution's automatic trainings must next be looked at, so that
//! `settle` looks only at the solutions where one can have fallen due
//! rather than at every solution before every request. Never stored: after
//! a load every solution is looked at once.

use std::collections::{BTreeSet, HashMap};

use crate::clock::Millis;

#[derive(Debug, Default)]
pub(super) struct Schedule {
    /// Solution ARN → when to look at it.
    at: HashMap<String, Millis>,
    /// (when, solution ARN), the same entries by time.
    queue: BTreeSet<(Millis, String)>,
}

impl Schedule {
    /// Looks at the solution `arn` at `when`, instead of when it was due to
    /// be (`None`: not until it changes).
    pub(super) fn set(&mut self, arn: &str, when: Option<Millis>) {
        if let Some(previous) = self.at.remove(arn) {
            self.queue.remove(&(previous, arn.to_string()));
        }
        if let Some(when) = when {
            self.at.insert(arn.to_string(), when);
            self.queue.insert((when, arn.to_string()));
        }
    }

    /// The solutions to look at by `now`.
    pub(super) fn due(&self, now: Millis) -> Vec<String> {
        due_by(&self.queue, now)
    }
}

/// The ARNs of a (time, ARN) queue whose time has come by `now`.
pub(super) fn due_by(queue: &BTreeSet<(Millis, String)>, now: Millis) -> Vec<String> {
    queue
        .iter()
        .take_while(|(when, _)| *when <= now)
        .map(|(_, arn)| arn.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_solution_is_due_once_at_its_latest_time() {
        let mut s = Schedule::default();
        s.set("a", Some(5));
        s.set("b", Some(9));
        s.set("a", Some(20));
        assert_eq!(s.due(10), vec!["b".to_string()]);
        s.set("b", None);
        assert_eq!(s.due(30), vec!["a".to_string()]);
        assert_eq!(s.queue.len(), s.at.len());
    }
}
