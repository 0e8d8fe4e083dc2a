//! The `annals-export/1` JSON contract (see shared/eval/README.md and docs/).
//!
//! Every span's `text` is read back from the stored document bytes, so a span that does
//! not round-trip cannot be written: it is reported as an error instead.

use std::collections::HashMap;
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

/// Documents whose texts [`Texts`] keeps at once; when full it starts over, so memory
/// stays bounded however large the store (sections read documents mostly in order).
const TEXT_CACHE: usize = 1024;

/// Reads span texts from document bytes, keeping recent documents.
struct Texts<'a> {
    store: &'a Store,
    cache: HashMap<DocId, String>,
}

impl<'a> Texts<'a> {
    fn new(store: &'a Store) -> Self {
        Texts {
            store,
            cache: HashMap::new(),
        }
    }

    fn span(&mut self, prov: Provenance) -> Result<ExportSpan> {
        if !self.cache.contains_key(&prov.doc) {
            if self.cache.len() >= TEXT_CACHE {
                self.cache.clear();
            }
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

/// Receives the export one record at a time, section by section in the export's order
/// ([`walk`]).
/// Each method does nothing unless implemented, so a sink takes only what it wants.
pub trait Sink {
    /// An article.
    fn document(&mut self, _d: ExportDocument) -> Result<()> {
        Ok(())
    }
    /// An entity with its mentions.
    fn entity(&mut self, _e: ExportEntity) -> Result<()> {
        Ok(())
    }
    /// A quotation.
    fn quote(&mut self, _q: ExportQuote) -> Result<()> {
        Ok(())
    }
    /// An event with its reports.
    fn event(&mut self, _e: ExportEvent) -> Result<()> {
        Ok(())
    }
    /// A stated relation.
    fn relation(&mut self, _r: ExportRelation) -> Result<()> {
        Ok(())
    }
}

/// A top-level array of the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `documents`.
    Documents,
    /// `entities`.
    Entities,
    /// `quotes`.
    Quotes,
    /// `events`.
    Events,
    /// `relations`.
    Relations,
}

/// Every section.
const ALL: [Section; 5] = [
    Section::Documents,
    Section::Entities,
    Section::Quotes,
    Section::Events,
    Section::Relations,
];

/// Walks the wanted sections of a store in export order, handing each record to `sink`
/// as it is made (nothing is collected). Everything comes out in id order, mentions in
/// document and byte order, so the same store always gives the same export.
pub fn walk(store: &Store, sink: &mut dyn Sink, wanted: &[Section]) -> Result<()> {
    let mut texts = Texts::new(store);
    let want = |s: Section| wanted.contains(&s);
    for d in want(Section::Documents)
        .then(|| store.documents())
        .transpose()?
        .unwrap_or_default()
    {
        sink.document(ExportDocument {
            id: d.id.to_string(),
            source: d.meta.source,
            title: d.meta.title,
            published: d.published.or(d.meta.published),
            url: d.meta.url,
            authors: d.meta.authors,
            publisher: d.meta.publisher,
            external_id: d.meta.external_id,
        })?;
    }
    for e in want(Section::Entities)
        .then(|| store.entities())
        .transpose()?
        .unwrap_or_default()
    {
        let mut provs: Vec<Provenance> = store
            .mentions_of(e.id)?
            .into_iter()
            .map(|m| m.prov)
            .collect();
        provs.sort();
        let mentions = provs
            .into_iter()
            .map(|p| texts.span(p))
            .collect::<Result<Vec<_>>>()?;
        sink.entity(ExportEntity {
            id: e.id.to_string(),
            kind: e.kind.as_str(),
            name: e.name,
            aliases: e.aliases,
            value: (e.kind == EntityKind::Date).then_some(e.value),
            author: e.author,
            mentions,
        })?;
    }
    for q in want(Section::Quotes)
        .then(|| store.quotes())
        .transpose()?
        .unwrap_or_default()
    {
        let s = texts.span(q.prov)?;
        sink.quote(ExportQuote {
            id: q.id.to_string(),
            doc: s.doc,
            start: s.start,
            end: s.end,
            text: s.text,
            speaker: q.speaker.map(|s| s.to_string()),
            cue: q.cue,
            date: q.date,
        })?;
    }
    for ev in want(Section::Events)
        .then(|| store.events())
        .transpose()?
        .unwrap_or_default()
    {
        let mut provs: Vec<Provenance> = ev.mentions.iter().map(|m| m.prov).collect();
        provs.sort();
        sink.event(ExportEvent {
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
        })?;
    }
    for r in want(Section::Relations)
        .then(|| store.relations())
        .transpose()?
        .unwrap_or_default()
    {
        sink.relation(ExportRelation {
            subject: r.subject.to_string(),
            relation: r.relation,
            object: r.object.map(|o| o.to_string()),
            evidence: texts.span(r.prov)?,
        })?;
    }
    Ok(())
}

impl Sink for Export {
    fn document(&mut self, d: ExportDocument) -> Result<()> {
        self.documents.push(d);
        Ok(())
    }
    fn entity(&mut self, e: ExportEntity) -> Result<()> {
        self.entities.push(e);
        Ok(())
    }
    fn quote(&mut self, q: ExportQuote) -> Result<()> {
        self.quotes.push(q);
        Ok(())
    }
    fn event(&mut self, e: ExportEvent) -> Result<()> {
        self.events.push(e);
        Ok(())
    }
    fn relation(&mut self, r: ExportRelation) -> Result<()> {
        self.relations.push(r);
        Ok(())
    }
}

/// Builds the export of a whole store in memory. Everything comes out in id order,
/// mentions in document and byte order, so the same store always gives the same export.
/// [`write()`] streams the same export without holding it.
pub fn build(store: &Store) -> Result<Export> {
    build_only(store, &ALL)
}

/// Builds only some sections of the export (the others are left empty): what listing
/// the quotes or the events of a store needs, without the rest.
pub fn build_only(store: &Store, sections: &[Section]) -> Result<Export> {
    let mut export = Export {
        schema: SCHEMA,
        documents: Vec::new(),
        entities: Vec::new(),
        quotes: Vec::new(),
        events: Vec::new(),
        relations: Vec::new(),
    };
    walk(store, &mut export, sections)?;
    Ok(export)
}

/// Writes `value` pretty-printed as serde_json prints it `levels` deep inside arrays or
/// objects: every line indented by two spaces a level (JSON strings hold no newlines),
/// no newline at the end. Streaming writers use it to print one element at a time.
pub fn write_indented<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    levels: usize,
) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let indent = "  ".repeat(levels);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(indent.as_bytes())?;
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// The top-level arrays, in the order the export writes them.
const SECTIONS: [&str; 5] = ["documents", "entities", "quotes", "events", "relations"];

/// Writes records as the elements of the export's top-level arrays, byte for byte as
/// `serde_json::to_writer_pretty` writes the whole [`Export`].
struct JsonSink<'w> {
    out: &'w mut dyn Write,
    /// The index in [`SECTIONS`] of the open section (none before the first).
    open: Option<usize>,
    /// Records written in the open section.
    count: usize,
}

