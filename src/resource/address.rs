//! Plan addresses (`schema.items`, `datasetGroup.retail`, `dataset.retail.items`,
//! `eventTracker.retail`, `metricAttribution.retail`, `filter.retail.not-bought`, `solution.retail.my-solution`) as a type: `Display` writes them, `FromStr`
//! reads them, and nothing else glues or splits them. Names and keys cannot
//! contain dots, so the parts never run together.

use std::fmt;
use std::str::FromStr;

use super::{DatasetType, Kind};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Address {
    /// A managed schema, by its spec key.
    Schema {
        key: String,
    },
    DatasetGroup {
        group: String,
    },
    Dataset {
        group: String,
        dataset_type: DatasetType,
    },
    /// The bulk import of a dataset (`datasetImportJob.<group>.<type>`):
    /// one address for all the dataset's import jobs, as the spec declares
    /// one `import` per dataset.
    DatasetImportJob {
        group: String,
        dataset_type: DatasetType,
    },
    /// A child of a kind Personalize allows one of per group (an event
    /// tracker, a metric attribution): the group names it
    /// (`eventTracker.<group>`, `metricAttribution.<group>`).
    OnePerGroup {
        kind: Kind,
        group: String,
    },
    /// A resource inside a dataset group other than a dataset: by its spec
    /// key when pzr manages it (`filter.<group>.<key>`), by its live name
    /// when it does not (a blocker, or an unowned event tracker).
    Child {
        kind: Kind,
        group: String,
        name: String,
    },
    /// A campaign pzr manages, by the spec keys of its solution and itself
    /// (`campaign.<group>.<solution key>.<key>`); one it does not own is a
    /// `Child` by its live name.
    Campaign {
        group: String,
        solution: String,
        name: String,
    },
}

impl Address {
    pub fn schema(key: impl Into<String>) -> Address {
        Address::Schema { key: key.into() }
    }

    pub fn group(group: impl Into<String>) -> Address {
        Address::DatasetGroup {
            group: group.into(),
        }
    }

    pub fn dataset(group: impl Into<String>, dataset_type: DatasetType) -> Address {
        Address::Dataset {
            group: group.into(),
            dataset_type,
        }
    }

    pub fn dataset_import(group: impl Into<String>, dataset_type: DatasetType) -> Address {
        Address::DatasetImportJob {
            group: group.into(),
            dataset_type,
        }
    }

    /// The import address of the dataset at `self` (`None` unless a dataset).
    pub fn import_of_dataset(&self) -> Option<Address> {
        match self {
            Address::Dataset {
                group,
                dataset_type,
            } => Some(Address::dataset_import(group, *dataset_type)),
            _ => None,
        }
    }

    pub fn event_tracker(group: impl Into<String>) -> Address {
        Address::one_per_group(Kind::EventTracker, group)
    }

    /// The one child of `kind` in `group` (`kind` is `one_per_group`).
    pub fn one_per_group(kind: Kind, group: impl Into<String>) -> Address {
        Address::OnePerGroup {
            kind,
            group: group.into(),
        }
    }

    pub fn child(kind: Kind, group: impl Into<String>, name: impl Into<String>) -> Address {
        Address::Child {
            kind,
            group: group.into(),
            name: name.into(),
        }
    }

    pub fn campaign(
        group: impl Into<String>,
        solution: impl Into<String>,
        name: impl Into<String>,
    ) -> Address {
        Address::Campaign {
            group: group.into(),
            solution: solution.into(),
            name: name.into(),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Address::Schema { .. } => Kind::Schema,
            Address::DatasetGroup { .. } => Kind::DatasetGroup,
            Address::Dataset { .. } => Kind::Dataset,
            Address::DatasetImportJob { .. } => Kind::DatasetImportJob,
            Address::OnePerGroup { kind, .. } | Address::Child { kind, .. } => *kind,
            Address::Campaign { .. } => Kind::Campaign,
        }
    }

    /// The part naming the resource itself: its spec key (a managed
    /// child's, a schema's), its live name (a child pzr does not own), its
    /// type (a dataset), its group's name (a group, a one-per-group child).
    pub fn key(&self) -> &str {
        match self {
            Address::Schema { key } => key,
            Address::DatasetGroup { group } | Address::OnePerGroup { group, .. } => group,
            Address::Dataset { dataset_type, .. }
            | Address::DatasetImportJob { dataset_type, .. } => dataset_type.spec_key(),
            Address::Child { name, .. } | Address::Campaign { name, .. } => name,
        }
    }

