//! One transaction of the [`SqlStore`](super::SqlStore): reads, writes, the lock of a licensee, and at commit
//! the change announcement and the licensees' revisions.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use async_trait::async_trait;
use netlicensing_core::{
    RepoError, VendorId,
    record::{Kind, LicenseeRecords, LinkKind, Listing, NewRecord, Query, Record, RecordId, Revision},
    repo::{NewEvent, Tx, changes::Written},
};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseTransaction,
    sea_query::{Expr, ExprTrait, Order},
};

use super::super::{changes::Changes, errors::failure, outbox, revision, rows, schema, select, write};

/// Records a write transaction remembers as read, for updates that rewrite only what changed.
const SEEN_LIMIT: usize = 1000;

/// One transaction.
pub(super) struct SqlTx {
    tx: DatabaseTransaction,
    /// The SQLite writer's turn, held until the transaction ends (declared after `tx`, so dropped after it).
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
    backend: DatabaseBackend,
    changes: Arc<Changes>,
    /// What this transaction changed, for the validation cache (see [`super::changes`]).
    written: Written,
    /// The licensees this transaction inserted (their revisions need no raise, see [`revision`]).
    fresh: HashSet<RecordId>,
    /// Write transactions: the records read, as read, so an update rewrites only the side tables it changes.
    seen: Option<HashMap<(Kind, RecordId), Record>>,
}

impl SqlTx {
    /// A transaction; `writable` ones remember what they read (see [`SqlTx::remember`]).
    pub(super) fn new(
        tx: DatabaseTransaction,
        gate: Option<tokio::sync::OwnedMutexGuard<()>>,
        changes: Arc<Changes>,
        writable: bool,
    ) -> Self {
        let backend = tx.get_database_backend();
        SqlTx {
            tx,
            _gate: gate,
            backend,
            changes,
            written: Written::default(),
            fresh: HashSet::new(),
            seen: writable.then(HashMap::new),
        }
    }

    /// Records what writing a record changes, from the record as stored now (see [`super::changes`]).
    async fn touched(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
        if Written::tracks(kind) {
            let stored = self.one(vendor, kind, select::Key::Id(id)).await?;
            self.written.stored(vendor, kind, id, stored.as_ref());
        }
        Ok(())
    }

    /// The records a select returns, completed from the side tables.
    async fn records(
        &self,
        vendor: VendorId,
        kind: Kind,
        q: &sea_orm::sea_query::SelectStatement,
    ) -> Result<Vec<Record>, RepoError> {
        let mut out = rows::records(kind, &self.tx.query_all(q).await.map_err(failure)?)?;
        rows::complete(&self.tx, vendor, kind, &mut out).await?;
        Ok(out)
    }

    async fn one(&mut self, vendor: VendorId, kind: Kind, key: select::Key<'_>) -> Result<Option<Record>, RepoError> {
        let found = self.records(vendor, kind, &select::one(kind, vendor, key)).await?.pop();
        self.remember(kind, found.as_slice());
        Ok(found)
    }

    /// Records what an insert changed (a template's product is a derived link: read back).
    async fn inserted(
        &mut self,
        vendor: VendorId,
        kind: Kind,
        record: &NewRecord,
        id: RecordId,
    ) -> Result<(), RepoError> {
        if kind == Kind::Licensee {
            self.fresh.insert(id);
        }
        if kind == Kind::LicenseTemplate {
            // Its product is a derived link: read it back.
            self.touched(vendor, kind, id).await?;
        } else if Written::tracks(kind) {
            let stored = Record {
                id,
                number: record.number.clone(),
                active: record.active,
                links: record.links.clone(),
                properties: Vec::new(),
                lists: Vec::new(),
                in_use: false,
            };
            self.written.stored(vendor, kind, id, Some(&stored));
        }
        Ok(())
    }

    /// A write transaction keeps the records it read (up to [`SEEN_LIMIT`]), so that an update of one of them
    /// rewrites only the side tables it changes.
    fn remember(&mut self, kind: Kind, records: &[Record]) {
        if let Some(seen) = self.seen.as_mut() {
            for record in records {
                if seen.len() >= SEEN_LIMIT {
                    return;
                }
                seen.insert((kind, record.id), record.clone());
            }
        }
    }
}

#[async_trait]
impl Tx for SqlTx {
    async fn get(&mut self, vendor: VendorId, kind: Kind, number: &str) -> Result<Option<Record>, RepoError> {
        self.one(vendor, kind, select::Key::Number(number)).await
    }

    async fn licensee_by_alias(&mut self, vendor: VendorId, alias: &str) -> Result<Option<Record>, RepoError> {
        Ok(self.records(vendor, Kind::Licensee, &select::licensee_by_alias(vendor, alias)).await?.pop())
    }

