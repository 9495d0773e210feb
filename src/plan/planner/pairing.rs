//! Which live child each child a spec declares means (by kind and name; the
//! one of a one-per-group kind by kind), and the live children no spec child means,
//! addressed by their key where it is free, else by their live name. What
//! differs between the managed kinds is `Facts`, one per kind's file.

use std::collections::BTreeSet;

use super::{filters, metric_attributions, recommenders, solutions, trackers};
use crate::plan::Reason;
use crate::resource::{Address, Kind, Tags};
use crate::spec::DatasetGroupSpec;
use crate::state::{ChildConfig, LiveChild, LiveGroup};

/// What differs between the managed kinds.
pub(super) struct Facts {
    /// Why replacing or deleting one loses something (then the change is
    /// destructive); `None` when it comes back as it was.
    pub destroys: Option<Reason>,
    /// What a replace that loses nothing still costs, for its reasons.
    pub gap: Option<Reason>,
    /// The settings (fields of its `ChildConfig`) the API changes in place;
    /// a change to any other replaces the child.
    pub in_place: &'static [&'static str],
}

/// Datasets and groups are not children: never guessed lightly.
static UNKNOWN: Facts = Facts {
    destroys: Some(Reason::DataLost),
    gap: None,
    in_place: &[],
};

pub(super) fn facts(kind: Kind) -> &'static Facts {
    match kind {
        Kind::EventTracker => &trackers::FACTS,
        Kind::Filter => &filters::FACTS,
        Kind::Recommender => &recommenders::FACTS,
        Kind::Solution => &solutions::SOLUTION_FACTS,
        Kind::Campaign => &solutions::CAMPAIGN_FACTS,
        Kind::MetricAttribution => &metric_attributions::FACTS,
        Kind::Schema | Kind::DatasetGroup | Kind::Dataset | Kind::DatasetImportJob => &UNKNOWN,
    }
}

/// A child as the spec wants it.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub address: Address,
    pub name: String,
    pub config: ChildConfig,
    /// The user's tags, without pzr's.
    pub tags: Tags,
    /// A campaign's solution, by its spec key.
    pub solution: Option<String>,
}

/// A spec's child with the live one of its name (for an event tracker: the
/// group's one), or a live child of a managed kind that no spec child means.
#[derive(Debug, Clone)]
pub struct ManagedChild<'a> {
    pub address: Address,
    pub wanted: Option<Wanted>,
    pub live: Option<&'a LiveChild>,
}

/// Pairs the managed children of group `group` in the spec (`g`) and in
/// the account (`l`). A live child no spec child means is addressed by the
/// key a spec would give it (`filters::child_key`), or by its name where
/// that key is taken.
pub fn managed_children<'a>(
    group: &str,
    g: Option<&DatasetGroupSpec>,
    l: Option<&'a LiveGroup>,
) -> Vec<ManagedChild<'a>> {
    let wanted: Vec<Wanted> = g
        .map(|g| {
            trackers::wanted(g)
                .into_iter()
                .chain(filters::wanted(g))
                .chain(recommenders::wanted(g))
                .chain(solutions::wanted(g))
                .chain(metric_attributions::wanted(g))
                .collect()
        })
        .unwrap_or_default();
    let live: Vec<&LiveChild> = l.map(|l| l.children.iter().collect()).unwrap_or_default();
    let means = |w: &Wanted, c: &LiveChild| {
        c.kind == w.config.kind() && (c.kind.info().one_per_group || c.name == w.name)
    };
    let mut taken: BTreeSet<Address> = wanted.iter().map(|w| w.address.clone()).collect();
    let mut out: Vec<ManagedChild> = wanted
        .iter()
        .map(|w| ManagedChild {
            address: w.address.clone(),
            live: live.iter().copied().find(|c| means(w, c)),
            wanted: Some(w.clone()),
        })
        .collect();
    for c in live {
        if wanted.iter().any(|w| means(w, c)) {
            continue;
        }
        let by_key = match (c.kind, l.and_then(|l| solutions::live_solution_of(l, c))) {
            (kind, _) if kind.info().one_per_group => Address::one_per_group(kind, group),
            (Kind::Campaign, Some(solution)) => {
                // Its solution's key as the spec gives it, else from its name.
                let key = wanted
                    .iter()
                    .find(|w| w.config.kind() == Kind::Solution && w.name == solution.name)
                    .map(|w| w.address.key().to_string())
                    .unwrap_or_else(|| filters::child_key(group, &solution.name).to_string());
                let name = solutions::campaign_key(group, &key, &c.name).to_string();
                Address::campaign(group, key, name)
            }
            (kind, _) => Address::child(kind, group, filters::child_key(group, &c.name)),
        };
        let address = if taken.contains(&by_key) {
            Address::child(c.kind, group, &c.name)
        } else {
            by_key
        };
        taken.insert(address.clone());
        out.push(ManagedChild {
            address,
            wanted: None,
            live: Some(c),
        });
    }
    out
}
