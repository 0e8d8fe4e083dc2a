//! Day lists: index entries that each carry a day, kept in chunks that cover ranges of
//! days, so a list of entries spread over many days takes few sled keys.
//!
//! A [chunked list](crate::chunked) keyed by day (list · day · chunk number) takes a key
//! for every day that has an entry, and most index lists have one entry a day: the
//! linking index of a 10,000-article store took 105,000 keys that way, a third of the
//! store's, and sled's start reads a page-table entry for every 8 to 16 keys. Here a
//! chunk's key is list · first day (u32 BE) · sequence number (u16 BE), and its value the
//! chunk's entries as (day, entry), sorted. A chunk holds the entries from its first day
//! up to the next chunk's first day (not included), so a range of days is read from the
//! chunks that start in it and the one before. Only when more than [`CHUNK`] entries share
//! one day do several chunks start on the same day: then all but the last of them hold
//! entries of that day only (the sequence number orders them).
//!
//! Adding an entry rewrites the one chunk that covers its day; a chunk that grows too
//! large splits at a change of day near its middle. An entry earlier than every chunk
//! moves the first chunk's start back, so an anchor's few entries stay in one key
//! whatever order they arrive in. List keys must have one fixed width per tree.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::chunked::{CHUNK, CHUNK_BYTES};
use crate::codec::{decode, encode, key};
use crate::error::{Result, StoreError};
use crate::overlay::Source;

/// A chunk's place in its list: its first day and sequence number.
type Start = (u32, u16);

/// The key of a chunk.
fn chunk_key(list: &[u8], start: Start) -> Vec<u8> {
    key(&[list, &start.0.to_be_bytes(), &start.1.to_be_bytes()])
}

/// The first day and sequence number at the end of a chunk key.
fn start_of(tree: &'static str, k: &[u8]) -> Result<Start> {
    let at = k.len().checked_sub(6).ok_or_else(|| StoreError::Corrupt {
        tree,
        reason: format!("day list key of {} bytes is too short", k.len()),
    })?;
    let day = u32::from_be_bytes([k[at], k[at + 1], k[at + 2], k[at + 3]]);
    let seq = u16::from_be_bytes([k[at + 4], k[at + 5]]);
    Ok((day, seq))
}

/// The list key of a chunk key.
pub(crate) fn list_of(k: &[u8]) -> &[u8] {
    &k[..k.len().saturating_sub(6)]
}

/// Decodes one chunk's entries (for callers that scan a tree themselves).
pub(crate) fn entries<T: DeserializeOwned>(name: &'static str, v: &[u8]) -> Result<Vec<(u32, T)>> {
    decode(name, v)
}

/// The entries of a list whose day lies in `from..=to`, in day order (within a day, in
/// chunk order).
pub(crate) fn scan<T: DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
    list: &[u8],
    from: u32,
    to: u32,
) -> Result<Vec<(u32, T)>> {
    let mut out = Vec::new();
    if from > to {
        return Ok(out);
    }
    let mut push = |v: &[u8]| -> Result<()> {
        let chunk: Vec<(u32, T)> = decode(name, v)?;
        out.extend(chunk.into_iter().filter(|(d, _)| (from..=to).contains(d)));
        Ok(())
    };
    // The chunk that starts before `from` may hold days from `from` on.
    let lo = chunk_key(list, (from, 0));
    if let Some((_, v)) = tree.last_of_list(list, &lo)? {
        push(&v)?;
    }
    let hi = chunk_key(list, (to, u16::MAX));
    for (_, v) in tree.list_range(list, Bound::Included(&lo), Bound::Included(&hi))? {
        push(&v)?;
    }
    Ok(out)
}

/// Every entry of a list, in day order (within a day, in chunk order).
pub(crate) fn read_all<T: DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
    list: &[u8],
) -> Result<Vec<(u32, T)>> {
    let mut out = Vec::new();
    for (_, v) in tree.list_range(list, Bound::Unbounded, Bound::Unbounded)? {
        out.extend(decode::<Vec<(u32, T)>>(name, &v)?);
    }
    Ok(out)
}

