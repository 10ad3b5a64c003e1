//! What committed writes changed, in scopes narrow enough that a cached validation outlives the writes that
//! cannot change it.
//!
//! A cached validation of a licensee depends on exactly two things: the licensee (its row, its aliases, its
//! licenses with their sessions, node secrets and used quantities) and the catalogue of its product (the
//! product, its modules and templates). It is kept under the path key it was asked for (a number or an
//! alias), so it also depends on which licensee that key names. Those are the [`Scope`]s.
//!
//! A [`ChangeLog`] numbers committed changes with one monotonic sequence and remembers, per scope, the number
//! of its last change. An entry records the sequence number read *before* its data ([`ChangeLog::stamp`]) and
//! stays fresh while none of its scopes changed after it ([`ChangeLog::unchanged`]). Changes are recorded
//! after their transaction commits, so an entry built from data read concurrently with a write is retired
//! (conservative, never stale). The log forgets old scopes when it grows past its limit and raises a floor
//! below which every stamp is retired, so it stays bounded.
//!
//! A transaction collects what it changes in a [`Written`], one call per written record; the store hands it
//! to the log when the transaction commits. Which scopes a written record touches ([`Written::stored`]):
//!
//! | kind written                         | scope                                                        |
//! |--------------------------------------|--------------------------------------------------------------|
//! | product                              | `Catalogue(vendor, product id)`                              |
//! | product module, license template     | `Catalogue(vendor, its product's id)`                        |
//! | licensee                             | `Licensee(vendor, id)` and `Key(vendor, its number)`         |
//! | license                              | `Licensee(vendor, its licensee's id)`                        |
//! | notification                         | `Notifications(vendor)` (the webhooks events are queued for) |
//! | token, transaction, bundle, payment method | nothing (validation reads none of them)                |
//!
//! When the record (or the link needed) is unknown, the scope widens to every product (`Catalogue(vendor,
//! None)`) or every licensee (`Licensee(vendor, None)`) of the vendor. Deletes cascade only within these
//! scopes: a catalogue record's dependants are licenses of licensees of the same product (the service never
//! pairs a licensee with another product's template), a licensee's are its licenses. A licensee gaining an
//! alias needs no key scope: aliases are unique, so the alias named no other licensee before; a licensee
//! taking a *number* that another licensee had as an alias does, since numbers win over aliases.

use std::{
    collections::HashMap,
    sync::{PoisonError, RwLock},
};

use crate::{
    caller::VendorId,
    record::{Kind, Record, RecordId},
};

/// Scopes the log remembers at most; past that it forgets them all and raises its floor.
pub const SCOPE_LIMIT: usize = 100_000;

/// A part of a vendor's data that cached reads depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// A product's catalogue: the product, its modules and templates (`None`: every product of the vendor).
    Catalogue(VendorId, Option<RecordId>),
    /// A licensee: its row, aliases and licenses (`None`: every licensee of the vendor).
    Licensee(VendorId, Option<RecordId>),
    /// Which licensee a path key (number or alias) names, by a stable 64-bit hash of the key.
    Key(VendorId, u64),
    /// A vendor's notifications (the webhooks events are queued for).
    Notifications(VendorId),
}

impl Scope {
    /// The scope of a path key.
    pub fn key(vendor: VendorId, key: &str) -> Scope {
        Scope::Key(vendor, key_hash(key))
    }

    /// The wider scope whose change changes this one too.
    fn wider(self) -> Option<Scope> {
        match self {
            Scope::Catalogue(vendor, Some(_)) => Some(Scope::Catalogue(vendor, None)),
            Scope::Licensee(vendor, Some(_)) | Scope::Key(vendor, _) => Some(Scope::Licensee(vendor, None)),
            Scope::Catalogue(_, None) | Scope::Licensee(_, None) | Scope::Notifications(_) => None,
        }
    }
}

/// FNV-1a: the same on every replica and every build (unlike the standard library's hasher).
pub fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// A position in a store's sequence of committed changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(pub u64);

/// What one transaction changed, collected as it writes (see the module documentation for the mapping).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    scopes: Vec<Scope>,
}

impl Written {
    /// Whether writes of a kind can change a cached value (a validation's, or the webhooks events are queued
    /// for); writes of other kinds need no recording.
    pub fn tracks(kind: Kind) -> bool {
        matches!(
            kind,
            Kind::Product
                | Kind::ProductModule
                | Kind::LicenseTemplate
                | Kind::Licensee
                | Kind::License
                | Kind::Notification
        )
    }

