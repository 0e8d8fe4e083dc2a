//! What an answer holds (items with evidence, a profile, connecting paths) and how it
//! prints.

use std::fmt;

use annals_graph::records::EntityRecord;
use annals_model::EntityKind;
use serde::Serialize;

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
    /// The sentence around the span.
    pub sentence: String,
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
    /// The largest death toll its reports state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed: Option<u32>,
    /// The largest number of injured its reports state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injured: Option<u32>,
}

/// One answer: who or what, how well it matches, and the evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerItem {
    /// The entity the answer names, if any (a speaker, a victim, a participant).
    pub entity: Option<EntityRef>,
    /// The event the answer names, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<EventRef>,
    /// The part the entity played in the event (`source`, `target`, `victim`, `place`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// How well it matches the question, 0 to 1.
    pub score: f32,
    /// The evidence, best first.
    pub evidence: Vec<Evidence>,
}

/// A stated relation of a profiled entity ("press secretary of" the Pentagon).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fact {
    /// The relation, as extracted ("spokesperson for", "stands for").
    pub relation: String,
    /// The other entity, if named.
    pub other: Option<EntityRef>,
    /// Whether the profiled entity is the object ("X is spokesperson for *it*").
    pub inverse: bool,
    /// The words that state it.
    pub evidence: Evidence,
}

/// An article that mentions a profiled entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleRef {
    /// Document id.
    pub doc: String,
    /// Source path.
    pub source: String,
    /// Headline, if known.
    pub title: Option<String>,
    /// Publication day, if known.
    pub published: Option<String>,
    /// How often the entity is mentioned there.
    pub mentions: usize,
}

/// Everything the store knows of one entity ("who is").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Profile {
    /// The entity.
    pub entity: EntityRef,
    /// Every name it goes by.
    pub aliases: Vec<String>,
    /// Roles, affiliations and other stated relations.
    pub facts: Vec<Fact>,
    /// Articles that mention it, most mentions first (at most the answer limit).
    pub articles: Vec<ArticleRef>,
    /// How many articles mention it.
    pub article_count: usize,
    /// Events it took part in, in date order (at most the answer limit).
    pub events: Vec<AnswerItem>,
    /// How many events it took part in.
    pub event_count: usize,
    /// How many quotes are attributed to it.
    pub quote_count: usize,
}

/// A node on a connecting path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathNode {
    /// Its id (`e7`, `v3`).
    pub id: String,
    /// Its name or label.
    pub name: String,
    /// `person`, `group`, `place`, `date`, `event` or `article`.
    pub kind: String,
}

/// One edge of a connecting path, with the words that state it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// Where the step starts.
    pub from: PathNode,
    /// How they are linked (a role, `place`, a relation, `mentioned in the same article`).
    pub link: String,
    /// Where it ends.
    pub to: PathNode,
    /// The link as a sentence, in the direction it was stated ("Gordon Brown: chancellor
    /// of United Kingdom", "Iraq is target of drone strike").
    pub statement: String,
    /// The evidence for the link.
    pub evidence: Vec<Evidence>,
}

/// A chain of steps from one entity to another.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Connection {
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// The answers to a question, best first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// The form it was parsed as.
    pub form: &'static str,
    /// How many answers matched; `items` holds at most the limit of them.
    pub total: usize,
    /// The answers, best first; empty when nothing matched.
    pub items: Vec<AnswerItem>,
    /// For "who is": the entity's profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// For "how are A and B connected": the shortest connections.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<Connection>,
}

impl Answer {
    /// An answer with items only.
    pub(crate) fn items(
        question: &str,
        form: &'static str,
        total: usize,
        items: Vec<AnswerItem>,
    ) -> Answer {
        Answer {
            question: question.to_string(),
            form,
            total,
            items,
            profile: None,
            connections: Vec::new(),
        }
    }