/// Checks that every chunk of a tree of day lists (list keys `list_len` bytes long)
/// holds the days its key says: sorted, from its first day, before the next chunk's
/// first day, and only its first day when the next chunk starts on the same day.
/// Returns one line per chunk that does not.
pub(crate) fn check<T: DeserializeOwned>(
    tree: &sled::Tree,
    name: &'static str,
    list_len: usize,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut prev: Option<(Vec<u8>, Start, Vec<u32>)> = None;
    let mut judge = |list: &[u8], start: Start, days: &[u32], next: Option<Start>| {
        let sorted = days.windows(2).all(|w| w[0] <= w[1]);
        let bounded = days.iter().all(|&d| {
            d >= start.0
                && match next {
                    Some(n) if n.0 == start.0 => d == start.0,
                    Some(n) => d < n.0,
                    None => true,
                }
        });
        if days.is_empty() || !sorted || !bounded {
            problems.push(format!(
                "{name}: chunk {start:?} of list {list:?} holds days {days:?} (next chunk {next:?})"
            ));
        }
    };
    for item in tree.iter() {
        let (k, v) = item?;
        if k.len() != list_len + 6 {
            return Err(StoreError::Corrupt {
                tree: name,
                reason: format!("day list key of {} bytes", k.len()),
            });
        }
        let list = list_of(&k).to_vec();
        let start = start_of(name, &k)?;
        let days: Vec<u32> = entries::<T>(name, &v)?.into_iter().map(|e| e.0).collect();
        if let Some((plist, pstart, pdays)) = prev.take() {
            let next = (plist == list).then_some(start);
            judge(&plist, pstart, &pdays, next);
        }
        prev = Some((list, start, days));
    }
    if let Some((plist, pstart, pdays)) = prev {
        judge(&plist, pstart, &pdays, None);
    }
    Ok(problems)
}

/// One chunk as planned: its entries (none for a chunk to delete or never stored) and
/// whether it must be written.
#[derive(Debug)]
struct Chunk<T> {
    entries: Vec<(u32, T)>,
    changed: bool,
}

/// Planned changes to the day lists of one tree, read from the tree as they are first
/// touched. The caller holds the store's writer lock, so nothing else changes the tree
/// between planning and the transaction that writes [`DayEdits::ops`]. A chunk in the
/// plan overrides the tree's (an empty one is absent); chunks the plan has not touched
/// are as the tree has them.
#[derive(Debug)]
pub(crate) struct DayEdits<T> {
    name: &'static str,
    /// The most entries a chunk holds ([`CHUNK`]; less in tests, to split often).
    max: usize,
    lists: BTreeMap<Vec<u8>, BTreeMap<Start, Chunk<T>>>,
}

impl<T: Serialize + DeserializeOwned + Ord> DayEdits<T> {
    /// No changes yet to the tree called `name`.
    pub(crate) fn new(name: &'static str) -> Self {
        DayEdits {
            name,
            max: CHUNK,
            lists: BTreeMap::new(),
        }
    }

    /// Chunks of at most `max` entries (tests split with few entries).
    #[cfg(test)]
    fn with_max(name: &'static str, max: usize) -> Self {
        DayEdits {
            max,
            ..DayEdits::new(name)
        }
    }

    /// Brings a stored chunk into the plan (once).
    fn load(&mut self, list: &[u8], start: Start, value: &[u8]) -> Result<()> {
        let name = self.name;
        let plan = self.lists.entry(list.to_vec()).or_default();
        if let std::collections::btree_map::Entry::Vacant(slot) = plan.entry(start) {
            slot.insert(Chunk {
                entries: decode(name, value)?,
                changed: false,
            });
        }
        Ok(())
    }

    /// The last chunk (as planned) at or before `bound`, loaded into the plan.
    fn last_at_or_before(
        &mut self,
        tree: &impl Source,
        list: &[u8],
        bound: Start,
    ) -> Result<Option<Start>> {
        let planned = self.lists.get(list).and_then(|plan| {
            plan.range(..=bound)
                .rev()
                .find(|(_, c)| !c.entries.is_empty())
                .map(|(s, _)| *s)
        });
        let mut stored = None;
        // The keys at or before the bound's are the ones below it with a zero byte added.
        let mut below = chunk_key(list, bound);
        below.push(0);
        while let Some((k, v)) = tree.last_of_list(list, &below)? {
            let start = start_of(self.name, &k)?;
            // The plan decides for the chunks it holds (`planned` saw those).
            if self.lists.get(list).is_some_and(|p| p.contains_key(&start)) {
                below = k.to_vec();
                continue;
            }
            self.load(list, start, &v)?;
            stored = Some(start);
            break;
        }
        Ok(planned.max(stored))
    }

