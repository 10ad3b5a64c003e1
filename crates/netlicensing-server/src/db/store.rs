//! The core's [`Store`] on sea-orm: SQLite or PostgreSQL.

use std::sync::Arc;

use async_trait::async_trait;
use netlicensing_core::{
    RepoError, VendorId,
    record::{Condition, Kind, Link, LinkKind, Links, Listing, NewRecord, Query, Record, RecordId, aliases},
    repo::{NewVendor, Scope, Stamp, Store, Tx, Vendor, changes::Written},
};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, QueryResult, SqlErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait, Value,
};

use super::{
    changes::{self, Changes},
    data, sql,
    tables::table,
};

/// The store over a connection pool.
#[derive(Clone)]
pub struct SqlStore {
    db: DatabaseConnection,
    changes: Arc<Changes>,
}

impl SqlStore {
    /// A store over a migrated database. On PostgreSQL it starts listening for the other replicas' changes
    /// (on the current Tokio runtime; without one, nothing is cached).
    pub fn new(db: DatabaseConnection) -> Self {
        let changes = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let changes = Changes::remote();
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(changes.clone().listen(db.clone()));
                }
                changes
            }
            _ => Changes::local(),
        };
        Self { db, changes }
    }

    /// The connection pool.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    fn backend(&self) -> DatabaseBackend {
        self.db.get_database_backend()
    }
}

/// Maps a database error: unique violations are duplicates, lock waits are busy, the rest failures.
fn repo_error(error: DbErr, number: Option<&str>) -> RepoError {
    if let Some(SqlErr::UniqueConstraintViolation(_)) = error.sql_err() {
        return RepoError::Duplicate(number.unwrap_or_default().to_owned());
    }
    let text = error.to_string();
    if text.contains("database is locked") || text.contains("lock timeout") || text.contains("55P03") {
        return RepoError::Busy(text);
    }
    RepoError::Failure(text)
}

fn failure(error: DbErr) -> RepoError {
    repo_error(error, None)
}

#[async_trait]
impl Store for SqlStore {
    async fn write(&self) -> Result<Box<dyn Tx>, RepoError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let tx = self.db.begin_with_options(options).await.map_err(failure)?;
        Ok(Box::new(SqlTx { tx, backend: self.backend(), changes: self.changes.clone(), written: Written::default() }))
    }

    async fn read(&self) -> Result<Box<dyn Tx>, RepoError> {
        let tx = self.db.begin().await.map_err(failure)?;
        Ok(Box::new(SqlTx { tx, backend: self.backend(), changes: self.changes.clone(), written: Written::default() }))
    }

    fn stamp(&self) -> Option<Stamp> {
        self.changes.log().stamp()
    }

    fn unchanged(&self, stamp: Stamp, scopes: &[Scope]) -> bool {
        self.changes.log().unchanged(stamp, scopes)
    }

    async fn vendor_by_login(&self, login: &str) -> Result<Option<Vendor>, RepoError> {
        let stmt = sql::statement(
            self.backend(),
            "SELECT id, number, login, password_hash FROM vendor WHERE login = ?",
            vec![login.into()],
        );
        let row = self.db.query_one_raw(stmt).await.map_err(failure)?;
        row.map(|row| vendor(&row)).transpose()
    }

    async fn create_vendor(&self, new: &NewVendor) -> Result<Vendor, RepoError> {
        let stmt = sql::statement(
            self.backend(),
            "INSERT INTO vendor (number, login, password_hash) VALUES (?, ?, ?) RETURNING id",
            vec![new.number.clone().into(), new.login.clone().into(), new.password_hash.clone().into()],
        );
        let row = self.db.query_one_raw(stmt).await.map_err(|e| repo_error(e, Some(&new.number)))?;
        let id = row.ok_or_else(|| RepoError::Failure("no id returned".into()))?;
        Ok(Vendor {
            id: VendorId(get(&id, "id")?),
            number: new.number.clone(),
            login: new.login.clone(),
            password_hash: new.password_hash.clone(),
        })
    }

    async fn token_by_number(&self, number: &str) -> Result<Option<(Vendor, Record)>, RepoError> {
        let stmt = sql::statement(
            self.backend(),
            "SELECT v.id AS vendor_id, v.number AS vendor_number, v.login, v.password_hash, \
             t.id, t.number, t.active, t.data, CAST(0 AS BIGINT) AS in_use \
             FROM token t JOIN vendor v ON v.id = t.vendor_id WHERE t.number = ?",
            vec![number.into()],
        );
        let Some(row) = self.db.query_one_raw(stmt).await.map_err(failure)? else { return Ok(None) };
        let vendor = Vendor {
            id: VendorId(get(&row, "vendor_id")?),
            number: get(&row, "vendor_number")?,
            login: get(&row, "login")?,
            password_hash: get(&row, "password_hash")?,
        };
        Ok(Some((vendor, record_of(Kind::Token, &row)?)))
    }

    async fn vendor_count(&self) -> Result<u64, RepoError> {
        let stmt = sql::statement(self.backend(), "SELECT COUNT(*) AS n FROM vendor", vec![]);
        let row = self.db.query_one_raw(stmt).await.map_err(failure)?;
        let n: i64 = row.map(|row| get(&row, "n")).transpose()?.unwrap_or(0);
        Ok(n.max(0) as u64)
    }
}

