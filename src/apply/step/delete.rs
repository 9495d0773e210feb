//! Deleting a resource and waiting until it is gone, finishing what an
//! interrupted apply began.

use super::super::wait::{self, Verdict};
use super::{StepError, StepRun};
use crate::live::{Actions, LiveError, LiveStatus};
use crate::resource::Kind;

/// How Personalize took a delete.
pub(super) enum Deletion {
    Accepted,
    /// Refused because in use, and the plan keeps such a resource.
    Kept,
}

impl<A: Actions> StepRun<'_, A> {
    /// Deletes and waits until gone. Looks first, so that what an earlier,
    /// interrupted apply left behind is finished without a refused call: a
    /// resource already being deleted is only waited for, one still being
    /// created is waited for until it can be deleted. Unless the plan has
    /// just seen it settled: then it asks at once (a look would cost a call
    /// on every delete's critical path), and one gone since is done.
    pub(super) async fn delete_and_wait(
        &self,
        kind: Kind,
        arn: &str,
    ) -> Result<Option<String>, StepError> {
        let deleting = |s: &Option<LiveStatus>| s.as_ref().is_some_and(|s| s.status.is_deleting());
        let actions = self.cx.actions;
        let status = match self.cx.seen.get(arn) {
            Some(seen) if !seen.is_settling() && !seen.is_deleting() => {
                Some(LiveStatus::of(seen.clone()))
            }
            _ => actions.status(kind, arn).await?,
        };
        if status.is_none() {
            return Ok(None);
        }
        if !deleting(&status) {
            if wait::settled(status.as_ref()) != Verdict::Done {
                self.wait(kind, arn, wait::settled).await?;
            }
            match self.request_delete(kind, arn).await {
                Ok(Deletion::Accepted) => {}
                Ok(Deletion::Kept) => return Ok(None),
                Err(err) if err.is_not_found() => return Ok(None),
                Err(err) => {
                    // Another apply may have started the delete meanwhile
                    // (and, its delete being quick, even finished it).
                    let now = actions.status(kind, arn).await?;
                    if !(err.is_in_use() && (now.is_none() || deleting(&now))) {
                        return Err(err.into());
                    }
                }
            }
        }
        self.wait(kind, arn, wait::gone).await?;
        Ok(None)
    }

    /// Asks for the delete. Refused because the resource is in use, the step
    /// does what the plan says such a refusal means (`Op::kept_when_in_use`).
    pub(super) async fn request_delete(
        &self,
        kind: Kind,
        arn: &str,
    ) -> Result<Deletion, LiveError> {
        match self.cx.actions.delete(kind, arn).await {
            Ok(()) => Ok(Deletion::Accepted),
            Err(err) if err.is_in_use() => match self.step.op.kept_when_in_use() {
                Some(why) => {
                    self.cx.progress.line(&format!("note: {why}"));
                    Ok(Deletion::Kept)
                }
                None => Err(err),
            },
            Err(err) => Err(err),
        }
    }
}
