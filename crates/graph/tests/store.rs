//! Store behaviour with hand-made extractions: linking, idempotence, events, refusals.

use annals_graph::export::json;
use annals_graph::{AddOutcome, Store, StoreError, FORMAT_VERSION};
use annals_model::{
    Document, DocumentMeta, EntityKind, Extraction, LocalActor, LocalEntity, LocalEvent,
    LocalQuote, Modality, Role, Span,
};

/// Builds a document and an extraction whose entities are found by their surface text.
struct Article {
    doc: Document,
    x: Extraction,
}

impl Article {
    fn new(source: &str, text: &str) -> Article {
        let mut meta = DocumentMeta::new(source);
        meta.published = Some("2023-03-15".into());
        Article {
            doc: Document::new(meta, text.to_string()),
            x: Extraction::default(),
        }
    }

    fn span(&self, needle: &str) -> Span {
        let start = self
            .doc
            .text()
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in text"));
        Span::new(start, start + needle.len()).unwrap()
    }

    fn entity(mut self, kind: EntityKind, name: &str, forms: &[&str]) -> Article {
        let mentions = forms.iter().map(|f| self.span(f)).collect();
        self.x.entities.push(LocalEntity {
            kind,
            name: name.into(),
            aliases: forms.iter().map(|s| s.to_string()).collect(),
            mentions,
            value: None,
            author: false,
        });
        self
    }

    fn date(mut self, value: &str, form: &str) -> Article {
        let m = self.span(form);
        self.x.entities.push(LocalEntity {
            kind: EntityKind::Date,
            name: value.into(),
            aliases: vec![form.into()],
            mentions: vec![m],
            value: Some(value.into()),
            author: false,
        });
        self
    }

    fn quote(mut self, words: &str, speaker: usize) -> Article {
        let span = self.span(words);
        self.x.quotes.push(LocalQuote {
            span,
            speaker: Some(speaker),
            cue: Some("said".into()),
            cue_span: None,
            date: None,
        });
        self
    }

    fn event(
        mut self,
        trigger: &str,
        code: &str,
        date: Option<&str>,
        place: Option<usize>,
        source: Option<usize>,
    ) -> Article {
        let span = self.span(trigger);
        self.x.events.push(LocalEvent {
            cameo: code.into(),
            label: trigger.into(),
            trigger: span,
            date: date.map(str::to_string),
            places: place.into_iter().collect(),
            actors: source
                .map(|e| LocalActor {
                    role: Role::Source,
                    entity: e,
                })
                .into_iter()
                .collect(),
            modality: Modality::Asserted,
            count: None,
            killed: None,
            injured: None,
        });
        self
    }

    /// Sets the publication day, in the document's metadata and in the extraction.
    fn published(mut self, day: &str) -> Article {
        let mut meta = self.doc.meta().clone();
        meta.published = Some(day.into());
        self.doc = Document::new(meta, self.doc.text().to_string());
        self.x.published = Some(day.into());
        self
    }

    fn add(&self, store: &Store) -> AddOutcome {
        store.add(&self.doc, &self.x).unwrap()
    }
}

fn first() -> Article {
    Article::new(
        "one.txt",
        "Mayor Lena Park said the flood barrier failed on Tuesday in Rotterdam. \"We were not warned,\" Park said.",
    )
    .entity(EntityKind::Person, "Lena Park", &["Lena Park", "Park"])
    .entity(EntityKind::Place, "Rotterdam", &["Rotterdam"])
    .date("2023-03-14", "Tuesday")
    .quote("We were not warned,", 0)
    .event("failed", "0233", Some("2023-03-14"), Some(1), None)
}

fn second() -> Article {
    Article::new(
        "two.txt",
        "In Rotterdam, Lena Park criticised the water board after the barrier failed on March 14.",
    )
    .entity(EntityKind::Place, "Rotterdam", &["Rotterdam"])
    .entity(EntityKind::Person, "Lena Park", &["Lena Park"])
    .entity(EntityKind::Group, "water board", &["water board"])
    .date("2023-03-14", "March 14")
    .event("failed", "0233", None, Some(0), None)
    .event("criticised", "111", None, None, Some(1))
}

