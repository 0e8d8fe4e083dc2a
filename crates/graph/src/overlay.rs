//! Group commit: the writes of several articles kept in memory, in front of sled, until
//! they are written in one transaction.
//!
//! [`Store::add_all`](crate::Store::add_all) links and plans each article of a batch in
//! turn, and each one must see what the ones before it wrote. Their writes go to an
//! [`Overlay`] (per tree, key to new value or removal) instead of sled; every read the
//! writer makes goes through a [`View`], which answers from the overlay first and from
//! the tree for the keys the overlay does not hold, with the same results (including the
//! order of range scans, both ways) as if the writes had been applied. At the end of the
//! batch the overlay is applied as one sled transaction, so after a crash the store holds
//! every article of the batch or none of them. A key written by several articles of the
//! batch (the counters, the last chunk of a busy list, an event's run) is written to sled
//! once.
//!
//! [`Source`] is what the list and index code reads through: a plain [`sled::Tree`]
//! (queries) or a [`View`] (the writer).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::btree_map;
use std::collections::BTreeMap;
use std::ops::{Bound, RangeBounds};

use sled::IVec;

use crate::generations::Generations;

/// Something keys can be read from the way sled's trees read them.
pub(crate) trait Source {
    /// The iterator of a range of keys, in key order from either end.
    type Iter<'a>: DoubleEndedIterator<Item = sled::Result<(IVec, IVec)>>
    where
        Self: 'a;

    /// The value of one key.
    fn get<K: AsRef<[u8]>>(&self, key: K) -> sled::Result<Option<IVec>>;

    /// The keys in a range.
    fn range<K: AsRef<[u8]>, R: RangeBounds<K>>(&self, range: R) -> Self::Iter<'_>;

    /// The keys that start with `prefix`.
    fn scan_prefix<P: AsRef<[u8]>>(&self, prefix: P) -> Self::Iter<'_>;

    /// The last entry of a chunked list (the keys that start with `list`; see
    /// `crate::chunked`): its last chunk.
    fn last_chunk(&self, list: &[u8]) -> sled::Result<Option<(IVec, IVec)>> {
        read_last_chunk(self, list)
    }

    /// The last entry of a list (the keys that start with `list`) before the key
    /// `below`.
    fn last_of_list(&self, list: &[u8], below: &[u8]) -> sled::Result<Option<(IVec, IVec)>> {
        read_last_of_list(self, list, below)
    }

    /// The entries of a list (the keys that start with `list`) whose keys lie between
    /// `lo` and `hi`, in key order.
    fn list_range(
        &self,
        list: &[u8],
        lo: Bound<&[u8]>,
        hi: Bound<&[u8]>,
    ) -> sled::Result<Vec<(IVec, IVec)>> {
        read_list_range(self, list, lo, hi)
    }
}

/// [`Source::last_chunk`] read with the source's iterators.
fn read_last_chunk<S: Source + ?Sized>(
    source: &S,
    list: &[u8],
) -> sled::Result<Option<(IVec, IVec)>> {
    source.scan_prefix(list).next_back().transpose()
}

/// [`Source::last_of_list`] read with the source's iterators.
fn read_last_of_list<S: Source + ?Sized>(
    source: &S,
    list: &[u8],
    below: &[u8],
) -> sled::Result<Option<(IVec, IVec)>> {
    source
        .range::<&[u8], _>((Bound::Included(list), Bound::Excluded(below)))
        .next_back()
        .transpose()
}

/// [`Source::list_range`] read with the source's iterators.
fn read_list_range<S: Source + ?Sized>(
    source: &S,
    list: &[u8],
    lo: Bound<&[u8]>,
    hi: Bound<&[u8]>,
) -> sled::Result<Vec<(IVec, IVec)>> {
    match (lo, hi) {
        (Bound::Unbounded, Bound::Unbounded) => source.scan_prefix(list).collect(),
        _ => source.range::<&[u8], _>((lo, hi)).collect(),
    }
}

impl Source for sled::Tree {
    type Iter<'a> = sled::Iter;

    fn get<K: AsRef<[u8]>>(&self, key: K) -> sled::Result<Option<IVec>> {
        sled::Tree::get(self, key)
    }

    fn range<K: AsRef<[u8]>, R: RangeBounds<K>>(&self, range: R) -> sled::Iter {
        sled::Tree::range(self, range)
    }

