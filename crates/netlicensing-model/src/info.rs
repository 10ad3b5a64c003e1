//! The wire ids of error infos, each with the HTTP status it answers with.

/// Id of an error `info`, as the service spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorId {
    /// An entity or resource does not exist (404).
    NotFound,
    /// A parameter is missing or malformed (400).
    MalformedRequest,
    /// The request is well-formed but breaks a rule (400).
    IllegalOperation,
    /// A value fails validation (400).
    Validation,
    /// A combination of values is not allowed (400).
    IllegalArgument,
    /// Credentials are missing or wrong (401).
    Unauthorized,
    /// The caller may not do this (403).
    AccessDenied,
    /// The request method is not allowed on the path (405).
    MethodNotAllowed,
    /// The request body is too large (413).
    PayloadTooLarge,
    /// The request body has a media type the service does not read (415).
    UnsupportedMediaType,
    /// The request (its body) did not arrive in time (408).
    RequestTimeout,
    /// The service is overloaded or a lock wait timed out (503).
    ServiceUnavailable,
    /// Something failed inside the service (500).
    Internal,
}

impl ErrorId {
    /// The `id` attribute of the info.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "NotFoundException",
            Self::MalformedRequest => "MalformedRequestException",
            Self::IllegalOperation => "IllegalOperationException",
            Self::Validation => "ValidationException",
            Self::IllegalArgument => "IllegalArgumentException",
            Self::Unauthorized => "UnauthorizedException",
            Self::AccessDenied => "AccessDeniedException",
            Self::MethodNotAllowed => "MethodNotAllowedException",
            Self::PayloadTooLarge => "PayloadTooLargeException",
            Self::UnsupportedMediaType => "UnsupportedMediaTypeException",
            Self::RequestTimeout => "RequestTimeoutException",
            Self::ServiceUnavailable => "ServiceUnavailableException",
            Self::Internal => "ServerException",
        }
    }

    /// The HTTP status of an answer carrying this error.
    pub fn status(self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::MalformedRequest | Self::IllegalOperation | Self::Validation | Self::IllegalArgument => 400,
            Self::Unauthorized => 401,
            Self::AccessDenied => 403,
            Self::MethodNotAllowed => 405,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::RequestTimeout => 408,
            Self::ServiceUnavailable => 503,
            Self::Internal => 500,
        }
    }
}
