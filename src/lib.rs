//! Annals: turn news articles into an event knowledge graph, offline.
//!
//! This crate is the facade other tools embed, and the `annals` command-line program is
//! a thin layer over it. [`Annals`] is the handle: open a store, ingest files, folders,
//! readers or strings, ask questions, export. The pieces it joins live in their own
//! crates and are re-exported: [`model`] (shared types), [`ingest`] (extraction),
//! [`graph`] (the sled store, linking, petgraph view, exporters), [`query`] (questions).
//!
//! ```
//! use annals::Annals;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let annals = Annals::open(dir.path().join("db")).unwrap();
//! annals
//!     .ingest_text(
//!         "memo.txt",
//!         "Mayor Anne Hidalgo said on Monday: \"The river is clean enough to swim in.\"",
//!         Some("2024-07-17"),
//!     )
//!     .unwrap();
//! let answer = annals.ask("who said the river is clean").unwrap();
//! assert_eq!(answer.items[0].entity.as_ref().unwrap().name, "Anne Hidalgo");
//! assert_eq!(answer.items[0].evidence[0].text, "The river is clean enough to swim in.");
//!
//! // The same question, typed: no English to parse.
//! use annals::query::{AskOptions, Question};
//! let typed = annals
//!     .answer(&Question::WhoSaid("river is clean".into()), &AskOptions::default())
//!     .unwrap();
//! assert_eq!(typed.items, answer.items);
//!
//! // Typed reads of the store: entities by name, their quotes.
//! let hidalgo = &annals::query::lookup(annals.store(), "anne hidalgo").unwrap()[0];
//! assert_eq!(annals.store().quotes_by(hidalgo.id).unwrap().len(), 1);
//! ```

#![warn(missing_docs)]

mod bench;
mod error;
mod input;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use annals_graph as graph;
pub use annals_ingest as ingest;
pub use annals_model as model;
pub use annals_query as query;

pub use bench::{
    extraction_pass, peak_memory, reference_pass, ExtractionReport, IngestTimes, ReferenceReport,
};
pub use error::{Error, Result};
pub use input::{collect_inputs, Input};

use annals_graph::export::{self, Selection};
pub use annals_graph::export::{DatePrefix, NodeKind};
use annals_graph::{AddOutcome, Counts, GraphView, NodeRef, Store};
use annals_ingest::formats::{self, DEFAULT_MAX_ARTICLE_BYTES};
use annals_ingest::StageTimes;
use annals_model::{DocId, Document, DocumentMeta, ExtractedArticle, Extraction, EXTRACTED_SCHEMA};
use annals_query::Answer;
use rayon::prelude::*;

/// Adds what [`Store::add`] did with a document to a report.
/// How many articles ingest extracts and stores at a time by default, and `load`
/// stores in one transaction.
const DEFAULT_BATCH: usize = 64;

fn record_outcome(doc: &Document, outcome: AddOutcome, report: &mut IngestReport) {
    let source = doc.meta().source.clone();
    match outcome {
        AddOutcome::Added {
            doc: id,
            linked_entities,
            merged_events,
            ..
        } => {
            report.linked_entities += linked_entities;
            report.merged_events += merged_events;
            report.stored.push((source, id.to_string()));
        }
        AddOutcome::Duplicate { doc: id } => report.duplicates.push((source, id.to_string())),
    }
}

/// What [`read_batches`] does with each batch of documents.
type BatchFn<'a> = dyn FnMut(Vec<Document>, &mut IngestReport, Progress) -> Result<()> + 'a;

