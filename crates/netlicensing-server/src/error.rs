//! Errors of the HTTP layer: the core's, plus what only HTTP knows. Each becomes a status and an `infos`
//! error entry in the negotiated format; the status follows from the wire error id in one place.

use netlicensing_core::CoreError;
use netlicensing_model::info::ErrorId;

/// An error answered to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// A domain error.
    Core(CoreError),
    /// No or wrong credentials (answered with a Basic challenge).
    Unauthorized(String),
    /// No such path.
    NoRoute(String),
    /// The path exists but not for this method.
    MethodNotAllowed(String),
    /// The body is larger than accepted.
    PayloadTooLarge(usize),
    /// A body that is not form-encoded.
    UnsupportedMediaType(String),
    /// The body did not arrive within the limit (seconds).
    RequestTimeout(u64),
    /// The server refuses more work of this kind for now (503 with `Retry-After`): the reason.
    Busy(String),
}

impl From<CoreError> for ApiError {
    fn from(error: CoreError) -> Self {
        ApiError::Core(error)
    }
}

impl ApiError {
    /// The wire error id; the HTTP status is [`ErrorId::status`] of it.
    pub fn error_id(&self) -> ErrorId {
        match self {
            ApiError::Core(error) => error.error_id(),
            ApiError::Unauthorized(_) => ErrorId::Unauthorized,
            ApiError::NoRoute(_) => ErrorId::NotFound,
            ApiError::MethodNotAllowed(_) => ErrorId::MethodNotAllowed,
            ApiError::PayloadTooLarge(_) => ErrorId::PayloadTooLarge,
            ApiError::UnsupportedMediaType(_) => ErrorId::UnsupportedMediaType,
            ApiError::RequestTimeout(_) => ErrorId::RequestTimeout,
            ApiError::Busy(_) => ErrorId::ServiceUnavailable,
        }
    }

    /// The message shown to the client: the real one for client errors, a generic one for server errors.
    pub fn message(&self) -> String {
        match self {
            ApiError::Core(error) if self.error_id().status() >= 500 => {
                log::error!("request failed: {error}");
                match self.error_id() {
                    ErrorId::ServiceUnavailable => "The service is busy, please retry".into(),
                    _ => "Internal service error".into(),
                }
            }
            ApiError::Core(error) => error.to_string(),
            ApiError::Unauthorized(message)
            | ApiError::NoRoute(message)
            | ApiError::MethodNotAllowed(message)
            | ApiError::Busy(message) => message.clone(),
            ApiError::PayloadTooLarge(limit) => {
                format!("The request body is larger than {limit} bytes")
            }
            ApiError::UnsupportedMediaType(found) => {
                format!("Request bodies must be application/x-www-form-urlencoded, not '{found}'")
            }
            ApiError::RequestTimeout(seconds) => format!("The request body did not arrive within {seconds} s"),
        }
    }
}
