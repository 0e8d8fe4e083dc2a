//! The quote word index: which quotes hold a word and where, and who said each quote,
//! for "who said" on large stores.
//!
//! Writing one sled key per word of every quote inside each article's transaction made
//! ingest four times slower, so the index is built like a small log-structured merge tree
//! instead. Words of newly stored quotes collect in memory ([`Pending`]); a flush writes
//! them as one *segment* (one key per distinct word: segment number · word, whose value
//! lists the quote ids and the word's positions in each, [`Postings`]) and then moves the
//! *watermark* (the last quote id the segments cover). The positions let a question tell
//! an exact phrase from scattered words without reading the quotes. The same flush
//! records each quote's speaker in *head* blocks (64 quote ids a key), so answers group
//! thousands of matching quotes by speaker and read only the quotes they show. A new segment first absorbs every older segment that is
//! not larger than it, so a store keeps about log2(quotes) segments however it was
//! ingested. The index is derived data: quotes above the watermark (lost from memory by
//! a crash, or stored by a process that never flushed) are found by reading them, and
//! [`WordIndex::catch_up`] indexes them again.

use std::collections::BTreeMap;

use crate::codec::{decode, encode};
use crate::error::{Result, StoreError};
use annals_model::normalize::words;
use annals_model::{EntityId, QuoteId};

/// The entry under which the index lists the quotes holding a word that is not ASCII
/// (a [`words`] word is ASCII when it is all `a-z0-9`). A quote without one holds a word
/// one edit from a given word only as one of that word's edits with a letter or digit
/// of `a-z0-9` or of the word itself, which a question can enumerate and look up, so
/// such a quote's near matches are decided from the index. No word is this text (words
/// are letters and digits).
pub const NON_ASCII_QUOTES: &str = "\u{0}non-ascii";

/// Tree of the segments: key segment number (u32 big-endian) · word, value the quote ids.
pub(crate) const QUOTE_WORDS: &str = "quote_words";
/// The first four key bytes of the head blocks: a number no segment gets.
const HEADS: [u8; 4] = u32::MAX.to_be_bytes();
/// Quote ids per head block.
const HEAD_BLOCK: u64 = 64;
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

/// Where one word occurs: the quotes holding it, ascending, and for each the word's
/// positions among the quote's words (as [`words`] splits them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Postings {
    ids: Vec<QuoteId>,
    /// `ends[i]` is where the positions of `ids[i]` end in `positions`.
    ends: Vec<usize>,
    positions: Vec<u32>,
}

impl Postings {
    /// How many quotes hold the word.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no quote holds it.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The quotes holding the word, ascending.
    pub fn ids(&self) -> &[QuoteId] {
        &self.ids
    }

    /// The word's positions in quote `id` (empty when the quote does not hold it).
    pub fn positions(&self, id: QuoteId) -> &[u32] {
        match self.ids.binary_search(&id) {
            Ok(i) => {
                let start = if i == 0 { 0 } else { self.ends[i - 1] };
                &self.positions[start..self.ends[i]]
            }
            Err(_) => &[],
        }
    }