fn vendor(row: &QueryResult) -> Result<Vendor, RepoError> {
    Ok(Vendor {
        id: VendorId(get(row, "id")?),
        number: get(row, "number")?,
        login: get(row, "login")?,
        password_hash: get(row, "password_hash")?,
    })
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, RepoError> {
    row.try_get("", column).map_err(|e| RepoError::Failure(format!("column {column}: {e}")))
}

/// One transaction.
struct SqlTx {
    tx: DatabaseTransaction,
    backend: DatabaseBackend,
    changes: Arc<Changes>,
    /// What this transaction changed (see [`changes`]).
    written: Written,
}

impl SqlTx {
    /// Replaces the alias index of a licensee with the aliases of its properties.
    async fn index_aliases(
        &mut self,
        vendor: VendorId,
        id: RecordId,
        properties: &[netlicensing_core::model::Property],
        replace: bool,
    ) -> Result<(), RepoError> {
        if replace {
            self.tx
                .execute_raw(sql::statement(self.backend, sql::CLEAR_ALIASES, vec![id.into()]))
                .await
                .map_err(failure)?;
        }
        for alias in aliases(properties) {
            let stmt =
                sql::statement(self.backend, sql::ADD_ALIAS, vec![vendor.0.into(), alias.clone().into(), id.into()]);
            self.tx.execute_raw(stmt).await.map_err(|e| match repo_error(e, None) {
                RepoError::Duplicate(_) => RepoError::AliasTaken(alias),
                other => other,
            })?;
        }
        Ok(())
    }

    /// Records what writing a record changes, from the record as stored now (see [`changes`]).
    async fn touched(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
        if Written::tracks(kind) {
            let stored = self.one(kind, vendor, true, id.into()).await?;
            self.written.stored(vendor, kind, id, stored.as_ref());
        }
        Ok(())
    }

    async fn rows(&self, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>, RepoError> {
        self.tx.query_all_raw(sql::statement(self.backend, sql, values)).await.map_err(failure)
    }

    fn record(&self, kind: Kind, row: &QueryResult) -> Result<Record, RepoError> {
        record_of(kind, row)
    }

    async fn one(&self, kind: Kind, vendor: VendorId, by_id: bool, key: Value) -> Result<Option<Record>, RepoError> {
        let rows = self.rows(&sql::select_one(kind, by_id), vec![vendor.0.into(), key]).await?;
        rows.first().map(|row| self.record(kind, row)).transpose()
    }
}

/// A record from a row of the record select ([`sql::select`]).
fn record_of(kind: Kind, row: &QueryResult) -> Result<Record, RepoError> {
    let mut links = Links::default();
    for link in sql::links(kind) {
        let alias = sql::alias(*link);
        let id: i64 = get(row, &format!("{alias}_id"))?;
        let number: String = get(row, &format!("{alias}_number"))?;
        links.set(*link, Some(Link { id, number }));
    }
    let text: String = get(row, "data")?;
    let (properties, lists) = data::decode(&text).map_err(|e| RepoError::Failure(format!("data: {e}")))?;
    let in_use: i64 = get(row, "in_use")?;
    Ok(Record {
        id: get(row, "id")?,
        number: get(row, "number")?,
        active: get(row, "active")?,
        links,
        properties,
        lists,
        in_use: in_use != 0,
    })
}

fn holds(record: &Record, condition: &Condition) -> bool {
    match condition {
        Condition::Property(name, value) => record.property(name) == Some(value.as_str()),
        _ => true,
    }
}

#[async_trait]
impl Tx for SqlTx {
    async fn get(&mut self, vendor: VendorId, kind: Kind, number: &str) -> Result<Option<Record>, RepoError> {
        self.one(kind, vendor, false, number.into()).await
    }

    async fn licensee_by_alias(&mut self, vendor: VendorId, alias: &str) -> Result<Option<Record>, RepoError> {
        let values = vec![vendor.0.into(), vendor.0.into(), alias.into()];
        let rows = self.rows(&sql::licensee_by_alias(), values).await?;
        rows.first().map(|row| self.record(Kind::Licensee, row)).transpose()
    }

    async fn get_by_id(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<Option<Record>, RepoError> {
        self.one(kind, vendor, true, id.into()).await
    }

    async fn list(&mut self, vendor: VendorId, kind: Kind, query: &Query) -> Result<Listing, RepoError> {
        let (select, mut values) = sql::select(kind, &query.conditions);
        values.insert(0, vendor.0.into());
        let offset = query.page.saturating_mul(query.items);
        let in_rust = query.conditions.iter().any(|c| matches!(c, Condition::Property(..)));
        if in_rust {
            let mut matching = Vec::new();
            for row in self.rows(&select, values).await? {
                let record = self.record(kind, &row)?;
                if query.conditions.iter().all(|c| holds(&record, c)) {
                    matching.push(record);
                }
            }
            let total = matching.len() as u64;
            let records = matching.into_iter().skip(offset as usize).take(query.items as usize).collect();
            return Ok(Listing { records, total });
        }
        if query.items >= i64::MAX as u64 && query.page == 0 {
            // The service's own "everything" reads need no separate count.
            let records: Vec<Record> =
                self.rows(&select, values).await?.iter().map(|row| self.record(kind, row)).collect::<Result<_, _>>()?;
            let total = records.len() as u64;
            return Ok(Listing { records, total });
        }
        let (count, mut count_values) = sql::count(kind, &query.conditions);
        count_values.insert(0, vendor.0.into());
        let total: i64 = match self.rows(&count, count_values).await?.first() {
            Some(row) => get(row, "n")?,
            None => 0,
        };
        let paged = format!("{select} LIMIT ? OFFSET ?");
        values.push((query.items as i64).into());
        values.push((offset.min(i64::MAX as u64) as i64).into());
        let records =
            self.rows(&paged, values).await?.iter().map(|row| self.record(kind, row)).collect::<Result<_, _>>()?;
        Ok(Listing { records, total: total.max(0) as u64 })
    }

    async fn insert(&mut self, vendor: VendorId, kind: Kind, record: &NewRecord) -> Result<RecordId, RepoError> {
        let mut values: Vec<Value> = vec![
            vendor.0.into(),
            record.number.clone().into(),
            record.active.into(),
            data::encode(&record.properties, &record.lists).into(),
        ];
        for (link, _, _) in table(kind).parents {
            let id =
                record.links.get(*link).map(|l| l.id).ok_or_else(|| RepoError::Failure(format!("missing {link:?}")))?;
            values.push(id.into());
        }
        let stmt = sql::statement(self.backend, &sql::insert(kind), values);
        let row = self.tx.query_one_raw(stmt).await.map_err(|e| repo_error(e, Some(&record.number)))?;
        let id = get(&row.ok_or_else(|| RepoError::Failure("no id returned".into()))?, "id")?;
        if kind == Kind::Licensee {
            self.index_aliases(vendor, id, &record.properties, false).await?;
        }
        self.touched(vendor, kind, id).await?;
        Ok(id)
    }

    async fn update(&mut self, vendor: VendorId, kind: Kind, record: &Record) -> Result<(), RepoError> {
        let values: Vec<Value> = vec![
            record.number.clone().into(),
            record.active.into(),
            data::encode(&record.properties, &record.lists).into(),
            vendor.0.into(),
            record.id.into(),
        ];
        self.written.stored(vendor, kind, record.id, Some(record));
        let stmt = sql::statement(self.backend, &sql::update(kind), values);
        self.tx.execute_raw(stmt).await.map_err(|e| repo_error(e, Some(&record.number)))?;
        if kind == Kind::Licensee {
            self.index_aliases(vendor, record.id, &record.properties, true).await?;
        }
        Ok(())
    }

    async fn delete(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
        self.touched(vendor, kind, id).await?;
        let stmt = sql::statement(self.backend, &sql::delete(kind), vec![vendor.0.into(), id.into()]);
        self.tx.execute_raw(stmt).await.map_err(failure)?;
        Ok(())
    }

    async fn relink(
        &mut self,
        vendor: VendorId,
        kind: Kind,
        id: RecordId,
        link: LinkKind,
        parent: RecordId,
    ) -> Result<(), RepoError> {
        let column = table(kind)
            .parents
            .iter()
            .find(|(l, _, _)| *l == link)
            .map(|(_, column, _)| *column)
            .ok_or_else(|| RepoError::Failure(format!("{kind:?} has no {link:?} link")))?;
        self.touched(vendor, kind, id).await?;
        let stmt =
            sql::statement(self.backend, &sql::relink(kind, column), vec![parent.into(), vendor.0.into(), id.into()]);
        self.tx.execute_raw(stmt).await.map_err(failure)?;
        self.touched(vendor, kind, id).await?;
        Ok(())
    }

    async fn lock(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
        if self.backend == DatabaseBackend::Postgres {
            self.rows(&sql::lock(kind), vec![vendor.0.into(), id.into()]).await?;
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<(), RepoError> {
        if self.backend == DatabaseBackend::Postgres {
            // Delivered to every replica's listener when (and only if) the transaction commits.
            for payload in self.changes.payloads(&self.written) {
                let notify = format!("SELECT pg_notify({}, ?)", changes::CHANNEL_SQL);
                self.rows(&notify, vec![payload.into()]).await?;
            }
        }
        self.tx.commit().await.map_err(failure)?;
        self.changes.committed(&self.written);
        Ok(())
    }
}
