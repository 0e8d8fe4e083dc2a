//! Answering parsed questions from the store, with evidence.

use std::fmt;

use annals_graph::records::{EntityRecord, EventRecord, QuoteRecord};
use annals_graph::Store;
use annals_model::normalize::name_key;
use annals_model::{EntityId, EntityKind, Provenance};
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

/// An event as shown in an answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventRef {
    /// Its id (`v3`).
    pub id: String,
    /// CAMEO code.
    pub cameo: String,
    /// Short label.
    pub label: String,
    /// ISO date, if known.
    pub date: Option<String>,
    /// asserted, negated, hypothetical or future.
    pub modality: String,
    /// Names of the places.
    pub places: Vec<String>,
    /// Participants as `role=name`.
    pub actors: Vec<String>,
}

/// One answer: who or what, how well it matches, and the evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerItem {
    /// The entity the answer names, if any (the speaker of a quote).
    pub entity: Option<EntityRef>,
    /// The event the answer names, if any (for "when was" and "what happened").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<EventRef>,
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
    evidence_at(store, q.prov)
}

fn evidence_at(store: &Store, prov: Provenance) -> Result<Evidence> {
    let source = store
        .document(prov.doc)?
        .map(|d| d.meta.source)
        .unwrap_or_default();
    Ok(Evidence {
        doc: prov.doc.to_string(),
        source,
        start: prov.span.start(),
        end: prov.span.end(),
        text: store.span_text(prov)?.unwrap_or_default(),
    })
}

/// Answers a question from a store.
pub fn ask(store: &Store, question: &str) -> Result<Answer> {
    match parse(question)? {
        Question::WhoSaid(phrase) => who_said(store, question, &phrase),
        Question::WhatDidSay(name) => what_did_say(store, question, &name),
        Question::WhenWas { event, place } => when_was(store, question, &event, place.as_deref()),
        Question::WhatHappened { place } => what_happened(store, question, place.as_deref()),
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
    // Each article's text is read once, however many quotes it holds.
    let mut texts: std::collections::HashMap<annals_model::DocId, Option<String>> =
        std::collections::HashMap::new();
    for q in store.quotes()? {
        let text = match texts.entry(q.prov.doc) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(store.text(q.prov.doc)?),
        };
        let Some(text) = text.as_deref().and_then(|t| q.prov.span.slice(t)) else {
            continue;
        };
        let score = phrase_score(phrase, text);
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
            event: None,
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
            event: None,
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

/// The events at the places called `name` (every event when `name` is `None`).
fn events_in(store: &Store, name: Option<&str>) -> Result<Vec<EventRecord>> {
    let Some(name) = name else {
        return Ok(store.events()?);
    };
    let places = lookup(store, name)?;
    let mut out: Vec<EventRecord> = Vec::new();
    for p in places {
        for e in store.events_at(p.id)? {
            if !out.iter().any(|o| o.id == e.id) {
                out.push(e);
            }
        }
    }
    out.sort_by_key(|e| e.id);
    Ok(out)
}

fn event_item(store: &Store, e: &EventRecord, score: f32) -> Result<AnswerItem> {
    let name = |id: EntityId| -> Result<String> {
        Ok(store
            .entity(id)?
            .map(|r| r.name)
            .unwrap_or_else(|| id.to_string()))
    };
    let places = e
        .places
        .iter()
        .map(|&p| name(p))
        .collect::<Result<Vec<_>>>()?;
    let actors = e
        .actors
        .iter()
        .map(|a| Ok(format!("{}={}", a.role, name(a.entity)?)))
        .collect::<Result<Vec<_>>>()?;
    // Dated mentions first: they say when.
    let mut mentions: Vec<_> = e.mentions.iter().collect();
    mentions.sort_by_key(|m| (m.date.is_none(), m.prov.doc, m.prov.span.start()));
    let evidence = mentions
        .into_iter()
        .map(|m| evidence_at(store, m.prov))
        .collect::<Result<Vec<_>>>()?;
    Ok(AnswerItem {
        entity: None,
        event: Some(EventRef {
            id: e.id.to_string(),
            cameo: e.cameo.clone(),
            label: e.label.clone(),
            date: e.date.clone(),
            modality: e.modality.as_str().to_string(),
            places,
            actors,
        }),
        score,
        evidence,
    })
}

/// How well an event's label and trigger words match the words of a question.
fn event_score(store: &Store, phrase: &str, e: &EventRecord) -> Result<f32> {
    let mut best = phrase_score(phrase, &e.label);
    for m in &e.mentions {
        if let Some(t) = store.span_text(m.prov)? {
            best = best.max(phrase_score(phrase, &t));
        }
    }
    Ok(best)
}

/// Orders event answers: best match, asserted before other modalities, dated before
/// undated, most reported, then by id.
fn rank(items: &mut [(f32, EventRecord)]) {
    items.sort_by(|(sa, a), (sb, b)| {
        sb.total_cmp(sa)
            .then(
                (a.modality != annals_model::Modality::Asserted)
                    .cmp(&(b.modality != annals_model::Modality::Asserted)),
            )
            .then(a.date.is_none().cmp(&b.date.is_none()))
            .then(b.mentions.len().cmp(&a.mentions.len()))
            .then(a.id.cmp(&b.id))
    });
}

fn when_was(store: &Store, question: &str, event: &str, place: Option<&str>) -> Result<Answer> {
    let mut scored = Vec::new();
    for e in events_in(store, place)? {
        let score = event_score(store, event, &e)?;
        if score >= MIN_SCORE {
            scored.push((score, e));
        }
    }
    event_answer(store, question, "when was/did EVENT [in PLACE]", scored)
}

/// Ranks scored events and turns them into an answer with their evidence.
fn event_answer(
    store: &Store,
    question: &str,
    form: &'static str,
    mut scored: Vec<(f32, EventRecord)>,
) -> Result<Answer> {
    rank(&mut scored);
    let items = scored
        .iter()
        .map(|(s, e)| event_item(store, e, *s))
        .collect::<Result<Vec<_>>>()?;
    Ok(Answer {
        question: question.to_string(),
        form,
        items,
    })
}

fn what_happened(store: &Store, question: &str, place: Option<&str>) -> Result<Answer> {
    let scored = events_in(store, place)?
        .into_iter()
        .map(|e| (1.0, e))
        .collect();
    event_answer(store, question, "what happened [in PLACE]", scored)
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.items.is_empty() {
            return writeln!(f, "No answer in the store for: {}", self.question);
        }
        for item in &self.items {
            if let Some(e) = &item.event {
                let mut line = format!(
                    "{} {} {} on {}",
                    e.id,
                    e.cameo,
                    e.label,
                    e.date.as_deref().unwrap_or("an unknown date")
                );
                if !e.places.is_empty() {
                    line.push_str(&format!(" in {}", e.places.join(", ")));
                }
                if e.modality != "asserted" {
                    line.push_str(&format!(" ({})", e.modality));
                }
                if !e.actors.is_empty() {
                    line.push_str(&format!("; {}", e.actors.join(", ")));
                }
                writeln!(f, "{line}  ({} report(s))", item.evidence.len())?;
                for ev in &item.evidence {
                    writeln!(
                        f,
                        "  “{}”  {} [{}] bytes {}..{}",
                        ev.text.split_whitespace().collect::<Vec<_>>().join(" "),
                        ev.source,
                        ev.doc,
                        ev.start,
                        ev.end
                    )?;
                }
                continue;
            }
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
