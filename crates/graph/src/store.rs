//! The sled store: opening with a format check, adding one article atomically, reading.
//!
//! Layout (every tree, its keys and values) is documented in docs/ARCHITECTURE.md; the
//! names below are the source of truth. Ids are big-endian u64 so scans come out in id
//! order. Values are bincode 2 over serde ([`crate::records`]).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use annals_model::normalize::{name_key, stem, words};
use annals_model::{
    DocId, Document, EntityId, EntityKind, EventId, Extraction, Modality, Provenance, QuoteId,
};
use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap as HashMap;
use sha2::{Digest, Sha256};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use crate::chunked::{self, Edits};
use crate::codec::{be_u64, decode, encode, key};
use crate::daylists::{self, DayEdits};
use crate::error::{Result, StoreError};
use crate::generations::Generations;
use crate::heads::{self, EventHeads, HeadEdits, EVENT_HEADS};
use crate::link::{
    cameo_root, choose_entity_keyed, date_range, entity_keys, event_match, kind_may_match,
    mergeable_roots, more_precise, publication_day, record_keys, slot_kind, time_window,
    EventMatch, Reported, TimeWindow,
};
use crate::overlay::{Lists, Overlay, Source, View};
use crate::records::{
    Actor, DocRecord, EntityInDoc, EntityRecord, EventMention, EventMentionRecord, EventRecord,
    MentionRecord, MergeEvidence, QuoteRecord, RelationRecord, StoredEvent,
};
use crate::values::{self, Logged, Pointer, Values};
use crate::wordindex::{Pending, Postings, WordIndex, PENDING_LIMIT, QUOTE_WORDS};

/// The store format this build reads and writes; checked on open.
pub const FORMAT_VERSION: u32 = 21;

pub(crate) const META: &str = "meta";
/// The trees written once, whose values are in the values file (`crate::values`).
pub(crate) const LOGGED: [&str; 4] = [DOC_TEXT, DOCUMENTS, QUOTES, EVENT_FIRST_REPORTS];
const DOCUMENTS: &str = "documents";
const DOC_HASH: &str = "doc_hash";
const DOC_TEXT: &str = "doc_text";
const ENTITIES: &str = "entities";
const ALIASES: &str = "aliases";
const MENTIONS: &str = "mentions";
const QUOTES: &str = "quotes";
const QUOTES_BY_SPEAKER: &str = "quotes_by_speaker";
const EVENTS: &str = "events";
const EVENTS_BY_DATE: &str = "events_by_date";
const RELATIONS: &str = "relations";
const RELATIONS_BY_ENTITY: &str = "relations_by_entity";
const EVENT_WORDS: &str = "event_words";
const EVENT_MENTIONS: &str = "event_mentions";
const EVENT_FIRST_REPORTS: &str = "event_first_reports";
const EVENT_SLOTS: &str = "event_slots";

/// Every tree, in the order the write transaction lists them.
const TREES: [&str; 18] = [
    META,
    DOCUMENTS,
    DOC_HASH,
    DOC_TEXT,
    ENTITIES,
    ALIASES,
    MENTIONS,
    QUOTES,
    QUOTES_BY_SPEAKER,
    EVENTS,
    EVENTS_BY_DATE,
    RELATIONS,
    RELATIONS_BY_ENTITY,
    EVENT_WORDS,
    EVENT_MENTIONS,
    EVENT_SLOTS,
    EVENT_HEADS,
    EVENT_FIRST_REPORTS,
];

const FORMAT_KEY: &[u8] = b"format_version";

/// A file in the store folder holding the id of the process that has the store open, so
/// a second process can say who holds it.
const OWNER_FILE: &str = "owner.pid";

/// sled's page cache for a store in use. sled's default is 1 GB; 256 MB took the peak
/// memory of ingesting 100,000 articles from 1.85 GB to 1.2 GB for 12% more time.
const PAGE_CACHE_BYTES: u64 = 256 << 20;

/// sled's settings file and data file in a store folder.
const SLED_SETTINGS: &str = "conf";
const SLED_DATA: &str = "db";

/// Whether sled never wrote data in the store folder: no data file, or an empty one, and
/// no snapshot.
fn never_written(path: &Path) -> bool {
    let data_empty = match std::fs::metadata(path.join(SLED_DATA)) {
        Ok(m) => m.len() == 0,
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    };
    let snapshots = std::fs::read_dir(path).map_or(true, |entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("snap."))
    });
    data_empty && !snapshots
}

/// Counters for fresh ids, kept in `meta` under `next`: the last document, entity,
/// quote, event and relation id given, u64 BE each (one key, so one write per article).
#[derive(Clone, Copy, Debug, Default)]
struct Counters {
    doc: u64,
    entity: u64,
    quote: u64,
    event: u64,
    relation: u64,
}

const COUNTERS_KEY: &[u8] = b"next";

impl Counters {
    /// The counters as `meta` holds them (all zero in a new store).
    fn read(meta: &impl Source) -> Result<Counters> {
        let Some(b) = meta.get(COUNTERS_KEY)? else {
            return Ok(Counters::default());
        };
        let v = |i: usize| be_u64(META, &b, 8 * i);
        Ok(Counters {
            doc: v(0)?,
            entity: v(1)?,
            quote: v(2)?,
            event: v(3)?,
            relation: v(4)?,
        })
    }

    fn encode(&self) -> Vec<u8> {
        [self.doc, self.entity, self.quote, self.event, self.relation]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect()
    }
}

/// What [`Store::add`] did with an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// The article was stored.
    Added {
        /// Its new id.
        doc: DocId,
        /// Entities created for it.
        new_entities: usize,
        /// Entity clusters linked to entities already stored.
        linked_entities: usize,
        /// Quotes stored.
        quotes: usize,
        /// Events created.
        new_events: usize,
        /// Event mentions merged into events already stored.
        merged_events: usize,
    },
    /// The same bytes were stored before; nothing changed.
    Duplicate {
        /// The id it has.
        doc: DocId,
    },
}

impl AddOutcome {
    /// Whether the article was new.
    pub fn is_new(&self) -> bool {
        matches!(self, AddOutcome::Added { .. })
    }

    /// The document's id, new or existing.
    pub fn doc(&self) -> DocId {
        match *self {
            AddOutcome::Added { doc, .. } | AddOutcome::Duplicate { doc } => doc,
        }
    }
}

/// How many things a store holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Articles.
    pub documents: usize,
    /// Entities of every kind.
    pub entities: usize,
    /// Quotations.
    pub quotes: usize,
    /// Events.
    pub events: usize,
}

/// An open Annals store. One process at a time may hold it; within the process, writes
/// are serialised and reads may run alongside.
pub struct Store {
    pub(crate) path: PathBuf,
    pub(crate) db: sled::Db,
    trees: Vec<sled::Tree>,
    /// The values of the trees written once (`crate::values`), texts included.
    pub(crate) values: Values,
    /// The quote word index's segments (outside the article transaction; see
    /// [`crate::wordindex`]).
    quote_words: sled::Tree,
    /// Quote words stored since the last flush.
    pending: Mutex<Pending>,
    /// Held while a batch of articles is added; it keeps the time each step took.
    writer: Mutex<AddTimes>,
    /// Records that linking reads again and again, kept in step with every commit.
    cache: Mutex<WriterCache>,
    /// The `event_slots` lists linking read lately, whole, and the last chunks of the
    /// chunked lists appended to lately (see [`Lists`]).
    lists: Mutex<Lists>,
}

/// An empty writer's list cache: whole `event_slots` lists (day lists: list key, then
/// day and sequence number, six bytes) and the last chunks of the chunked lists.
fn slot_lists() -> Lists {
    Lists::new(tree_index(EVENT_SLOTS), 6).with_tails(&CHUNKED.map(tree_index))
}

/// The trees of chunked lists (`crate::chunked`), whose last chunks the writer keeps.
const CHUNKED: [&str; 6] = [
    MENTIONS,
    QUOTES_BY_SPEAKER,
    EVENTS_BY_DATE,
    EVENT_WORDS,
    EVENT_MENTIONS,
    RELATIONS_BY_ENTITY,
];

/// How many records of one kind a generation of [`WriterCache`] holds (an event takes
/// about 700 bytes there: at most 2^17 of them took the peak memory of ingesting 100,000
/// articles from 0.74 to 0.94 GB).
const CACHE_LIMIT: usize = 1 << 16;

/// Decoded records the writer reads again and again while linking (the entities that
/// recur, their alias lists, recent events), as the trees hold them. A commit updates
/// what it writes here after its transaction succeeded, and only the writer writes
/// these trees, so a cached record is the stored one. Each map keeps what was used in
/// its last two generations ([`Generations`]), which bounds the memory.
struct WriterCache {
    entities: Generations<EntityId, Option<EntityRecord>>,
    /// The alias-index keys of stored entities (`link::record_keys` of their records).
    keys: Generations<EntityId, Vec<String>>,
    aliases: Generations<String, Vec<EntityId>>,
    events: Generations<EventId, StoredEvent>,
}

impl Default for WriterCache {
    fn default() -> Self {
        WriterCache {
            entities: Generations::new(CACHE_LIMIT),
            keys: Generations::new(CACHE_LIMIT),
            aliases: Generations::new(CACHE_LIMIT),
            events: Generations::new(CACHE_LIMIT),
        }
    }
}

/// Time spent in each step of [`Store::add`], summed over the articles added since the
/// store was opened (for `annals bench`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddTimes {
    /// Checking the extraction and looking for a stored copy of the text.
    pub check: Duration,
    /// Linking entities to stored ones (alias lookups, choosing a candidate).
    pub entities: Duration,
    /// Planning quotations and relations, and linking events to stored ones (candidate
    /// lookups, matching).
    pub events: Duration,
    /// Encoding records and index entries into the batch's writes, and writing each
    /// batch in one transaction.
    pub commit: Duration,
    /// Adding quotations to the word index (written in segments).
    pub word_index: Duration,
}

