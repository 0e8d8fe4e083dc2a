//! Neo4j bulk-import CSV: a nodes file and a relationships file with the header syntax
//! `neo4j-admin database import full` reads (`id:ID`, `:LABEL`, `:START_ID`, `:END_ID`,
//! `:TYPE`). Fields are quoted and inner quotes doubled, so commas, quotes and newlines
//! from articles cannot break the files.

use std::io::Write;

use super::{node_id, node_kind_label, Selection};
use crate::error::Result;
use crate::view::{GraphView, NodeRef};

/// Quotes a CSV field, doubling inner quotes.
pub fn field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Writes the nodes file and the relationships file for the selected part of the view.
pub fn write(
    view: &GraphView,
    opts: &Selection,
    nodes: &mut dyn Write,
    relationships: &mut dyn Write,
) -> Result<()> {
    let keep = opts.nodes(view);
    writeln!(nodes, "id:ID,name,kind,date,cameo,:LABEL")?;
    for &n in &keep {
        let (kind, label) = node_kind_label(view, n);
        let (date, cameo) = match n {
            NodeRef::Event(id) => view
                .event(id)
                .map(|e| (e.date.clone().unwrap_or_default(), e.cameo.clone()))
                .unwrap_or_default(),
            NodeRef::Entity(id) => (
                view.entity(id)
                    .and_then(|e| e.value.clone())
                    .unwrap_or_default(),
                String::new(),
            ),
            NodeRef::Quote(_) => Default::default(),
        };
        let mut neo_label = kind.to_string();
        if let Some(f) = neo_label.get_mut(..1) {
            f.make_ascii_uppercase();
        }
        writeln!(
            nodes,
            "{},{},{},{},{},{}",
            field(&node_id(n)),
            field(&label),
            field(kind),
            field(&date),
            field(&cameo),
            field(&neo_label)
        )?;
    }
    writeln!(relationships, ":START_ID,:END_ID,:TYPE,label")?;
    for (from, to, kind) in view.edges() {
        if keep.contains(&from) && keep.contains(&to) {
            let rel_type: String = kind
                .label()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            writeln!(
                relationships,
                "{},{},{},{}",
                field(&node_id(from)),
                field(&node_id(to)),
                field(&rel_type),
                field(kind.label())
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_with_inner_quotes_doubled() {
        assert_eq!(field(r#"a "b", c"#), r#""a ""b"", c""#);
        assert_eq!(field("x\ny"), "\"x\ny\"");
    }
}
