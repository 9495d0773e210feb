//! The vocabulary of Personalize's data side: a dataset group's domain and
//! a dataset's type, as the spec writes them and as the API spells them.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A dataset group's domain.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Domain {
    Ecommerce,
    VideoOnDemand,
}

impl Domain {
    pub fn as_api(self) -> &'static str {
        match self {
            Domain::Ecommerce => "ECOMMERCE",
            Domain::VideoOnDemand => "VIDEO_ON_DEMAND",
        }
    }

    pub fn from_api(s: &str) -> Option<Domain> {
        match s {
            "ECOMMERCE" => Some(Domain::Ecommerce),
            "VIDEO_ON_DEMAND" => Some(Domain::VideoOnDemand),
            _ => None,
        }
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_api())
    }
}

/// A dataset's type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum DatasetType {
    Interactions,
    Items,
    Users,
    Actions,
    ActionInteractions,
}

impl DatasetType {
    pub const ALL: [DatasetType; 5] = [
        DatasetType::Interactions,
        DatasetType::Items,
        DatasetType::Users,
        DatasetType::Actions,
        DatasetType::ActionInteractions,
    ];

    /// The key used in the spec and in plan addresses.
    pub fn spec_key(self) -> &'static str {
        match self {
            DatasetType::Interactions => "interactions",
            DatasetType::Items => "items",
            DatasetType::Users => "users",
            DatasetType::Actions => "actions",
            DatasetType::ActionInteractions => "actionInteractions",
        }
    }

    /// The value of the API's `datasetType`.
    pub fn as_api(self) -> &'static str {
        match self {
            DatasetType::Interactions => "Interactions",
            DatasetType::Items => "Items",
            DatasetType::Users => "Users",
            DatasetType::Actions => "Actions",
            DatasetType::ActionInteractions => "Action_Interactions",
        }
    }

    /// Parses the API's `datasetType`, which AWS returns in varying case.
    pub fn from_api(s: &str) -> Option<DatasetType> {
        let norm: String = s.chars().filter(|c| *c != '_').collect();
        DatasetType::ALL
            .into_iter()
            .find(|t| t.spec_key().eq_ignore_ascii_case(&norm))
    }

    /// Whether `UpdateDataset` may change this dataset's schema.
    pub fn schema_updatable(self) -> bool {
        matches!(self, DatasetType::Items | DatasetType::Users)
    }

    /// Whether only custom (domain-less) groups may hold this type.
    pub fn custom_only(self) -> bool {
        matches!(self, DatasetType::Actions | DatasetType::ActionInteractions)
    }
}

impl fmt::Display for DatasetType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spec_key())
    }
}
