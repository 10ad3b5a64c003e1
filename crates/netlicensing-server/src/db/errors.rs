//! Database errors classified by their SQLSTATE (PostgreSQL) or result code (SQLite), never by message text.

use netlicensing_core::RepoError;
use sea_orm::{DbErr, RuntimeErr, sqlx};

/// What a database error means to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A unique constraint (a taken number or alias).
    Unique,
    /// Lock contention, a timeout or an exhausted pool: the request may be retried.
    Busy,
    /// Anything else.
    Other,
}

/// PostgreSQL SQLSTATEs that mean "busy": lock_not_available, serialization_failure, deadlock_detected,
/// query_canceled (statement timeout), too_many_connections.
const PG_BUSY: &[&str] = &["55P03", "40001", "40P01", "57014", "53300"];
/// PostgreSQL unique_violation.
const PG_UNIQUE: &str = "23505";
/// SQLite (extended) result codes that mean "busy": SQLITE_BUSY and its extended codes, SQLITE_LOCKED and
/// its extended codes.
const SQLITE_BUSY: &[&str] = &["5", "261", "517", "773", "6", "262", "518"];
/// SQLite SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
const SQLITE_UNIQUE: &[&str] = &["2067", "1555"];

fn sqlx_error(error: &DbErr) -> Option<&sqlx::Error> {
    match error {
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => Some(e.as_ref()),
        _ => None,
    }
}

/// The class of a database error.
pub fn classify(error: &DbErr) -> Class {
    if matches!(error, DbErr::ConnectionAcquire(_)) {
        return Class::Busy;
    }
    let Some(error) = sqlx_error(error) else { return Class::Other };
    if matches!(error, sqlx::Error::PoolTimedOut) {
        return Class::Busy;
    }
    let Some(code) = error.as_database_error().and_then(|e| e.code()) else { return Class::Other };
    class_of_code(&code)
}

fn class_of_code(code: &str) -> Class {
    if code == PG_UNIQUE || SQLITE_UNIQUE.contains(&code) {
        Class::Unique
    } else if PG_BUSY.contains(&code) || SQLITE_BUSY.contains(&code) {
        Class::Busy
    } else {
        Class::Other
    }
}

/// A database error as the store reports it; a unique violation is a duplicate of `number`.
pub fn repo_error(error: DbErr, number: Option<&str>) -> RepoError {
    match classify(&error) {
        Class::Unique => RepoError::Duplicate(number.unwrap_or_default().to_owned()),
        Class::Busy => RepoError::Busy(error.to_string()),
        // Kept as the source, so the 5xx log line shows the engine's error chain.
        Class::Other => RepoError::backend("database", error),
    }
}

/// A database error where a unique violation cannot be the caller's doing.
pub fn failure(error: DbErr) -> RepoError {
    repo_error(error, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_not_messages_decide() {
        assert_eq!(class_of_code("23505"), Class::Unique);
        assert_eq!(class_of_code("2067"), Class::Unique);
        assert_eq!(class_of_code("55P03"), Class::Busy);
        assert_eq!(class_of_code("5"), Class::Busy);
        assert_eq!(class_of_code("23503"), Class::Other);
        let message_only = DbErr::Custom("database is locked".into());
        assert_eq!(classify(&message_only), Class::Other, "a message alone classifies nothing");
        let other = failure(message_only);
        let source = std::error::Error::source(&other).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("Custom Error: database is locked"), "the engine's error is the source");
    }
}
