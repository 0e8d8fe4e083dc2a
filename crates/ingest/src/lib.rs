//! From one article's bytes and metadata to values: Annals' extraction stage.
//!
//! Two halves, both pure (no file system, no store, no clock):
//! - [`formats`] turns the bytes of an input file (plain text, JSON, JSON Lines) into
//!   [`Document`]s, with clear reasons for what it cannot read;
//! - [`extract`] turns one [`Document`] into an [`Extraction`]: entities with mentions,
//!   quotations with speakers, events with CAMEO codes, dates resolved against the
//!   publication date. It never fails: what it cannot use becomes a diagnostic.
//!
//! Because nothing here touches storage, extraction runs in parallel, is fuzzable, and
//! can be the map step of any batch job.
//!
//! ```
//! use annals_model::{Document, DocumentMeta};
//!
//! let mut meta = DocumentMeta::new("example.txt");
//! meta.published = Some("2024-02-08".into());
//! let doc = Document::new(meta, "The mayor of Paris, Anne Hidalgo, said on Monday that \
//!     \"the river is clean.\"".into());
//! let x = annals_ingest::extract(&doc);
//! assert!(x.validate(doc.text()).is_ok());
//! ```

#![warn(missing_docs)]

mod extract;
pub mod formats;
pub mod reference;

pub use annals_model::{Document, DocumentMeta, Extraction};
pub use extract::{extract, extract_timed, StageTimes};
