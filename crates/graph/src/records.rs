//! Stored types: what each sled tree holds. Changing them changes the format version.

use annals_model::{
    DocId, DocumentMeta, EntityId, EntityKind, EventId, Modality, Provenance, QuoteId, Role, Span,
};
use serde::{Deserialize, Serialize};

/// A stored article (tree `documents`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocRecord {
    /// Its id.
    pub id: DocId,
    /// Metadata as read.
    pub meta: DocumentMeta,
    /// The publication day used for resolving dates (metadata or dateline), if any.
    pub published: Option<String>,
    /// SHA-256 of the text bytes; the same bytes are the same article.
    pub hash: [u8; 32],
    /// Length of the text in bytes.
    pub len: u64,
    /// Diagnostics the extractor left, as messages.
    pub diagnostics: Vec<String>,
}

/// Why an entity absorbed a mention cluster from an article (kept in
/// [`EntityInDoc::merged`]; read with [`crate::Store::merges_of`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeEvidence {
    /// The article whose cluster was merged in.
    pub doc: DocId,
    /// The name keys that matched.
    pub keys: Vec<String>,
}

/// A stored entity: one real-world thing across articles (tree `entities`).
///
/// Its size does not grow with the articles that mention it (only with its distinct
/// surface forms): mentions and merge evidence are in `mentions`, one key per article,
/// so the record is rewritten only when a new form is seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRecord {
    /// Its id.
    pub id: EntityId,
    /// Person, group, place or date.
    pub kind: EntityKind,
    /// The canonical name (for dates, the ISO value).
    pub name: String,
    /// Every surface form seen, sorted, without duplicates.
    pub aliases: Vec<String>,
    /// For dates: the ISO value, or `None` when unresolved.
    pub value: Option<String>,
    /// Whether it was seen only as an article's author.
    pub author: bool,
}

/// A stored quotation (tree `quotes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRecord {
    /// Its id.
    pub id: QuoteId,
    /// Where the quoted words are.
    pub prov: Provenance,
    /// Who said it, if known.
    pub speaker: Option<EntityId>,
    /// The attribution cue, as written.
    pub cue: Option<String>,
    /// When it was said, if the text says.
    pub date: Option<String>,
    /// The quoted words: the bytes of `prov`'s span, kept with the record so that
    /// matching a phrase against many quotes reads no articles.
    pub text: String,
}

/// One article's report of an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMention {
    /// The trigger words.
    pub prov: Provenance,
    /// The code this mention was given.
    pub cameo: String,
    /// The date this mention gives, if any.
    pub date: Option<String>,
}

/// A participant in a stored event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The part played.
    pub role: Role,
    /// Who.
    pub entity: EntityId,
}

/// An event as read: one real happening with every report of it.
///
/// The store keeps the fixed-size part in `events` ([`StoredEvent`]) and each report in
/// `event_mentions` ([`EventMentionRecord`]); reads put them together, so an event that
/// recurs in thousands of articles is not rewritten whole by each of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Its id.
    pub id: EventId,
    /// CAMEO code of the first mention.
    pub cameo: String,
    /// A short label.
    pub label: String,
    /// The most precise date the mentions agree on.
    pub date: Option<String>,
    /// Where.
    pub places: Vec<EntityId>,
    /// Who took part.
    pub actors: Vec<Actor>,
    /// Asserted, negated, hypothetical or future.
    pub modality: Modality,
    /// For aggregates: the stated count.
    pub count: Option<u32>,
    /// The largest death toll its reports state.
    pub killed: Option<u32>,
    /// The largest number of injured its reports state.
    pub injured: Option<u32>,
    /// Every report of it, in the order they were added.
    pub mentions: Vec<EventMention>,
    /// Why mentions were merged in, one line per merge.
    pub evidence: Vec<String>,
}

/// The stored part of an event (tree `events`): everything linking compares, but not
/// the reports, so it is rewritten only when a report changes what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// Its id.
    pub id: EventId,
    /// CAMEO code of the first mention.
    pub cameo: String,
    /// A short label.
    pub label: String,
    /// The most precise date the mentions agree on.
    pub date: Option<String>,
    /// Where.
    pub places: Vec<EntityId>,
    /// Who took part.
    pub actors: Vec<Actor>,
    /// Asserted, negated, hypothetical or future.
    pub modality: Modality,
    /// For aggregates: the stated count.
    pub count: Option<u32>,
    /// The largest death toll its reports state.
    pub killed: Option<u32>,
    /// The largest number of injured its reports state.
    pub injured: Option<u32>,
    /// The publication day (`YYYY-MM-DD`) of the first of its reports whose day is
    /// known; all of them are in the `event_mentions` keys. Set once, so that a report
    /// that changes nothing else does not rewrite the record.
    pub first_published: Option<String>,
    /// The stems (`normalize::stem`) of the words of its label and of its reports'
    /// triggers, sorted: the `event_words` lists it is in, so a report adds only new ones.
    pub words: Vec<String>,
    /// How many reports it has (its `event_mentions` entries), so answers rank events by
    /// how often they were reported without reading the reports.
    pub reports: u32,
}

/// One report of an event (tree `event_mentions`, key event id · publication day number
/// of its article (0 when unknown) · doc id · the mention's index in the article; reads
/// put the reports in document order, the order they were added).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMentionRecord {
    /// The report.
    pub mention: EventMention,
    /// Why it was merged into the event (`None` for the report that created it); read
    /// back as the line `"{doc}: {why}"` of [`EventRecord::evidence`].
    pub why: Option<String>,
}

/// A stated relation between entities (tree `relations`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationRecord {
    /// The entity the relation is about.
    pub subject: EntityId,
    /// The relation ("spokesperson for").
    pub relation: String,
    /// The other entity, if named.
    pub object: Option<EntityId>,
    /// The words that state it.
    pub prov: Provenance,
}

/// An entity's mentions in one article and the merges that brought them there (tree
/// `mentions`, key entity id · doc id): one key per entity and article, written once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityInDoc {
    /// Where the article mentions it, in byte order, without duplicates.
    pub spans: Vec<Span>,
    /// For each cluster of the article that was merged into the stored entity, the name
    /// keys that matched, in the article's order (empty when the article created it).
    pub merged: Vec<Vec<String>>,
}

/// An entity mention, as read (from [`EntityInDoc`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRecord {
    /// The entity mentioned.
    pub entity: EntityId,
    /// Where.
    pub prov: Provenance,
}
