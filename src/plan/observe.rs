//! What a saved plan records of the resources it touches, looked up by
//! address, so the same function records a plan and checks it for staleness.

use std::collections::BTreeSet;

use super::model::Observed;
use crate::resource::{Address, Kind};
use crate::state::LiveState;

/// The state of the resource at `address` in `live`; `arn: None` when absent.
/// A child whose address holds its spec key is found by its live `name`.
/// Schemas are not observed: they are content-addressed, so creating or
/// deleting one is right whatever happened meanwhile. Nor are imports: a
/// saved plan's import is of the data there when it runs, and its dataset
/// is observed.
pub fn observe(live: &LiveState, address: &Address, name: Option<&str>) -> Observed {
    let mut observed = Observed {
        address: address.clone(),
        name: name.map(str::to_string),
        arn: None,
        status: None,
        last_updated: None,
        tags: None,
    };
    let Some(g) = address.group_name().and_then(|name| live.group(name)) else {
        return observed;
    };
    match address {
        Address::Schema { .. } | Address::DatasetImportJob { .. } => {}
        Address::DatasetGroup { .. } => {
            observed.arn = Some(g.arn.clone());
            observed.status = Some(g.status.clone());
            observed.last_updated = g.last_updated;
            observed.tags = Some(g.tags.clone());
        }
        Address::Dataset { dataset_type, .. } => {
            if let Some(d) = g.dataset(*dataset_type) {
                observed.arn = Some(d.arn.clone());
                observed.status = Some(d.status.clone());
                observed.last_updated = d.last_updated;
                observed.tags = Some(d.tags.clone());
            }
        }
        Address::OnePerGroup { .. } | Address::Child { .. } | Address::Campaign { .. } => {
            let child = match address {
                // A group has at most one.
                Address::OnePerGroup { kind, .. } => g.children_of(*kind).next(),
                Address::Child {
                    kind, name: key, ..
                } => {
                    let name = name.unwrap_or(key);
                    g.children_of(*kind).find(|c| c.name == name)
                }
                Address::Campaign { name: key, .. } => {
                    let name = name.unwrap_or(key);
                    g.children_of(Kind::Campaign).find(|c| c.name == name)
                }
                _ => None,
            };
            if let Some(c) = child {
                observed.arn = Some(c.arn.clone());
                observed.status = Some(c.status.clone());
                observed.last_updated = c.last_updated;
                observed.tags = c.tags.clone();
            }
        }
    }
    observed
}

/// Group names a saved plan's observations need read in detail (children
/// are read with their group).
pub fn observed_groups(observed: &[Observed]) -> BTreeSet<String> {
    observed
        .iter()
        .filter_map(|o| o.address.group_name())
        .map(str::to_string)
        .collect()
}

/// What moved between a saved plan's observations and `live`: one line each.
pub fn stale(observed: &[Observed], live: &LiveState) -> Vec<String> {
    observed
        .iter()
        .filter_map(|o| {
            let now = observe(live, &o.address, o.name.as_deref());
            if now == *o {
                return None;
            }
            let status = |s: &Option<crate::resource::Status>| {
                s.as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "?".into())
            };
            let what = match (&o.arn, &now.arn) {
                (None, Some(_)) => "now exists".to_string(),
                (Some(_), None) => "no longer exists".to_string(),
                (Some(a), Some(b)) if a != b => "was recreated".to_string(),
                _ if o.status != now.status => {
                    format!("status {} -> {}", status(&o.status), status(&now.status))
                }
                _ if o.tags != now.tags => "tags changed".to_string(),
                _ => "was modified".to_string(),
            };
            Some(format!("{}: {what}", o.address))
        })
        .collect()
}