fn export(store: &Store) -> String {
    let mut out = Vec::new();
    json::write(store, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_same_names_in_two_articles_are_one_entity() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    first().add(&store);
    let outcome = second().add(&store);
    let AddOutcome::Added {
        linked_entities,
        merged_events,
        ..
    } = outcome
    else {
        panic!("second article not added: {outcome:?}");
    };
    assert_eq!(linked_entities, 3, "Rotterdam, Lena Park and the date link");
    assert_eq!(merged_events, 1, "the barrier failure is one event");
    let park = store.find_entities("lena park").unwrap();
    assert_eq!(park.len(), 1);
    let docs: std::collections::BTreeSet<_> = store
        .mentions_of(park[0].id)
        .unwrap()
        .iter()
        .map(|m| m.prov.doc)
        .collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(park[0].aliases, vec!["Lena Park", "Park"]);
    // The merged event keeps the date the first report gave and both mentions.
    let events = store.events().unwrap();
    let failure = events.iter().find(|e| e.cameo == "0233").unwrap();
    assert_eq!(failure.mentions.len(), 2);
    assert_eq!(failure.date.as_deref(), Some("2023-03-14"));
    assert_eq!(failure.evidence.len(), 1);
    assert_eq!(store.events_on("2023-03").unwrap().len(), 1);
    assert_eq!(store.events_at(failure.places[0]).unwrap().len(), 1);
    assert_eq!(store.quotes_by(park[0].id).unwrap().len(), 1);
}

#[test]
fn adding_the_same_bytes_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    let a = first();
    let id = a.add(&store).doc();
    let before = export(&store);
    let again = Article {
        doc: Document::new(DocumentMeta::new("copy.txt"), a.doc.text().to_string()),
        x: a.x.clone(),
    };
    assert_eq!(again.add(&store), AddOutcome::Duplicate { doc: id });
    assert_eq!(export(&store), before);
}

#[test]
fn the_same_articles_in_the_same_order_give_the_same_export() {
    let run = || {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("db")).unwrap();
        first().add(&store);
        second().add(&store);
        export(&store)
    };
    assert_eq!(run(), run());
}

#[test]
fn every_exported_span_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    first().add(&store);
    second().add(&store);
    let export = json::build(&store).unwrap();
    let texts = [
        first().doc.text().to_string(),
        second().doc.text().to_string(),
    ];
    let check = |doc: &str, start: usize, end: usize, text: &str| {
        let i: usize = doc[1..].parse::<usize>().unwrap() - 1;
        assert_eq!(&texts[i][start..end], text);
    };
    let mut n = 0;
    for e in &export.entities {
        for m in &e.mentions {
            check(&m.doc, m.start, m.end, &m.text);
            n += 1;
        }
    }
    for q in &export.quotes {
        check(&q.doc, q.start, q.end, &q.text);
        n += 1;
    }
    // The text kept in each quote record is its span's bytes.
    for q in store.quotes().unwrap() {
        assert_eq!(Some(q.text.clone()), store.span_text(q.prov).unwrap());
    }
    for ev in &export.events {
        for m in &ev.mentions {
            check(&m.doc, m.start, m.end, &m.text);
            n += 1;
        }
    }
    assert!(n >= 12, "only {n} spans checked");
}

#[test]
fn an_extraction_with_a_bad_span_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    let mut a = first();
    a.x.quotes[0].span = Span::new(5, 500).unwrap();
    let err = store.add(&a.doc, &a.x).unwrap_err();
    assert!(matches!(err, StoreError::BadExtraction { .. }), "{err}");
    assert_eq!(store.counts().unwrap().documents, 0);
    assert_eq!(store.counts().unwrap().entities, 0);
}

#[test]
fn a_store_of_another_format_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        store
            .set_format_version_for_test(FORMAT_VERSION + 1)
            .unwrap();
    }
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::FormatVersion { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("format version {}", FORMAT_VERSION + 1)),
        "{msg}"
    );
    assert!(
        msg.contains(&format!("reads version {FORMAT_VERSION}")),
        "{msg}"
    );
}

