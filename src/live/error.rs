//! Errors from talking to Personalize.

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The service answered with an error.
    #[error("{operation}{}: {code}: {message}", on(resource))]
    Api {
        operation: &'static str,
        resource: String,
        code: String,
        message: String,
    },
    /// No answer: connection, timeout, credentials, or a response that did not parse.
    #[error("{operation}{}: {detail}", on(resource))]
    Transport {
        operation: &'static str,
        resource: String,
        detail: String,
        /// The request never reached an answer: DNS, connect, TLS or a timeout.
        unreachable: bool,
    },
    /// `LimitExceededException` still, after retrying (see `limits`).
    #[error(
        "{error} (still refused after {attempts} attempts over {:.1}s). Personalize gives this \
         error for a request rate, for resources or trainings being created at once, and for \
         quotas, without saying which: for a request rate, retry later or lower --parallelism; \
         for creations at once, retry once those in progress are done; for a quota (such as \
         dataset groups per region), request an increase in Service Quotas \
         (https://console.aws.amazon.com/servicequotas/home/services/personalize/quotas)",
        .waited.as_secs_f64()
    )]
    LimitExceeded {
        error: Box<LiveError>,
        attempts: u32,
        waited: std::time::Duration,
    },
}

impl LiveError {
    /// The service's error code (`ResourceInUseException`, ...), if it answered.
    pub fn code(&self) -> Option<&str> {
        match self {
            LiveError::Api { code, .. } => Some(code),
            LiveError::Transport { .. } => None,
            LiveError::LimitExceeded { error, .. } => error.code(),
        }
    }

    /// Refused for a limit, not retried yet (see `limits`).
    pub fn is_limit_exceeded(&self) -> bool {
        matches!(self, LiveError::Api { code, .. } if code == "LimitExceededException")
    }

    pub fn is_not_found(&self) -> bool {
        self.code() == Some("ResourceNotFoundException")
    }

    pub fn is_already_exists(&self) -> bool {
        self.code() == Some("ResourceAlreadyExistsException")
    }

    /// Refused because something else still uses the resource, or works on it.
    pub fn is_in_use(&self) -> bool {
        self.code() == Some("ResourceInUseException")
    }

    /// What went wrong, in the terms a user acts on.
    pub fn problem(&self) -> Problem {
        match self {
            LiveError::Api {
                operation,
                code,
                message,
                ..
            } => match code.as_str() {
                "UnrecognizedClientException"
                | "InvalidSignatureException"
                | "SignatureDoesNotMatch"
                | "ExpiredTokenException"
                | "InvalidClientTokenId"
                | "MissingAuthenticationTokenException" => Problem::Credentials,
                "AccessDeniedException" => Problem::AccessDenied {
                    action: denied_action(message)
                        .unwrap_or_else(|| format!("personalize:{operation}")),
                },
                _ => Problem::Other,
            },
            LiveError::Transport { detail, .. } if detail.contains("credentials") => {
                Problem::Credentials
            }
            LiveError::Transport {
                unreachable: true, ..
            } => Problem::Unreachable,
            LiveError::Transport { .. } => Problem::Other,
            LiveError::LimitExceeded { .. } => Problem::LimitExceeded,
        }
    }

    pub(crate) fn from_sdk<E, R>(
        operation: &'static str,
        resource: &str,
        err: SdkError<E, R>,
    ) -> LiveError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        let resource = resource.to_string();
        match err.code() {
            Some(code) => LiveError::Api {
                operation,
                resource,
                code: code.to_string(),
                message: err.message().unwrap_or_default().to_string(),
            },
            None => LiveError::Transport {
                operation,
                resource,
                unreachable: match &err {
                    SdkError::TimeoutError(_) => true,
                    SdkError::DispatchFailure(d) => d.is_io() || d.is_timeout(),
                    _ => false,
                },
                detail: causes(&err),
            },
        }
    }
}

/// What a failed call means for the user, whatever the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No credentials, or ones AWS does not accept.
    Credentials,
    /// The identity lacks the IAM permission `action` (`personalize:ListDatasetGroups`).
    AccessDenied {
        action: String,
    },
    /// No answer from the endpoint: DNS, connect, TLS, timeout.
    Unreachable,
    /// `LimitExceededException` after pzr's retries.
    LimitExceeded,
    Other,
}

/// The IAM action named in an AccessDenied message, which IAM words as
/// "... is not authorized to perform: personalize:CreateDatasetGroup on
/// resource: ..." (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html);
/// an `iam:PassRole` refused during CreateDatasetGroup is named there too.
fn denied_action(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("perform: ")?;
    let action: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
        .collect();
    action.contains(':').then_some(action)
}

fn on(resource: &str) -> String {
    if resource.is_empty() {
        String::new()
    } else {
        format!(" {resource}")
    }
}

/// The error's chain of causes, each once, without debug dumps.
fn causes(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// Maps "not found" to `None`; the one place pzr does so.
pub(crate) fn found<T>(result: Result<T, LiveError>) -> Result<Option<T>, LiveError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str, message: &str) -> LiveError {
        LiveError::Api {
            operation: "CreateDatasetGroup",
            resource: "shop".into(),
            code: code.into(),
            message: message.into(),
        }
    }

    #[test]
    fn access_denied_names_the_iam_action_iam_names_or_the_operation() {
        let passrole = api(
            "AccessDeniedException",
            "User: arn:aws:sts::111122223333:assumed-role/pzr-ci/gh is not authorized to \
             perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/PersonalizeKms",
        );
        let bare = api("AccessDeniedException", "Access denied");
        assert_eq!(
            passrole.problem(),
            Problem::AccessDenied {
                action: "iam:PassRole".into()
            }
        );
        assert_eq!(
            bare.problem(),
            Problem::AccessDenied {
                action: "personalize:CreateDatasetGroup".into()
            }
        );
        assert_eq!(
            api("ExpiredTokenException", "").problem(),
            Problem::Credentials
        );
        assert_eq!(api("ResourceInUseException", "").problem(), Problem::Other);
    }
}