/// Reads the inputs under `paths` in batches of documents, in a deterministic order,
/// handing each batch to `f`; unreadable inputs and metadata warnings go to the report.
pub(crate) fn read_batches(
    paths: &[PathBuf],
    opts: &IngestOptions,
    f: &mut BatchFn<'_>,
) -> Result<IngestReport> {
    let mut report = IngestReport::default();
    let (inputs, walk_skips) = collect_inputs(paths);
    report.skipped.extend(walk_skips);
    let total = inputs.len();
    let batch = opts.batch.max(1);
    // Batches are of articles, not files: a JSON Lines file of a million records is
    // read, extracted and stored a batch at a time like a folder of a million files.
    let mut docs: Vec<Document> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        if let Some(e) = &input.manifest_error {
            if !report.warnings.contains(e) {
                report.warnings.push(e.clone());
            }
        }
        for (source, item) in input.items(opts.max_article_bytes) {
            if docs.len() >= batch {
                f(
                    std::mem::take(&mut docs),
                    &mut report,
                    Progress { done: i, total },
                )?;
            }
            match item {
                Ok(read) => {
                    report
                        .warnings
                        .extend(read.warnings.into_iter().map(|w| format!("{source}: {w}")));
                    let mut doc = read.document;
                    if doc.meta().published.is_none() {
                        doc.meta_mut().published = opts.published.clone();
                    }
                    docs.push(doc);
                }
                Err(e) => report.skipped.push(Skipped {
                    source,
                    reason: e.to_string(),
                }),
            }
        }
        if docs.len() >= batch || i + 1 == total {
            let done = i + 1;
            f(
                std::mem::take(&mut docs),
                &mut report,
                Progress { done, total },
            )?;
        }
    }
    Ok(report)
}

/// Extracts every article under `paths` without a store and writes one
/// [`ExtractedArticle`] JSON object per line to `out`, in input order: the map step of a
/// distributed job. [`Annals::load`] turns such files into the same graph as a direct
/// ingest. The report's `stored` lists the articles written.
pub fn extract_paths(
    paths: &[PathBuf],
    opts: &IngestOptions,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestReport> {
    read_batches(paths, opts, &mut |docs, report, p| {
        let records: Vec<(String, String)> = docs
            .into_par_iter()
            .map(|doc| {
                let extraction = annals_ingest::extract(&doc);
                let (meta, text) = doc.into_parts();
                let source = meta.source.clone();
                let record = ExtractedArticle {
                    schema: EXTRACTED_SCHEMA.to_string(),
                    meta,
                    text,
                    extraction,
                };
                let line = serde_json::to_string(&record).expect("extraction records serialise");
                (source, line)
            })
            .collect();
        for (source, r) in records {
            writeln!(out, "{r}").map_err(|e| Error::Io {
                path: PathBuf::from("<output>"),
                source: e,
            })?;
            report.stored.push((source, String::new()));
        }
        progress(p);
        Ok(())
    })
}

/// Single-file graph formats [`Annals::export`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ViewFormat {
    /// GraphViz DOT.
    Dot,
    /// GraphML (Gephi, yEd, NetworkX).
    GraphMl,
    /// RDF N-Triples with provenance.
    NTriples,
    /// RDF Turtle: the N-Triples statements with prefixes.
    Turtle,
}

/// Which part of the graph an export writes; the default is all of it. The filters and
/// the order they apply in are described at [`Selection`]; [`Annals::selection`] turns
/// these options into one.
///
/// ```
/// use annals::{ExportOptions, NodeKind};
///
/// // The people and events of January 2024, within two edges of Baghdad.
/// let opts = ExportOptions {
///     around: Some("Baghdad".into()),
///     kinds: Some(vec![NodeKind::Person, NodeKind::Event]),
///     since: Some("2024-01".parse().unwrap()),
///     until: Some("2024-01".parse().unwrap()),
///     ..ExportOptions::default()
/// };
/// assert_eq!(opts.depth, 2);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// Only the neighbourhood of the entities with this name.
    pub around: Option<String>,
    /// How many edges to follow from `around` (2 by default).
    pub depth: usize,
    /// Leave quotations out.
    pub no_quotes: bool,
    /// Only nodes of these kinds; every kind when `None`.
    pub kinds: Option<Vec<NodeKind>>,
    /// Only what is dated wholly on or after the first day of this date.
    pub since: Option<DatePrefix>,
    /// Only what is dated wholly on or before the last day of this date.
    pub until: Option<DatePrefix>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            around: None,
            depth: 2,
            no_quotes: false,
            kinds: None,
            since: None,
            until: None,
        }
    }
}

