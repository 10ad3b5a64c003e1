//! Events of committed changes, raised in the one place every service write goes through: the transaction.
//!
//! [`Core`](super::Core) wraps its store in an [`EventStore`], whose write transactions watch what is written:
//!
//! | written                                                           | event                           |
//! |-------------------------------------------------------------------|---------------------------------|
//! | a licensee inserted (REST, validate's auto-created licensee)      | `LICENSEE_CREATED`              |
//! | a license inserted (REST, automatic licenses, bundle obtain, ...) | `LICENSE_CREATED`               |
//! | a `SHOP` transaction inserted not `PENDING`, or its status changed | `PAYMENT_TRANSACTION_PROCESSED` |
//! | a licensee's stored `warningLevelSummary` changed (validate)      | `WARNING_LEVEL_CHANGED`         |
//!
//! At commit, and only when something was raised, the transaction takes the vendor's active webhooks (kept per
//! vendor while the store's change log vouches its notifications unchanged, else read in the transaction) and
//! queues one outbox row per event and active webhook notification subscribed to it
//! ([`crate::repo::Tx::enqueue`]), with the body rendered from the entity as stored now ([`payload`]). Writes
//! that raise nothing (validation's consumption, most updates) cost one `match` on the kind.

pub mod payload;

use std::{collections::HashMap, sync::Arc};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use netlicensing_model::{
    entity::{Branding, Entity, License, Licensee, Notification, Transaction},
    types::{Currency, NotificationEvent, NotificationProtocol, WireEnum},
};

use super::{
    Clock,
    cache::{ScopedCache, Weighed},
    convert, numbering,
};
use crate::{
    caller::VendorId,
    error::RepoError,
    record::{Kind, LicenseeRecords, LinkKind, Listing, NewRecord, Query, Record, RecordId, Revision},
    repo::{DayCount, Delivery, NewEvent, NewVendor, Scope, Stamp, Store, Tx, Vendor, WarningLevels},
};

/// The licensee property validation keeps its warning levels in.
const SUMMARY: &str = "warningLevelSummary";

/// A store whose write transactions raise events (see the module documentation).
pub struct EventStore {
    inner: Arc<dyn Store>,
    clock: Clock,
    webhooks: Arc<ScopedCache<Webhooks>>,
}

/// Memory the vendors' webhook lists may take, in bytes.
const WEBHOOK_BYTES: u64 = 4 << 20;

/// A vendor's active webhook notifications with their ids, as events are queued for them.
#[derive(Debug, Default)]
struct Webhooks(Vec<(RecordId, Notification)>);

impl Weighed for Webhooks {
    fn weight(&self) -> usize {
        // A notification with its endpoint, events and payload template: about a kilobyte.
        64 + 1024 * self.0.len()
    }
}

impl EventStore {
    /// Wraps a store.
    pub fn wrap(inner: Arc<dyn Store>, clock: Clock) -> Self {
        Self { inner, clock, webhooks: Arc::new(ScopedCache::new(WEBHOOK_BYTES)) }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &Arc<dyn Store> {
        &self.inner
    }
}

#[async_trait]
impl Store for EventStore {
    async fn write(&self) -> Result<Box<dyn Tx>, RepoError> {
        let inner = self.inner.write().await?;
        Ok(Box::new(EventTx {
            inner,
            store: self.inner.clone(),
            webhooks: self.webhooks.clone(),
            wrote_notifications: false,
            clock: self.clock.clone(),
            raised: Vec::new(),
            read: HashMap::new(),
            attached: HashMap::new(),
        }))
    }

    async fn read(&self) -> Result<Box<dyn Tx>, RepoError> {
        self.inner.read().await
    }

    async fn vendor_by_login(&self, login: &str) -> Result<Option<Vendor>, RepoError> {
        self.inner.vendor_by_login(login).await
    }

    async fn vendor_by_number(&self, number: &str) -> Result<Option<Vendor>, RepoError> {
        self.inner.vendor_by_number(number).await
    }

    async fn create_vendor(&self, vendor: &NewVendor) -> Result<Vendor, RepoError> {
        self.inner.create_vendor(vendor).await
    }

    async fn vendors(&self) -> Result<Vec<Vendor>, RepoError> {
        self.inner.vendors().await
    }

    async fn set_password_hash(&self, login: &str, password_hash: &str) -> Result<bool, RepoError> {
        self.inner.set_password_hash(login, password_hash).await
    }

    async fn delete_vendor(&self, login: &str) -> Result<bool, RepoError> {
        self.inner.delete_vendor(login).await
    }

