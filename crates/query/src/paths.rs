//! "How are A and B connected": the shortest chains of events and stated relations
//! between two entities, found by a breadth-first search over the store's indexes, with
//! the words behind every step; when there is none, the articles that name both.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use annals_model::{DocId, EntityId, EventId, Provenance};

use crate::answer::{Connection, PathNode, Step};
use crate::forms::{event_ref, role_of, AskOptions};
use crate::reader::Reader;
use crate::Result;

/// Edges a connection may have at most (entity, event, entity, event, entity, ...).
const MAX_DEPTH: usize = 6;

/// Nodes the search visits at most, so a hub entity cannot make it run away.
const MAX_VISITED: usize = 50_000;

/// Reports of an event shown as evidence for one step through it.
const EVIDENCE_PER_STEP: usize = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Node {
    Entity(EntityId),
    Event(EventId),
}

/// An edge: where it leads, its label, whether it runs against the stated direction
/// (from a relation's object to its subject), and the spans that state it.
#[derive(Clone)]
struct Edge {
    to: Node,
    link: String,
    reversed: bool,
    evidence: Proof,
}

/// The spans that state an edge: given (a relation's), or an event's first reports,
/// read only for the edges of the connections shown (a hub entity has tens of
/// thousands of events, each with its reports).
#[derive(Clone)]
enum Proof {
    Spans(Vec<Provenance>),
    Event(EventId),
}

impl Proof {
    fn spans(&self, r: &Reader) -> Result<Vec<Provenance>> {
        Ok(match self {
            Proof::Spans(spans) => spans.clone(),
            Proof::Event(id) => match r.store.event(*id)? {
                Some(e) => e
                    .mentions
                    .iter()
                    .take(EVIDENCE_PER_STEP)
                    .map(|m| m.prov)
                    .collect(),
                None => Vec::new(),
            },
        })
    }
}

/// The edges of a node, in a stable order.
fn edges(r: &Reader, n: Node) -> Result<Vec<Edge>> {
    let mut out = Vec::new();
    match n {
        Node::Entity(id) => {
            for e in r.store.stored_events_involving(id)? {
                out.push(Edge {
                    to: Node::Event(e.id),
                    link: role_of(&e.actors, id),
                    reversed: false,
                    evidence: Proof::Event(e.id),
                });
            }
            for rel in r.store.relations_of(id)? {
                let other = if rel.subject == id {
                    rel.object
                } else {
                    Some(rel.subject)
                };
                if let Some(o) = other.filter(|o| *o != id) {
                    out.push(Edge {
                        to: Node::Entity(o),
                        link: rel.relation.clone(),
                        reversed: rel.subject != id,
                        evidence: Proof::Spans(vec![rel.prov]),
                    });
                }
            }
        }
        Node::Event(id) => {
            if let Some(e) = r.store.stored_events_among(&[id])?.pop() {
                for a in &e.actors {
                    out.push(Edge {
                        to: Node::Entity(a.entity),
                        link: a.role.as_str().to_string(),
                        reversed: true,
                        evidence: Proof::Event(id),
                    });
                }
                for &p in &e.places {
                    out.push(Edge {
                        to: Node::Entity(p),
                        link: "place".into(),
                        reversed: true,
                        evidence: Proof::Event(id),
                    });
                }
            }
        }
    }
    Ok(out)
}

fn path_node(r: &Reader, n: Node) -> Result<PathNode> {
    Ok(match n {
        Node::Entity(id) => {
            let e = r.entity_ref(id)?;
            PathNode {
                id: e.id,
                name: e.name,
                kind: e.kind.as_str().to_string(),
            }
        }
        Node::Event(id) => match r.store.event(id)? {
            Some(e) => {
                let e = event_ref(r, &e)?;
                let name = match &e.date {
                    Some(d) => format!("{} ({d})", e.label),
                    None => e.label,
                };
                PathNode {
                    id: e.id,
                    name,
                    kind: "event".into(),
                }
            }
            None => PathNode {
                id: id.to_string(),
                name: id.to_string(),
                kind: "event".into(),
            },
        },
    })
}

