//! A bounded cache of values read from the store, per vendor and key. Each entry carries the [`Stamp`] the
//! store gave before the value was read and the [`Scope`]s the value depends on; it is served only while the
//! store reports none of those scopes changed after the stamp (see [`crate::repo::changes`]). So a write
//! retires just the entries it can change: a new licensee or a license of another customer leaves the other
//! licensees' entries alone.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use crate::{
    caller::VendorId,
    repo::{Scope, Stamp},
};

/// Memory the licensees' validation data may take by default, in MiB.
pub const DEFAULT_MIB: u64 = 128;

/// Memory the product catalogues may take, in bytes (a catalogue is a few KB, shared by every licensee of the
/// product).
pub const CATALOGUE_BYTES: u64 = 16 << 20;

/// What an entry costs beyond its value's own bytes: the key, the scopes, the cache's bookkeeping.
const ENTRY_OVERHEAD: usize = 160;

/// A cached value's size in memory, in bytes (an estimate; the cache's memory bound is the sum of these).
pub trait Weighed {
    /// Bytes the value holds.
    fn weight(&self) -> usize;
}

/// How often the cache answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups served from the cache.
    pub hits: u64,
    /// Lookups that had to read the store (no entry, a retired one, or the cache is off).
    pub misses: u64,
}

/// The cache: bounded by memory (an estimate of each entry's bytes), evicting what is used least recently and
/// least often (quick_cache's CLOCK-Pro; a one-off scan does not flush the hot entries).
pub struct ScopedCache<V> {
    /// `None` when the cache is off.
    entries: Option<Entries<V>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<V> std::fmt::Debug for ScopedCache<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopedCache")
            .field("on", &self.entries.is_some())
            .field("hits", &self.hits)
            .field("misses", &self.misses)
            .finish()
    }
}

/// The entries by vendor and key.
type Entries<V> = quick_cache::sync::Cache<Key, Arc<Entry<V>>, ByBytes>;

/// An entry's key: the vendor and what the value was asked for by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    vendor: VendorId,
    key: Box<str>,
}

/// A [`Key`] borrowed for a lookup (hashes as the key does), so a lookup allocates nothing.
#[derive(Hash)]
struct Lookup<'a> {
    vendor: VendorId,
    key: &'a str,
}

impl quick_cache::Equivalent<Key> for Lookup<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        self.vendor == key.vendor && self.key == &*key.key
    }
}

/// An entry's weight: its estimated bytes (at least 1: quick_cache never evicts an entry of weight 0).
#[derive(Debug, Clone, Copy)]
struct ByBytes;

impl<V: Weighed> quick_cache::Weighter<Key, Arc<Entry<V>>> for ByBytes {
    fn weight(&self, key: &Key, entry: &Arc<Entry<V>>) -> u64 {
        (ENTRY_OVERHEAD + key.key.len() + entry.value.weight()) as u64
    }
}

/// One cached value with what it was read at and depends on.
#[derive(Debug)]
struct Entry<V> {
    stamp: Stamp,
    scopes: Vec<Scope>,
    value: Arc<V>,
}

impl<V: Weighed + Send + Sync + 'static> ScopedCache<V> {
    /// An empty cache holding entries of at most `bytes` in all (0 disables it).
    pub fn new(bytes: u64) -> Self {
        let entries = (bytes > 0).then(|| {
            // The estimate sizes the cache's tables; an entry is a kilobyte or so.
            let estimated = usize::try_from(bytes / 1024).unwrap_or(usize::MAX).max(1);
            quick_cache::sync::Cache::with_weighter(estimated, bytes, ByBytes)
        });
        Self { entries, hits: AtomicU64::new(0), misses: AtomicU64::new(0) }
    }

    /// The value under `key` if `fresh` says nothing it depends on changed since it was read (given the
    /// entry's stamp and scopes). Counts a hit or a miss; a retired entry is dropped.
    pub fn get(&self, vendor: VendorId, key: &str, fresh: impl FnOnce(Stamp, &[Scope]) -> bool) -> Option<Arc<V>> {
        let Some(entries) = &self.entries else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return None;
        };
        let lookup = Lookup { vendor, key };
        match entries.get(&lookup) {
            Some(entry) if fresh(entry.stamp, &entry.scopes) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(entry.value.clone())
            }
            retired => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                if let Some(retired) = retired {
                    // Only if no newer entry replaced it meanwhile.
                    entries.remove_if(&lookup, |current| Arc::ptr_eq(current, &retired));
                }
                None
            }
        }
    }

    /// Keeps a value read after the store gave `stamp`, depending on `scopes`.
    pub fn put(&self, vendor: VendorId, key: &str, stamp: Stamp, scopes: Vec<Scope>, value: Arc<V>) {
        if let Some(entries) = &self.entries {
            entries.insert(Key { vendor, key: Box::from(key) }, Arc::new(Entry { stamp, scopes, value }));
        }
    }

    /// False when the cache was made with no memory (then nothing need be prepared for it).
    pub fn is_on(&self) -> bool {
        self.entries.is_some()
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats { hits: self.hits.load(Ordering::Relaxed), misses: self.misses.load(Ordering::Relaxed) }
    }

    /// Entries held now.
    pub fn len(&self) -> u64 {
        self.entries.as_ref().map_or(0, |entries| entries.len() as u64)
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held now by the entries' estimate.
    pub fn weight(&self) -> u64 {
        self.entries.as_ref().map_or(0, quick_cache::sync::Cache::weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::changes::ChangeLog;

    const V: VendorId = VendorId(1);

    impl Weighed for &'static str {
        fn weight(&self) -> usize {
            self.len()
        }
    }

    impl Weighed for i32 {
        fn weight(&self) -> usize {
            4
        }
    }

    /// The scopes of a validation of licensee `id` of product `product`, asked for as `key`.
    fn scopes(id: i64, product: i64, key: &str) -> Vec<Scope> {
        vec![Scope::Licensee(V, Some(id)), Scope::Catalogue(V, Some(product)), Scope::key(V, key)]
    }

    #[test]
    fn entries_live_until_a_scope_of_theirs_changes() {
        let log = ChangeLog::vouching();
        let cache = ScopedCache::new(1 << 20);
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
        assert!(cache.is_empty(), "retired entries are dropped");
    }

    #[test]
    fn nothing_is_served_while_the_store_cannot_vouch() {
        let log = ChangeLog::silent();
        let cache = ScopedCache::new(1 << 20);
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
    fn stays_within_its_memory() {
        // Each entry weighs ENTRY_OVERHEAD + 2 (key) + 4 (value): room for three.
        let budget = 3 * (ENTRY_OVERHEAD as u64 + 6);
        let cache = ScopedCache::new(budget);
        for i in 0..10 {
            cache.put(V, &format!("L{i}"), Stamp(0), Vec::new(), Arc::new(i));
            assert!(cache.weight() <= budget, "{} > {budget}", cache.weight());
        }
        assert!(cache.len() <= 3 && !cache.is_empty(), "{}", cache.len());
        let disabled = ScopedCache::new(0);
        disabled.put(V, "L", Stamp(0), Vec::new(), Arc::new(1));
        assert_eq!(disabled.get(V, "L", |_, _| true), None);
        assert_eq!(disabled.stats(), CacheStats { hits: 0, misses: 1 });
    }
}
