//! Answering parsed questions from the store, with evidence.

use std::fmt;

use annals_graph::records::{EntityRecord, QuoteRecord};
use annals_graph::Store;
use annals_model::normalize::name_key;
use annals_model::{EntityId, EntityKind};
use serde::Serialize;

use crate::fuzzy::phrase_score;
use crate::question::{parse, Question};
use crate::{QueryError, Result};

/// The least [`phrase_score`] for a quote to answer "who said".
const MIN_SCORE: f32 = 0.6;

/// An entity as shown in an answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityRef {
    /// Its id (`e7`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
}

impl From<&EntityRecord> for EntityRef {
    fn from(e: &EntityRecord) -> EntityRef {
        EntityRef {
            id: e.id.to_string(),
            name: e.name.clone(),
            kind: e.kind,
        }
    }
}

/// The words an answer rests on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// Document id (`d2`).
    pub doc: String,
    /// The document's source path.
    pub source: String,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The text at that span.
    pub text: String,
}

/// One answer: who or what, how well it matches, and the evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerItem {
    /// The entity the answer names, if any (the speaker of a quote).
    pub entity: Option<EntityRef>,
    /// How well it matches the question, 0 to 1.
    pub score: f32,
    /// The evidence, best first.
    pub evidence: Vec<Evidence>,
}

/// The answers to a question, best first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// The form it was parsed as.
    pub form: &'static str,
    /// The answers, best first; empty when nothing matched.
    pub items: Vec<AnswerItem>,
}

fn evidence(store: &Store, q: &QuoteRecord) -> Result<Evidence> {
    let source = store
        .document(q.prov.doc)?
        .map(|d| d.meta.source)
        .unwrap_or_default();
    Ok(Evidence {
        doc: q.prov.doc.to_string(),
        source,
        start: q.prov.span.start(),
        end: q.prov.span.end(),
        text: store.span_text(q.prov)?.unwrap_or_default(),
    })
}

/// Answers a question from a store.
pub fn ask(store: &Store, question: &str) -> Result<Answer> {
    match parse(question)? {
        Question::WhoSaid(phrase) => who_said(store, question, &phrase),
        Question::WhatDidSay(name) => what_did_say(store, question, &name),
    }
}

/// The quotes of one speaker that match a phrase.
struct SpeakerGroup {
    best: f32,
    speaker: Option<EntityId>,
    evidence: Vec<(f32, Evidence)>,
}

fn who_said(store: &Store, question: &str, phrase: &str) -> Result<Answer> {
    let mut groups: Vec<SpeakerGroup> = Vec::new();
    for q in store.quotes()? {
        let Some(text) = store.span_text(q.prov)? else {
            continue;
        };
        let score = phrase_score(phrase, &text);
        if score < MIN_SCORE {
            continue;
        }
        let ev = evidence(store, &q)?;
        match groups.iter_mut().find(|g| g.speaker == q.speaker) {
            Some(g) => {
                g.best = g.best.max(score);
                g.evidence.push((score, ev));
            }
            None => groups.push(SpeakerGroup {
                best: score,
                speaker: q.speaker,
                evidence: vec![(score, ev)],
            }),
        }
    }
    // Best first; a known speaker before an unknown one at equal score; then by id.
    groups.sort_by(|a, b| {
        b.best
            .total_cmp(&a.best)
            .then(b.speaker.is_some().cmp(&a.speaker.is_some()))
            .then(a.speaker.cmp(&b.speaker))
    });
    let mut items = Vec::new();
    for mut g in groups {
        // Stable sort: equal scores keep quote id order.
        g.evidence.sort_by(|a, b| b.0.total_cmp(&a.0));
        let entity = match g.speaker {
            Some(id) => store.entity(id)?.as_ref().map(EntityRef::from),
            None => None,
        };
        items.push(AnswerItem {
            entity,
            score: g.best,
            evidence: g.evidence.into_iter().map(|(_, e)| e).collect(),
        });
    }
    Ok(Answer {
        question: question.to_string(),
        form: "who said PHRASE",
        items,
    })
}

/// Finds the one entity a name means, or explains why there is not one.
fn resolve_name(store: &Store, name: &str) -> Result<EntityRecord> {
    let mut found = lookup(store, name)?;
    if found.len() == 1 {
        return Ok(found.remove(0));
    }
    Err(QueryError::Ambiguous {
        name: name.to_string(),
        candidates: found
            .iter()
            .map(|e| format!("{} ({}, {})", e.name, e.kind, e.id))
            .collect(),
    })
}

/// The people, groups and places called `name` (any alias, spelling folded); when there
/// is none, an [`QueryError::UnknownName`] that suggests stored names sharing a word.
pub fn lookup(store: &Store, name: &str) -> Result<Vec<EntityRecord>> {
    let found: Vec<EntityRecord> = store
        .find_entities(name)?
        .into_iter()
        .filter(|e| e.kind != EntityKind::Date)
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    // Nothing by exact key: suggest entities sharing a word with the name.
    let wanted = name_key(name);
    let wanted: Vec<&str> = wanted.split(' ').collect();
    let mut suggestions: Vec<String> = store
        .entities()?
        .into_iter()
        .filter(|e| e.kind != EntityKind::Date)
        .filter(|e| {
            let k = name_key(&e.name);
            k.split(' ').any(|w| wanted.contains(&w))
        })
        .map(|e| e.name)
        .collect();
    suggestions.sort();
    suggestions.dedup();
    suggestions.truncate(5);
    Err(QueryError::UnknownName {
        name: name.to_string(),
        suggestions,
    })
}

fn what_did_say(store: &Store, question: &str, name: &str) -> Result<Answer> {
    let entity = resolve_name(store, name)?;
    let quotes = store.quotes_by(entity.id)?;
    let mut items = Vec::new();
    if !quotes.is_empty() {
        let evidence = quotes
            .iter()
            .map(|q| evidence(store, q))
            .collect::<Result<Vec<_>>>()?;
        items.push(AnswerItem {
            entity: Some(EntityRef::from(&entity)),
            score: 1.0,
            evidence,
        });
    }
    Ok(Answer {
        question: question.to_string(),
        form: "what did NAME say",
        items,
    })
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.items.is_empty() {
            return writeln!(f, "No answer in the store for: {}", self.question);
        }
        for item in &self.items {
            match &item.entity {
                Some(e) => writeln!(
                    f,
                    "{} ({}, {})  score {:.2}",
                    e.name, e.kind, e.id, item.score
                )?,
                None => writeln!(f, "(speaker unknown)  score {:.2}", item.score)?,
            }
            for ev in &item.evidence {
                writeln!(
                    f,
                    "  “{}”",
                    ev.text.split_whitespace().collect::<Vec<_>>().join(" ")
                )?;
                writeln!(
                    f,
                    "    {} [{}] bytes {}..{}",
                    ev.source, ev.doc, ev.start, ev.end
                )?;
            }
        }
        Ok(())
    }
}