/// The default store folder, relative to the working directory.
pub const DEFAULT_DB: &str = "annals.db";

/// How to ingest.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// Publication date (ISO) for articles whose metadata and text give none.
    pub published: Option<String>,
    /// Articles longer than this many bytes are skipped.
    pub max_article_bytes: usize,
    /// Articles extracted in parallel before they are stored, one batch at a time.
    pub batch: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            published: None,
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            batch: DEFAULT_BATCH,
        }
    }
}

/// An input that was not stored, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// The file or record.
    pub source: String,
    /// Why, in words.
    pub reason: String,
}

/// What an ingest run did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct IngestReport {
    /// Articles stored, with their ids.
    pub stored: Vec<(String, String)>,
    /// Articles already in the store (same bytes), with the id they have.
    pub duplicates: Vec<(String, String)>,
    /// Inputs that could not be read, with the reason.
    pub skipped: Vec<Skipped>,
    /// Warnings about metadata that was dropped.
    pub warnings: Vec<String>,
    /// Entity clusters that were linked to entities already stored.
    pub linked_entities: usize,
    /// Event mentions merged into events already stored.
    pub merged_events: usize,
    /// What the store holds after the run.
    pub totals: Counts,
}

/// Progress of an ingest run, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Inputs handled so far.
    pub done: usize,
    /// Inputs in all.
    pub total: usize,
}

/// An open Annals store: the handle for ingesting, asking and exporting.
#[derive(Debug)]
pub struct Annals {
    store: Store,
}

