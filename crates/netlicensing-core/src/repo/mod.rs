//! Storage seen from core: a store of vendors and of each vendor's records, used through transactions.
//! Every record method takes the vendor first; the credential lookups are the only unscoped reads.

pub mod changes;
pub mod memory;
pub mod outbox;
pub mod statistics;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use netlicensing_model::{entity::Branding, types::Currency};

use crate::{
    caller::VendorId,
    error::RepoError,
    record::{Condition, Kind, LicenseeRecords, LinkKind, Listing, NewRecord, Query, Record, RecordId, Revision},
};

/// A vendor account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vendor {
    /// Storage id.
    pub id: VendorId,
    /// Vendor number (e.g. `VDEMO`).
    pub number: String,
    /// Login name for Basic authentication.
    pub login: String,
    /// Argon2 PHC string of the password.
    pub password_hash: String,
}

/// A vendor to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVendor {
    /// Vendor number.
    pub number: String,
    /// Login name.
    pub login: String,
    /// Argon2 PHC string of the password.
    pub password_hash: String,
}

pub use changes::{Scope, Stamp};
pub use outbox::{Delivery, DeliveryStatus, NewEvent};
pub use statistics::{DayCount, WarningLevels};

/// The whole storage.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Starts a transaction that may write. Writes of concurrent transactions are serialised by the store.
    async fn write(&self) -> Result<Box<dyn Tx>, RepoError>;

    /// Starts a read-only transaction.
    async fn read(&self) -> Result<Box<dyn Tx>, RepoError>;

    /// Finds a vendor by login (credential lookup; unscoped by nature).
    async fn vendor_by_login(&self, login: &str) -> Result<Option<Vendor>, RepoError>;

    /// Finds a vendor by number (the operator's commands name vendors so; unscoped by nature).
    async fn vendor_by_number(&self, number: &str) -> Result<Option<Vendor>, RepoError>;

    /// Creates a vendor; a taken login or number is [`RepoError::Duplicate`].
    async fn create_vendor(&self, vendor: &NewVendor) -> Result<Vendor, RepoError>;

    /// The token with that number, of whichever vendor, with the vendor's id and number: the API key lookup
    /// (a credential lookup, unscoped by nature).
    async fn token_by_number(&self, number: &str) -> Result<Option<(Vendor, Record)>, RepoError>;

    /// A licensee by number, else by alias, with its licenses, read as one snapshot outside any transaction
    /// (validation's read); `None` when the vendor has no such licensee. Stores read it in one statement.
    async fn licensing(&self, vendor: VendorId, key: &str) -> Result<Option<LicenseeRecords>, RepoError> {
        self.read().await?.licensing(vendor, key).await
    }

    /// Every vendor, by login (the operator's list; unscoped by nature).
    async fn vendors(&self) -> Result<Vec<Vendor>, RepoError>;

    /// Replaces the password hash of the vendor with that login; false when there is none.
    async fn set_password_hash(&self, login: &str, password_hash: &str) -> Result<bool, RepoError>;

    /// Deletes the vendor with that login and everything it owns; false when there is none.
    async fn delete_vendor(&self, login: &str) -> Result<bool, RepoError>;

    /// Number of vendors (zero on a new database).
    async fn vendor_count(&self) -> Result<u64, RepoError>;

    /// The vendor's validation TTL setting in seconds (`None`: the default).
    async fn validation_ttl(&self, vendor: VendorId) -> Result<Option<i64>, RepoError>;

    /// Sets (or, with `None`, clears) the validation TTL of the vendor with that login; false when there is none.
    async fn set_validation_ttl(&self, login: &str, seconds: Option<i64>) -> Result<bool, RepoError>;

    /// The vendor's default currency setting (`None`: not set).
    async fn default_currency(&self, vendor: VendorId) -> Result<Option<Currency>, RepoError>;

    /// Sets (or, with `None`, clears) the default currency of the vendor with that login; false when there is
    /// none.
    async fn set_default_currency(&self, login: &str, currency: Option<Currency>) -> Result<bool, RepoError>;

    /// The vendor's branding (`None`: never set).
    async fn branding(&self, vendor: VendorId) -> Result<Option<Branding>, RepoError>;

    /// Replaces the vendor's branding (its `vendor_number` is not stored).
    async fn set_branding(&self, vendor: VendorId, branding: &Branding) -> Result<(), RepoError>;

    /// The latest events (at most [`outbox::LOG_LIMIT`]) of one of the vendor's notifications, newest first.
    async fn deliveries(&self, vendor: VendorId, notification: RecordId) -> Result<Vec<Delivery>, RepoError>;

    /// Queues a failed event of one of the vendor's notifications again, due now with its attempts reset;
    /// false when the notification has no failed event with that id.
    async fn resend(&self, vendor: VendorId, notification: RecordId, event_id: &str) -> Result<bool, RepoError>;

    /// How many of the vendor's customers are at each warning level (an aggregate over an index, no scan).
    async fn warning_levels(&self, vendor: VendorId) -> Result<WarningLevels, RepoError>;

    /// How many floating sessions of the vendor's licenses are checked out and not expired at `now`.
    async fn floating_sessions(&self, vendor: VendorId, now: DateTime<Utc>) -> Result<u64, RepoError>;

    /// Adds validations to the vendor's per-day counts (one write for a batch of days).
    async fn add_validations(&self, vendor: VendorId, days: &[DayCount]) -> Result<(), RepoError>;

    /// The vendor's validations per day from `since` on, by day (days without any are left out).
    async fn validations(&self, vendor: VendorId, since: NaiveDate) -> Result<Vec<DayCount>, RepoError>;

    /// Where the store's sequence of committed changes stands, or `None` when it cannot vouch for its changes
    /// right now (then nothing may be cached). Read it before the data a cache entry is built from.
    fn stamp(&self) -> Option<Stamp> {
        None
    }

    /// Whether none of the scopes a cache entry depends on changed after its stamp (always `false` while the
    /// store cannot vouch for its changes). See [`changes`] for the scopes.
    fn unchanged(&self, _stamp: Stamp, _scopes: &[Scope]) -> bool {
        false
    }
}

