//! What the extractor finds in one article, before it is linked to anything else.
//!
//! Entities, quotes and events here refer to each other by index into
//! [`Extraction::entities`]; the store turns those indices into global ids.

use serde::{Deserialize, Serialize};

use crate::{EntityKind, Modality, Role, Span};

/// Everything extracted from one article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    /// The publication date used to resolve relative dates (`YYYY-MM-DD`), from the
    /// metadata or a dateline in the text; `None` when neither gave one.
    pub published: Option<String>,
    /// The people, groups, places and dates the article mentions.
    pub entities: Vec<LocalEntity>,
    /// Quotations, with their speakers where known.
    pub quotes: Vec<LocalQuote>,
    /// Events the article reports.
    pub events: Vec<LocalEvent>,
    /// Stated roles and affiliations ("X, the spokesperson for Y").
    pub relations: Vec<LocalRelation>,
    /// Things the extractor noticed but could not use; never fatal.
    pub diagnostics: Vec<Diagnostic>,
}

/// The schema name of an [`ExtractedArticle`] record.
pub const EXTRACTED_SCHEMA: &str = "annals-extraction/1";

/// One article with its extraction, before linking: the record `annals extract` writes
/// (one JSON object per line) and `annals load` reads, so extraction can run as the map
/// step of any batch engine and the store load as the reduce step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractedArticle {
    /// Always [`EXTRACTED_SCHEMA`].
    pub schema: String,
    /// The article's metadata.
    pub meta: crate::DocumentMeta,
    /// The article's text; every span of the extraction indexes its bytes.
    pub text: String,
    /// What the extractor found.
    pub extraction: Extraction,
}

/// One entity as it appears in one article: a cluster of mentions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalEntity {
    /// Person, group, place or date.
    pub kind: EntityKind,
    /// The fullest name the article gives (for dates, the ISO value when resolved).
    pub name: String,
    /// Every surface form used for it in the article, including `name`.
    pub aliases: Vec<String>,
    /// Where it is mentioned; each span's text is one of the aliases.
    pub mentions: Vec<Span>,
    /// For dates: the ISO 8601 value at the precision given, or `None` if unresolved.
    pub value: Option<String>,
    /// Whether this person is the article's author (byline), not a participant.
    pub author: bool,
}

/// A quotation: the quoted words, and who said them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalQuote {
    /// The quoted words, without the quotation marks.
    pub span: Span,
    /// Index of the speaker in [`Extraction::entities`]; `None` for scare quotes,
    /// nicknames and titles.
    pub speaker: Option<usize>,
    /// The attribution cue ("said", "according to"), as written.
    pub cue: Option<String>,
    /// Where the cue is.
    pub cue_span: Option<Span>,
    /// When it was said (ISO 8601), when the sentence says so.
    pub date: Option<String>,
}

/// An event mention: a trigger with its arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalEvent {
    /// CAMEO code, 2 to 4 digits.
    pub cameo: String,
    /// A short label ("drone strike", "condemnation").
    pub label: String,
    /// The trigger words.
    pub trigger: Span,
    /// When it happened (ISO 8601 at the precision given), or `None` if unknown.
    pub date: Option<String>,
    /// Indices of place entities where it happened.
    pub places: Vec<usize>,
    /// Participants with their roles.
    pub actors: Vec<LocalActor>,
    /// Whether it is reported as having happened.
    pub modality: Modality,
    /// For aggregates ("attacked more than 160 times"): the stated count.
    pub count: Option<u32>,
    /// How many people the sentence says were killed ("killed three soldiers").
    #[serde(default)]
    pub killed: Option<u32>,
    /// How many people the sentence says were injured or wounded.
    #[serde(default)]
    pub injured: Option<u32>,
}

/// A participant in an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalActor {
    /// The part played.
    pub role: Role,
    /// Index into [`Extraction::entities`].
    pub entity: usize,
}

/// A stated relation between two entities, such as a role or affiliation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalRelation {
    /// Index of the entity the relation is about.
    pub subject: usize,
    /// The relation as a short phrase ("spokesperson for", "leader of").
    pub relation: String,
    /// Index of the other entity, when the relation names one.
    pub object: Option<usize>,
    /// The words that state it.
    pub span: Span,
}

