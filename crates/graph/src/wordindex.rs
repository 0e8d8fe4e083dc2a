//! The quote word index: which quotes hold a word, for "who said" on large stores.
//!
//! Writing one sled key per word of every quote inside each article's transaction made
//! ingest four times slower, so the index is built like a small log-structured merge tree
//! instead. Words of newly stored quotes collect in memory ([`Pending`]); a flush writes
//! them as one *segment* (one key per distinct word: segment number · word, whose value
//! lists the quote ids) and then moves the *watermark* (the last
//! quote id the segments cover). A new segment first absorbs every older segment that is
//! not larger than it, so a store keeps about log2(quotes) segments however it was
//! ingested. The index is derived data: quotes above the watermark (lost from memory by
//! a crash, or stored by a process that never flushed) are found by reading them, and
//! [`WordIndex::catch_up`] indexes them again.

use std::collections::BTreeMap;

use crate::codec::{decode, encode};
use crate::error::Result;
use annals_model::normalize::words;
use annals_model::QuoteId;

/// Tree of the segments: key segment number (u32 big-endian) · word, value the quote ids.
pub(crate) const QUOTE_WORDS: &str = "quote_words";
/// `meta` key of the index's [`State`].
const STATE_KEY: &[u8] = b"quote_words/state";

/// Postings held in memory before a flush writes them as a segment; about 16 bytes each.
pub(crate) const PENDING_LIMIT: usize = 1_000_000;

/// One segment: its number and how many postings it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Segment {
    number: u32,
    postings: u64,
}

/// What the index has written, kept in one `meta` key so it changes atomically.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
struct State {
    /// The segments queries read, oldest (largest) first.
    segments: Vec<Segment>,
    /// The number the next segment gets; numbers are never reused.
    next: u32,
    /// The last quote id the segments cover (0 when none).
    watermark: u64,
}

/// Words of quotes stored since the last flush.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    words: BTreeMap<String, Vec<u64>>,
    postings: usize,
    /// The last quote id added, if any.
    last: Option<u64>,
}

impl Pending {
    /// Adds a quote's words. Quotes arrive in id order.
    pub(crate) fn add(&mut self, id: QuoteId, text: &str) {
        let mut ws = words(text);
        ws.sort();
        ws.dedup();
        for w in ws {
            self.words.entry(w).or_default().push(id.0);
            self.postings += 1;
        }
        self.last = Some(id.0);
    }

    /// The quote ids under `word`, ascending.
    pub(crate) fn lookup(&self, word: &str) -> Vec<u64> {
        self.words.get(word).cloned().unwrap_or_default()
    }

    /// How many postings wait.
    pub(crate) fn len(&self) -> usize {
        self.postings
    }
}

/// The index over the `quote_words` tree and its two `meta` entries.
pub(crate) struct WordIndex<'a> {
    pub(crate) tree: &'a sled::Tree,
    pub(crate) meta: &'a sled::Tree,
}

fn segment_key(number: u32, word: &str) -> Vec<u8> {
    let mut k = number.to_be_bytes().to_vec();
    k.extend_from_slice(word.as_bytes());
    k
}

/// Quote ids, ascending, as deltas (small numbers bincode writes in one or two bytes).
fn encode_ids(ids: &[u64]) -> Vec<u8> {
    let mut prev = 0;
    let deltas: Vec<u64> = ids
        .iter()
        .map(|&id| {
            let d = id - prev;
            prev = id;
            d
        })
        .collect();
    encode(&deltas)
}

fn decode_ids(bytes: &[u8]) -> Result<Vec<u64>> {
    let deltas: Vec<u64> = decode(QUOTE_WORDS, bytes)?;
    let mut prev = 0u64;
    Ok(deltas
        .into_iter()
        .map(|d| {
            prev += d;
            prev
        })
        .collect())
}