    /// Each quote with its positions, ascending.
    fn entries(&self) -> impl Iterator<Item = (QuoteId, &[u32])> {
        self.ids.iter().enumerate().map(|(i, &id)| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            (id, &self.positions[start..self.ends[i]])
        })
    }

    fn push(&mut self, id: QuoteId, positions: &[u32]) {
        self.ids.push(id);
        self.positions.extend_from_slice(positions);
        self.ends.push(self.positions.len());
    }

    /// The union of postings that may overlap and come in any order: ascending by id, a
    /// quote given twice kept once (its words never change).
    pub(crate) fn merge(parts: &[Postings]) -> Postings {
        let mut out = Postings {
            ids: Vec::with_capacity(parts.iter().map(|p| p.ids.len()).sum()),
            ends: Vec::with_capacity(parts.iter().map(|p| p.ends.len()).sum()),
            positions: Vec::with_capacity(parts.iter().map(|p| p.positions.len()).sum()),
        };
        for p in parts {
            let base = out.positions.len();
            out.ids.extend_from_slice(&p.ids);
            out.ends.extend(p.ends.iter().map(|e| e + base));
            out.positions.extend_from_slice(&p.positions);
        }
        out.sorted()
    }

    /// These postings ascending by id, the first of a quote given twice kept. The
    /// segments of the index hold ever later quotes, so postings joined end to end are
    /// usually in order already and are kept as they are.
    fn sorted(self) -> Postings {
        if self.ids.windows(2).all(|w| w[0] < w[1]) {
            return self;
        }
        let mut all: Vec<(QuoteId, &[u32])> = self.entries().collect();
        all.sort_by_key(|e| e.0);
        all.dedup_by_key(|e| e.0);
        let mut out = Postings::default();
        for (id, pos) in all {
            out.push(id, pos);
        }
        out
    }

    /// Quote ids as deltas, each followed by its position count and positions (the first
    /// as is, the others as deltas): small numbers bincode writes in a byte or two.
    fn encode(&self) -> Vec<u8> {
        let mut flat = Vec::with_capacity(self.ids.len() * 3 + self.positions.len());
        let mut prev = 0;
        for (id, pos) in self.entries() {
            flat.push(id.0 - prev);
            prev = id.0;
            flat.push(pos.len() as u64);
            let mut last = 0;
            for &p in pos {
                flat.push(u64::from(p - last));
                last = p;
            }
        }
        encode(&flat)
    }

    /// Reads [`Postings::encode`]'s bytes (bincode's `Vec<u64>`).
    fn decode(bytes: &[u8]) -> Result<Postings> {
        Postings::decode_all(&[bytes])
    }

    /// The union ([`Postings::merge`]) of several encoded postings, read straight into
    /// the three vectors, each sized by a first pass over all of them: a question on a
    /// large store reads postings of a hundred thousand quotes a word from each of a few
    /// segments, and decoding each through a vector of its numbers, then merging them
    /// into vectors grown as they went, was most of the question's time (the page
    /// faults of that fresh memory).
    fn decode_all(parts: &[&[u8]]) -> Result<Postings> {
        let mut sizes = Vec::with_capacity(parts.len());
        for bytes in parts {
            sizes.push(Postings::sizes(bytes)?);
        }
        let mut out = Postings {
            ids: Vec::with_capacity(sizes.iter().map(|s| s.1).sum()),
            ends: Vec::with_capacity(sizes.iter().map(|s| s.1).sum()),
            positions: Vec::with_capacity(sizes.iter().map(|s| s.2).sum()),
        };
        for (bytes, (start, quotes, _)) in parts.iter().zip(sizes) {
            let mut r = Varints { bytes, at: start };
            let mut id = 0u64;
            for _ in 0..quotes {
                // `sizes` found every number.
                id = id
                    .checked_add(r.next().unwrap_or_default())
                    .ok_or_else(|| postings_corrupt("a quote id past u64"))?;
                let n = r.next().unwrap_or_default();
                let mut p = 0u32;
                for _ in 0..n {
                    let delta = r.next().unwrap_or_default();
                    p = u32::try_from(delta)
                        .ok()
                        .and_then(|d| p.checked_add(d))
                        .ok_or_else(|| postings_corrupt("a position past u32"))?;
                    out.positions.push(p);
                }
                out.ids.push(QuoteId(id));
                out.ends.push(out.positions.len());
            }
        }
        Ok(out.sorted())
    }

    /// Where the numbers of encoded postings start, and how many quotes and positions
    /// they hold, having checked that every number is there.
    fn sizes(bytes: &[u8]) -> Result<(usize, usize, usize)> {
        let mut r = Varints { bytes, at: 0 };
        let len = r.next().ok_or_else(|| postings_corrupt("no length"))?;
        let start = r.at;
        let (mut quotes, mut positions, mut read) = (0usize, 0usize, 0u64);
        while read < len {
            r.next()
                .ok_or_else(|| postings_corrupt("ends inside a quote id"))?;
            let n = r
                .next()
                .filter(|&n| {
                    len.checked_sub(read.saturating_add(2))
                        .is_some_and(|rest| n <= rest)
                })
                .ok_or_else(|| postings_corrupt("ends inside a quote's positions"))?;
            for _ in 0..n {
                r.next()
                    .ok_or_else(|| postings_corrupt("ends inside a position"))?;
            }
            quotes += 1;
            positions += n as usize;
            read += 2 + n;
        }
        Ok((start, quotes, positions))
    }
}

