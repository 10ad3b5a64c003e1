//! An in-memory store for tests: each transaction works on a copy of the state and commits it back, failing
//! with [`RepoError::Busy`] if another transaction committed in between.

use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use netlicensing_model::{
    entity::WarningLevelSummary,
    types::{Currency, WarningLevel, WireValue, timestamp},
};

use super::{
    DayCount, Delivery, DeliveryStatus, NewEvent, NewVendor, Store, Tx, Vendor, WarningLevels,
    changes::{ChangeLog, Scope, Stamp, Written},
};
use crate::{
    caller::VendorId,
    error::RepoError,
    record::{Condition, Kind, Link, LinkKind, Links, Listing, NewRecord, Order, Query, Record, RecordId, aliases},
};
use netlicensing_model::{Property, entity::Branding};

/// The in-memory store.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<State>>,
    changes: Arc<ChangeLog>,
}

#[derive(Debug, Clone, Default)]
struct State {
    version: u64,
    next_id: i64,
    vendors: Vec<Vendor>,
    /// Validation TTL settings by vendor, in seconds.
    validation_ttls: Vec<(VendorId, i64)>,
    /// Default currency settings by vendor.
    currencies: Vec<(VendorId, Currency)>,
    rows: Vec<Row>,
    /// Branding by vendor.
    brandings: Vec<(VendorId, Branding)>,
    /// The outbox: queued events by vendor and notification.
    outbox: Vec<(VendorId, RecordId, Delivery)>,
    /// Validations per vendor and day.
    validations: Vec<(VendorId, DayCount)>,
}

