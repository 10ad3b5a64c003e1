//! The core's [`Store`] on sea-orm: SQLite or PostgreSQL.

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use netlicensing_core::{
    RepoError, VendorId,
    record::{Kind, LicenseeRecords, Record, RecordId},
    repo::{DayCount, Delivery, NewVendor, Scope, Stamp, Store, Tx, Vendor, WarningLevels},
};
use netlicensing_model::{
    entity::Branding,
    types::{Currency, WireEnum, WireValue},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sea_query::Expr,
};

mod tx;

use tx::SqlTx;

use super::{
    changes::Changes,
    entity::{token, vendor},
    errors::{failure, repo_error},
    outbox, rows, select,
    sqlite_reads::SqliteReads,
    statistics,
};

/// How long a write transaction waits for SQLite's one writer before the store reports itself busy (the
/// same as SQLite's busy timeout).
const WRITER_WAIT: Duration = Duration::from_secs(5);

/// The store over a connection pool.
#[derive(Clone)]
pub struct SqlStore {
    db: DatabaseConnection,
    changes: Arc<Changes>,
    /// SQLite has one writer: write transactions queue here, in order, instead of polling the database lock
    /// (which starves some writers under load). `None` on PostgreSQL, whose row locks queue writers.
    writer: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Validation's read on the request's thread, on a SQLite file.
    reads: Option<Arc<SqliteReads>>,
    /// On a SQLite file, the one connection every write transaction runs on: its page cache stays valid from
    /// one write to the next (a connection drops its whole cache when another connection has written).
    writes: Option<DatabaseConnection>,
}

impl SqlStore {
    /// A store over a migrated database. On PostgreSQL it starts listening for the other replicas' changes
    /// (on the current Tokio runtime; without one, nothing is cached) and keeping the planner's statistics
    /// current while autovacuum is off ([`super::planner`]).
    pub fn new(db: DatabaseConnection) -> Self {
        let changes = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let changes = Changes::remote();
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(changes.clone().listen(db.clone()));
                    runtime.spawn(super::planner::keep(db.clone()));
                }
                changes
            }
            _ => Changes::local(),
        };
        let writer =
            (db.get_database_backend() == DatabaseBackend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(())));
        let reads = SqliteReads::of(&db).map(Arc::new);
        let writes = reads.is_some().then(|| writing_connection(&db));
        Self { db, changes, writer, reads, writes }
    }

    /// The connection pool.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Closes the connection writes run on, if the store has one of its own (at shutdown, before the pool:
    /// SQLite's last connection to close folds the WAL into the database file).
    pub async fn close_writes(&self) -> Result<(), sea_orm::DbErr> {
        match &self.writes {
            Some(writes) => writes.close_by_ref().await,
            None => Ok(()),
        }
    }

    fn tx(
        &self,
        tx: DatabaseTransaction,
        gate: Option<tokio::sync::OwnedMutexGuard<()>>,
        writable: bool,
    ) -> Box<dyn Tx> {
        Box::new(SqlTx::new(tx, gate, self.changes.clone(), writable))
    }
}

/// A pool of one connection to the SQLite file behind `db`, with its options, opened when first used.
fn writing_connection(db: &DatabaseConnection) -> DatabaseConnection {
    let options = db.get_sqlite_connection_pool().connect_options().as_ref().clone();
    let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(WRITER_WAIT)
        // A file on this machine: a ping before every transaction would be one more round trip to the
        // connection's thread, for nothing.
        .test_before_acquire(false)
        .connect_lazy_with(options);
    sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
}

fn vendor_of(row: vendor::Model) -> Vendor {
    Vendor { id: VendorId(row.id), number: row.number, login: row.login, password_hash: row.password_hash }
}

#[async_trait]
impl Store for SqlStore {
    async fn write(&self) -> Result<Box<dyn Tx>, RepoError> {
        let (tx, gate) = self.begin_write().await?;
        Ok(self.tx(tx, gate, true))
    }

    async fn read(&self) -> Result<Box<dyn Tx>, RepoError> {
        Ok(self.tx(self.db.begin().await.map_err(failure)?, None, false))
    }

    async fn deliveries(&self, vendor: VendorId, notification: RecordId) -> Result<Vec<Delivery>, RepoError> {
        outbox::deliveries(&self.db, vendor, notification).await
    }

