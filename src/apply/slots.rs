//! What `--parallelism` bounds: dataset groups worked on at once. All steps
//! of one group (its datasets, tags, deletes) share the group's slot, so
//! waiting on one group's datasets never keeps another group waiting for a
//! slot, and N independent groups finish in about the time of one.

use std::collections::HashMap;

/// The unit a step's address belongs to: its dataset group for
/// `datasetGroup.G`, `dataset.G.type` and children such as `solution.G.name`;
/// a schema (`schema.key`) is a unit of its own. Group names and schema keys
/// cannot contain dots, so the two never collide.
pub fn unit(address: &str) -> &str {
    if address.starts_with("schema.") {
        return address;
    }
    address.split('.').nth(1).unwrap_or(address)
}

/// Slots of units with steps running.
#[derive(Debug)]
pub struct Slots {
    limit: usize,
    /// Unit -> steps of it running.
    busy: HashMap<String, usize>,
}

impl Slots {
    pub fn new(limit: usize) -> Slots {
        Slots {
            limit: limit.max(1),
            busy: HashMap::new(),
        }
    }

    /// Takes a slot for a step at `address`: its unit's, if the unit is
    /// already running, else a free one. False when none is free.
    pub fn take(&mut self, address: &str) -> bool {
        let unit = unit(address);
        if let Some(n) = self.busy.get_mut(unit) {
            *n += 1;
            return true;
        }
        if self.busy.len() >= self.limit {
            return false;
        }
        self.busy.insert(unit.to_string(), 1);
        true
    }

    /// Gives back the slot a finished step at `address` held.
    pub fn release(&mut self, address: &str) {
        let unit = unit(address);
        if let Some(n) = self.busy.get_mut(unit) {
            *n -= 1;
            if *n == 0 {
                self.busy.remove(unit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_groups_or_schemas() {
        assert_eq!(unit("datasetGroup.retail-prod"), "retail-prod");
        assert_eq!(unit("dataset.retail-prod.items"), "retail-prod");
        assert_eq!(unit("solution.retail-prod.my-solution"), "retail-prod");
        assert_eq!(unit("schema.items"), "schema.items");
    }

    #[test]
    fn a_running_group_admits_its_steps_and_others_wait_for_a_slot() {
        let mut slots = Slots::new(2);
        assert!(slots.take("datasetGroup.a"));
        assert!(slots.take("schema.items"));
        assert!(!slots.take("datasetGroup.b"), "both slots busy");
        assert!(slots.take("dataset.a.items"), "a holds a slot already");
        assert!(slots.take("dataset.a.users"));
        slots.release("datasetGroup.a");
        slots.release("dataset.a.items");
        assert!(!slots.take("datasetGroup.b"), "a still runs a step");
        slots.release("dataset.a.users");
        assert!(slots.take("datasetGroup.b"), "a's slot is free");
    }

    #[test]
    fn a_limit_of_zero_still_runs_one_unit() {
        let mut slots = Slots::new(0);
        assert!(slots.take("datasetGroup.a"));
        assert!(!slots.take("datasetGroup.b"));
    }
}
