//! RDF export as N-Triples, loadable by any triple store (Oxigraph, Jena, GraphDB,
//! Virtuoso) or rdflib. Every node is an IRI under `urn:annals:`, typed with a class of the
//! `urn:annals:schema#` vocabulary and labelled with `rdfs:label`. Provenance rides on the
//! statements: each event, quote, entity mention and stated relation points at evidence
//! nodes that give the document, the byte span and the text (relations as reified
//! `rdf:Statement`s with `prov:wasDerivedFrom`).

use std::collections::BTreeMap;
use std::io::Write;

use annals_model::{DocId, Provenance};

use super::{node_id, node_kind_label, Selection};
use crate::error::Result;
use crate::view::{GraphView, NodeRef};
use crate::Store;

const RDF_TYPE: &str = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
const RDFS_LABEL: &str = "<http://www.w3.org/2000/01/rdf-schema#label>";
const PROV_DERIVED: &str = "<http://www.w3.org/ns/prov#wasDerivedFrom>";
const XSD_INT: &str = "http://www.w3.org/2001/XMLSchema#integer";

/// Escapes a string as the body of an N-Triples literal.
pub fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn iri(local: &str) -> String {
    format!("<urn:annals:{local}>")
}

fn term(name: &str) -> String {
    format!("<urn:annals:schema#{name}>")
}

fn class(kind: &str) -> String {
    let mut c = kind.to_string();
    if let Some(f) = c.get_mut(..1) {
        f.make_ascii_uppercase();
    }
    term(&c)
}

/// Writes evidence triples for a span and returns the evidence node.
struct Evidence<'a> {
    store: &'a Store,
    texts: BTreeMap<DocId, String>,
    next: usize,
}

impl Evidence<'_> {
    fn node(&mut self, prov: Provenance, out: &mut dyn Write) -> Result<String> {
        self.next += 1;
        let node = format!("_:m{}", self.next);
        if !self.texts.contains_key(&prov.doc) {
            let text = self.store.text(prov.doc)?.unwrap_or_default();
            self.texts.insert(prov.doc, text);
        }
        let text = prov.span.slice(&self.texts[&prov.doc]).unwrap_or_default();
        writeln!(out, "{node} {RDF_TYPE} {} .", term("Evidence"))?;
        writeln!(
            out,
            "{node} {PROV_DERIVED} {} .",
            iri(&prov.doc.to_string())
        )?;
        writeln!(
            out,
            "{node} {} \"{}\"^^<{XSD_INT}> .",
            term("start"),
            prov.span.start()
        )?;
        writeln!(
            out,
            "{node} {} \"{}\"^^<{XSD_INT}> .",
            term("end"),
            prov.span.end()
        )?;
        writeln!(out, "{node} {} {} .", term("text"), literal(text))?;
        Ok(node)
    }
}

/// Writes the selected part of the graph, with documents and provenance, as N-Triples.
pub fn write(store: &Store, view: &GraphView, opts: &Selection, out: &mut dyn Write) -> Result<()> {
    let keep = opts.nodes(view);
    let mut ev = Evidence {
        store,
        texts: BTreeMap::new(),
        next: 0,
    };
    for d in store.documents()? {
        let s = iri(&d.id.to_string());
        writeln!(out, "{s} {RDF_TYPE} {} .", term("Document"))?;
        writeln!(out, "{s} {} {} .", term("source"), literal(&d.meta.source))?;
        if let Some(t) = &d.meta.title {
            writeln!(out, "{s} {RDFS_LABEL} {} .", literal(t))?;
        }
        if let Some(p) = d.published.as_ref().or(d.meta.published.as_ref()) {
            writeln!(out, "{s} {} {} .", term("published"), literal(p))?;
        }
    }
    let mut mentions: BTreeMap<_, Vec<Provenance>> = BTreeMap::new();
    for m in store.mentions()? {
        mentions.entry(m.entity).or_default().push(m.prov);
    }
    for &n in &keep {
        let s = iri(&node_id(n));
        let (kind, label) = node_kind_label(view, n);
        writeln!(out, "{s} {RDF_TYPE} {} .", class(kind))?;
        writeln!(out, "{s} {RDFS_LABEL} {} .", literal(&label))?;
        let provs: Vec<Provenance> = match n {
            NodeRef::Entity(id) => {
                if let Some(e) = view.entity(id) {
                    for a in &e.aliases {
                        writeln!(out, "{s} {} {} .", term("alias"), literal(a))?;
                    }
                    if let Some(v) = &e.value {
                        writeln!(out, "{s} {} {} .", term("value"), literal(v))?;
                    }
                }
                mentions.remove(&id).unwrap_or_default()
            }
            NodeRef::Event(id) => match view.event(id) {
                Some(e) => {
                    writeln!(out, "{s} {} {} .", term("cameo"), literal(&e.cameo))?;
                    writeln!(
                        out,
                        "{s} {} {} .",
                        term("modality"),
                        literal(e.modality.as_str())
                    )?;
                    if let Some(d) = &e.date {
                        writeln!(out, "{s} {} {} .", term("date"), literal(d))?;
                    }
                    e.mentions.iter().map(|m| m.prov).collect()
                }
                None => Vec::new(),
            },
            NodeRef::Quote(id) => view
                .quote(id)
                .map(|(q, _)| vec![q.prov])
                .unwrap_or_default(),
        };
        for p in provs {
            let m = ev.node(p, out)?;
            writeln!(out, "{s} {} {m} .", term("evidence"))?;
        }
    }
    for (from, to, kind) in view.edges() {
        if keep.contains(&from) && keep.contains(&to) {
            let predicate = term(&kind.label().replace(|c: char| !c.is_alphanumeric(), "_"));
            writeln!(
                out,
                "{} {predicate} {} .",
                iri(&node_id(from)),
                iri(&node_id(to))
            )?;
        }
    }
    // Stated relations carry their own evidence: reified statements.
    for (i, r) in store.relations()?.into_iter().enumerate() {
        let (subj, obj) = (NodeRef::Entity(r.subject), r.object.map(NodeRef::Entity));
        if !keep.contains(&subj) || obj.is_some_and(|o| !keep.contains(&o)) {
            continue;
        }
        let st = format!("_:r{i}");
        writeln!(
            out,
            "{st} {RDF_TYPE} <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ."
        )?;
        writeln!(
            out,
            "{st} <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> {} .",
            iri(&node_id(subj))
        )?;
        writeln!(
            out,
            "{st} <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> {} .",
            term("relation")
        )?;
        match obj {
            Some(o) => writeln!(
                out,
                "{st} <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> {} .",
                iri(&node_id(o))
            )?,
            None => writeln!(
                out,
                "{st} <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> {} .",
                literal(&r.relation)
            )?,
        }
        writeln!(out, "{st} {RDFS_LABEL} {} .", literal(&r.relation))?;
        let m = ev.node(r.prov, out)?;
        writeln!(out, "{st} {PROV_DERIVED} {m} .")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(
            literal("a \"b\" \\ c\nd\u{1}"),
            "\"a \\\"b\\\" \\\\ c\\nd\\u0001\""
        );
        assert_eq!(literal("Kata’ib"), "\"Kata’ib\"");
    }

    #[test]
    fn classes_are_capitalised_kinds() {
        assert_eq!(class("person"), "<urn:annals:schema#Person>");
    }
}