    async fn token_by_number(&self, number: &str) -> Result<Option<(Vendor, Record)>, RepoError> {
        self.inner.token_by_number(number).await
    }

    async fn licensing(&self, vendor: VendorId, key: &str) -> Result<Option<LicenseeRecords>, RepoError> {
        self.inner.licensing(vendor, key).await
    }

    async fn vendor_count(&self) -> Result<u64, RepoError> {
        self.inner.vendor_count().await
    }

    async fn validation_ttl(&self, vendor: VendorId) -> Result<Option<i64>, RepoError> {
        self.inner.validation_ttl(vendor).await
    }

    async fn set_validation_ttl(&self, login: &str, seconds: Option<i64>) -> Result<bool, RepoError> {
        self.inner.set_validation_ttl(login, seconds).await
    }

    async fn default_currency(&self, vendor: VendorId) -> Result<Option<Currency>, RepoError> {
        self.inner.default_currency(vendor).await
    }

    async fn set_default_currency(&self, login: &str, currency: Option<Currency>) -> Result<bool, RepoError> {
        self.inner.set_default_currency(login, currency).await
    }

    async fn branding(&self, vendor: VendorId) -> Result<Option<Branding>, RepoError> {
        self.inner.branding(vendor).await
    }

    async fn set_branding(&self, vendor: VendorId, branding: &Branding) -> Result<(), RepoError> {
        self.inner.set_branding(vendor, branding).await
    }

    async fn deliveries(&self, vendor: VendorId, notification: RecordId) -> Result<Vec<Delivery>, RepoError> {
        self.inner.deliveries(vendor, notification).await
    }

    async fn resend(&self, vendor: VendorId, notification: RecordId, event_id: &str) -> Result<bool, RepoError> {
        self.inner.resend(vendor, notification, event_id).await
    }

    async fn warning_levels(&self, vendor: VendorId) -> Result<WarningLevels, RepoError> {
        self.inner.warning_levels(vendor).await
    }

    async fn floating_sessions(&self, vendor: VendorId, now: DateTime<Utc>) -> Result<u64, RepoError> {
        self.inner.floating_sessions(vendor, now).await
    }

    async fn add_validations(&self, vendor: VendorId, days: &[DayCount]) -> Result<(), RepoError> {
        self.inner.add_validations(vendor, days).await
    }

    async fn validations(&self, vendor: VendorId, since: NaiveDate) -> Result<Vec<DayCount>, RepoError> {
        self.inner.validations(vendor, since).await
    }

    fn stamp(&self) -> Option<Stamp> {
        self.inner.stamp()
    }

    fn unchanged(&self, stamp: Stamp, scopes: &[Scope]) -> bool {
        self.inner.unchanged(stamp, scopes)
    }
}

/// An event raised by a write, resolved to subscribers at commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Raised {
    vendor: VendorId,
    event: NotificationEvent,
    kind: Kind,
    id: RecordId,
}

/// A write transaction that raises events.
struct EventTx {
    inner: Box<dyn Tx>,
    /// The store the transaction is of (its change log vouches for cached webhook lists).
    store: Arc<dyn Store>,
    /// The vendors' webhook lists, cached while their notifications are unchanged.
    webhooks: Arc<ScopedCache<Webhooks>>,
    /// Whether this transaction wrote a notification (then its own reads, not the cache, tell the webhooks).
    wrote_notifications: bool,
    clock: Clock,
    raised: Vec<Raised>,
    /// What events compare against, as this transaction read it: a licensee's summary, a transaction's status.
    read: HashMap<(VendorId, Kind, RecordId), Option<String>>,
    /// Items that go with the events of a record ([`Tx::attach`]).
    attached: HashMap<(VendorId, Kind, RecordId), Vec<netlicensing_model::Item>>,
}

/// The property of a kind whose change raises an event, if any.
fn watched(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Licensee => Some(SUMMARY),
        Kind::Transaction => Some("status"),
        _ => None,
    }
}

fn is_shop(properties: &[netlicensing_model::Property]) -> bool {
    properties.iter().any(|p| p.name == "source" && p.value == "SHOP")
}

impl EventTx {
    /// Remembers the watched property of a record read.
    fn saw(&mut self, vendor: VendorId, kind: Kind, record: Option<&Record>) {
        if let (Some(name), Some(record)) = (watched(kind), record) {
            self.read.insert((vendor, kind, record.id), record.property(name).map(str::to_owned));
        }
    }