/// A stored record with its direct parent ids.
#[derive(Debug, Clone)]
struct Row {
    vendor: VendorId,
    kind: Kind,
    id: RecordId,
    number: String,
    active: bool,
    parents: Vec<(LinkKind, RecordId)>,
    properties: Vec<netlicensing_model::Property>,
    lists: Vec<netlicensing_model::List>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, RepoError> {
        self.state.lock().map_err(|_| RepoError::Failure("memory store poisoned".into()))
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn write(&self) -> Result<Box<dyn Tx>, RepoError> {
        let state = self.lock()?.clone();
        Ok(Box::new(MemoryTx { store: self.clone(), base: state.version, state, written: Written::default() }))
    }

    async fn read(&self) -> Result<Box<dyn Tx>, RepoError> {
        self.write().await
    }

    async fn vendor_by_login(&self, login: &str) -> Result<Option<Vendor>, RepoError> {
        Ok(self.lock()?.vendors.iter().find(|v| v.login == login).cloned())
    }

    async fn vendor_by_number(&self, number: &str) -> Result<Option<Vendor>, RepoError> {
        Ok(self.lock()?.vendors.iter().find(|v| v.number == number).cloned())
    }

    async fn create_vendor(&self, vendor: &NewVendor) -> Result<Vendor, RepoError> {
        let mut state = self.lock()?;
        if state.vendors.iter().any(|v| v.login == vendor.login || v.number == vendor.number) {
            return Err(RepoError::Duplicate(vendor.number.clone()));
        }
        state.next_id += 1;
        let created = Vendor {
            id: VendorId(state.next_id),
            number: vendor.number.clone(),
            login: vendor.login.clone(),
            password_hash: vendor.password_hash.clone(),
        };
        state.vendors.push(created.clone());
        state.version += 1;
        Ok(created)
    }

    async fn token_by_number(&self, number: &str) -> Result<Option<(Vendor, Record)>, RepoError> {
        let state = self.lock()?.clone();
        let tx = MemoryTx { store: self.clone(), base: state.version, state, written: Written::default() };
        let found = tx.state.rows.iter().find(|r| r.kind == Kind::Token && r.number == number);
        let Some(row) = found else { return Ok(None) };
        let vendor = tx.state.vendors.iter().find(|v| v.id == row.vendor).cloned();
        Ok(vendor.map(|vendor| (vendor, tx.record(row))))
    }

    async fn validation_ttl(&self, vendor: VendorId) -> Result<Option<i64>, RepoError> {
        Ok(self.lock()?.validation_ttls.iter().find(|(v, _)| *v == vendor).map(|(_, seconds)| *seconds))
    }

    async fn set_validation_ttl(&self, login: &str, seconds: Option<i64>) -> Result<bool, RepoError> {
        let mut state = self.lock()?;
        let Some(vendor) = state.vendors.iter().find(|v| v.login == login).map(|v| v.id) else { return Ok(false) };
        state.validation_ttls.retain(|(v, _)| *v != vendor);
        state.validation_ttls.extend(seconds.map(|seconds| (vendor, seconds)));
        Ok(true)
    }

    async fn default_currency(&self, vendor: VendorId) -> Result<Option<Currency>, RepoError> {
        Ok(self.lock()?.currencies.iter().find(|(v, _)| *v == vendor).map(|(_, currency)| *currency))
    }

    async fn set_default_currency(&self, login: &str, currency: Option<Currency>) -> Result<bool, RepoError> {
        let mut state = self.lock()?;
        let Some(vendor) = state.vendors.iter().find(|v| v.login == login).map(|v| v.id) else { return Ok(false) };
        state.currencies.retain(|(v, _)| *v != vendor);
        state.currencies.extend(currency.map(|currency| (vendor, currency)));
        Ok(true)
    }

    async fn branding(&self, vendor: VendorId) -> Result<Option<Branding>, RepoError> {
        Ok(self.lock()?.brandings.iter().find(|(v, _)| *v == vendor).map(|(_, b)| b.clone()))
    }

    async fn set_branding(&self, vendor: VendorId, branding: &Branding) -> Result<(), RepoError> {
        let mut state = self.lock()?;
        state.brandings.retain(|(v, _)| *v != vendor);
        state.brandings.push((vendor, Branding { vendor_number: None, ..branding.clone() }));
        Ok(())
    }

    async fn vendor_count(&self) -> Result<u64, RepoError> {
        Ok(self.lock()?.vendors.len() as u64)
    }

    async fn deliveries(&self, vendor: VendorId, notification: RecordId) -> Result<Vec<Delivery>, RepoError> {
        let state = self.lock()?;
        let mine = state.outbox.iter().filter(|(v, n, _)| *v == vendor && *n == notification);
        let mut out: Vec<Delivery> = mine.map(|(_, _, delivery)| delivery.clone()).collect();
        out.reverse();
        out.truncate(super::outbox::LOG_LIMIT as usize);
        Ok(out)
    }

    async fn resend(&self, vendor: VendorId, notification: RecordId, event_id: &str) -> Result<bool, RepoError> {
        let mut state = self.lock()?;
        let found = state.outbox.iter_mut().find(|(v, n, d)| {
            *v == vendor && *n == notification && d.event_id == event_id && d.status == DeliveryStatus::Failed
        });
        let Some((_, _, delivery)) = found else { return Ok(false) };
        delivery.status = DeliveryStatus::Pending;
        delivery.attempts = 0;
        delivery.next_attempt = Some(chrono::Utc::now());
        Ok(true)
    }

    async fn vendors(&self) -> Result<Vec<Vendor>, RepoError> {
        let mut vendors = self.lock()?.vendors.clone();
        vendors.sort_by(|a, b| a.login.cmp(&b.login));
        Ok(vendors)
    }

    async fn set_password_hash(&self, login: &str, password_hash: &str) -> Result<bool, RepoError> {
        let mut state = self.lock()?;
        let Some(vendor) = state.vendors.iter_mut().find(|v| v.login == login) else { return Ok(false) };
        vendor.password_hash = password_hash.to_owned();
        state.version += 1;
        Ok(true)
    }

    async fn delete_vendor(&self, login: &str) -> Result<bool, RepoError> {
        let mut state = self.lock()?;
        let Some(vendor) = state.vendors.iter().find(|v| v.login == login).map(|v| v.id) else { return Ok(false) };
        state.vendors.retain(|v| v.id != vendor);
        state.rows.retain(|row| row.vendor != vendor);
        state.validation_ttls.retain(|(v, _)| *v != vendor);
        state.currencies.retain(|(v, _)| *v != vendor);
        state.brandings.retain(|(v, _)| *v != vendor);
        state.outbox.retain(|(v, _, _)| *v != vendor);
        state.validations.retain(|(v, _)| *v != vendor);
        state.version += 1;
        Ok(true)
    }

    async fn warning_levels(&self, vendor: VendorId) -> Result<WarningLevels, RepoError> {
        let state = self.lock()?;
        let mut levels = WarningLevels::default();
        let licensees = state.rows.iter().filter(|r| r.vendor == vendor && r.kind == Kind::Licensee);
        for row in licensees {
            let summary = row.properties.iter().find(|p| p.name == "warningLevelSummary");
            match summary.and_then(|p| WarningLevelSummary::parse_wire(&p.value)).and_then(|s| s.worst()) {
                Some(WarningLevel::Red) => levels.red += 1,
                Some(WarningLevel::Yellow) => levels.yellow += 1,
                Some(WarningLevel::Green) => levels.green += 1,
                None => {}
            }
        }
        Ok(levels)
    }

    async fn floating_sessions(&self, vendor: VendorId, now: DateTime<Utc>) -> Result<u64, RepoError> {
        let state = self.lock()?;
        let licenses = state.rows.iter().filter(|r| r.vendor == vendor && r.kind == Kind::License);
        let sessions = licenses.flat_map(|r| r.properties.iter()).filter(|p| {
            p.name.len() > "sessionId_".len()
                && p.name.starts_with("sessionId_")
                && timestamp::parse(&p.value).is_some_and(|expires| expires > now)
        });
        Ok(sessions.count() as u64)
    }

    async fn add_validations(&self, vendor: VendorId, days: &[DayCount]) -> Result<(), RepoError> {
        let mut state = self.lock()?;
        if !state.vendors.iter().any(|v| v.id == vendor) {
            return Ok(());
        }
        for added in days {
            match state.validations.iter_mut().find(|(v, count)| *v == vendor && count.day == added.day) {
                Some((_, count)) => count.validations += added.validations,
                None => state.validations.push((vendor, *added)),
            }
        }
        Ok(())
    }

    async fn validations(&self, vendor: VendorId, since: NaiveDate) -> Result<Vec<DayCount>, RepoError> {
        let state = self.lock()?;
        let mut days: Vec<DayCount> =
            state.validations.iter().filter(|(v, c)| *v == vendor && c.day >= since).map(|(_, c)| *c).collect();
        days.sort_by_key(|c| c.day);
        Ok(days)
    }

    fn stamp(&self) -> Option<Stamp> {
        self.changes.stamp()
    }

    fn unchanged(&self, stamp: Stamp, scopes: &[Scope]) -> bool {
        self.changes.unchanged(stamp, scopes)
    }
}

struct MemoryTx {
    store: MemoryStore,
    base: u64,
    state: State,
    /// What this transaction changed, for the store's change log.
    written: Written,
}

impl MemoryTx {
    fn row(&self, vendor: VendorId, kind: Kind, id: RecordId) -> Option<&Row> {
        self.state.rows.iter().find(|r| r.vendor == vendor && r.kind == kind && r.id == id)
    }

