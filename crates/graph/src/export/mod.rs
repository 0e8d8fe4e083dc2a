//! Exporters: the JSON contract, GraphViz DOT, GraphML, RDF N-Triples and Neo4j bulk-import
//! CSV. All but JSON draw from the petgraph view and can be cut down to a [`Selection`].

use std::collections::BTreeSet;

use crate::view::{GraphView, NodeRef};

pub mod dot;
pub mod graphml;
pub mod json;
pub mod neo4j;
pub mod ntriples;

/// Which part of the graph an exporter writes.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only the nodes within [`Selection::depth`] edges of these; all nodes when empty.
    pub around: Vec<NodeRef>,
    /// Edges to follow from `around`.
    pub depth: usize,
    /// Leave quotes out.
    pub without_quotes: bool,
}

impl Selection {
    /// The nodes this selection keeps, in a stable order.
    pub fn nodes(&self, view: &GraphView) -> BTreeSet<NodeRef> {
        let all: BTreeSet<NodeRef> = if self.around.is_empty() {
            view.nodes().into_iter().collect()
        } else {
            view.neighbourhood(&self.around, self.depth)
        };
        all.into_iter()
            .filter(|n| !(self.without_quotes && matches!(n, NodeRef::Quote(_))))
            .collect()
    }
}

/// The id a node has in every export (`e7`, `v3`, `q12`).
pub fn node_id(n: NodeRef) -> String {
    match n {
        NodeRef::Entity(id) => id.to_string(),
        NodeRef::Event(id) => id.to_string(),
        NodeRef::Quote(id) => id.to_string(),
    }
}

/// A node's kind (`person`, `group`, `place`, `date`, `event`, `quote`) and label.
pub fn node_kind_label(view: &GraphView, n: NodeRef) -> (&'static str, String) {
    match n {
        NodeRef::Entity(id) => match view.entity(id) {
            Some(e) => (e.kind.as_str(), e.name.clone()),
            None => ("entity", id.to_string()),
        },
        NodeRef::Event(id) => (
            "event",
            view.event(id)
                .map(|e| e.label.clone())
                .unwrap_or_else(|| id.to_string()),
        ),
        NodeRef::Quote(id) => (
            "quote",
            view.quote(id)
                .map(|(_, t)| t.to_string())
                .unwrap_or_else(|| id.to_string()),
        ),
    }
}