    async fn get_by_id(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<Option<Record>, RepoError> {
        self.one(vendor, kind, select::Key::Id(id)).await
    }

    async fn list(&mut self, vendor: VendorId, kind: Kind, query: &Query) -> Result<Listing, RepoError> {
        let mut q = select::records(kind, vendor);
        select::filter(&mut q, kind, vendor, &query.conditions);
        select::order_by(&mut q, kind, query.order);
        if query.items >= i64::MAX as u64 && query.page == 0 {
            // The service's own "everything" reads need no separate count.
            let records = self.records(vendor, kind, &q).await?;
            self.remember(kind, &records);
            let total = records.len() as u64;
            return Ok(Listing { records, total });
        }
        let offset = Ord::min(query.page.saturating_mul(query.items), i64::MAX as u64);
        let total = if query.counted {
            let count = select::count(kind, vendor, &query.conditions);
            let total: i64 = match self.tx.query_one(&count).await.map_err(failure)? {
                Some(row) => row.try_get_by("n").map_err(|e| RepoError::Failure(format!("count: {e:?}")))?,
                None => 0,
            };
            let total = Ord::max(total, 0) as u64;
            if offset >= total {
                return Ok(Listing { records: Vec::new(), total });
            }
            Some(total)
        } else {
            None
        };
        // The page's ids first (an index walk), then only those rows with their joins.
        let mut ids = Vec::new();
        for row in self
            .tx
            .query_all(&select::page_ids(kind, vendor, &query.conditions, query.order, query.items, offset))
            .await
            .map_err(failure)?
        {
            ids.push(row.try_get_by::<i64, _>("id").map_err(|e| RepoError::Failure(format!("id: {e:?}")))?);
        }
        if ids.is_empty() {
            return Ok(Listing { records: Vec::new(), total: total.unwrap_or(0) });
        }
        let mut q = select::records(kind, vendor);
        q.and_where(Expr::col((schema::T, "id")).is_in(ids.clone())).order_by((schema::T, "id"), Order::Asc);
        let mut records = self.records(vendor, kind, &q).await?;
        if query.order != netlicensing_core::record::Order::Id {
            // In the page's order (the rows came by id).
            let at: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            records.sort_by_key(|r| at.get(&r.id).copied());
        }
        self.remember(kind, &records);
        let total = total.unwrap_or(records.len() as u64);
        Ok(Listing { records, total })
    }

    async fn licensing(&mut self, vendor: VendorId, key: &str) -> Result<Option<LicenseeRecords>, RepoError> {
        let found = super::super::licensing::read(&self.tx, vendor, key).await?;
        if let Some(found) = &found {
            self.remember(Kind::Licensee, std::slice::from_ref(&found.licensee));
            self.remember(Kind::License, &found.licenses);
        }
        Ok(found)
    }

    async fn insert(&mut self, vendor: VendorId, kind: Kind, record: &NewRecord) -> Result<RecordId, RepoError> {
        let id = write::insert(&self.tx, vendor, kind, record).await?;
        self.inserted(vendor, kind, record, id).await?;
        Ok(id)
    }

    async fn insert_unless_taken(
        &mut self,
        vendor: VendorId,
        kind: Kind,
        record: &NewRecord,
    ) -> Result<Option<RecordId>, RepoError> {
        let id = write::insert_unless(&self.tx, vendor, kind, record, true).await?;
        if let Some(id) = id {
            self.inserted(vendor, kind, record, id).await?;
        }
        Ok(id)
    }

    async fn update(&mut self, vendor: VendorId, kind: Kind, record: &Record) -> Result<(), RepoError> {
        self.written.stored(vendor, kind, record.id, Some(record));
        let previous = self.seen.as_mut().and_then(|seen| seen.remove(&(kind, record.id)));
        write::update(&self.tx, vendor, kind, record, previous.as_ref()).await?;
        if let Some(seen) = self.seen.as_mut() {
            seen.insert((kind, record.id), record.clone());
        }
        Ok(())
    }

    async fn delete(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
        self.touched(vendor, kind, id).await?;
        if let Some(seen) = self.seen.as_mut() {
            seen.clear();
        }
        write::delete(&self.tx, vendor, kind, id).await
    }

    async fn relink(
        &mut self,
        vendor: VendorId,
        kind: Kind,
        id: RecordId,
        link: LinkKind,
        parent: RecordId,
    ) -> Result<(), RepoError> {
        let column = schema::table(kind)
            .parent_column(link)
            .ok_or_else(|| RepoError::Failure(format!("{kind:?} has no {link:?} link")))?;
        self.touched(vendor, kind, id).await?;
        write::relink(&self.tx, vendor, kind, id, column, parent).await?;
        self.touched(vendor, kind, id).await
    }

    async fn lock(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
        if self.backend == DatabaseBackend::Postgres {
            self.tx.query_all(&select::lock(kind, vendor, id)).await.map_err(failure)?;
        }
        Ok(())
    }

    async fn lock_licensee(&mut self, vendor: VendorId, id: RecordId) -> Result<Option<Revision>, RepoError> {
        // SQLite's write transactions are serialised already: the revision alone.
        let q = revision::of(vendor, id, self.backend == DatabaseBackend::Postgres);
        let Some(row) = self.tx.query_one(&q).await.map_err(failure)? else { return Ok(None) };
        row.try_get_by(revision::COLUMN).map(Some).map_err(|e| RepoError::Failure(format!("revision: {e:?}")))
    }

    fn known(&mut self, kind: Kind, records: &[Record]) {
        self.remember(kind, records);
    }

    async fn enqueue(&mut self, vendor: VendorId, event: &NewEvent) -> Result<(), RepoError> {
        outbox::enqueue(&self.tx, vendor, event).await
    }

    async fn commit(self: Box<Self>) -> Result<(), RepoError> {
        let raise = revision::raise(&self.written, &self.fresh);
        // On PostgreSQL, delivered to every replica's listener when (and only if) the transaction commits, the
        // revisions raised in the same statement.
        let payloads = match self.backend {
            DatabaseBackend::Postgres => self.changes.payloads(&self.written),
            _ => Vec::new(),
        };
        if !payloads.is_empty() {
            self.tx.query_all_raw(revision::announce(&payloads, raise)).await.map_err(failure)?;
        } else if let Some(raise) = raise {
            self.tx.execute(&raise).await.map_err(failure)?;
        }
        self.tx.commit().await.map_err(failure)?;
        self.changes.committed(&self.written);
        Ok(())
    }
}
