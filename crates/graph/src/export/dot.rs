//! GraphViz DOT export of the petgraph view, whole or around a node.
//!
//! Every label that comes from article text goes through [`escape`], so quotes,
//! backslashes and newlines in the text cannot break the DOT syntax.

use std::collections::BTreeSet;
use std::io::Write;

use annals_model::EntityKind;

use super::{node_id, Selection};
use crate::error::Result;
use crate::view::{GraphView, NodeRef};

/// Escapes a string for use inside a double-quoted DOT id.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn shorten(s: &str, max: usize) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        if out.chars().count() + w.chars().count() > max {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn node_attrs(view: &GraphView, n: NodeRef) -> String {
    match n {
        NodeRef::Entity(id) => {
            let (label, shape, color) = match view.entity(id) {
                Some(e) => {
                    let (shape, color) = match e.kind {
                        EntityKind::Person => ("ellipse", "#cfe2ff"),
                        EntityKind::Group => ("box", "#ffe5b4"),
                        EntityKind::Place => ("house", "#d4edda"),
                        _ => ("note", "#eeeeee"),
                    };
                    (e.name.clone(), shape, color)
                }
                None => (id.to_string(), "ellipse", "#ffffff"),
            };
            format!(
                "label=\"{}\", shape={shape}, style=filled, fillcolor=\"{color}\"",
                escape(&label)
            )
        }
        NodeRef::Event(id) => {
            let label = match view.event(id) {
                Some(e) => format!(
                    "{} [{}]{}",
                    e.label,
                    e.cameo,
                    e.date.as_ref().map(|d| format!(" {d}")).unwrap_or_default()
                ),
                None => id.to_string(),
            };
            format!(
                "label=\"{}\", shape=diamond, style=filled, fillcolor=\"#f8d7da\"",
                escape(&label)
            )
        }
        NodeRef::Quote(id) => {
            let label = view
                .quote(id)
                .map(|(_, t)| format!("“{}”", shorten(t, 60)))
                .unwrap_or_else(|| id.to_string());
            format!("label=\"{}\", shape=plaintext, fontsize=10", escape(&label))
        }
    }
}

/// Writes the view (or the part `opts` selects) as a DOT digraph.
pub fn write(view: &GraphView, opts: &Selection, out: &mut dyn Write) -> Result<()> {
    let keep: BTreeSet<NodeRef> = opts.nodes(view);
    writeln!(out, "digraph annals {{")?;
    writeln!(
        out,
        "  graph [rankdir=LR, overlap=false, fontname=\"Helvetica\"];"
    )?;
    writeln!(out, "  node [fontname=\"Helvetica\"];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];")?;
    for &n in &keep {
        writeln!(out, "  \"{}\" [{}];", node_id(n), node_attrs(view, n))?;
    }
    for (from, to, kind) in view.edges() {
        if keep.contains(&from) && keep.contains(&to) {
            writeln!(
                out,
                "  \"{}\" -> \"{}\" [label=\"{}\"];",
                node_id(from),
                node_id(to),
                escape(kind.label())
            )?;
        }
    }
    writeln!(out, "}}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_quotes_backslashes_and_newlines() {
        assert_eq!(escape(r#"say "hi" \n"#), r#"say \"hi\" \\n"#);
        assert_eq!(escape("a\nb\u{7}c"), "a bc");
    }

    #[test]
    fn shorten_cuts_on_words() {
        assert_eq!(shorten("one two three", 7), "one two…");
        assert_eq!(shorten("one two", 60), "one two");
    }
}