#[test]
fn a_store_held_open_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let _held = Store::open(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("in use by process {}", std::process::id())),
        "{msg}"
    );
}

#[test]
fn a_folder_with_other_data_is_not_taken_for_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let db = sled::open(&path).unwrap();
        db.insert(b"k", b"v").unwrap();
        db.flush().unwrap();
    }
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
}

/// A store at `dir/db` holding the first article, flushed and closed, and its export.
fn closed_store_with_first(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let path = dir.join("db");
    let store = Store::open(&path).unwrap();
    first().add(&store);
    store.flush().unwrap();
    let export = export(&store);
    (path, export)
}

#[test]
fn the_store_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (path, before) = closed_store_with_first(dir.path());
    let store = Store::open(&path).unwrap();
    assert_eq!(export(&store), before);
    // Ids continue after reopening.
    let id = second().add(&store).doc();
    assert_eq!(id.to_string(), "d2");
}

#[test]
fn values_a_crash_left_unstored_are_cut_off_and_a_truncated_values_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let texts = path.join("values");
    let (one, stored_len) = {
        let store = Store::open(&path).unwrap();
        let one = first().add(&store).doc();
        (one, std::fs::metadata(&texts).unwrap().len())
    };
    assert!(stored_len > 0);
    // A batch whose values were written but whose transaction never happened (a kill in
    // between) leaves bytes past the stored end.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&texts)
        .unwrap();
    std::io::Write::write_all(&mut f, b"an unfinished batch's frames").unwrap();
    drop(f);
    let store = Store::open(&path).unwrap();
    assert_eq!(std::fs::metadata(&texts).unwrap().len(), stored_len);
    assert_eq!(
        store.text(one).unwrap().as_deref(),
        Some(first().doc.text())
    );
    let two = second().add(&store).doc();
    assert_eq!(
        store.text(two).unwrap().as_deref(),
        Some(second().doc.text())
    );
    let full = std::fs::metadata(&texts).unwrap().len();
    drop(store);
    // Values the store refers to that are gone: refused with what happened, not read as
    // other bytes.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&texts)
        .unwrap()
        .set_len(full - 1)
        .unwrap();
    let e = Store::open(&path).unwrap_err();
    assert!(e.to_string().contains("truncated or replaced"), "{e}");
}

#[test]
fn a_store_killed_while_sled_wrote_a_snapshot_opens() {
    let dir = tempfile::tempdir().unwrap();
    let (path, before) = closed_store_with_first(dir.path());
    // What a process killed while sled wrote a snapshot leaves: the snapshot's file
    // under its temporary name, empty or partly written, sorting after every complete
    // snapshot's name.
    for (name, bytes) in [
        ("snap.FFFFFFFFFFFFFFF0.generating", Vec::new()),
        ("snap.FFFFFFFFFFFFFFFF.generating", vec![7u8; 40]),
    ] {
        std::fs::write(path.join(name), bytes).unwrap();
        let store = Store::open(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(export(&store), before);
    }
}

#[test]
fn compaction_keeps_the_graph_and_the_store_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = Store::open(&path).unwrap();
    first().add(&store);
    let before = export(&store);
    // A small store is not worth compacting.
    assert!(!store.should_compact().unwrap());
    assert_eq!(store.compacted_size().unwrap(), None);
    let store = store.compact().unwrap();
    assert_eq!(export(&store), before);
    assert!(store.compacted_size().unwrap().is_some_and(|n| n > 0));
    // No copy is left beside the store, and writing goes on with the next ids.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("db")]);
    assert_eq!(second().add(&store).doc().to_string(), "d2");
    let both = export(&store);
    drop(store);
    // Compacting again, and reopening, change nothing.
    let store = Store::open(&path).unwrap().compact().unwrap();
    assert_eq!(export(&store), both);
}

