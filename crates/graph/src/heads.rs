//! Event heads: what answers rank events by, kept apart from the event records.
//!
//! "When was the drone strike" matches thousands of events on a large store; ranking
//! them needs only each event's label, modality, whether it is dated and placed, and how
//! many reports it has. Decoding the full records (actors, places, word lists) for that
//! took most of such a question's time, so each event also has a *head* in tree
//! `event_heads`, in blocks of [`BLOCK`] event ids: key the block number (id / 64, u64
//! big-endian), value the block's distinct labels and one small entry per event. Heads
//! are written in the article's transaction with the records they summarise, so they
//! never disagree with them.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use crate::codec::encode;
use crate::error::{Result, StoreError};
use crate::overlay::Source;
use crate::records::StoredEvent;
use annals_model::{EventId, Modality};

/// Tree of the head blocks.
pub(crate) const EVENT_HEADS: &str = "event_heads";
/// Event ids per block.
const BLOCK: u64 = 64;

const DATED: u8 = 1;
const PLACED: u8 = 1 << 1;

/// What an answer ranks an event by (read with [`Store::event_heads`](crate::Store::event_heads)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventHead {
    /// The event.
    pub id: EventId,
    /// Its label: an index into [`EventHeads::labels`].
    pub label: usize,
    /// Asserted, negated, hypothetical or future.
    pub modality: Modality,
    /// Whether it has a date.
    pub dated: bool,
    /// Whether it has a place.
    pub placed: bool,
    /// How many reports it has.
    pub reports: u32,
}

/// The heads of some events, with their labels given once each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventHeads {
    /// The distinct labels, in the order first met.
    pub labels: Vec<String>,
    /// The heads, in id order.
    pub heads: Vec<EventHead>,
}

/// One event's entry in a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// The id's place in the block (id % 64).
    offset: u8,
    /// Index into the block's labels.
    label: u16,
    modality: Modality,
    /// [`DATED`], [`PLACED`].
    flags: u8,
    reports: u32,
}

/// A block as stored; its labels borrow from the value when read.
#[derive(Debug, Serialize, Deserialize)]
struct Block<'a> {
    #[serde(borrow)]
    labels: Vec<&'a str>,
    entries: Vec<Entry>,
}

fn block_key(block: u64) -> [u8; 8] {
    block.to_be_bytes()
}

/// An event's head as (label, modality, flags, reports).
type Head<L> = (L, Modality, u8, u32);

/// The head of an event.
fn head_of(e: &StoredEvent) -> Head<&str> {
    let mut flags = 0;
    if e.date.is_some() {
        flags |= DATED;
    }
    if !e.places.is_empty() {
        flags |= PLACED;
    }
    (e.label.as_str(), e.modality, flags, e.reports)
}

fn decode_block<'a>(bytes: &'a [u8]) -> Result<Block<'a>> {
    bincode::serde::borrow_decode_from_slice(bytes, bincode::config::standard())
        .map(|(b, _)| b)
        .map_err(|e| StoreError::Corrupt {
            tree: EVENT_HEADS,
            reason: e.to_string(),
        })
}

fn corrupt(reason: String) -> StoreError {
    StoreError::Corrupt {
        tree: EVENT_HEADS,
        reason,
    }
}

/// The head blocks a batch of articles changes, decoded, and written once when the
/// batch is: a batch's new events have consecutive ids, so its articles mostly change
/// the same few blocks, and decoding and encoding a block (up to 64 heads with their
/// labels) for every article was about 4% of the storing thread's time at 100,000
/// articles. Nothing else of the writer reads `event_heads`, so the blocks held here are
/// the tree's as the batch leaves it.
#[derive(Debug, Default)]
pub(crate) struct HeadEdits {
    /// Block -> offset -> (label, modality, flags, reports), for the blocks that change.
    blocks: BTreeMap<u64, BTreeMap<u8, Head<String>>>,
}

impl HeadEdits {
    /// Brings the heads of `events` up to date, given each one's record before the
    /// article (`old`, absent for new events); a block is read from `tree` the first
    /// time the batch changes it.
    pub(crate) fn update<'e>(
        &mut self,
        tree: &impl Source,
        events: impl IntoIterator<Item = (&'e StoredEvent, Option<&'e StoredEvent>)>,
    ) -> Result<()> {
        for (e, old) in events {
            let head = head_of(e);
            if old.map(head_of) == Some(head) {
                continue;
            }
            let block = e.id.0 / BLOCK;
            let entries = match self.blocks.entry(block) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(stored_block(tree, block)?)
                }
            };
            let (label, modality, flags, reports) = head;
            entries.insert(
                (e.id.0 % BLOCK) as u8,
                (label.to_string(), modality, flags, reports),
            );
        }
        Ok(())
    }

    /// The writes of the changed blocks, each once, in key order.
    pub(crate) fn writes(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.blocks
            .iter()
            .map(|(&block, entries)| (block_key(block).to_vec(), encode(&to_block(entries))))
            .collect()
    }
}

