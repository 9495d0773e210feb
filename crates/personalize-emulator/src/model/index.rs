//! Lookups derived from the account's resources, so that a request costs
//! what it touches rather than the whole account: resources by noun and by
//! parent in creation order (Lists and the children of a group), by name
//! (names are unique per noun), the deletions by when they complete (what
//! `settle` drops), and how many of each noun are being deleted (quotas).
//! Never stored: the state file holds the resources, and the index is built
//! from them on load.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::lifecycle::Lifecycle;
use super::noun::Noun;
use super::record::Resource;
use super::training_due::due_by;
use crate::clock::Millis;

/// Creation order (`seq`) → ARN.
type Ordered = BTreeMap<u64, String>;

#[derive(Debug, Default, PartialEq)]
pub(super) struct Index {
    by_noun: HashMap<Noun, Ordered>,
    /// Parent ARN → its children of each noun.
    by_parent: HashMap<String, HashMap<Noun, Ordered>>,
    /// Noun → name → ARNs (one, but for automatic versions, which have none).
    by_name: HashMap<Noun, HashMap<String, BTreeSet<String>>>,
    /// (when its deletion completes, ARN).
    deletions: BTreeSet<(Millis, String)>,
    deleting: HashMap<Noun, usize>,
}

impl Index {
    pub(super) fn build<'a>(
        resources: impl IntoIterator<Item = &'a Resource>,
        lc: Lifecycle,
    ) -> Index {
        let mut index = Index::default();
        for r in resources {
            index.add(r, lc);
        }
        index
    }

    pub(super) fn add(&mut self, r: &Resource, lc: Lifecycle) {
        let arn = || r.arn.clone();
        self.by_noun.entry(r.kind).or_default().insert(r.seq, arn());
        if let Some(parent) = &r.parent {
            self.by_parent
                .entry(parent.clone())
                .or_default()
                .entry(r.kind)
                .or_default()
                .insert(r.seq, arn());
        }
        self.by_name
            .entry(r.kind)
            .or_default()
            .entry(r.name.clone())
            .or_default()
            .insert(arn());
        if let Some(gone) = gone_at(r, lc) {
            self.deletions.insert((gone, arn()));
            *self.deleting.entry(r.kind).or_default() += 1;
        }
    }

    /// Forgets `r`, as `add` indexed it.
    pub(super) fn remove(&mut self, r: &Resource, lc: Lifecycle) {
        forget(&mut self.by_noun, &r.kind, |seqs| {
            seqs.remove(&r.seq);
            seqs.is_empty()
        });
        if let Some(parent) = &r.parent {
            forget(&mut self.by_parent, parent, |nouns| {
                forget(nouns, &r.kind, |seqs| {
                    seqs.remove(&r.seq);
                    seqs.is_empty()
                });
                nouns.is_empty()
            });
        }
        forget(&mut self.by_name, &r.kind, |names| {
            forget(names, &r.name, |arns| {
                arns.remove(&r.arn);
                arns.is_empty()
            });
            names.is_empty()
        });
        if let Some(gone) = gone_at(r, lc) {
            self.deletions.remove(&(gone, r.arn.clone()));
            forget(&mut self.deleting, &r.kind, |count| {
                *count -= 1;
                *count == 0
            });
        }
    }

    /// ARNs of `noun` (children of `parent` if given) created after `after`,
    /// in creation order.
    pub(super) fn listed<'a>(
        &'a self,
        noun: Noun,
        parent: Option<&str>,
        after: Option<u64>,
    ) -> impl DoubleEndedIterator<Item = &'a String> + 'a {
        let seqs = match parent {
            None => self.by_noun.get(&noun),
            Some(parent) => self.by_parent.get(parent).and_then(|n| n.get(&noun)),
        };
        let from = after.map_or(std::ops::Bound::Unbounded, std::ops::Bound::Excluded);
        seqs.into_iter()
            .flat_map(move |seqs| seqs.range((from, std::ops::Bound::Unbounded)))
            .map(|(_, arn)| arn)
    }

    /// ARNs whose parent is `parent`, of `noun` or of every noun.
    pub(super) fn children_of<'a>(
        &'a self,
        parent: &str,
        noun: Option<Noun>,
    ) -> impl Iterator<Item = &'a String> + 'a {
        self.by_parent
            .get(parent)
            .into_iter()
            .flat_map(move |nouns| {
                nouns
                    .iter()
                    .filter(move |(n, _)| noun.is_none_or(|wanted| wanted == **n))
            })
            .flat_map(|(_, seqs)| seqs.values())
    }

    /// ARNs of `noun` named `name`.
    pub(super) fn named<'a>(
        &'a self,
        noun: Noun,
        name: &str,
    ) -> impl Iterator<Item = &'a String> + 'a {
        self.by_name
            .get(&noun)
            .and_then(|names| names.get(name))
            .into_iter()
            .flatten()
    }

    /// How many resources of `noun` are not being deleted.
    pub(super) fn undeleted(&self, noun: Noun) -> usize {
        let all = self.by_noun.get(&noun).map_or(0, BTreeMap::len);
        all - self.deleting.get(&noun).copied().unwrap_or(0)
    }

    /// ARNs whose deletion has completed by `now`.
    pub(super) fn gone(&self, now: Millis) -> Vec<String> {
        due_by(&self.deletions, now)
    }
}

/// When the deletion of `r` completes (as `Resource::is_gone` sees it).
fn gone_at(r: &Resource, lc: Lifecycle) -> Option<Millis> {
    r.deleting_since
        .map(|since| since.saturating_add(lc.delete_delay))
}

/// Applies `change` to the entry of `key`, dropping the entry when `change`
/// says it is now empty, so the index never holds empty leftovers (and
/// equals one built afresh).
fn forget<K, Q, V>(map: &mut HashMap<K, V>, key: &Q, change: impl FnOnce(&mut V) -> bool)
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
{
    if let Some(value) = map.get_mut(key) {
        if change(value) {
            map.remove(key);
        }
    }
}
