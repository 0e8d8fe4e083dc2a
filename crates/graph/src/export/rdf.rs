//! The RDF statements of the graph, written by [`super::ntriples`] and [`super::turtle`]:
//! one generator, two serialisations, so both files always hold the same triples.
//!
//! Every node is an IRI under `urn:annals:` ([`NODE_NS`]), typed with a class of the
//! `urn:annals:schema#` vocabulary ([`SCHEMA_NS`]) and labelled with `rdfs:label`.
//! Documents are nodes too (`urn:annals:d1`) with their source, title and publication day.
//! Provenance rides on the statements: each event, quote and entity points with
//! `schema:evidence` at one blank node per mention (`_:m1`, …) that gives the document
//! (`prov:wasDerivedFrom`), the byte span (`schema:start`, `schema:end`) and the text;
//! stated relations are reified `rdf:Statement`s (`_:r0`, …) with
//! `prov:wasDerivedFrom` an evidence node. Blank node labels are the same in both
//! serialisations.

use std::collections::BTreeMap;

use annals_model::{DocId, Provenance};

use super::{node_id, node_kind_label, Selection};
use crate::error::Result;
use crate::view::{GraphView, NodeRef};
use crate::Store;

/// The RDF vocabulary namespace.
pub const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// The RDF Schema namespace.
pub const RDFS_NS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// The W3C provenance namespace.
pub const PROV_NS: &str = "http://www.w3.org/ns/prov#";
/// The XML Schema datatypes namespace.
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema#";
/// Where the nodes of the graph live: `urn:annals:e7`, `urn:annals:d1`.
pub const NODE_NS: &str = "urn:annals:";
/// Annals' own classes and properties: `urn:annals:schema#Person`.
pub const SCHEMA_NS: &str = "urn:annals:schema#";

/// One term of a triple.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Term {
    /// An IRI, whole.
    Iri(String),
    /// A blank node, by its label (without `_:`).
    Blank(String),
    /// A literal: its text and, when typed, the datatype IRI.
    Literal {
        /// The text.
        value: String,
        /// The datatype IRI (`xsd:integer`), or `None` for a plain string.
        datatype: Option<String>,
    },
}

impl Term {
    /// A node of the graph (`e7`, `d1`) as an IRI under [`NODE_NS`].
    pub fn node(local: &str) -> Term {
        Term::Iri(format!("{NODE_NS}{local}"))
    }

    /// A class or property of [`SCHEMA_NS`].
    pub fn schema(name: &str) -> Term {
        Term::Iri(format!("{SCHEMA_NS}{name}"))
    }

    /// A plain string literal.
    pub fn string(value: &str) -> Term {
        Term::Literal {
            value: value.to_string(),
            datatype: None,
        }
    }

    /// An `xsd:integer` literal.
    pub fn integer(n: impl ToString) -> Term {
        Term::Literal {
            value: n.to_string(),
            datatype: Some(format!("{XSD_NS}integer")),
        }
    }
}

impl Term {
    /// The term in N-Triples and Turtle syntax, with IRIs written by `iri` (whole, or
    /// prefixed where Turtle can) and literals escaped by [`super::ntriples::literal`].
    pub fn write(&self, iri: impl Fn(&str) -> String) -> String {
        match self {
            Term::Iri(i) => iri(i),
            Term::Blank(b) => format!("_:{b}"),
            Term::Literal {
                value,
                datatype: None,
            } => super::ntriples::literal(value),
            Term::Literal {
                value,
                datatype: Some(d),
            } => format!("{}^^{}", super::ntriples::literal(value), iri(d)),
        }
    }
}

fn iri(ns: &str, local: &str) -> Term {
    Term::Iri(format!("{ns}{local}"))
}

/// The class of a node kind: `person` → `schema:Person`.
pub fn class(kind: &str) -> Term {
    let mut c = kind.to_string();
    if let Some(f) = c.get_mut(..1) {
        f.make_ascii_uppercase();
    }
    Term::schema(&c)
}

/// The property of an edge label: `spokesperson for` → `schema:spokesperson_for`.
pub fn property(label: &str) -> Term {
    Term::schema(&label.replace(|c: char| !c.is_alphanumeric(), "_"))
}

/// Receives the triples, in the order the generator makes them.
pub type Sink<'a> = dyn FnMut(&Term, &Term, &Term) -> Result<()> + 'a;

/// Gives evidence nodes their labels and triples.
struct Evidence<'a> {
    store: &'a Store,
    texts: BTreeMap<DocId, String>,
    next: usize,
}

impl Evidence<'_> {
    /// A fresh evidence node label.
    fn label(&mut self) -> Term {
        self.next += 1;
        Term::Blank(format!("m{}", self.next))
    }

    /// The triples of an evidence node for a span.
    fn describe(&mut self, node: &Term, prov: Provenance, sink: &mut Sink<'_>) -> Result<()> {
        if !self.texts.contains_key(&prov.doc) {
            let text = self.store.text(prov.doc)?.unwrap_or_default();
            self.texts.insert(prov.doc, text);
        }
        let text = prov.span.slice(&self.texts[&prov.doc]).unwrap_or_default();
        sink(node, &iri(RDF_NS, "type"), &Term::schema("Evidence"))?;
        sink(
            node,
            &iri(PROV_NS, "wasDerivedFrom"),
            &Term::node(&prov.doc.to_string()),
        )?;
        sink(
            node,
            &Term::schema("start"),
            &Term::integer(prov.span.start()),
        )?;
        sink(node, &Term::schema("end"), &Term::integer(prov.span.end()))?;
        sink(node, &Term::schema("text"), &Term::string(text))
    }
}

