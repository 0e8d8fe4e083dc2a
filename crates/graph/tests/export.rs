//! The graph exporters and their shared `Selection` on a hand-made store: the kinds,
//! period and neighbourhood filters, the same selection in every format, and Turtle
//! holding the same triples as N-Triples (both parsed by oxttl).

use std::collections::BTreeSet;

use annals_graph::export::{
    dot, graphml, neo4j, node_id, ntriples, turtle, DatePrefix, NodeKind, Selection,
};
use annals_graph::{GraphView, NodeRef, Store};
use annals_model::{
    Document, DocumentMeta, EntityKind, Extraction, LocalActor, LocalEntity, LocalEvent,
    LocalQuote, Modality, Role, Span,
};

const TEXT: &str = "Ana Ruiz of the Harbour Union said the strike began on January 10 in Oslo. \
\"We will not stop,\" Ruiz said on January 12. \"Talks are {over}\" <b>she</b> added. \
Officials met in Bergen in February. Protests spread in 2024, and a blockade followed. \
Lars Berg watched.";

/// One article about a strike: entities by surface text, events and quotes by index.
struct Article {
    doc: Document,
    x: Extraction,
}

impl Article {
    fn new() -> Article {
        let mut meta = DocumentMeta::new("strike.txt");
        meta.published = Some("2024-02-20".into());
        meta.title = Some("A \"strike\"\nin {Oslo}".into());
        Article {
            doc: Document::new(meta, TEXT.to_string()),
            x: Extraction::default(),
        }
    }

    fn span(&self, needle: &str) -> Span {
        let start = TEXT.find(needle).unwrap();
        Span::new(start, start + needle.len()).unwrap()
    }

    /// Adds an entity; returns its index.
    fn entity(&mut self, kind: EntityKind, name: &str, form: &str, value: Option<&str>) -> usize {
        let m = self.span(form);
        self.x.entities.push(LocalEntity {
            kind,
            name: name.into(),
            aliases: vec![form.into()],
            mentions: vec![m],
            value: value.map(str::to_string),
            author: false,
        });
        self.x.entities.len() - 1
    }

    fn quote(&mut self, words: &str, speaker: usize, date: Option<&str>) {
        let span = self.span(words);
        self.x.quotes.push(LocalQuote {
            span,
            speaker: Some(speaker),
            cue: Some("said".into()),
            cue_span: None,
            date: date.map(str::to_string),
        });
    }

    fn event(
        &mut self,
        trigger: &str,
        code: &str,
        date: Option<&str>,
        places: &[usize],
        source: &[usize],
    ) {
        let span = self.span(trigger);
        self.x.events.push(LocalEvent {
            cameo: code.into(),
            label: trigger.into(),
            trigger: span,
            date: date.map(str::to_string),
            places: places.to_vec(),
            actors: source
                .iter()
                .map(|&e| LocalActor {
                    role: Role::Source,
                    entity: e,
                })
                .collect(),
            modality: Modality::Asserted,
            count: None,
            killed: None,
            injured: None,
        });
    }
}

/// The store: a strike on 10 January in Oslo (by the union), a quote of 12 January and
/// an undated one (by Ruiz), a meeting in February in Bergen, protests dated only 2024,
/// an undated blockade in Oslo, and Lars Berg, linked to nothing.
fn store() -> (tempfile::TempDir, Store) {
    let mut a = Article::new();
    let ruiz = a.entity(EntityKind::Person, "Ana Ruiz", "Ana Ruiz", None);
    let union = a.entity(EntityKind::Group, "Harbour Union", "Harbour Union", None);
    let oslo = a.entity(EntityKind::Place, "Oslo", "Oslo", None);
    let bergen = a.entity(EntityKind::Place, "Bergen", "Bergen", None);
    a.entity(EntityKind::Person, "Lars Berg", "Lars Berg", None);
    a.entity(
        EntityKind::Date,
        "2024-01-10",
        "January 10",
        Some("2024-01-10"),
    );
    a.entity(
        EntityKind::Date,
        "2024-01-12",
        "January 12",
        Some("2024-01-12"),
    );
    a.entity(EntityKind::Date, "2024-02", "February", Some("2024-02"));
    a.entity(EntityKind::Date, "2024", "2024", Some("2024"));
    a.quote("We will not stop,", ruiz, Some("2024-01-12"));
    a.quote("Talks are {over}", ruiz, None);
    a.event("strike", "190", Some("2024-01-10"), &[oslo], &[union]);
    a.event("met", "046", Some("2024-02"), &[bergen], &[]);
    a.event("Protests", "141", Some("2024"), &[], &[union]);
    a.event("blockade", "171", None, &[oslo], &[]);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    store.add(&a.doc, &a.x).unwrap();
    (dir, store)
}