/// The shortest connections from `a` to `b` (at most the limit), or, when the graph
/// has none, one per article that mentions both.
pub(crate) fn connect(
    r: &Reader,
    a: EntityId,
    b: EntityId,
    opts: &AskOptions,
) -> Result<Vec<Connection>> {
    let want = if opts.limit == 0 { 20 } else { opts.limit };
    if a == b {
        return Ok(Vec::new());
    }
    // Breadth-first, keeping every parent at the shortest distance.
    let (start, goal) = (Node::Entity(a), Node::Entity(b));
    let mut dist: HashMap<Node, usize> = HashMap::from([(start, 0)]);
    let mut parents: HashMap<Node, Vec<(Node, Edge)>> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut found_at = None;
    while let Some(n) = queue.pop_front() {
        let d = dist[&n];
        if found_at.is_some_and(|f| d >= f) || d >= MAX_DEPTH || dist.len() > MAX_VISITED {
            break;
        }
        for e in edges(r, n)? {
            match dist.get(&e.to) {
                Some(&known) if known == d + 1 => {
                    parents.entry(e.to).or_default().push((n, e));
                }
                Some(_) => {}
                None => {
                    let to = e.to;
                    dist.insert(to, d + 1);
                    parents.entry(to).or_default().push((n, e.clone()));
                    if to == goal {
                        found_at = Some(d + 1);
                    } else {
                        queue.push_back(to);
                    }
                }
            }
        }
    }
    if found_at.is_none() {
        return co_mentions(r, a, b, want);
    }
    // Walk back from the goal, depth first, in a stable order.
    let mut chains: Vec<Vec<(Node, &Edge)>> = Vec::new();
    let mut stack: Vec<(Node, Vec<(Node, &Edge)>)> = vec![(goal, vec![])];
    while let Some((n, tail)) = stack.pop() {
        if chains.len() >= want {
            break;
        }
        if n == start {
            let mut chain = tail;
            chain.reverse();
            chains.push(chain);
            continue;
        }
        let mut ps: Vec<&(Node, Edge)> = parents
            .get(&n)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        ps.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.link.cmp(&x.1.link)));
        for (p, edge) in ps {
            let mut t = tail.clone();
            t.push((*p, edge));
            stack.push((*p, t));
        }
    }
    let mut out = Vec::new();
    for chain in chains {
        let mut steps = Vec::new();
        for (from, edge) in chain {
            let (from, to) = (path_node(r, from)?, path_node(r, edge.to)?);
            steps.push(Step {
                statement: statement(&from, edge, &to),
                from,
                link: edge.link.clone(),
                to,
                evidence: edge
                    .evidence
                    .spans(r)?
                    .iter()
                    .map(|p| r.evidence(*p))
                    .collect::<Result<_>>()?,
            });
        }
        out.push(Connection { steps });
    }
    Ok(out)
}

/// A step as a sentence, in the direction its source states it.
fn statement(from: &PathNode, edge: &Edge, to: &PathNode) -> String {
    let (subject, object) = if edge.reversed {
        (to, from)
    } else {
        (from, to)
    };
    if object.kind == "event" {
        return match edge.link.as_str() {
            "place" => format!("{} happened in {}", object.name, subject.name),
            role => format!("{} is {role} of {}", subject.name, object.name),
        };
    }
    format!("{}: {} {}", subject.name, edge.link, object.name)
}

/// One connection per article that mentions both entities (at most `want`), each with
/// the first mention of either there.
fn co_mentions(r: &Reader, a: EntityId, b: EntityId, want: usize) -> Result<Vec<Connection>> {
    let first_mentions = |id: EntityId| -> Result<BTreeMap<DocId, Provenance>> {
        let mut m = BTreeMap::new();
        for x in r.store.mentions_of(id)? {
            m.entry(x.prov.doc)
                .and_modify(|p: &mut Provenance| {
                    if x.prov.span.start() < p.span.start() {
                        *p = x.prov;
                    }
                })
                .or_insert(x.prov);
        }
        Ok(m)
    };
    let (ma, mb) = (first_mentions(a)?, first_mentions(b)?);
    let shared: BTreeSet<&DocId> = ma.keys().filter(|d| mb.contains_key(d)).collect();
    let mut out = Vec::new();
    for d in shared.into_iter().take(want) {
        out.push(Connection {
            steps: vec![Step {
                statement: format!("both are named in {d}"),
                from: path_node(r, Node::Entity(a))?,
                link: "mentioned in the same article".into(),
                to: path_node(r, Node::Entity(b))?,
                evidence: vec![r.evidence(ma[d])?, r.evidence(mb[d])?],
            }],
        });
    }
    Ok(out)
}
