//! A resource's life-cycle status, parsed once where it comes from (the SDK,
//! the emulator, a saved plan) and asked questions of, never compared as text.

use std::fmt;

/// The statuses Personalize documents for its resources
/// (`CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED`,
/// the `UPDATE` and `DELETE` analogues, and a recommender's `STOP`/`START`
/// states and `INACTIVE`, a solution version's `CREATE STOPPING` and
/// `CREATE STOPPED`). Anything else is kept verbatim in `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Status {
    CreatePending,
    CreateInProgress,
    Active,
    CreateFailed,
    UpdatePending,
    UpdateInProgress,
    UpdateFailed,
    DeletePending,
    DeleteInProgress,
    DeleteFailed,
    StopPending,
    StopInProgress,
    Inactive,
    StartPending,
    StartInProgress,
    CreateStopping,
    CreateStopped,
    Other(String),
}

const NAMED: [(Status, &str); 17] = [
    (Status::CreatePending, "CREATE PENDING"),
    (Status::CreateInProgress, "CREATE IN_PROGRESS"),
    (Status::Active, "ACTIVE"),
    (Status::CreateFailed, "CREATE FAILED"),
    (Status::UpdatePending, "UPDATE PENDING"),
    (Status::UpdateInProgress, "UPDATE IN_PROGRESS"),
    (Status::UpdateFailed, "UPDATE FAILED"),
    (Status::DeletePending, "DELETE PENDING"),
    (Status::DeleteInProgress, "DELETE IN_PROGRESS"),
    (Status::DeleteFailed, "DELETE FAILED"),
    (Status::StopPending, "STOP PENDING"),
    (Status::StopInProgress, "STOP IN_PROGRESS"),
    (Status::Inactive, "INACTIVE"),
    (Status::StartPending, "START PENDING"),
    (Status::StartInProgress, "START IN_PROGRESS"),
    (Status::CreateStopping, "CREATE STOPPING"),
    (Status::CreateStopped, "CREATE STOPPED"),
];

impl Status {
    pub fn parse(text: &str) -> Status {
        NAMED
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(status, _)| status.clone())
            .unwrap_or_else(|| Status::Other(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Status::Other(text) => text,
            known => NAMED
                .iter()
                .find(|(status, _)| status == known)
                .map(|(_, name)| *name)
                .unwrap_or_default(),
        }
    }

    /// On its way to a settled state by a create, update, stop or start: it can
    /// be neither used nor deleted yet.
    pub fn is_settling(&self) -> bool {
        matches!(
            self,
            Status::CreatePending
                | Status::CreateInProgress
                | Status::UpdatePending
                | Status::UpdateInProgress
                | Status::StopPending
                | Status::StopInProgress
                | Status::StartPending
                | Status::StartInProgress
                | Status::CreateStopping
        )
    }

    /// Being deleted (or its delete failed).
    pub fn is_deleting(&self) -> bool {
        matches!(
            self,
            Status::DeletePending | Status::DeleteInProgress | Status::DeleteFailed
        )
    }

    pub fn is_failed(&self) -> bool {
        matches!(
            self,
            Status::CreateFailed | Status::UpdateFailed | Status::DeleteFailed
        )
    }
}

impl std::str::FromStr for Status {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Status, Self::Err> {
        Ok(Status::parse(text))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

crate::serde_as_string!(Status);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_it_prints() {
        for (status, name) in NAMED.iter() {
            assert_eq!(Status::parse(name), *status);
            assert_eq!(status.as_str(), *name);
        }
        assert_eq!(Status::parse("NEW THING").as_str(), "NEW THING");
    }

    #[test]
    fn questions() {
        assert!(Status::UpdatePending.is_settling());
        assert!(!Status::DeletePending.is_settling());
        assert!(!Status::Active.is_settling());
        assert!(Status::CreateStopping.is_settling());
        assert!(!Status::CreateStopped.is_settling());
        assert!(Status::DeleteInProgress.is_deleting());
        assert!(Status::CreateFailed.is_failed());
        assert!(!Status::Inactive.is_failed());
    }
}