/// The labels of the nodes a selection keeps (quotes by their text), sorted.
fn labels(view: &GraphView, sel: &Selection) -> Vec<String> {
    let mut v: Vec<String> = sel
        .nodes(view)
        .into_iter()
        .map(|n| annals_graph::export::node_kind_label(view, n).1)
        .collect();
    v.sort();
    v
}

fn period(since: Option<&str>, until: Option<&str>) -> Selection {
    let since: Option<DatePrefix> = since.map(|s| s.parse().unwrap());
    let until: Option<DatePrefix> = until.map(|s| s.parse().unwrap());
    Selection::default()
        .with_period(since.as_ref(), until.as_ref())
        .unwrap()
}

fn kinds(k: &[NodeKind]) -> Option<BTreeSet<NodeKind>> {
    Some(k.iter().copied().collect())
}

#[test]
fn the_default_selection_keeps_every_node() {
    let (_dir, store) = store();
    let view = GraphView::load(&store).unwrap();
    let all: BTreeSet<NodeRef> = view.nodes().into_iter().collect();
    assert_eq!(all.len(), 9 + 2 + 4);
    assert_eq!(Selection::default().nodes(&view), all);
}

#[test]
fn january_keeps_its_events_quotes_dates_and_the_people_linked_to_them() {
    let (_dir, store) = store();
    let view = GraphView::load(&store).unwrap();
    assert_eq!(
        labels(&view, &period(Some("2024-01"), Some("2024-01"))),
        [
            "2024-01-10",
            "2024-01-12",
            "Ana Ruiz",      // said the quote of 12 January
            "Harbour Union", // the strike's source
            "Oslo",          // the strike's place
            "We will not stop,",
            "strike",
        ]
    );
    // Only an end: everything dated wholly up to 31 January.
    assert_eq!(
        labels(&view, &period(None, Some("2024-01"))),
        labels(&view, &period(Some("2024-01"), Some("2024-01")))
    );
    // February: the meeting in Bergen and its date; nobody took part.
    assert_eq!(
        labels(&view, &period(Some("2024-02"), None)),
        ["2024-02", "Bergen", "met"]
    );
    // Mid-January on: the strike (10 January) is out, the quote (12 January) in.
    assert_eq!(
        labels(&view, &period(Some("2024-01-11"), Some("2024-01-31"))),
        ["2024-01-12", "Ana Ruiz", "We will not stop,"]
    );
}

#[test]
fn a_period_keeps_only_what_is_dated_wholly_within_it() {
    let (_dir, store) = store();
    let view = GraphView::load(&store).unwrap();
    // The whole year holds everything dated, the protests dated only "2024" included;
    // the undated blockade and quote, and Lars Berg, are left out.
    let year = labels(&view, &period(Some("2024"), Some("2024")));
    assert_eq!(
        year,
        [
            "2024",
            "2024-01-10",
            "2024-01-12",
            "2024-02",
            "Ana Ruiz",
            "Bergen",
            "Harbour Union",
            "Oslo",
            "Protests",
            "We will not stop,",
            "met",
            "strike",
        ]
    );
    // January to February does not hold a date that may be any day of 2024.
    let two_months = labels(&view, &period(Some("2024-01"), Some("2024-02")));
    assert!(!two_months.contains(&"Protests".to_string()));
    assert!(!two_months.contains(&"2024".to_string()));
    assert!(two_months.contains(&"met".to_string()));
    // A period with nothing in it keeps nothing.
    assert!(labels(&view, &period(Some("2023"), Some("2023"))).is_empty());
}