#[test]
fn opening_removes_what_an_interrupted_compaction_left() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        first().add(&store);
    }
    // A killed compaction leaves a partial copy (or, after the swap, the old store).
    let leftover = dir.path().join("db.compacting");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("db"), b"partial").unwrap();
    let store = Store::open(&path).unwrap();
    assert!(!leftover.exists());
    assert_eq!(store.documents().unwrap().len(), 1);
    drop(store);
    // Even a stray file of that name neither blocks opening nor compacting.
    std::fs::write(&leftover, b"stray").unwrap();
    let store = Store::open(&path).unwrap();
    assert!(!leftover.exists());
    std::fs::write(&leftover, b"stray").unwrap();
    let store = store.compact().unwrap();
    assert!(!leftover.exists());
    assert_eq!(store.documents().unwrap().len(), 1);
}

#[test]
fn dot_labels_from_hostile_text_are_escaped_and_parse() {
    use annals_graph::export::{dot, Selection};
    use annals_graph::{GraphView, NodeRef};

    let text = "Group \"X\\\" -> y}; said: \"a {b} \\\"c\\\" \nd\" in Rot\"terdam.";
    let a = Article::new("hostile.txt", text)
        .entity(
            EntityKind::Group,
            "Group \"X\\\" -> y};",
            &["Group \"X\\\" -> y};"],
        )
        .entity(EntityKind::Place, "Rot\"terdam", &["Rot\"terdam"])
        .quote("a {b} \\\"c\\\" \nd", 0)
        .event("said", "010", None, Some(1), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    a.add(&store);
    let view = GraphView::load(&store).unwrap();
    let mut out = Vec::new();
    dot::write(&view, &Selection::default(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let graph = dot_parser::ast::Graph::try_from(text.as_str())
        .unwrap_or_else(|e| panic!("DOT does not parse: {e}\n{text}"));
    let canonical = dot_parser::canonical::Graph::from(graph);
    assert_eq!(
        canonical.nodes.set.len(),
        4,
        "two entities, one event, one quote:\n{text}"
    );
    assert_eq!(canonical.edges.set.len(), 3, "source, place, said:\n{text}");

    // The neighbourhood of the place at depth 1 holds the place and the event only.
    let place = store.find_entities("Rot\"terdam").unwrap()[0].id;
    let near = view.neighbourhood(&[NodeRef::Entity(place)], 1);
    assert_eq!(near.len(), 2);
}

#[test]
fn unresolved_dates_export_a_null_value_and_other_kinds_none() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    let mut a = Article::new("undated.txt", "Talks resumed on Friday in Oslo.")
        .entity(EntityKind::Place, "Oslo", &["Oslo"])
        .date("2023-03-10", "Friday");
    a.x.entities[1].value = None;
    a.add(&store);
    let mut out = Vec::new();
    json::write(&store, &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let entities = v["entities"].as_array().unwrap();
    let date = entities.iter().find(|e| e["kind"] == "date").unwrap();
    assert!(date.get("value").is_some_and(|x| x.is_null()), "{date}");
    let place = entities.iter().find(|e| e["kind"] == "place").unwrap();
    assert!(place.get("value").is_none(), "{place}");
}

#[test]
fn readers_and_a_writer_share_one_store_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    first().add(&store);
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            for i in 0..20 {
                let mut a = second();
                // Different bytes each time, so each is a new article.
                let text = format!("{} Run {i}.", a.doc.text());
                a.doc = Document::new(a.doc.meta().clone(), text);
                a.add(&store);
            }
        });
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..50 {
                    let before = store.counts().unwrap();
                    // Every read sees whole articles: each document has its text.
                    for d in store.documents().unwrap() {
                        assert!(store.text(d.id).unwrap().is_some());
                    }
                    export(&store);
                    assert!(store.counts().unwrap().documents >= before.documents);
                }
            });
        }
        writer.join().unwrap();
    });
    assert_eq!(store.counts().unwrap().documents, 21);
}

/// An article published on `published` reporting strikes in Kirkuk.
fn strike_report(source: &str, published: &str, text: &str, date: Option<&str>) -> Article {
    Article::new(source, text)
        .published(published)
        .entity(EntityKind::Place, "Kirkuk", &["Kirkuk"])
        .event("strike", "195", date, Some(0), None)
}

