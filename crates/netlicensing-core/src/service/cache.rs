//! A bounded cache of values read from the store, per vendor and key. Each entry carries the [`Stamp`] the
//! store gave before the value was read and the [`Scope`]s the value depends on; it is served only while the
//! store reports none of those scopes changed after the stamp (see [`crate::repo::changes`]). So a write
//! retires just the entries it can change: a new licensee or a license of another customer leaves the other
//! licensees' entries alone.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use crate::{
    caller::VendorId,
    repo::{Scope, Stamp},
};

/// Entries kept at most; a full cache starts over.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// Product catalogues (modules and templates) kept at most; shared by every cached licensee of the product.
pub const CATALOGUE_CAPACITY: usize = 1_000;

/// How often the cache answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups served from the cache.
    pub hits: u64,
    /// Lookups that had to read the store (no entry, a retired one, or the cache is off).
    pub misses: u64,
}

/// The cache.
#[derive(Debug)]
pub struct ScopedCache<V> {
    entries: Mutex<Entries<V>>,
    capacity: usize,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// One cached value with what it was read at and depends on.
#[derive(Debug)]
struct Entry<V> {
    stamp: Stamp,
    scopes: Vec<Scope>,
    value: Arc<V>,
}

#[derive(Debug)]
struct Entries<V> {
    by_vendor: HashMap<VendorId, HashMap<String, Arc<Entry<V>>>>,
    len: usize,
}

impl<V> ScopedCache<V> {
    /// An empty cache holding at most `capacity` entries (0 disables it).
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(Entries { by_vendor: HashMap::new(), len: 0 }),
            capacity,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The value under `key` if `fresh` says nothing it depends on changed since it was read (given the
    /// entry's stamp and scopes). Counts a hit or a miss; a retired entry is dropped.
    pub fn get(&self, vendor: VendorId, key: &str, fresh: impl FnOnce(Stamp, &[Scope]) -> bool) -> Option<Arc<V>> {
        let entry = self.entries.lock().ok().and_then(|entries| entries.by_vendor.get(&vendor)?.get(key).cloned());
        match entry {
            Some(entry) if fresh(entry.stamp, &entry.scopes) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(entry.value.clone())
            }
            retired => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                if let Some(retired) = retired {
                    self.remove(vendor, key, &retired);
                }
                None
            }
        }
    }