    async fn resend(&self, vendor: VendorId, notification: RecordId, event_id: &str) -> Result<bool, RepoError> {
        outbox::resend(&self.db, vendor, notification, event_id).await
    }

    async fn warning_levels(&self, vendor: VendorId) -> Result<WarningLevels, RepoError> {
        statistics::warning_levels(&self.db, vendor).await
    }

    async fn floating_sessions(&self, vendor: VendorId, now: DateTime<Utc>) -> Result<u64, RepoError> {
        statistics::floating_sessions(&self.db, vendor, now).await
    }

    async fn add_validations(&self, vendor: VendorId, days: &[DayCount]) -> Result<(), RepoError> {
        let (tx, _turn) = self.begin_write().await?;
        // A vendor deleted since its validations were counted takes them along.
        if vendor::Entity::find_by_id(vendor.0).one(&tx).await.map_err(failure)?.is_none() {
            return Ok(());
        }
        statistics::add_validations(&tx, vendor, days).await?;
        tx.commit().await.map_err(failure)
    }

    async fn validations(&self, vendor: VendorId, since: NaiveDate) -> Result<Vec<DayCount>, RepoError> {
        statistics::validations(&self.db, vendor, since).await
    }

    fn stamp(&self) -> Option<Stamp> {
        self.changes.log().stamp()
    }

    fn unchanged(&self, stamp: Stamp, scopes: &[Scope]) -> bool {
        self.changes.log().unchanged(stamp, scopes)
    }

    async fn vendor_by_login(&self, login: &str) -> Result<Option<Vendor>, RepoError> {
        let row =
            vendor::Entity::find().filter(vendor::Column::Login.eq(login)).one(&self.db).await.map_err(failure)?;
        Ok(row.map(vendor_of))
    }

    async fn vendor_by_number(&self, number: &str) -> Result<Option<Vendor>, RepoError> {
        let row =
            vendor::Entity::find().filter(vendor::Column::Number.eq(number)).one(&self.db).await.map_err(failure)?;
        Ok(row.map(vendor_of))
    }