    /// The first two chunks (as planned) at or after `bound`, loaded into the plan.
    fn first_two_from(
        &mut self,
        tree: &impl Source,
        list: &[u8],
        bound: Start,
    ) -> Result<Vec<Start>> {
        let mut found: Vec<Start> = self
            .lists
            .get(list)
            .map(|plan| {
                plan.range(bound..)
                    .filter(|(_, c)| !c.entries.is_empty())
                    .map(|(s, _)| *s)
                    .take(2)
                    .collect()
            })
            .unwrap_or_default();
        let mut stored = 0;
        for item in tree.range(chunk_key(list, bound)..=chunk_key(list, (u32::MAX, u16::MAX))) {
            let (k, v) = item?;
            let start = start_of(self.name, &k)?;
            if self.lists.get(list).is_some_and(|p| p.contains_key(&start)) {
                continue;
            }
            self.load(list, start, &v)?;
            found.push(start);
            stored += 1;
            if stored == 2 {
                break;
            }
        }
        found.sort();
        found.truncate(2);
        Ok(found)
    }

    /// The chunks (as planned) starting in `from..=to`, loaded into the plan.
    fn starting_in(
        &mut self,
        tree: &impl Source,
        list: &[u8],
        from: Start,
        to: Start,
    ) -> Result<Vec<Start>> {
        for item in tree.range(chunk_key(list, from)..=chunk_key(list, to)) {
            let (k, v) = item?;
            let start = start_of(self.name, &k)?;
            self.load(list, start, &v)?;
        }
        Ok(self
            .lists
            .get(list)
            .map(|plan| {
                plan.range(from..=to)
                    .filter(|(_, c)| !c.entries.is_empty())
                    .map(|(s, _)| *s)
                    .collect()
            })
            .unwrap_or_default())
    }

    fn chunk(&mut self, list: &[u8], start: Start) -> &mut Chunk<T> {
        self.lists
            .entry(list.to_vec())
            .or_default()
            .entry(start)
            .or_insert_with(|| Chunk {
                entries: Vec::new(),
                changed: false,
            })
    }

    /// Adds an entry for `day` to a list (once: an entry already there is not doubled).
    pub(crate) fn push(
        &mut self,
        tree: &impl Source,
        list: &[u8],
        day: u32,
        entry: T,
    ) -> Result<()> {
        let target = match self.last_at_or_before(tree, list, (day, u16::MAX))? {
            Some(start) => start,
            None => {
                // Earlier than every chunk: the first chunk starts here instead, unless
                // it shares its day with the next one (then it holds only that day).
                let first = self.first_two_from(tree, list, (0, 0))?;
                match first.as_slice() {
                    [only] => self.restart(list, *only, (day, 0)),
                    [a, b] if a.0 != b.0 => self.restart(list, *a, (day, 0)),
                    _ => (day, 0),
                }
            }
        };
        let item = (day, entry);
        if target.0 == day && target.1 > 0 {
            // Several chunks of this day: the entry may be in an earlier one.
            for start in self.starting_in(tree, list, (day, 0), (day, target.1 - 1))? {
                if self.chunk(list, start).entries.binary_search(&item).is_ok() {
                    return Ok(());
                }
            }
        }
        let chunk = self.chunk(list, target);
        if let Err(at) = chunk.entries.binary_search(&item) {
            chunk.entries.insert(at, item);
            chunk.changed = true;
            self.split_if_full(list, target);
        }
        Ok(())
    }

    /// Moves a chunk's entries to a new start (the old key is deleted); returns it.
    fn restart(&mut self, list: &[u8], from: Start, to: Start) -> Start {
        let moved = std::mem::take(&mut self.chunk(list, from).entries);
        self.chunk(list, from).changed = true;
        let c = self.chunk(list, to);
        c.entries = moved;
        c.changed = true;
        to
    }

