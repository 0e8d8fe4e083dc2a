//! Chunked lists: many small index entries kept in few sled keys.
//!
//! sled 0.34 splits a tree leaf once it holds more than 16 keys, and opening a store
//! costs time for every leaf (its start reads a page table entry per leaf), so a key per
//! index entry made opening a 10,000-article store take about 100 ms. A chunked list
//! keeps the entries under one list key in chunks of up to [`CHUNK`]: key = list key ·
//! chunk number (u32 BE), value = the chunk's entries (bincode). Appending reads and
//! rewrites only the last chunk, so the cost of an append does not grow with the list;
//! reading a list is one prefix scan.
//!
//! List keys must be prefix-free within a tree (a fixed-width id, or text ending in a
//! zero byte), so that a prefix scan finds one list's chunks and no other's.
//!
//! *Runs* are the other way to few keys, for records an article adds with consecutive
//! ids (quotes, relations, events): one key per article, its first id (u64 BE), whose
//! value lists the records in id order. A record is found by seeking the last run that
//! starts at or before its id; changing one (an event a later article reports) rewrites
//! its run.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::codec::{decode, decode_prefix, encode, key};
use crate::error::{Result, StoreError};
use crate::overlay::Source;

/// The most entries a chunk holds.
pub(crate) const CHUNK: usize = 64;

/// A chunk takes no more entries once its value is this long: an append rewrites the
/// last chunk, and sled logs every rewrite whole, so large entries get short chunks.
pub(crate) const CHUNK_BYTES: usize = 1024;

/// The key of chunk `n` of a list.
fn chunk_key(list: &[u8], n: u32) -> Vec<u8> {
    key(&[list, &n.to_be_bytes()])
}

/// The chunk number at the end of a chunk key.
fn chunk_number(tree: &'static str, k: &[u8]) -> Result<u32> {
    k.len()
        .checked_sub(4)
        .and_then(|at| k.get(at..))
        .and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
        .ok_or_else(|| StoreError::Corrupt {
            tree,
            reason: format!("chunk key of {} bytes is too short", k.len()),
        })
}

/// The list key of a chunk key (the key without its chunk number).
pub(crate) fn list_of(k: &[u8]) -> &[u8] {
    &k[..k.len().saturating_sub(4)]
}

/// Reads one list: its entries in chunk order (the order they were appended in).
pub(crate) fn read<T: DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
    list: &[u8],
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for item in tree.scan_prefix(list) {
        let (_, v) = item?;
        out.extend(decode::<Vec<T>>(name, &v)?);
    }
    Ok(out)
}

/// Decodes one chunk's entries (for callers that scan a tree themselves).
pub(crate) fn entries<T: DeserializeOwned>(name: &'static str, v: &[u8]) -> Result<Vec<T>> {
    decode(name, v)
}

/// The run that holds id `id`, if any: its first id and its records.
pub(crate) fn run_of<T: DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
    id: u64,
) -> Result<Option<(u64, Vec<T>)>> {
    let Some(item) = tree.range(..=id.to_be_bytes()).next_back() else {
        return Ok(None);
    };
    let (k, v) = item?;
    let first = crate::codec::be_u64(name, &k, 0)?;
    let run: Vec<T> = decode(name, &v)?;
    let at = usize::try_from(id - first).unwrap_or(usize::MAX);
    Ok((at < run.len()).then_some((first, run)))
}

/// The record with id `id` from a tree of runs, if stored.
pub(crate) fn run_get<T: DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
    id: u64,
) -> Result<Option<T>> {
    Ok(run_of(tree, name, id)?.map(|(first, mut run)| {
        let at = usize::try_from(id - first).unwrap_or(usize::MAX);
        run.swap_remove(at)
    }))
}

/// The records with the given ids (ascending) from a tree of runs, in id order; ids not
/// stored are left out. Each run is decoded once for all the ids it holds.
pub(crate) fn run_get_many<T: DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
    ids: &[u64],
) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(ids.len());
    let mut at = 0;
    while let Some(&id) = ids.get(at) {
        let Some((first, run)) = run_of::<T>(tree, name, id)? else {
            at += 1;
            continue;
        };
        let end = first + run.len() as u64;
        let mut slots: Vec<Option<T>> = run.into_iter().map(Some).collect();
        while let Some(&id) = ids.get(at).filter(|&&id| id < end) {
            if let Some(r) = usize::try_from(id - first)
                .ok()
                .and_then(|i| slots.get_mut(i))
                .and_then(Option::take)
            {
                out.push(r);
            }
            at += 1;
        }
    }
    Ok(out)
}