    async fn create_vendor(&self, new: &NewVendor) -> Result<Vendor, RepoError> {
        let now = Utc::now();
        let row = vendor::ActiveModel {
            number: Set(new.number.clone()),
            login: Set(new.login.clone()),
            password_hash: Set(new.password_hash.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let inserted =
            vendor::Entity::insert(row).exec(&self.db).await.map_err(|e| repo_error(e, Some(&new.number)))?;
        Ok(Vendor {
            id: VendorId(inserted.last_insert_id),
            number: new.number.clone(),
            login: new.login.clone(),
            password_hash: new.password_hash.clone(),
        })
    }

    async fn token_by_number(&self, number: &str) -> Result<Option<(Vendor, Record)>, RepoError> {
        let Some((row, owner)) = token::Entity::find()
            .filter(token::Column::Number.eq(number))
            .find_also_related(vendor::Entity)
            .one(&self.db)
            .await
            .map_err(failure)?
        else {
            return Ok(None);
        };
        let Some(owner) = owner else { return Ok(None) };
        let owner = vendor_of(owner);
        let found =
            self.db.query_all(&select::one(Kind::Token, owner.id, select::Key::Id(row.id))).await.map_err(failure)?;
        let mut records = rows::records(Kind::Token, &found)?;
        rows::complete(&self.db, owner.id, Kind::Token, &mut records).await?;
        Ok(records.pop().map(|record| (owner, record)))
    }

    async fn licensing(&self, vendor: VendorId, key: &str) -> Result<Option<LicenseeRecords>, RepoError> {
        match &self.reads {
            Some(reads) => reads.licensing(vendor, key),
            None => super::licensing::read(&self.db, vendor, key).await,
        }
    }

    async fn vendor_count(&self) -> Result<u64, RepoError> {
        vendor::Entity::find().count(&self.db).await.map_err(failure)
    }

    async fn vendors(&self) -> Result<Vec<Vendor>, RepoError> {
        let rows = vendor::Entity::find().order_by_asc(vendor::Column::Login).all(&self.db).await.map_err(failure)?;
        Ok(rows.into_iter().map(vendor_of).collect())
    }

    async fn set_password_hash(&self, login: &str, password_hash: &str) -> Result<bool, RepoError> {
        self.set_vendor_column(login, vendor::Column::PasswordHash, Expr::value(password_hash)).await
    }

    async fn delete_vendor(&self, login: &str) -> Result<bool, RepoError> {
        // Every table's rows go with their vendor (foreign keys ON DELETE CASCADE).
        let deleted = vendor::Entity::delete_many()
            .filter(vendor::Column::Login.eq(login))
            .exec(&self.db)
            .await
            .map_err(failure)?;
        Ok(deleted.rows_affected > 0)
    }

    async fn branding(&self, vendor: VendorId) -> Result<Option<Branding>, RepoError> {
        super::branding::read(&self.db, vendor).await
    }

    async fn set_branding(&self, vendor: VendorId, branding: &Branding) -> Result<(), RepoError> {
        super::branding::write(&self.db, vendor, branding).await
    }

    async fn validation_ttl(&self, vendor: VendorId) -> Result<Option<i64>, RepoError> {
        let row = vendor::Entity::find_by_id(vendor.0).one(&self.db).await.map_err(failure)?;
        Ok(row.and_then(|row| row.validation_ttl_seconds))
    }

    async fn set_validation_ttl(&self, login: &str, seconds: Option<i64>) -> Result<bool, RepoError> {
        self.set_vendor_column(login, vendor::Column::ValidationTtlSeconds, Expr::value(seconds)).await
    }

    async fn default_currency(&self, vendor: VendorId) -> Result<Option<Currency>, RepoError> {
        let row = vendor::Entity::find_by_id(vendor.0).one(&self.db).await.map_err(failure)?;
        // A value stored by hand that is no currency counts as none.
        Ok(row.and_then(|row| row.default_currency).and_then(|text| Currency::parse_wire(&text)))
    }

    async fn set_default_currency(&self, login: &str, currency: Option<Currency>) -> Result<bool, RepoError> {
        let text = currency.map(|c| c.as_str().to_owned());
        self.set_vendor_column(login, vendor::Column::DefaultCurrency, Expr::value(text)).await
    }
}

impl SqlStore {
    /// Begins a transaction that may write, after its turn in SQLite's writer queue (the guard holds the turn).
    async fn begin_write(&self) -> Result<(DatabaseTransaction, Option<tokio::sync::OwnedMutexGuard<()>>), RepoError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let gate = match &self.writer {
            Some(writer) => Some(
                tokio::time::timeout(WRITER_WAIT, writer.clone().lock_owned())
                    .await
                    .map_err(|_| RepoError::Busy(format!("no write turn within {} s", WRITER_WAIT.as_secs())))?,
            ),
            None => None,
        };
        let db = self.writes.as_ref().unwrap_or(&self.db);
        Ok((db.begin_with_options(options).await.map_err(failure)?, gate))
    }

    /// Sets one column of the vendor with that login (and its `updated_at`); false when there is none.
    async fn set_vendor_column(
        &self,
        login: &str,
        column: vendor::Column,
        value: sea_orm::sea_query::SimpleExpr,
    ) -> Result<bool, RepoError> {
        let updated = vendor::Entity::update_many()
            .col_expr(column, value)
            .col_expr(vendor::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(vendor::Column::Login.eq(login))
            .exec(&self.db)
            .await
            .map_err(failure)?;
        Ok(updated.rows_affected > 0)
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, TransactionTrait};

    use super::*;
    use crate::testing::{Backend, TestDb};

    /// A temporary table lives on one connection: what one write transaction made, the next one sees.
    #[actix_web::test]
    async fn every_write_transaction_on_a_sqlite_file_runs_on_one_connection() {
        let db = TestDb::new(Backend::Sqlite).await;
        let store = db.store();
        for n in 0..3 {
            let (tx, _turn) = store.begin_write().await.unwrap();
            tx.execute_unprepared("CREATE TEMP TABLE IF NOT EXISTS seen (n INTEGER)").await.unwrap();
            tx.execute_unprepared(&format!("INSERT INTO temp.seen VALUES ({n})")).await.unwrap();
            let row = tx.query_one_raw(sea_orm::Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT count(*) AS c FROM temp.seen",
            ));
            let count: i64 = row.await.unwrap().unwrap().try_get("", "c").unwrap();
            assert_eq!(count, n + 1, "the same connection as every write before");
            tx.commit().await.unwrap();
        }
        // Reads go through the pool, whose connections never saw the table.
        let read = store.connection().begin().await.unwrap();
        assert!(read.execute_unprepared("SELECT n FROM temp.seen").await.is_err());
        read.rollback().await.unwrap();
        drop(store);
        db.drop_all().await;
    }
}