/// The writes that bring the heads of `events` up to date, given each one's record
/// before the article (`old`, absent for new events): the blocks whose heads change,
/// each read once and written once, in key order.
#[cfg(test)]
fn writes<'e>(
    tree: &impl Source,
    events: impl IntoIterator<Item = (&'e StoredEvent, Option<&'e StoredEvent>)>,
) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut edits = HeadEdits::default();
    edits.update(tree, events)?;
    Ok(edits.writes())
}

/// The heads of a stored block by offset (none when the block is new).
fn stored_block(tree: &impl Source, block: u64) -> Result<BTreeMap<u8, Head<String>>> {
    let mut stored = BTreeMap::new();
    if let Some(bytes) = tree.get(block_key(block))? {
        let b = decode_block(&bytes)?;
        for x in &b.entries {
            let label = b
                .labels
                .get(usize::from(x.label))
                .ok_or_else(|| corrupt(format!("block {block} has no label {}", x.label)))?;
            stored.insert(
                x.offset,
                (label.to_string(), x.modality, x.flags, x.reports),
            );
        }
    }
    Ok(stored)
}

/// A block's entries as stored: labels given once, in offset order of first use.
fn to_block(entries: &BTreeMap<u8, Head<String>>) -> Block<'_> {
    let mut labels: Vec<&str> = Vec::new();
    let mut index: HashMap<&str, u16> = HashMap::default();
    let entries = entries
        .iter()
        .map(|(&offset, (label, modality, flags, reports))| {
            let label = *index.entry(label.as_str()).or_insert_with(|| {
                labels.push(label.as_str());
                // At most 64 entries a block, so at most 64 labels.
                (labels.len() - 1) as u16
            });
            Entry {
                offset,
                label,
                modality: *modality,
                flags: *flags,
                reports: *reports,
            }
        })
        .collect();
    Block { labels, entries }
}

/// The heads of the events `ids` (ascending, distinct), in id order. An id without a
/// head is an error: every stored event has one.
pub(crate) fn read(tree: &impl Source, ids: &[u64]) -> Result<EventHeads> {
    let mut out = Reading::default();
    let mut blocks: Vec<u64> = ids.iter().map(|id| id / BLOCK).collect();
    blocks.dedup();
    let (Some(&first), Some(&last)) = (blocks.first(), blocks.last()) else {
        return Ok(out.heads);
    };
    let mut at = 0;
    if blocks.len() as u64 * 4 > last - first {
        // Most blocks of the span are wanted: one range scan is cheaper than a seek each.
        let mut wanted = blocks.iter().copied().peekable();
        for item in tree.range(block_key(first)..=block_key(last)) {
            let (k, v) = item?;
            let block = crate::codec::be_u64(EVENT_HEADS, &k, 0)?;
            if wanted.peek().is_some_and(|&b| b < block) {
                // A wanted block the scan passed: its events have no heads.
                return Err(corrupt(format!("event {} has no head block", ids[at])));
            }
            if wanted.next_if_eq(&block).is_some() {
                out.block(block, &v, ids, &mut at)?;
            }
        }
    } else {
        for &block in &blocks {
            let bytes = tree
                .get(block_key(block))?
                .ok_or_else(|| corrupt(format!("event {} has no head block", ids[at])))?;
            out.block(block, &bytes, ids, &mut at)?;
        }
    }
    match ids.get(at) {
        Some(id) => Err(corrupt(format!("event {id} has no head block"))),
        None => Ok(out.heads),
    }
}

/// Heads being read: the answer so far and where each label is in it.
#[derive(Default)]
struct Reading {
    heads: EventHeads,
    label_index: HashMap<String, usize>,
}

