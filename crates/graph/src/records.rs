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
    pub why: Option<MergeWhy>,
}

/// Why a report was merged into a stored event: what the two agreed on, kept as data
/// (about 30 bytes where its sentence took about 80) and read back as that sentence, its
/// `Display`: "CAMEO root 19; dates 2024-02-07 ~ 2024-02-07; place e3".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeWhy {
    /// The CAMEO roots of the stored event and of the report: the same, or of one family.
    pub roots: (String, String),
    /// What their dates said.
    pub dates: WhyDates,
    /// Whether the stored event was scheduled and the report says it was held.
    pub scheduled: bool,
    /// The places both name.
    pub places: Vec<EntityId>,
    /// The participants both name, in the report's order.
    pub actors: Vec<Actor>,
}

/// What the dates of a merge said ([`MergeWhy::dates`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WhyDates {
    /// Both are dated: the stored event's date, then the report's.
    Both(String, String),
    /// One side or both undated: the days between a publication and the other side.
    Undated(i64),
    /// Nothing to say.
    Unsaid,
}

impl std::fmt::Display for MergeWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (stored, new) = &self.roots;
        if stored == new {
            write!(f, "CAMEO root {new}")?;
        } else {
            write!(f, "CAMEO roots {stored} ~ {new}")?;
        }
        match &self.dates {
            WhyDates::Both(a, b) => write!(f, "; dates {a} ~ {b}")?,
            WhyDates::Undated(days) => write!(f, "; undated, {days} day(s) from publication")?,
            WhyDates::Unsaid => {}
        }
        if self.scheduled {
            f.write_str("; scheduled, then held")?;
        }
        for (i, p) in self.places.iter().enumerate() {
            f.write_str(if i == 0 { "; place " } else { ", " })?;
            write!(f, "{p}")?;
        }
        for (i, a) in self.actors.iter().enumerate() {
            f.write_str(if i == 0 { "; actors " } else { ", " })?;
            write!(f, "{} {}", a.role, a.entity)?;
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The sentence format 20 stored, built as `link::event_match` built it then.
    fn sentence(w: &MergeWhy) -> String {
        let (sr, nr) = &w.roots;
        let mut why = vec![if sr == nr {
            format!("CAMEO root {nr}")
        } else {
            format!("CAMEO roots {sr} ~ {nr}")
        }];
        match &w.dates {
            WhyDates::Both(a, b) => why.push(format!("dates {a} ~ {b}")),
            WhyDates::Undated(d) => why.push(format!("undated, {d} day(s) from publication")),
            WhyDates::Unsaid => {}
        }
        if w.scheduled {
            why.push("scheduled, then held".to_string());
        }
        if !w.places.is_empty() {
            let names: Vec<String> = w.places.iter().map(|p| p.to_string()).collect();
            why.push(format!("place {}", names.join(", ")));
        }
        if !w.actors.is_empty() {
            let actors: Vec<String> = w
                .actors
                .iter()
                .map(|a| format!("{} {}", a.role, a.entity))
                .collect();
            why.push(format!("actors {}", actors.join(", ")));
        }
        why.join("; ")
    }

    proptest! {
        /// Merge evidence kept as data reads back as the sentence it replaced.
        #[test]
        fn merge_evidence_reads_as_its_sentence(
            roots in (prop::sample::select(vec!["18", "19", "11"]),
                      prop::sample::select(vec!["18", "19", "11"])),
            dates in prop_oneof![
                Just(WhyDates::Unsaid),
                (0i64..400).prop_map(WhyDates::Undated),
                Just(WhyDates::Both("2024-02-07".into(), "2024-02".into())),
            ],
            scheduled in any::<bool>(),
            places in prop::collection::vec(1u64..9_000, 0..3),
            actors in prop::collection::vec((any::<bool>(), 1u64..9_000), 0..3),
        ) {
            let w = MergeWhy {
                roots: (roots.0.to_string(), roots.1.to_string()),
                dates,
                scheduled,
                places: places.into_iter().map(EntityId).collect(),
                actors: actors
                    .into_iter()
                    .map(|(s, e)| Actor {
                        role: if s { Role::Source } else { Role::Target },
                        entity: EntityId(e),
                    })
                    .collect(),
            };
            prop_assert_eq!(w.to_string(), sentence(&w));
        }
    }
}
