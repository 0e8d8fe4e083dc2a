//! Shared types of Annals: what every other crate agrees on.
//!
//! This crate owns the vocabulary of the pipeline and nothing else: documents and their
//! metadata ([`Document`], [`DocumentMeta`]), byte spans ([`Span`]), what one article
//! yields ([`Extraction`] with [`LocalEntity`], [`LocalQuote`], [`LocalEvent`]), the kinds
//! and roles those carry ([`EntityKind`], [`Role`], [`Modality`]), stable ids
//! ([`DocId`], [`EntityId`], [`QuoteId`], [`EventId`]) and [`Provenance`].
//! It does no I/O, knows nothing about storage, and has no opinion on extraction rules.
//!
//! ```
//! use annals_model::{Document, DocumentMeta, Span};
//!
//! let doc = Document::new(DocumentMeta::new("a.txt"), "Rasool said so.".to_string());
//! let span = Span::new(0, 6).unwrap();
//! assert_eq!(doc.slice(span), Some("Rasool"));
//! ```

#![warn(missing_docs)]

mod document;
mod extraction;
mod ids;
mod kinds;
pub mod normalize;
mod span;

pub use document::{Document, DocumentMeta};
pub use extraction::{
    Diagnostic, ExtractedArticle, Extraction, LocalActor, LocalEntity, LocalEvent, LocalQuote,
    LocalRelation, Severity, EXTRACTED_SCHEMA,
};
pub use ids::{DocId, EntityId, EventId, QuoteId};
pub use kinds::{EntityKind, Modality, Role};
pub use span::{Provenance, Span, SpanError};