/// Generates the triples of the selected part of the graph, with the documents and the
/// provenance, and hands each to `sink`. Each subject's own triples come together,
/// followed by the evidence nodes it points at.
pub fn triples(
    store: &Store,
    view: &GraphView,
    sel: &Selection,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let keep = sel.nodes(view);
    let (rdf_type, label) = (iri(RDF_NS, "type"), iri(RDFS_NS, "label"));
    let mut ev = Evidence {
        store,
        texts: BTreeMap::new(),
        next: 0,
    };
    for d in store.documents()? {
        let s = Term::node(&d.id.to_string());
        sink(&s, &rdf_type, &Term::schema("Document"))?;
        sink(&s, &Term::schema("source"), &Term::string(&d.meta.source))?;
        if let Some(t) = &d.meta.title {
            sink(&s, &label, &Term::string(t))?;
        }
        if let Some(p) = d.published.as_ref().or(d.meta.published.as_ref()) {
            sink(&s, &Term::schema("published"), &Term::string(p))?;
        }
    }
    let mut mentions: BTreeMap<_, Vec<Provenance>> = BTreeMap::new();
    for m in store.mentions()? {
        mentions.entry(m.entity).or_default().push(m.prov);
    }
    for &n in &keep {
        let s = Term::node(&node_id(n));
        let (kind, name) = node_kind_label(view, n);
        sink(&s, &rdf_type, &class(kind))?;
        sink(&s, &label, &Term::string(&name))?;
        let provs: Vec<Provenance> = match n {
            NodeRef::Entity(id) => {
                if let Some(e) = view.entity(id) {
                    for a in &e.aliases {
                        sink(&s, &Term::schema("alias"), &Term::string(a))?;
                    }
                    if let Some(v) = &e.value {
                        sink(&s, &Term::schema("value"), &Term::string(v))?;
                    }
                }
                mentions.remove(&id).unwrap_or_default()
            }
            NodeRef::Event(id) => match view.event(id) {
                Some(e) => {
                    sink(&s, &Term::schema("cameo"), &Term::string(&e.cameo))?;
                    sink(
                        &s,
                        &Term::schema("modality"),
                        &Term::string(e.modality.as_str()),
                    )?;
                    if let Some(d) = &e.date {
                        sink(&s, &Term::schema("date"), &Term::string(d))?;
                    }
                    e.mentions.iter().map(|m| m.prov).collect()
                }
                None => Vec::new(),
            },
            NodeRef::Quote(id) => match view.quote(id) {
                Some((q, _)) => {
                    if let Some(d) = &q.date {
                        sink(&s, &Term::schema("date"), &Term::string(d))?;
                    }
                    vec![q.prov]
                }
                None => Vec::new(),
            },
        };
        let nodes: Vec<Term> = provs.iter().map(|_| ev.label()).collect();
        for m in &nodes {
            sink(&s, &Term::schema("evidence"), m)?;
        }
        for (m, p) in nodes.iter().zip(provs) {
            ev.describe(m, p, sink)?;
        }
    }
    for (from, to, kind) in view.edges() {
        if keep.contains(&from) && keep.contains(&to) {
            sink(
                &Term::node(&node_id(from)),
                &property(kind.label()),
                &Term::node(&node_id(to)),
            )?;
        }
    }
    // Stated relations carry their own evidence: reified statements.
    for (i, r) in store.relations()?.into_iter().enumerate() {
        let (subj, obj) = (NodeRef::Entity(r.subject), r.object.map(NodeRef::Entity));
        if !keep.contains(&subj) || obj.is_some_and(|o| !keep.contains(&o)) {
            continue;
        }
        let st = Term::Blank(format!("r{i}"));
        sink(&st, &rdf_type, &iri(RDF_NS, "Statement"))?;
        sink(&st, &iri(RDF_NS, "subject"), &Term::node(&node_id(subj)))?;
        sink(&st, &iri(RDF_NS, "predicate"), &Term::schema("relation"))?;
        let object = match obj {
            Some(o) => Term::node(&node_id(o)),
            None => Term::string(&r.relation),
        };
        sink(&st, &iri(RDF_NS, "object"), &object)?;
        sink(&st, &label, &Term::string(&r.relation))?;
        let m = ev.label();
        sink(&st, &iri(PROV_NS, "wasDerivedFrom"), &m)?;
        ev.describe(&m, r.prov, sink)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_capitalised_kinds_and_properties_safe_names() {
        assert_eq!(
            class("person"),
            Term::Iri("urn:annals:schema#Person".into())
        );
        assert_eq!(
            property("spokesperson for"),
            Term::Iri("urn:annals:schema#spokesperson_for".into())
        );
        assert_eq!(
            property("a<b>{c}"),
            Term::Iri("urn:annals:schema#a_b__c_".into())
        );
    }
}