impl AddTimes {
    /// The steps in order, with their names.
    pub fn steps(&self) -> [(&'static str, Duration); 5] {
        [
            ("check", self.check),
            ("link entities", self.entities),
            ("link events", self.events),
            ("commit", self.commit),
            ("word index", self.word_index),
        ]
    }

    /// The time of all steps together.
    pub fn total(&self) -> Duration {
        self.steps().iter().map(|s| s.1).sum()
    }

    /// The time spent since `earlier` was taken from the same store.
    pub fn since(&self, earlier: &AddTimes) -> AddTimes {
        AddTimes {
            check: self.check.saturating_sub(earlier.check),
            entities: self.entities.saturating_sub(earlier.entities),
            events: self.events.saturating_sub(earlier.events),
            commit: self.commit.saturating_sub(earlier.commit),
            word_index: self.word_index.saturating_sub(earlier.word_index),
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // Best effort: what is not written here is indexed again at the next open.
        let _ = self.flush();
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn tree_index(name: &str) -> usize {
    TREES
        .iter()
        .position(|t| *t == name)
        .expect("tree names are constants")
}

impl Store {
    /// Opens the store at `path`, creating it if the folder is absent or empty.
    ///
    /// Refuses, with a clear error, a store held by another process, a store of another
    /// format version, and a folder holding something else.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with_cache(path, PAGE_CACHE_BYTES)
    }

    /// [`Store::open`] with sled's page cache capped at `cache_bytes`.
    pub(crate) fn open_with_cache(path: impl AsRef<Path>, cache_bytes: u64) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        // Throughput mode and a flush each second (sled's default is 500 ms in its
        // space-saving mode) took ingest of 2,225 BBC articles from 4.1-4.6 s to 2.5-2.7 s.
        // A crash loses at most the last second of unflushed work, and never leaves a
        // partial article: a batch's writes are one transaction, and ingest flushes at its
        // end.
        let config = sled::Config::new()
            .path(&path)
            .flush_every_ms(Some(1000))
            .cache_capacity(cache_bytes)
            .mode(sled::Mode::HighThroughput);
        // sled releases its file lock in a background thread after the last handle is
        // dropped, so a store reopened at once in the same process can still look held:
        // retry a lock error for up to half a second before reporting it.
        let mut attempt = 0;
        let mut repaired = false;
        let opened = loop {
            match config.open() {
                Err(e) if e.to_string().contains("could not acquire lock") && attempt < 25 => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                // sled writes its settings file (`conf`) in two steps before it creates its
                // data file, and refuses to start from a torn one: a process killed in
                // between left a store that never opened again. With no data written yet,
                // the settings are sled's defaults; removing the torn file lets sled write
                // them again.
                Err(sled::Error::Corruption { .. }) if !repaired && never_written(&path) => {
                    repaired = true;
                    std::fs::remove_file(path.join(SLED_SETTINGS))
                        .map_err(|e| StoreError::Sled(sled::Error::Io(e)))?;
                }
                other => break other,
            }
        };
        let db = opened.map_err(|e| {
            if e.to_string().contains("could not acquire lock") {
                let pid = std::fs::read_to_string(path.join(OWNER_FILE))
                    .ok()
                    .and_then(|s| s.trim().parse().ok());
                StoreError::Locked {
                    path: path.clone(),
                    pid,
                }
            } else {
                StoreError::Sled(e)
            }
        })?;
        // Only read when the lock is held by someone else, so a stale file left by a
        // killed process is harmless.
        std::fs::write(path.join(OWNER_FILE), std::process::id().to_string())
            .map_err(|e| StoreError::Sled(sled::Error::Io(e)))?;
        // Holding the lock, nobody else is compacting this store. Best effort: what
        // cannot be removed now is tried again by the next compaction.
        let _ = crate::compact::remove_leftover(&path);
        let meta = db.open_tree(META)?;
        match meta.get(FORMAT_KEY)? {
            Some(v) => {
                let found = v
                    .as_ref()
                    .try_into()
                    .map(u32::from_be_bytes)
                    .map_err(|_| StoreError::NotAStore { path: path.clone() })?;
                if found != FORMAT_VERSION {
                    return Err(StoreError::FormatVersion {
                        path,
                        found,
                        expected: FORMAT_VERSION,
                    });
                }
            }
            None => {
                let has_data = !db.is_empty()
                    || db
                        .tree_names()
                        .iter()
                        .filter(|n| n.as_ref() != b"__sled__default")
                        .any(|n| db.open_tree(n).map(|t| !t.is_empty()).unwrap_or(true));
                if has_data {
                    return Err(StoreError::NotAStore { path });
                }
                meta.insert(FORMAT_KEY, &FORMAT_VERSION.to_be_bytes())?;
                db.flush()?;
            }
        }
        let trees = TREES
            .iter()
            .map(|t| db.open_tree(t))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let values_end = meta
            .get(values::END_KEY)?
            .map(|v| be_u64(META, &v, 0))
            .transpose()?
            .unwrap_or(0);
        let store = Store {
            values: Values::open(&path, values_end)?,
            path,
            quote_words: db.open_tree(QUOTE_WORDS)?,
            db,
            trees,
            pending: Mutex::new(Pending::default()),
            writer: Mutex::new(AddTimes::default()),
            cache: Mutex::new(WriterCache::default()),
            lists: Mutex::new(slot_lists()),
        };
        store.catch_up_word_index()?;
        Ok(store)
    }

    /// The folder the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn tree(&self, name: &str) -> &sled::Tree {
        &self.trees[tree_index(name)]
    }

    /// A tree of values written once ([`LOGGED`]), read through the values file.
    fn logged(&self, name: &str) -> Logged<'_> {
        debug_assert!(LOGGED.contains(&name));
        Logged {
            tree: self.tree(name),
            values: &self.values,
        }
    }

    /// The time each step of [`Store::add`] has taken since the store was opened.
    pub fn add_times(&self) -> AddTimes {
        *self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes everything to disk, the quote word index included; call after a batch of
    /// [`Store::add`].
    pub fn flush(&self) -> Result<()> {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        self.word_index().write(pending)?;
        self.db.flush()?;
        Ok(())
    }

    /// Overwrites the stored format version. For tests of the version check only.
    #[doc(hidden)]
    pub fn set_format_version_for_test(&self, version: u32) -> Result<()> {
        self.tree(META).insert(FORMAT_KEY, &version.to_be_bytes())?;
        self.flush()
    }

    fn counters(&self) -> Result<Counters> {
        Counters::read(self.tree(META))
    }

    /// Adds one article and its extraction, linking its entities and events to what is
    /// stored, in one transaction: after a crash the store holds all of it or none.
    ///
    /// An article whose text bytes are already stored is not added again.
    pub fn add(&self, doc: &Document, x: &Extraction) -> Result<AddOutcome> {
        let mut outcomes = self.add_all([(doc, x)])?;
        Ok(outcomes.remove(0))
    }

    /// Adds articles in order, as [`Store::add`] would one after the other, but in one
    /// transaction: after a crash the store holds all of them or none, and a key that
    /// several of them change (the id counters, the last chunk of a busy index list, an
    /// event reported again) is written once. Each article links to the ones before it.
    ///
    /// Every extraction is checked first; if one does not fit its article, nothing is
    /// added and the error names it.
    pub fn add_all<'a>(
        &self,
        items: impl IntoIterator<Item = (&'a Document, &'a Extraction)>,
    ) -> Result<Vec<AddOutcome>> {
        let items: Vec<(&Document, &Extraction)> = items.into_iter().collect();
        for (doc, x) in &items {
            x.validate(doc.text())
                .map_err(|reason| StoreError::BadExtraction {
                    source_name: doc.meta().source.clone(),
                    reason,
                })?;
        }
        let mut times = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut lists = self.lists.lock().unwrap_or_else(|p| p.into_inner());
        std::thread::scope(|scope| {
            let texts = (items.len() > 1).then(|| {
                let (tx, frames) = std::sync::mpsc::channel();
                let texts: Vec<&str> = items.iter().map(|(doc, _)| doc.text()).collect();
                scope.spawn(move || {
                    for text in texts {
                        if tx.send(values::compress(text.as_bytes())).is_err() {
                            break;
                        }
                    }
                });
                TextFrames {
                    frames,
                    received: Vec::with_capacity(items.len()),
                }
            });
            self.add_batch(&items, texts, &mut times, &mut lists)
        })
    }

    /// [`Store::add_all`] once the extractions are checked and the writer's locks held.
    fn add_batch(
        &self,
        items: &[(&Document, &Extraction)],
        texts: Option<TextFrames>,
        times: &mut AddTimes,
        lists: &mut Lists,
    ) -> Result<Vec<AddOutcome>> {
        let mut batch = Batch {
            store: self,
            overlay: Overlay::new(TREES.len(), std::mem::replace(lists, slot_lists())),
            quotes: Vec::new(),
            frames: Vec::new(),
            heads: HeadEdits::default(),
            texts,
            article: 0,
        };
        let mut outcomes = Vec::with_capacity(items.len());
        let stored = items
            .iter()
            .enumerate()
            .try_for_each(|(i, (doc, x))| {
                batch.article = i;
                outcomes.push(batch.add_one(doc, x, times)?);
                Ok(())
            })
            .and_then(|()| {
                let began = Instant::now();
                let heads_tree = tree_index(EVENT_HEADS);
                for (k, v) in batch.heads.writes() {
                    batch.overlay.write(heads_tree, k, Some(v));
                }
                // The values first: the transaction refers to them (see `crate::values`).
                let written = self
                    .values
                    .write(&batch.frames)
                    .and_then(|()| self.write(&batch.overlay));
                times.commit += began.elapsed();
                written
            });
        if let Err(e) = stored {
            self.values.abandon();
            // The caches followed the batch's plans, which are not stored: start afresh
            // (the lists' cache already is).
            *self.cache() = WriterCache::default();
            return Err(e);
        }
        self.values.stored();
        let quotes = std::mem::take(&mut batch.quotes);
        *lists = batch.overlay.into_lists();
        let began = Instant::now();
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        for q in &quotes {
            pending.add(q.id, q.speaker, &q.text);
        }
        if pending.len() >= PENDING_LIMIT {
            self.word_index().write(std::mem::take(&mut *pending))?;
        }
        times.word_index += began.elapsed();
        Ok(outcomes)
    }

    /// Applies a batch's writes in one transaction, one sled batch per tree, without
    /// reading the old values (see vendor/README.md).
    fn write(&self, overlay: &Overlay) -> Result<()> {
        if overlay.is_empty() {
            return Ok(());
        }
        let batches: Vec<sled::Batch> = overlay
            .trees()
            .iter()
            .map(|writes| {
                let mut batch = sled::Batch::default();
                for (k, v) in writes {
                    match v {
                        Some(v) => batch.insert(k.as_slice(), v.as_slice()),
                        None => batch.remove(k.as_slice()),
                    }
                }
                batch
            })
            .collect();
        let result: std::result::Result<(), TransactionError<()>> =
            self.trees.as_slice().transaction(|t| {
                for (tree, batch) in batches.iter().enumerate() {
                    t[tree].apply_batch(batch)?;
                }
                Ok::<(), ConflictableTransactionError<()>>(())
            });
        match result {
            Ok(()) => Ok(()),
            Err(TransactionError::Storage(e)) => Err(StoreError::Sled(e)),
            Err(TransactionError::Abort(())) => unreachable!("the transaction never aborts"),
        }
    }

    /// The id of a stored document with exactly these text bytes, if any.
    pub fn find_duplicate(&self, text: &str) -> Result<Option<DocId>> {
        duplicate_in(self.tree(DOC_HASH), &text_hash(text))
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, WriterCache> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn stored_event(&self, id: EventId) -> Result<Option<StoredEvent>> {
        chunked::run_get(self.tree(EVENTS), EVENTS, id.0)
    }

    // ----------------------------------------------------------------- reads

    /// Every stored document, in id order.
    pub fn documents(&self) -> Result<Vec<DocRecord>> {
        scan_values(&self.logged(DOCUMENTS), DOCUMENTS)
    }

    /// One stored document.
    pub fn document(&self, id: DocId) -> Result<Option<DocRecord>> {
        get_value(&self.logged(DOCUMENTS), DOCUMENTS, &id.to_be_bytes())
    }

    /// A stored document's text.
    pub fn text(&self, id: DocId) -> Result<Option<String>> {
        match self.tree(DOC_TEXT).get(id.to_be_bytes())? {
            Some(v) => self.values.read_text(Pointer::decode(&v)?).map(Some),
            None => Ok(None),
        }
    }

    /// The text at a provenance, or `None` if it does not round-trip.
    pub fn span_text(&self, prov: Provenance) -> Result<Option<String>> {
        Ok(self
            .text(prov.doc)?
            .and_then(|t| prov.span.slice(&t).map(str::to_string)))
    }

    /// Every stored entity, in id order.
    pub fn entities(&self) -> Result<Vec<EntityRecord>> {
        scan_values(self.tree(ENTITIES), ENTITIES)
    }

    /// One stored entity.
    pub fn entity(&self, id: EntityId) -> Result<Option<EntityRecord>> {
        get_value(self.tree(ENTITIES), ENTITIES, &id.to_be_bytes())
    }

    /// Entities one of whose names folds to the same key as `name`.
    pub fn find_entities(&self, name: &str) -> Result<Vec<EntityRecord>> {
        let mut out = Vec::new();
        for id in alias_list(self.tree(ALIASES), &name_key(name))? {
            out.extend(self.entity(id)?);
        }
        Ok(out)
    }

    /// Why an entity absorbed each cluster merged into it, in the order of the merges.
    pub fn merges_of(&self, id: EntityId) -> Result<Vec<MergeEvidence>> {
        let mut out = Vec::new();
        for (doc, m) in
            chunked::read::<(u64, EntityInDoc)>(self.tree(MENTIONS), MENTIONS, &id.to_be_bytes())?
        {
            out.extend(m.merged.into_iter().map(|keys| MergeEvidence {
                doc: DocId(doc),
                keys,
            }));
        }
        Ok(out)
    }

    /// Every mention of one entity, by document and position.
    pub fn mentions_of(&self, id: EntityId) -> Result<Vec<MentionRecord>> {
        let mut out = Vec::new();
        for item in self.tree(MENTIONS).scan_prefix(id.to_be_bytes()) {
            let (k, v) = item?;
            push_mentions(&mut out, &k, &v)?;
        }
        Ok(out)
    }

    /// Every mention, by entity, document and position.
    pub fn mentions(&self) -> Result<Vec<MentionRecord>> {
        let mut out = Vec::new();
        for item in self.tree(MENTIONS).iter() {
            let (k, v) = item?;
            push_mentions(&mut out, &k, &v)?;
        }
        Ok(out)
    }

    /// Every stored quote, in id order.
    pub fn quotes(&self) -> Result<Vec<QuoteRecord>> {
        chunked::run_all(&self.logged(QUOTES), QUOTES)
    }

    /// The quotes attributed to one speaker, in id order.
    pub fn quotes_by(&self, speaker: EntityId) -> Result<Vec<QuoteRecord>> {
        let ids: Vec<QuoteId> = chunked::read::<u64>(
            self.tree(QUOTES_BY_SPEAKER),
            QUOTES_BY_SPEAKER,
            &speaker.to_be_bytes(),
        )?
        .into_iter()
        .map(QuoteId)
        .collect();
        self.quotes_among(&ids)
    }

    /// One stored quote.
    pub fn quote(&self, id: QuoteId) -> Result<Option<QuoteRecord>> {
        chunked::run_get(&self.logged(QUOTES), QUOTES, id.0)
    }

    /// The stored quotes among `ids`, in id order: each article's quotes are read once,
    /// however many of them are asked for.
    pub fn quotes_among(&self, ids: &[QuoteId]) -> Result<Vec<QuoteRecord>> {
        let mut ids: Vec<u64> = ids.iter().map(|q| q.0).collect();
        ids.sort_unstable();
        ids.dedup();
        chunked::run_get_many(&self.logged(QUOTES), QUOTES, &ids)
    }

    /// The quotes holding a word (as [`words`] folds it), in id order.
    pub fn quotes_with_word(&self, word: &str) -> Result<Vec<QuoteId>> {
        Ok(self.quote_postings(word)?.ids().to_vec())
    }

    /// The quotes holding a word (as [`words`] folds it) and its positions in each, from
    /// the word index alone.
    pub fn quote_postings(&self, word: &str) -> Result<Postings> {
        let stored = self.word_index().lookup(word)?;
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .lookup(word);
        Ok(match (stored.is_empty(), pending.is_empty()) {
            (_, true) => stored,
            (true, false) => pending,
            (false, false) => Postings::merge(&[stored, pending]),
        })
    }

    /// Who said each of the quotes `ids` (in their order), from the word index's head
    /// blocks: no quote records are read, except for a quote the index lacks.
    pub fn quote_speakers(&self, ids: &[QuoteId]) -> Result<Vec<Option<EntityId>>> {
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let found = self.word_index().speakers(&sorted)?;
        let mut by_id: HashMap<QuoteId, Option<EntityId>> =
            HashMap::with_capacity_and_hasher(sorted.len(), Default::default());
        let mut missing = Vec::new();
        {
            let pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            for (id, s) in sorted.iter().zip(found) {
                match s.or_else(|| pending.speaker(*id)) {
                    Some(s) => {
                        by_id.insert(*id, s);
                    }
                    None => missing.push(*id),
                }
            }
        }
        for q in self.quotes_among(&missing)? {
            by_id.insert(q.id, q.speaker);
        }
        Ok(ids
            .iter()
            .map(|id| by_id.get(id).copied().flatten())
            .collect())
    }

    fn word_index(&self) -> WordIndex<'_> {
        WordIndex {
            tree: &self.quote_words,
            meta: self.tree(META),
        }
    }

