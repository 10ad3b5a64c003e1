//! What committed writes changed: the change log behind [`Store::stamp`] and [`Store::unchanged`], which let
//! the core serve a licensee's validation from memory until its licensee or its product's catalogue changes.
//!
//! # What the SQL store records
//!
//! Each [`SqlTx`](super::store) collects its changes in a [`Written`] (core's recorder; the scopes and why they
//! are exact are described in [`netlicensing_core::repo::changes`]). Only the kinds [`Written::tracks`]
//! (product, product module, license template, licensee, license, notification) are recorded; writes of tokens,
//! transactions, bundles and payment methods record nothing. Per `Tx` operation:
//!
//! - `insert(vendor, kind, new)`: after the insert, read the new record back by id and call
//!   `written.stored(vendor, kind, id, found.as_ref())`.
//! - `update(vendor, kind, record)`: `written.stored(vendor, kind, record.id, Some(record))` with the record
//!   as given (an update keeps the links, so the given ones are the stored ones; no read needed).
//! - `delete(vendor, kind, id)`: *before* the delete, read the record by id and call
//!   `written.stored(vendor, kind, id, found.as_ref())` (its dependants are covered by its scope).
//! - `relink(vendor, kind, id, link, parent)`: the same read-and-record both before *and* after the move, so
//!   that the old and the new parent are recorded (a license transferred between licensees).
//! - `lock`, `get`, `get_by_id`, `list`, `licensee_by_alias`: nothing.
//! - `commit()`: on PostgreSQL, before committing, `SELECT pg_notify(<CHANNEL_SQL>, p)` for each `p` of
//!   [`Changes::payloads`]`(&written)`; after the commit succeeded, [`Changes::committed`]`(&written)`. A
//!   rolled-back transaction records nothing.
//!
//! The store answers [`Store::stamp`] and [`Store::unchanged`] from [`Changes::log`].
//!
//! `written.stored` maps the record to its scopes: a product → `Catalogue(vendor, id)`; a module or template
//! → `Catalogue(vendor, links.product)`; a licensee → `Licensee(vendor, id)` and `Key(vendor, number)`; a
//! license → `Licensee(vendor, links.licensee)`. A record that could not be read (`None`) or lacks the link
//! widens to every product or every licensee of the vendor. The record read by id must carry its upward
//! links (a template's product, a license's licensee), as the store's reads do.
//!
//! # Replicas
//!
//! On SQLite this process is the only writer, so recording its own commits is exact. On PostgreSQL, where
//! several replicas share the database, each write transaction also sends what it changed with `pg_notify`
//! (delivered when, and only if, it commits), and a listener task records the changes every other replica
//! announces. A payload is a space-separated list of tokens: first `o:<origin>` (the sending process, in hex,
//! so that a replica skips its own notifications, recorded at commit already), then one per scope:
//! `c:<vendor>:<product id or *>`, `l:<vendor>:<licensee id or *>`, `k:<vendor>:<key hash in hex>`,
//! `n:<vendor>:*` (its notifications). A token
//! this version does not understand is logged and retires everything of its vendor (everything, when no
//! vendor can be read from it). While the listener is not connected the log does not vouch for anything and
//! nothing is served from memory; when it reconnects a new epoch retires everything cached before. A change
//! made on another replica reaches this one's cache as fast as PostgreSQL delivers the notification
//! (typically well under a millisecond on a local network); changes made through this replica are seen at
//! once.
//!
//! [`Store::stamp`]: netlicensing_core::repo::Store::stamp
//! [`Store::unchanged`]: netlicensing_core::repo::Store::unchanged

use std::{sync::Arc, time::Duration};

use netlicensing_core::{
    VendorId,
    repo::{
        Scope,
        changes::{ChangeLog, Written},
    },
};
use sea_orm::{ConnectionTrait, DatabaseConnection, sqlx::postgres::PgListener};

/// SQL text naming this database schema's notification channel (computed on the database side, so that tests
/// in separate schemas of one database do not hear each other).
pub const CHANNEL_SQL: &str = "'netlicensing_' || current_schema()";

/// Longest payload sent in one notification (PostgreSQL refuses 8000 bytes and more).
const PAYLOAD_MAX: usize = 7900;

/// The change log of this process, fed by its own commits and, on PostgreSQL, by the other replicas'.
#[derive(Debug)]
pub struct Changes {
    log: ChangeLog,
    /// This process's mark on its notifications.
    origin: u64,
}

impl Changes {
    /// A log that vouches from the start (this process is the only writer).
    pub fn local() -> Arc<Self> {
        Arc::new(Self { log: ChangeLog::vouching(), origin: origin() })
    }

