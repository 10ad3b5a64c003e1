//! Storage: connecting by URL scheme (SQLite or PostgreSQL), migrating, and the store the core works on.
//!
//! SQLite: WAL journal, `synchronous=NORMAL` (no acknowledged write is lost on a crash of the process; the last
//! commits may be lost on power loss), foreign keys on, 5 s busy timeout, 4 connections (and, on a file, one
//! more that every write transaction runs on, see [`store`]); every transaction that may write begins
//! IMMEDIATE, after its turn in the store's writer queue; `PRAGMA optimize` at start and as
//! connections close keeps the planner's statistics current. PostgreSQL: 10 connections, `lock_timeout` 5 s and `statement_timeout` 30 s so a
//! stuck lock becomes a 503, migrations serialised across replicas by an advisory lock.

pub mod branding;
pub mod changes;
pub mod entity;
pub mod errors;
pub mod fields;
pub mod licensing;
pub mod migration;
pub mod outbox;
pub mod planner;
pub mod revision;
pub mod rows;
pub mod schema;
pub mod select;
pub mod sessions;
pub mod sqlite_reads;
pub mod statistics;
pub mod store;
pub mod write;

use std::time::Duration;

use sea_orm::sqlx::{
    postgres::PgConnectOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use migration::Migrator;

/// Opens a connection pool for a `sqlite:` or `postgres:` URL, optionally inside a PostgreSQL schema.
pub async fn connect(url: &str, schema: Option<&str>) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options.sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // A file on this machine: no ping before every use (a round trip to the connection's thread).
        options.max_connections(4).min_connections(1).test_before_acquire(false).map_sqlx_sqlite_opts(sqlite_options);
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        options.max_connections(10).map_sqlx_postgres_opts(postgres_options);
        if let Some(schema) = schema {
            options.set_schema_search_path(schema);
        }
    } else {
        return Err(DbErr::Custom(format!(
            "unsupported DATABASE_URL '{url}': use sqlite://FILE?mode=rwc or postgres://USER@HOST/DB"
        )));
    }
    Database::connect(options).await
}

fn sqlite_options(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .create_if_missing(true)
        // Keep the planner's statistics current: bounded ANALYZE of what changed when a connection closes.
        .optimize_on_close(true, 1000)
        // 16 MiB of page cache per connection (SQLite's default is 2 MiB): the indexes of a million licenses
        // are walked without going to the disk for every page.
        .pragma("cache_size", "-16384")
}

fn postgres_options(options: PgConnectOptions) -> PgConnectOptions {
    options.options([("lock_timeout", "5s"), ("statement_timeout", "30s")])
}

/// Brings the schema up to date. On PostgreSQL a transaction-scoped advisory lock serialises replicas that
/// start at once.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        let lock = db.begin().await?;
        lock.execute_unprepared("SELECT pg_advisory_xact_lock(7345112001)").await?;
        Migrator::up(db, None).await?;
        lock.commit().await
    } else {
        Migrator::up(db, None).await?;
        // Statistics for the planner where tables changed much since they were last analysed.
        db.execute_unprepared("PRAGMA optimize=0x10002").await.map(|_| ())
    }
}

/// Refreshes the query planner's statistics of every table after a bulk load (PostgreSQL also sets the
/// visibility map, so counts can read indexes alone, as autovacuum would later).
pub async fn analyze(db: &DatabaseConnection) -> Result<(), DbErr> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => "VACUUM (ANALYZE)",
        _ => "ANALYZE",
    };
    db.execute_unprepared(sql).await.map(|_| ())
}