    /// Indexes the quotes a previous process stored but did not index (it was killed
    /// before its last flush) and writes them as a segment.
    fn catch_up_word_index(&self) -> Result<()> {
        let index = self.word_index();
        let (from, to) = (index.watermark()?, self.counters()?.quote);
        if from >= to {
            return Ok(());
        }
        let mut pending = Pending::default();
        for (_, q) in chunked::run_scan::<QuoteRecord>(&self.logged(QUOTES), QUOTES, from + 1)? {
            pending.add(q.id, q.speaker, &q.text);
        }
        index.write(pending)
    }

    /// The events whose label or a trigger has a word with this [`stem`], in id order.
    pub fn events_with_stem(&self, stem: &str) -> Result<Vec<EventId>> {
        let mut ids: Vec<u64> =
            chunked::read(self.tree(EVENT_WORDS), EVENT_WORDS, &text_list(stem))?;
        ids.sort_unstable();
        ids.dedup();
        Ok(ids.into_iter().map(EventId).collect())
    }

    /// The events an entity took part in (any role), in id order.
    pub fn events_of(&self, actor: EntityId) -> Result<Vec<EventRecord>> {
        self.stored_events_of(actor)?
            .into_iter()
            .map(|e| self.with_reports(e))
            .collect()
    }

    /// [`Store::events_of`] without the reports: an entity in tens of thousands of
    /// events is ranked and cut first, and only the events shown read their reports.
    pub fn stored_events_of(&self, actor: EntityId) -> Result<Vec<StoredEvent>> {
        self.events_anchored(actor, |e| e.actors.iter().any(|a| a.entity == actor))
    }

    /// The events `entity` took part in or that happened at it, in id order, without
    /// their reports: [`Store::stored_events_of`] and [`Store::stored_events_at`] in
    /// one read of its index entries.
    pub fn stored_events_involving(&self, entity: EntityId) -> Result<Vec<StoredEvent>> {
        self.events_anchored(entity, |e| {
            e.places.contains(&entity) || e.actors.iter().any(|a| a.entity == entity)
        })
    }

    /// The events whose places or actors include `entity` (its `event_slots` entries)
    /// and that `keep` accepts, in id order, without their reports.
    fn events_anchored(
        &self,
        entity: EntityId,
        keep: impl Fn(&StoredEvent) -> bool,
    ) -> Result<Vec<StoredEvent>> {
        let mut ids = BTreeSet::new();
        for item in self.tree(EVENT_SLOTS).scan_prefix(entity.to_be_bytes()) {
            let (_, v) = item?;
            let entries = daylists::entries::<SlotItem>(EVENT_SLOTS, &v)?;
            ids.extend(entries.into_iter().map(|(_, (_, _, id, _))| id));
        }
        let ids: Vec<u64> = ids.into_iter().collect();
        let mut out: Vec<StoredEvent> = chunked::run_get_many(self.tree(EVENTS), EVENTS, &ids)?;
        out.retain(keep);
        Ok(out)
    }

    /// Events dated from `from` to `to` as stored strings compare (`from <= date < to`),
    /// in date order, then id.
    pub fn events_dated(&self, from: &str, to: &str) -> Result<Vec<EventRecord>> {
        self.stored_events_dated(from, to)?
            .into_iter()
            .map(|e| self.with_reports(e))
            .collect()
    }

    /// The ids of the events dated from `from` to `to` as stored strings compare
    /// (`from <= date < to`), from the date index alone: each date with its events in
    /// id order, the dates in order.
    pub fn dated_event_ids(&self, from: &str, to: &str) -> Result<Vec<(String, Vec<EventId>)>> {
        let dated = self.dated_ids(
            self.tree(EVENTS_BY_DATE)
                .range(from.as_bytes()..to.as_bytes()),
        )?;
        Ok(dated
            .into_iter()
            .map(|(list, ids)| (date_of_list(&list), ids))
            .collect())
    }

    /// [`Store::events_dated`] without the reports.
    pub fn stored_events_dated(&self, from: &str, to: &str) -> Result<Vec<StoredEvent>> {
        let mut out = Vec::new();
        for (_, ids) in self.dated_ids(
            self.tree(EVENTS_BY_DATE)
                .range(from.as_bytes()..to.as_bytes()),
        )? {
            let ids: Vec<u64> = ids.into_iter().map(|id| id.0).collect();
            out.extend(chunked::run_get_many::<StoredEvent>(
                self.tree(EVENTS),
                EVENTS,
                &ids,
            )?);
        }
        Ok(out)
    }

    /// The stored events among `ids` (ascending), without their reports, in id order:
    /// each article's events are decoded once.
    pub fn stored_events_among(&self, ids: &[EventId]) -> Result<Vec<StoredEvent>> {
        let mut ids: Vec<u64> = ids.iter().map(|e| e.0).collect();
        ids.sort_unstable();
        ids.dedup();
        chunked::run_get_many(self.tree(EVENTS), EVENTS, &ids)
    }

    /// The ranking heads of the events `ids` (label, modality, dated, placed, reports),
    /// in id order, without decoding their records: for ranking thousands of matches.
    pub fn event_heads(&self, ids: &[EventId]) -> Result<EventHeads> {
        let mut ids: Vec<u64> = ids.iter().map(|e| e.0).collect();
        ids.sort_unstable();
        ids.dedup();
        heads::read(self.tree(EVENT_HEADS), &ids)
    }

    /// Every stored event without its reports, in id order.
    pub fn stored_events(&self) -> Result<Vec<StoredEvent>> {
        chunked::run_all(self.tree(EVENTS), EVENTS)
    }

    /// The relations an entity is the subject or the object of, in id order.
    pub fn relations_of(&self, entity: EntityId) -> Result<Vec<RelationRecord>> {
        let mut out = Vec::new();
        for id in chunked::read::<u64>(
            self.tree(RELATIONS_BY_ENTITY),
            RELATIONS_BY_ENTITY,
            &entity.to_be_bytes(),
        )? {
            out.extend(chunked::run_get::<RelationRecord>(
                self.tree(RELATIONS),
                RELATIONS,
                id,
            )?);
        }
        Ok(out)
    }

    /// Every folded name of the alias index (see `name_key`), in order, for suggesting
    /// names; the acronym and date keys are left out.
    pub fn name_keys(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for item in self.tree(ALIASES).iter() {
            let (k, _) = item?;
            let k = String::from_utf8_lossy(&k);
            // Folded names have no colon; `acr:` and `date:` keys do.
            if !k.contains(':') {
                out.push(k.into_owned());
            }
        }
        Ok(out)
    }

    /// Checks the writer's cache against the trees: every cached entity, alias list and
    /// event must be the stored one. Returns the number of cached records and one line
    /// per disagreement, none when the cache is true.
    pub fn check_writer_cache(&self) -> Result<(usize, Vec<String>)> {
        let cache = self.cache();
        let mut problems = Vec::new();
        for (id, r) in cache.entities.iter() {
            if self.entity(*id)? != *r {
                problems.push(format!("entity {} differs from its cached record", id.0));
            }
        }
        for (id, keys) in cache.keys.iter() {
            let stored = self.entity(*id)?.map(|r| record_keys(&r));
            if stored.as_ref() != Some(keys) {
                problems.push(format!(
                    "entity {} has other keys than its cached ones",
                    id.0
                ));
            }
        }
        for (k, ids) in cache.aliases.iter() {
            if alias_list(self.tree(ALIASES), k)? != *ids {
                problems.push(format!("alias list {k:?} differs from its cached ids"));
            }
        }
        for (id, e) in cache.events.iter() {
            if self.stored_event(*id)?.as_ref() != Some(e) {
                problems.push(format!("event {} differs from its cached record", id.0));
            }
        }
        let n = cache.entities.len() + cache.keys.len() + cache.aliases.len() + cache.events.len();
        problems.sort();
        Ok((n, problems))
    }

