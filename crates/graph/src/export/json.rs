//! The `annals-export/1` JSON contract (see shared/eval/README.md and docs/).
//!
//! Every span's `text` is read back from the stored document bytes, so a span that does
//! not round-trip cannot be written: it is reported as an error instead.

use std::collections::BTreeMap;
use std::io::Write;

use annals_model::{DocId, EntityKind, Provenance};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::Store;

/// The schema name written in every export.
pub const SCHEMA: &str = "annals-export/1";

/// The whole export.
#[derive(Debug, Serialize)]
pub struct Export {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Stored articles.
    pub documents: Vec<ExportDocument>,
    /// People, groups, places and dates.
    pub entities: Vec<ExportEntity>,
    /// Quotations.
    pub quotes: Vec<ExportQuote>,
    /// Events.
    pub events: Vec<ExportEvent>,
    /// Stated relations between entities.
    pub relations: Vec<ExportRelation>,
}

/// An article.
#[derive(Debug, Serialize)]
pub struct ExportDocument {
    /// `d1`, `d2`, ...
    pub id: String,
    /// Path, or `PATH#LINE` for a JSON Lines record.
    pub source: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication date used.
    pub published: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// Bylines.
    pub authors: Vec<String>,
    /// Outlet.
    pub publisher: Option<String>,
    /// The record's own id.
    pub external_id: Option<String>,
}

/// A span with its text.
#[derive(Debug, Serialize)]
pub struct ExportSpan {
    /// Document id.
    pub doc: String,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The bytes, as text.
    pub text: String,
}

/// An entity.
#[derive(Debug, Serialize)]
pub struct ExportEntity {
    /// `e1`, ...
    pub id: String,
    /// person, group, place or date.
    pub kind: &'static str,
    /// Canonical name.
    pub name: String,
    /// Surface forms.
    pub aliases: Vec<String>,
    /// For dates: the ISO value, or `null` when it could not be resolved (the field is
    /// always present on dates and absent on other kinds, as the contract says).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Option<String>>,
    /// Whether it was seen only as an author.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub author: bool,
    /// Where it is mentioned.
    pub mentions: Vec<ExportSpan>,
}

/// A quotation.
#[derive(Debug, Serialize)]
pub struct ExportQuote {
    /// `q1`, ...
    pub id: String,
    /// Document id.
    pub doc: String,
    /// First byte of the quoted words.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The quoted words.
    pub text: String,
    /// Speaker entity id.
    pub speaker: Option<String>,
    /// Attribution cue.
    pub cue: Option<String>,
    /// When it was said.
    pub date: Option<String>,
}

/// An event participant.
#[derive(Debug, Serialize)]
pub struct ExportActor {
    /// source, target or victim.
    pub role: &'static str,
    /// Entity id.
    pub entity: String,
}

/// An event.
#[derive(Debug, Serialize)]
pub struct ExportEvent {
    /// `v1`, ...
    pub id: String,
    /// CAMEO code.
    pub cameo: String,
    /// Short label.
    pub label: String,
    /// ISO date or null.
    pub date: Option<String>,
    /// Place entity ids.
    pub places: Vec<String>,
    /// Participants.
    pub actors: Vec<ExportActor>,
    /// asserted, negated, hypothetical or future.
    pub modality: &'static str,
    /// For aggregates: the stated count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The largest death toll stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed: Option<u32>,
    /// The largest number of injured stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injured: Option<u32>,
    /// Every report of it.
    pub mentions: Vec<ExportSpan>,
    /// Why mentions were merged.
    pub evidence: Vec<String>,
}

/// A relation between entities.
#[derive(Debug, Serialize)]
pub struct ExportRelation {
    /// Subject entity id.
    pub subject: String,
    /// The relation.
    pub relation: String,
    /// Object entity id.
    pub object: Option<String>,
    /// The words stating it.
    pub evidence: ExportSpan,
}

/// Reads span texts from document bytes, loading each document once.
struct Texts<'a> {
    store: &'a Store,
    cache: BTreeMap<DocId, String>,
}