/// How much a diagnostic matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Severity {
    /// Informational: something was skipped on purpose (page furniture).
    Info,
    /// Something looked wrong and was left out.
    Warning,
}

/// A note from the extractor about something it skipped or could not resolve.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How much it matters.
    pub severity: Severity,
    /// What happened, in words.
    pub message: String,
    /// Where, if it is about a place in the text.
    pub span: Option<Span>,
}

impl Extraction {
    /// Checks that every span fits `text` on character boundaries and every index
    /// points at an entity. The store refuses an extraction that fails this, because a
    /// fact whose span does not round-trip to its text breaks provenance.
    pub fn validate(&self, text: &str) -> Result<(), String> {
        let n = self.entities.len();
        let span_ok = |s: Span, what: &str| -> Result<(), String> {
            s.slice(text).map(|_| ()).ok_or_else(|| {
                format!(
                    "{what} span {}..{} does not fit the text",
                    s.start(),
                    s.end()
                )
            })
        };
        let index_ok = |i: usize, what: &str| -> Result<(), String> {
            if i < n {
                Ok(())
            } else {
                Err(format!("{what} refers to entity #{i} of {n}"))
            }
        };
        for e in &self.entities {
            if e.mentions.is_empty() {
                return Err(format!("entity {:?} has no mention", e.name));
            }
            for &m in &e.mentions {
                span_ok(m, "mention")?;
            }
        }
        for q in &self.quotes {
            span_ok(q.span, "quote")?;
            if let Some(c) = q.cue_span {
                span_ok(c, "cue")?;
            }
            if let Some(s) = q.speaker {
                index_ok(s, "quote speaker")?;
            }
        }
        for ev in &self.events {
            span_ok(ev.trigger, "event trigger")?;
            let code_ok =
                (2..=4).contains(&ev.cameo.len()) && ev.cameo.bytes().all(|b| b.is_ascii_digit());
            if !code_ok {
                return Err(format!("event CAMEO code {:?} is not 2-4 digits", ev.cameo));
            }
            for &p in &ev.places {
                index_ok(p, "event place")?;
            }
            for a in &ev.actors {
                index_ok(a.entity, "event actor")?;
            }
        }
        for r in &self.relations {
            span_ok(r.span, "relation")?;
            index_ok(r.subject, "relation subject")?;
            if let Some(o) = r.object {
                index_ok(o, "relation object")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(start: usize, end: usize) -> LocalEntity {
        LocalEntity {
            kind: EntityKind::Place,
            name: "Baghdad".into(),
            aliases: vec!["Baghdad".into()],
            mentions: vec![Span::new(start, end).unwrap()],
            value: None,
            author: false,
        }
    }

    #[test]
    fn validate_accepts_fitting_spans_and_refuses_others() {
        let text = "Strike in Baghdad.";
        let mut x = Extraction {
            entities: vec![entity(10, 17)],
            ..Extraction::default()
        };
        assert_eq!(x.validate(text), Ok(()));
        x.entities[0].mentions.push(Span::new(10, 40).unwrap());
        assert!(x.validate(text).is_err());
    }

    #[test]
    fn validate_refuses_dangling_indices_and_bad_codes() {
        let text = "Strike in Baghdad.";
        let mut x = Extraction {
            entities: vec![entity(10, 17)],
            ..Extraction::default()
        };
        x.events.push(LocalEvent {
            cameo: "195".into(),
            label: "strike".into(),
            trigger: Span::new(0, 6).unwrap(),
            date: None,
            places: vec![0],
            actors: vec![],
            modality: Modality::Asserted,
            count: None,
            killed: None,
            injured: None,
        });
        assert_eq!(x.validate(text), Ok(()));
        x.events[0].places.push(3);
        assert!(x.validate(text).is_err());
        x.events[0].places.pop();
        x.events[0].cameo = "19a".into();
        assert!(x.validate(text).is_err());
    }
}
