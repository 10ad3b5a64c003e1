//! A bounded cache of values read from the store, per vendor and key, each tagged with the vendor's change
//! generation ([`Generation`]) read before the value was. An entry is served only while the store still reports
//! that generation, so any committed write of the vendor (in this process or, where the store hears of them,
//! in another) retires every entry of the vendor.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use crate::{caller::VendorId, repo::Generation};

/// Entries kept at most; a full cache starts over.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// The cache.
#[derive(Debug)]
pub struct GenerationCache<V> {
    entries: Mutex<Entries<V>>,
    capacity: usize,
}

#[derive(Debug)]
struct Entries<V> {
    by_vendor: HashMap<VendorId, HashMap<String, (Generation, Arc<V>)>>,
    len: usize,
}

impl<V> GenerationCache<V> {
    /// An empty cache holding at most `capacity` entries (0 disables it).
    pub fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(Entries { by_vendor: HashMap::new(), len: 0 }), capacity }
    }

    /// The value under `key` if it was read at `generation`.
    pub fn get(&self, vendor: VendorId, key: &str, generation: Generation) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        let (tag, value) = entries.by_vendor.get(&vendor)?.get(key)?;
        (*tag == generation).then(|| value.clone())
    }

    /// Keeps a value read at `generation`.
    pub fn put(&self, vendor: VendorId, key: &str, generation: Generation, value: Arc<V>) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len >= self.capacity {
            entries.by_vendor.clear();
            entries.len = 0;
        }
        let vendor_entries = entries.by_vendor.entry(vendor).or_default();
        // Entries of older generations are dead: drop them when the vendor's generation moves on.
        if vendor_entries.values().next().is_some_and(|(tag, _)| *tag != generation) {
            let dropped = vendor_entries.len();
            vendor_entries.clear();
            entries.len -= dropped;
        }
        let vendor_entries = entries.by_vendor.entry(vendor).or_default();
        if vendor_entries.insert(key.to_owned(), (generation, value)).is_none() {
            entries.len += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_live_while_their_generation_does() {
        let cache = GenerationCache::new(10);
        let (a, b) = (VendorId(1), VendorId(2));
        cache.put(a, "L1", Generation(0, 1), Arc::new(1));
        cache.put(b, "L1", Generation(0, 7), Arc::new(2));
        assert_eq!(cache.get(a, "L1", Generation(0, 1)).as_deref(), Some(&1));
        assert_eq!(cache.get(b, "L1", Generation(0, 7)).as_deref(), Some(&2));
        assert_eq!(cache.get(a, "L1", Generation(0, 2)), None, "a newer generation retires the entry");
        assert_eq!(cache.get(a, "L1", Generation(1, 1)), None, "a new epoch retires the entry");
        assert_eq!(cache.get(a, "L2", Generation(0, 1)), None);
        cache.put(a, "L2", Generation(0, 2), Arc::new(3));
        assert_eq!(cache.get(a, "L1", Generation(0, 1)), None, "older entries of the vendor are dropped");
        assert_eq!(cache.get(b, "L1", Generation(0, 7)).as_deref(), Some(&2), "other vendors keep theirs");
    }

    #[test]
    fn stays_bounded() {
        let cache = GenerationCache::new(3);
        for i in 0..10 {
            cache.put(VendorId(1), &format!("L{i}"), Generation(0, 0), Arc::new(i));
            assert!(cache.entries.lock().unwrap().len <= 3);
        }
        assert_eq!(cache.get(VendorId(1), "L9", Generation(0, 0)).as_deref(), Some(&9));
        let disabled = GenerationCache::new(0);
        disabled.put(VendorId(1), "L", Generation(0, 0), Arc::new(1));
        assert_eq!(disabled.get(VendorId(1), "L", Generation(0, 0)), None);
    }
}
