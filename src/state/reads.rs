//! What a read must fetch beyond its first pass, decided by the planner's
//! rules and done by `live::read_extra`.

use std::collections::BTreeSet;

/// What the planner needs beyond the first read: the content of schemas
/// datasets would move off, and the details (Describe) of the children it
/// compares or deletes, or that may be in a dataset's way, by ARN.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExtraReads {
    pub schema_definitions: BTreeSet<String>,
    pub child_details: BTreeSet<String>,
    /// Datasets (ARNs) whose import jobs are read.
    pub imports: BTreeSet<String>,
    /// S3 locations (`s3://...`) whose objects are listed.
    pub data_locations: BTreeSet<String>,
}

impl ExtraReads {
    pub fn is_empty(&self) -> bool {
        self.schema_definitions.is_empty()
            && self.child_details.is_empty()
            && self.imports.is_empty()
            && self.data_locations.is_empty()
    }

    /// What `self` asks for that `done` did not.
    pub fn without(&self, done: &ExtraReads) -> ExtraReads {
        ExtraReads {
            schema_definitions: &self.schema_definitions - &done.schema_definitions,
            child_details: &self.child_details - &done.child_details,
            imports: &self.imports - &done.imports,
            data_locations: &self.data_locations - &done.data_locations,
        }
    }

    pub fn extend(&mut self, more: ExtraReads) {
        self.schema_definitions.extend(more.schema_definitions);
        self.child_details.extend(more.child_details);
        self.imports.extend(more.imports);
        self.data_locations.extend(more.data_locations);
    }
}
