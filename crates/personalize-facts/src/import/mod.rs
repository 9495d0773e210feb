//! Reading a dataset's bulk data as Personalize's dataset import job reads
//! it: a CSV file whose header names the schema's fields and whose values
//! parse as their Avro types (`field`, `header`, `read`), at a location
//! naming one object or a prefix of them (`location`), what the data
//! amounts to for training (`counts`), and what a training needs of it
//! (`training`). It streams: memory grows with the
//! distinct users counted, never with rows. pzr's `validate --data` and the
//! emulator's import jobs share it, so they can never disagree.
//!
//! Sources: "Preparing training data" and "Creating schema JSON files"
//! (https://docs.aws.amazon.com/personalize/latest/dg/preparing-training-data.html,
//! https://docs.aws.amazon.com/personalize/latest/dg/custom-datasets-and-schemas.html),
//! the import failures of
//! https://docs.aws.amazon.com/personalize/latest/dg/error-messages.html, and
//! the quotas of https://docs.aws.amazon.com/personalize/latest/dg/limits.html.

mod counts;
mod field;
mod header;
mod location;
mod read;
pub mod training;

pub use counts::Counts;
pub use field::{Field, FieldType};
pub use header::{Layout, MissingColumns};
pub use location::objects_read;
pub use read::{read_csv, Finding, Report};

/// limits.html, Item interactions: the minimum number of item interaction
/// records per dataset import job with FULL or INCREMENTAL import mode is
/// 1000 (listed for item interactions only);
/// "To append data to an Item interactions dataset [...] with a dataset
/// import job, you must have at a minimum 1000 new item interaction [...]
/// records" (https://docs.aws.amazon.com/personalize/latest/dg/bulk-data-import.html).
pub const MIN_INTERACTIONS_PER_IMPORT: u64 = 1000;

/// limits.html, Users: training needs "at least 25 unique user IDs with at
/// least two item interactions for each"
/// (https://docs.aws.amazon.com/personalize/latest/dg/limits.html).
pub const MIN_USERS_WITH_TWO_OR_MORE: u64 = 25;

/// The page the training and import minimums above are stated on.
pub const LIMITS_PAGE: &str = "https://docs.aws.amazon.com/personalize/latest/dg/limits.html";

/// limits.html, Item interactions: training needs at least 1000 item
/// interaction records (after a solution's `eventType` filters them).
pub const MIN_INTERACTIONS_FOR_TRAINING: u64 = 1000;

/// limits.html, for each dataset type (Item interactions, Users, Items,
/// Actions, Action interactions): "Maximum amount of bulk [...] data per
/// dataset import job with FULL import mode": 100 GB (the page's GB, read
/// as 2^30 bytes, so no import within the quota is refused; Item
/// interactions may be raised to 1 TB with its quota on interactions a
/// model considers).
pub const MAX_FULL_IMPORT_BYTES: u64 = 100 << 30;

/// limits.html, for each dataset type: "[...] with INCREMENTAL import
/// mode": 1 GB.
pub const MAX_INCREMENTAL_IMPORT_BYTES: u64 = 1 << 30;