#[test]
fn kinds_apply_after_the_period() {
    let (_dir, store) = store();
    let view = GraphView::load(&store).unwrap();
    let mut people_of_january = period(Some("2024-01"), Some("2024-01"));
    people_of_january.kinds = kinds(&[NodeKind::Person]);
    assert_eq!(labels(&view, &people_of_january), ["Ana Ruiz"]);

    let sel = Selection {
        kinds: kinds(&[NodeKind::Event, NodeKind::Place]),
        ..Selection::default()
    };
    assert_eq!(
        labels(&view, &sel),
        ["Bergen", "Oslo", "Protests", "blockade", "met", "strike"]
    );
    let none = Selection {
        kinds: Some(BTreeSet::new()),
        ..Selection::default()
    };
    assert!(none.nodes(&view).is_empty());
    let no_quotes = Selection {
        without_quotes: true,
        ..Selection::default()
    };
    assert!(no_quotes
        .nodes(&view)
        .iter()
        .all(|n| !matches!(n, NodeRef::Quote(_))));
    assert_eq!(no_quotes.nodes(&view).len(), 13);
}

#[test]
fn the_period_applies_within_a_neighbourhood() {
    let (_dir, store) = store();
    let view = GraphView::load(&store).unwrap();
    let oslo = store.find_entities("Oslo").unwrap()[0].id;
    let mut sel = period(Some("2024-01"), Some("2024-01"));
    sel.around = vec![NodeRef::Entity(oslo)];
    sel.depth = 1;
    let undated = Selection {
        since: None,
        until: None,
        ..sel.clone()
    };
    assert_eq!(labels(&view, &undated), ["Oslo", "blockade", "strike"]);
    // Oslo's neighbours are the strike and the blockade; the undated blockade goes.
    assert_eq!(labels(&view, &sel), ["Oslo", "strike"]);
    sel.depth = 2;
    assert_eq!(
        labels(&view, &sel),
        ["2024-01-10", "Harbour Union", "Oslo", "strike"]
    );
}