impl Annals {
    /// Opens (or creates) the store in the folder `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Annals> {
        Ok(Annals {
            store: Store::open(path)?,
        })
    }

    /// Opens the store in the folder `path`, which must exist already (for reading).
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Annals> {
        let path = path.as_ref();
        if !path.exists() {
            return Err(Error::NoStore(path.to_path_buf()));
        }
        Annals::open(path)
    }

    /// The underlying store, for typed reads.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Rewrites the store into a fresh file that holds only its live data (see
    /// [`Store::compact`]) and returns it reopened, with its size on disk before and
    /// after. `annals ingest` and `annals load` do this when [`Annals::should_compact`].
    pub fn compact(self) -> Result<(Annals, u64, u64)> {
        let before = self.store.disk_size();
        let store = self.store.compact()?;
        let after = store.disk_size();
        Ok((Annals { store }, before, after))
    }

    /// Whether the store has grown enough since its last compaction (to more than twice
    /// its size then, and over 64 MB) for [`Annals::compact`] to be worth its time.
    pub fn should_compact(&self) -> Result<bool> {
        Ok(self.store.should_compact()?)
    }

    /// Ingests files and folders (recursively): plain text with an optional
    /// `manifest.json`, JSON and JSON Lines. Unreadable inputs are skipped with a reason;
    /// errors are only for the store itself.
    pub fn ingest_paths(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<IngestReport> {
        Ok(self.ingest_paths_timed(paths, opts, progress)?.0)
    }

    /// [`Annals::ingest_paths`], also saying where the time went (for `annals bench`).
    pub fn ingest_paths_timed(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(IngestReport, IngestTimes)> {
        let started = Instant::now();
        let store_before = self.store.add_times();
        // Reading and extraction (parallel) run on a second thread, one batch ahead of
        // storing (serial), so the store never waits for the extractor and the other way
        // round; ids still follow input order because batches arrive in order.
        type Batch = (Vec<Document>, Vec<Extraction>, Progress);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(1);
        let mut stored = IngestReport::default();
        let mut store_waiting = Duration::ZERO;
        let (read, producer_times) = std::thread::scope(|scope| {
            let producer = scope.spawn(move || {
                let mut t = IngestTimes::default();
                let began = Instant::now();
                let read = read_batches(paths, opts, &mut |docs, _, p| {
                    let extract_began = Instant::now();
                    let (extractions, stage_times): (Vec<Extraction>, Vec<StageTimes>) = docs
                        .par_iter()
                        .map(|d| {
                            let mut st = StageTimes::default();
                            (annals_ingest::extract_timed(d, &mut st), st)
                        })
                        .unzip();
                    t.extract_wall += extract_began.elapsed();
                    t.articles += docs.len();
                    t.text_bytes += docs.iter().map(|d| d.text().len() as u64).sum::<u64>();
                    for st in &stage_times {
                        t.extract.add(st);
                    }
                    let send_began = Instant::now();
                    let sent = tx
                        .send((docs, extractions, p))
                        .map_err(|_| Error::Cancelled);
                    t.extract_waiting += send_began.elapsed();
                    sent
                });
                t.read = began.elapsed() - t.extract_wall - t.extract_waiting;
                (read, t)
            });
            let mut failed = None;
            let mut waited = Instant::now();
            for (docs, extractions, p) in rx.iter() {
                store_waiting += waited.elapsed();
                if let Err(e) = self.add_extracted(docs.iter().zip(&extractions), &mut stored) {
                    failed = Some(e);
                    break;
                }
                progress(p);
                waited = Instant::now();
            }
            drop(rx);
            let (read, t) = producer.join().expect("the reading thread does not panic");
            match failed {
                Some(e) => (Err(e), t),
                None => (read, t),
            }
        });
        let mut report = read?;
        // The reading thread timed reading and extraction; this one waited for it.
        let mut times = IngestTimes {
            store_waiting,
            ..producer_times
        };
        report.stored = stored.stored;
        report.duplicates = stored.duplicates;
        report.linked_entities = stored.linked_entities;
        report.merged_events = stored.merged_events;
        let flush_began = Instant::now();
        self.store.flush()?;
        times.flush = flush_began.elapsed();
        report.totals = self.store.counts()?;
        times.store = self.store.add_times().since(&store_before);
        times.wall = started.elapsed();
        Ok((report, times))
    }

    /// Loads records written by [`extract_paths`] (`annals extract`), one JSON object a
    /// line, into the store: the same graph as ingesting the articles directly, in the
    /// same order. Lines that are not valid records are skipped with a reason.
    pub fn load(&self, source: &str, reader: &mut dyn BufRead) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        let mut line = String::new();
        let mut n = 0;
        let mut batch: Vec<(Document, Extraction)> = Vec::with_capacity(DEFAULT_BATCH);
        loop {
            line.clear();
            let read = reader.read_line(&mut line).map_err(|e| Error::Io {
                path: PathBuf::from(source),
                source: e,
            })?;
            if read == 0 {
                break;
            }
            n += 1;
            if line.trim().is_empty() {
                continue;
            }
            let record = match serde_json::from_str::<ExtractedArticle>(&line) {
                Ok(r) if r.schema == EXTRACTED_SCHEMA => r,
                Ok(r) => {
                    report.skipped.push(Skipped {
                        source: format!("{source}#{n}"),
                        reason: format!("schema {:?}, expected {EXTRACTED_SCHEMA:?}", r.schema),
                    });
                    continue;
                }
                Err(e) => {
                    report.skipped.push(Skipped {
                        source: format!("{source}#{n}"),
                        reason: format!("not an extraction record: {e}"),
                    });
                    continue;
                }
            };
            let doc = Document::new(record.meta, record.text);
            // A record whose extraction does not fit its text is skipped; the others are
            // stored a batch at a time, like a direct ingest (`Store::add_all`).
            if let Err(reason) = record.extraction.validate(doc.text()) {
                report.skipped.push(Skipped {
                    source: format!("{source}#{n}"),
                    reason: format!("invalid extraction: {reason}"),
                });
                continue;
            }
            batch.push((doc, record.extraction));
            if batch.len() >= DEFAULT_BATCH {
                self.add_extracted(batch.iter().map(|(d, x)| (d, x)), &mut report)?;
                batch.clear();
            }
        }
        self.add_extracted(batch.iter().map(|(d, x)| (d, x)), &mut report)?;
        self.store.flush()?;
        report.totals = self.store.counts()?;
        Ok(report)
    }

    fn add_extracted<'a>(
        &self,
        items: impl Iterator<Item = (&'a Document, &'a Extraction)>,
        report: &mut IngestReport,
    ) -> Result<()> {
        // One transaction for the batch (see `Store::add_all`).
        let items: Vec<(&Document, &Extraction)> = items.collect();
        let outcomes = self.store.add_all(items.iter().copied())?;
        for ((doc, _), outcome) in items.into_iter().zip(outcomes) {
            record_outcome(doc, outcome, report);
        }
        Ok(())
    }

    /// Ingests one article given as a string. `published` is its ISO publication date.
    pub fn ingest_text(
        &self,
        source: &str,
        text: &str,
        published: Option<&str>,
    ) -> Result<AddOutcome> {
        let mut meta = DocumentMeta::new(source);
        meta.published = published.map(str::to_string);
        let read =
            formats::read_text(text.as_bytes(), meta, DEFAULT_MAX_ARTICLE_BYTES).map_err(|e| {
                Error::Input {
                    source_name: source.to_string(),
                    reason: e.to_string(),
                }
            })?;
        self.ingest_document(read.document)
    }

    /// Ingests one article read from `reader` as plain text.
    pub fn ingest_reader(
        &self,
        source: &str,
        reader: &mut dyn std::io::Read,
        published: Option<&str>,
    ) -> Result<AddOutcome> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| Error::Io {
            path: PathBuf::from(source),
            source: e,
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| Error::Input {
            source_name: source.to_string(),
            reason: formats::ReadError::NotUtf8 {
                at: e.valid_up_to(),
            }
            .to_string(),
        })?;
        self.ingest_text(source, text, published)
    }

    /// Ingests one article already read.
    pub fn ingest_document(&self, doc: Document) -> Result<AddOutcome> {
        let x = annals_ingest::extract(&doc);
        let outcome = self.store.add(&doc, &x)?;
        self.store.flush()?;
        Ok(outcome)
    }

    /// Answers a question (see [`query`] for the forms understood).
    pub fn ask(&self, question: &str) -> Result<Answer> {
        Ok(annals_query::ask(&self.store, question)?)
    }

    /// Answers a question, with options (how many answers to include).
    pub fn ask_with(&self, question: &str, opts: &annals_query::AskOptions) -> Result<Answer> {
        Ok(annals_query::ask_with(&self.store, question, opts)?)
    }

    /// Answers a typed [`Question`](annals_query::Question), built by a program rather
    /// than parsed from English.
    pub fn answer(
        &self,
        question: &annals_query::Question,
        opts: &annals_query::AskOptions,
    ) -> Result<Answer> {
        Ok(annals_query::answer(
            &self.store,
            question,
            question.form(),
            opts,
        )?)
    }

    /// Writes the whole graph as the `annals-export/1` JSON contract.
    pub fn export_json(&self, out: &mut dyn Write) -> Result<()> {
        Ok(annals_graph::export::json::write(&self.store, out)?)
    }

    /// Writes the graph, or the part `opts` selects, as DOT.
    pub fn export_dot(&self, out: &mut dyn Write, opts: &ExportOptions) -> Result<()> {
        self.export(ViewFormat::Dot, out, opts)
    }

    /// The [`Selection`] that `opts` asks for: the entities called `opts.around` are
    /// looked up (an unknown name is an error with suggestions) and the period is
    /// checked (an empty one is an error). The exporters in [`graph::export`] take it.
    pub fn selection(&self, opts: &ExportOptions) -> Result<Selection> {
        let mut sel = Selection {
            depth: opts.depth,
            without_quotes: opts.no_quotes,
            kinds: opts.kinds.as_ref().map(|k| k.iter().copied().collect()),
            ..Selection::default()
        }
        .with_period(opts.since.as_ref(), opts.until.as_ref())?;
        if let Some(name) = &opts.around {
            let found = annals_query::lookup(&self.store, name)?;
            sel.around = found.iter().map(|e| NodeRef::Entity(e.id)).collect();
        }
        Ok(sel)
    }

    /// Writes the graph, or the part `opts` selects, in a single-file graph format:
    /// DOT, GraphML, RDF N-Triples or RDF Turtle.
    pub fn export(
        &self,
        format: ViewFormat,
        out: &mut dyn Write,
        opts: &ExportOptions,
    ) -> Result<()> {
        let sel = self.selection(opts)?;
        let view = GraphView::load(&self.store)?;
        match format {
            ViewFormat::Dot => export::dot::write(&view, &sel, out)?,
            ViewFormat::GraphMl => export::graphml::write(&view, &sel, out)?,
            ViewFormat::NTriples => export::ntriples::write(&self.store, &view, &sel, out)?,
            ViewFormat::Turtle => export::turtle::write(&self.store, &view, &sel, out)?,
        }
        Ok(())
    }

    /// Writes Neo4j bulk-import files `nodes.csv` and `relationships.csv` for the graph,
    /// or the part `opts` selects, into `dir` (created if needed), for
    /// `neo4j-admin database import full`.
    pub fn export_neo4j(&self, dir: &Path, opts: &ExportOptions) -> Result<()> {
        let sel = self.selection(opts)?;
        let view = GraphView::load(&self.store)?;
        let io_err = |path: PathBuf| move |e| Error::Io { path, source: e };
        std::fs::create_dir_all(dir).map_err(io_err(dir.to_path_buf()))?;
        let create = |name: &str| {
            let path = dir.join(name);
            std::fs::File::create(&path)
                .map(std::io::BufWriter::new)
                .map_err(io_err(path))
        };
        let (mut nodes, mut rels) = (create("nodes.csv")?, create("relationships.csv")?);
        export::neo4j::write(&view, &sel, &mut nodes, &mut rels)?;
        nodes.flush().map_err(io_err(dir.join("nodes.csv")))?;
        rels.flush()
            .map_err(io_err(dir.join("relationships.csv")))?;
        Ok(())
    }

    /// A read-only petgraph view of the whole graph (entities, events and quotes as
    /// nodes; roles, places, dates, "said" and relations as edges), for traversals of
    /// your own. It is a snapshot: later ingests do not change it.
    ///
    /// ```
    /// use annals::graph::NodeRef;
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let annals = annals::Annals::open(dir.path().join("db")).unwrap();
    /// annals
    ///     .ingest_text(
    ///         "wire.txt",
    ///         "Police arrested two protesters in Lyon on Monday, the prefecture said.",
    ///         Some("2024-03-05"),
    ///     )
    ///     .unwrap();
    /// let view = annals.view().unwrap();
    /// let events = view.nodes().into_iter().filter(|n| matches!(n, NodeRef::Event(_))).count();
    /// assert!(events >= 1);
    /// assert_eq!(view.graph().node_count(), view.nodes().len());
    /// ```
    pub fn view(&self) -> Result<GraphView> {
        Ok(GraphView::load(&self.store)?)
    }

    /// What the store holds.
    pub fn counts(&self) -> Result<Counts> {
        Ok(self.store.counts()?)
    }

    /// The source path of a stored document.
    pub fn source_of(&self, doc: DocId) -> Result<Option<String>> {
        Ok(self.store.document(doc)?.map(|d| d.meta.source))
    }
}