    /// Records what writing the record changes, from the record as it is now.
    fn touched(&mut self, vendor: VendorId, kind: Kind, id: RecordId) {
        if Written::tracks(kind) {
            let record = self.row(vendor, kind, id).map(|row| self.record(row));
            self.written.stored(vendor, kind, id, record.as_ref());
        }
    }

    /// The record with every link reachable upward filled in: the direct parents, then theirs, each link by
    /// its first path (the order of `Kind::links`).
    fn record(&self, row: &Row) -> Record {
        let mut links = Links::default();
        let mut reached = vec![row];
        let mut next = 0;
        while let Some(current) = reached.get(next).copied() {
            next += 1;
            for (kind, id) in &current.parents {
                if links.get(*kind).is_none()
                    && let Some(parent) = self.row(row.vendor, *kind, *id)
                {
                    links.set(*kind, Some(Link { id: parent.id, number: parent.number.clone() }));
                    reached.push(parent);
                }
            }
        }
        let in_use = self
            .state
            .rows
            .iter()
            .any(|r| r.vendor == row.vendor && r.parents.iter().any(|(k, id)| *k == row.kind && *id == row.id));
        Record {
            id: row.id,
            number: row.number.clone(),
            active: row.active,
            links,
            properties: row.properties.clone(),
            lists: row.lists.clone(),
            in_use,
        }
    }

