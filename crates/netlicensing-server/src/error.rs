//! Errors of the HTTP layer: the core's, plus what only HTTP knows. Each becomes a status and an `infos`
//! error entry in the negotiated format; the status follows from the wire error id in one place. Server errors
//! are logged once, with their sources, by [`crate::observe`]; the client sees a generic message.

use netlicensing_core::CoreError;
use netlicensing_model::info::ErrorId;

/// An error answered to the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// A domain error.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// No or wrong credentials (answered with a Basic challenge).
    #[error("{0}")]
    Unauthorized(String),
    /// No such path.
    #[error("{0}")]
    NoRoute(String),
    /// The path exists but not for this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The body is larger than accepted.
    #[error("The request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// A body that is not form-encoded.
    #[error("Request bodies must be application/x-www-form-urlencoded, not '{0}'")]
    UnsupportedMediaType(String),
    /// The body did not arrive within the limit (seconds).
    #[error("The request body did not arrive within {0} s")]
    RequestTimeout(u64),
    /// The server refuses more work of this kind for now (503 with `Retry-After`): the reason.
    #[error("{0}")]
    Busy(String),
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

    /// True for errors of the server (status 5xx), whose details the client does not see.
    pub fn is_server_error(&self) -> bool {
        self.error_id().status() >= 500
    }

    /// The message shown to the client: the real one for client errors, a generic one for server errors.
    /// Pure: the server error itself is logged by [`crate::observe`].
    pub fn message(&self) -> String {
        match self {
            // A domain error of the server: its details stay in the log.
            ApiError::Core(_) if self.is_server_error() => match self.error_id() {
                ErrorId::ServiceUnavailable => "The service is busy, please retry".into(),
                _ => "Internal service error".into(),
            },
            // The server's own refusals (Busy) say why and when to retry.
            _ => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use netlicensing_core::RepoError;

    use super::*;

    #[test]
    fn server_errors_keep_their_details_to_themselves() {
        let error = ApiError::from(CoreError::from(RepoError::Failure("disk on fire".into())));
        assert_eq!(error.message(), "Internal service error");
        assert!(error.to_string().contains("disk on fire"), "the log line has the detail");
        assert_eq!(ApiError::PayloadTooLarge(10).message(), "The request body is larger than 10 bytes");
        assert_eq!(ApiError::from(CoreError::NotFound("gone".into())).message(), "gone");
    }
}