    /// Checks the event indexes against the records they are derived from, reading the
    /// whole store: each event's `event_slots` entries must be exactly those its record
    /// and its reports' publication days call for, its head must say what its record
    /// says, its report count must be its number of reports, and `events_by_date` must
    /// list it under its date (and only there) when it has one. Returns one line per
    /// disagreement (at most 20), none for a consistent store.
    pub fn check_event_indexes(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let day_of_doc: HashMap<u64, Option<u32>> = self
            .documents()?
            .into_iter()
            .map(|d| {
                let day = d
                    .published
                    .as_deref()
                    .and_then(publication_day)
                    .map(day_number);
                (d.id.0, day)
            })
            .collect();
        // Each event's reports: how many, and their known publication days.
        let mut reports: BTreeMap<u64, (u32, BTreeSet<u32>)> = BTreeMap::new();
        let runs = &self.logged(EVENT_FIRST_REPORTS);
        for (id, first) in chunked::run_scan::<Vec<Report>>(runs, EVENT_FIRST_REPORTS, 0)? {
            let r = reports.entry(id).or_default();
            r.0 += first.len() as u32;
            for (doc, _, _) in &first {
                r.1.extend(day_of_doc.get(doc).copied().flatten());
            }
        }
        for item in self.tree(EVENT_MENTIONS).iter() {
            let (k, v) = item?;
            let r = reports.entry(be_u64(EVENT_MENTIONS, &k, 0)?).or_default();
            r.0 += chunked::entries::<Report>(EVENT_MENTIONS, &v)?.len() as u32;
            r.1.extend(Some(read_u32(EVENT_MENTIONS, &k, 8)?).filter(|&d| d != NO_DAY));
        }
        let events = self.stored_events()?;
        let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
        let heads = self.event_heads(&ids)?;
        let mut expected = BTreeSet::new();
        let mut dated: BTreeSet<(String, EventId)> = BTreeSet::new();
        for (e, h) in events.iter().zip(&heads.heads) {
            if let Some(d) = &e.date {
                dated.insert((d.clone(), e.id));
            }
            let (count, days) = reports.remove(&e.id.0).unwrap_or_default();
            if count != e.reports {
                problems.push(format!(
                    "{}: {} reports stored, record says {}",
                    e.id, count, e.reports
                ));
            }
            let head = (
                heads.labels[h.label].as_str(),
                h.modality,
                h.dated,
                h.placed,
                h.reports,
            );
            let record = (
                e.label.as_str(),
                e.modality,
                e.date.is_some(),
                !e.places.is_empty(),
                e.reports,
            );
            if head != record {
                problems.push(format!("{}: head {head:?}, record {record:?}", e.id));
            }
            expected.extend(slot_entries(e, &days));
        }
        for id in reports.keys() {
            problems.push(format!("v{id}: reports of an event that is not stored"));
        }
        let mut actual = BTreeSet::new();
        for item in self.tree(EVENT_SLOTS).iter() {
            let (k, v) = item?;
            let list = daylists::list_of(&k).to_vec();
            for (day, entry) in daylists::entries::<SlotItem>(EVENT_SLOTS, &v)? {
                actual.insert((list.clone(), day, entry));
            }
        }
        for (list, day, (_, _, id, _)) in expected.difference(&actual) {
            problems.push(format!(
                "v{id}: event_slots lacks day {day} of list {list:?}"
            ));
        }
        for (list, day, (_, _, id, _)) in actual.difference(&expected) {
            problems.push(format!(
                "v{id}: event_slots has a stale entry for day {day} in list {list:?}"
            ));
        }
        // `events_by_date` lists each dated event under its date, and nothing else.
        let mut listed: BTreeSet<(String, EventId)> = BTreeSet::new();
        for (list, ids) in self.dated_ids(self.tree(EVENTS_BY_DATE).iter())? {
            let date = date_of_list(&list);
            listed.extend(ids.into_iter().map(|id| (date.clone(), id)));
        }
        for (date, id) in dated.difference(&listed) {
            problems.push(format!(
                "{id}: dated {date} but not listed in events_by_date"
            ));
        }
        for (date, id) in listed.difference(&dated) {
            problems.push(format!(
                "{id}: listed under {date} in events_by_date, not dated so"
            ));
        }
        problems.extend(daylists::check::<SlotItem>(
            self.tree(EVENT_SLOTS),
            EVENT_SLOTS,
            SLOT_LIST_LEN,
        )?);
        problems.truncate(20);
        Ok(problems)
    }

    /// Every stored event with its reports, in id order.
    pub fn events(&self) -> Result<Vec<EventRecord>> {
        // Both trees are in event id order: one pass over each.
        let mut reports = self.tree(EVENT_MENTIONS).iter();
        let mut next = reports.next().transpose()?;
        let mut first_reports = chunked::run_scan::<Vec<Report>>(
            &self.logged(EVENT_FIRST_REPORTS),
            EVENT_FIRST_REPORTS,
            0,
        )?
        .into_iter()
        .peekable();
        let mut out = Vec::new();
        for (id, stored) in chunked::run_scan::<StoredEvent>(self.tree(EVENTS), EVENTS, 0)? {
            let k = id.to_be_bytes();
            let mut mine = Vec::new();
            while first_reports.next_if(|(f, _)| *f < id).is_some() {}
            if let Some((_, first)) = first_reports.next_if(|(f, _)| *f == id) {
                mine = first;
            }
            while let Some((rk, rv)) = &next {
                match rk.get(..8).cmp(&Some(&k[..])) {
                    std::cmp::Ordering::Less => {}
                    std::cmp::Ordering::Equal => {
                        mine.extend(chunked::entries::<Report>(EVENT_MENTIONS, rv)?);
                    }
                    std::cmp::Ordering::Greater => break,
                }
                next = reports.next().transpose()?;
            }
            out.push(event_record(stored, in_report_order(mine)));
        }
        Ok(out)
    }

    /// One stored event with its reports.
    pub fn event(&self, id: EventId) -> Result<Option<EventRecord>> {
        match self.stored_event(id)? {
            Some(stored) => self.with_reports(stored).map(Some),
            None => Ok(None),
        }
    }

    /// A stored event with its reports.
    pub fn with_reports(&self, stored: StoredEvent) -> Result<EventRecord> {
        let mut reports: Vec<Report> = chunked::run_get(
            &self.logged(EVENT_FIRST_REPORTS),
            EVENT_FIRST_REPORTS,
            stored.id.0,
        )?
        .unwrap_or_default();
        for item in self
            .tree(EVENT_MENTIONS)
            .scan_prefix(stored.id.to_be_bytes())
        {
            let (_, v) = item?;
            reports.extend(chunked::entries::<Report>(EVENT_MENTIONS, &v)?);
        }
        Ok(event_record(stored, in_report_order(reports)))
    }

    /// Events whose date starts with `prefix` (`2024`, `2024-02`, `2024-02-07`).
    pub fn events_on(&self, prefix: &str) -> Result<Vec<EventRecord>> {
        let ids: BTreeSet<EventId> = self
            .dated_ids(self.tree(EVENTS_BY_DATE).scan_prefix(prefix.as_bytes()))?
            .into_iter()
            .flat_map(|(_, ids)| ids)
            .collect();
        let mut out = Vec::new();
        for id in ids {
            out.extend(self.event(id)?);
        }
        Ok(out)
    }

    /// The event ids of `events_by_date` chunks (a range or prefix scan of the tree), by
    /// date: (date list key, ids in id order), in date order.
    fn dated_ids(
        &self,
        chunks: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    ) -> Result<Vec<(Vec<u8>, Vec<EventId>)>> {
        let mut out: Vec<(Vec<u8>, Vec<EventId>)> = Vec::new();
        for item in chunks {
            let (k, v) = item?;
            let list = chunked::list_of(&k);
            let ids = chunked::entries::<u64>(EVENTS_BY_DATE, &v)?;
            match out.last_mut() {
                Some((d, found)) if d.as_slice() == list => {
                    found.extend(ids.into_iter().map(EventId))
                }
                _ => out.push((list.to_vec(), ids.into_iter().map(EventId).collect())),
            }
        }
        for (_, ids) in &mut out {
            ids.sort();
            ids.dedup();
        }
        Ok(out)
    }

    /// Events that happened at a place.
    pub fn events_at(&self, place: EntityId) -> Result<Vec<EventRecord>> {
        self.stored_events_at(place)?
            .into_iter()
            .map(|e| self.with_reports(e))
            .collect()
    }

    /// [`Store::events_at`] without the reports.
    pub fn stored_events_at(&self, place: EntityId) -> Result<Vec<StoredEvent>> {
        self.events_anchored(place, |e| e.places.contains(&place))
    }

    /// Every stated relation, in id order.
    pub fn relations(&self) -> Result<Vec<RelationRecord>> {
        chunked::run_all(self.tree(RELATIONS), RELATIONS)
    }

    /// How many documents, entities, quotes and events are stored.
    pub fn counts(&self) -> Result<Counts> {
        // Nothing stored is ever removed, so the last ids given are the counts (a sled
        // tree's `len` reads the whole tree: seconds on a large store).
        let c = self.counters()?;
        let n = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
        Ok(Counts {
            documents: n(c.doc),
            entities: n(c.entity),
            quotes: n(c.quote),
            events: n(c.event),
        })
    }
}

/// The writer of one batch of articles ([`Store::add_all`]): the store, and what the
/// articles planned so far will write, which every read of the batch sees.
struct Batch<'s> {
    store: &'s Store,
    overlay: Overlay,
    /// The quotations of the batch, for the word index once the batch is stored.
    quotes: Vec<QuoteRecord>,
    /// The frames of the batch's values written once, to be appended to the values file.
    frames: Vec<u8>,
    /// The event head blocks the batch changes, written at its end.
    heads: HeadEdits,
    /// The frames of the batch's texts, compressed ahead on a helper thread.
    texts: Option<TextFrames>,
    /// The index in the batch of the article being added.
    article: usize,
}

/// The frames of a batch's article texts ([`values::compress`]), in article order, as a
/// helper thread compresses them while the batch is planned: compressing the texts was
/// about 3% of the storing thread's time at 100,000 articles, and the extraction threads
/// leave the other core idle most of the time.
struct TextFrames {
    frames: std::sync::mpsc::Receiver<Result<Vec<u8>>>,
    received: Vec<Option<Result<Vec<u8>>>>,
}

impl TextFrames {
    /// The frame of article `i`'s text (each is taken once), if the helper made it.
    fn take(&mut self, i: usize) -> Option<Result<Vec<u8>>> {
        while self.received.len() <= i {
            self.received.push(Some(self.frames.recv().ok()?));
        }
        self.received[i].take()
    }
}

