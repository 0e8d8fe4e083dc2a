//! Byte spans into a document's text, and provenance (a span in a named document).

use serde::{Deserialize, Serialize};

use crate::DocId;

/// A half-open byte range `start..end` into a document's UTF-8 text.
///
/// The constructor checks `start <= end`; whether the ends fall on character boundaries
/// of a given text is checked by [`Span::slice`], which returns `None` when they do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    start: usize,
    end: usize,
}

/// Why a span could not be built.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpanError {
    /// The start lies after the end.
    #[error("span start {start} is after its end {end}")]
    Reversed {
        /// The offending start.
        start: usize,
        /// The offending end.
        end: usize,
    },
}

impl Span {
    /// A span `start..end`; an error when `start > end`.
    pub fn new(start: usize, end: usize) -> Result<Span, SpanError> {
        if start > end {
            return Err(SpanError::Reversed { start, end });
        }
        Ok(Span { start, end })
    }

    /// The first byte of the span.
    pub fn start(self) -> usize {
        self.start
    }

    /// One past the last byte of the span.
    pub fn end(self) -> usize {
        self.end
    }

    /// The number of bytes covered.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The text this span covers in `text`, or `None` when it is out of range or cuts a
    /// character in two.
    pub fn slice(self, text: &str) -> Option<&str> {
        text.get(self.start..self.end)
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies entirely inside this span.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The same span moved `by` bytes to the right.
    pub fn shift(self, by: usize) -> Span {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }
}

/// Where a fact came from: a document and the exact bytes in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// The document the bytes belong to.
    pub doc: DocId,
    /// The bytes within that document's text.
    pub span: Span,
}

impl Provenance {
    /// Provenance for `span` in `doc`.
    pub fn new(doc: DocId, span: Span) -> Provenance {
        Provenance { doc, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversed_span_is_refused() {
        assert_eq!(
            Span::new(5, 2),
            Err(SpanError::Reversed { start: 5, end: 2 })
        );
    }

    #[test]
    fn slice_refuses_cut_characters() {
        let text = "Kata’ib";
        // The curly apostrophe is three bytes long: 4..7.
        assert_eq!(Span::new(0, 5).unwrap().slice(text), None);
        assert_eq!(Span::new(0, 7).unwrap().slice(text), Some("Kata’"));
        assert_eq!(Span::new(0, 99).unwrap().slice(text), None);
    }

    #[test]
    fn overlap_and_containment() {
        let a = Span::new(0, 10).unwrap();
        let b = Span::new(5, 15).unwrap();
        let c = Span::new(10, 12).unwrap();
        assert!(a.overlaps(b));
        assert!(!a.overlaps(c));
        assert!(a.contains(Span::new(2, 3).unwrap()));
        assert!(!a.contains(b));
        assert_eq!(c.shift(3), Span::new(13, 15).unwrap());
    }
}