    /// A log that vouches for nothing until a listener connects ([`Changes::listen`]).
    pub fn remote() -> Arc<Self> {
        Arc::new(Self { log: ChangeLog::silent(), origin: origin() })
    }

    /// The log.
    pub fn log(&self) -> &ChangeLog {
        &self.log
    }

    /// The `pg_notify` payloads announcing a transaction's changes to every replica (none for a transaction
    /// that changed nothing validation reads).
    pub fn payloads(&self, written: &Written) -> Vec<String> {
        let head = format!("o:{:x}", self.origin);
        let mut payloads = Vec::new();
        let mut current = head.clone();
        for scope in written.scopes() {
            let token = token(scope);
            if current.len() + 1 + token.len() > PAYLOAD_MAX {
                payloads.push(std::mem::replace(&mut current, head.clone()));
            }
            current.push(' ');
            current.push_str(&token);
        }
        if current.len() > head.len() {
            payloads.push(current);
        }
        payloads
    }

    /// A transaction with these changes committed.
    pub fn committed(&self, written: &Written) {
        self.log.record(written.scopes());
    }

    /// Records the changes a notification announces (skipping this process's own).
    pub fn apply(&self, payload: &str) {
        let mut scopes = Written::default();
        for word in payload.split(' ').filter(|w| !w.is_empty()) {
            if let Some(origin) = word.strip_prefix("o:") {
                if u64::from_str_radix(origin, 16).ok() == Some(self.origin) {
                    return;
                }
                continue;
            }
            match parse(word) {
                Some(scope) => scopes.add(scope),
                None => match vendor_of(word) {
                    Some(vendor) => {
                        log::warn!("unexpected change notification '{word}': forgetting vendor {}'s cache", vendor.0);
                        scopes.catalogue(vendor, None);
                        scopes.licensee(vendor, None);
                    }
                    None => {
                        log::warn!("unexpected change notification '{word}': forgetting every cached validation");
                        self.log.retire_all();
                    }
                },
            }
        }
        self.log.record(scopes.scopes());
    }

    /// Listens for the notifications of every replica (PostgreSQL), reconnecting after a second when the
    /// connection drops. Runs until the pool closes.
    pub async fn listen(self: Arc<Self>, db: DatabaseConnection) {
        loop {
            if let Err(error) = self.listen_once(&db).await {
                log::warn!("change notifications interrupted ({error}); validation reads bypass the cache");
            }
            self.log.suspend();
            if db.get_postgres_connection_pool().is_closed() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    async fn listen_once(&self, db: &DatabaseConnection) -> Result<(), String> {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                format!("SELECT {CHANNEL_SQL} AS c"),
            ))
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no channel name")?;
        let channel: String = row.try_get("", "c").map_err(|e| e.to_string())?;
        let mut listener =
            PgListener::connect_with(db.get_postgres_connection_pool()).await.map_err(|e| e.to_string())?;
        listener.listen(&channel).await.map_err(|e| e.to_string())?;
        self.log.resume();
        loop {
            match listener.try_recv().await.map_err(|e| e.to_string())? {
                Some(notification) => self.apply(notification.payload()),
                None => return Err("connection lost".into()),
            }
        }
    }
}

/// A random mark for this process's notifications.
fn origin() -> u64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        // Without randomness, the time: replicas started in the same nanosecond are not expected.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        return nanos.as_nanos() as u64;
    }
    u64::from_le_bytes(bytes)
}

/// The notification token of a scope.
fn token(scope: &Scope) -> String {
    let id = |id: &Option<i64>| id.map_or_else(|| "*".to_owned(), |id| id.to_string());
    match scope {
        Scope::Catalogue(vendor, product) => format!("c:{}:{}", vendor.0, id(product)),
        Scope::Licensee(vendor, licensee) => format!("l:{}:{}", vendor.0, id(licensee)),
        Scope::Key(vendor, hash) => format!("k:{}:{hash:x}", vendor.0),
        Scope::Notifications(vendor) => format!("n:{}:*", vendor.0),
    }
}

/// The scope a token names, if it is one this version knows.
fn parse(word: &str) -> Option<Scope> {
    let mut parts = word.split(':');
    let (tag, vendor, value) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let vendor = VendorId(vendor.parse().ok()?);
    let id = |value: &str| if value == "*" { Some(None) } else { value.parse().ok().map(Some) };
    match tag {
        "c" => Some(Scope::Catalogue(vendor, id(value)?)),
        "l" => Some(Scope::Licensee(vendor, id(value)?)),
        "k" => Some(Scope::Key(vendor, u64::from_str_radix(value, 16).ok()?)),
        "n" if value == "*" => Some(Scope::Notifications(vendor)),
        _ => None,
    }
}