    fn descendants(&self, vendor: VendorId, kind: Kind, id: RecordId, out: &mut Vec<(Kind, RecordId)>) {
        out.push((kind, id));
        let children: Vec<(Kind, RecordId)> = self
            .state
            .rows
            .iter()
            .filter(|r| r.vendor == vendor && r.parents.iter().any(|(k, pid)| *k == kind && *pid == id))
            .map(|r| (r.kind, r.id))
            .collect();
        for (child_kind, child_id) in children {
            if !out.contains(&(child_kind, child_id)) {
                self.descendants(vendor, child_kind, child_id, out);
            }
        }
    }
}

impl MemoryTx {
    /// A licensee alias another licensee of the vendor already has.
    fn alias_taken(
        &self,
        vendor: VendorId,
        kind: Kind,
        id: Option<RecordId>,
        properties: &[Property],
    ) -> Option<String> {
        if kind != Kind::Licensee {
            return None;
        }
        let others: Vec<String> = self
            .state
            .rows
            .iter()
            .filter(|r| r.vendor == vendor && r.kind == Kind::Licensee && Some(r.id) != id)
            .flat_map(|r| aliases(&r.properties))
            .collect();
        aliases(properties).into_iter().find(|alias| others.contains(alias))
    }
}

fn matches(record: &Record, condition: &Condition) -> bool {
    match condition {
        Condition::Number(number) => &record.number == number,
        Condition::Active(active) => record.active == *active,
        Condition::Link(kind, number) => record.links.get(*kind).is_some_and(|l| &l.number == number),
        Condition::Property(name, value) => record.property(name) == Some(value.as_str()),
        Condition::After(id) => record.id > *id,
    }
}

#[async_trait]
impl Tx for MemoryTx {
    async fn get(&mut self, vendor: VendorId, kind: Kind, number: &str) -> Result<Option<Record>, RepoError> {
        let row = self.state.rows.iter().find(|r| r.vendor == vendor && r.kind == kind && r.number == number);
        Ok(row.map(|row| self.record(row)))
    }

    async fn licensee_by_alias(&mut self, vendor: VendorId, alias: &str) -> Result<Option<Record>, RepoError> {
        let row = self.state.rows.iter().find(|r| {
            r.vendor == vendor && r.kind == Kind::Licensee && aliases(&r.properties).iter().any(|a| a == alias)
        });
        Ok(row.map(|row| self.record(row)))
    }