#[test]
fn an_undated_strike_joins_the_recent_one_not_an_old_one_in_any_order() {
    let old = || {
        strike_report(
            "old.txt",
            "2020-01-05",
            "A strike hit Kirkuk on Friday.",
            Some("2020-01-03"),
        )
    };
    let recent = || {
        strike_report(
            "new.txt",
            "2024-02-08",
            "A strike hit Kirkuk on Wednesday.",
            Some("2024-02-07"),
        )
    };
    let undated = || {
        strike_report(
            "und.txt",
            "2024-02-09",
            "The strike in Kirkuk angered many.",
            None,
        )
    };
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("db")).unwrap();
        for i in order {
            [old(), recent(), undated()][i].add(&store);
        }
        let mut dates: Vec<(Option<String>, usize)> = store
            .events()
            .unwrap()
            .into_iter()
            .map(|e| (e.date, e.mentions.len()))
            .collect();
        dates.sort();
        assert_eq!(
            dates,
            vec![
                (Some("2020-01-03".to_string()), 1),
                (Some("2024-02-07".to_string()), 2)
            ],
            "order {order:?}"
        );
    }
}

#[test]
fn strikes_on_different_days_in_one_city_stay_two_events() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    strike_report(
        "a.txt",
        "2024-01-05",
        "A strike hit Kirkuk on Thursday.",
        Some("2024-01-04"),
    )
    .add(&store);
    strike_report(
        "b.txt",
        "2024-02-08",
        "A strike hit Kirkuk on Wednesday.",
        Some("2024-02-07"),
    )
    .add(&store);
    let events = store.events().unwrap();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.evidence.is_empty()));
}

#[test]
fn the_indexes_answer_by_word_stem_actor_date_and_relation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut two = second();
    two.x.relations.push(annals_model::LocalRelation {
        subject: 1,
        relation: "member of".into(),
        object: Some(2),
        span: two.span("Lena Park criticised the water board"),
    });
    {
        let store = Store::open(&db).unwrap();
        first().add(&store);
        two.add(&store);
        // Before any flush the quote words wait in memory and are found there, with
        // their positions and the quote's speaker.
        let warned = store.quotes_with_word("warned").unwrap();
        assert_eq!(warned.len(), 1);
        assert_eq!(
            store.quote_postings("we").unwrap().positions(warned[0]),
            &[0]
        );
        let park = store.find_entities("Lena Park").unwrap()[0].id;
        assert_eq!(store.quote_speakers(&warned).unwrap(), vec![Some(park)]);
        assert!(store.quotes_with_word("flood").unwrap().is_empty());
        // Stems join inflections: "fail" finds the "failed" event.
        let failed = store.events_with_stem("fail").unwrap();
        assert_eq!(failed.len(), 1);
        let park = store.find_entities("Lena Park").unwrap()[0].id;
        assert_eq!(store.events_of(park).unwrap().len(), 1);
        let march = store.events_dated("2023-03", "2023-04").unwrap();
        assert_eq!(march.len(), 1);
        assert!(store.events_dated("2024", "2025").unwrap().is_empty());
        let rel = store.relations_of(park).unwrap();
        assert_eq!(rel.len(), 1);
        assert_eq!(rel[0].relation, "member of");
        let board = store.find_entities("water board").unwrap()[0].id;
        assert_eq!(store.relations_of(board).unwrap(), rel);
        assert!(store
            .name_keys()
            .unwrap()
            .contains(&"lena park".to_string()));
        assert!(store.name_keys().unwrap().iter().all(|k| !k.contains(':')));
    }
    // Reopened, the words come from the written segment and the speaker from its head
    // block.
    let store = Store::open(&db).unwrap();
    let warned = store.quotes_with_word("warned").unwrap();
    assert_eq!(warned.len(), 1);
    assert_eq!(store.quotes_with_word("we").unwrap().len(), 1);
    let p = store.quote_postings("warned").unwrap();
    assert_eq!(p.positions(warned[0]), &[3]);
    let park = store.find_entities("Lena Park").unwrap()[0].id;
    // Asked in any order and with repeats, answered in the order asked.
    let unknown = annals_model::QuoteId(99);
    assert_eq!(
        store
            .quote_speakers(&[unknown, warned[0], warned[0]])
            .unwrap(),
        vec![None, Some(park), Some(park)]
    );
}

