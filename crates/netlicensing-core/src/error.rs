//! Errors of the domain layer; each knows its wire error id (the HTTP status follows from that id).

use netlicensing_model::{CodecError, info::ErrorId};
use thiserror::Error;

/// What a repository can report. Storage-engine types never cross into core.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RepoError {
    /// A number is already taken within the vendor.
    #[error("the number '{0}' is already used")]
    Duplicate(String),
    /// A licensee alias is already used by another licensee of the vendor.
    #[error("the alias '{0}' is already used")]
    AliasTaken(String),
    /// The storage is busy (a lock wait timed out); the request may be retried.
    #[error("storage busy: {0}")]
    Busy(String),
    /// A value does not fit its column (a number or amount beyond the 64-bit range); the request is at fault.
    #[error("value out of range: {0}")]
    OutOfRange(String),
    /// A broken invariant of the storage, described (no underlying error to carry).
    #[error("storage failure: {0}")]
    Failure(String),
    /// The storage engine failed; the engine's error is kept as the source (for the log's cause chain).
    #[error("storage failure: {context}")]
    Backend {
        /// What the store was doing.
        context: String,
        /// The engine's error.
        #[source]
        source: SharedError,
    },
}

impl RepoError {
    /// A failure of the storage engine while doing `context`, keeping the engine's error as the source.
    pub fn backend(context: impl Into<String>, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        RepoError::Backend { context: context.into(), source: SharedError(std::sync::Arc::new(source)) }
    }
}

/// An error shared by clones of the error that carries it (repository errors are `Clone`); equal when their
/// messages are.
#[derive(Debug, Clone)]
pub struct SharedError(pub std::sync::Arc<dyn std::error::Error + Send + Sync>);

impl std::fmt::Display for SharedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SharedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for SharedError {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for SharedError {}

/// Why a domain operation was refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoreError {
    /// The entity does not exist for this vendor.
    #[error("{0}")]
    NotFound(String),
    /// A parameter is missing or has the wrong form.
    #[error("{0}")]
    Malformed(String),
    /// A value could not be read.
    #[error("{0}")]
    Codec(#[from] CodecError),
    /// The request is valid in form but breaks a rule (entity in use, duplicate number ...).
    #[error("{0}")]
    IllegalOperation(String),
    /// A value breaks a validation rule.
    #[error("{0}")]
    Validation(String),
    /// A combination of values is not allowed.
    #[error("{0}")]
    IllegalArgument(String),
    /// The caller's role does not allow the operation.
    #[error("{0}")]
    Forbidden(String),
    /// The storage failed.
    #[error(transparent)]
    Storage(RepoError),
    /// The operating system gave no random bytes (for a generated number or key).
    #[error("no random bytes from the operating system")]
    Random(#[source] getrandom::Error),
}

impl From<RepoError> for CoreError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::Duplicate(number) => {
                CoreError::IllegalOperation(format!("The number '{number}' is already used by another entity"))
            }
            RepoError::AliasTaken(alias) => {
                CoreError::IllegalOperation(format!("The alias '{alias}' is already used by another licensee"))
            }
            RepoError::OutOfRange(what) => CoreError::Malformed(format!("Value out of range: {what}")),
            other => CoreError::Storage(other),
        }
    }
}

impl CoreError {
    /// The wire id of the error info.
    pub fn error_id(&self) -> ErrorId {
        match self {
            CoreError::NotFound(_) => ErrorId::NotFound,
            CoreError::Malformed(_) | CoreError::Codec(_) => ErrorId::MalformedRequest,
            CoreError::IllegalOperation(_) => ErrorId::IllegalOperation,
            CoreError::Validation(_) => ErrorId::Validation,
            CoreError::IllegalArgument(_) => ErrorId::IllegalArgument,
            CoreError::Forbidden(_) => ErrorId::AccessDenied,
            CoreError::Storage(RepoError::Busy(_)) => ErrorId::ServiceUnavailable,
            CoreError::Random(_) => ErrorId::Internal,
            CoreError::Storage(
                RepoError::Duplicate(_)
                | RepoError::AliasTaken(_)
                | RepoError::OutOfRange(_)
                | RepoError::Failure(_)
                | RepoError::Backend { .. },
            ) => ErrorId::Internal,
        }
    }

    /// A missing required parameter.
    pub fn missing(what: &str) -> Self {
        CoreError::Malformed(format!("{what} is required"))
    }

    /// An entity that does not exist, in the service's words: `Requested product does not exist`.
    pub fn not_found(what: &str) -> Self {
        CoreError::NotFound(format!("Requested {what} does not exist"))
    }
}

/// Result of domain operations.
pub type CoreResult<T> = Result<T, CoreError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_randomness_failure_is_no_storage_error_and_keeps_its_source() {
        let error = CoreError::Random(getrandom::Error::UNSUPPORTED);
        assert_eq!(error.error_id(), ErrorId::Internal);
        assert!(!matches!(error, CoreError::Storage(_)));
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn an_engine_failure_keeps_its_cause_through_the_core_error() {
        let error = CoreError::from(RepoError::backend("reading products", std::io::Error::other("disk on fire")));
        assert_eq!(error.error_id(), ErrorId::Internal);
        assert_eq!(error.to_string(), "storage failure: reading products");
        let cause = std::error::Error::source(&error).expect("the engine's error is the source");
        assert_eq!(cause.to_string(), "disk on fire");
        assert_eq!(error.clone(), error);
    }
}