    fn scan_prefix<P: AsRef<[u8]>>(&self, prefix: P) -> sled::Iter {
        sled::Tree::scan_prefix(self, prefix)
    }
}

/// One tree's pending writes: key to its new value, or `None` for a removal.
pub(crate) type Pending = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// How many lists a [`Lists`] keeps per generation.
const CACHED_LISTS: usize = 1 << 16;

/// One list's chunks, key to value.
type Chunks = BTreeMap<Vec<u8>, IVec>;

/// The lists of one tree that the writer read lately, whole (every chunk's key and
/// value), so that the linking reads of a busy list (the events of a place or an actor
/// in a time window, `event_slots`) do not go through sled's iterators, which search
/// the tree again for every step (a fifth of a 10,000-article ingest's time went to
/// them). A list is read once through the batch's view and then follows every write of
/// the batches ([`Overlay::write`]); only the writer writes the tree, and a batch that
/// fails to be stored drops the cache.
///
/// It also keeps the last chunk of the chunked lists (`crate::chunked`) of the trees
/// given to [`Lists::with_tails`] that the writer appended to lately: every append
/// reads its list's last chunk, and sled finds it by a search of the tree from its root
/// (at 100,000 articles those searches were about 8% of the storing thread's time). A
/// tail follows the writes as a whole list does.
#[derive(Debug)]
pub(crate) struct Lists {
    /// The tree's index.
    tree: usize,
    /// How long the chunk part of the tree's keys is, after the list key.
    suffix: usize,
    lists: Generations<Vec<u8>, Chunks>,
    /// Per tree index, whether its lists' tails are kept.
    tail_trees: Vec<bool>,
    /// Tree index (one byte) and list key -> the list's last chunk (key and value), or
    /// `None` for a list with no chunks.
    tails: Generations<Vec<u8>, Option<(Vec<u8>, IVec)>>,
}

/// How many list tails a [`Lists`] keeps per generation (a chunk's value is at most
/// about `chunked::CHUNK_BYTES`).
const CACHED_TAILS: usize = 1 << 15;

/// The length of a chunk number at the end of a chunked list's keys.
const CHUNK_NUMBER: usize = 4;

/// The [`Lists::tails`] key of a list of a tree.
fn tail_key(tree: usize, list: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + list.len());
    k.push(tree as u8);
    k.extend_from_slice(list);
    k
}

impl Lists {
    /// No lists yet of tree `tree`, whose keys end in `suffix` bytes after the list key.
    pub(crate) fn new(tree: usize, suffix: usize) -> Self {
        Lists {
            tree,
            suffix,
            lists: Generations::new(CACHED_LISTS),
            tail_trees: Vec::new(),
            tails: Generations::new(CACHED_TAILS),
        }
    }

    /// Also keeps the last chunks of the chunked lists of trees `trees` (tree indexes
    /// below 256).
    pub(crate) fn with_tails(mut self, trees: &[usize]) -> Self {
        for &t in trees {
            debug_assert!(t < 256, "tree indexes are one byte in tail keys");
            if self.tail_trees.len() <= t {
                self.tail_trees.resize(t + 1, false);
            }
            self.tail_trees[t] = true;
        }
        self
    }

    /// Whether the tails of tree `tree`'s lists are kept.
    fn keeps_tails(&self, tree: usize) -> bool {
        self.tail_trees.get(tree).copied().unwrap_or(false)
    }

    /// Follows a write of `key` in tree `tree`, if its list is held.
    fn note(&mut self, tree: usize, key: &[u8], value: Option<&[u8]>) {
        if self.keeps_tails(tree) {
            self.note_tail(tree, key, value);
        }
        if tree != self.tree {
            return;
        }
        let Some(list) = key.len().checked_sub(self.suffix).map(|at| &key[..at]) else {
            return;
        };
        if let Some(chunks) = self.lists.get_mut(list) {
            match value {
                Some(v) => chunks.insert(key.to_vec(), IVec::from(v)),
                None => chunks.remove(key),
            };
        }
    }