impl WordIndex<'_> {
    fn state(&self) -> Result<State> {
        match self.meta.get(STATE_KEY)? {
            Some(v) => decode(QUOTE_WORDS, &v),
            None => Ok(State::default()),
        }
    }

    /// The last quote id the written segments cover (0 when none).
    pub(crate) fn watermark(&self) -> Result<u64> {
        Ok(self.state()?.watermark)
    }

    /// The quote ids under `word` in the written segments, ascending.
    pub(crate) fn lookup(&self, word: &str) -> Result<Vec<u64>> {
        let mut out = Vec::new();
        for s in self.state()?.segments {
            if let Some(v) = self.tree.get(segment_key(s.number, word))? {
                out.extend(decode_ids(&v)?);
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// Writes `pending` as a new segment, merged with the older segments that are not
    /// larger than it, then moves the watermark to its last quote.
    ///
    /// Three steps, each atomic: the new segment's keys (one sled batch), the state (one
    /// key: segment list and watermark), then removal of the merged segments' keys. A
    /// crash before the state is written leaves keys under an unlisted number, which the
    /// next write of that number clears first; a crash after it leaves unlisted old keys,
    /// which nothing reads. Queries read only the listed segments, so they never see a
    /// half-written one.
    pub(crate) fn write(&self, pending: Pending) -> Result<()> {
        let Some(last) = pending.last else {
            return Ok(());
        };
        let mut state = self.state()?;
        let mut words = pending.words;
        let mut postings = pending.postings as u64;
        let mut merged = Vec::new();
        while let Some(s) = state
            .segments
            .last()
            .copied()
            .filter(|s| s.postings <= postings)
        {
            state.segments.pop();
            for item in self.tree.scan_prefix(s.number.to_be_bytes()) {
                let (k, v) = item?;
                let word = String::from_utf8_lossy(&k[4..]).into_owned();
                words.entry(word).or_default().extend(decode_ids(&v)?);
            }
            postings += s.postings;
            merged.push(s.number);
        }
        let number = state.next;
        let mut batch = sled::Batch::default();
        for item in self.tree.scan_prefix(number.to_be_bytes()) {
            batch.remove(item?.0);
        }
        for (w, mut ids) in words {
            ids.sort_unstable();
            ids.dedup();
            batch.insert(segment_key(number, &w), encode_ids(&ids));
        }
        self.tree.apply_batch(batch)?;
        state.segments.push(Segment { number, postings });
        state.next = number + 1;
        state.watermark = last;
        self.meta.insert(STATE_KEY, encode(&state))?;
        let mut batch = sled::Batch::default();
        for n in merged {
            for item in self.tree.scan_prefix(n.to_be_bytes()) {
                batch.remove(item?.0);
            }
        }
        self.tree.apply_batch(batch)?;
        Ok(())
    }

    #[cfg(test)]
    fn segments(&self) -> Result<Vec<Segment>> {
        Ok(self.state()?.segments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_deltas() {
        let ids = vec![3, 4, 90, 1_000_000, 1_000_001];
        assert_eq!(decode_ids(&encode_ids(&ids)).unwrap(), ids);
        assert!(encode_ids(&ids).len() < ids.len() * 8);
    }

    #[test]
    fn segments_merge_and_stay_logarithmic() {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let (tree, meta) = (db.open_tree("w").unwrap(), db.open_tree("m").unwrap());
        let idx = WordIndex {
            tree: &tree,
            meta: &meta,
        };
        for id in 1..=64u64 {
            let mut p = Pending::default();
            p.add(
                QuoteId(id),
                if id % 2 == 0 {
                    "even words"
                } else {
                    "odd words"
                },
            );
            idx.write(p).unwrap();
        }
        assert_eq!(idx.watermark().unwrap(), 64);
        assert!(idx.segments().unwrap().len() <= 7, "{:?}", idx.segments());
        assert_eq!(idx.lookup("words").unwrap(), (1..=64).collect::<Vec<_>>());
        assert_eq!(idx.lookup("even").unwrap().len(), 32);
        assert!(idx.lookup("none").unwrap().is_empty());
        let total: u64 = idx.segments().unwrap().iter().map(|s| s.postings).sum();
        assert_eq!(total, 128);
    }
}
