//! What a saved plan records of the resources it touches, looked up by
//! address, so the same function records a plan and checks it for staleness.

use super::model::Observed;
use crate::live::LiveState;
use crate::spec::DatasetType;

/// The state of the resource at `address` in `live`; `arn: None` when absent.
/// Schemas are not observed: they are content-addressed, so creating or
/// deleting one is right whatever happened meanwhile.
pub fn observe(live: &LiveState, address: &str) -> Observed {
    let mut observed = Observed {
        address: address.to_string(),
        arn: None,
        status: None,
        last_updated: None,
        tags: None,
    };
    let parts: Vec<&str> = address.splitn(3, '.').collect();
    let group = parts.get(1).and_then(|g| live.group(g));
    match (parts.first().copied(), group) {
        (Some("datasetGroup"), Some(g)) => {
            observed.arn = Some(g.arn.clone());
            observed.status = Some(g.status.clone());
            observed.last_updated = g.last_updated;
            observed.tags = Some(g.tags.clone());
        }
        (Some("dataset"), Some(g)) => {
            let found = parts
                .get(2)
                .and_then(|t| DatasetType::ALL.into_iter().find(|d| d.spec_key() == *t))
                .and_then(|t| g.dataset(t));
            if let Some(d) = found {
                observed.arn = Some(d.arn.clone());
                observed.status = Some(d.status.clone());
                observed.last_updated = d.last_updated;
                observed.tags = Some(d.tags.clone());
            }
        }
        (Some(kind), Some(g)) => {
            let found = g.children.iter().find(|c| {
                c.kind.address_prefix() == kind && Some(c.name.as_str()) == parts.get(2).copied()
            });
            if let Some(c) = found {
                observed.arn = Some(c.arn.clone());
                observed.status = Some(c.status.clone());
            }
        }
        _ => {}
    }
    observed
}

/// Group names a saved plan's observations need read in detail, and those
/// whose children it observed.
pub fn observed_groups(
    observed: &[Observed],
) -> (
    std::collections::BTreeSet<String>,
    std::collections::BTreeSet<String>,
) {
    let mut detail = std::collections::BTreeSet::new();
    let mut children = std::collections::BTreeSet::new();
    for o in observed {
        let parts: Vec<&str> = o.address.splitn(3, '.').collect();
        let Some(group) = parts.get(1) else { continue };
        detail.insert(group.to_string());
        if !matches!(parts[0], "datasetGroup" | "dataset" | "schema") {
            children.insert(group.to_string());
        }
    }
    (detail, children)
}

/// What moved between a saved plan's observations and `live`: one line each.
pub fn stale(observed: &[Observed], live: &LiveState) -> Vec<String> {
    observed
        .iter()
        .filter_map(|o| {
            let now = observe(live, &o.address);
            if now == *o {
                return None;
            }
            let what = match (&o.arn, &now.arn) {
                (None, Some(_)) => "now exists".to_string(),
                (Some(_), None) => "no longer exists".to_string(),
                (Some(a), Some(b)) if a != b => "was recreated".to_string(),
                _ if o.status != now.status => format!(
                    "status {} -> {}",
                    o.status.as_deref().unwrap_or("?"),
                    now.status.as_deref().unwrap_or("?")
                ),
                _ if o.tags != now.tags => "tags changed".to_string(),
                _ => "was modified".to_string(),
            };
            Some(format!("{}: {what}", o.address))
        })
        .collect()
}