    async fn get_by_id(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<Option<Record>, RepoError> {
        Ok(self.row(vendor, kind, id).map(|row| self.record(row)))
    }

    async fn list(&mut self, vendor: VendorId, kind: Kind, query: &Query) -> Result<Listing, RepoError> {
        let matching: Vec<Record> = self
            .state
            .rows
            .iter()
            .filter(|r| r.vendor == vendor && r.kind == kind)
            .map(|r| self.record(r))
            .filter(|record| query.conditions.iter().all(|c| matches(record, c)))
            .collect();
        let mut matching = matching;
        match query.order {
            // Stable: equal names stay in id order; no name sorts first.
            Order::Name => matching.sort_by(|a, b| a.property("name").cmp(&b.property("name"))),
            Order::Newest => matching.sort_by_key(|record| std::cmp::Reverse(record.id)),
            Order::Id => {}
        }
        let total = matching.len() as u64;
        let skip = query.page.saturating_mul(query.items);
        let records: Vec<Record> = matching.into_iter().skip(skip as usize).take(query.items as usize).collect();
        let total = if query.counted { total } else { records.len() as u64 };
        Ok(Listing { records, total })
    }

    async fn insert(&mut self, vendor: VendorId, kind: Kind, record: &NewRecord) -> Result<RecordId, RepoError> {
        if self.state.rows.iter().any(|r| r.vendor == vendor && r.kind == kind && r.number == record.number) {
            return Err(RepoError::Duplicate(record.number.clone()));
        }
        if let Some(alias) = self.alias_taken(vendor, kind, None, &record.properties) {
            return Err(RepoError::AliasTaken(alias));
        }
        let mut parents = Vec::new();
        for link_kind in kind.parents() {
            let id = record.links.get(*link_kind).map(|l| l.id);
            let id = id.filter(|id| self.row(vendor, *link_kind, *id).is_some());
            let id = id.ok_or_else(|| RepoError::Failure(format!("missing parent {link_kind:?}")))?;
            parents.push((*link_kind, id));
        }
        self.state.next_id += 1;
        let id = self.state.next_id;
        self.state.rows.push(Row {
            vendor,
            kind,
            id,
            number: record.number.clone(),
            active: record.active,
            parents,
            properties: record.properties.clone(),
            lists: record.lists.clone(),
        });
        self.touched(vendor, kind, id);
        Ok(id)
    }

    async fn update(&mut self, vendor: VendorId, kind: Kind, record: &Record) -> Result<(), RepoError> {
        let taken = self
            .state
            .rows
            .iter()
            .any(|r| r.vendor == vendor && r.kind == kind && r.number == record.number && r.id != record.id);
        if taken {
            return Err(RepoError::Duplicate(record.number.clone()));
        }
        if let Some(alias) = self.alias_taken(vendor, kind, Some(record.id), &record.properties) {
            return Err(RepoError::AliasTaken(alias));
        }
        let row = self
            .state
            .rows
            .iter_mut()
            .find(|r| r.vendor == vendor && r.kind == kind && r.id == record.id)
            .ok_or_else(|| RepoError::Failure(format!("no {kind:?} {}", record.id)))?;
        row.number = record.number.clone();
        row.active = record.active;
        row.properties = record.properties.clone();
        row.lists = record.lists.clone();
        self.touched(vendor, kind, record.id);
        Ok(())
    }

    async fn delete(&mut self, vendor: VendorId, kind: Kind, id: RecordId) -> Result<(), RepoError> {
        self.touched(vendor, kind, id);
        let mut doomed = Vec::new();
        self.descendants(vendor, kind, id, &mut doomed);
        self.state.rows.retain(|r| !(r.vendor == vendor && doomed.contains(&(r.kind, r.id))));
        self.state.outbox.retain(|(v, n, _)| !(*v == vendor && doomed.contains(&(Kind::Notification, *n))));
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
        self.touched(vendor, kind, id);
        let row = self
            .state
            .rows
            .iter_mut()
            .find(|r| r.vendor == vendor && r.kind == kind && r.id == id)
            .ok_or_else(|| RepoError::Failure(format!("no {kind:?} {id}")))?;
        for (existing, parent_id) in row.parents.iter_mut() {
            if *existing == link {
                *parent_id = parent;
            }
        }
        self.touched(vendor, kind, id);
        Ok(())
    }

    async fn lock(&mut self, _vendor: VendorId, _kind: Kind, _id: RecordId) -> Result<(), RepoError> {
        Ok(())
    }

    async fn enqueue(&mut self, vendor: VendorId, event: &NewEvent) -> Result<(), RepoError> {
        if self.row(vendor, Kind::Notification, event.notification).is_none() {
            return Err(RepoError::Failure(format!("no notification {}", event.notification)));
        }
        self.state.next_id += 1;
        let delivery = Delivery {
            id: self.state.next_id,
            event_id: event.event_id.clone(),
            event: event.event.clone(),
            status: DeliveryStatus::Pending,
            attempts: 0,
            created: event.created,
            next_attempt: Some(event.created),
            last_attempt: None,
            last_error: None,
        };
        self.state.outbox.push((vendor, event.notification, delivery));
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<(), RepoError> {
        let mut shared = self.store.lock()?;
        if shared.version != self.base {
            return Err(RepoError::Busy("a concurrent transaction committed first".into()));
        }
        let mut state = self.state;
        state.version = self.base + 1;
        *shared = state;
        drop(shared);
        self.store.changes.record(self.written.scopes());
        Ok(())
    }
}
