//! `pzr output`: what applications are wired with — each managed resource's
//! ARN and status, and the event tracker's `trackingId` (DESIGN.md "The
//! whole resource graph"). Pure: `reconcile::output_spec` reads for it.

use serde::Serialize;

use crate::live::{LiveGroup, LiveState};
use crate::resource::{self, Address, Kind, Status};
use crate::spec::{
    campaign_name, dataset_name, event_tracker_name, filter_name, recommender_name, solution_name,
    DatasetGroupSpec, Spec,
};

/// The `--format json` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outputs {
    pub stack: String,
    pub region: String,
    pub resources: Vec<Output>,
}

/// One managed resource that exists.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    pub address: Address,
    pub arn: String,
    /// `None` for schemas, which have no life cycle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// An event tracker's, for PutEvents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
}

/// The resources of `spec` that exist in `live` and belong to its stack, in
/// spec order: schemas, then per group the group, its datasets and its
/// children (`declared_children`).
pub fn outputs(spec: &Spec, live: &LiveState) -> Outputs {
    let stack = spec.stack();
    let mut resources: Vec<Output> = spec
        .schemas
        .iter()
        .filter_map(|(key, s)| {
            let live = live.schema_by_name(&s.name)?;
            Some(Output {
                address: Address::schema(key),
                arn: live.arn.clone(),
                status: None,
                tracking_id: None,
            })
        })
        .collect();
    for g in &spec.file.dataset_groups {
        let Some(l) = live.group(&g.name).filter(|l| l.stack() == Some(stack)) else {
            continue;
        };
        resources.extend(group_outputs(spec, g, l));
    }
    Outputs {
        stack: stack.to_string(),
        region: live.region.clone(),
        resources,
    }
}

fn group_outputs(spec: &Spec, g: &DatasetGroupSpec, l: &LiveGroup) -> Vec<Output> {
    let stack = spec.stack();
    let mut out = vec![Output {
        address: Address::group(&g.name),
        arn: l.arn.clone(),
        status: Some(l.status.clone()),
        tracking_id: None,
    }];
    let datasets = g.datasets.iter().filter_map(|(t, d)| {
        let ld = l.dataset(t)?;
        let ours = ld.name == dataset_name(&g.name, t, d) && resource::owns(&ld.tags, stack);
        ours.then(|| Output {
            address: Address::dataset(&g.name, t),
            arn: ld.arn.clone(),
            status: Some(ld.status.clone()),
            tracking_id: None,
        })
    });
    out.extend(datasets);
    let children = declared_children(g)
        .into_iter()
        .filter_map(|(address, kind, name)| {
            let c = l
                .children_of(kind)
                .find(|c| c.name == name && c.owned_by(stack))?;
            let tracking_id = c.details.as_ref().and_then(|d| d.tracking_id.clone());
            Some(Output {
                address,
                arn: c.arn.clone(),
                status: Some(c.status.clone()),
                tracking_id,
            })
        });
    out.extend(children);
    out
}

/// The children `g` declares, in spec order (event tracker, filters,
/// recommenders, solutions each followed by its campaigns): address, kind
/// and name. Names are unique per kind in a region, so the name finds the
/// live one.
fn declared_children(g: &DatasetGroupSpec) -> Vec<(Address, Kind, String)> {
    let group = g.name.as_str();
    let mut out = Vec::new();
    if let Some(t) = &g.event_tracker {
        out.push((
            Address::event_tracker(group),
            Kind::EventTracker,
            event_tracker_name(group, t),
        ));
    }
    for (key, f) in &g.filters {
        let address = Address::child(Kind::Filter, group, key);
        out.push((address, Kind::Filter, filter_name(group, key, f)));
    }
    for (key, r) in &g.recommenders {
        let address = Address::child(Kind::Recommender, group, key);
        out.push((address, Kind::Recommender, recommender_name(group, key, r)));
    }
    for (key, s) in &g.solutions {
        let address = Address::child(Kind::Solution, group, key);
        out.push((address, Kind::Solution, solution_name(group, key, s)));
        for (campaign, c) in &s.campaigns {
            out.push((
                Address::campaign(group, key, campaign),
                Kind::Campaign,
                campaign_name(group, key, campaign, c),
            ));
        }
    }
    out
}

/// One line per resource: address, status, ARN (and `trackingId=`).
pub fn to_text(outputs: &Outputs) -> String {
    let width = outputs
        .resources
        .iter()
        .map(|r| r.address.to_string().len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for r in &outputs.resources {
        let status = r.status.as_ref().map_or("-".to_string(), Status::to_string);
        let mut line = format!("{:width$}  {status:<18} {}", r.address.to_string(), r.arn);
        if let Some(id) = &r.tracking_id {
            line.push_str(&format!("  trackingId={id}"));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}
