//! The graph of Annals: one embedded sled store that links articles into a knowledge graph.
//!
//! - [`Store`] opens (or creates) a store, checks its format version, adds one article's
//!   [`Extraction`](annals_model::Extraction) in one transaction, and reads everything
//!   back. Adding an article resolves its entities and events against what is stored
//!   (see [`link`]), so the same person in four articles is one entity.
//! - [`records`] holds the stored types (a compatibility promise, kept apart from the
//!   extractor's types).
//! - [`GraphView`] is the petgraph view derived from the store, for traversals.
//! - [`export`] writes the JSON contract (`annals-export/1`), GraphViz DOT, GraphML, RDF
//!   (N-Triples, Turtle) and Neo4j CSV; [`export::Selection`] filters what they write.
//!
//! This crate knows nothing about file formats, extraction rules or questions.
//!
//! ```
//! use annals_graph::Store;
//! use annals_model::{Document, DocumentMeta, Extraction};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let store = Store::open(dir.path().join("db")).unwrap();
//! let doc = Document::new(DocumentMeta::new("a.txt"), "Nothing happened.".into());
//! let added = store.add(&doc, &Extraction::default()).unwrap();
//! assert!(added.is_new());
//! assert_eq!(store.documents().unwrap().len(), 1);
//! ```

#![warn(missing_docs)]

mod chunked;
mod codec;
mod compact;
mod daylists;
mod error;
pub mod export;
mod generations;
mod heads;
pub mod link;
mod overlay;
pub mod records;
mod store;
mod values;
mod view;
mod wordindex;

pub use error::{Result, StoreError};
pub use heads::{EventHead, EventHeads};
pub use store::{AddOutcome, AddTimes, Counts, Store, FORMAT_VERSION};
pub use view::{EdgeKind, GraphView, NodeRef};
pub use wordindex::{Postings, NON_ASCII_QUOTES};