impl Batch<'_> {
    /// A tree as the batch reads it: its pending writes in front of what is stored.
    fn src(&self, name: &str) -> View<'_> {
        let tree = tree_index(name);
        self.overlay.view(tree, &self.store.trees[tree])
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, WriterCache> {
        self.store.cache()
    }

    /// The counters as the batch left them.
    fn counters(&self) -> Result<Counters> {
        Counters::read(&self.src(META))
    }

    /// Links and plans one (validated) article after the ones before it in the batch.
    fn add_one(
        &mut self,
        doc: &Document,
        x: &Extraction,
        times: &mut AddTimes,
    ) -> Result<AddOutcome> {
        let mut last = Instant::now();
        let mut lap = |step: &mut Duration| {
            let now = Instant::now();
            *step += now - last;
            last = now;
        };
        // A document stored or planned with exactly these text bytes is a duplicate.
        let hash = text_hash(doc.text());
        if let Some(existing) = duplicate_in(&self.src(DOC_HASH), &hash)? {
            lap(&mut times.check);
            return Ok(AddOutcome::Duplicate { doc: existing });
        }
        lap(&mut times.check);
        let mut counters = self.counters()?;
        counters.doc += 1;
        let doc_id = DocId(counters.doc);
        let mut plan = Plan::default();
        let mut look = Lookups::default();

        // Entities: link each cluster to a stored entity or create one.
        let mut entity_ids: Vec<EntityId> = Vec::with_capacity(x.entities.len());
        let (mut new_entities, mut linked_entities) = (0, 0);
        for local in &x.entities {
            let keys = entity_keys(local);
            let mut candidate_ids = BTreeSet::new();
            for k in &keys {
                candidate_ids.extend(self.alias_ids(&plan, k)?);
            }
            let mut candidates = Vec::new();
            for id in candidate_ids {
                if let Some(r) = self.entity_planned(&plan, id)? {
                    let ckeys = self.record_keys_planned(&plan, &r);
                    candidates.push((r, ckeys));
                }
            }
            let keyed: Vec<(&EntityRecord, &[String])> =
                candidates.iter().map(|(r, k)| (r, k.as_slice())).collect();
            let (mut record, before) = match choose_entity_keyed(local, &keys, &keyed) {
                Some((id, matched)) => {
                    linked_entities += 1;
                    let mut r = candidates
                        .into_iter()
                        .map(|c| c.0)
                        .find(|c| c.id == id)
                        .expect("chosen among candidates");
                    plan.mentions.entry(r.id).or_default().merged.push(matched);
                    let before = r.clone();
                    r.author &= local.author;
                    (r, Some(before))
                }
                None => {
                    new_entities += 1;
                    counters.entity += 1;
                    let name = match (&local.kind, &local.value) {
                        (EntityKind::Date, Some(v)) => v.clone(),
                        _ => local.name.clone(),
                    };
                    let r = EntityRecord {
                        id: EntityId(counters.entity),
                        kind: local.kind,
                        name,
                        aliases: vec![],
                        value: local.value.clone(),
                        author: local.author,
                    };
                    (r, None)
                }
            };
            let aliases: BTreeSet<String> = record
                .aliases
                .iter()
                .chain(&local.aliases)
                .chain(std::iter::once(&local.name))
                .filter(|a| !(local.kind == EntityKind::Date && local.value.as_ref() == Some(a)))
                .cloned()
                .collect();
            record.aliases = aliases.into_iter().collect();
            // Only a new entity, or one with a new form or author flag, is written.
            if before.as_ref() != Some(&record) {
                plan.changed_entities.insert(record.id);
            }
            // A country first seen as a place may be a group elsewhere: keep the first.
            // Only the alias lists that gain the entity are written.
            for k in record_keys(&record) {
                let mut ids = self.alias_ids(&plan, &k)?;
                if !ids.contains(&record.id) {
                    ids.push(record.id);
                    ids.sort();
                    plan.aliases.insert(k, ids);
                }
            }
            plan.mentions
                .entry(record.id)
                .or_default()
                .spans
                .extend(&local.mentions);
            entity_ids.push(record.id);
            plan.entities.insert(record.id, record);
        }
        lap(&mut times.entities);

        // Quotes.
        for q in &x.quotes {
            counters.quote += 1;

            plan.quotes.push(QuoteRecord {
                id: QuoteId(counters.quote),
                prov: Provenance::new(doc_id, q.span),
                speaker: q.speaker.map(|i| entity_ids[i]),
                cue: q.cue.clone(),
                date: q.date.clone(),
                // `validate` above checked that the span slices the text.
                text: q.span.slice(doc.text()).unwrap_or_default().to_string(),
            });
        }

        // Events: merge each mention into a stored event it reports, or create one.
        let (mut new_events, mut merged_events) = (0, 0);
        // The article's publication day, as linking reads it and as `event_mentions` keys it.
        let new_day = x.published.as_deref().and_then(publication_day);
        let new_day_text = new_day.map(|d| d.format("%Y-%m-%d").to_string());
        let new_pub: Vec<String> = x.published.iter().cloned().collect();
        for (index, ev) in x.events.iter().enumerate() {
            let mut places: Vec<EntityId> = ev.places.iter().map(|&i| entity_ids[i]).collect();
            places.sort();
            places.dedup();
            let mut actors: Vec<Actor> = ev
                .actors
                .iter()
                .map(|a| Actor {
                    role: a.role,
                    entity: entity_ids[a.entity],
                })
                .collect();
            actors.sort_by_key(|a| (a.role, a.entity));
            actors.dedup();
            let mention = EventMention {
                prov: Provenance::new(doc_id, ev.trigger),
                cameo: ev.cameo.clone(),
                date: ev.date.clone(),
            };
            let fresh = StoredEvent {
                id: EventId(0),
                cameo: ev.cameo.clone(),
                label: ev.label.clone(),
                date: ev.date.clone(),
                places,
                actors,
                modality: ev.modality,
                count: ev.count,
                killed: ev.killed,
                injured: ev.injured,
                first_published: new_day_text.clone(),
                words: event_stems(&ev.label, ev.trigger.slice(doc.text()).unwrap_or_default()),
                reports: 1,
            };
            // The best stored event: most agreement, then nearest in time, then oldest.
            let mut best: Option<(EventMatch, StoredEvent)> = None;
            let roots = mergeable_roots(&ev.cameo);
            let window = time_window(ev.date.as_deref(), new_day);
            // An aggregate ("attacked 160 times") never merges: no candidates to read.
            let candidates = match fresh.count {
                Some(_) => Vec::new(),
                None => self.event_candidates(&plan, &mut look, &fresh, &roots, window)?,
            };
            for candidate in candidates {
                let stored_pub =
                    self.reported_days(&plan, &mut look, &candidate, window, new_day)?;
                let Some(m) = event_match(
                    &candidate,
                    Reported {
                        published: &stored_pub,
                    },
                    &fresh,
                    Reported {
                        published: &new_pub,
                    },
                ) else {
                    continue;
                };
                let better = best.as_ref().is_none_or(|(b, c)| {
                    (
                        m.score,
                        std::cmp::Reverse(m.distance),
                        std::cmp::Reverse(candidate.id),
                    ) > (
                        b.score,
                        std::cmp::Reverse(b.distance),
                        std::cmp::Reverse(c.id),
                    )
                });
                if better {
                    best = Some((m, candidate));
                }
            }
            let (record, why) = match best {
                Some((m, mut stored)) => {
                    merged_events += 1;
                    // The event as stored before this article, for index upkeep.
                    if !plan.events.contains_key(&stored.id) {
                        plan.old_events.insert(stored.id, stored.clone());
                    }
                    if more_precise(fresh.date.as_deref(), stored.date.as_deref()) {
                        stored.date = fresh.date.clone();
                    }
                    // A scheduled event that was then held is asserted.
                    if fresh.modality == Modality::Asserted {
                        stored.modality = Modality::Asserted;
                    }
                    // Tolls are often revised upwards: keep the largest stated.
                    stored.killed = stored.killed.max(fresh.killed);
                    stored.injured = stored.injured.max(fresh.injured);
                    for p in fresh.places {
                        if !stored.places.contains(&p) {
                            stored.places.push(p);
                        }
                    }
                    stored.places.sort();
                    for a in fresh.actors {
                        if !stored.actors.contains(&a) {
                            stored.actors.push(a);
                        }
                    }
                    stored.actors.sort_by_key(|a| (a.role, a.entity));
                    if stored.first_published.is_none() {
                        stored.first_published = new_day_text.clone();
                    }
                    for w in fresh.words {
                        if let Err(at) = stored.words.binary_search(&w) {
                            stored.words.insert(at, w);
                        }
                    }
                    stored.reports += 1;
                    (stored, Some(m.why))
                }
                None => {
                    new_events += 1;
                    counters.event += 1;
                    let record = StoredEvent {
                        id: EventId(counters.event),
                        ..fresh
                    };
                    (record, None)
                }
            };
            plan.event_mentions.push((
                record.id,
                index as u32,
                EventMentionRecord { mention, why },
            ));
            if new_day.is_some() {
                plan.event_days.insert(record.id);
            }
            plan.put_event(record);
        }

        for r in &x.relations {
            counters.relation += 1;
            plan.relations.push((
                counters.relation,
                RelationRecord {
                    subject: entity_ids[r.subject],
                    relation: r.relation.clone(),
                    object: r.object.map(|i| entity_ids[i]),
                    prov: Provenance::new(doc_id, r.span),
                },
            ));
        }

        let record = DocRecord {
            id: doc_id,
            meta: doc.meta().clone(),
            published: x.published.clone(),
            hash,
            len: doc.text().len() as u64,
            diagnostics: x.diagnostics.iter().map(|d| d.message.clone()).collect(),
        };
        let outcome = AddOutcome::Added {
            doc: doc_id,
            new_entities,
            linked_entities,
            quotes: x.quotes.len(),
            new_events,
            merged_events,
        };
        lap(&mut times.events);
        self.commit(&record, doc.text(), &plan, counters, new_day)?;
        self.quotes.extend(plan.quotes);
        lap(&mut times.commit);
        Ok(outcome)
    }

    /// Puts a value of a tree written once ([`LOGGED`]): its frame joins the
    /// batch's and the tree gets where it will be (`commit` then records the values
    /// file's new end).
    fn log(&mut self, ops: &mut Ops, tree: &str, k: Vec<u8>, value: &[u8]) -> Result<()> {
        let frame = values::compress(value)?;
        self.log_frame(ops, tree, k, frame)
    }

    /// [`Batch::log`] of a value already compressed ([`values::compress`]).
    fn log_frame(&mut self, ops: &mut Ops, tree: &str, k: Vec<u8>, frame: Vec<u8>) -> Result<()> {
        debug_assert!(LOGGED.contains(&tree));
        let pointer = Pointer {
            at: self.store.values.end() + self.frames.len() as u64,
            len: u32::try_from(frame.len()).map_err(|_| StoreError::Corrupt {
                tree: values::FILE,
                reason: format!("a value of {} compressed bytes", frame.len()),
            })?,
        };
        self.frames.extend_from_slice(&frame);
        ops.put(tree, k, pointer.encode().to_vec());
        Ok(())
    }

    fn commit(
        &mut self,
        doc: &DocRecord,
        text: &str,
        plan: &Plan,
        counters: Counters,
        day: Option<NaiveDate>,
    ) -> Result<()> {
        // The article's writes are encoded first, while the reads below borrow the
        // batch's overlay, and then go into the overlay in order.
        let mut ops = Ops::default();
        ops.put(META, COUNTERS_KEY.to_vec(), counters.encode());
        let doc_key = doc.id.to_be_bytes().to_vec();
        self.log(&mut ops, DOCUMENTS, doc_key.clone(), &encode(doc))?;
        ops.put(DOC_HASH, doc.hash.to_vec(), doc_key.clone());
        let frame = match self.texts.as_mut().and_then(|t| t.take(self.article)) {
            Some(frame) => frame?,
            None => values::compress(text.as_bytes())?,
        };
        self.log_frame(&mut ops, DOC_TEXT, doc_key, frame)?;
        for r in plan.entities.values() {
            if plan.changed_entities.contains(&r.id) {
                ops.put(ENTITIES, r.id.to_be_bytes().to_vec(), encode(r));
            }
        }

        for (k, ids) in &plan.aliases {
            ops.put(ALIASES, k.as_bytes().to_vec(), encode(ids));
        }
        // The index lists (see `crate::chunked`): the chunks this article changes.
        let mut mentions = Edits::<(u64, EntityInDoc)>::new(MENTIONS);
        for (entity, m) in &plan.mentions {
            let mut m = m.clone();
            m.spans.sort();
            m.spans.dedup();
            mentions.push(&self.src(MENTIONS), &entity.to_be_bytes(), (doc.id.0, m))?;
        }
        let mut by_speaker = Edits::<u64>::new(QUOTES_BY_SPEAKER);
        if let Some(first) = plan.quotes.first() {
            self.log(
                &mut ops,
                QUOTES,
                first.id.to_be_bytes().to_vec(),
                &encode(&plan.quotes),
            )?;
        }
        for q in &plan.quotes {
            if let Some(s) = q.speaker {
                by_speaker.push(&self.src(QUOTES_BY_SPEAKER), &s.to_be_bytes(), q.id.0)?;
            }
        }
        let day = day.map(day_number);
        let mut by_date = Edits::<u64>::new(EVENTS_BY_DATE);
        let mut event_words = Edits::<u64>::new(EVENT_WORDS);
        let mut slots = DayEdits::<SlotItem>::new(EVENT_SLOTS);
        // Events are runs: this article's new events are one; a stored event that
        // changes is rewritten in its run.
        let created: Vec<&StoredEvent> = plan
            .events
            .values()
            .filter(|e| !plan.old_events.contains_key(&e.id))
            .collect();
        if let Some(first) = created.first() {
            ops.put(EVENTS, first.id.to_be_bytes().to_vec(), encode(&created));
        }
        let mut runs: BTreeMap<u64, Vec<StoredEvent>> = BTreeMap::new();
        for e in plan.events.values() {
            let Some(old) = plan.old_events.get(&e.id).filter(|old| *old != e) else {
                continue;
            };
            let first = match runs.range(..=e.id.0).next_back() {
                Some((&first, run)) if e.id.0 - first < run.len() as u64 => first,
                _ => {
                    let (first, run) = chunked::run_of(&self.src(EVENTS), EVENTS, e.id.0)?
                        .ok_or_else(|| StoreError::Corrupt {
                            tree: EVENTS,
                            reason: format!("event {} is not stored", old.id.0),
                        })?;
                    runs.insert(first, run);
                    first
                }
            };
            if let Some(slot) = runs
                .get_mut(&first)
                .and_then(|run| run.get_mut((e.id.0 - first) as usize))
            {
                *slot = e.clone();
            }
        }
        for (first, run) in &runs {
            ops.put(EVENTS, first.to_be_bytes().to_vec(), encode(run));
        }
        // The heads are written once for the batch (see `heads::HeadEdits`).
        let heads_tree = tree_index(EVENT_HEADS);
        self.heads.update(
            &self.overlay.view(heads_tree, &self.store.trees[heads_tree]),
            plan.events
                .values()
                .map(|e| (e, plan.old_events.get(&e.id))),
        )?;
        for e in plan.events.values() {
            let old = plan.old_events.get(&e.id);
            // Index entries: only the ones that change are removed or written.
            let old_date = old.and_then(|o| o.date.as_ref());
            if old_date != e.date.as_ref() {
                if let Some(d) = old_date {
                    by_date.remove(&self.src(EVENTS_BY_DATE), &text_list(d), &e.id.0)?;
                }
                if let Some(d) = &e.date {
                    by_date.push(&self.src(EVENTS_BY_DATE), &text_list(d), e.id.0)?;
                }
            }
            let old_words = old.map(|o| o.words.as_slice()).unwrap_or_default();
            for w in e
                .words
                .iter()
                .filter(|w| old_words.binary_search(w).is_err())
            {
                event_words.push(&self.src(EVENT_WORDS), &text_list(w), e.id.0)?;
            }
            let today = day.filter(|_| plan.event_days.contains(&e.id));
            let (old_days, new_days) = self.slot_days(e, old, today)?;
            let (removed, added) = slot_changes(old, &old_days, e, &new_days);
            for (list, day, entry) in &removed {
                slots.remove(&self.src(EVENT_SLOTS), list, *day, entry)?;
            }
            for (list, day, entry) in &added {
                slots.push(&self.src(EVENT_SLOTS), list, *day, *entry)?;
            }
        }
        // The reports of the events this article created are one run (the key of
        // `events`' run), written once; later articles' reports go to the lists.
        let mut reports = Edits::<Report>::new(EVENT_MENTIONS);
        let mut first_reports: BTreeMap<EventId, Vec<Report>> =
            created.iter().map(|e| (e.id, Vec::new())).collect();
        for (event, index, m) in &plan.event_mentions {
            let report = (doc.id.0, *index, m.clone());
            if let Some(run) = first_reports.get_mut(event) {
                run.push(report);
                continue;
            }
            let list = key(&[&event.to_be_bytes(), &day.unwrap_or(NO_DAY).to_be_bytes()]);
            reports.push(&self.src(EVENT_MENTIONS), &list, report)?;
        }
        if let Some(first) = created.first() {
            let run: Vec<Vec<Report>> = first_reports.into_values().collect();
            self.log(
                &mut ops,
                EVENT_FIRST_REPORTS,
                first.id.to_be_bytes().to_vec(),
                &encode(&run),
            )?;
        }
        let mut by_entity = Edits::<u64>::new(RELATIONS_BY_ENTITY);
        if let Some((first, _)) = plan.relations.first() {
            let run: Vec<&RelationRecord> = plan.relations.iter().map(|(_, r)| r).collect();
            ops.put(RELATIONS, first.to_be_bytes().to_vec(), encode(&run));
        }
        for (id, r) in &plan.relations {
            let ends: BTreeSet<EntityId> = std::iter::once(r.subject).chain(r.object).collect();
            for e in ends {
                by_entity.push(&self.src(RELATIONS_BY_ENTITY), &e.to_be_bytes(), *id)?;
            }
        }
        ops.chunks(MENTIONS, mentions.ops());
        ops.chunks(QUOTES_BY_SPEAKER, by_speaker.ops());
        ops.chunks(EVENTS_BY_DATE, by_date.ops());
        ops.chunks(EVENT_WORDS, event_words.ops());
        ops.chunks(RELATIONS_BY_ENTITY, by_entity.ops());
        ops.chunks(EVENT_SLOTS, slots.ops());
        ops.chunks(EVENT_MENTIONS, reports.ops());
        // Where the values file ends once the batch's frames so far are written.
        let end = self.store.values.end() + self.frames.len() as u64;
        ops.put(META, values::END_KEY.to_vec(), end.to_be_bytes().to_vec());

        // Into the batch's writes: a later write of a key replaces an earlier one, as it
        // would in order.
        for (tree, k, v) in ops.0 {
            self.overlay.write(tree, k, v);
        }
        // The writer's cache follows what the batch will store.
        let mut cache = self.cache();
        for (k, ids) in &plan.aliases {
            cache.aliases.put(k.clone(), ids.clone());
        }
        for r in plan.entities.values() {
            if plan.changed_entities.contains(&r.id) {
                cache.entities.put(r.id, Some(r.clone()));
                cache.keys.remove(&r.id);
            }
        }
        for e in plan.events.values() {
            cache.events.put(e.id, e.clone());
        }
        Ok(())
    }

    fn alias_ids(&self, plan: &Plan, key: &str) -> Result<Vec<EntityId>> {
        if let Some(ids) = plan.aliases.get(key) {
            return Ok(ids.clone());
        }
        if let Some(ids) = self.cache().aliases.get(key) {
            return Ok(ids.clone());
        }
        let ids = alias_list(&self.src(ALIASES), key)?;
        self.cache().aliases.put(key.to_string(), ids.clone());
        Ok(ids)
    }

    fn entity_planned(&self, plan: &Plan, id: EntityId) -> Result<Option<EntityRecord>> {
        if let Some(r) = plan.entities.get(&id) {
            return Ok(Some(r.clone()));
        }
        if let Some(r) = self.cache().entities.get(&id) {
            return Ok(r.clone());
        }
        let r = get_value(&self.src(ENTITIES), ENTITIES, &id.to_be_bytes())?;
        self.cache().entities.put(id, r.clone());
        Ok(r)
    }

    /// An entity's alias-index keys ([`record_keys`]): cached for a stored entity,
    /// computed for one this article changed.
    fn record_keys_planned(&self, plan: &Plan, r: &EntityRecord) -> Vec<String> {
        if plan.entities.contains_key(&r.id) {
            return record_keys(r);
        }
        if let Some(k) = self.cache().keys.get(&r.id) {
            return k.clone();
        }
        let k = record_keys(r);
        self.cache().keys.put(r.id, k.clone());
        k
    }

    /// A stored event as linking reads it: from the cache, or from its run, whose other
    /// events are offered to the cache (kept if asked for before a generation passes).
    fn cached_event(&self, id: EventId) -> Result<Option<StoredEvent>> {
        if let Some(e) = self.cache().events.get(&id) {
            return Ok(Some(e.clone()));
        }
        let Some((first, run)) = chunked::run_of::<StoredEvent>(&self.src(EVENTS), EVENTS, id.0)?
        else {
            return Ok(None);
        };
        let found = run.get((id.0 - first) as usize).cloned();
        let mut cache = self.cache();
        for e in run {
            if e.id == id {
                cache.events.put(e.id, e);
            } else {
                cache.events.offer(e.id, e);
            }
        }
        Ok(found)
    }

    /// The publication days of an event's reports that `event_match` can use for a
    /// mention with this window (see `link::TimeWindow`): none for a dated event (only an
    /// undated one's are read); for an undated one, its first day (so that some day is
    /// known) and the days in the window, from `event_mentions` and this article (published
    /// on `today`).
    fn reported_days(
        &self,
        plan: &Plan,
        look: &mut Lookups,
        e: &StoredEvent,
        window: TimeWindow,
        today: Option<NaiveDate>,
    ) -> Result<Vec<String>> {
        let (None, Some(first)) = (&e.date, &e.first_published) else {
            return Ok(Vec::new());
        };
        let mut out = BTreeSet::from([first.clone()]);
        if let TimeWindow::Within {
            published: (p0, p1),
            ..
        } = window
        {
            let stored = match look.days.get(&(e.id, window)) {
                Some(days) => days.clone(),
                None => {
                    let days = self.days_in_window(e, p0, p1)?;
                    look.days.insert((e.id, window), days.clone());
                    days
                }
            };
            out.extend(stored);
            if plan.event_days.contains(&e.id) {
                out.extend(today.filter(|d| (p0..=p1).contains(d)).map(day_text));
            }
        }
        Ok(out.into_iter().collect())
    }

    /// The publication days of an event's stored reports from `p0` to `p1` that decide
    /// `event_match`: the first, and the nearest on each side of the middle of the window.
    /// For a dated mention the first is the nearest to its date; for an undated one the
    /// middle is its publication day. The others cannot change the decision, so a
    /// recurring event's reports are not all read. The creating article's day is not in
    /// `event_mentions` (its reports are in `event_first_reports`); when known it is the
    /// event's `first_published`, which joins the days read before the three are chosen.
    fn days_in_window(&self, e: &StoredEvent, p0: NaiveDate, p1: NaiveDate) -> Result<Vec<String>> {
        let tree = self.src(EVENT_MENTIONS);
        let id = e.id.to_be_bytes();
        let at = |d: u32| key(&[&id, &d.to_be_bytes()]);
        let (lo, hi) = (day_number(p0).max(NO_DAY + 1), day_number(p1));
        if lo > hi {
            return Ok(Vec::new());
        }
        let mid = lo + (hi - lo) / 2;
        let end = hi.saturating_add(1);
        let mut days = BTreeSet::new();
        for item in [
            tree.range(at(lo)..at(end)).next(),
            tree.range(at(lo)..at(mid.saturating_add(1))).next_back(),
            tree.range(at(mid)..at(end)).next(),
        ]
        .into_iter()
        .flatten()
        {
            days.insert(read_u32(EVENT_MENTIONS, &item?.0, 8)?);
        }
        let first = e
            .first_published
            .as_deref()
            .and_then(publication_day)
            .map(day_number)
            .filter(|d| (lo..=hi).contains(d));
        if let Some(c) = first {
            days.insert(c);
            // Of the union, only the days that decide (as the three reads choose them).
            let chosen = [
                days.first().copied(),
                days.range(..=mid).next_back().copied(),
                days.range(mid..).next().copied(),
            ];
            days = chosen.into_iter().flatten().collect();
        }
        Ok(days.into_iter().filter_map(day_of).map(day_text).collect())
    }

    /// The publication days (day numbers, see [`day_number`]) that [`slot_entries`]
    /// needs to find the linking-index entries of an event before (`old`, as stored) and
    /// after (`e`) this article, which reported it on `today` if that is `Some`. Only an
    /// undated event's entries depend on its days; when its date and anchors stay the
    /// same, only whether some day was known and whether `today` is new matter, so the
    /// days are not all read.
    fn slot_days(
        &self,
        e: &StoredEvent,
        old: Option<&StoredEvent>,
        today: Option<u32>,
    ) -> Result<(BTreeSet<u32>, BTreeSet<u32>)> {
        let Some(old) = old else {
            return Ok((BTreeSet::new(), today.into_iter().collect()));
        };
        if e.date.is_some() && old.date.is_some() {
            return Ok((BTreeSet::new(), BTreeSet::new()));
        }
        let id = e.id.to_be_bytes();
        let mut old_days = BTreeSet::new();
        if old.date == e.date && anchors(old) == anchors(e) {
            if let Some(first) = &old.first_published {
                old_days.extend(publication_day(first).map(day_number));
            }
            if let Some(t) = today {
                let prefix = key(&[&id, &t.to_be_bytes()]);
                if self
                    .src(EVENT_MENTIONS)
                    .scan_prefix(prefix)
                    .next()
                    .transpose()?
                    .is_some()
                {
                    old_days.insert(t);
                }
            }
        } else {
            for item in self.src(EVENT_MENTIONS).scan_prefix(id) {
                let (k, _) = item?;
                old_days.insert(read_u32(EVENT_MENTIONS, &k, 8)?);
            }
            // The creating article's day, whose reports are not in `event_mentions`.
            if let Some(first) = &old.first_published {
                old_days.extend(publication_day(first).map(day_number));
            }
            old_days.remove(&NO_DAY);
        }
        let mut new_days = old_days.clone();
        new_days.extend(today);
        Ok((old_days, new_days))
    }

    /// The events a fresh mention could be, found through the indexes: one merges only
    /// with an event that shares a place or an actor, or gives the same full date, and
    /// lies in the mention's time window (see `link::event_match` and
    /// `link::TimeWindow`), so only those are read: `event_slots` lists the events of
    /// each place or actor by CAMEO root and by time. Events of this article so far count
    /// too. Only the given CAMEO roots are kept.
    fn event_candidates(
        &self,
        plan: &Plan,
        look: &mut Lookups,
        fresh: &StoredEvent,
        roots: &[String],
        window: TimeWindow,
    ) -> Result<Vec<StoredEvent>> {
        let root_keys: Vec<[u8; 2]> = roots.iter().map(|r| root_key(r)).collect();
        let mut ids = BTreeSet::new();
        // A mention with a place only matches events without one or with one of its
        // own (see `link::event_match`), and the latter are listed under that place
        // outside the `SLOT_ELSEWHERE` classes: those need reading only for a mention
        // with no place.
        let elsewhere = fresh.places.is_empty();
        for anchor in anchors(fresh) {
            let found = match look.slots.entry((anchor, window, elsewhere)) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => {
                    let (found, days) = self.slot_scan(anchor, window, elsewhere)?;
                    // Every place and actor of an undated event has an entry for each
                    // of its publication days: these are all its days in the window.
                    for (id, days) in days {
                        look.days.entry((id, window)).or_insert_with(|| {
                            days.into_iter().filter_map(day_of).map(day_text).collect()
                        });
                    }
                    e.insert(found)
                }
            };
            ids.extend(
                found
                    .iter()
                    .filter(|(root, kind, _)| {
                        root_keys.contains(root) && kind_may_match(*kind, fresh)
                    })
                    .map(|(_, _, id)| *id),
            );
        }
        if let Some(d) = fresh.date.as_ref().filter(|d| d.len() == 10) {
            if elsewhere {
                let list = text_list(d);
                for (_, found) in self
                    .store
                    .dated_ids(self.src(EVENTS_BY_DATE).scan_prefix(&list))?
                {
                    ids.extend(found);
                }
            } else if let Some((day, _)) = date_range(d) {
                // With a place, an event of the same day that shares neither a place nor
                // an actor (found above) matches only when it has no place.
                let day = day_number(day);
                let list = slot_list(PLACELESS, 0);
                let slots = self.src(EVENT_SLOTS);
                for (_, (root, kind, id, _)) in
                    daylists::scan::<SlotItem>(&slots, EVENT_SLOTS, &list, day, day)?
                {
                    if root_keys.contains(&root) && kind_may_match(kind, fresh) {
                        ids.insert(EventId(id));
                    }
                }
            }
        }
        // This article's events that share a place or an actor, or the full date.
        for anchor in anchors(fresh) {
            ids.extend(plan.events_by_anchor.get(&anchor).into_iter().flatten());
        }
        if let Some(d) = fresh.date.as_ref().filter(|d| d.len() == 10) {
            ids.extend(plan.events_by_day.get(d).into_iter().flatten());
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let record = match plan.events.get(&id) {
                Some(e) => Some(e.clone()),
                None => match look.events.get(&id) {
                    Some(e) => e.clone(),
                    None => {
                        let e = self.cached_event(id)?;
                        look.events.insert(id, e.clone());
                        e
                    }
                },
            };
            if let Some(e) = record.filter(|e| roots.iter().any(|r| r == cameo_root(&e.cameo))) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// The `event_slots` entries of one place or actor that lie in a time window (see
    /// `link::TimeWindow`), as (CAMEO root key, event id), every root; and the
    /// publication days in the window of the undated events among them. The events that
    /// have places, none of them this one, only when `elsewhere`.
    #[allow(clippy::type_complexity)]
    fn slot_scan(
        &self,
        anchor: EntityId,
        window: TimeWindow,
        elsewhere: bool,
    ) -> Result<(Vec<SlotEntry>, BTreeMap<EventId, BTreeSet<u32>>)> {
        let (mut out, mut days) = self.slot_scan_lists(anchor, window, 0)?;
        if elsewhere {
            let (more, more_days) = self.slot_scan_lists(anchor, window, SLOT_ELSEWHERE)?;
            out.extend(more);
            for (id, d) in more_days {
                days.entry(id).or_default().extend(d);
            }
        }
        Ok((out, days))
    }

    /// [`Store::slot_scan`] over the lists of one group of classes: the plain ones
    /// (`offset` 0) or the `SLOT_ELSEWHERE` ones.
    #[allow(clippy::type_complexity)]
    fn slot_scan_lists(
        &self,
        anchor: EntityId,
        window: TimeWindow,
        offset: u8,
    ) -> Result<(Vec<SlotEntry>, BTreeMap<EventId, BTreeSet<u32>>)> {
        let slots = self.src(EVENT_SLOTS);
        let mut out = Vec::new();
        let mut days: BTreeMap<EventId, BTreeSet<u32>> = BTreeMap::new();
        let list = |class: u8| slot_list(anchor, class + offset);
        let TimeWindow::Within { dated, published } = window else {
            for item in slots.scan_prefix(anchor.to_be_bytes()) {
                let (k, v) = item?;
                let class = k.get(SLOT_LIST_LEN - 1).copied().unwrap_or(0);
                if class & SLOT_ELSEWHERE != offset {
                    continue;
                }
                let entries = daylists::entries::<SlotItem>(EVENT_SLOTS, &v)?;
                out.extend(
                    entries
                        .into_iter()
                        .map(|(_, (root, kind, id, _))| (root, kind, EventId(id))),
                );
            }
            return Ok((out, days));
        };
        let (lo, hi) = (day_number(dated.0), day_number(dated.1));
        for (class, span) in SLOT_SPANS.iter().enumerate() {
            let from = lo.saturating_sub(*span);
            let entries: Vec<(u32, SlotItem)> =
                daylists::scan(&slots, EVENT_SLOTS, &list(class as u8), from, hi)?;
            // A dated entry's day is the first of its date, and it holds the last.
            out.extend(
                entries
                    .into_iter()
                    .filter(|(_, (_, _, _, last))| *last >= lo)
                    .map(|(_, (root, kind, id, _))| (root, kind, EventId(id))),
            );
        }
        let (p0, p1) = (day_number(published.0), day_number(published.1));
        let entries: Vec<(u32, SlotItem)> =
            daylists::scan(&slots, EVENT_SLOTS, &list(SLOT_PUBLISHED), p0, p1)?;
        for (day, (root, kind, id, _)) in entries {
            out.push((root, kind, EventId(id)));
            days.entry(EventId(id)).or_default().insert(day);
        }
        let entries: Vec<(u32, SlotItem)> =
            daylists::read_all(&slots, EVENT_SLOTS, &list(SLOT_ANY))?;
        out.extend(
            entries
                .into_iter()
                .map(|(_, (root, kind, id, _))| (root, kind, EventId(id))),
        );
        Ok((out, days))
    }
}

