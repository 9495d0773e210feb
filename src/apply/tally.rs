//! An apply's outcome counted per resource, as the plan counts its changes:
//! a recommender created and then stopped, or a solution whose delete first
//! stops its training, is one resource, not two steps.

use std::collections::BTreeMap;

use super::Report;
use crate::plan::Step;
use crate::resource::Address;

/// How many resources ended each way: each as the worst of its steps.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub done: usize,
    pub deferred: usize,
    pub not_started: usize,
    pub stopped: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// Worst last: a resource with a failed step failed, whatever else it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Done,
    Deferred,
    NotStarted,
    Stopped,
    Skipped,
    Failed,
}

impl Report {
    /// The outcome per resource of `steps` (the plan's, which `self` reports on).
    pub fn tally(&self, steps: &[Step]) -> Tally {
        let mut worst: BTreeMap<&Address, Outcome> = BTreeMap::new();
        let ids = [
            (Outcome::Done, self.done.clone()),
            (
                Outcome::Deferred,
                self.deferred.iter().map(|(id, _)| *id).collect(),
            ),
            (Outcome::NotStarted, self.not_started.clone()),
            (Outcome::Stopped, self.stopped.clone()),
            (Outcome::Skipped, self.skipped.clone()),
            (
                Outcome::Failed,
                self.failed.iter().map(|(id, _)| *id).collect(),
            ),
        ];
        for (outcome, ids) in ids {
            for step in ids.into_iter().filter_map(|id| steps.get(id)) {
                let seen = worst.entry(&step.address).or_insert(outcome);
                *seen = (*seen).max(outcome);
            }
        }
        let mut tally = Tally::default();
        for outcome in worst.into_values() {
            *match outcome {
                Outcome::Done => &mut tally.done,
                Outcome::Deferred => &mut tally.deferred,
                Outcome::NotStarted => &mut tally.not_started,
                Outcome::Stopped => &mut tally.stopped,
                Outcome::Skipped => &mut tally.skipped,
                Outcome::Failed => &mut tally.failed,
            } += 1;
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Op;

    fn step(id: usize, address: &str) -> Step {
        Step {
            id,
            address: address.parse().expect("address"),
            op: Op::WaitDatasetGroupActive {
                arn: format!("arn:{id}"),
            },
            after: Vec::new(),
        }
    }

    #[test]
    fn a_resource_is_counted_once_as_the_worst_of_its_steps() {
        let steps = [
            step(0, "recommender.g.popular"),
            step(1, "recommender.g.popular"),
            step(2, "filter.g.f"),
            step(3, "datasetGroup.g"),
            step(4, "datasetGroup.g"),
        ];
        let report = Report {
            done: vec![0, 1, 2, 3],
            skipped: vec![4],
            ..Report::default()
        };
        assert_eq!(
            report.tally(&steps),
            Tally {
                done: 2,
                skipped: 1,
                ..Tally::default()
            }
        );
    }
}