    /// Follows a write of chunk `key` of a list whose tail may be held: a chunk at or
    /// after the tail becomes the tail; removing the tail forgets it (the chunk before
    /// it is not known).
    fn note_tail(&mut self, tree: usize, key: &[u8], value: Option<&[u8]>) {
        let Some(list) = key.len().checked_sub(CHUNK_NUMBER).map(|at| &key[..at]) else {
            return;
        };
        let tk = tail_key(tree, list);
        let Some(tail) = self.tails.get_mut(&tk) else {
            return;
        };
        let at_or_after = tail.as_ref().is_none_or(|(last, _)| key >= last.as_slice());
        match value {
            Some(v) if at_or_after => *tail = Some((key.to_vec(), IVec::from(v))),
            None if tail
                .as_ref()
                .is_some_and(|(last, _)| key == last.as_slice()) =>
            {
                self.tails.remove(&tk);
            }
            _ => {}
        }
    }
}

/// The pending writes of a batch, per tree (by the tree's index in the store's list),
/// and the writer's cache of whole [`Lists`], which follows them.
#[derive(Debug)]
pub(crate) struct Overlay {
    trees: Vec<Pending>,
    lists: RefCell<Lists>,
}

impl Overlay {
    /// No writes yet, for `trees` trees, with the lists cached so far.
    pub(crate) fn new(trees: usize, lists: Lists) -> Self {
        Overlay {
            trees: (0..trees).map(|_| Pending::new()).collect(),
            lists: RefCell::new(lists),
        }
    }

    /// Records a write to tree `tree`: a later write of a key replaces an earlier one.
    pub(crate) fn write(&mut self, tree: usize, key: Vec<u8>, value: Option<Vec<u8>>) {
        self.lists.get_mut().note(tree, &key, value.as_deref());
        self.trees[tree].insert(key, value);
    }

    /// The cached lists, to keep for the next batch once this one is stored.
    pub(crate) fn into_lists(self) -> Lists {
        self.lists.into_inner()
    }

    /// Tree `tree` as it will be once the writes are applied.
    pub(crate) fn view<'a>(&'a self, tree: usize, stored: &'a sled::Tree) -> View<'a> {
        View {
            stored,
            pending: &self.trees[tree],
            tree,
            lists: &self.lists,
        }
    }

    /// The writes, per tree, in key order.
    pub(crate) fn trees(&self) -> &[Pending] {
        &self.trees
    }

    /// Whether nothing is pending.
    pub(crate) fn is_empty(&self) -> bool {
        self.trees.iter().all(BTreeMap::is_empty)
    }
}

/// A tree with pending writes in front of it.
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    stored: &'a sled::Tree,
    pending: &'a Pending,
    tree: usize,
    lists: &'a RefCell<Lists>,
}

/// Owned bounds of a range of keys.
fn owned(bound: Bound<&impl AsRef<[u8]>>) -> Bound<Vec<u8>> {
    match bound {
        Bound::Included(k) => Bound::Included(k.as_ref().to_vec()),
        Bound::Excluded(k) => Bound::Excluded(k.as_ref().to_vec()),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// The smallest key after every key that starts with `prefix`, if there is one.
fn prefix_end(prefix: &[u8]) -> Bound<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Bound::Excluded(end);
        }
    }
    Bound::Unbounded
}

impl<'v> View<'v> {
    /// Runs `f` on a list's chunks if this view's tree is the one whose lists are
    /// cached (reading the list into the cache first if need be).
    fn with_list<R>(&self, list: &[u8], f: impl FnOnce(&Chunks) -> R) -> sled::Result<Option<R>> {
        let mut lists = self.lists.borrow_mut();
        if lists.tree != self.tree {
            return Ok(None);
        }
        if lists.lists.get(list).is_none() {
            // List keys are prefix-free: the keys with this prefix are this list's.
            let chunks = self
                .scan_prefix(list)
                .map(|kv| kv.map(|(k, v)| (k.to_vec(), v)))
                .collect::<sled::Result<Chunks>>()?;
            lists.lists.put(list.to_vec(), chunks);
        }
        Ok(lists.lists.get(list).map(f))
    }

