//! How the plan JSON writes a reason, note, blocker or deferral:
//! `{"code": ..., "message": ..., <details>}` (Terraform's `ActionReason` is
//! the model). The code and its details are the typed value itself (serde's
//! internal tag `code`), so a saved plan reads back what was planned without
//! parsing a sentence; the message is written for people and skipped when
//! reading, since it is made from the rest.

use std::fmt::Display;

use schemars::JsonSchema;
use serde::{Serialize, Serializer};

/// One entry as written: the typed value beside its sentence.
#[derive(Serialize, JsonSchema)]
pub struct Said<T> {
    #[serde(flatten)]
    entry: T,
    /// The sentence people read. It may be reworded between versions of
    /// pzr; the code may not.
    message: String,
}

impl<'a, T: Display> Said<&'a T> {
    fn of(entry: &'a T) -> Said<&'a T> {
        Said {
            entry,
            message: entry.to_string(),
        }
    }
}

/// `serialize_with` for a list of entries.
pub fn list<T, S>(entries: &[T], s: S) -> Result<S::Ok, S::Error>
where
    T: Serialize + Display,
    S: Serializer,
{
    s.collect_seq(entries.iter().map(Said::of))
}

/// `serialize_with` for an optional entry.
pub fn option<T, S>(entry: &Option<T>, s: S) -> Result<S::Ok, S::Error>
where
    T: Serialize + Display,
    S: Serializer,
{
    entry.as_ref().map(Said::of).serialize(s)
}