/// Record operations inside one transaction. Nothing is stored until [`Tx::commit`]; dropping the transaction
/// rolls it back.
#[async_trait]
pub trait Tx: Send {
    /// The record of a kind with that number.
    async fn get(&mut self, vendor: VendorId, kind: Kind, number: &str) -> Result<Option<Record>, RepoError>;

    /// The licensee one of whose aliases is `alias` (aliases are unique per vendor).
    async fn licensee_by_alias(&mut self, vendor: VendorId, alias: &str) -> Result<Option<Record>, RepoError>;

    /// The record of a kind with that id.
    async fn get_by_id(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<Option<Record>, RepoError>;

    /// One page of the records of a kind matching a query, ordered by id.
    async fn list(&mut self, vendor: VendorId, kind: Kind, query: &Query) -> Result<Listing, RepoError>;

    /// A licensee by number, else by alias, with its licenses, read in this transaction (what
    /// [`Store::licensing`] reads, here under the locks the transaction holds); `None` when the vendor has no
    /// such licensee. Stores read it in one statement.
    async fn licensing(&mut self, vendor: VendorId, key: &str) -> Result<Option<LicenseeRecords>, RepoError> {
        let licensee = match self.get(vendor, Kind::Licensee, key).await? {
            Some(record) => Some(record),
            None => self.licensee_by_alias(vendor, key).await?,
        };
        let Some(licensee) = licensee else { return Ok(None) };
        let mine = Query::all(vec![Condition::Link(LinkKind::Licensee, licensee.number.clone())]);
        let licenses = self.list(vendor, Kind::License, &mine).await?.records;
        Ok(Some(LicenseeRecords { licensee, licenses, revision: None }))
    }

    /// Inserts a record; a taken number is [`RepoError::Duplicate`]. A licensee's aliases
    /// ([`crate::record::aliases`]) are indexed with it; one another licensee has is [`RepoError::AliasTaken`].
    async fn insert(&mut self, vendor: VendorId, kind: Kind, record: &NewRecord) -> Result<RecordId, RepoError>;

    /// Inserts a record unless the vendor has one of that kind with its number already: `None` then, and
    /// nothing written (a generated number tries another). Stores do it in one statement where they can.
    async fn insert_unless_taken(
        &mut self,
        vendor: VendorId,
        kind: Kind,
        record: &NewRecord,
    ) -> Result<Option<RecordId>, RepoError> {
        if self.get(vendor, kind, &record.number).await?.is_some() {
            return Ok(None);
        }
        self.insert(vendor, kind, record).await.map(Some)
    }

    /// Replaces a record's number, active flag and properties (links stay), and a licensee's aliases.
    async fn update(&mut self, vendor: VendorId, kind: Kind, record: &Record) -> Result<(), RepoError>;

    /// Moves a record to another parent of the given link kind (licenses to another licensee).
    async fn relink(
        &mut self,
        vendor: VendorId,
        kind: Kind,
        id: RecordId,
        link: LinkKind,
        parent: RecordId,
    ) -> Result<(), RepoError>;

    /// Deletes a record and everything that hangs off it.
    async fn delete(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError>;

    /// Locks a record until the transaction ends, so that concurrent writers for it queue (a row lock on
    /// PostgreSQL; SQLite write transactions are serialised already).
    async fn lock(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError>;

    /// Locks a licensee as [`Tx::lock`] does and returns its revision (see [`Revision`]) as stored now; `None`
    /// where the store keeps no revisions (or there is no such licensee).
    async fn lock_licensee(&mut self, vendor: VendorId, id: RecordId) -> Result<Option<Revision>, RepoError> {
        self.lock(vendor, Kind::Licensee, id).await.map(|()| None)
    }

    /// Tells the transaction that these records are stored exactly so (read earlier, and unchanged since as
    /// their licensee's revision under this transaction's lock proves), so that an update of one of them
    /// writes only what changed, as after a read in the transaction. Stores that do not compare ignore it.
    fn known(&mut self, _kind: Kind, _records: &[Record]) {}

    /// Queues an event for one of the vendor's notifications in the outbox, stored if and only if this
    /// transaction commits.
    async fn enqueue(&mut self, vendor: VendorId, event: &NewEvent) -> Result<(), RepoError>;

    /// Makes the transaction's writes durable.
    async fn commit(self: Box<Self>) -> Result<(), RepoError>;

    /// Attaches items to the events a record's change raises in this transaction (a warning-level change
    /// carries the validation's module answers). Only the event-raising store keeps them; stores ignore them.
    fn attach(&mut self, _vendor: VendorId, _kind: Kind, _id: RecordId, _items: Vec<netlicensing_model::Item>) {}
}
