//! Which vendors' data changed: the change generations behind [`Store::generation`], which let the core serve
//! validation reads from memory while nothing changed.
//!
//! Every committed write transaction moves the generation of each vendor it wrote for. On SQLite this process
//! is the only writer, so counting its own commits is exact. On PostgreSQL, where several replicas share the
//! database, each write transaction also sends `pg_notify` for its vendors (delivered when it commits), and a
//! listener task moves the generations on every notification from any replica. While that listener is not
//! connected the generations are unknown (`None`) and nothing is served from memory; after it reconnects a new
//! epoch retires everything cached before. A change made on another replica reaches this one's cache as fast
//! as PostgreSQL delivers the notification (typically well under a millisecond on a local network); changes
//! made through this replica are seen at once.
//!
//! [`Store::generation`]: netlicensing_core::repo::Store::generation

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::Duration,
};

use netlicensing_core::{VendorId, repo::Generation};
use sea_orm::{ConnectionTrait, DatabaseConnection, sqlx::postgres::PgListener};

/// SQL text naming this database schema's notification channel (computed on the database side, so that tests
/// in separate schemas of one database do not hear each other).
pub const CHANNEL_SQL: &str = "'netlicensing_' || current_schema()";

/// The generations of every vendor this process has seen change.
#[derive(Debug)]
pub struct Changes {
    state: RwLock<State>,
}

#[derive(Debug, Default)]
struct State {
    epoch: u64,
    known: bool,
    vendors: HashMap<VendorId, u64>,
}

impl Changes {
    /// Generations known from the start (this process is the only writer).
    pub fn local() -> Arc<Self> {
        Arc::new(Self { state: RwLock::new(State { known: true, ..State::default() }) })
    }

    /// Generations unknown until [`Changes::resume`] (a listener must connect first).
    pub fn remote() -> Arc<Self> {
        Arc::new(Self { state: RwLock::new(State::default()) })
    }

    /// The vendor's generation, when known.
    pub fn generation(&self, vendor: VendorId) -> Option<Generation> {
        let state = self.state.read().ok()?;
        state.known.then(|| Generation(state.epoch, state.vendors.get(&vendor).copied().unwrap_or(0)))
    }

    /// A write of the vendor's data committed.
    pub fn bump(&self, vendor: VendorId) {
        if let Ok(mut state) = self.state.write() {
            *state.vendors.entry(vendor).or_insert(0) += 1;
        }
    }

    /// Changes may be missed from now on: generations become unknown.
    pub fn suspend(&self) {
        if let Ok(mut state) = self.state.write() {
            state.known = false;
        }
    }

    /// Changes are heard again: a new epoch, so nothing read before counts.
    pub fn resume(&self) {
        if let Ok(mut state) = self.state.write() {
            state.epoch += 1;
            state.vendors.clear();
            state.known = true;
        }
    }

    /// Listens for the notifications of every replica (PostgreSQL), reconnecting after a second when the
    /// connection drops. Runs until the pool closes.
    pub async fn listen(self: Arc<Self>, db: DatabaseConnection) {
        loop {
            if let Err(error) = self.listen_once(&db).await {
                log::warn!("change notifications interrupted ({error}); validation reads bypass the cache");
            }
            self.suspend();
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
        self.resume();
        loop {
            match listener.try_recv().await.map_err(|e| e.to_string())? {
                Some(notification) => match notification.payload().parse::<i64>() {
                    Ok(vendor) => self.bump(VendorId(vendor)),
                    Err(_) => log::warn!("unexpected change notification '{}'", notification.payload()),
                },
                None => return Err("connection lost".into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations_move_per_vendor_and_epoch() {
        let changes = Changes::local();
        let (a, b) = (VendorId(1), VendorId(2));
        let first = changes.generation(a);
        assert!(first.is_some());
        changes.bump(a);
        assert_ne!(changes.generation(a), first);
        assert_eq!(changes.generation(b), Some(Generation(0, 0)));
        changes.suspend();
        assert_eq!(changes.generation(a), None);
        changes.resume();
        assert_eq!(changes.generation(a), Some(Generation(1, 0)));
        assert_eq!(Changes::remote().generation(a), None, "unknown until a listener connects");
    }
}