/// Reports of a strike in Kirkuk over four months: one event recurring undated, then
/// dated, then another.
fn recurring_strike() -> Vec<Article> {
    let reports = [
        ("a.txt", "2024-03-01", None),
        // 19 days on: the same undated strike.
        ("b.txt", "2024-03-20", None),
        // 26 days after b (45 after a, its first day): still the same.
        ("c.txt", "2024-04-15", None),
        // A date recent for c's report: the event gets a date.
        ("d.txt", "2024-04-16", Some("2024-04-10")),
        // Undated, 25 days after the date: found through the date now.
        ("e.txt", "2024-05-05", None),
        // Undated, 81 days after it: another strike.
        ("f.txt", "2024-06-30", None),
    ];
    reports
        .iter()
        .enumerate()
        .map(|(i, (source, published, date))| {
            let text = format!("A strike hit Kirkuk ({i}).");
            strike_report(source, published, &text, *date)
        })
        .collect()
}

#[test]
fn a_recurring_event_is_found_through_its_days_and_then_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    for report in recurring_strike() {
        report.add(&store);
    }
    // The same after reopening: everything is read back from the trees.
    drop(store);
    let store = Store::open(dir.path().join("db")).unwrap();
    let events = store.events().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].date.as_deref(), Some("2024-04-10"));
    let docs: Vec<String> = events[0]
        .mentions
        .iter()
        .map(|m| m.prov.doc.to_string())
        .collect();
    assert_eq!(docs, ["d1", "d2", "d3", "d4", "d5"]);
    assert_eq!(events[0].evidence.len(), 4);
    assert!(events[0].evidence[0].starts_with("d2: CAMEO root 19"));
    assert_eq!(
        store.event(events[0].id).unwrap().as_ref(),
        Some(&events[0])
    );
    assert_eq!(events[1].mentions.len(), 1);
    assert!(events[1].evidence.is_empty());
    // Kirkuk was merged into by every later article, each once.
    let kirkuk = store.find_entities("Kirkuk").unwrap();
    let merges = store.merges_of(kirkuk[0].id).unwrap();
    let docs: Vec<String> = merges.iter().map(|m| m.doc.to_string()).collect();
    assert_eq!(docs, ["d2", "d3", "d4", "d5", "d6"]);
    assert!(merges.iter().all(|m| m.keys == ["kirkuk"]));
    // Each event counts its reports without them being read, and the light readers give
    // the same events as the full ones.
    let stored = store.stored_events().unwrap();
    assert_eq!(stored.len(), events.len());
    for (s, e) in stored.iter().zip(&events) {
        assert_eq!(s.id, e.id);
        assert_eq!(s.reports as usize, e.mentions.len());
    }
    assert_eq!(stored[0].reports, 5);
    let ids: Vec<_> = events.iter().rev().map(|e| e.id).collect();
    assert_eq!(store.stored_events_among(&ids).unwrap(), stored);
    let place = kirkuk[0].id;
    let at: Vec<_> = store.stored_events_at(place).unwrap();
    let full = store.events_at(place).unwrap();
    assert_eq!(
        at.iter().map(|e| e.id).collect::<Vec<_>>(),
        full.iter().map(|e| e.id).collect::<Vec<_>>()
    );
    assert_eq!(store.with_reports(at[0].clone()).unwrap(), full[0]);
    // The heads answers rank by agree with the records, asked in any order.
    let heads = store.event_heads(&ids).unwrap();
    assert_eq!(heads.labels, ["strike"]);
    let summary: Vec<_> = heads
        .heads
        .iter()
        .map(|h| (h.id, h.modality, h.dated, h.placed, h.reports))
        .collect();
    assert_eq!(
        summary,
        [
            (events[0].id, Modality::Asserted, true, true, 5),
            (events[1].id, Modality::Asserted, false, true, 1)
        ]
    );
    // The linking index, heads and report counts agree with the records: the undated
    // event's entries for its first articles' days went when it got a date.
    assert_eq!(store.check_event_indexes().unwrap(), Vec::<String>::new());
}

