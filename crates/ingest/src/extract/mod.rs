//! Rule-based extraction (placeholder until the extractor lands).

use annals_model::{Document, Extraction};

/// Extracts entities, quotes, events and dates from one document.
pub fn extract(doc: &Document) -> Extraction {
    Extraction {
        published: doc.meta().published_day().map(str::to_string),
        ..Extraction::default()
    }
}