fn postings_corrupt(reason: &str) -> StoreError {
    StoreError::Corrupt {
        tree: QUOTE_WORDS,
        reason: format!("postings: {reason}"),
    }
}

/// bincode's variable-length unsigned integers (its standard configuration): a byte
/// under 251 is the number; 251, 252 and 253 announce a little-endian u16, u32 or u64.
struct Varints<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Varints<'_> {
    /// The next number, or `None` at the end of the bytes or before a damaged one.
    fn next(&mut self) -> Option<u64> {
        let first = *self.bytes.get(self.at)?;
        let (value, width) = match first {
            0..=250 => (u64::from(first), 0),
            251 => (u64::from(u16::from_le_bytes(self.array::<2>()?)), 2),
            252 => (u64::from(u32::from_le_bytes(self.array::<4>()?)), 4),
            253 => (u64::from_le_bytes(self.array::<8>()?), 8),
            _ => return None,
        };
        self.at += 1 + width;
        Some(value)
    }

    /// The `N` bytes after the current tag byte.
    fn array<const N: usize>(&self) -> Option<[u8; N]> {
        self.bytes
            .get(self.at + 1..self.at + 1 + N)?
            .try_into()
            .ok()
    }
}

/// Words and speakers of quotes stored since the last flush.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    words: BTreeMap<String, Postings>,
    postings: usize,
    /// Each quote's speaker, in id order.
    heads: Vec<(QuoteId, Option<EntityId>)>,
    /// The last quote id added, if any.
    last: Option<u64>,
}

impl Pending {
    /// Adds a quote's words and speaker. Quotes arrive in id order.
    pub(crate) fn add(&mut self, id: QuoteId, speaker: Option<EntityId>, text: &str) {
        let mut at: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (i, w) in words(text).into_iter().enumerate() {
            if !w.is_ascii() {
                at.entry(NON_ASCII_QUOTES.to_string())
                    .or_default()
                    .push(i as u32);
            }
            at.entry(w).or_default().push(i as u32);
        }
        for (w, pos) in at {
            self.words.entry(w).or_default().push(id, &pos);
            self.postings += 1;
        }
        self.heads.push((id, speaker));
        self.last = Some(id.0);
    }

    /// Where `word` occurs in the waiting quotes.
    pub(crate) fn lookup(&self, word: &str) -> Postings {
        self.words.get(word).cloned().unwrap_or_default()
    }