/// The node ids each exporter writes, and the edges of the DOT file.
fn written_ids(store: &Store, view: &GraphView, sel: &Selection) -> Vec<BTreeSet<String>> {
    let is_node = |s: &str| {
        s.len() > 1 && s[1..].bytes().all(|b| b.is_ascii_digit()) && "evq".contains(&s[..1])
    };
    let mut out = Vec::new();

    let mut buf = Vec::new();
    dot::write(view, sel, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let graph = dot_parser::canonical::Graph::from(
        dot_parser::ast::Graph::try_from(text.as_str())
            .unwrap_or_else(|e| panic!("DOT does not parse: {e}\n{text}")),
    );
    let unquote = |s: &str| s.trim_matches('"').to_string();
    let dot_nodes: BTreeSet<String> = graph.nodes.set.keys().map(|k| unquote(k)).collect();
    for e in &graph.edges.set {
        assert!(
            dot_nodes.contains(&unquote(&e.from)) && dot_nodes.contains(&unquote(&e.to)),
            "an edge between kept nodes only: {} -> {}",
            e.from,
            e.to
        );
    }
    out.push(dot_nodes);

    let mut buf = Vec::new();
    graphml::write(view, sel, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    out.push(
        text.split("<node id=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect(),
    );

    let (mut nodes, mut rels) = (Vec::new(), Vec::new());
    neo4j::write(view, sel, &mut nodes, &mut rels).unwrap();
    let nodes = String::from_utf8(nodes).unwrap();
    let ids: BTreeSet<String> = nodes
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().trim_matches('"').to_string())
        .collect();
    for r in String::from_utf8(rels).unwrap().lines().skip(1) {
        let mut f = r.split(',').map(|f| f.trim_matches('"').to_string());
        assert!(ids.contains(&f.next().unwrap()) && ids.contains(&f.next().unwrap()));
    }
    out.push(ids);

    for (name, triples) in [
        ("ntriples", nt_triples(store, view, sel)),
        ("turtle", ttl_triples(store, view, sel)),
    ] {
        let typed: BTreeSet<String> = triples
            .iter()
            .filter(|t| t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
            .filter_map(|t| match &t.subject {
                oxrdf::NamedOrBlankNode::NamedNode(n) => {
                    n.as_str().strip_prefix("urn:annals:").map(str::to_string)
                }
                _ => None,
            })
            .filter(|s| is_node(s))
            .collect();
        assert!(!typed.is_empty() || sel.nodes(view).is_empty(), "{name}");
        out.push(typed);
    }
    out
}

fn nt_triples(store: &Store, view: &GraphView, sel: &Selection) -> Vec<oxrdf::Triple> {
    let mut buf = Vec::new();
    ntriples::write(store, view, sel, &mut buf).unwrap();
    oxttl::NTriplesParser::new()
        .for_slice(&buf)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("N-Triples does not parse: {e}"))
}

fn ttl_triples(store: &Store, view: &GraphView, sel: &Selection) -> Vec<oxrdf::Triple> {
    let mut buf = Vec::new();
    turtle::write(store, view, sel, &mut buf).unwrap();
    oxttl::TurtleParser::new()
        .for_slice(&buf)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| {
            panic!(
                "Turtle does not parse: {e}\n{}",
                String::from_utf8_lossy(&buf)
            )
        })
}

#[test]
fn every_format_writes_the_nodes_the_selection_keeps() {
    let (_dir, store) = store();
    let view = GraphView::load(&store).unwrap();
    let mut filtered = period(Some("2024-01"), Some("2024-02"));
    filtered.kinds = kinds(&[
        NodeKind::Person,
        NodeKind::Place,
        NodeKind::Event,
        NodeKind::Quote,
    ]);
    for sel in [Selection::default(), filtered, period(Some("2031"), None)] {
        let want: BTreeSet<String> = sel.nodes(&view).into_iter().map(node_id).collect();
        for (i, got) in written_ids(&store, &view, &sel).into_iter().enumerate() {
            assert_eq!(got, want, "format {i} with {sel:?}");
        }
    }
}

#[test]
fn events_are_nodes_that_dot_draws() {
    let (_dir, store) = store();
    let view = GraphView::load(&store).unwrap();
    let mut buf = Vec::new();
    dot::write(&view, &Selection::default(), &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let events: Vec<NodeRef> = view
        .nodes()
        .into_iter()
        .filter(|n| matches!(n, NodeRef::Event(_)))
        .collect();
    assert_eq!(events.len(), 4);
    for e in events {
        let line = format!("  \"{}\" [label=", node_id(e));
        let drawn = text
            .lines()
            .find(|l| l.starts_with(&line))
            .unwrap_or_else(|| panic!("{e:?} not drawn:\n{text}"));
        assert!(drawn.contains("shape=diamond"), "{drawn}");
    }
    assert!(text.contains("[label=\"source\"]") && text.contains("[label=\"place\"]"));
}

#[test]
fn turtle_holds_the_same_triples_as_ntriples() {
    let (_dir, store) = store();
    let view = GraphView::load(&store).unwrap();
    let mut filtered = period(Some("2024-01"), None);
    filtered.kinds = kinds(&[NodeKind::Person, NodeKind::Event, NodeKind::Quote]);
    for sel in [Selection::default(), filtered] {
        let nt: BTreeSet<String> = nt_triples(&store, &view, &sel)
            .iter()
            .map(|t| t.to_string())
            .collect();
        let ttl: BTreeSet<String> = ttl_triples(&store, &view, &sel)
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert!(nt.len() > 20, "{}", nt.len());
        assert_eq!(nt, ttl);
    }
}

#[test]
fn turtle_keeps_hostile_text_inside_its_literals() {
    let (_dir, store) = store();
    let view = GraphView::load(&store).unwrap();
    let triples = ttl_triples(&store, &view, &Selection::default());
    let literal = |s: &str| {
        triples.iter().any(|t| match &t.object {
            oxrdf::Term::Literal(l) => l.value() == s,
            _ => false,
        })
    };
    assert!(literal("A \"strike\"\nin {Oslo}"), "the title, whole");
    assert!(literal("Talks are {over}"), "the quote, whole");
    assert!(literal("We will not stop,"));
    let mut buf = Vec::new();
    turtle::write(&store, &view, &Selection::default(), &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert!(text.starts_with("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ."));
    assert!(
        text.contains("rdfs:label \"A \\\"strike\\\"\\nin {Oslo}\""),
        "{text}"
    );
    assert!(
        text.contains("annals:date \"2024-01-12\""),
        "a quote's date is a triple"
    );
}

#[test]
fn the_streamed_json_export_is_the_serialised_built_one() {
    let expect = |store: &Store| {
        let mut want =
            serde_json::to_vec_pretty(&annals_graph::export::json::build(store).unwrap()).unwrap();
        want.push(b'\n');
        let mut got = Vec::new();
        annals_graph::export::json::write(store, &mut got).unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
    };
    // Every section filled.
    let (_dir, full) = store();
    expect(&full);
    // Every section empty.
    let dir = tempfile::tempdir().unwrap();
    let empty = Store::open(dir.path().join("db")).unwrap();
    expect(&empty);
}