    /// Splits a chunk that has grown past [`CHUNK`] entries or [`CHUNK_BYTES`]: at the
    /// change of day nearest its middle; when all its entries share a day, into two
    /// chunks that start on that day.
    fn split_if_full(&mut self, list: &[u8], start: Start) {
        let max = self.max;
        let chunk = self.chunk(list, start);
        let n = chunk.entries.len();
        if n < 2 || (n <= max && encode(&chunk.entries).len() <= CHUNK_BYTES) {
            return;
        }
        let mid = n / 2;
        let boundary = (1..n)
            .filter(|&j| chunk.entries[j].0 != chunk.entries[j - 1].0)
            .min_by_key(|&j| (j.abs_diff(mid), j));
        match boundary {
            Some(j) => {
                // The upper part starts on its first day, before the next chunk's; both
                // parts are the last chunks of their days, so either may split again.
                let upper = chunk.entries.split_off(j);
                let next = (upper[0].0, 0);
                let c = self.chunk(list, next);
                c.entries = upper;
                c.changed = true;
                self.split_if_full(list, start);
                self.split_if_full(list, next);
            }
            None if start.1 == u16::MAX => {
                // 65,535 full chunks of one day: this one grows instead.
            }
            None => {
                let day = chunk.entries[0].0;
                let mut lower = std::mem::take(&mut chunk.entries);
                let upper = lower.split_off(mid);
                // All one day: the chunks of that day start on it, numbered in order
                // (this one is the last of them, being the one that took the entry).
                let (first, second) = if day == start.0 {
                    (start, (day, start.1.saturating_add(1)))
                } else {
                    (self.restart(list, start, (day, 0)), (day, 1))
                };
                let c = self.chunk(list, first);
                c.entries = lower;
                c.changed = true;
                let c = self.chunk(list, second);
                c.entries = upper;
                c.changed = true;
                self.split_if_full(list, second);
            }
        }
    }

    /// Removes the entry for `day` from a list, if it is there.
    pub(crate) fn remove(
        &mut self,
        tree: &impl Source,
        list: &[u8],
        day: u32,
        entry: &T,
    ) -> Result<()> {
        let mut candidates = self.starting_in(tree, list, (day, 0), (day, u16::MAX))?;
        if let Some(d) = day.checked_sub(1) {
            candidates.extend(self.last_at_or_before(tree, list, (d, u16::MAX))?);
        }
        for start in candidates {
            let chunk = self.chunk(list, start);
            if let Ok(at) = chunk
                .entries
                .binary_search_by(|(d, e)| (*d, e).cmp(&(day, entry)))
            {
                chunk.entries.remove(at);
                chunk.changed = true;
                break;
            }
        }
        Ok(())
    }