    /// Whether nothing answers the question.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.profile.is_none() && self.connections.is_empty()
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_evidence(f: &mut fmt::Formatter<'_>, ev: &Evidence, indent: &str) -> fmt::Result {
    writeln!(f, "{indent}“{}”", one_line(&ev.text))?;
    if one_line(&ev.sentence) != one_line(&ev.text) && !ev.sentence.is_empty() {
        writeln!(f, "{indent}  in: {}", one_line(&ev.sentence))?;
    }
    writeln!(
        f,
        "{indent}  {} [{}] bytes {}..{}",
        ev.source, ev.doc, ev.start, ev.end
    )
}

fn event_line(e: &EventRef) -> String {
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
    if let Some(k) = e.killed {
        line.push_str(&format!(", {k} killed"));
    }
    if let Some(i) = e.injured {
        line.push_str(&format!(", {i} injured"));
    }
    if !e.actors.is_empty() {
        line.push_str(&format!("; {}", e.actors.join(", ")));
    }
    line
}

fn write_item(f: &mut fmt::Formatter<'_>, item: &AnswerItem, indent: &str) -> fmt::Result {
    let who = item.entity.as_ref().map(|e| {
        let role = item
            .role
            .as_deref()
            .map(|r| format!(" as {r}"))
            .unwrap_or_default();
        format!("{} ({}, {}){role}", e.name, e.kind, e.id)
    });
    match (&item.event, who) {
        (Some(e), Some(who)) => writeln!(f, "{indent}{who}: {}", event_line(e))?,
        (Some(e), None) => writeln!(
            f,
            "{indent}{}  ({} report(s))",
            event_line(e),
            item.evidence.len()
        )?,
        (None, Some(who)) => writeln!(f, "{indent}{who}  score {:.2}", item.score)?,
        (None, None) => writeln!(f, "{indent}(speaker unknown)  score {:.2}", item.score)?,
    }
    let inner = format!("{indent}  ");
    for ev in &item.evidence {
        write_evidence(f, ev, &inner)?;
    }
    Ok(())
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "No answer in the store for: {}", self.question);
        }
        if let Some(p) = &self.profile {
            writeln!(f, "{} ({}, {})", p.entity.name, p.entity.kind, p.entity.id)?;
            if p.aliases.len() > 1 {
                writeln!(f, "  also called: {}", p.aliases.join("; "))?;
            }
            for fact in &p.facts {
                let other = fact.other.as_ref().map_or("?", |o| o.name.as_str());
                if fact.inverse {
                    writeln!(f, "  {other} is {} it", fact.relation)?;
                } else {
                    writeln!(f, "  {} {other}", fact.relation)?;
                }
                write_evidence(f, &fact.evidence, "    ")?;
            }
            writeln!(
                f,
                "  quoted {} time(s); in {} article(s); in {} event(s)",
                p.quote_count, p.article_count, p.event_count
            )?;
            for a in &p.articles {
                writeln!(
                    f,
                    "  article {} {}{} ({} mention(s))",
                    a.doc,
                    a.source,
                    a.published
                        .as_deref()
                        .map(|d| format!(", {d}"))
                        .unwrap_or_default(),
                    a.mentions
                )?;
            }
            for item in &p.events {
                if let Some(e) = &item.event {
                    let role = item.role.as_deref().unwrap_or("participant");
                    writeln!(f, "  {role} in {}", event_line(e))?;
                    for ev in &item.evidence {
                        write_evidence(f, ev, "    ")?;
                    }
                }
            }
        }
        for (i, c) in self.connections.iter().enumerate() {
            writeln!(f, "connection {} ({} step(s)):", i + 1, c.steps.len())?;
            for s in &c.steps {
                writeln!(
                    f,
                    "  {} ({}) -> {} ({}): {}",
                    s.from.name, s.from.id, s.to.name, s.to.id, s.statement
                )?;
                for ev in &s.evidence {
                    write_evidence(f, ev, "    ")?;
                }
            }
        }
        for item in &self.items {
            write_item(f, item, "")?;
        }
        if self.total > self.items.len() && !self.items.is_empty() {
            writeln!(
                f,
                "({} of {} answers shown; --limit N shows more)",
                self.items.len(),
                self.total
            )?;
        }
        Ok(())
    }
}
