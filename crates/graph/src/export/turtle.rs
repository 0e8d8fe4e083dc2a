//! RDF export as Turtle: the same triples as [`super::ntriples`] (both come from
//! [`super::rdf::triples`]), written with prefixes (`node:e7`, `annals:Person`,
//! `rdfs:label`), each subject's statements grouped with `;` and repeated predicates
//! with `,`. Literals are escaped as
//! in N-Triples, so quotes, backslashes, braces, markup and line breaks from articles
//! stay inside their string.

use std::io::Write;

use super::ntriples::iri_ref;
use super::rdf::{self, Term, NODE_NS, PROV_NS, RDFS_NS, RDF_NS, SCHEMA_NS, XSD_NS};
use super::Selection;
use crate::error::Result;
use crate::view::GraphView;
use crate::Store;

/// The prefixes a Turtle export declares, with their namespaces.
pub const PREFIXES: [(&str, &str); 6] = [
    ("rdf", RDF_NS),
    ("rdfs", RDFS_NS),
    ("prov", PROV_NS),
    ("xsd", XSD_NS),
    ("annals", SCHEMA_NS),
    ("node", NODE_NS),
];

/// Whether `local` can follow a prefix as it is: ASCII letters, digits and `_`, and `-`
/// after the first character (a conservative subset of Turtle's local names).
fn plain_local(local: &str) -> bool {
    !local.is_empty()
        && !local.starts_with('-')
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// An IRI as a prefixed name (`node:e7`) when one of [`PREFIXES`] fits it, else whole.
pub fn iri(i: &str) -> String {
    PREFIXES
        .iter()
        .filter_map(|(p, ns)| Some((p, i.strip_prefix(ns)?)))
        .filter(|(_, local)| plain_local(local))
        .min_by_key(|(_, local)| local.len())
        .map(|(p, local)| format!("{p}:{local}"))
        .unwrap_or_else(|| iri_ref(i))
}

/// A term as Turtle writes it.
pub fn term(t: &Term) -> String {
    t.write(iri)
}

/// Writes the selected part of the graph, with documents and provenance, as Turtle.
pub fn write(store: &Store, view: &GraphView, opts: &Selection, out: &mut dyn Write) -> Result<()> {
    for (p, ns) in PREFIXES {
        writeln!(out, "@prefix {p}: {} .", iri_ref(ns))?;
    }
    let rdf_type = format!("{RDF_NS}type");
    // The subject and predicate of the last triple written: a triple that repeats both
    // continues with `,`, one that repeats the subject with `;`.
    let mut last: Option<(Term, Term)> = None;
    rdf::triples(store, view, opts, &mut |s, p, o| {
        let predicate = match p {
            Term::Iri(i) if *i == rdf_type => "a".to_string(),
            _ => term(p),
        };
        match &last {
            Some((ls, lp)) if ls == s && lp == p => write!(out, ", {}", term(o))?,
            Some((ls, _)) if ls == s => write!(out, " ;\n    {predicate} {}", term(o))?,
            _ => {
                if last.is_some() {
                    writeln!(out, " .")?;
                }
                write!(out, "\n{} {predicate} {}", term(s), term(o))?;
            }
        }
        last = Some((s.clone(), p.clone()));
        Ok(())
    })?;
    if last.is_some() {
        writeln!(out, " .")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_take_the_prefix_that_fits_or_stay_whole() {
        assert_eq!(iri("urn:annals:e7"), "node:e7");
        assert_eq!(iri("urn:annals:schema#Person"), "annals:Person");
        assert_eq!(
            iri("http://www.w3.org/2000/01/rdf-schema#label"),
            "rdfs:label"
        );
        // Not a plain local name: written whole.
        assert_eq!(iri("urn:annals:schema#Δ·x"), "<urn:annals:schema#Δ·x>");
        assert_eq!(iri("urn:other:x"), "<urn:other:x>");
        assert_eq!(iri("urn:annals:schema#-x"), "<urn:annals:schema#-x>");
    }

    #[test]
    fn literals_keep_quotes_braces_markup_and_newlines_inside() {
        assert_eq!(
            term(&Term::string("say \"{no}\" <b>\\</b>\nnow")),
            "\"say \\\"{no}\\\" <b>\\\\</b>\\nnow\""
        );
        assert_eq!(term(&Term::integer(5)), "\"5\"^^xsd:integer");
    }
}
