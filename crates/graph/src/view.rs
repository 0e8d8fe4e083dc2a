//! The petgraph view of a store: entities, events and quotes as nodes, roles as edges.
//!
//! The view is derived from sled and rebuilt on demand; sled stays the source of truth.
//! Traversals (neighbourhoods, exports) use it; point lookups go to the store's indexes.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use annals_model::{EntityId, EventId, QuoteId, Role};
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use petgraph::Direction;

use crate::error::Result;
use crate::records::{EntityRecord, EventRecord, QuoteRecord, RelationRecord};
use crate::Store;

/// What a node of the view stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeRef {
    /// A person, group, place or date.
    Entity(EntityId),
    /// An event.
    Event(EventId),
    /// A quotation.
    Quote(QuoteId),
}

/// What an edge of the view says.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// Event → participant, with the role played.
    Role(Role),
    /// Event → place where it happened.
    Place,
    /// Event → date entity of when it happened.
    When,
    /// Speaker → quote.
    Said,
    /// Entity → entity, a stated relation ("spokesperson for").
    Relation(String),
}

impl EdgeKind {
    /// The edge's label in exports.
    pub fn label(&self) -> &str {
        match self {
            EdgeKind::Role(r) => r.as_str(),
            EdgeKind::Place => "place",
            EdgeKind::When => "when",
            EdgeKind::Said => "said",
            EdgeKind::Relation(r) => r,
        }
    }
}

/// A read-only graph of everything in a store, with the records behind its nodes.
#[derive(Debug, Default)]
pub struct GraphView {
    graph: StableDiGraph<NodeRef, EdgeKind>,
    index: HashMap<NodeRef, NodeIndex>,
    entities: BTreeMap<EntityId, EntityRecord>,
    events: BTreeMap<EventId, EventRecord>,
    quotes: BTreeMap<QuoteId, (QuoteRecord, String)>,
}

impl GraphView {
    /// Builds the view from a store. Nodes and edges are added in id order, so the same
    /// store always gives the same view.
    pub fn load(store: &Store) -> Result<GraphView> {
        let mut v = GraphView::default();
        let mut dates: HashMap<String, EntityId> = HashMap::new();
        for e in store.entities()? {
            v.add_node(NodeRef::Entity(e.id));
            if let Some(value) = &e.value {
                dates.entry(value.clone()).or_insert(e.id);
            }
            v.entities.insert(e.id, e);
        }
        for ev in store.events()? {
            let node = v.add_node(NodeRef::Event(ev.id));
            for a in &ev.actors {
                v.add_edge(node, NodeRef::Entity(a.entity), EdgeKind::Role(a.role));
            }
            for p in &ev.places {
                v.add_edge(node, NodeRef::Entity(*p), EdgeKind::Place);
            }
            if let Some(d) = ev.date.as_ref().and_then(|d| dates.get(d)) {
                v.add_edge(node, NodeRef::Entity(*d), EdgeKind::When);
            }
            v.events.insert(ev.id, ev);
        }
        for q in store.quotes()? {
            let node = v.add_node(NodeRef::Quote(q.id));
            if let Some(s) = q.speaker {
                if let Some(&from) = v.index.get(&NodeRef::Entity(s)) {
                    v.graph.add_edge(from, node, EdgeKind::Said);
                }
            }
            let text = store.span_text(q.prov)?.unwrap_or_default();
            v.quotes.insert(q.id, (q, text));
        }
        for RelationRecord {
            subject,
            relation,
            object,
            ..
        } in store.relations()?
        {
            if let (Some(&from), Some(o)) = (v.index.get(&NodeRef::Entity(subject)), object) {
                v.add_edge(from, NodeRef::Entity(o), EdgeKind::Relation(relation));
            }
        }
        Ok(v)
    }

    fn add_node(&mut self, n: NodeRef) -> NodeIndex {
        let idx = self.graph.add_node(n);
        self.index.insert(n, idx);
        idx
    }

    fn add_edge(&mut self, from: NodeIndex, to: NodeRef, kind: EdgeKind) {
        if let Some(&to) = self.index.get(&to) {
            self.graph.add_edge(from, to, kind);
        }
    }

    /// The underlying petgraph graph.
    pub fn graph(&self) -> &StableDiGraph<NodeRef, EdgeKind> {
        &self.graph
    }

    /// The graph index of a node.
    pub fn node(&self, n: NodeRef) -> Option<NodeIndex> {
        self.index.get(&n).copied()
    }

    /// The record of an entity in the view.
    pub fn entity(&self, id: EntityId) -> Option<&EntityRecord> {
        self.entities.get(&id)
    }

    /// The record of an event in the view.
    pub fn event(&self, id: EventId) -> Option<&EventRecord> {
        self.events.get(&id)
    }

    /// The record of a quote in the view, with its text.
    pub fn quote(&self, id: QuoteId) -> Option<(&QuoteRecord, &str)> {
        self.quotes.get(&id).map(|(q, t)| (q, t.as_str()))
    }

    /// Every node, in a stable order (entities, then events, then quotes, each by id).
    pub fn nodes(&self) -> Vec<NodeRef> {
        let mut n: Vec<NodeRef> = self.index.keys().copied().collect();
        n.sort();
        n
    }

    /// Every edge as (from, to, kind), in a stable order.
    pub fn edges(&self) -> Vec<(NodeRef, NodeRef, &EdgeKind)> {
        let mut out: Vec<(NodeRef, NodeRef, &EdgeKind)> = self
            .graph
            .edge_references()
            .map(|e| (self.graph[e.source()], self.graph[e.target()], e.weight()))
            .collect();
        out.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        out
    }

    /// The nodes within `depth` edges of `start`, following edges either way.
    pub fn neighbourhood(&self, start: &[NodeRef], depth: usize) -> BTreeSet<NodeRef> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::new();
        for s in start {
            if let Some(&i) = self.index.get(s) {
                if seen.insert(*s) {
                    queue.push_back((i, 0));
                }
            }
        }
        while let Some((i, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            let neighbours = self
                .graph
                .neighbors_directed(i, Direction::Outgoing)
                .chain(self.graph.neighbors_directed(i, Direction::Incoming));
            for n in neighbours {
                if seen.insert(self.graph[n]) {
                    queue.push_back((n, d + 1));
                }
            }
        }
        seen
    }
}
