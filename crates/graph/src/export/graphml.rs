//! GraphML export (Gephi, yEd, NetworkX, igraph): entities, events and quotes as nodes
//! with their kind, label, date and code; edges with their role. Text from articles is
//! XML-escaped, so the file stays well-formed whatever the articles contain.

use std::io::Write;

use super::{node_id, node_kind_label, Selection};
use crate::error::Result;
use crate::view::{GraphView, NodeRef};

/// Escapes text for XML character data and attribute values; drops characters XML 1.0
/// cannot carry (most control characters).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes the selected part of the view as GraphML.
pub fn write(view: &GraphView, opts: &Selection, out: &mut dyn Write) -> Result<()> {
    let keep = opts.nodes(view);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, for_, name) in [
        ("kind", "node", "kind"),
        ("label", "node", "label"),
        ("date", "node", "date"),
        ("cameo", "node", "cameo"),
        ("role", "edge", "label"),
    ] {
        writeln!(
            out,
            r#"  <key id="{id}" for="{for_}" attr.name="{name}" attr.type="string"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="annals" edgedefault="directed">"#)?;
    for &n in &keep {
        let (kind, label) = node_kind_label(view, n);
        write!(
            out,
            r#"    <node id="{}"><data key="kind">{kind}</data><data key="label">{}</data>"#,
            node_id(n),
            escape(&label)
        )?;
        let (date, cameo) = match n {
            NodeRef::Event(id) => view
                .event(id)
                .map(|e| (e.date.clone(), Some(e.cameo.clone())))
                .unwrap_or_default(),
            NodeRef::Entity(id) => (view.entity(id).and_then(|e| e.value.clone()), None),
            NodeRef::Quote(id) => (view.quote(id).and_then(|(q, _)| q.date.clone()), None),
        };
        if let Some(d) = date {
            write!(out, r#"<data key="date">{}</data>"#, escape(&d))?;
        }
        if let Some(c) = cameo {
            write!(out, r#"<data key="cameo">{}</data>"#, escape(&c))?;
        }
        writeln!(out, "</node>")?;
    }
    for (i, (from, to, kind)) in view.edges().into_iter().enumerate() {
        if keep.contains(&from) && keep.contains(&to) {
            writeln!(
                out,
                r#"    <edge id="x{i}" source="{}" target="{}"><data key="role">{}</data></edge>"#,
                node_id(from),
                node_id(to),
                escape(kind.label())
            )?;
        }
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_xml_well_formed() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
        assert_eq!(escape("a\u{1}b\u{7}c\nd"), "abc\nd");
    }
}