    fn merged(&self, lo: Bound<Vec<u8>>, hi: Bound<Vec<u8>>) -> Merged<'v> {
        // A range sled's B-tree would refuse to iterate (start after end) is empty for
        // both sides.
        let empty = match (&lo, &hi) {
            (Bound::Included(a), Bound::Included(b)) => a > b,
            (Bound::Included(a) | Bound::Excluded(a), Bound::Excluded(b))
            | (Bound::Excluded(a), Bound::Included(b)) => a >= b,
            _ => false,
        };
        let pending = if empty || self.pending.is_empty() {
            None
        } else {
            Some(
                self.pending
                    .range::<[u8], _>((as_slice(&lo), as_slice(&hi))),
            )
        };
        Merged {
            stored: Side::new(self.stored.range((lo, hi))),
            pending: Side::new(pending.into_iter().flatten()),
        }
    }
}

fn as_slice(b: &Bound<Vec<u8>>) -> Bound<&[u8]> {
    match b {
        Bound::Included(k) => Bound::Included(k.as_slice()),
        Bound::Excluded(k) => Bound::Excluded(k.as_slice()),
        Bound::Unbounded => Bound::Unbounded,
    }
}

impl<'v> Source for View<'v> {
    type Iter<'a>
        = Merged<'v>
    where
        Self: 'a;

    fn get<K: AsRef<[u8]>>(&self, key: K) -> sled::Result<Option<IVec>> {
        match self.pending.get(key.as_ref()) {
            Some(Some(v)) => Ok(Some(IVec::from(v.as_slice()))),
            Some(None) => Ok(None),
            None => self.stored.get(key),
        }
    }

    fn range<K: AsRef<[u8]>, R: RangeBounds<K>>(&self, range: R) -> Merged<'v> {
        self.merged(owned(range.start_bound()), owned(range.end_bound()))
    }

    fn scan_prefix<P: AsRef<[u8]>>(&self, prefix: P) -> Merged<'v> {
        let prefix = prefix.as_ref();
        self.merged(Bound::Included(prefix.to_vec()), prefix_end(prefix))
    }

    fn last_chunk(&self, list: &[u8]) -> sled::Result<Option<(IVec, IVec)>> {
        let mut lists = self.lists.borrow_mut();
        if !lists.keeps_tails(self.tree) {
            drop(lists);
            return read_last_chunk(self, list);
        }
        let tk = tail_key(self.tree, list);
        if let Some(tail) = lists.tails.get(&tk) {
            return Ok(tail
                .as_ref()
                .map(|(k, v)| (IVec::from(k.as_slice()), v.clone())));
        }
        let last = read_last_chunk(self, list)?;
        lists
            .tails
            .put(tk, last.as_ref().map(|(k, v)| (k.to_vec(), v.clone())));
        Ok(last)
    }

    fn last_of_list(&self, list: &[u8], below: &[u8]) -> sled::Result<Option<(IVec, IVec)>> {
        let cached = self.with_list(list, |chunks| {
            chunks
                .range::<[u8], _>((Bound::Unbounded, Bound::Excluded(below)))
                .next_back()
                .map(|(k, v)| (IVec::from(k.as_slice()), v.clone()))
        })?;
        match cached {
            Some(found) => Ok(found),
            None => read_last_of_list(self, list, below),
        }
    }

    fn list_range(
        &self,
        list: &[u8],
        lo: Bound<&[u8]>,
        hi: Bound<&[u8]>,
    ) -> sled::Result<Vec<(IVec, IVec)>> {
        let cached = self.with_list(list, |chunks| {
            chunks
                .range::<[u8], _>((lo, hi))
                .map(|(k, v)| (IVec::from(k.as_slice()), v.clone()))
                .collect()
        })?;
        match cached {
            Some(found) => Ok(found),
            None => read_list_range(self, list, lo, hi),
        }
    }
}

/// The pending entries of a range: (key, new value or removal).
type PendingRange<'a> =
    std::iter::Flatten<std::option::IntoIter<btree_map::Range<'a, Vec<u8>, Option<Vec<u8>>>>>;

/// One side of a merge, with the items taken from each end but not yet given out. When
/// one end of the inner iterator runs dry, the other end's held item is the last one.
struct Side<I: DoubleEndedIterator> {
    inner: I,
    front: Option<I::Item>,
    back: Option<I::Item>,
}

impl<I: DoubleEndedIterator> Side<I> {
    fn new(inner: I) -> Self {
        Side {
            inner,
            front: None,
            back: None,
        }
    }

    fn peek_front(&mut self) -> Option<&I::Item> {
        if self.front.is_none() {
            self.front = self.inner.next().or_else(|| self.back.take());
        }
        self.front.as_ref()
    }

