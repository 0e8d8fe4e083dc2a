//! RDF export as N-Triples, loadable by any triple store (Oxigraph, Jena, GraphDB,
//! Virtuoso) or rdflib: one statement a line, every IRI written whole. The triples and
//! their vocabulary are described in [`super::rdf`]; [`super::turtle`] writes the same
//! triples more compactly.

use std::io::Write;

use super::rdf::{self, Term};
use super::Selection;
use crate::error::Result;
use crate::view::GraphView;
use crate::Store;

/// Escapes a string as a quoted N-Triples (and Turtle) string literal, quotes included.
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

/// Writes an IRI between angle brackets, escaping the characters an IRI reference may
/// not hold (spaces, controls, `<>"{}|^`\`) as `\uXXXX`.
pub fn iri_ref(iri: &str) -> String {
    let mut out = String::with_capacity(iri.len() + 2);
    out.push('<');
    for c in iri.chars() {
        if (c as u32) <= 0x20 || "<>\"{}|^`\\".contains(c) {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('>');
    out
}

/// A term as N-Triples writes it: `<iri>`, `_:label` or a quoted, possibly typed literal.
pub fn term(t: &Term) -> String {
    t.write(iri_ref)
}

/// Writes the selected part of the graph, with documents and provenance, as N-Triples.
pub fn write(store: &Store, view: &GraphView, opts: &Selection, out: &mut dyn Write) -> Result<()> {
    rdf::triples(store, view, opts, &mut |s, p, o| {
        writeln!(out, "{} {} {} .", term(s), term(p), term(o))?;
        Ok(())
    })
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
    fn terms_are_written_whole() {
        assert_eq!(
            term(&Term::integer(12)),
            "\"12\"^^<http://www.w3.org/2001/XMLSchema#integer>"
        );
        assert_eq!(term(&Term::node("e7")), "<urn:annals:e7>");
        assert_eq!(term(&Term::Blank("m3".into())), "_:m3");
        assert_eq!(iri_ref("urn:x a<b>"), "<urn:x\\u0020a\\u003Cb\\u003E>");
    }
}
