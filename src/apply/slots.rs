//! What `--parallelism` bounds: dataset groups worked on at once. All steps
//! of one group (its datasets, tags, deletes) share the group's slot, so
//! waiting on one group's datasets never keeps another group waiting for a
//! slot, and N independent groups finish in about the time of one.

use std::collections::HashMap;

use crate::resource::Address;

/// The unit a step's address belongs to: the address of its dataset group
/// for `datasetGroup.G`, `dataset.G.type` and children such as
/// `solution.G.name`; a schema is a unit of its own.
pub fn unit(address: &Address) -> Address {
    address.group_address().unwrap_or_else(|| address.clone())
}

/// Slots of units with steps running.
#[derive(Debug)]
pub struct Slots {
    limit: usize,
    /// Unit -> steps of it running.
    busy: HashMap<Address, usize>,
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
    pub fn take(&mut self, address: &Address) -> bool {
        let unit = unit(address);
        if let Some(n) = self.busy.get_mut(&unit) {
            *n += 1;
            return true;
        }
        if self.busy.len() >= self.limit {
            return false;
        }
        self.busy.insert(unit, 1);
        true
    }

    /// Gives back the slot a finished step at `address` held.
    pub fn release(&mut self, address: &Address) {
        let unit = unit(address);
        if let Some(n) = self.busy.get_mut(&unit) {
            *n -= 1;
            if *n == 0 {
                self.busy.remove(&unit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str) -> Address {
        text.parse().expect("an address")
    }

    #[test]
    fn units_are_groups_or_schemas() {
        let group = a("datasetGroup.retail-prod");
        assert_eq!(unit(&group), group);
        assert_eq!(unit(&a("dataset.retail-prod.items")), group);
        assert_eq!(unit(&a("solution.retail-prod.my-solution")), group);
        assert_eq!(unit(&a("schema.items")), a("schema.items"));
    }

    #[test]
    fn a_running_group_admits_its_steps_and_others_wait_for_a_slot() {
        let mut slots = Slots::new(2);
        assert!(slots.take(&a("datasetGroup.a")));
        assert!(slots.take(&a("schema.items")));
        assert!(!slots.take(&a("datasetGroup.b")), "both slots busy");
        assert!(slots.take(&a("dataset.a.items")), "a holds a slot already");
        assert!(slots.take(&a("dataset.a.users")));
        slots.release(&a("datasetGroup.a"));
        slots.release(&a("dataset.a.items"));
        assert!(!slots.take(&a("datasetGroup.b")), "a still runs a step");
        slots.release(&a("dataset.a.users"));
        assert!(slots.take(&a("datasetGroup.b")), "a's slot is free");
    }

    #[test]
    fn a_limit_of_zero_still_runs_one_unit() {
        let mut slots = Slots::new(0);
        assert!(slots.take(&a("datasetGroup.a")));
        assert!(!slots.take(&a("datasetGroup.b")));
    }
}