/// An `event_slots` entry as linking reads it: the CAMEO root key, the event's
/// [`slot_kind`] and the event.
type SlotEntry = ([u8; 2], u8, EventId);

/// What one article's linking has read from the trees, kept for its later mentions (the
/// trees do not change until its commit; what it changes itself is in [`Plan`]).
#[derive(Default)]
struct Lookups {
    /// `event_slots` entries per place or actor and time window.
    slots: HashMap<(EntityId, TimeWindow, bool), Vec<SlotEntry>>,
    /// Stored events as stored.
    events: HashMap<EventId, Option<StoredEvent>>,
    /// The publication days of a stored event's reports in a window: all of them when
    /// an `event_slots` scan saw them, else the deciding ones (`days_in_window`).
    days: HashMap<(EventId, TimeWindow), Vec<String>>,
}

/// Pending writes of one article, also consulted by later steps of the same article.
#[derive(Default)]
struct Plan {
    entities: BTreeMap<EntityId, EntityRecord>,
    /// The entities created or changed (a new form, the author flag): only these are
    /// written.
    changed_entities: BTreeSet<EntityId>,
    /// The alias lists that gain an entity.
    aliases: BTreeMap<String, Vec<EntityId>>,
    /// Each entity's mentions in this article, with the merges that brought them.
    mentions: BTreeMap<EntityId, EntityInDoc>,
    quotes: Vec<QuoteRecord>,
    events: BTreeMap<EventId, StoredEvent>,
    /// Stored events as they were before this article changed them (for index upkeep).
    old_events: BTreeMap<EventId, StoredEvent>,
    /// Event reports: event, index of the mention in the article, the report.
    event_mentions: Vec<(EventId, u32, EventMentionRecord)>,
    /// The events this article reports, when its publication day is known (their
    /// publication days gain that day).
    event_days: BTreeSet<EventId>,
    /// `events` by place or actor and by full date: the only ones a new mention can merge
    /// with (see `link::event_match`), so that an article of thousands of events does
    /// not compare each with all the others.
    events_by_anchor: HashMap<EntityId, BTreeSet<EventId>>,
    events_by_day: HashMap<String, BTreeSet<EventId>>,
    relations: Vec<(u64, RelationRecord)>,
}