/// Every record of a tree of runs from id `from` on, with its id, in id order.
pub(crate) fn run_scan<T: DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
    from: u64,
) -> Result<Vec<(u64, T)>> {
    // The run holding `from` starts at or before it.
    let start = match tree.range(..=from.to_be_bytes()).next_back() {
        Some(item) => item?.0.to_vec(),
        None => from.to_be_bytes().to_vec(),
    };
    let mut out = Vec::new();
    for item in tree.range(start..) {
        let (k, v) = item?;
        let first = crate::codec::be_u64(name, &k, 0)?;
        let run: Vec<T> = decode(name, &v)?;
        out.extend((first..).zip(run).filter(|(id, _)| *id >= from));
    }
    Ok(out)
}

/// Every record of a tree of runs, in id order.
pub(crate) fn run_all<T: DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
) -> Result<Vec<T>> {
    Ok(run_scan(tree, name, 0)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// One chunk of a list being edited: decoded, or as stored (its entry count and its
/// entries' bytes) while it is only appended to, so that appending to a long chunk
/// neither decodes nor re-encodes the entries already in it.
#[derive(Debug)]
enum Chunk<T> {
    Decoded(Vec<T>),
    Encoded { count: u64, entries: Vec<u8> },
}

impl<T: Serialize + DeserializeOwned> Chunk<T> {
    /// A stored chunk value, kept encoded.
    fn stored(name: &'static str, v: &[u8]) -> Result<Chunk<T>> {
        // A `Vec` is its length (a bincode varint) followed by its entries.
        let (count, at) = decode_prefix::<u64>(name, v)?;
        Ok(Chunk::Encoded {
            count,
            entries: v[at..].to_vec(),
        })
    }

    fn len(&self) -> usize {
        match self {
            Chunk::Decoded(c) => c.len(),
            Chunk::Encoded { count, .. } => *count as usize,
        }
    }

    /// Appends an entry, given with its encoding.
    fn push(&mut self, entry: T, encoded: &[u8]) {
        match self {
            Chunk::Decoded(c) => c.push(entry),
            Chunk::Encoded { count, entries } => {
                *count += 1;
                entries.extend_from_slice(encoded);
            }
        }
    }

    /// The entries, decoded.
    fn decoded(&mut self, name: &'static str) -> Result<&mut Vec<T>> {
        if let Chunk::Encoded { .. } = self {
            *self = Chunk::Decoded(decode(name, &self.value())?);
        }
        match self {
            Chunk::Decoded(c) => Ok(c),
            Chunk::Encoded { .. } => unreachable!("decoded above"),
        }
    }

    /// The chunk's stored value: the same bytes whether it is decoded or not.
    fn value(&self) -> Vec<u8> {
        match self {
            Chunk::Decoded(c) => encode(c),
            Chunk::Encoded { count, entries } => {
                let mut v = encode(count);
                v.extend_from_slice(entries);
                v
            }
        }
    }
}

/// One list's chunks as read and changed by a transaction being planned.
#[derive(Debug)]
struct ListEdit<T> {
    chunks: BTreeMap<u32, Chunk<T>>,
    changed: BTreeSet<u32>,
    /// Whether every chunk of the list has been read (not only the last).
    complete: bool,
    /// How many bytes the last chunk's value takes, when known (a removal forgets it).
    last_bytes: Option<usize>,
}

impl<T> Default for ListEdit<T> {
    fn default() -> Self {
        ListEdit {
            chunks: BTreeMap::new(),
            changed: BTreeSet::new(),
            complete: false,
            last_bytes: None,
        }
    }
}

/// Planned changes to the lists of one tree, read from the tree as they are first
/// touched. The caller holds the store's writer lock, so nothing else changes the tree
/// between planning and the transaction that writes [`Edits::ops`].
#[derive(Debug)]
pub(crate) struct Edits<T> {
    name: &'static str,
    lists: BTreeMap<Vec<u8>, ListEdit<T>>,
}

impl<T: Serialize + DeserializeOwned + PartialEq> Edits<T> {
    /// No changes yet to the tree called `name`.
    pub(crate) fn new(name: &'static str) -> Self {
        Edits {
            name,
            lists: BTreeMap::new(),
        }
    }

    /// Appends an entry to a list.
    pub(crate) fn push(&mut self, tree: &impl Source, list: &[u8], entry: T) -> Result<()> {
        let name = self.name;
        let edit = self.lists.entry(list.to_vec()).or_default();
        if edit.chunks.is_empty() {
            if let Some((k, v)) = tree.last_chunk(list)? {
                edit.chunks
                    .insert(chunk_number(name, &k)?, Chunk::stored(name, &v)?);
                edit.last_bytes = Some(v.len());
            }
        }
        let encoded = encode(&entry);
        let size = encoded.len();
        let (n, full) = match edit.chunks.iter().next_back() {
            Some((&n, c)) => {
                let bytes = *edit.last_bytes.get_or_insert_with(|| c.value().len());
                (n, c.len() >= CHUNK || bytes + size > CHUNK_BYTES)
            }
            None => (0, false),
        };
        let n = if full {
            edit.last_bytes = Some(0);
            n + 1
        } else {
            n
        };
        edit.chunks
            .entry(n)
            .or_insert_with(|| Chunk::Decoded(Vec::new()))
            .push(entry, &encoded);
        edit.changed.insert(n);
        edit.last_bytes = Some(edit.last_bytes.unwrap_or(0) + size);
        Ok(())
    }

    /// Removes every copy of an entry from a list.
    pub(crate) fn remove(&mut self, tree: &impl Source, list: &[u8], entry: &T) -> Result<()> {
        let name = self.name;
        let edit = self.lists.entry(list.to_vec()).or_default();
        if !edit.complete {
            for item in tree.scan_prefix(list) {
                let (k, v) = item?;
                let n = chunk_number(name, &k)?;
                if let Entry::Vacant(slot) = edit.chunks.entry(n) {
                    slot.insert(Chunk::Decoded(decode(name, &v)?));
                }
            }
            edit.complete = true;
        }
        for (n, chunk) in edit.chunks.iter_mut() {
            let chunk = chunk.decoded(name)?;
            let before = chunk.len();
            chunk.retain(|e| e != entry);
            if chunk.len() != before {
                edit.changed.insert(*n);
            }
        }
        edit.last_bytes = None;
        Ok(())
    }

    /// The writes that carry out the plan: a changed chunk's new value, or `None` to
    /// delete a chunk left empty.
    pub(crate) fn ops(&self) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
        let mut out = Vec::new();
        for (list, edit) in &self.lists {
            for n in &edit.changed {
                let chunk = &edit.chunks[n];
                let value = (chunk.len() > 0).then(|| chunk.value());
                out.push((chunk_key(list, *n), value));
            }
        }
        out
    }
}

/// Writes a plan's ops to a tree outside a transaction (the tests of chunked and day
/// lists apply their plans this way).
#[cfg(test)]
pub(crate) fn apply_ops(tree: &sled::Tree, ops: Vec<(Vec<u8>, Option<Vec<u8>>)>) {
    for (k, v) in ops {
        match v {
            Some(v) => tree.insert(k, v).unwrap(),
            None => tree.remove(k).unwrap(),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_encoded_chunk_appends_to_the_bytes_its_decoded_form_would_have() {
        type Entry = (u64, Vec<String>);
        let first: Vec<Entry> = vec![(1, vec!["a".into()]), (300, vec![])];
        let mut encoded = Chunk::<Entry>::stored("t", &encode(&first)).unwrap();
        let mut decoded = Chunk::Decoded(first);
        for i in 0..300u64 {
            let e: Entry = (i * 1000, vec!["x".repeat(i as usize % 5); i as usize % 3]);
            let bytes = encode(&e);
            encoded.push(e.clone(), &bytes);
            decoded.push(e, &bytes);
            assert_eq!(encoded.len(), decoded.len());
            assert_eq!(encoded.value(), decoded.value());
        }
        // Past 250 entries the count takes three bytes; decoding gives the entries back.
        let back = encoded.decoded("t").unwrap().clone();
        assert_eq!(Chunk::Decoded(back).value(), decoded.value());
    }

    #[test]
    fn lists_append_across_chunks_and_stay_apart() {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree("t").unwrap();
        // Several transactions, each appending to two lists.
        for round in 0..5u64 {
            let mut e = Edits::<u64>::new("t");
            for i in 0..40u64 {
                e.push(&tree, &1u64.to_be_bytes(), round * 40 + i).unwrap();
            }
            e.push(&tree, &2u64.to_be_bytes(), round).unwrap();
            apply_ops(&tree, e.ops());
        }
        let one: Vec<u64> = read(&tree, "t", &1u64.to_be_bytes()).unwrap();
        assert_eq!(one, (0..200).collect::<Vec<_>>());
        let two: Vec<u64> = read(&tree, "t", &2u64.to_be_bytes()).unwrap();
        assert_eq!(two, vec![0, 1, 2, 3, 4]);
        // 200 entries make four chunks, none over the limit.
        assert_eq!(tree.scan_prefix(1u64.to_be_bytes()).count(), 4);
        for item in tree.iter() {
            let (_, v) = item.unwrap();
            assert!(entries::<u64>("t", &v).unwrap().len() <= CHUNK);
        }
    }

    #[test]
    fn runs_find_records_by_id() {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree("r").unwrap();
        // Three articles: ids 1-3, none, 4, 5-6 (an article with no records writes none).
        for (first, run) in [
            (1u64, vec!["a", "b", "c"]),
            (4, vec!["d"]),
            (5, vec!["e", "f"]),
        ] {
            tree.insert(first.to_be_bytes(), encode(&run)).unwrap();
        }
        let get = |id| run_get::<String>(&tree, "r", id).unwrap();
        assert_eq!(get(0), None);
        assert_eq!(get(1).as_deref(), Some("a"));
        assert_eq!(get(3).as_deref(), Some("c"));
        assert_eq!(get(4).as_deref(), Some("d"));
        assert_eq!(get(6).as_deref(), Some("f"));
        assert_eq!(get(7), None);
        let all: Vec<(u64, String)> = run_scan(&tree, "r", 0).unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(all[5], (6, "f".to_string()));
        let tail: Vec<(u64, String)> = run_scan(&tree, "r", 3).unwrap();
        let ids: Vec<u64> = tail.iter().map(|t| t.0).collect();
        assert_eq!(ids, vec![3, 4, 5, 6]);
        let some: Vec<String> = run_get_many(&tree, "r", &[0, 2, 3, 5, 6, 9]).unwrap();
        assert_eq!(some, vec!["b", "c", "e", "f"]);
    }

    #[test]
    fn large_entries_make_short_chunks() {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree("t").unwrap();
        let big = "x".repeat(300);
        for i in 0..10 {
            let mut e = Edits::<(u64, String)>::new("t");
            e.push(&tree, b"k", (i, big.clone())).unwrap();
            apply_ops(&tree, e.ops());
        }
        let got: Vec<(u64, String)> = read(&tree, "t", b"k").unwrap();
        assert_eq!(
            got.iter().map(|g| g.0).collect::<Vec<_>>(),
            (0..10).collect::<Vec<_>>()
        );
        for item in tree.iter() {
            let (_, v) = item.unwrap();
            assert!(v.len() <= CHUNK_BYTES, "{}", v.len());
        }
        assert!(tree.len() >= 4);
    }

    #[test]
    fn removal_reaches_every_chunk_and_deletes_empty_ones() {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree("t").unwrap();
        let list = b"word\0".to_vec();
        let mut e = Edits::<u64>::new("t");
        for i in 0..(CHUNK as u64 + 1) {
            e.push(&tree, &list, i % 3).unwrap();
        }
        apply_ops(&tree, e.ops());
        let mut e = Edits::<u64>::new("t");
        e.remove(&tree, &list, &1).unwrap();
        e.push(&tree, &list, 9).unwrap();
        apply_ops(&tree, e.ops());
        let got: Vec<u64> = read(&tree, "t", &list).unwrap();
        assert!(
            !got.contains(&1),
            "{got:?} {:?}",
            tree.iter().keys().collect::<Vec<_>>()
        );
        assert_eq!(got.last(), Some(&9));
        let mut e = Edits::<u64>::new("t");
        for v in [0, 2, 9] {
            e.remove(&tree, &list, &v).unwrap();
        }
        apply_ops(&tree, e.ops());
        assert!(tree.is_empty());
        assert_eq!(list_of(&chunk_key(&list, 7)), list.as_slice());
    }
}