    /// The writes that carry out the plan: a changed chunk's new value, or `None` to
    /// delete a chunk left empty.
    pub(crate) fn ops(&self) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
        let mut out = Vec::new();
        for (list, plan) in &self.lists {
            for (start, chunk) in plan.iter().filter(|(_, c)| c.changed) {
                let value = (!chunk.entries.is_empty()).then(|| encode(&chunk.entries));
                out.push((chunk_key(list, *start), value));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chunked::apply_ops;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn tree() -> sled::Tree {
        let db = sled::Config::new().temporary(true).open().unwrap();
        db.open_tree("t").unwrap()
    }

    #[test]
    fn entries_spread_over_days_share_chunks() {
        let t = tree();
        let list = 7u64.to_be_bytes();
        // 300 entries over 300 days, one transaction each, in a scrambled order.
        for i in 0..300u32 {
            let day = 1000 + (i * 97) % 300;
            let mut e = DayEdits::<u64>::new("t");
            e.push(&t, &list, day, u64::from(day)).unwrap();
            apply_ops(&t, e.ops());
        }
        assert!(check::<u64>(&t, "t", 8).unwrap().is_empty());
        // Chunks of 32 to 64 entries: at most ten keys, not 300.
        assert!(t.len() <= 10, "{} keys", t.len());
        let all: Vec<(u32, u64)> = read_all(&t, "t", &list).unwrap();
        assert_eq!(all.len(), 300);
        let got: Vec<(u32, u64)> = scan(&t, "t", &list, 1100, 1149).unwrap();
        assert_eq!(got.len(), 50);
        assert!(got
            .iter()
            .all(|(d, v)| (1100..1150).contains(d) && u64::from(*d) == *v));
    }

    #[test]
    fn many_entries_on_one_day_make_chunks_of_that_day() {
        let t = tree();
        let list = 1u64.to_be_bytes();
        let mut e = DayEdits::<u64>::new("t");
        for i in 0..200u64 {
            e.push(&t, &list, 50, i).unwrap();
        }
        e.push(&t, &list, 40, 0).unwrap();
        e.push(&t, &list, 60, 0).unwrap();
        apply_ops(&t, e.ops());
        assert!(check::<u64>(&t, "t", 8).unwrap().is_empty());
        assert_eq!(scan::<u64>(&t, "t", &list, 50, 50).unwrap().len(), 200);
        assert_eq!(scan::<u64>(&t, "t", &list, 41, 59).unwrap().len(), 200);
        assert_eq!(scan::<u64>(&t, "t", &list, 0, 100).unwrap().len(), 202);
        // Removing them all, in two transactions, leaves the two other days only.
        for half in [0..100u64, 100..200] {
            let mut e = DayEdits::<u64>::new("t");
            for i in half {
                e.remove(&t, &list, 50, &i).unwrap();
            }
            apply_ops(&t, e.ops());
            assert!(check::<u64>(&t, "t", 8).unwrap().is_empty());
        }
        let left: Vec<(u32, u64)> = read_all(&t, "t", &list).unwrap();
        assert_eq!(left, vec![(40, 0), (60, 0)]);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Push(u8, u32, u16),
        Remove(u8, u32, u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0u8..3, 0u32..40, 0u16..12).prop_map(|(l, d, v)| Op::Push(l, d, v)),
            1 => (0u8..3, 0u32..40, 0u16..12).prop_map(|(l, d, v)| Op::Remove(l, d, v)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Whatever pushes and removals, in transactions of any size, the lists hold
        /// exactly what a plain set would, their chunks keep the day invariant, and a
        /// scan of any range of days finds exactly that range's entries.
        #[test]
        fn day_lists_behave_like_sets(
            batches in prop::collection::vec(prop::collection::vec(op(), 1..40), 1..12),
            from in 0u32..40,
            len in 0u32..40,
            max in 2usize..6,
        ) {
            let t = tree();
            let mut model: BTreeSet<(u8, u32, u16)> = BTreeSet::new();
            for batch in &batches {
                let mut e = DayEdits::<u16>::with_max("t", max);
                for op in batch {
                    match *op {
                        Op::Push(l, d, v) => {
                            e.push(&t, &[l], d, v).unwrap();
                            model.insert((l, d, v));
                        }
                        Op::Remove(l, d, v) => {
                            e.remove(&t, &[l], d, &v).unwrap();
                            model.remove(&(l, d, v));
                        }
                    }
                }
                apply_ops(&t, e.ops());
                prop_assert!(check::<u16>(&t, "t", 1).unwrap().is_empty(),
                    "{:?}", check::<u16>(&t, "t", 1).unwrap());
            }
            for l in 0u8..3 {
                // Entries come in day order; within a day, in chunk order.
                let mut all: Vec<(u32, u16)> = read_all(&t, "t", &[l]).unwrap();
                prop_assert!(all.windows(2).all(|w| w[0].0 <= w[1].0));
                all.sort();
                let want: Vec<(u32, u16)> =
                    model.iter().filter(|m| m.0 == l).map(|m| (m.1, m.2)).collect();
                prop_assert_eq!(&all, &want);
                let to = from + len;
                let mut got: Vec<(u32, u16)> = scan(&t, "t", &[l], from, to).unwrap();
                prop_assert!(got.windows(2).all(|w| w[0].0 <= w[1].0));
                got.sort();
                let want: Vec<(u32, u16)> =
                    want.into_iter().filter(|(d, _)| (from..=to).contains(d)).collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}