    /// A record of a kind with that id was written (inserted, updated, deleted or moved). `record` is the
    /// record as stored, with its links (at least the product of modules and templates, the licensee of
    /// licenses); `None` when it could not be read, which widens the scope.
    pub fn stored(&mut self, vendor: VendorId, kind: Kind, id: RecordId, record: Option<&Record>) {
        match kind {
            Kind::Product => self.catalogue(vendor, Some(id)),
            Kind::ProductModule | Kind::LicenseTemplate => {
                self.catalogue(vendor, record.and_then(|r| r.links.product.as_ref()).map(|l| l.id));
            }
            Kind::Licensee => match record {
                Some(record) => {
                    self.licensee(vendor, Some(id));
                    self.key(vendor, &record.number);
                }
                // The number is unknown: every key of the vendor may have moved.
                None => self.licensee(vendor, None),
            },
            Kind::License => self.licensee(vendor, record.and_then(|r| r.links.licensee.as_ref()).map(|l| l.id)),
            Kind::Notification => self.add(Scope::Notifications(vendor)),
            Kind::Bundle | Kind::Token | Kind::Transaction | Kind::PaymentMethod => {}
        }
    }

    /// A product's catalogue changed (`None`: every product's of the vendor).
    pub fn catalogue(&mut self, vendor: VendorId, product: Option<RecordId>) {
        self.add(Scope::Catalogue(vendor, product));
    }

    /// A licensee changed (`None`: every licensee of the vendor).
    pub fn licensee(&mut self, vendor: VendorId, id: Option<RecordId>) {
        self.add(Scope::Licensee(vendor, id));
    }

    /// A licensee now answers to this number.
    pub fn key(&mut self, vendor: VendorId, number: &str) {
        self.add(Scope::key(vendor, number));
    }

    /// A scope changed.
    pub fn add(&mut self, scope: Scope) {
        if !self.scopes.contains(&scope) {
            self.scopes.push(scope);
        }
    }

    /// The scopes changed so far, each once.
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty()
    }
}

/// The committed changes a store knows of: one sequence, the last change of each scope, and whether the store
/// vouches for them right now.
#[derive(Debug)]
pub struct ChangeLog {
    state: RwLock<LogState>,
    limit: usize,
}

#[derive(Debug, Default)]
struct LogState {
    vouching: bool,
    sequence: u64,
    floor: u64,
    last: HashMap<Scope, u64>,
}

impl Default for ChangeLog {
    fn default() -> Self {
        Self::vouching()
    }
}

impl ChangeLog {
    /// A log that hears every change from the start (the store's only writer is this process).
    pub fn vouching() -> Self {
        Self { state: RwLock::new(LogState { vouching: true, ..LogState::default() }), limit: SCOPE_LIMIT }
    }

    /// A log that vouches for nothing until [`ChangeLog::resume`] (changes come from a listener).
    pub fn silent() -> Self {
        Self { state: RwLock::new(LogState::default()), limit: SCOPE_LIMIT }
    }

    /// The same log remembering at most `limit` scopes.
    pub fn with_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Where the sequence stands: read it before the data a cache entry is built from. `None` while the log
    /// does not vouch for its changes (then nothing may be cached).
    pub fn stamp(&self) -> Option<Stamp> {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        state.vouching.then_some(Stamp(state.sequence))
    }

    /// Whether none of the scopes (nor a wider one) changed after the stamp, and the log still vouches.
    pub fn unchanged(&self, stamp: Stamp, scopes: &[Scope]) -> bool {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        let after = |scope: &Scope| state.last.get(scope).is_some_and(|last| *last > stamp.0);
        state.vouching
            && stamp.0 >= state.floor
            && !scopes.iter().any(|scope| after(scope) || scope.wider().as_ref().is_some_and(after))
    }

    /// Scopes changed by one committed transaction.
    pub fn record(&self, scopes: &[Scope]) {
        if scopes.is_empty() {
            return;
        }
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        state.sequence += 1;
        let sequence = state.sequence;
        for scope in scopes {
            state.last.insert(*scope, sequence);
        }
        if state.last.len() > self.limit {
            // Forget every scope; every stamp from before this change is retired instead.
            state.last.clear();
            state.floor = sequence;
        }
    }

    /// Everything of a vendor changed (or may have).
    pub fn retire_vendor(&self, vendor: VendorId) {
        self.record(&[Scope::Catalogue(vendor, None), Scope::Licensee(vendor, None)]);
    }

    /// Everything changed (or may have): every stamp read so far is retired.
    pub fn retire_all(&self) {
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        state.sequence += 1;
        state.floor = state.sequence;
        state.last.clear();
    }

    /// Changes may be missed from now on: the log stops vouching.
    pub fn suspend(&self) {
        self.state.write().unwrap_or_else(PoisonError::into_inner).vouching = false;
    }

    /// Changes are heard again: everything read before is retired (a new epoch) and the log vouches again.
    pub fn resume(&self) {
        self.retire_all();
        self.state.write().unwrap_or_else(PoisonError::into_inner).vouching = true;
    }

    /// Scopes remembered now.
    pub fn len(&self) -> usize {
        self.state.read().unwrap_or_else(PoisonError::into_inner).last.len()
    }

    /// True when no scope is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Link, Links};

    const V: VendorId = VendorId(1);

    fn entry(licensee: RecordId, product: RecordId, key: &str) -> Vec<Scope> {
        vec![Scope::Licensee(V, Some(licensee)), Scope::Catalogue(V, Some(product)), Scope::key(V, key)]
    }