impl JsonSink<'_> {
    /// Closes sections up to (not including) `section`, opening each in between, so a
    /// section with no records comes out as `[]`.
    fn reach(&mut self, section: usize) -> Result<()> {
        while self.open != Some(section) {
            if self.open.is_some() {
                self.out
                    .write_all(if self.count == 0 { b"]" } else { b"\n  ]" })?;
            }
            let next = self.open.map_or(0, |i| i + 1);
            write!(self.out, ",\n  \"{}\": [", SECTIONS[next])?;
            self.open = Some(next);
            self.count = 0;
        }
        Ok(())
    }

    /// Writes one record of the section with index `section`.
    fn item<T: Serialize>(&mut self, section: usize, item: &T) -> Result<()> {
        self.reach(section)?;
        self.out
            .write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        self.count += 1;
        write_indented(self.out, item, 2)?;
        Ok(())
    }

    /// Writes the sections not reached yet and the end of the export.
    fn finish(&mut self) -> Result<()> {
        self.reach(SECTIONS.len() - 1)?;
        self.out
            .write_all(if self.count == 0 { b"]" } else { b"\n  ]" })?;
        self.out.write_all(b"\n}\n")?;
        Ok(())
    }
}

impl Sink for JsonSink<'_> {
    fn document(&mut self, d: ExportDocument) -> Result<()> {
        self.item(0, &d)
    }
    fn entity(&mut self, e: ExportEntity) -> Result<()> {
        self.item(1, &e)
    }
    fn quote(&mut self, q: ExportQuote) -> Result<()> {
        self.item(2, &q)
    }
    fn event(&mut self, e: ExportEvent) -> Result<()> {
        self.item(3, &e)
    }
    fn relation(&mut self, r: ExportRelation) -> Result<()> {
        self.item(4, &r)
    }
}

/// Writes the export of a whole store as pretty-printed JSON with a final newline, one
/// record at a time: the same bytes as serialising [`build`]'s result, without holding
/// the export in memory.
pub fn write(store: &Store, out: &mut dyn Write) -> Result<()> {
    write!(
        out,
        "{{\n  \"schema\": {}",
        serde_json::to_string(SCHEMA).map_err(std::io::Error::from)?
    )?;
    let mut sink = JsonSink {
        out,
        open: None,
        count: 0,
    };
    walk(store, &mut sink, &ALL)?;
    sink.finish()
}