impl Plan {
    /// Puts an event (new or changed) in `events` and its indexes. An event only gains
    /// places, actors and precision of date, so earlier index entries stay true.
    fn put_event(&mut self, e: StoredEvent) {
        for a in anchors(&e) {
            self.events_by_anchor.entry(a).or_default().insert(e.id);
        }
        if let Some(d) = e.date.as_ref().filter(|d| d.len() == 10) {
            self.events_by_day
                .entry(d.clone())
                .or_default()
                .insert(e.id);
        }
        self.events.insert(e.id, e);
    }
}

/// The list key of a text in a chunked list tree: the text and a zero byte (never
/// inside a word or a date), so that no list key is a prefix of another.
fn text_list(text: &str) -> Vec<u8> {
    key(&[text.as_bytes(), &[0]])
}

/// The text a [`text_list`] list key was made from.
fn date_of_list(list: &[u8]) -> String {
    String::from_utf8_lossy(list.strip_suffix(&[0]).unwrap_or(list)).into_owned()
}

/// The sorted, distinct stems of an event's label and a trigger's words.
fn event_stems(label: &str, trigger: &str) -> Vec<String> {
    let mut out: Vec<String> = words(label)
        .iter()
        .chain(&words(trigger))
        .map(|w| stem(w))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The day number under which `event_mentions` keeps the reports of articles with no
/// known publication day.
const NO_DAY: u32 = 0;

/// Reads one `mentions` chunk (entity · chunk number → docs and spans) as mention records.
fn push_mentions(out: &mut Vec<MentionRecord>, k: &[u8], v: &[u8]) -> Result<()> {
    let entity = EntityId(be_u64(MENTIONS, k, 0)?);
    for (doc, m) in chunked::entries::<(u64, EntityInDoc)>(MENTIONS, v)? {
        out.extend(m.spans.into_iter().map(|span| MentionRecord {
            entity,
            prov: Provenance::new(DocId(doc), span),
        }));
    }
    Ok(())
}

/// `event_slots` classes: a dated event by how many days its date covers (a day, up to a
/// week, up to a month, up to a year), keyed by its first day; an undated event by each
/// publication day of its reports; and an event that may match at any time (its date
/// cannot be read, or it is undated with no known publication day).
const SLOT_PUBLISHED: u8 = 4;
const SLOT_ANY: u8 = 5;

/// Added to the class of an event's entries under an anchor that is not one of its
/// places when it has places: a mention that has a place never matches such an event
/// through that anchor (it must share a place, and is listed under it).
const SLOT_ELSEWHERE: u8 = 0x10;

/// The pseudo-anchor (no entity has id 0) whose class-0 list holds the events without a
/// place that are dated to one day, under that day: the only events of a day that a
/// mention with a place can match without sharing a place or an actor.
const PLACELESS: EntityId = EntityId(0);

/// For the dated classes (0 to 3): the most days after its first that a date of the
/// class covers, so a scan for dates meeting a window starts that far before it.
const SLOT_SPANS: [u32; 4] = [0, 6, 30, 365];

/// Day numbers in keys: days from the common era, shifted so that years from about
/// -2800 on are positive (only four-digit years are read).
const DAY_OFFSET: i64 = 1 << 20;

fn day_number(d: NaiveDate) -> u32 {
    (i64::from(d.num_days_from_ce()) + DAY_OFFSET).clamp(0, i64::from(u32::MAX)) as u32
}

fn day_of(n: u32) -> Option<NaiveDate> {
    i32::try_from(i64::from(n) - DAY_OFFSET)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

fn day_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Reads a big-endian u32 at `at`.
fn read_u32(tree: &'static str, bytes: &[u8], at: usize) -> Result<u32> {
    bytes
        .get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
        .ok_or_else(|| StoreError::Corrupt {
            tree,
            reason: format!("{} bytes hold no u32 at {at}", bytes.len()),
        })
}

/// The two key bytes of a CAMEO root; a root that is not two bytes long (never seen)
/// shares one bucket, and candidates are checked against their root anyway.
fn root_key(root: &str) -> [u8; 2] {
    match root.as_bytes() {
        [a, b] => [*a, *b],
        _ => [0xff, 0xff],
    }
}

/// The places and actors of an event: the entities it can be found by.
fn anchors(e: &StoredEvent) -> BTreeSet<EntityId> {
    e.places
        .iter()
        .copied()
        .chain(e.actors.iter().map(|a| a.entity))
        .collect()
}

/// An `event_slots` entry (see [`daylists`]): CAMEO root key, [`slot_kind`] (modality,
/// aggregate), event id, and for a dated event the last day of its date (0 for the other
/// classes).
type SlotItem = ([u8; 2], u8, u64, u32);

/// How long an `event_slots` list key is: anchor (u64 BE) · class.
const SLOT_LIST_LEN: usize = 9;

/// The `event_slots` list of one place or actor and class.
fn slot_list(anchor: EntityId, class: u8) -> Vec<u8> {
    key(&[&anchor.to_be_bytes(), &[class]])
}

/// The linking index entries (`event_slots`) of an event, as (list, day, entry): per
/// place or actor and class, a day list holds (CAMEO root, event id, last day of a dated
/// event's date) under the event's day (see [`SLOT_SPANS`]). `days` are the publication
/// days (day numbers) of an undated event's reports; a dated one's are not used.
fn slot_entries(e: &StoredEvent, days: &BTreeSet<u32>) -> BTreeSet<(Vec<u8>, u32, SlotItem)> {
    let slots = slot_days_of(e, days);
    let mut out = BTreeSet::new();
    for a in anchors(e) {
        slot_entries_of(e, a, &slots, &mut out);
    }
    if e.places.is_empty() {
        placeless_entries_of(e, &slots, &mut out);
    }
    out
}

/// One `event_slots` entry, as [`slot_entries`] lists them.
type SlotWrite = (Vec<u8>, u32, SlotItem);

/// The (class, day, last day) slots of an event (see [`slot_entries`]).
fn slot_days_of(e: &StoredEvent, days: &BTreeSet<u32>) -> Vec<(u8, u32, u32)> {
    let mut slots: Vec<(u8, u32, u32)> = Vec::new();
    match e.date.as_deref().map(date_range) {
        Some(Some((first, last))) => {
            let (d0, d1) = (day_number(first), day_number(last));
            match SLOT_SPANS.iter().position(|s| d1.saturating_sub(d0) <= *s) {
                Some(class) => slots.push((class as u8, d0, d1)),
                None => slots.push((SLOT_ANY, 0, 0)),
            }
        }
        Some(None) => slots.push((SLOT_ANY, 0, 0)),
        None if days.is_empty() => slots.push((SLOT_ANY, 0, 0)),
        None => slots.extend(days.iter().map(|d| (SLOT_PUBLISHED, *d, 0))),
    }
    slots
}

/// Which class group an event lists one of its anchors under: 0 for its places (or any
/// anchor of a placeless event), [`SLOT_ELSEWHERE`] for its actors.
fn slot_offset(e: &StoredEvent, anchor: EntityId) -> u8 {
    if e.places.is_empty() || e.places.contains(&anchor) {
        0
    } else {
        SLOT_ELSEWHERE
    }
}

/// The entries of one anchor of an event for the given slots.
fn slot_entries_of(
    e: &StoredEvent,
    anchor: EntityId,
    slots: &[(u8, u32, u32)],
    out: &mut BTreeSet<SlotWrite>,
) {
    let (root, kind) = (root_key(cameo_root(&e.cameo)), slot_kind(e));
    let offset = slot_offset(e, anchor);
    for (class, day, last) in slots {
        out.insert((
            slot_list(anchor, class + offset),
            *day,
            (root, kind, e.id.0, *last),
        ));
    }
}

/// The `PLACELESS` entries of a placeless event for the given slots.
fn placeless_entries_of(e: &StoredEvent, slots: &[(u8, u32, u32)], out: &mut BTreeSet<SlotWrite>) {
    let (root, kind) = (root_key(cameo_root(&e.cameo)), slot_kind(e));
    for (class, day, last) in slots.iter().filter(|s| s.0 == 0) {
        out.insert((
            slot_list(PLACELESS, *class),
            *day,
            (root, kind, e.id.0, *last),
        ));
    }
}

/// The `event_slots` entries to remove and to add when an event goes from `old` (as
/// stored, with the publication days `old_days`; `None` for a new event) to `e` (with
/// `new_days`, which hold `old_days`): the differences of their [`slot_entries`], in the
/// same order. When the event keeps its date, code root and kind, an anchor it keeps
/// under the same classes only gains the entries of the new days, so the entries of the
/// days it already had are not listed again (a recurring event reported on many days
/// and gaining an actor would list them all twice).
fn slot_changes(
    old: Option<&StoredEvent>,
    old_days: &BTreeSet<u32>,
    e: &StoredEvent,
    new_days: &BTreeSet<u32>,
) -> (BTreeSet<SlotWrite>, BTreeSet<SlotWrite>) {
    let same_shape = old.filter(|o| {
        o.date == e.date
            && cameo_root(&o.cameo) == cameo_root(&e.cameo)
            && slot_kind(o) == slot_kind(e)
            // An undated event with no known day has the one `SLOT_ANY` entry instead.
            && (e.date.is_some() || !old_days.is_empty())
            && old_days.is_subset(new_days)
    });
    let Some(old) = same_shape else {
        let before = old.map(|o| slot_entries(o, old_days)).unwrap_or_default();
        let after = slot_entries(e, new_days);
        let removed = before.difference(&after).cloned().collect();
        let added = after.difference(&before).cloned().collect();
        return (removed, added);
    };
    let (old_slots, new_slots) = (slot_days_of(old, old_days), slot_days_of(e, new_days));
    let gained: Vec<(u8, u32, u32)> = new_slots
        .iter()
        .filter(|s| !old_slots.contains(s))
        .copied()
        .collect();
    let (mut removed, mut added) = (BTreeSet::new(), BTreeSet::new());
    let (old_anchors, new_anchors) = (anchors(old), anchors(e));
    for &a in old_anchors.union(&new_anchors) {
        let kept = old_anchors.contains(&a)
            && new_anchors.contains(&a)
            && slot_offset(old, a) == slot_offset(e, a);
        if kept {
            slot_entries_of(e, a, &gained, &mut added);
            continue;
        }
        if old_anchors.contains(&a) {
            slot_entries_of(old, a, &old_slots, &mut removed);
        }
        if new_anchors.contains(&a) {
            slot_entries_of(e, a, &new_slots, &mut added);
        }
    }
    match (old.places.is_empty(), e.places.is_empty()) {
        (true, true) => placeless_entries_of(e, &gained, &mut added),
        (true, false) => placeless_entries_of(old, &old_slots, &mut removed),
        (false, true) => placeless_entries_of(e, &new_slots, &mut added),
        (false, false) => {}
    }
    // An entry listed on both sides (not possible above, but cheap to rule out) is no
    // change.
    let both: BTreeSet<SlotWrite> = removed.intersection(&added).cloned().collect();
    removed.retain(|w| !both.contains(w));
    added.retain(|w| !both.contains(w));
    (removed, added)
}

/// An event's reports in the order they were added: by document, then by index in the
/// article (the list keys put the day first).
fn in_report_order(mut reports: Vec<Report>) -> Vec<EventMentionRecord> {
    reports.sort_by_key(|r| (r.0, r.1));
    reports.into_iter().map(|(_, _, r)| r).collect()
}

/// An `event_mentions` list entry: doc id, index of the mention in the article, report.
type Report = (u64, u32, EventMentionRecord);

/// An event as read: its stored part and its reports, in the order they were added.
fn event_record(e: StoredEvent, reports: Vec<EventMentionRecord>) -> EventRecord {
    let evidence = reports
        .iter()
        .filter_map(|r| {
            r.why
                .as_ref()
                .map(|why| format!("{}: {why}", r.mention.prov.doc))
        })
        .collect();
    EventRecord {
        id: e.id,
        cameo: e.cameo,
        label: e.label,
        date: e.date,
        places: e.places,
        actors: e.actors,
        modality: e.modality,
        count: e.count,
        killed: e.killed,
        injured: e.injured,
        mentions: reports.into_iter().map(|r| r.mention).collect(),
        evidence,
    }
}

/// One article's writes, in order, before they go into the batch's overlay: (tree
/// index, key, value or `None` to remove).
/// Removals of stale index entries come before the inserts that replace them.
#[derive(Default)]
struct Ops(Vec<(usize, Vec<u8>, Option<Vec<u8>>)>);

impl Ops {
    fn put(&mut self, tree: &str, k: Vec<u8>, v: Vec<u8>) {
        self.0.push((tree_index(tree), k, Some(v)));
    }

    /// The writes of a chunked list tree's [`Edits`].
    fn chunks(&mut self, tree: &str, ops: Vec<(Vec<u8>, Option<Vec<u8>>)>) {
        let t = tree_index(tree);
        self.0.extend(ops.into_iter().map(|(k, v)| (t, k, v)));
    }
}

fn scan_values<T: serde::de::DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
) -> Result<Vec<T>> {
    // No capacity from `tree.len()`: sled counts a tree by reading all of it.
    let mut out = Vec::new();
    for item in tree.range::<&[u8], _>(..) {
        let (_, v) = item?;
        out.push(decode(name, &v)?);
    }
    Ok(out)
}

/// The SHA-256 of a text's bytes, which `doc_hash` keys documents by.
fn text_hash(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// The id of the document in `doc_hash` whose text has this [`text_hash`], if any.
fn duplicate_in(doc_hash: &impl Source, hash: &[u8; 32]) -> Result<Option<DocId>> {
    Ok(match doc_hash.get(hash)? {
        Some(v) => Some(DocId(be_u64(DOC_HASH, &v, 0)?)),
        None => None,
    })
}

/// The entities listed under an alias key.
fn alias_list(tree: &impl Source, key: &str) -> Result<Vec<EntityId>> {
    Ok(match tree.get(key.as_bytes())? {
        Some(v) => decode(ALIASES, &v)?,
        None => Vec::new(),
    })
}

fn get_value<T: serde::de::DeserializeOwned>(
    tree: &impl Source,
    name: &'static str,
    k: &[u8],
) -> Result<Option<T>> {
    match tree.get(k)? {
        Some(v) => Ok(Some(decode(name, &v)?)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(
        date: Option<&str>,
        cameo: &str,
        modality: Modality,
        places: &[u64],
        actors: &[u64],
    ) -> StoredEvent {
        let actors: Vec<(annals_model::Role, u64)> = actors
            .iter()
            .map(|&a| (annals_model::Role::Source, a))
            .collect();
        StoredEvent {
            id: EventId(7),
            modality,
            ..crate::link::tests::event(cameo, date, places, &actors)
        }
    }

    proptest::proptest! {
        /// The changes listed for an event are the differences of its entries before and
        /// after, whatever changed (date, code, modality, places, actors, days).
        #[test]
        fn slot_changes_are_the_differences_of_the_entries(
            dates in proptest::sample::subsequence(
                vec![None, Some("2024-03-10"), Some("2024-03"), Some("2024-03-12")], 2),
            cameos in proptest::sample::subsequence(vec!["190", "195", "111"], 2),
            future in proptest::prelude::any::<(bool, bool)>(),
            places in proptest::collection::vec(
                proptest::collection::btree_set(1u64..5, 0..3), 2),
            actors in proptest::collection::vec(
                proptest::collection::btree_set(3u64..8, 0..3), 2),
            old_days in proptest::collection::btree_set(19_000u32..19_010, 0..4),
            today in proptest::option::of(19_000u32..19_012),
            new_event in proptest::prelude::any::<bool>(),
            same_date in proptest::prelude::any::<bool>(),
        ) {
            let modality = |f: bool| if f { Modality::Future } else { Modality::Asserted };
            let (d0, d1) = (dates[0], if same_date { dates[0] } else { dates[1] });
            let old = event(d0, cameos[0], modality(future.0),
                &places[0].iter().copied().collect::<Vec<_>>(),
                &actors[0].iter().copied().collect::<Vec<_>>());
            let mut e = event(d1, cameos[1], modality(future.1),
                &places[1].iter().copied().collect::<Vec<_>>(),
                &actors[1].iter().copied().collect::<Vec<_>>());
            if same_date {
                e.cameo = old.cameo.clone();
            }
            let old = (!new_event).then_some(old);
            let old_days = if old.is_some() { old_days } else { BTreeSet::new() };
            let mut new_days = old_days.clone();
            new_days.extend(today);
            let before = old.as_ref().map(|o| slot_entries(o, &old_days)).unwrap_or_default();
            let after = slot_entries(&e, &new_days);
            let expected: (BTreeSet<SlotWrite>, BTreeSet<SlotWrite>) = (
                before.difference(&after).cloned().collect(),
                after.difference(&before).cloned().collect(),
            );
            proptest::prop_assert_eq!(
                slot_changes(old.as_ref(), &old_days, &e, &new_days),
                expected
            );
        }
    }
}