    /// The speaker of a waiting quote, if it is one (`Some(None)`: no known speaker).
    pub(crate) fn speaker(&self, id: QuoteId) -> Option<Option<EntityId>> {
        self.heads
            .binary_search_by_key(&id, |h| h.0)
            .ok()
            .map(|i| self.heads[i].1)
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

fn head_key(block: u64) -> Vec<u8> {
    let mut k = HEADS.to_vec();
    k.extend_from_slice(&block.to_be_bytes());
    k
}

/// A head block: (quote id, speaker id + 1, or 0 for none) of the quotes it has.
type HeadBlock = Vec<(u64, u64)>;

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

    /// Where `word` occurs in the written segments.
    pub(crate) fn lookup(&self, word: &str) -> Result<Postings> {
        let mut parts = Vec::new();
        for s in self.state()?.segments {
            if let Some(v) = self.tree.get(segment_key(s.number, word))? {
                parts.push(v);
            }
        }
        let parts: Vec<&[u8]> = parts.iter().map(|v| &v[..]).collect();
        Postings::decode_all(&parts)
    }

    /// The speakers the head blocks give for `ids` (ascending): `None` for a quote no
    /// block has yet.
    pub(crate) fn speakers(&self, ids: &[QuoteId]) -> Result<Vec<Option<Option<EntityId>>>> {
        let mut out = Vec::with_capacity(ids.len());
        let mut block: Option<(u64, HeadBlock)> = None;
        for id in ids {
            let b = id.0 / HEAD_BLOCK;
            if block.as_ref().map(|x| x.0) != Some(b) {
                let heads = match self.tree.get(head_key(b))? {
                    Some(v) => decode(QUOTE_WORDS, &v)?,
                    None => Vec::new(),
                };
                block = Some((b, heads));
            }
            let heads = block.as_ref().map(|x| &x.1[..]).unwrap_or_default();
            out.push(
                heads
                    .binary_search_by_key(&id.0, |h| h.0)
                    .ok()
                    .map(|i| heads[i].1.checked_sub(1).map(EntityId)),
            );
        }
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
        let mut words: BTreeMap<String, Vec<Postings>> = pending
            .words
            .into_iter()
            .map(|(w, p)| (w, vec![p]))
            .collect();
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
                words.entry(word).or_default().push(Postings::decode(&v)?);
            }
            postings += s.postings;
            merged.push(s.number);
        }
        let number = state.next;
        let mut batch = sled::Batch::default();
        for item in self.tree.scan_prefix(number.to_be_bytes()) {
            batch.remove(item?.0);
        }
        for (w, parts) in words {
            let merged = match parts.len() {
                1 => parts.into_iter().next().unwrap_or_default(),
                _ => Postings::merge(&parts),
            };
            batch.insert(segment_key(number, &w), merged.encode());
        }
        // Head blocks: the first and last may hold quotes of earlier flushes.
        let mut blocks: BTreeMap<u64, BTreeMap<u64, u64>> = BTreeMap::new();
        for (id, speaker) in &pending.heads {
            let block = blocks.entry(id.0 / HEAD_BLOCK).or_default();
            block.insert(id.0, speaker.map_or(0, |s| s.0 + 1));
        }
        for (b, mut heads) in blocks {
            if let Some(v) = self.tree.get(head_key(b))? {
                let old: HeadBlock = decode(QUOTE_WORDS, &v)?;
                for (id, speaker) in old {
                    heads.entry(id).or_insert(speaker);
                }
            }
            let heads: HeadBlock = heads.into_iter().collect();
            batch.insert(head_key(b), encode(&heads));
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
    use proptest::prelude::*;

    /// Decodes postings the plain way (bincode's `Vec<u64>`, then walking it), as the
    /// index did before it read the bytes itself.
    fn decode_through_numbers(bytes: &[u8]) -> Option<Postings> {
        let flat: Vec<u64> = decode(QUOTE_WORDS, bytes).ok()?;
        let (mut it, mut out, mut id) = (flat.into_iter(), Postings::default(), 0u64);
        while let Some(delta) = it.next() {
            id = id.checked_add(delta)?;
            let n = it.next()?;
            let mut p = 0u32;
            for _ in 0..n {
                p = p.checked_add(u32::try_from(it.next()?).ok()?)?;
                out.positions.push(p);
            }
            out.ids.push(QuoteId(id));
            out.ends.push(out.positions.len());
        }
        Some(out)
    }

    /// Postings of distinct ascending quote ids; a quote's positions follow from its id,
    /// so the same quote in two parts has the same positions, as in the index.
    fn postings_of(ids: &std::collections::BTreeSet<u64>) -> Postings {
        let mut p = Postings::default();
        for &id in ids {
            let first = (id % 7) as u32;
            let positions: Vec<u32> = (0..id % 3).map(|i| first + 5 * i as u32).collect();
            p.push(QuoteId(id), &positions);
        }
        p
    }

    fn id_sets() -> impl Strategy<Value = Vec<std::collections::BTreeSet<u64>>> {
        let id = prop_oneof![0u64..300, 250u64..100_000, Just(u64::MAX / 2)];
        proptest::collection::vec(proptest::collection::btree_set(id, 0..40), 0..5)
    }

    proptest! {
        #[test]
        fn postings_read_back_as_bincode_numbers_do(
            numbers in proptest::collection::vec(
                prop_oneof![0u64..260, 0u64..70_000, 0u64..5_000_000_000, any::<u64>()],
                0..60,
            ),
            cut in any::<proptest::sample::Index>(),
        ) {
            // Any list of numbers, whole or cut short: the same postings or both refused.
            let bytes = encode(&numbers);
            let cut = cut.index(bytes.len() + 1);
            for b in [&bytes[..], &bytes[..cut]] {
                let direct = Postings::decode(b).ok();
                prop_assert_eq!(direct, decode_through_numbers(b));
            }
        }

        #[test]
        fn postings_round_trip_and_merge_as_a_sorted_union(sets in id_sets()) {
            // Postings read together, as a word's in several segments, or merged.
            let parts: Vec<Postings> = sets.iter().map(postings_of).collect();
            for p in &parts {
                prop_assert_eq!(&Postings::decode(&p.encode()).unwrap(), p);
            }
            // In any order, overlapping or not, the merge is the union's postings.
            let union: std::collections::BTreeSet<u64> = sets.iter().flatten().copied().collect();
            prop_assert_eq!(Postings::merge(&parts), postings_of(&union));
            let encoded: Vec<Vec<u8>> = parts.iter().map(Postings::encode).collect();
            let encoded: Vec<&[u8]> = encoded.iter().map(|e| &e[..]).collect();
            prop_assert_eq!(Postings::decode_all(&encoded).unwrap(), postings_of(&union));
        }
    }

    #[test]
    fn postings_round_trip_through_deltas() {
        let mut p = Postings::default();
        p.push(QuoteId(3), &[0, 4]);
        p.push(QuoteId(90), &[2]);
        p.push(QuoteId(1_000_000), &[1, 2, 300]);
        let bytes = p.encode();
        assert_eq!(Postings::decode(&bytes).unwrap(), p);
        assert!(bytes.len() < 8 * 9);
        assert_eq!(p.positions(QuoteId(1_000_000)), &[1, 2, 300]);
        assert!(p.positions(QuoteId(4)).is_empty());
        // A list cut inside a quote's positions is corrupt, not misread.
        let cut = encode(&vec![3u64, 2, 0]);
        assert!(Postings::decode(&cut).is_err());
    }

    #[test]
    fn merging_sorts_and_drops_repeats() {
        let mut a = Postings::default();
        a.push(QuoteId(5), &[1]);
        a.push(QuoteId(9), &[0, 3]);
        let mut b = Postings::default();
        b.push(QuoteId(2), &[7]);
        b.push(QuoteId(9), &[0, 3]);
        let m = Postings::merge(&[a, b]);
        assert_eq!(m.ids(), &[QuoteId(2), QuoteId(5), QuoteId(9)]);
        assert_eq!(m.positions(QuoteId(9)), &[0, 3]);
        assert_eq!(m.positions(QuoteId(2)), &[7]);
    }

    #[test]
    fn pending_quotes_keep_word_positions_and_speakers() {
        let mut p = Pending::default();
        p.add(QuoteId(1), Some(EntityId(7)), "We will, we must.");
        p.add(QuoteId(2), None, "must we");
        assert_eq!(p.lookup("we").positions(QuoteId(1)), &[0, 2]);
        assert_eq!(p.lookup("we").positions(QuoteId(2)), &[1]);
        assert_eq!(p.speaker(QuoteId(1)), Some(Some(EntityId(7))));
        assert_eq!(p.speaker(QuoteId(2)), Some(None));
        assert_eq!(p.speaker(QuoteId(3)), None);
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
                (id % 3 == 0).then_some(EntityId(id)),
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
        let all: Vec<QuoteId> = (1..=64).map(QuoteId).collect();
        assert_eq!(idx.lookup("words").unwrap().ids(), &all[..]);
        assert_eq!(idx.lookup("words").unwrap().positions(QuoteId(7)), &[1]);
        assert_eq!(idx.lookup("even").unwrap().len(), 32);
        assert!(idx.lookup("none").unwrap().is_empty());
        // Every quote's speaker, across the flushes that wrote its head block.
        let speakers = idx.speakers(&all).unwrap();
        for (id, s) in all.iter().zip(speakers) {
            assert_eq!(s, Some((id.0 % 3 == 0).then_some(EntityId(id.0))), "{id:?}");
        }
        assert_eq!(idx.speakers(&[QuoteId(65)]).unwrap(), vec![None]);
        let total: u64 = idx.segments().unwrap().iter().map(|s| s.postings).sum();
        assert_eq!(total, 128);
    }
}
