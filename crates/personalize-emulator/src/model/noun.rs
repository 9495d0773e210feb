//! What the emulator keeps: every kind pzr manages (`Kind`), and the solution
//! versions Personalize makes inside a solution, which pzr does not manage and
//! so has no `Kind` for. Both are described by the same `KindInfo` facts.

use serde::{de::IntoDeserializer, Deserialize, Deserializer, Serialize, Serializer};

use personalize_facts::resource::{Kind, KindInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Noun {
    Kind(Kind),
    /// A trained model of a solution. There is no DeleteSolutionVersion: a
    /// version goes with its solution.
    SolutionVersion,
}

/// The API facts of solution versions, as botocore's model names them
/// (`CreateSolutionVersion`, `DescribeSolutionVersion` → `solutionVersion`,
/// `ListSolutionVersions` → `solutionVersions` narrowed by `solutionArn`, the
/// `SolutionVersionSummary` members). Their ARN is
/// `solution/<solution name>/<version id>`.
const SOLUTION_VERSION: KindInfo = KindInfo {
    camel_name: "solutionVersion",
    api_noun: "SolutionVersion",
    arn_type: "solution",
    arn_member: "solutionVersionArn",
    describe_member: "solutionVersion",
    list_member: "solutionVersions",
    list_parent_member: Some("solutionArn"),
    summary_members: &["trainingMode", "trainingType"],
    label: "solution version",
    taggable: true,
    one_per_group: false,
};

impl Noun {
    /// A bulk import into a dataset. There is no DeleteDatasetImportJob.
    pub const DATASET_IMPORT_JOB: Noun = Noun::Kind(Kind::DatasetImportJob);

    /// Every noun the emulator serves, in `Kind`'s order, versions last.
    pub fn all() -> impl Iterator<Item = Noun> {
        Kind::ALL
            .into_iter()
            .map(Noun::Kind)
            .chain([Noun::SolutionVersion])
    }

    pub fn info(self) -> &'static KindInfo {
        match self {
            Noun::Kind(kind) => kind.info(),
            Noun::SolutionVersion => &SOLUTION_VERSION,
        }
    }

    /// The member naming it in requests and answers: `jobName` for import
    /// jobs, `name` for the rest.
    pub fn name_member(self) -> &'static str {
        match self {
            Noun::DATASET_IMPORT_JOB => "jobName",
            _ => "name",
        }
    }

    /// Whether the API has a Delete for it.
    pub fn deletable(self) -> bool {
        !matches!(self, Noun::SolutionVersion | Noun::DATASET_IMPORT_JOB)
    }

    pub fn label(self) -> &'static str {
        self.info().label
    }
}

impl From<Kind> for Noun {
    fn from(kind: Kind) -> Noun {
        Noun::Kind(kind)
    }
}

impl PartialEq<Kind> for Noun {
    fn eq(&self, kind: &Kind) -> bool {
        *self == Noun::Kind(*kind)
    }
}

// In the state file a noun is its address prefix, as `Kind` serialises, so
// files written before versions existed still load.
impl Serialize for Noun {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Noun::Kind(kind) => kind.serialize(serializer),
            Noun::SolutionVersion => serializer.serialize_str(self.info().camel_name),
        }
    }
}

impl<'de> Deserialize<'de> for Noun {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Noun, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text == Noun::SolutionVersion.info().camel_name {
            return Ok(Noun::SolutionVersion);
        }
        Kind::deserialize(IntoDeserializer::<D::Error>::into_deserializer(text)).map(Noun::Kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_serialise_as_kinds_do_and_old_spellings_load() {
        for noun in Noun::all() {
            let json = serde_json::to_value(noun).unwrap();
            assert_eq!(json, noun.info().camel_name);
            assert_eq!(serde_json::from_value::<Noun>(json).unwrap(), noun);
        }
        let old: Noun = serde_json::from_str("\"DatasetGroup\"").unwrap();
        assert_eq!(old, Kind::DatasetGroup);
        assert!(serde_json::from_str::<Noun>("\"nope\"").is_err());
    }
}
