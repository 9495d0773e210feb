//! "Did you mean" suggestions for misspelt keys, references and enum values
//! (the rulebook's, which filter expressions use too).

pub use crate::rules::did_you_mean;
