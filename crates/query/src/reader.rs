//! Reading evidence from a store for one question: each article's text is read once
//! however many answers point into it, and every span comes with its sentence.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use annals_graph::records::{DocRecord, EntityRecord};
use annals_graph::Store;
use annals_model::{DocId, EntityId, Provenance};

use crate::answer::{EntityRef, Evidence};
use crate::Result;

/// How far a sentence may reach on either side of its span, in bytes.
const SENTENCE_REACH: usize = 400;

/// An article's record (if stored) and text (empty when missing).
pub(crate) type Doc = Rc<(Option<DocRecord>, String)>;

/// A store seen through a per-question cache of articles and entities.
pub(crate) struct Reader<'s> {
    pub(crate) store: &'s Store,
    docs: RefCell<HashMap<DocId, Doc>>,
    entities: RefCell<HashMap<EntityId, Option<Rc<EntityRecord>>>>,
}

impl<'s> Reader<'s> {
    pub(crate) fn new(store: &'s Store) -> Reader<'s> {
        Reader {
            store,
            docs: RefCell::default(),
            entities: RefCell::default(),
        }
    }

    /// An article's record and text (empty when missing).
    pub(crate) fn doc(&self, id: DocId) -> Result<Doc> {
        if let Some(d) = self.docs.borrow().get(&id) {
            return Ok(d.clone());
        }
        let d = Rc::new((
            self.store.document(id)?,
            self.store.text(id)?.unwrap_or_default(),
        ));
        self.docs.borrow_mut().insert(id, d.clone());
        Ok(d)
    }

    /// A stored entity.
    pub(crate) fn entity(&self, id: EntityId) -> Result<Option<Rc<EntityRecord>>> {
        if let Some(e) = self.entities.borrow().get(&id) {
            return Ok(e.clone());
        }
        let e = self.store.entity(id)?.map(Rc::new);
        self.entities.borrow_mut().insert(id, e.clone());
        Ok(e)
    }

    /// An entity as answers show it (its id alone when it is missing).
    pub(crate) fn entity_ref(&self, id: EntityId) -> Result<EntityRef> {
        Ok(match self.entity(id)? {
            Some(e) => EntityRef::from(&*e),
            None => EntityRef {
                id: id.to_string(),
                name: id.to_string(),
                kind: annals_model::EntityKind::Person,
            },
        })
    }

    /// An entity's name (its id when it is missing).
    pub(crate) fn name(&self, id: EntityId) -> Result<String> {
        Ok(self
            .entity(id)?
            .map(|e| e.name.clone())
            .unwrap_or_else(|| id.to_string()))
    }

    /// The evidence at a provenance: article, span, its text and its sentence.
    pub(crate) fn evidence(&self, prov: Provenance) -> Result<Evidence> {
        let d = self.doc(prov.doc)?;
        let (record, text) = (&d.0, &d.1);
        let (start, end) = (prov.span.start(), prov.span.end());
        Ok(Evidence {
            doc: prov.doc.to_string(),
            source: record
                .as_ref()
                .map(|r| r.meta.source.clone())
                .unwrap_or_default(),
            start,
            end,
            text: prov.span.slice(text).unwrap_or_default().to_string(),
            sentence: sentence_around(text, start, end).to_string(),
        })
    }
}

/// The sentence (or paragraph line) holding `start..end`, at most [`SENTENCE_REACH`]
/// bytes either side of it, trimmed; the span itself when the offsets do not fit.
pub(crate) fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    if start > end
        || end > text.len()
        || !text.is_char_boundary(start)
        || !text.is_char_boundary(end)
    {
        return "";
    }
    let bytes = text.as_bytes();
    let ends_sentence = |i: usize| {
        // A full stop, question or exclamation mark followed by a space, or a newline.
        bytes[i] == b'\n'
            || (matches!(bytes[i], b'.' | b'?' | b'!')
                && bytes.get(i + 1).is_some_and(|c| c.is_ascii_whitespace()))
    };
    let floor = start.saturating_sub(SENTENCE_REACH);
    let mut from = start;
    while from > floor && !ends_sentence(from - 1) {
        from -= 1;
    }
    let ceil = (end + SENTENCE_REACH).min(text.len());
    let mut to = end;
    while to < ceil && !ends_sentence(to) {
        to += 1;
    }
    if to < ceil && bytes[to] != b'\n' {
        to += 1;
    }
    while !text.is_char_boundary(from) {
        from += 1;
    }
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    text[from..to.max(from)].trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_around_spans() {
        let t = "First one. The mayor said “we will rebuild” on Monday. Last one.\nNext line";
        let s = t.find("we will").unwrap();
        assert_eq!(
            sentence_around(t, s, s + 14),
            "The mayor said “we will rebuild” on Monday."
        );
        let n = t.find("Next").unwrap();
        assert_eq!(sentence_around(t, n, n + 4), "Next line");
        assert_eq!(sentence_around(t, 0, 5), "First one.");
        assert_eq!(sentence_around(t, 5, 500), "");
    }

    #[test]
    fn long_sentences_are_cut_on_char_boundaries() {
        let t = "é".repeat(1000);
        let s = sentence_around(&t, 1000, 1002);
        assert!(s.len() <= 2 * SENTENCE_REACH + 2 && s.len() >= 2);
    }
}
