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
//! assert!(!answer.items.is_empty());
//! ```

#![warn(missing_docs)]

mod error;
mod input;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use annals_graph as graph;
pub use annals_ingest as ingest;
pub use annals_model as model;
pub use annals_query as query;

pub use error::{Error, Result};
pub use input::{collect_inputs, Input};

use annals_graph::export::dot::DotOptions;
use annals_graph::{AddOutcome, Counts, GraphView, NodeRef, Store};
use annals_ingest::formats::{self, DEFAULT_MAX_ARTICLE_BYTES};
use annals_model::{DocId, Document, DocumentMeta};
use annals_query::Answer;
use rayon::prelude::*;

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
            batch: 64,
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

    /// Ingests files and folders (recursively): plain text with an optional
    /// `manifest.json`, JSON and JSON Lines. Unreadable inputs are skipped with a reason;
    /// errors are only for the store itself.
    pub fn ingest_paths(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        let (inputs, walk_skips) = collect_inputs(paths);
        report.skipped.extend(walk_skips);
        let total = inputs.len();
        let mut done = 0;
        for chunk in inputs.chunks(opts.batch.max(1)) {
            let mut docs: Vec<Document> = Vec::new();
            for input in chunk {
                if let Some(e) = &input.manifest_error {
                    if !report.warnings.contains(e) {
                        report.warnings.push(e.clone());
                    }
                }
                for (source, item) in input.read(opts.max_article_bytes) {
                    match item {
                        Ok(read) => {
                            report.warnings.extend(
                                read.warnings.into_iter().map(|w| format!("{source}: {w}")),
                            );
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
            }
            self.add_documents(docs, &mut report)?;
            done += chunk.len();
            progress(Progress { done, total });
        }
        self.store.flush()?;
        report.totals = self.store.counts()?;
        Ok(report)
    }

    fn add_documents(&self, docs: Vec<Document>, report: &mut IngestReport) -> Result<()> {
        let extractions: Vec<_> = docs.par_iter().map(annals_ingest::extract).collect();
        for (doc, x) in docs.iter().zip(&extractions) {
            let source = doc.meta().source.clone();
            match self.store.add(doc, x)? {
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
                AddOutcome::Duplicate { doc: id } => {
                    report.duplicates.push((source, id.to_string()))
                }
            }
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

    /// Writes the whole graph as the `annals-export/1` JSON contract.
    pub fn export_json(&self, out: &mut dyn Write) -> Result<()> {
        Ok(annals_graph::export::json::write(&self.store, out)?)
    }

    /// Writes the graph, or the neighbourhood of the entities called `around`, as DOT.
    pub fn export_dot(
        &self,
        out: &mut dyn Write,
        around: Option<&str>,
        depth: usize,
        with_quotes: bool,
    ) -> Result<()> {
        let view = GraphView::load(&self.store)?;
        let mut opts = DotOptions {
            around: Vec::new(),
            depth,
            without_quotes: !with_quotes,
        };
        if let Some(name) = around {
            let found = annals_query::lookup(&self.store, name)?;
            opts.around = found.iter().map(|e| NodeRef::Entity(e.id)).collect();
        }
        Ok(annals_graph::export::dot::write(&view, &opts, out)?)
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