    fn raise(&mut self, vendor: VendorId, event: NotificationEvent, kind: Kind, id: RecordId) {
        let raised = Raised { vendor, event, kind, id };
        if !self.raised.contains(&raised) {
            self.raised.push(raised);
        }
    }

    /// Raises the events of a record inserted.
    fn inserted(&mut self, vendor: VendorId, kind: Kind, record: &NewRecord, id: RecordId) {
        self.wrote_notifications |= kind == Kind::Notification;
        match kind {
            Kind::Licensee => self.raise(vendor, NotificationEvent::LicenseeCreated, kind, id),
            Kind::License => self.raise(vendor, NotificationEvent::LicenseCreated, kind, id),
            Kind::Transaction
                if is_shop(&record.properties)
                    && !record.properties.iter().any(|p| p.name == "status" && p.value == "PENDING") =>
            {
                self.raise(vendor, NotificationEvent::PaymentTransactionProcessed, kind, id);
            }
            _ => {}
        }
    }

    /// The vendor's active webhooks: cached while its notifications are unchanged (a webhook made on another
    /// replica applies here once its change notification arrived, well under a millisecond on a local network),
    /// else read in this transaction (and kept, unless this transaction wrote notifications itself).
    async fn webhooks_of(&mut self, vendor: VendorId) -> Result<Arc<Webhooks>, RepoError> {
        let store = &self.store;
        if !self.wrote_notifications
            && let Some(cached) = self.webhooks.get(vendor, "", |stamp, scopes| store.unchanged(stamp, scopes))
        {
            return Ok(cached);
        }
        let stamp = self.store.stamp();
        let listing = self.inner.list(vendor, Kind::Notification, &Query::all(Vec::new())).await?;
        let found = Arc::new(Webhooks(webhooks(&listing)));
        if let (Some(stamp), false) = (stamp, self.wrote_notifications) {
            self.webhooks.put(vendor, "", stamp, vec![Scope::Notifications(vendor)], found.clone());
        }
        Ok(found)
    }

    /// Queues the raised events for the notifications subscribed to them.
    async fn queue(&mut self) -> Result<(), RepoError> {
        let raised = std::mem::take(&mut self.raised);
        let mut subscribers: HashMap<VendorId, Arc<Webhooks>> = HashMap::new();
        let now = (self.clock)();
        for Raised { vendor, event, kind, id } in raised {
            if let std::collections::hash_map::Entry::Vacant(entry) = subscribers.entry(vendor) {
                entry.insert(self.webhooks_of(vendor).await?);
            }
            let targets: Vec<&(RecordId, Notification)> = subscribers
                .get(&vendor)
                .map(|all| {
                    all.0.iter().filter(|(_, n)| n.events.as_ref().is_some_and(|e| e.contains(&event))).collect()
                })
                .unwrap_or_default();
            if targets.is_empty() {
                continue;
            }
            let Some(record) = self.inner.get_by_id(vendor, kind, id).await? else { continue };
            let ty = match kind {
                Kind::Licensee => Licensee::TYPE,
                Kind::License => License::TYPE,
                _ => Transaction::TYPE,
            };
            let item = convert::record_item(kind, ty, &record, Vec::new());
            let attached = self.attached.get(&(vendor, kind, id)).map(Vec::as_slice).unwrap_or_default();
            let document = payload::document(event, &item, attached, now);
            for (notification, subscribed) in targets {
                let body = payload::render(subscribed.payload.as_deref(), &document);
                let event_id = numbering::uuid_v4().map_err(|e| RepoError::Failure(format!("event id: {e}")))?;
                let queued = NewEvent {
                    notification: *notification,
                    event_id: format!("evt_{}", event_id.replace('-', "")),
                    event: event.as_str().to_owned(),
                    body,
                    created: now,
                };
                self.inner.enqueue(vendor, &queued).await?;
            }
        }
        Ok(())
    }
}

/// The active webhook notifications of a listing, with their ids.
fn webhooks(listing: &Listing) -> Vec<(RecordId, Notification)> {
    listing
        .records
        .iter()
        .filter(|record| record.active)
        .filter_map(|record| {
            let notification: Notification = convert::to_entity(Kind::Notification, record, Vec::new()).ok()?;
            (notification.protocol == Some(NotificationProtocol::Webhook)).then_some((record.id, notification))
        })
        .collect()
}