    #[test]
    fn only_the_entrys_own_scopes_retire_it() {
        let log = ChangeLog::vouching();
        let stamp = log.stamp().unwrap();
        let a = entry(10, 1, "IA");
        log.record(&[Scope::Licensee(V, Some(11)), Scope::key(V, "IB")]);
        log.record(&[Scope::Catalogue(V, Some(2))]);
        log.record(&[Scope::Licensee(VendorId(2), None), Scope::Catalogue(VendorId(2), None)]);
        assert!(log.unchanged(stamp, &a), "another licensee, product or vendor");
        for change in [
            Scope::Licensee(V, Some(10)),
            Scope::Licensee(V, None),
            Scope::Catalogue(V, Some(1)),
            Scope::Catalogue(V, None),
            Scope::key(V, "IA"),
        ] {
            let log = ChangeLog::vouching();
            let stamp = log.stamp().unwrap();
            log.record(&[change]);
            assert!(!log.unchanged(stamp, &a), "{change:?}");
            assert!(log.unchanged(log.stamp().unwrap(), &a), "{change:?}: a later stamp is fresh");
        }
    }

    #[test]
    fn a_change_recorded_after_the_stamp_retires_even_if_committed_before() {
        let log = ChangeLog::vouching();
        log.record(&[Scope::Licensee(V, Some(10))]);
        let stamp = log.stamp().unwrap();
        assert!(log.unchanged(stamp, &entry(10, 1, "IA")), "changes before the stamp are in the data");
        log.record(&[Scope::Licensee(V, Some(10))]);
        assert!(!log.unchanged(stamp, &entry(10, 1, "IA")));
    }

    #[test]
    fn suspension_epochs_and_the_floor() {
        let log = ChangeLog::silent();
        assert_eq!(log.stamp(), None, "a listener must connect first");
        log.resume();
        let stamp = log.stamp().unwrap();
        assert!(log.unchanged(stamp, &entry(10, 1, "IA")));
        log.suspend();
        assert_eq!(log.stamp(), None);
        assert!(!log.unchanged(stamp, &entry(10, 1, "IA")), "nothing is served while changes may be missed");
        log.resume();
        assert!(!log.unchanged(stamp, &entry(10, 1, "IA")), "a new epoch retires what was read before");
        assert!(log.unchanged(log.stamp().unwrap(), &entry(10, 1, "IA")));

        let log = ChangeLog::vouching();
        let old = log.stamp().unwrap();
        log.retire_all();
        assert!(!log.unchanged(old, &[]));

        let log = ChangeLog::vouching().with_limit(3);
        let before = log.stamp().unwrap();
        for id in 0..10 {
            log.record(&[Scope::Licensee(V, Some(100 + id))]);
            assert!(log.len() <= 3);
        }
        assert!(!log.unchanged(before, &entry(10, 1, "IA")), "forgotten scopes retire older stamps");
        let after = log.stamp().unwrap();
        log.record(&[Scope::Licensee(V, Some(500))]);
        assert!(log.unchanged(after, &entry(10, 1, "IA")));
    }

    #[test]
    fn written_records_map_to_scopes() {
        let link = |id| Some(Link { id, number: format!("N{id}") });
        let record = |number: &str, links: Links| Record {
            id: 5,
            number: number.into(),
            active: true,
            links,
            properties: Vec::new(),
            lists: Vec::new(),
            in_use: false,
        };
        let mut written = Written::default();
        written.stored(V, Kind::Product, 1, None);
        let template = record("E1", Links { product: link(2), product_module: link(3), ..Links::default() });
        written.stored(V, Kind::LicenseTemplate, 5, Some(&template));
        written.stored(V, Kind::ProductModule, 3, None);
        written.stored(V, Kind::Licensee, 5, Some(&record("IA", Links { product: link(2), ..Links::default() })));
        written.stored(V, Kind::License, 5, Some(&record("L1", Links { licensee: link(7), ..Links::default() })));
        written.stored(V, Kind::License, 6, Some(&record("L2", Links { licensee: link(7), ..Links::default() })));
        written.stored(V, Kind::License, 8, None);
        written.stored(V, Kind::Token, 9, None);
        written.stored(V, Kind::Transaction, 9, None);
        assert_eq!(
            written.scopes(),
            &[
                Scope::Catalogue(V, Some(1)),
                Scope::Catalogue(V, Some(2)),
                Scope::Catalogue(V, None),
                Scope::Licensee(V, Some(5)),
                Scope::key(V, "IA"),
                Scope::Licensee(V, Some(7)),
                Scope::Licensee(V, None),
            ]
        );
        assert!(!Written::tracks(Kind::Bundle) && Written::tracks(Kind::License));
        assert_eq!(key_hash("IA"), key_hash("IA"));
        assert_ne!(key_hash("IA"), key_hash("IB"));
        assert_eq!(key_hash(""), 0xcbf2_9ce4_8422_2325);
    }
}
