//! The event questions ("when was EVENT [in PLACE]", "what happened [in PLACE]") against
//! a store built from hand-made extractions.

use annals_graph::Store;
use annals_model::{
    Document, DocumentMeta, EntityKind, Extraction, LocalActor, LocalEntity, LocalEvent, Modality,
    Role, Span,
};
use annals_query::{ask, QueryError};

fn span(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle in text");
    Span::new(start, start + needle.len()).unwrap()
}

/// One article: a place, the Navy as source, and events as (trigger, code, date).
fn article(
    source: &str,
    published: &str,
    text: &str,
    place: &str,
    events: &[(&str, &str, Option<&str>)],
) -> (Document, Extraction) {
    let mut meta = DocumentMeta::new(source);
    meta.published = Some(published.into());
    let doc = Document::new(meta, text.to_string());
    let mut x = Extraction {
        published: Some(published.into()),
        ..Extraction::default()
    };
    x.entities.push(LocalEntity {
        kind: EntityKind::Place,
        name: place.into(),
        aliases: vec![place.into()],
        mentions: vec![span(text, place)],
        value: None,
        author: false,
    });
    x.entities.push(LocalEntity {
        kind: EntityKind::Group,
        name: "Navy".into(),
        aliases: vec!["Navy".into()],
        mentions: vec![span(text, "Navy")],
        value: None,
        author: false,
    });
    for (trigger, code, date) in events {
        x.events.push(LocalEvent {
            cameo: (*code).into(),
            label: (*trigger).to_lowercase(),
            trigger: span(text, trigger),
            date: date.map(str::to_string),
            places: vec![0],
            actors: vec![LocalActor {
                role: Role::Source,
                entity: 1,
            }],
            modality: Modality::Asserted,
            count: None,
            killed: None,
            injured: None,
        });
    }
    (doc, x)
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    let arts = [
        article(
            "a.txt",
            "2023-03-15",
            "The Navy carried out a drone strike in Tartus on Tuesday. Crowds held a protest in Tartus.",
            "Tartus",
            &[
                ("drone strike", "1952", Some("2023-03-14")),
                ("protest", "141", None),
            ],
        ),
        article(
            "b.txt",
            "2023-03-16",
            "A drone strike by the Navy in Tartus killed two.",
            "Tartus",
            &[("drone strike", "1952", None)],
        ),
        article(
            "c.txt",
            "2023-03-16",
            "The Navy shelled Homs on Monday.",
            "Homs",
            &[("shelled", "194", Some("2023-03-13"))],
        ),
    ];
    for (doc, x) in &arts {
        store.add(doc, x).unwrap();
    }
    (dir, store)
}

#[test]
fn when_was_the_strike_gives_its_date_with_every_report() {
    let (_dir, store) = store();
    let a = ask(&store, "when was the drone strike in Tartus?").unwrap();
    assert_eq!(a.form, "when was/did EVENT [in PLACE]");
    assert_eq!(a.items.len(), 1, "{a:#?}");
    let ev = a.items[0].event.as_ref().unwrap();
    assert_eq!(ev.date.as_deref(), Some("2023-03-14"));
    assert_eq!(ev.places, vec!["Tartus".to_string()]);
    assert_eq!(ev.actors, vec!["source=Navy".to_string()]);
    // Both articles' mentions, the dated one first.
    let docs: Vec<&str> = a.items[0].evidence.iter().map(|e| e.doc.as_str()).collect();
    assert_eq!(docs, vec!["d1", "d2"]);
    assert!(a.items[0].evidence.iter().all(|e| e.text == "drone strike"));
    let shown = a.to_string();
    assert!(shown.contains("on 2023-03-14 in Tartus"), "{shown}");
}

#[test]
fn when_was_without_a_place_and_with_no_match() {
    let (_dir, store) = store();
    let a = ask(&store, "when was it shelled").unwrap();
    assert_eq!(a.items.len(), 1, "{a:#?}");
    assert_eq!(
        a.items[0].event.as_ref().unwrap().date.as_deref(),
        Some("2023-03-13")
    );
    assert!(ask(&store, "when was the drone strike in Homs")
        .unwrap()
        .items
        .is_empty());
    assert!(ask(&store, "when was the election")
        .unwrap()
        .items
        .is_empty());
}

#[test]
fn what_happened_lists_the_events_at_a_place() {
    let (_dir, store) = store();
    let a = ask(&store, "what happened in Tartus").unwrap();
    let labels: Vec<&str> = a
        .items
        .iter()
        .map(|i| i.event.as_ref().unwrap().label.as_str())
        .collect();
    assert_eq!(labels, vec!["drone strike", "protest"]);
    let all = ask(&store, "what happened?").unwrap();
    assert_eq!(all.items.len(), 3);
    match ask(&store, "what happened in Atlantis") {
        Err(QueryError::UnknownName { .. }) => {}
        other => panic!("{other:?}"),
    }
}
