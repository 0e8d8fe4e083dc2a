//! An article as read: its text and the metadata that came with it.

use serde::{Deserialize, Serialize};

use crate::Span;

/// Metadata of one article, from a manifest, a JSON record or the command line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Where the text came from: a path, or `PATH#LINE` for a JSON Lines record.
    pub source: String,
    /// The headline, when known.
    pub title: Option<String>,
    /// Publication date or date-time, ISO 8601 (`2024-02-08` or `2024-02-08T23:45:00`).
    pub published: Option<String>,
    /// The article's address, when known.
    pub url: Option<String>,
    /// Bylines.
    pub authors: Vec<String>,
    /// The publisher or outlet.
    pub publisher: Option<String>,
    /// The record's own `id` field, for articles read from JSON.
    pub external_id: Option<String>,
}

impl DocumentMeta {
    /// Metadata that names only the source.
    pub fn new(source: impl Into<String>) -> DocumentMeta {
        DocumentMeta {
            source: source.into(),
            ..DocumentMeta::default()
        }
    }

    /// The publication day (`YYYY-MM-DD`), if the published field starts with one.
    pub fn published_day(&self) -> Option<&str> {
        let p = self.published.as_deref()?;
        let day = p.get(..10)?;
        let b = day.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        shape.then_some(day)
    }
}

/// One article: its text (valid UTF-8, spans are byte offsets into it) and metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    meta: DocumentMeta,
    text: String,
}

impl Document {
    /// An article with the given metadata and text.
    pub fn new(meta: DocumentMeta, text: String) -> Document {
        Document { meta, text }
    }

    /// The article's metadata.
    pub fn meta(&self) -> &DocumentMeta {
        &self.meta
    }

    /// Mutable access to the metadata (for command-line overrides).
    pub fn meta_mut(&mut self) -> &mut DocumentMeta {
        &mut self.meta
    }

    /// The article's text; spans index its bytes.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text a span covers, or `None` when the span does not fit this text.
    pub fn slice(&self, span: Span) -> Option<&str> {
        span.slice(&self.text)
    }

    /// Splits the document into its metadata and text.
    pub fn into_parts(self) -> (DocumentMeta, String) {
        (self.meta, self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_day_accepts_dates_and_datetimes_only() {
        let mut m = DocumentMeta::new("x");
        assert_eq!(m.published_day(), None);
        m.published = Some("2024-02-08T23:45:00".into());
        assert_eq!(m.published_day(), Some("2024-02-08"));
        m.published = Some("Feb 8 2024".into());
        assert_eq!(m.published_day(), None);
    }
}