/// The vendor an unknown token names: its second field, or the whole token (the per-vendor notifications of
/// earlier versions were the bare vendor id).
fn vendor_of(word: &str) -> Option<VendorId> {
    let field = word.split(':').nth(1).unwrap_or(word);
    field.parse().ok().map(VendorId)
}

#[cfg(test)]
mod tests {
    use netlicensing_core::repo::Stamp;

    use super::*;

    const V: VendorId = VendorId(3);

    fn entry(licensee: i64, product: i64) -> Vec<Scope> {
        vec![Scope::Licensee(V, Some(licensee)), Scope::Catalogue(V, Some(product)), Scope::key(V, "IA")]
    }

    /// A second replica's view of the same changes.
    fn replica() -> (Arc<Changes>, Stamp) {
        let replica = Changes::remote();
        replica.log.resume();
        let stamp = replica.log.stamp().unwrap();
        (replica, stamp)
    }

    #[test]
    fn payloads_carry_every_scope_to_the_other_replicas() {
        let here = Changes::local();
        let mut written = Written::default();
        written.licensee(V, Some(11));
        written.key(V, "IB");
        written.catalogue(V, Some(2));
        written.licensee(VendorId(4), None);
        written.catalogue(VendorId(4), None);
        let payloads = here.payloads(&written);
        assert_eq!(payloads.len(), 1);
        let (there, stamp) = replica();
        there.apply(&payloads[0]);
        assert!(there.log.unchanged(stamp, &entry(10, 1)), "other licensees and products leave A alone");
        let mut mine = Written::default();
        mine.licensee(V, Some(10));
        there.apply(&here.payloads(&mine)[0]);
        assert!(!there.log.unchanged(stamp, &entry(10, 1)));

        for (scope, retires) in [
            (Scope::Catalogue(V, Some(1)), true),
            (Scope::Catalogue(V, None), true),
            (Scope::Licensee(V, None), true),
            (Scope::key(V, "IA"), true),
            (Scope::key(V, "IB"), false),
            (Scope::Catalogue(VendorId(4), Some(1)), false),
            (Scope::Notifications(V), false),
        ] {
            let mut written = Written::default();
            written.add(scope);
            let (there, stamp) = replica();
            there.apply(&here.payloads(&written)[0]);
            assert_eq!(!there.log.unchanged(stamp, &entry(10, 1)), retires, "{scope:?}");
            let webhooks = [Scope::Notifications(V)];
            assert_eq!(there.log.unchanged(stamp, &webhooks), scope != Scope::Notifications(V), "{scope:?}");
        }
        assert!(here.payloads(&Written::default()).is_empty(), "nothing to announce");
    }

    #[test]
    fn own_notifications_are_skipped_and_long_ones_split() {
        let here = Changes::local();
        let stamp = here.log.stamp().unwrap();
        let mut written = Written::default();
        for id in 0..1000 {
            written.licensee(V, Some(id));
        }
        let payloads = here.payloads(&written);
        assert!(payloads.len() > 1 && payloads.iter().all(|p| p.len() <= PAYLOAD_MAX && p.starts_with("o:")));
        for payload in &payloads {
            here.apply(payload);
        }
        assert!(here.log.unchanged(stamp, &entry(10, 1)), "recorded at commit already");
        let (there, stamp) = replica();
        for payload in &payloads {
            there.apply(payload);
        }
        assert!(!there.log.unchanged(stamp, &entry(999, 1)));
        assert!(there.log.unchanged(stamp, &entry(1000, 1)));
    }

    #[test]
    fn unknown_notifications_retire_their_vendor_or_everything() {
        for (payload, other_vendor_too) in [
            ("o:1 x:3:9", false),
            ("o:1 l:3:nine", false),
            ("3", false),
            ("o:1 c:3:1:2", false),
            ("garbage", true),
            ("o:1 z", true),
        ] {
            let (there, stamp) = replica();
            there.apply(payload);
            assert!(!there.log.unchanged(stamp, &entry(10, 1)), "{payload}");
            let other = [Scope::Licensee(VendorId(4), Some(10)), Scope::Catalogue(VendorId(4), Some(1))];
            assert_eq!(!there.log.unchanged(stamp, &other), other_vendor_too, "{payload}");
        }
    }

    #[test]
    fn nothing_is_vouched_for_without_a_listener() {
        let changes = Changes::remote();
        assert_eq!(changes.log.stamp(), None, "unknown until a listener connects");
        changes.log.resume();
        let stamp = changes.log.stamp().unwrap();
        changes.log.suspend();
        assert_eq!(changes.log.stamp(), None);
        changes.log.resume();
        assert!(!changes.log.unchanged(stamp, &entry(10, 1)), "a new epoch");
        assert!(Changes::local().log.stamp().is_some());
    }
}