#[async_trait]
impl Tx for EventTx {
    async fn get(&mut self, vendor: VendorId, kind: Kind, number: &str) -> Result<Option<Record>, RepoError> {
        let found = self.inner.get(vendor, kind, number).await?;
        self.saw(vendor, kind, found.as_ref());
        Ok(found)
    }

    async fn licensee_by_alias(&mut self, vendor: VendorId, alias: &str) -> Result<Option<Record>, RepoError> {
        let found = self.inner.licensee_by_alias(vendor, alias).await?;
        self.saw(vendor, Kind::Licensee, found.as_ref());
        Ok(found)
    }

    async fn get_by_id(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<Option<Record>, RepoError> {
        let found = self.inner.get_by_id(vendor, kind, id).await?;
        self.saw(vendor, kind, found.as_ref());
        Ok(found)
    }

    async fn list(&mut self, vendor: VendorId, kind: Kind, query: &Query) -> Result<Listing, RepoError> {
        self.inner.list(vendor, kind, query).await
    }

    async fn licensing(&mut self, vendor: VendorId, key: &str) -> Result<Option<LicenseeRecords>, RepoError> {
        let found = self.inner.licensing(vendor, key).await?;
        self.saw(vendor, Kind::Licensee, found.as_ref().map(|found| &found.licensee));
        Ok(found)
    }

    async fn insert(&mut self, vendor: VendorId, kind: Kind, record: &NewRecord) -> Result<RecordId, RepoError> {
        let id = self.inner.insert(vendor, kind, record).await?;
        self.inserted(vendor, kind, record, id);
        Ok(id)
    }

    async fn insert_unless_taken(
        &mut self,
        vendor: VendorId,
        kind: Kind,
        record: &NewRecord,
    ) -> Result<Option<RecordId>, RepoError> {
        let id = self.inner.insert_unless_taken(vendor, kind, record).await?;
        if let Some(id) = id {
            self.inserted(vendor, kind, record, id);
        }
        Ok(id)
    }

    async fn update(&mut self, vendor: VendorId, kind: Kind, record: &Record) -> Result<(), RepoError> {
        self.wrote_notifications |= kind == Kind::Notification;
        if let Some(name) = watched(kind) {
            let before = match self.read.get(&(vendor, kind, record.id)) {
                Some(before) => before.clone(),
                None => self
                    .inner
                    .get_by_id(vendor, kind, record.id)
                    .await?
                    .and_then(|r| r.property(name).map(str::to_owned)),
            };
            let after = record.property(name);
            match kind {
                // The first summary is no change of level: the licensee had none before.
                Kind::Licensee if before.is_some() && before.as_deref() != after => {
                    self.raise(vendor, NotificationEvent::WarningLevelChanged, kind, record.id);
                }
                Kind::Transaction if is_shop(&record.properties) && before.as_deref() != after => {
                    self.raise(vendor, NotificationEvent::PaymentTransactionProcessed, kind, record.id);
                }
                _ => {}
            }
            self.read.insert((vendor, kind, record.id), after.map(str::to_owned));
        }
        self.inner.update(vendor, kind, record).await
    }

    async fn relink(
        &mut self,
        vendor: VendorId,
        kind: Kind,
        id: RecordId,
        link: LinkKind,
        parent: RecordId,
    ) -> Result<(), RepoError> {
        self.inner.relink(vendor, kind, id, link, parent).await
    }

    async fn delete(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
        self.wrote_notifications |= kind == Kind::Notification;
        // What is deleted in the same transaction is not announced.
        self.raised.retain(|r| !(r.vendor == vendor && r.kind == kind && r.id == id));
        self.inner.delete(vendor, kind, id).await
    }

    async fn lock(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
        self.inner.lock(vendor, kind, id).await
    }

    async fn lock_licensee(&mut self, vendor: VendorId, id: RecordId) -> Result<Option<Revision>, RepoError> {
        self.inner.lock_licensee(vendor, id).await
    }

    fn known(&mut self, kind: Kind, records: &[Record]) {
        self.inner.known(kind, records);
    }

    async fn enqueue(&mut self, vendor: VendorId, event: &NewEvent) -> Result<(), RepoError> {
        self.inner.enqueue(vendor, event).await
    }

    async fn commit(mut self: Box<Self>) -> Result<(), RepoError> {
        if !self.raised.is_empty() {
            self.queue().await?;
        }
        self.inner.commit().await
    }

    fn attach(&mut self, vendor: VendorId, kind: Kind, id: RecordId, items: Vec<netlicensing_model::Item>) {
        self.attached.insert((vendor, kind, id), items);
    }
}
