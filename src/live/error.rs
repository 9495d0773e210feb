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

    /// Whether the failure is about missing or invalid credentials.
    pub fn is_credentials(&self) -> bool {
        match self {
            LiveError::Api { code, .. } => matches!(
                code.as_str(),
                "UnrecognizedClientException"
                    | "InvalidSignatureException"
                    | "ExpiredTokenException"
                    | "MissingAuthenticationTokenException"
                    | "AccessDeniedException"
            ),
            LiveError::Transport { detail, .. } => detail.contains("credentials"),
            LiveError::LimitExceeded { .. } => false,
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
                detail: causes(&err),
            },
        }
    }
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
