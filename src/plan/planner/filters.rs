//! Filters, addressed by their spec key. Personalize cannot change a
//! filter's expression, so a new expression replaces it; it loses nothing
//! (recreated under the same name, it has the same ARN), but recommendation
//! requests naming it fail until it is ACTIVE again.

use super::pairing::{Facts, Wanted};
use crate::plan::Reason;
use crate::resource::{Address, Kind};
use crate::spec::{filter_name, DatasetGroupSpec};
use crate::state::ChildConfig;

pub(super) static FACTS: Facts = Facts {
    destroys: None,
    gap: Some(Reason::FilterUnavailable),
    in_place: &[],
};

/// The filters `g` declares, by key.
pub(super) fn wanted(g: &DatasetGroupSpec) -> Vec<Wanted> {
    g.filters
        .iter()
        .map(|(key, f)| Wanted {
            address: Address::child(Kind::Filter, &g.name, key),
            name: filter_name(&g.name, key, f),
            config: ChildConfig::Filter {
                expression: f.expression.clone(),
            },
            tags: f.tags.clone(),
            solution: None,
        })
        .collect()
}

/// The key a spec gives a live child named `name` in group `group`: its
/// name without the `<group>-` of default names.
pub fn child_key<'a>(group: &str, name: &'a str) -> &'a str {
    name.strip_prefix(group)
        .and_then(|rest| rest.strip_prefix('-'))
        .filter(|key| !key.is_empty())
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_undo_default_names() {
        assert_eq!(child_key("shop", "shop-not-bought"), "not-bought");
        assert_eq!(child_key("shop", "custom"), "custom");
        assert_eq!(child_key("shop", "shop-"), "shop-");
        assert_eq!(child_key("shop", "shopping"), "shopping");
    }
}
