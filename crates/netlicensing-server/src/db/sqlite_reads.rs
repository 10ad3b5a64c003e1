//! Validation's read on a SQLite file, run synchronously on the request's own thread with a connection of
//! its own (rusqlite on the same SQLite library as sqlx). Through sqlx every query is a pool acquire plus a
//! command to the connection's worker thread and an answer back, each a thread wake-up; at a few tens of
//! microseconds per read those hand-offs cost more than SQLite's work. A WAL reader never waits for the
//! writer, so the thread is held only for the read itself (the busy timeout bounds the rare wait of a WAL
//! checkpoint). Writes and every other read keep going through sqlx.

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
    time::Duration,
};

use netlicensing_core::{RepoError, VendorId, record::LicenseeRecords};
use rusqlite::{Connection, ErrorCode, OpenFlags, types::Value as Sql};
use sea_orm::{DatabaseBackend, DatabaseConnection, Value};

use super::licensing;

/// Idle connections kept for reuse (one per thread reading at once; more are opened when needed and closed
/// when handed back beyond this).
const IDLE: usize = 16;

/// Page cache of each reading connection, in KiB (the writer pool's connections keep their own).
const CACHE_KIB: i64 = 16384;

/// Synchronous readers of one SQLite database file.
#[derive(Debug)]
pub struct SqliteReads {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl SqliteReads {
    /// Readers of the file behind `db`, when it is SQLite on a file (an in-memory database has no file a
    /// second connection could open).
    pub fn of(db: &DatabaseConnection) -> Option<Self> {
        if db.get_database_backend() != DatabaseBackend::Sqlite {
            return None;
        }
        let options = db.get_sqlite_connection_pool().connect_options();
        let path = options.get_filename();
        path.is_file().then(|| Self { path: path.to_path_buf(), idle: Mutex::new(Vec::new()) })
    }

    /// Validation's read of the licensee `key` names (see [`licensing::read`]), on this thread.
    pub fn licensing(&self, vendor: VendorId, key: &str) -> Result<Option<LicenseeRecords>, RepoError> {
        let connection = match self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            Some(connection) => connection,
            None => open(&self.path).map_err(error)?,
        };
        let result = read(&connection, vendor, key);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < IDLE
        {
            idle.push(connection);
        }
        result
    }
}

/// A connection that only reads.
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let connection = Connection::open_with_flags(path, flags)?;
    connection.busy_timeout(Duration::from_secs(5))?;
    connection.pragma_update(None, "query_only", true)?;
    connection.pragma_update(None, "cache_size", -CACHE_KIB)?;
    connection.set_prepared_statement_cache_capacity(4);
    Ok(connection)
}

/// The one statement of [`licensing`], prepared once per connection.
fn read(connection: &Connection, vendor: VendorId, key: &str) -> Result<Option<LicenseeRecords>, RepoError> {
    let (sql, stand_ins) = licensing::template(DatabaseBackend::Sqlite);
    let values = licensing::values(stand_ins, vendor, key).map(sql_value).collect::<Result<Vec<_>, _>>()?;
    let mut statement = connection.prepare_cached(sql).map_err(error)?;
    let mut rows = statement.query(rusqlite::params_from_iter(values)).map_err(error)?;
    let Some(row) = rows.next().map_err(error)? else { return Ok(None) };
    let text = |i: usize| -> Result<Option<&str>, RepoError> {
        let value = row.get_ref(i).map_err(error)?;
        value.as_str_or_null().map_err(|e| RepoError::backend(licensing::COLUMNS[i], e))
    };
    let revision: i64 = row.get(licensing::COLUMNS.len()).map_err(error)?;
    licensing::decode([text(0)?, text(1)?, text(2)?, text(3)?], revision).map(Some)
}

/// A statement value as rusqlite binds it.
fn sql_value(value: Value) -> Result<Sql, RepoError> {
    Ok(match value {
        Value::BigInt(Some(n)) => Sql::Integer(n),
        Value::Int(Some(n)) => Sql::Integer(n.into()),
        Value::Bool(Some(b)) => Sql::Integer(b.into()),
        Value::String(Some(text)) => Sql::Text(text),
        other => return Err(RepoError::Failure(format!("unexpected statement value {other:?}"))),
    })
}

/// A rusqlite error as the store reports it: busy or locked (after the busy timeout) is [`RepoError::Busy`].
fn error(e: rusqlite::Error) -> RepoError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => RepoError::Busy(e.to_string()),
        _ => RepoError::backend("database", e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_is_busy_and_values_bind() {
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(5), None);
        assert!(matches!(error(busy), RepoError::Busy(_)));
        let other = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(1), None);
        assert!(matches!(error(other), RepoError::Backend { .. }));
        assert_eq!(sql_value(Value::from(7_i64)).ok(), Some(Sql::Integer(7)));
        assert_eq!(sql_value(Value::from("I1")).ok(), Some(Sql::Text("I1".into())));
        assert!(sql_value(Value::Double(Some(1.0))).is_err());
    }
}
