//! `pzr output`: what applications are wired with — each managed resource's
//! ARN and status, and the event tracker's `trackingId` (docs/commands.md,
//! `pzr output`). Pure: `ops::output` reads for it.

use serde::Serialize;

use crate::plan::managed_children;
use crate::resource::{self, Address, Kind, Status};
use crate::spec::{dataset_name, Spec};
use crate::state::{LiveGroup, LiveState};

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
/// children as the plan pairs them (event tracker, filters, recommenders,
/// solutions each followed by its campaigns).
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

fn group_outputs(spec: &Spec, g: &crate::spec::DatasetGroupSpec, l: &LiveGroup) -> Vec<Output> {
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
    let children = managed_children(&g.name, Some(g), Some(l))
        .into_iter()
        .filter_map(|p| {
            let w = p.wanted?;
            let c = p.live.filter(|c| c.owned_by(stack) && c.name == w.name)?;
            let tracking_id = c
                .details
                .as_ref()
                .and_then(|d| d.tracking_id.clone())
                .filter(|_| c.kind == Kind::EventTracker);
            Some(Output {
                address: p.address,
                arn: c.arn.clone(),
                status: Some(c.status.clone()),
                tracking_id,
            })
        });
    out.extend(children);
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
