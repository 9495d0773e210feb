//! What a command reads from disk, before any network call: a spec that
//! fails validation, or a file that is not a plan pzr can apply (another
//! format, an edited step graph), fails here.

use std::path::Path;

use super::Error;
use crate::plan::Plan;
use crate::spec::{self, Spec};

pub(super) fn spec(path: &Path) -> Result<Spec, Error> {
    Ok(spec::load(path)?)
}

/// A plan saved with `pzr plan -o` (`pzr show` and `pzr apply PLAN.json`).
pub fn saved_plan(path: &Path) -> Result<Plan, Error> {
    let text = std::fs::read_to_string(path).map_err(|error| Error::Read {
        path: path.to_path_buf(),
        error,
    })?;
    serde_json::from_str(&text).map_err(|error| Error::NotAPlan {
        path: path.to_path_buf(),
        error,
    })
}