/// An article of ten thousand events at as many places: each is compared only with the
/// events that share a place, an actor or the full date (the plan's own index), so they
/// stay apart and the article is stored in time linear in its events (comparing each
/// with every earlier one took 25 s in a release build). The bound is loose on purpose.
#[test]
fn an_article_of_thousands_of_events_is_linked_through_its_own_index() {
    let n = 10_000;
    let text: String = (0..n)
        .map(|i| format!("Strike{i:05} hit Town{i:05}. "))
        .chain(["Strike00000again hit Town00000. ".to_string()])
        .collect();
    let mut a = Article::new("many.txt", &text);
    for i in 0..n {
        let town = format!("Town{i:05}");
        a = a.entity(EntityKind::Place, &town, &[&town]);
    }
    for i in 0..n {
        a = a.event(&format!("Strike{i:05}"), "190", None, Some(i), None);
    }
    // The last report shares the first one's place: it merges with it.
    a = a.event("Strike00000again", "190", None, Some(0), None);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    let started = std::time::Instant::now();
    a.add(&store);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    let events = store.stored_events().unwrap();
    assert_eq!(events.len(), n);
    assert_eq!(events[0].reports, 2);
    assert!(events[1..].iter().all(|e| e.reports == 1));
}

/// sled writes its settings file in two steps before its data file: a process killed in
/// between (the crash test hit it) left a folder sled refused for ever. With no data
/// written yet, the store opens and works; with data, the torn file is not touched.
#[test]
fn a_store_killed_while_being_created_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    std::fs::create_dir_all(db.join("blobs")).unwrap();
    // The settings without their checksum and the end of the version line.
    std::fs::write(
        db.join("conf"),
        "segment_size: 524288\nuse_compression: false\nversion: 0.",
    )
    .unwrap();
    {
        let store = Store::open(&db).expect("a store whose creation was cut short opens");
        assert!(first().add(&store).is_new());
    }
    assert_eq!(Store::open(&db).unwrap().documents().unwrap().len(), 1);

    // A torn settings file beside data is left for a person to look at.
    let held = dir.path().join("held");
    std::fs::create_dir_all(held.join("blobs")).unwrap();
    std::fs::write(held.join("conf"), "segment_size: 524288\nuse_").unwrap();
    std::fs::write(held.join("db"), vec![7u8; 4096]).unwrap();
    assert!(Store::open(&held).is_err());
    assert_eq!(
        std::fs::read_to_string(held.join("conf")).unwrap(),
        "segment_size: 524288\nuse_"
    );
}