    fn peek_back(&mut self) -> Option<&I::Item> {
        if self.back.is_none() {
            self.back = self.inner.next_back().or_else(|| self.front.take());
        }
        self.back.as_ref()
    }
}

/// A range of a [`View`]: the tree's keys and the pending ones merged in key order, a
/// pending write replacing the stored value and a pending removal hiding it.
pub(crate) struct Merged<'a> {
    stored: Side<sled::Iter>,
    pending: Side<PendingRange<'a>>,
}

/// Which side holds the next key, from one end.
fn pick(
    stored: Option<&sled::Result<(IVec, IVec)>>,
    pending: Option<&(&Vec<u8>, &Option<Vec<u8>>)>,
    from_back: bool,
) -> Option<Ordering> {
    match (stored, pending) {
        (None, None) => None,
        (Some(_), None) => Some(Ordering::Less),
        (None, Some(_)) => Some(Ordering::Greater),
        // An error comes out first, whichever end.
        (Some(Err(_)), Some(_)) => Some(Ordering::Less),
        (Some(Ok((s, _))), Some((p, _))) => {
            let o = s.as_ref().cmp(p.as_slice());
            Some(if from_back { o.reverse() } else { o })
        }
    }
}

impl Merged<'_> {
    /// The next item from one end.
    fn step(&mut self, from_back: bool) -> Option<sled::Result<(IVec, IVec)>> {
        loop {
            let (s, p) = if from_back {
                (self.stored.peek_back(), self.pending.peek_back())
            } else {
                (self.stored.peek_front(), self.pending.peek_front())
            };
            let order = pick(s, p, from_back)?;
            let take_stored = |side: &mut Side<sled::Iter>| {
                if from_back {
                    side.back.take()
                } else {
                    side.front.take()
                }
            };
            if order == Ordering::Less {
                return take_stored(&mut self.stored);
            }
            if order == Ordering::Equal {
                // The pending write replaces the stored value.
                take_stored(&mut self.stored);
            }
            let (k, v) = if from_back {
                self.pending.back.take()
            } else {
                self.pending.front.take()
            }
            .expect("picked the pending side");
            if let Some(v) = v {
                return Some(Ok((IVec::from(k.as_slice()), IVec::from(v.as_slice()))));
            }
            // A removal: the key is gone; look further.
        }
    }
}

impl Iterator for Merged<'_> {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        self.step(false)
    }
}

