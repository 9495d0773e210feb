//! The API errors the emulator answers with, as Personalize names them.

use std::fmt;

/// An error code of the Personalize API (or of the AWS JSON protocol).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidInput,
    InvalidNextToken,
    ResourceNotFound,
    ResourceAlreadyExists,
    ResourceInUse,
    LimitExceeded,
    TooManyTags,
    TooManyTagKeys,
    Throttling,
    InternalFailure,
    Serialization,
    UnknownOperation,
    MissingAuthenticationToken,
}

impl ErrorCode {
    /// The code sent in `__type` and `x-amzn-errortype`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "InvalidInputException",
            ErrorCode::InvalidNextToken => "InvalidNextTokenException",
            ErrorCode::ResourceNotFound => "ResourceNotFoundException",
            ErrorCode::ResourceAlreadyExists => "ResourceAlreadyExistsException",
            ErrorCode::ResourceInUse => "ResourceInUseException",
            ErrorCode::LimitExceeded => "LimitExceededException",
            ErrorCode::TooManyTags => "TooManyTagsException",
            ErrorCode::TooManyTagKeys => "TooManyTagKeysException",
            ErrorCode::Throttling => "ThrottlingException",
            ErrorCode::InternalFailure => "InternalFailure",
            ErrorCode::Serialization => "SerializationException",
            ErrorCode::UnknownOperation => "UnknownOperationException",
            ErrorCode::MissingAuthenticationToken => "MissingAuthenticationTokenException",
        }
    }

    /// The HTTP status AWS answers this code with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InternalFailure => 500,
            ErrorCode::MissingAuthenticationToken => 403,
            _ => 400,
        }
    }
}

/// A refused request: its code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::InvalidInput, message)
    }

    pub fn not_found(arn: &str) -> ApiError {
        ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("Could not find resource: {arn}"),
        )
    }

    pub fn in_use(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::ResourceInUse, message)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}
