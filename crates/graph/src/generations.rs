//! A bounded map that keeps what is used: the writer's cache of decoded records (see
//! `WriterCache` in store.rs).
//!
//! Entries go into a young generation. When it is full it becomes the old one and the
//! previous old generation is dropped; an entry found in the old generation moves back to
//! the young one. So an entry survives as long as it is used at least once per
//! generation, the map never holds more than twice its limit, and nothing is scanned to
//! choose what to drop. (Emptying the whole map when it was full, as the cache did before,
//! dropped the recurring places' and actors' events with the rest: at 100,000 articles
//! linking read the same events from the store again and again.)

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Borrow;
use std::hash::Hash;

/// A map of at most `2 × limit` entries that drops what was not used for a generation.
#[derive(Debug)]
pub(crate) struct Generations<K, V> {
    young: HashMap<K, V>,
    old: HashMap<K, V>,
    limit: usize,
}

impl<K: Hash + Eq, V> Generations<K, V> {
    /// An empty map whose generations hold `limit` entries (at least one).
    pub(crate) fn new(limit: usize) -> Self {
        Generations {
            young: HashMap::default(),
            old: HashMap::default(),
            limit: limit.max(1),
        }
    }

    /// The value of `k`, which counts as a use of it.
    pub(crate) fn get<Q: Hash + Eq + ?Sized>(&mut self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.get_mut(k).map(|v| &*v)
    }

    /// The value of `k` to change, which counts as a use of it.
    pub(crate) fn get_mut<Q: Hash + Eq + ?Sized>(&mut self, k: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        if !self.young.contains_key(k) {
            let (k, v) = self.old.remove_entry(k)?;
            self.insert_young(k, v);
        }
        self.young.get_mut(k)
    }

    /// Sets the value of `k` (a use of it).
    pub(crate) fn put(&mut self, k: K, v: V) {
        self.old.remove(&k);
        self.insert_young(k, v);
    }

    /// Adds `k` as not yet used (into the old generation, while it has room), unless it
    /// is already held: for records read along with the one asked for.
    pub(crate) fn offer(&mut self, k: K, v: V) {
        if self.old.len() < self.limit && !self.young.contains_key(&k) {
            self.old.entry(k).or_insert(v);
        }
    }

    /// Forgets `k`.
    pub(crate) fn remove(&mut self, k: &K) {
        self.young.remove(k);
        self.old.remove(k);
    }

    /// The entries held, each once.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.young.iter().chain(
            self.old
                .iter()
                .filter(|(k, _)| !self.young.contains_key(*k)),
        )
    }

    /// How many entries are held.
    pub(crate) fn len(&self) -> usize {
        self.iter().count()
    }

    fn insert_young(&mut self, k: K, v: V) {
        if self.young.len() >= self.limit && !self.young.contains_key(&k) {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(k, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn used_entries_survive_and_the_size_stays_bounded() {
        let mut g = Generations::new(4);
        g.put(0, "hub");
        for i in 1..1000 {
            g.put(i, "once");
            // The recurring entry is used about once a generation.
            if i % 3 == 0 {
                assert_eq!(g.get(&0), Some(&"hub"), "lost at {i}");
            }
            assert!(g.len() <= 8);
        }
        assert_eq!(g.get(&1), None, "an entry used once is dropped");
        assert_eq!(g.get(&999), Some(&"once"));
    }

    #[test]
    fn put_replaces_in_either_generation_and_remove_forgets_both() {
        let mut g = Generations::new(2);
        g.put(1, 'a');
        g.put(2, 'b');
        g.put(3, 'c'); // 1 and 2 are now old
        g.put(1, 'z');
        assert_eq!(g.get(&1), Some(&'z'));
        assert_eq!(g.iter().filter(|(k, _)| **k == 1).count(), 1);
        g.remove(&2);
        assert_eq!(g.get(&2), None);
    }

    #[test]
    fn offered_entries_wait_in_the_old_generation() {
        let mut g = Generations::new(2);
        g.put(1, 'a');
        g.offer(1, 'x'); // held already: kept as it was
        g.offer(2, 'b');
        g.offer(3, 'c');
        g.offer(4, 'd'); // the old generation is full
        assert_eq!(g.get(&1), Some(&'a'));
        assert_eq!(g.get(&4), None);
        assert_eq!(
            g.get(&2),
            Some(&'b'),
            "an offered entry is there when asked for"
        );
        g.put(5, 'e'); // the young generation (1, 2) becomes the old one; 3 is dropped
        assert_eq!(
            g.get(&3),
            None,
            "an offered entry not asked for goes with its generation"
        );
    }
}