impl Reading {
    /// Takes the heads of `ids[*at..]` that are in block `block` (value `bytes`).
    fn block(&mut self, block: u64, bytes: &[u8], ids: &[u64], at: &mut usize) -> Result<()> {
        let b = decode_block(bytes)?;
        // Labels of this block, mapped to the answer's labels as first used.
        let mut mapped: Vec<Option<usize>> = vec![None; b.labels.len()];
        let mut entries = b.entries.iter().peekable();
        while let Some(&id) = ids.get(*at).filter(|&&id| id / BLOCK == block) {
            let offset = (id % BLOCK) as u8;
            while entries.next_if(|x| x.offset < offset).is_some() {}
            let x = entries
                .next_if(|x| x.offset == offset)
                .ok_or_else(|| corrupt(format!("event {id} has no head")))?;
            let slot = mapped
                .get_mut(usize::from(x.label))
                .ok_or_else(|| corrupt(format!("block {block} has no label {}", x.label)))?;
            let label = match *slot {
                Some(i) => i,
                None => {
                    let text = b.labels[usize::from(x.label)];
                    let i = match self.label_index.get(text) {
                        Some(&i) => i,
                        None => {
                            self.heads.labels.push(text.to_string());
                            let i = self.heads.labels.len() - 1;
                            self.label_index.insert(text.to_string(), i);
                            i
                        }
                    };
                    *slot = Some(i);
                    i
                }
            };
            self.heads.heads.push(EventHead {
                id: EventId(id),
                label,
                modality: x.modality,
                dated: x.flags & DATED != 0,
                placed: x.flags & PLACED != 0,
                reports: x.reports,
            });
            *at += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u64, label: &str, reports: u32) -> StoredEvent {
        StoredEvent {
            id: EventId(id),
            cameo: "190".into(),
            label: label.into(),
            date: None,
            places: Vec::new(),
            actors: Vec::new(),
            modality: Modality::Asserted,
            count: None,
            killed: None,
            injured: None,
            first_published: None,
            words: Vec::new(),
            reports,
        }
    }

    fn apply(tree: &sled::Tree, writes: Vec<(Vec<u8>, Vec<u8>)>) {
        for (k, v) in writes {
            tree.insert(k, v).unwrap();
        }
    }

    #[test]
    fn heads_round_trip_across_blocks_and_only_changes_are_written() {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree(EVENT_HEADS).unwrap();
        let mut events: Vec<StoredEvent> = (1..=130)
            .map(|i| event(i, if i % 3 == 0 { "talks" } else { "drone strike" }, 1))
            .collect();
        events[4].modality = Modality::Future;
        events[4].date = Some("2024-05-01".into());
        events[70].places.push(annals_model::EntityId(9));
        let w = writes(&tree, events.iter().map(|e| (e, None))).unwrap();
        assert_eq!(w.len(), 3, "ids 1-130 fill blocks 0, 1 and 2");
        apply(&tree, w);

        let ids = [1u64, 3, 5, 64, 71, 130];
        let got = read(&tree, &ids).unwrap();
        assert_eq!(got.labels, ["drone strike", "talks"]);
        let ids_back: Vec<u64> = got.heads.iter().map(|h| h.id.0).collect();
        assert_eq!(ids_back, ids);
        let five = got.heads[2];
        assert_eq!(five.modality, Modality::Future);
        assert!(five.dated && !five.placed);
        assert!(got.heads[4].placed);
        assert_eq!(got.labels[got.heads[1].label], "talks");

        // A second report changes one head: only its block is rewritten.
        let mut more = events[69].clone();
        more.reports = 2;
        let w = writes(&tree, [(&more, Some(&events[69]))]).unwrap();
        assert_eq!(w.len(), 1);
        apply(&tree, w);
        // An unchanged event writes nothing.
        assert!(writes(&tree, [(&events[0], Some(&events[0]))])
            .unwrap()
            .is_empty());
        let got = read(&tree, &[70, 71]).unwrap();
        assert_eq!(got.heads[0].reports, 2);
        assert_eq!(got.heads[1].reports, 1);

        // Read block by block (sparse) or by one scan (dense), the same heads.
        let all: Vec<u64> = (1..=130).collect();
        let dense = read(&tree, &all).unwrap();
        assert_eq!(dense.heads.len(), 130);
        let sparse = read(&tree, &[1, 130]).unwrap();
        assert_eq!(sparse.heads, [dense.heads[0], dense.heads[129]]);
        assert!(read(&tree, &[]).unwrap().heads.is_empty());

        // An id with no head is reported, not skipped, by either way of reading.
        assert!(read(&tree, &[131]).is_err());
        assert!(read(&tree, &[500]).is_err());
        assert!(read(&tree, &[1, 500]).is_err());
        assert!(read(&tree, &[1, 2, 3, 70, 131]).is_err());
        tree.remove(block_key(1)).unwrap();
        assert!(read(&tree, &[1, 64, 129]).is_err());
    }
}