impl Texts<'_> {
    fn span(&mut self, prov: Provenance) -> Result<ExportSpan> {
        if !self.cache.contains_key(&prov.doc) {
            let text = self.store.text(prov.doc)?.unwrap_or_default();
            self.cache.insert(prov.doc, text);
        }
        let text = prov
            .span
            .slice(&self.cache[&prov.doc])
            .ok_or_else(|| StoreError::Corrupt {
                tree: "doc_text",
                reason: format!(
                    "span {}..{} of {} does not fit its document",
                    prov.span.start(),
                    prov.span.end(),
                    prov.doc
                ),
            })?;
        Ok(ExportSpan {
            doc: prov.doc.to_string(),
            start: prov.span.start(),
            end: prov.span.end(),
            text: text.to_string(),
        })
    }
}

/// Builds the export of a whole store. Everything comes out in id order, mentions in
/// document and byte order, so the same store always gives the same export.
pub fn build(store: &Store) -> Result<Export> {
    let mut texts = Texts {
        store,
        cache: BTreeMap::new(),
    };
    let documents = store
        .documents()?
        .into_iter()
        .map(|d| ExportDocument {
            id: d.id.to_string(),
            source: d.meta.source,
            title: d.meta.title,
            published: d.published.or(d.meta.published),
            url: d.meta.url,
            authors: d.meta.authors,
            publisher: d.meta.publisher,
            external_id: d.meta.external_id,
        })
        .collect();
    let mut mentions: BTreeMap<_, Vec<Provenance>> = BTreeMap::new();
    for m in store.mentions()? {
        mentions.entry(m.entity).or_default().push(m.prov);
    }
    let mut entities = Vec::new();
    for e in store.entities()? {
        let mut provs = mentions.remove(&e.id).unwrap_or_default();
        provs.sort();
        let mentions = provs
            .into_iter()
            .map(|p| texts.span(p))
            .collect::<Result<Vec<_>>>()?;
        entities.push(ExportEntity {
            id: e.id.to_string(),
            kind: e.kind.as_str(),
            name: e.name,
            aliases: e.aliases,
            value: (e.kind == EntityKind::Date).then_some(e.value),
            author: e.author,
            mentions,
        });
    }
    let mut quotes = Vec::new();
    for q in store.quotes()? {
        let s = texts.span(q.prov)?;
        quotes.push(ExportQuote {
            id: q.id.to_string(),
            doc: s.doc,
            start: s.start,
            end: s.end,
            text: s.text,
            speaker: q.speaker.map(|s| s.to_string()),
            cue: q.cue,
            date: q.date,
        });
    }
    let mut events = Vec::new();
    for ev in store.events()? {
        let mut provs: Vec<Provenance> = ev.mentions.iter().map(|m| m.prov).collect();
        provs.sort();
        events.push(ExportEvent {
            id: ev.id.to_string(),
            cameo: ev.cameo,
            label: ev.label,
            date: ev.date,
            places: ev.places.iter().map(|p| p.to_string()).collect(),
            actors: ev
                .actors
                .iter()
                .map(|a| ExportActor {
                    role: a.role.as_str(),
                    entity: a.entity.to_string(),
                })
                .collect(),
            modality: ev.modality.as_str(),
            count: ev.count,
            killed: ev.killed,
            injured: ev.injured,
            mentions: provs
                .into_iter()
                .map(|p| texts.span(p))
                .collect::<Result<Vec<_>>>()?,
            evidence: ev.evidence,
        });
    }
    let mut relations = Vec::new();
    for r in store.relations()? {
        relations.push(ExportRelation {
            subject: r.subject.to_string(),
            relation: r.relation,
            object: r.object.map(|o| o.to_string()),
            evidence: texts.span(r.prov)?,
        });
    }
    Ok(Export {
        schema: SCHEMA,
        documents,
        entities,
        quotes,
        events,
        relations,
    })
}

/// Writes the export of a whole store as pretty-printed JSON with a final newline.
pub fn write(store: &Store, out: &mut dyn Write) -> Result<()> {
    let export = build(store)?;
    serde_json::to_writer_pretty(&mut *out, &export).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}