impl DoubleEndedIterator for Merged<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.step(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads a source's whole range both ways and from both ends alternately.
    fn collect<S: Source>(s: &S, lo: &[u8], hi: &[u8], pattern: &[bool]) -> Vec<Vec<u8>> {
        let mut it = s.range(lo.to_vec()..hi.to_vec());
        let (mut front, mut back) = (Vec::new(), Vec::new());
        for &from_back in pattern.iter().cycle().take(64) {
            let item = if from_back { it.next_back() } else { it.next() };
            match item {
                Some(kv) => {
                    let (k, v) = kv.unwrap();
                    let mut entry = k.to_vec();
                    entry.push(b'=');
                    entry.extend_from_slice(&v);
                    if from_back {
                        back.push(entry);
                    } else {
                        front.push(entry);
                    }
                }
                None => break,
            }
        }
        front.extend(back.into_iter().rev());
        front
    }

    fn key() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(prop_oneof![Just(0u8), Just(1), Just(2), Just(255)], 0..3)
    }

    proptest! {
        /// A view reads what the tree would hold with the writes applied: point reads,
        /// ranges read from either end and from both ends in turn, prefix scans.
        #[test]
        fn a_view_reads_like_the_tree_with_the_writes_applied(
            stored in proptest::collection::btree_map(key(), key(), 0..12),
            writes in proptest::collection::vec((key(), proptest::option::of(key())), 0..12),
            lo in key(),
            hi in key(),
            pattern in proptest::collection::vec(any::<bool>(), 1..4),
        ) {
            let db = sled::Config::new().temporary(true).open().unwrap();
            let tree = db.open_tree("t").unwrap();
            let applied = db.open_tree("applied").unwrap();
            for (k, v) in &stored {
                tree.insert(k, v.as_slice()).unwrap();
                applied.insert(k, v.as_slice()).unwrap();
            }
            // A second tree's lists are cached: this view reads the tree itself.
            let mut overlay = Overlay::new(2, Lists::new(1, 1));
            for (k, v) in &writes {
                overlay.write(0, k.clone(), v.clone());
                match v {
                    Some(v) => applied.insert(k, v.as_slice()).unwrap(),
                    None => applied.remove(k).unwrap(),
                };
            }
            let view = overlay.view(0, &tree);
            for k in stored.keys().chain(writes.iter().map(|w| &w.0)).chain([&lo]) {
                prop_assert_eq!(Source::get(&view, k).unwrap(), applied.get(k).unwrap());
            }
            if lo <= hi {
                prop_assert_eq!(
                    collect(&view, &lo, &hi, &pattern),
                    collect(&applied, &lo, &hi, &pattern)
                );
            }
            let keys = |it: &mut dyn Iterator<Item = sled::Result<(IVec, IVec)>>| {
                it.map(|kv| kv.unwrap().0.to_vec()).collect::<Vec<_>>()
            };
            prop_assert_eq!(
                keys(&mut Source::scan_prefix(&view, &lo)),
                keys(&mut applied.scan_prefix(&lo))
            );
            prop_assert_eq!(
                keys(&mut Source::range(&view, ..=lo.clone()).rev()),
                keys(&mut applied.range(..=lo.clone()).rev())
            );
            prop_assert_eq!(
                keys(&mut Source::range(&view, lo.clone()..)),
                keys(&mut applied.range(lo.clone()..))
            );
        }
    }

    proptest! {
        /// sled's own iterators (the vendored copy reads a step's node in place and keeps
        /// a copy only from the second step on) give a tree of many leaves in key order
        /// from either end and from both ends in turn.
        #[test]
        fn sled_ranges_over_many_leaves_read_like_a_sorted_map(
            stored in proptest::collection::btree_map(
                proptest::collection::vec(any::<u8>(), 1..3), any::<u8>(), 0..200),
            lo in proptest::collection::vec(any::<u8>(), 0..3),
            hi in proptest::collection::vec(any::<u8>(), 0..3),
            pattern in proptest::collection::vec(any::<bool>(), 1..5),
        ) {
            let db = sled::Config::new().temporary(true).open().unwrap();
            let tree = db.open_tree("t").unwrap();
            for (k, v) in &stored {
                tree.insert(k, &[*v]).unwrap();
            }
            prop_assume!(lo <= hi);
            let all: Vec<Vec<u8>> = stored
                .range(lo.clone()..hi.clone())
                .map(|(k, v)| [k.as_slice(), b"=", &[*v]].concat())
                .collect();
            // `collect` takes 64 steps at most: then the first and last items of the range.
            let expected = if all.len() < 64 {
                all
            } else {
                let front = pattern.iter().cycle().take(64).filter(|b| !**b).count();
                let mut want = all[..front].to_vec();
                want.extend_from_slice(&all[all.len() - (64 - front)..]);
                want
            };
            prop_assert_eq!(collect(&tree, &lo, &hi, &pattern), expected);
        }
    }

    /// A write of a test batch: key, new value or removal, and what to check after it.
    type Write<C> = (Vec<u8>, Option<u8>, C);

    /// Runs batches of writes (key, new value or removal, then what to check) over
    /// `tree` through overlays that hand `lists` from batch to batch, each batch applied
    /// to the tree at its end as a store does; after each write, `check` gets the
    /// batch's view, a copy of the tree with the writes so far applied, and the write's
    /// check data.
    fn run_batches<C>(
        db: &sled::Db,
        tree: &sled::Tree,
        mut lists: Lists,
        batches: Vec<Vec<Write<C>>>,
        mut check: impl FnMut(&View<'_>, &sled::Tree, C) -> Result<(), TestCaseError>,
    ) -> Result<(), TestCaseError> {
        for batch in batches {
            let mut overlay = Overlay::new(1, lists);
            let applied = db.open_tree("applied").unwrap();
            applied.clear().unwrap();
            for kv in tree.iter() {
                let (k, v) = kv.unwrap();
                applied.insert(k, v).unwrap();
            }
            for (k, v, c) in batch {
                overlay.write(0, k.clone(), v.map(|v| vec![v]));
                match v {
                    Some(v) => applied.insert(k, &[v]).unwrap(),
                    None => applied.remove(k).unwrap(),
                };
                check(&overlay.view(0, tree), &applied, c)?;
            }
            for (k, v) in &overlay.trees()[0] {
                match v {
                    Some(v) => tree.insert(k.as_slice(), v.as_slice()).unwrap(),
                    None => tree.remove(k.as_slice()).unwrap(),
                };
            }
            lists = overlay.into_lists();
        }
        Ok(())
    }

    proptest! {
        /// With the tails of a tree's chunked lists kept across batches, a list's last
        /// chunk is what the tree with the writes applied holds, whatever chunks the
        /// writes add, change or remove (and whether a list was read before).
        #[test]
        fn kept_tails_read_like_the_tree_with_the_writes_applied(
            stored in proptest::collection::btree_map((0u8..3, 0u8..5), any::<u8>(), 0..12),
            batches in proptest::collection::vec(
                proptest::collection::vec(
                    ((0u8..3, 0u8..5), proptest::option::of(any::<u8>()), 0u8..3),
                    0..10,
                ),
                1..4,
            ),
        ) {
            // A chunk key: list byte, then a four-byte chunk number.
            let chunk = |l: u8, c: u8| vec![l, 0, 0, 0, c];
            let db = sled::Config::new().temporary(true).open().unwrap();
            let tree = db.open_tree("t").unwrap();
            for ((l, c), v) in &stored {
                tree.insert(chunk(*l, *c), &[*v]).unwrap();
            }
            let batches = batches
                .into_iter()
                .map(|b| {
                    b.into_iter()
                        .map(|((l, c), v, list)| (chunk(l, c), v, list))
                        .collect()
                })
                .collect();
            let lists = Lists::new(1, 1).with_tails(&[0]);
            run_batches(&db, &tree, lists, batches, |view, applied, list| {
                prop_assert_eq!(
                    view.last_chunk(&[list]).unwrap(),
                    applied.last_chunk(&[list]).unwrap()
                );
                Ok(())
            })?;
        }
    }

    proptest! {
        /// With the lists of a tree cached across batches, a list's last chunk before a
        /// key and its chunks in a range are what the tree with the writes applied holds.
        #[test]
        fn cached_lists_read_like_the_tree_with_the_writes_applied(
            stored in proptest::collection::btree_map((0u8..3, 0u8..6), any::<u8>(), 0..12),
            batches in proptest::collection::vec(
                proptest::collection::vec(
                    ((0u8..3, 0u8..6), proptest::option::of(any::<u8>()), 0u8..3, 0u8..7, 0u8..7),
                    0..8,
                ),
                1..4,
            ),
        ) {
            let db = sled::Config::new().temporary(true).open().unwrap();
            let tree = db.open_tree("t").unwrap();
            for ((l, c), v) in &stored {
                tree.insert([*l, *c], &[*v]).unwrap();
            }
            let batches = batches
                .into_iter()
                .map(|b| {
                    b.into_iter()
                        .map(|((l, c), v, list, a, b)| (vec![l, c], v, (list, a, b)))
                        .collect()
                })
                .collect();
            run_batches(&db, &tree, Lists::new(0, 1), batches, |view, applied, (list, a, b)| {
                let (lo, hi) = ([list, a.min(b)], [list, a.max(b)]);
                prop_assert_eq!(
                    view.last_of_list(&[list], &hi).unwrap(),
                    applied.last_of_list(&[list], &hi).unwrap()
                );
                for bounds in [
                    (Bound::Included(&lo[..]), Bound::Included(&hi[..])),
                    (Bound::Unbounded, Bound::Unbounded),
                ] {
                    prop_assert_eq!(
                        view.list_range(&[list], bounds.0, bounds.1).unwrap(),
                        applied.list_range(&[list], bounds.0, bounds.1).unwrap()
                    );
                }
                Ok(())
            })?;
        }
    }

    #[test]
    fn prefix_ends_skip_trailing_maximum_bytes() {
        assert_eq!(prefix_end(&[1, 255]), Bound::Excluded(vec![2]));
        assert_eq!(prefix_end(&[1, 2]), Bound::Excluded(vec![1, 3]));
        assert_eq!(prefix_end(&[255, 255]), Bound::Unbounded);
        assert_eq!(prefix_end(&[]), Bound::Unbounded);
    }
}