/// Format 16 lists an event under an actor that is not one of its places apart, and the
/// events of a day that have no place under a pseudo-entity; a mention with a place
/// reads neither of the actor lists' "elsewhere" part nor the whole day. The matches
/// must be the ones `event_match` gives: the same actor elsewhere never joins a mention
/// with a place, joins one without; a placeless event of the same day joins a mention
/// with a place that shares nothing else with it.
#[test]
fn mentions_with_and_without_a_place_find_the_events_they_can_match() {
    let report = |source: &str, text: &str, place: Option<&str>, date: Option<&str>| {
        let mut a = Article::new(source, text).published("2024-02-08").entity(
            EntityKind::Group,
            "Kataib Hezbollah",
            &["Kataib Hezbollah"],
        );
        if let Some(p) = place {
            a = a.entity(EntityKind::Place, p, &[p]);
        }
        a.event("attacked", "190", date, place.map(|_| 1), Some(0))
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    // The group attacked in Erbil on the 7th.
    report(
        "a.txt",
        "Kataib Hezbollah attacked Erbil.",
        Some("Erbil"),
        Some("2024-02-07"),
    )
    .add(&store);
    // The same day in Basra: the group is an actor elsewhere, the places contradict.
    let basra = report(
        "b.txt",
        "Kataib Hezbollah attacked Basra.",
        Some("Basra"),
        Some("2024-02-07"),
    );
    assert!(matches!(
        basra.add(&store),
        AddOutcome::Added {
            merged_events: 0,
            ..
        }
    ));
    // No place, same day: joins one of them through the group.
    let somewhere = report(
        "c.txt",
        "Kataib Hezbollah attacked again.",
        None,
        Some("2024-02-07"),
    );
    assert!(matches!(
        somewhere.add(&store),
        AddOutcome::Added {
            merged_events: 1,
            ..
        }
    ));
    // A placeless event of another actor on the 9th, then a mention in Mosul on the 9th
    // by yet another actor: the same day and no contradicting place, so one event.
    let alone = Article::new("d.txt", "Saraya Awliya al-Dam attacked on Friday.")
        .published("2024-02-09")
        .entity(
            EntityKind::Group,
            "Saraya Awliya al-Dam",
            &["Saraya Awliya al-Dam"],
        )
        .event("attacked", "190", Some("2024-02-09"), None, Some(0));
    alone.add(&store);
    let mosul = Article::new("e.txt", "Gunmen attacked Mosul on Friday.")
        .published("2024-02-09")
        .entity(EntityKind::Group, "Gunmen", &["Gunmen"])
        .entity(EntityKind::Place, "Mosul", &["Mosul"])
        .event("attacked", "190", Some("2024-02-09"), Some(1), Some(0));
    assert!(matches!(
        mosul.add(&store),
        AddOutcome::Added {
            merged_events: 1,
            ..
        }
    ));
    let mut reports: Vec<usize> = store
        .events()
        .unwrap()
        .iter()
        .map(|e| e.mentions.len())
        .collect();
    reports.sort();
    assert_eq!(reports, [1, 2, 2]);
    assert_eq!(store.check_event_indexes().unwrap(), Vec::<String>::new());
}

/// The articles of the tests above that link to each other: entities, merged events
/// (dated, undated, recurring) and quotes.
fn linked_articles() -> Vec<Article> {
    let mut out = vec![first(), second()];
    out.extend(recurring_strike());
    out
}

#[test]
fn a_batch_gives_the_graph_of_its_articles_added_one_by_one() {
    let mut articles = linked_articles();
    // A copy of the first article's bytes, inside the same batch, is a duplicate.
    let copy = Article {
        doc: Document::new(DocumentMeta::new("copy.txt"), articles[0].doc.text().into()),
        x: articles[0].x.clone(),
    };
    articles.insert(3, copy);
    let one_by_one = {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("db")).unwrap();
        let outcomes: Vec<AddOutcome> = articles.iter().map(|a| a.add(&store)).collect();
        (outcomes, export(&store))
    };
    for split in [articles.len(), 1, 2, 5] {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("db")).unwrap();
        let mut outcomes = Vec::new();
        for batch in articles.chunks(split) {
            outcomes.extend(store.add_all(batch.iter().map(|a| (&a.doc, &a.x))).unwrap());
        }
        assert_eq!(outcomes, one_by_one.0, "batches of {split}");
        assert_eq!(
            outcomes[3],
            AddOutcome::Duplicate {
                doc: outcomes[0].doc()
            }
        );
        assert_eq!(export(&store), one_by_one.1, "batches of {split}");
        // And the same once everything is read back from the trees.
        let path = store.path().to_path_buf();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(export(&store), one_by_one.1, "reopened, batches of {split}");
        assert!(store.check_event_indexes().unwrap().is_empty());
    }
}

#[test]
fn a_batch_with_a_bad_extraction_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("db")).unwrap();
    first().add(&store);
    let before = export(&store);
    let good = second();
    let mut bad = linked_articles().pop().unwrap();
    bad.x.entities[0].mentions[0] = Span::new(0, bad.doc.text().len() + 5).unwrap();
    let e = store
        .add_all([(&good.doc, &good.x), (&bad.doc, &bad.x)])
        .unwrap_err();
    assert!(matches!(e, StoreError::BadExtraction { .. }), "{e}");
    assert_eq!(export(&store), before);
    // The writer's state is untouched: the good article alone links as before.
    assert!(matches!(
        good.add(&store),
        AddOutcome::Added {
            merged_events: 1,
            ..
        }
    ));
}