    /// The dataset group the resource is in (or is); `None` for schemas.
    pub fn group_name(&self) -> Option<&str> {
        match self {
            Address::Schema { .. } => None,
            Address::DatasetGroup { group }
            | Address::Dataset { group, .. }
            | Address::DatasetImportJob { group, .. }
            | Address::OnePerGroup { group, .. }
            | Address::Child { group, .. }
            | Address::Campaign { group, .. } => Some(group),
        }
    }

    /// The address of the dataset group this resource is in (or is).
    pub fn group_address(&self) -> Option<Address> {
        self.group_name().map(Address::group)
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = self.kind().camel_name();
        match self {
            Address::Schema { key } => write!(f, "{prefix}.{key}"),
            Address::DatasetGroup { group } | Address::OnePerGroup { group, .. } => {
                write!(f, "{prefix}.{group}")
            }
            Address::Dataset {
                group,
                dataset_type,
            }
            | Address::DatasetImportJob {
                group,
                dataset_type,
            } => write!(f, "{prefix}.{group}.{}", dataset_type.spec_key()),
            Address::Child { group, name, .. } => write!(f, "{prefix}.{group}.{name}"),
            Address::Campaign {
                group,
                solution,
                name,
            } => write!(f, "{prefix}.{group}.{solution}.{name}"),
        }
    }
}

/// A string that is not a plan address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a plan address: {problem}")]
pub struct AddressError {
    pub text: String,
    pub problem: &'static str,
}

impl FromStr for Address {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<Address, AddressError> {
        let err = |problem| AddressError {
            text: text.to_string(),
            problem,
        };
        let parts: Vec<&str> = text.split('.').collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(err("it has an empty part"));
        }
        let kind = Kind::from_camel_name(parts[0]).ok_or_else(|| err("unknown kind"))?;
        match (kind, parts.as_slice()) {
            (Kind::Schema, [_, key]) => Ok(Address::schema(*key)),
            (Kind::DatasetGroup, [_, group]) => Ok(Address::group(*group)),
            (Kind::Dataset | Kind::DatasetImportJob, [_, group, t]) => {
                let dataset_type = DatasetType::ALL
                    .into_iter()
                    .find(|d| d.spec_key() == *t)
                    .ok_or_else(|| err("unknown dataset type"))?;
                Ok(match kind {
                    Kind::Dataset => Address::dataset(*group, dataset_type),
                    _ => Address::dataset_import(*group, dataset_type),
                })
            }
            (kind, [_, group]) if kind.info().one_per_group => {
                Ok(Address::one_per_group(kind, *group))
            }
            (Kind::Schema | Kind::DatasetGroup | Kind::Dataset | Kind::DatasetImportJob, _) => {
                Err(err("wrong number of parts"))
            }
            (kind, [_, group, name]) => Ok(Address::child(kind, *group, *name)),
            (Kind::Campaign, [_, group, solution, name]) => {
                Ok(Address::campaign(*group, *solution, *name))
            }
            _ => Err(err("wrong number of parts")),
        }
    }
}

super::serde_as_string!(Address);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_shape() {
        for text in [
            "schema.items",
            "datasetGroup.retail-prod",
            "dataset.retail-prod.items",
            "dataset.g.actionInteractions",
            "datasetImportJob.retail-prod.interactions",
            "solution.retail-prod.my_solution",
            "eventTracker.g.g-tracker",
            "eventTracker.g",
            "metricAttribution.g",
            "filter.g.not-bought",
            "campaign.g.main",
            "campaign.g.personal.main",
        ] {
            let address: Address = text.parse().expect(text);
            assert_eq!(address.to_string(), text);
        }
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for text in [
            "",
            "schema",
            "schema.a.b",
            "dataset.g",
            "dataset.g.nope",
            "datasetImportJob.g",
            "widget.g.x",
            "filter.g",
            "datasetGroup..x",
            "filter.g.a.b",
            "campaign.g.s.c.d",
        ] {
            assert!(text.parse::<Address>().is_err(), "{text}");
        }
    }

    #[test]
    fn group_of_each_shape() {
        let d = Address::dataset("g", DatasetType::Items);
        assert_eq!(d.group_address(), Some(Address::group("g")));
        assert_eq!(Address::schema("k").group_name(), None);
        assert_eq!(d.kind(), Kind::Dataset);
        let t: Address = "eventTracker.g".parse().expect("tracker");
        assert_eq!(t, Address::event_tracker("g"));
        assert_eq!(t.kind(), Kind::EventTracker);
        assert_eq!(t.group_address(), Some(Address::group("g")));
    }
}