    /// Keeps a value read after the store gave `stamp`, depending on `scopes`.
    pub fn put(&self, vendor: VendorId, key: &str, stamp: Stamp, scopes: Vec<Scope>, value: Arc<V>) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len >= self.capacity {
            entries.by_vendor.clear();
            entries.len = 0;
        }
        let entry = Arc::new(Entry { stamp, scopes, value });
        if entries.by_vendor.entry(vendor).or_default().insert(key.to_owned(), entry).is_none() {
            entries.len += 1;
        }
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats { hits: self.hits.load(Ordering::Relaxed), misses: self.misses.load(Ordering::Relaxed) }
    }

    /// Drops the entry under `key` if it is still `retired` (a newer one may have replaced it meanwhile).
    fn remove(&self, vendor: VendorId, key: &str, retired: &Arc<Entry<V>>) {
        let Ok(mut entries) = self.entries.lock() else { return };
        let Some(vendor_entries) = entries.by_vendor.get_mut(&vendor) else { return };
        if vendor_entries.get(key).is_some_and(|current| Arc::ptr_eq(current, retired)) {
            vendor_entries.remove(key);
            if vendor_entries.is_empty() {
                entries.by_vendor.remove(&vendor);
            }
            entries.len -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::changes::ChangeLog;

    const V: VendorId = VendorId(1);

    /// The scopes of a validation of licensee `id` of product `product`, asked for as `key`.
    fn scopes(id: i64, product: i64, key: &str) -> Vec<Scope> {
        vec![Scope::Licensee(V, Some(id)), Scope::Catalogue(V, Some(product)), Scope::key(V, key)]
    }

    #[test]
    fn entries_live_until_a_scope_of_theirs_changes() {
        let log = ChangeLog::vouching();
        let cache = ScopedCache::new(10);
        let fresh = |stamp, scopes: &[Scope]| log.unchanged(stamp, scopes);
        let stamp = log.stamp().unwrap();
        cache.put(V, "IA", stamp, scopes(10, 1, "IA"), Arc::new("A"));
        cache.put(V, "jo", stamp, scopes(10, 1, "jo"), Arc::new("A by alias"));
        cache.put(V, "IC", stamp, scopes(12, 2, "IC"), Arc::new("C"));
        assert_eq!(cache.get(V, "IA", fresh).as_deref(), Some(&"A"));

        // A new licensee, another licensee's license, another product's module: A stays cached.
        log.record(&[Scope::Licensee(V, Some(11)), Scope::key(V, "IB")]);
        log.record(&[Scope::Licensee(V, Some(12))]);
        log.record(&[Scope::Catalogue(V, Some(2))]);
        log.record(&[Scope::Licensee(VendorId(2), Some(10)), Scope::Catalogue(VendorId(2), Some(1))]);
        assert_eq!(cache.get(V, "IA", fresh).as_deref(), Some(&"A"));
        assert_eq!(cache.get(V, "jo", fresh).as_deref(), Some(&"A by alias"));
        assert_eq!(cache.get(V, "IC", fresh), None, "C's license and product changed");
        assert_eq!(cache.stats(), CacheStats { hits: 3, misses: 1 });

        // A licensee takes the number "jo": the alias entry is retired, the number entry is not.
        log.record(&[Scope::Licensee(V, Some(13)), Scope::key(V, "jo")]);
        assert_eq!(cache.get(V, "jo", fresh), None);
        assert_eq!(cache.get(V, "IA", fresh).as_deref(), Some(&"A"));

        // A's own license, A's row, or A's product's template.
        for change in [Scope::Licensee(V, Some(10)), Scope::Catalogue(V, Some(1)), Scope::Catalogue(V, None)] {
            let stamp = log.stamp().unwrap();
            cache.put(V, "IA", stamp, scopes(10, 1, "IA"), Arc::new("A"));
            assert!(cache.get(V, "IA", fresh).is_some());
            log.record(&[change]);
            assert_eq!(cache.get(V, "IA", fresh), None, "{change:?}");
        }
        assert_eq!(cache.stats(), CacheStats { hits: 7, misses: 5 });
        assert_eq!(cache.entries.lock().unwrap().len, 0, "retired entries are dropped");
    }

    #[test]
    fn nothing_is_served_while_the_store_cannot_vouch() {
        let log = ChangeLog::silent();
        let cache = ScopedCache::new(10);
        assert_eq!(log.stamp(), None);
        log.resume();
        let stamp = log.stamp().unwrap();
        cache.put(V, "IA", stamp, scopes(10, 1, "IA"), Arc::new(1));
        log.suspend();
        assert_eq!(cache.get(V, "IA", |stamp, scopes| log.unchanged(stamp, scopes)), None);
        log.resume();
        cache.put(V, "IA", stamp, scopes(10, 1, "IA"), Arc::new(1));
        assert_eq!(cache.get(V, "IA", |stamp, scopes| log.unchanged(stamp, scopes)), None, "a new epoch");
    }

    #[test]
    fn stays_bounded() {
        let cache = ScopedCache::new(3);
        for i in 0..10 {
            cache.put(V, &format!("L{i}"), Stamp(0), Vec::new(), Arc::new(i));
            assert!(cache.entries.lock().unwrap().len <= 3);
        }
        assert_eq!(cache.get(V, "L9", |_, _| true).as_deref(), Some(&9));
        let disabled = ScopedCache::new(0);
        disabled.put(V, "L", Stamp(0), Vec::new(), Arc::new(1));
        assert_eq!(disabled.get(V, "L", |_, _| true), None);
        assert_eq!(disabled.stats(), CacheStats { hits: 0, misses: 1 });
    }
}
